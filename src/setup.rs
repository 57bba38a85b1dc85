//! Ring set-up and teardown: sizing, application-provided memory and the
//! `io_uring_queue_*` family (the mapping itself is `crate::mapping`).

use core::ffi::{c_int, c_void};
use core::ptr;
use core::sync::atomic::AtomicU32;

use crate::check;
use crate::mapping::*;
use crate::os;
use crate::ring::*;
use crate::sys::*;

/// The first power of two not below `n` (n >= 1).
fn roundup_pow2(n: u32) -> u32 {
    n.next_power_of_two()
}

/// SQ and CQ sizes the kernel will pick for `entries` and `p`'s flags: 0
/// and the sizes, or `-EINVAL` (and zeros) for sizes it would refuse.
pub fn sq_cq_entries(entries: u32, p: &io_uring_params) -> (c_int, u32, u32) {
    const REFUSED: (c_int, u32, u32) = (-libc::EINVAL, 0, 0);
    if entries == 0 {
        return REFUSED;
    }
    let mut sq = entries;
    if sq > KERN_MAX_ENTRIES {
        if p.flags & IORING_SETUP_CLAMP == 0 {
            return REFUSED;
        }
        sq = KERN_MAX_ENTRIES;
    }
    let sq = roundup_pow2(sq);
    let cq = if p.flags & IORING_SETUP_CQSIZE != 0 {
        if p.cq_entries == 0 {
            return REFUSED;
        }
        let mut cq = p.cq_entries;
        if cq > KERN_MAX_CQ_ENTRIES {
            if p.flags & IORING_SETUP_CLAMP == 0 {
                return REFUSED;
            }
            cq = KERN_MAX_CQ_ENTRIES;
        }
        let cq = roundup_pow2(cq);
        if cq < sq {
            return REFUSED;
        }
        cq
    } else {
        2 * sq
    };
    (0, sq, cq)
}

use core::mem::size_of;

/// Room the kernel needs before the CQE array for the ring header words.
const KRING_HEADER_BYTES: usize = 64;
/// Huge page size used for rings in application-less NO_MMAP set-ups.
const HUGE_PAGE_BYTES: usize = 2 * 1024 * 1024;
const MAP_HUGE_2MB: c_int = 21 << 26;

fn page_size() -> usize {
    // SAFETY: sysconf has no memory-safety preconditions.
    let sz = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if sz > 0 {
        sz as usize
    } else {
        4096
    }
}

fn align_up(v: usize, to: usize) -> usize {
    (v + to - 1) & !(to - 1)
}

/// `io_uring_queue_mmap`: fills `ring` for an existing ring fd; 0 or
/// `-errno`.
///
/// # Safety
/// `p` must be what `io_uring_setup` returned for `fd`.
pub unsafe fn queue_mmap(fd: c_int, p: &io_uring_params, ring: &mut io_uring) -> c_int {
    // SAFETY: forwarded contract.
    let ret = unsafe { map_queue(fd, p, ring) };
    if ret == 0 {
        mark_live(ring);
    }
    ret
}

/// `io_uring_queue_init_params`: sets up `ring` as `p` asks (see
/// [`queue_init_params`]); 0 or `-errno`.
pub fn queue_init(entries: u32, ring: &mut io_uring, p: &mut io_uring_params) -> c_int {
    // SAFETY: no application memory is involved.
    let (ret, _) = unsafe { queue_init_params(entries, ring, p, ptr::null_mut(), 0) };
    if ret == 0 {
        mark_live(ring);
    }
    ret
}

/// `io_uring_queue_init_mem`: sets up `ring` with `IORING_SETUP_NO_MMAP`,
/// its rings in the caller's `buf`; the bytes of `buf` used, or `-errno`.
///
/// # Safety
/// As [`queue_init_exact`].
pub unsafe fn queue_init_mem(
    entries: u32,
    ring: &mut io_uring,
    p: &mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> c_int {
    p.flags |= IORING_SETUP_NO_MMAP;
    // SAFETY: forwarded contract.
    let (ret, used) = unsafe { queue_init_params(entries, ring, p, buf, buf_size) };
    if ret < 0 {
        return ret;
    }
    mark_live(ring);
    used as c_int
}

/// Tells checked mode (`crate::check`) that a set-up call of the API just
/// filled `ring` in: every `io_uring_queue_init*`/`io_uring_queue_mmap` that
/// succeeds comes through here.
#[inline(always)]
fn mark_live(ring: &mut io_uring) {
    if check::active() {
        // SAFETY: the ring was just set up; the marker is in its padding.
        unsafe { check::mark_live(ring) };
    }
}

/// [`queue_mmap`] without telling checked mode, for the set-up calls that
/// tell it themselves.
///
/// # Safety
/// As [`queue_mmap`].
unsafe fn map_queue(fd: c_int, p: &io_uring_params, ring: &mut io_uring) -> c_int {
    *ring = io_uring::zeroed();
    // SAFETY: forwarded contract.
    let ret = unsafe { mmap_rings(fd, p, &mut ring.sq, &mut ring.cq) };
    if ret < 0 {
        return ret;
    }
    ring.set_setup_flags(p.flags);
    ring.features = p.features;
    ring.ring_fd = fd;
    ring.enter_ring_fd = fd;
    0
}

/// For `IORING_SETUP_NO_MMAP`: places the SQE array and the rings in `buf`
/// (application memory) or in fresh anonymous (huge page) mappings, and
/// tells the kernel where through `p`. Returns 0 and the bytes used, or
/// `-errno` (and 0).
fn alloc_no_mmap(
    entries: u32,
    p: &mut io_uring_params,
    sq: &mut io_uring_sq,
    cq: &mut io_uring_cq,
    buf: *mut c_void,
    mut buf_size: usize,
) -> (c_int, usize) {
    let page = page_size();
    let (ret, sq_entries, cq_entries) = sq_cq_entries(entries, p);
    if ret < 0 {
        return (ret, 0);
    }
    let sqes_mem = align_up(sqes_bytes(p.flags, sq_entries), page);
    let mut ring_mem = KRING_HEADER_BYTES + cqes_bytes(p.flags, cq_entries);
    if p.flags & IORING_SETUP_NO_SQARRAY == 0 {
        ring_mem += sq_entries as usize * size_of::<u32>();
    }
    let mem_used = align_up(sqes_mem + ring_mem, page);
    if buf.is_null() && (sqes_mem > HUGE_PAGE_BYTES || ring_mem > HUGE_PAGE_BYTES) {
        return (-libc::ENOMEM, 0);
    }
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    let anon = libc::MAP_SHARED | libc::MAP_ANONYMOUS;
    let mut sqes_map_size = 0;
    let base = if !buf.is_null() {
        if mem_used > buf_size {
            return (-libc::ENOMEM, 0);
        }
        buf
    } else {
        let huge = if sqes_mem <= page {
            buf_size = page;
            0
        } else {
            buf_size = HUGE_PAGE_BYTES;
            libc::MAP_HUGETLB | MAP_HUGE_2MB
        };
        sqes_map_size = buf_size;
        // SAFETY: a fresh anonymous mapping.
        let (ret, mem) = unsafe { os::mmap(ptr::null_mut(), buf_size, prot, anon | huge, -1, 0) };
        if ret < 0 {
            return (ret, 0);
        }
        mem
    };
    sq.sqes = base.cast();
    sq.sqes_sz = sqes_map_size as u32;
    if mem_used <= buf_size {
        // SAFETY: sqes_mem < mem_used <= buf_size: still inside the block.
        sq.ring_ptr = unsafe { base.cast::<u8>().add(sqes_mem) }.cast();
        // One mapping (or none of ours) to undo: no separate ring sizes.
        sq.ring_sz = 0;
        cq.ring_sz = 0;
    } else {
        let (size, huge) = if ring_mem <= page {
            (page, 0)
        } else {
            (HUGE_PAGE_BYTES, libc::MAP_HUGETLB | MAP_HUGE_2MB)
        };
        // SAFETY: a fresh anonymous mapping.
        let (ret, mem) = unsafe { os::mmap(ptr::null_mut(), size, prot, anon | huge, -1, 0) };
        if ret < 0 {
            if sqes_map_size != 0 {
                // SAFETY: mapped above.
                unsafe { os::munmap(base, sqes_map_size) };
            }
            return (ret, 0);
        }
        sq.ring_ptr = mem;
        sq.ring_sz = size;
        cq.ring_sz = 0;
    }
    cq.ring_ptr = sq.ring_ptr;
    p.sq_off.user_addr = sq.sqes as u64;
    p.cq_off.user_addr = sq.ring_ptr as u64;
    (0, mem_used)
}

/// Sets up a ring with exactly the flags in `p` (no NO_SQARRAY fallback).
/// Returns 0 and the bytes of `buf` used (0 unless NO_MMAP), or `-errno`.
///
/// # Safety
/// `buf` must be NULL or `buf_size` bytes of writable memory that outlives the ring.
pub unsafe fn queue_init_exact(
    entries: u32,
    ring: &mut io_uring,
    p: &mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> (c_int, usize) {
    *ring = io_uring::zeroed();
    if p.flags & IORING_SETUP_REGISTERED_FD_ONLY != 0 && p.flags & IORING_SETUP_NO_MMAP == 0 {
        return (-libc::EINVAL, 0);
    }
    let mut used = 0;
    if p.flags & IORING_SETUP_NO_MMAP != 0 {
        let ret;
        (ret, used) = alloc_no_mmap(entries, p, &mut ring.sq, &mut ring.cq, buf, buf_size);
        if ret < 0 {
            return (ret, 0);
        }
        if !buf.is_null() {
            ring.int_flags |= INT_FLAG_APP_MEM;
        }
    }
    // SAFETY: p is a valid params struct.
    let fd = unsafe { io_uring_setup(entries, p) };
    if fd < 0 {
        if p.flags & IORING_SETUP_NO_MMAP != 0 && ring.int_flags & INT_FLAG_APP_MEM == 0 {
            // SAFETY: the mappings were created by alloc_no_mmap.
            unsafe {
                os::munmap(ring.sq.sqes.cast(), ring.sq.sqes_sz as usize);
                unmap_rings(&mut ring.sq, &mut ring.cq);
            }
        }
        *ring = io_uring::zeroed();
        return (fd, 0);
    }
    if p.flags & IORING_SETUP_NO_MMAP == 0 {
        // SAFETY: p was just filled by io_uring_setup for fd.
        let ret = unsafe { map_queue(fd, p, ring) };
        if ret < 0 {
            // SAFETY: fd is ours.
            unsafe { libc::close(fd) };
            *ring = io_uring::zeroed();
            return (ret, 0);
        }
    } else {
        // SAFETY: the kernel laid the rings out in our memory as p says.
        unsafe { setup_ring_pointers(p, &mut ring.sq, &mut ring.cq) };
    }
    if p.flags & IORING_SETUP_NO_SQARRAY == 0 {
        // Identity map SQ slots to SQEs.
        for i in 0..ring.sq.ring_entries {
            // SAFETY: array has ring_entries elements.
            unsafe { *ring.sq.array.add(i as usize) = i };
        }
    }
    ring.features = p.features;
    ring.set_setup_flags(p.flags);
    ring.enter_ring_fd = fd;
    if p.flags & IORING_SETUP_REGISTERED_FD_ONLY != 0 {
        ring.ring_fd = -1;
        ring.int_flags |= INT_FLAG_REG_RING | INT_FLAG_REG_REG_RING;
    } else {
        ring.ring_fd = fd;
    }
    // IOPOLL completions only appear when we enter the kernel, unless an SQ
    // thread polls for us.
    if ring.flags & (IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL) == IORING_SETUP_IOPOLL {
        ring.int_flags |= INT_FLAG_CQ_ENTER;
    }
    (0, used)
}

/// Sets up a ring asking for `IORING_SETUP_NO_SQARRAY`, and without it when
/// the kernel refuses and the caller did not ask for it.
///
/// # Safety
/// As [`queue_init_exact`].
pub unsafe fn queue_init_params(
    entries: u32,
    ring: &mut io_uring,
    p: &mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> (c_int, usize) {
    let asked = p.flags;
    p.flags |= IORING_SETUP_NO_SQARRAY;
    // SAFETY: forwarded contract.
    let ret = unsafe { queue_init_exact(entries, ring, p, buf, buf_size) };
    if ret.0 == -libc::EINVAL && asked & IORING_SETUP_NO_SQARRAY == 0 {
        p.flags = asked;
        // SAFETY: forwarded contract.
        return unsafe { queue_init_exact(entries, ring, p, buf, buf_size) };
    }
    ret
}

/// `io_uring_queue_exit`: unmaps what the library mapped, drops the ring fd
/// registration and closes the ring fd, then leaves the struct in a state
/// later calls survive (see [`mark_torn_down`]); a second exit does nothing.
///
/// # Safety
/// `ring` must have been set up by this library (or be all zero).
pub unsafe fn queue_exit(ring: &mut io_uring) {
    if is_torn_down(ring) {
        // A second exit: the mappings and the fd are gone (and their
        // addresses and number may belong to something else by now).
        return;
    }
    if ring.int_flags & INT_FLAG_APP_MEM == 0 {
        if !ring.sq.sqes.is_null() && ring.sq.sqes_sz != 0 {
            // SAFETY: the SQE array is a mapping of ours.
            unsafe { os::munmap(ring.sq.sqes.cast(), ring.sq.sqes_sz as usize) };
        }
        // SAFETY: the ring mappings are ours.
        unsafe { unmap_rings(&mut ring.sq, &mut ring.cq) };
    }
    if ring.int_flags & INT_FLAG_REG_RING != 0 {
        let _ = crate::register::unregister_ring_fd(ring);
    }
    if ring.ring_fd != -1 {
        // SAFETY: closing the ring's own fd.
        unsafe { libc::close(ring.ring_fd) };
    }
    mark_torn_down(ring);
}

/// What the kernel-shared SQ pointers of a torn-down ring point to: a word of
/// this library's own memory that nothing writes (the library stores the SQ
/// tail only when it has SQEs to publish, and a torn-down ring hands none
/// out), so the SQ reads as empty, without flags.
static TORN_DOWN_SQ_WORD: AtomicU32 = AtomicU32::new(0);

/// The same for the CQ pointers. Head and tail are this one word, so the CQ
/// reads as empty whatever `io_uring_cq_advance` stores into it.
static TORN_DOWN_CQ_WORD: AtomicU32 = AtomicU32::new(0);

/// Leaves a ring that `queue_exit` tore down in a state that calls can
/// survive: upstream leaves the pointers into the unmapped rings, so using
/// the ring afterwards (an application bug) faults in upstream's library and
/// in the inline helpers of either header. Here the queues read as empty and
/// have no room (`io_uring_get_sqe` returns NULL, `io_uring_peek_batch_cqe`
/// 0), and calls that need the kernel get `-EBADF`, as they do from
/// upstream's closed fd (see [`TORN_DOWN_RING_FD`]). The mapping
/// addresses and sizes stay as they were, as upstream leaves them, so that
/// `io_uring_ring_dontfork` still answers what upstream's does (`-ENOMEM`);
/// nothing reads through them while the entry counts are 0.
fn mark_torn_down(ring: &mut io_uring) {
    let word = TORN_DOWN_SQ_WORD.as_ptr();
    let sq = &mut ring.sq;
    sq.khead = word;
    sq.ktail = word;
    sq.kring_mask = word;
    sq.kring_entries = word;
    sq.kflags = word;
    sq.kdropped = word;
    sq.ring_mask = 0;
    sq.ring_entries = 0;
    sq.sqe_head = 0;
    sq.sqe_tail = 0;
    let word = TORN_DOWN_CQ_WORD.as_ptr();
    let cq = &mut ring.cq;
    cq.khead = word;
    cq.ktail = word;
    cq.kring_mask = word;
    cq.kring_entries = word;
    cq.kflags = word;
    cq.koverflow = word;
    cq.ring_mask = 0;
    cq.ring_entries = 0;
    ring.ring_fd = TORN_DOWN_RING_FD;
    ring.enter_ring_fd = TORN_DOWN_RING_FD;
    ring.int_flags &= !(INT_FLAG_REG_RING | INT_FLAG_REG_REG_RING);
}

/// The fd of a torn-down ring: a number no process can have open (the
/// kernel caps descriptors below `fs.nr_open`, at most 2^31 - 64), so every
/// system call on it fails with `EBADF`, where the closed fd upstream leaves
/// behind could by then be another file. Not -1: `io_uring_register` takes
/// -1 as "no ring" and answers `EINVAL`.
const TORN_DOWN_RING_FD: c_int = c_int::MAX;

/// Whether `queue_exit` already tore this ring down.
fn is_torn_down(ring: &io_uring) -> bool {
    ring.sq.khead == TORN_DOWN_SQ_WORD.as_ptr()
}

/// Bytes of memory a ring of this shape needs (`io_uring_memory_size_params`):
/// 0 and the size, or `-errno` (and 0).
pub fn memory_size(entries: u32, p: &io_uring_params) -> (c_int, usize) {
    let (ret, sq, cq) = sq_cq_entries(entries, p);
    if ret < 0 {
        return (ret, 0);
    }
    let page = page_size();
    let mut cq_size = cqes_bytes(p.flags, cq) + KRING_HEADER_BYTES;
    if p.flags & IORING_SETUP_NO_SQARRAY == 0 {
        cq_size += sq as usize * size_of::<u32>();
    }
    let sq_size = align_up(sqes_bytes(p.flags, sq), page);
    (0, align_up(cq_size, page) + sq_size)
}

/// `io_uring_mlock_size_params`: 0 and the bytes a ring of this shape locks
/// (0 when the kernel does not need locked memory), or `-errno` (and 0).
/// `p` is `None` for a NULL params pointer: `-EFAULT`, but only when
/// locked memory is needed.
pub fn mlock_size(entries: u32, p: Option<&io_uring_params>) -> (c_int, usize) {
    if !needs_mlock(entries) {
        return (0, 0);
    }
    match p {
        Some(p) => memory_size(entries, p),
        None => (-libc::EFAULT, 0),
    }
}

/// Whether rings of `entries` entries need locked memory: not on kernels
/// that account ring memory to the cgroup (those with native workers), which
/// a short-lived ring of that size tells.
pub fn needs_mlock(entries: u32) -> bool {
    let mut ring = io_uring::zeroed();
    let mut p = io_uring_params::default();
    // SAFETY: no application memory is involved.
    if unsafe { queue_init_params(entries, &mut ring, &mut p, ptr::null_mut(), 0) }.0 == 0 {
        // SAFETY: set up just above.
        unsafe { queue_exit(&mut ring) };
    }
    p.features & IORING_FEAT_NATIVE_WORKERS == 0
}

/// `io_uring_ring_dontfork`: keeps the ring mappings out of forked
/// children; 0 or `-errno`.
///
/// # Safety
/// `ring` must be set up by this library.
pub unsafe fn ring_dontfork(ring: &io_uring) -> c_int {
    if ring.sq.ring_ptr.is_null() || ring.sq.sqes.is_null() || ring.cq.ring_ptr.is_null() {
        return -libc::EINVAL;
    }
    let sqes_len = sqes_bytes(ring.flags, ring.sq.ring_entries);
    // SAFETY: madvise on our own mappings.
    let ret = unsafe { os::madvise(ring.sq.sqes.cast(), sqes_len, libc::MADV_DONTFORK) };
    if ret < 0 {
        return ret;
    }
    // SAFETY: as above.
    let ret = unsafe { os::madvise(ring.sq.ring_ptr, ring.sq.ring_sz, libc::MADV_DONTFORK) };
    if ret < 0 || ring.cq.ring_ptr == ring.sq.ring_ptr {
        return ret;
    }
    // SAFETY: as above.
    unsafe { os::madvise(ring.cq.ring_ptr, ring.cq.ring_sz, libc::MADV_DONTFORK) }
}

#[cfg(test)]
mod torn_down_tests {
    use crate::capi::*;
    use crate::ring::io_uring;
    use core::ptr;

    /// After `io_uring_queue_exit` the ring is unusable but harmless: the
    /// queues are empty and full, kernel calls fail with EBADF, and a second
    /// exit leaves alone the fd number and the addresses the ring had, which
    /// may belong to something else by then.
    #[test]
    fn calls_after_exit_fail_cleanly_and_a_second_exit_touches_nothing() {
        let mut ring = io_uring::zeroed();
        // SAFETY: a zeroed struct io_uring for the library to fill in.
        unsafe {
            assert_eq!(io_uring_queue_init(8, &mut ring, 0), 0);
            let old_fd = ring.ring_fd;
            io_uring_queue_exit(&mut ring);

            assert!(io_uring_get_sqe(&mut ring).is_null());
            assert_eq!(io_uring_submit(&mut ring), 0);
            assert_eq!(io_uring_submit_and_wait(&mut ring, 1), -libc::EBADF);
            let mut cqe = ptr::null_mut();
            assert_eq!(io_uring_wait_cqe_nr(&mut ring, &mut cqe, 1), -libc::EBADF);
            assert_eq!(io_uring_peek_cqe(&mut ring, &mut cqe), -libc::EAGAIN);
            let mut cqes = [ptr::null_mut(); 4];
            assert_eq!(io_uring_peek_batch_cqe(&mut ring, cqes.as_mut_ptr(), 4), 0);
            io_uring_cq_advance(&mut ring, 3);
            assert_eq!(io_uring_cq_ready(&ring), 0);
            assert_eq!(io_uring_sq_space_left(&ring), 0);
            assert_eq!(io_uring_register_files(&mut ring, [0].as_ptr(), 1), -libc::EBADF);

            // The old fd number is free again: take it, and exit once more.
            let reused = libc::dup(2);
            assert_eq!(reused, old_fd, "the closed ring fd is the lowest free number");
            io_uring_queue_exit(&mut ring);
            assert_ne!(
                libc::fcntl(reused, libc::F_GETFD),
                -1,
                "second exit closed another file"
            );
            libc::close(reused);
        }
    }
}
