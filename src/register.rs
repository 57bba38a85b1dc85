//! `io_uring_register(2)` wrappers: resources, eventfds, personalities,
//! restrictions, ring fds, buffer rings and the rest.
//!
//! All of them return the kernel's answer in liburing's convention (a
//! non-negative value or `-errno`), so they hand back `c_int` directly.
//!
//! The raw pointers these functions take are never dereferenced here: they
//! are handed to the kernel, which copies from user memory and answers
//! `-EFAULT` for a bad address. Hence they are safe functions.

#![allow(clippy::not_unsafe_ptr_arg_deref)]

use core::ffi::{c_int, c_void};
use core::mem::size_of;
use core::ptr;

use crate::ring::*;
use crate::sys::*;

/// Registers on `ring`, through its registered ring index when the ring fd
/// itself was set up as registered-only.
#[inline]
pub fn do_register(ring: &io_uring, opcode: u32, arg: *const c_void, nr_args: u32) -> c_int {
    let (fd, opcode) = if ring.int_flags & INT_FLAG_REG_REG_RING != 0 {
        (ring.enter_ring_fd, opcode | IORING_REGISTER_USE_REGISTERED_RING)
    } else {
        (ring.ring_fd, opcode)
    };
    // SAFETY: each caller passes the argument its opcode expects; the kernel
    // validates user pointers and returns -EFAULT for bad ones.
    unsafe { io_uring_register(fd, opcode, arg, nr_args) }
}

fn arg<T>(v: &T) -> *const c_void {
    (v as *const T).cast()
}

/// Raises the soft `RLIMIT_NOFILE` by `nr` when it is below `nr`, as
/// liburing does once before retrying a file registration that hit EMFILE.
fn raise_nofile_limit(nr: u32) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: lim is a valid rlimit to fill.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } < 0 {
        return;
    }
    if lim.rlim_cur < nr as libc::rlim_t {
        lim.rlim_cur += nr as libc::rlim_t;
        // SAFETY: lim is valid; failure leaves the limit as it was.
        unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) };
    }
}

/// Runs a file registration, retrying once with a raised fd limit on EMFILE.
fn register_files_retrying(nr: u32, mut attempt: impl FnMut() -> c_int) -> c_int {
    let ret = attempt();
    if ret == -libc::EMFILE {
        raise_nofile_limit(nr);
        return attempt();
    }
    ret
}

pub fn register_buffers(ring: &io_uring, iovecs: *const libc::iovec, nr: u32) -> c_int {
    do_register(ring, IORING_REGISTER_BUFFERS, iovecs.cast(), nr)
}

pub fn register_buffers_tags(ring: &io_uring, iovecs: *const libc::iovec, tags: *const u64, nr: u32) -> c_int {
    let reg = io_uring_rsrc_register {
        nr,
        data: iovecs as u64,
        tags: tags as u64,
        ..Default::default()
    };
    do_register(
        ring,
        IORING_REGISTER_BUFFERS2,
        arg(&reg),
        size_of::<io_uring_rsrc_register>() as u32,
    )
}

pub fn register_buffers_sparse(ring: &io_uring, nr: u32) -> c_int {
    let reg = io_uring_rsrc_register {
        nr,
        flags: IORING_RSRC_REGISTER_SPARSE,
        ..Default::default()
    };
    do_register(
        ring,
        IORING_REGISTER_BUFFERS2,
        arg(&reg),
        size_of::<io_uring_rsrc_register>() as u32,
    )
}

pub fn register_buffers_update_tag(
    ring: &io_uring,
    off: u32,
    iovecs: *const libc::iovec,
    tags: *const u64,
    nr: u32,
) -> c_int {
    let up = io_uring_rsrc_update2 {
        offset: off,
        data: iovecs as u64,
        tags: tags as u64,
        nr,
        ..Default::default()
    };
    do_register(
        ring,
        IORING_REGISTER_BUFFERS_UPDATE,
        arg(&up),
        size_of::<io_uring_rsrc_update2>() as u32,
    )
}

pub fn unregister_buffers(ring: &io_uring) -> c_int {
    do_register(ring, IORING_UNREGISTER_BUFFERS, ptr::null(), 0)
}

pub fn register_files(ring: &io_uring, files: *const c_int, nr: u32) -> c_int {
    register_files_retrying(nr, || do_register(ring, IORING_REGISTER_FILES, files.cast(), nr))
}

pub fn register_files_tags(ring: &io_uring, files: *const c_int, tags: *const u64, nr: u32) -> c_int {
    let reg = io_uring_rsrc_register {
        nr,
        data: files as u64,
        tags: tags as u64,
        ..Default::default()
    };
    register_files_retrying(nr, || {
        do_register(
            ring,
            IORING_REGISTER_FILES2,
            arg(&reg),
            size_of::<io_uring_rsrc_register>() as u32,
        )
    })
}

pub fn register_files_sparse(ring: &io_uring, nr: u32) -> c_int {
    let reg = io_uring_rsrc_register {
        nr,
        flags: IORING_RSRC_REGISTER_SPARSE,
        ..Default::default()
    };
    register_files_retrying(nr, || {
        do_register(
            ring,
            IORING_REGISTER_FILES2,
            arg(&reg),
            size_of::<io_uring_rsrc_register>() as u32,
        )
    })
}

pub fn register_files_update(ring: &io_uring, off: u32, files: *const c_int, nr: u32) -> c_int {
    let up = io_uring_rsrc_update {
        offset: off,
        data: files as u64,
        ..Default::default()
    };
    do_register(ring, IORING_REGISTER_FILES_UPDATE, arg(&up), nr)
}

pub fn register_files_update_tag(ring: &io_uring, off: u32, files: *const c_int, tags: *const u64, nr: u32) -> c_int {
    let up = io_uring_rsrc_update2 {
        offset: off,
        data: files as u64,
        tags: tags as u64,
        nr,
        ..Default::default()
    };
    do_register(
        ring,
        IORING_REGISTER_FILES_UPDATE2,
        arg(&up),
        size_of::<io_uring_rsrc_update2>() as u32,
    )
}

pub fn unregister_files(ring: &io_uring) -> c_int {
    do_register(ring, IORING_UNREGISTER_FILES, ptr::null(), 0)
}

pub fn register_eventfd(ring: &io_uring, fd: c_int, is_async: bool) -> c_int {
    let op = if is_async {
        IORING_REGISTER_EVENTFD_ASYNC
    } else {
        IORING_REGISTER_EVENTFD
    };
    do_register(ring, op, arg(&fd), 1)
}

pub fn unregister_eventfd(ring: &io_uring) -> c_int {
    do_register(ring, IORING_UNREGISTER_EVENTFD, ptr::null(), 0)
}

pub fn register_probe(ring: &io_uring, probe: *mut io_uring_probe, nr_ops: u32) -> c_int {
    do_register(ring, IORING_REGISTER_PROBE, probe.cast_const().cast(), nr_ops)
}

pub fn register_personality(ring: &io_uring) -> c_int {
    do_register(ring, IORING_REGISTER_PERSONALITY, ptr::null(), 0)
}

pub fn unregister_personality(ring: &io_uring, id: c_int) -> c_int {
    do_register(ring, IORING_UNREGISTER_PERSONALITY, ptr::null(), id as u32)
}

pub fn register_restrictions(ring: &io_uring, res: *const io_uring_restriction, nr: u32) -> c_int {
    do_register(ring, IORING_REGISTER_RESTRICTIONS, res.cast(), nr)
}

pub fn enable_rings(ring: &io_uring) -> c_int {
    do_register(ring, IORING_REGISTER_ENABLE_RINGS, ptr::null(), 0)
}

pub fn register_iowq_aff(ring: &io_uring, cpusz: usize, mask: *const libc::cpu_set_t) -> c_int {
    if cpusz >= 1 << 31 {
        return -libc::EINVAL;
    }
    do_register(ring, IORING_REGISTER_IOWQ_AFF, mask.cast(), cpusz as u32)
}

pub fn unregister_iowq_aff(ring: &io_uring) -> c_int {
    do_register(ring, IORING_UNREGISTER_IOWQ_AFF, ptr::null(), 0)
}

pub fn register_iowq_max_workers(ring: &io_uring, values: *mut u32) -> c_int {
    do_register(ring, IORING_REGISTER_IOWQ_MAX_WORKERS, values.cast_const().cast(), 2)
}

/// Registers the ring fd so that `io_uring_enter` can skip the fd lookup;
/// returns 1 on success, `-EEXIST` when already registered.
pub fn register_ring_fd(ring: &mut io_uring) -> c_int {
    if ring.int_flags & INT_FLAG_REG_RING != 0 {
        return -libc::EEXIST;
    }
    let mut up = io_uring_rsrc_update {
        offset: u32::MAX,
        data: ring.ring_fd as u64,
        ..Default::default()
    };
    let ret = do_register(
        ring,
        IORING_REGISTER_RING_FDS,
        (&mut up as *mut io_uring_rsrc_update).cast(),
        1,
    );
    if ret == 1 {
        // The kernel wrote the chosen index back into `offset`.
        ring.enter_ring_fd = up.offset as c_int;
        ring.int_flags |= INT_FLAG_REG_RING;
        if ring.features & IORING_FEAT_REG_REG_RING != 0 {
            ring.int_flags |= INT_FLAG_REG_REG_RING;
        }
    }
    ret
}

pub fn unregister_ring_fd(ring: &mut io_uring) -> c_int {
    if ring.int_flags & INT_FLAG_REG_RING == 0 {
        return -libc::EINVAL;
    }
    let up = io_uring_rsrc_update {
        offset: ring.enter_ring_fd as u32,
        ..Default::default()
    };
    let ret = do_register(ring, IORING_UNREGISTER_RING_FDS, arg(&up), 1);
    if ret == 1 {
        ring.enter_ring_fd = ring.ring_fd;
        ring.int_flags &= !(INT_FLAG_REG_RING | INT_FLAG_REG_REG_RING);
    }
    ret
}

/// Closes the ring's plain fd once it is registered, leaving only the
/// registered index; returns 1 on success.
pub fn close_ring_fd(ring: &mut io_uring) -> c_int {
    if ring.features & IORING_FEAT_REG_REG_RING == 0 {
        return -libc::EOPNOTSUPP;
    }
    if ring.int_flags & INT_FLAG_REG_RING == 0 {
        return -libc::EINVAL;
    }
    if ring.ring_fd == -1 {
        return -libc::EBADF;
    }
    let _ = crate::os::close(ring.ring_fd);
    ring.ring_fd = -1;
    1
}

pub fn register_buf_ring(ring: &io_uring, reg: &mut io_uring_buf_reg, flags: u32) -> c_int {
    reg.flags |= flags as u16;
    do_register(ring, IORING_REGISTER_PBUF_RING, arg(reg), 1)
}

pub fn unregister_buf_ring(ring: &io_uring, bgid: c_int) -> c_int {
    let reg = io_uring_buf_reg {
        bgid: bgid as u16,
        ..Default::default()
    };
    do_register(ring, IORING_UNREGISTER_PBUF_RING, arg(&reg), 1)
}

/// The kernel's head of buffer group `bgid`: 0 and the head, or the
/// `-errno` of asking for it (and 0).
pub fn buf_ring_head(ring: &io_uring, bgid: c_int) -> (c_int, u16) {
    let mut status = io_uring_buf_status {
        buf_group: bgid as u32,
        ..Default::default()
    };
    let ret = do_register(
        ring,
        IORING_REGISTER_PBUF_STATUS,
        (&mut status as *mut io_uring_buf_status).cast(),
        1,
    );
    if ret != 0 {
        return (ret, 0);
    }
    (0, status.head as u16)
}

pub fn register_sync_cancel(ring: &io_uring, reg: *mut io_uring_sync_cancel_reg) -> c_int {
    do_register(ring, IORING_REGISTER_SYNC_CANCEL, reg.cast_const().cast(), 1)
}

/// Sends a message SQE without a source ring (`IORING_REGISTER_SEND_MSG_RING`).
pub fn register_sync_msg(sqe: *mut io_uring_sqe) -> c_int {
    // SAFETY: the kernel copies one SQE from the pointer and validates it.
    unsafe { io_uring_register(-1, IORING_REGISTER_SEND_MSG_RING, sqe.cast_const().cast(), 1) }
}

pub fn register_file_alloc_range(ring: &io_uring, off: u32, len: u32) -> c_int {
    let range = io_uring_file_index_range { off, len, resv: 0 };
    do_register(ring, IORING_REGISTER_FILE_ALLOC_RANGE, arg(&range), 0)
}

pub fn register_napi(ring: &io_uring, napi: *mut io_uring_napi, register: bool) -> c_int {
    let op = if register {
        IORING_REGISTER_NAPI
    } else {
        IORING_UNREGISTER_NAPI
    };
    do_register(ring, op, napi.cast_const().cast(), 1)
}

pub fn register_clock(ring: &io_uring, clock: *mut io_uring_clock_register) -> c_int {
    do_register(ring, IORING_REGISTER_CLOCK, clock.cast_const().cast(), 0)
}

/// `__io_uring_clone_buffers_offset`: clones registered buffers of `src`
/// into `dst`, with exactly the caller's flags (see [`clone_buffers_arg`]).
pub fn clone_buffers_offset(dst: &io_uring, src: &io_uring, dst_off: u32, src_off: u32, nr: u32, flags: u32) -> c_int {
    let buf = clone_buffers_arg(src, dst_off, src_off, nr, flags);
    do_register(dst, IORING_REGISTER_CLONE_BUFFERS, arg(&buf), 1)
}

/// `io_uring_clone_buffers_offset`: [`clone_buffers_offset`] naming `src` by
/// its registered ring fd when it has one.
pub fn clone_buffers_offset_registered(
    dst: &io_uring,
    src: &io_uring,
    dst_off: u32,
    src_off: u32,
    nr: u32,
    flags: u32,
) -> c_int {
    clone_buffers_offset(dst, src, dst_off, src_off, nr, flags | IORING_REGISTER_SRC_REGISTERED)
}

/// `io_uring_clone_buffers`: all of `src`'s buffers, `src` named by its
/// registered ring fd when it has one.
pub fn clone_buffers(dst: &io_uring, src: &io_uring) -> c_int {
    clone_buffers_offset(dst, src, 0, 0, 0, IORING_REGISTER_SRC_REGISTERED)
}

/// `__io_uring_clone_buffers`: all of `src`'s buffers, with exactly the
/// caller's flags.
pub fn clone_buffers_flags(dst: &io_uring, src: &io_uring, flags: u32) -> c_int {
    clone_buffers_offset(dst, src, 0, 0, 0, flags)
}

/// The clone request for `src`. With `IORING_REGISTER_SRC_REGISTERED`,
/// `src` is named by its registered index when it has one, else by its plain
/// fd (and the flag is dropped).
pub fn clone_buffers_arg(src: &io_uring, dst_off: u32, src_off: u32, nr: u32, flags: u32) -> io_uring_clone_buffers {
    let mut buf = io_uring_clone_buffers {
        flags,
        src_off,
        dst_off,
        nr,
        ..Default::default()
    };
    if flags & IORING_REGISTER_SRC_REGISTERED != 0 && src.int_flags & INT_FLAG_REG_REG_RING != 0 {
        buf.src_fd = src.enter_ring_fd as u32;
    } else {
        buf.src_fd = src.ring_fd as u32;
        buf.flags &= !IORING_REGISTER_SRC_REGISTERED;
    }
    buf
}

pub fn register_ifq(ring: &io_uring, reg: *mut io_uring_zcrx_ifq_reg) -> c_int {
    do_register(ring, IORING_REGISTER_ZCRX_IFQ, reg.cast_const().cast(), 1)
}

pub fn register_zcrx_ctrl(ring: &io_uring, ctrl: *mut zcrx_ctrl) -> c_int {
    do_register(ring, IORING_REGISTER_ZCRX_CTRL, ctrl.cast_const().cast(), 0)
}

pub fn register_region(ring: &io_uring, reg: *mut io_uring_mem_region_reg) -> c_int {
    do_register(ring, IORING_REGISTER_MEM_REGION, reg.cast_const().cast(), 1)
}

pub fn register_bpf_filter(ring: &io_uring, bpf: *mut io_uring_bpf) -> c_int {
    do_register(ring, IORING_REGISTER_BPF_FILTER, bpf.cast_const().cast(), 1)
}

/// A BPF filter for the calling task rather than one ring.
pub fn register_bpf_filter_task(bpf: *mut io_uring_bpf) -> c_int {
    // SAFETY: the kernel copies and validates the filter description.
    unsafe { io_uring_register(-1, IORING_REGISTER_BPF_FILTER, bpf.cast_const().cast(), 1) }
}

/// Asks the kernel about its io_uring capabilities (no ring needed).
pub fn register_query(query: *mut io_uring_query_hdr) -> c_int {
    // SAFETY: the kernel walks the query chain and validates every pointer.
    unsafe { io_uring_register(-1, IORING_REGISTER_QUERY, query.cast_const().cast(), 0) }
}

/// `io_uring_set_iowait`: whether waits count as iowait (kernels with
/// `IORING_FEAT_NO_IOWAIT` only).
pub fn set_iowait(ring: &mut io_uring, enable: bool) -> c_int {
    if ring.features & IORING_FEAT_NO_IOWAIT == 0 {
        return -libc::EOPNOTSUPP;
    }
    if enable {
        ring.int_flags &= !INT_FLAG_NO_IOWAIT;
    } else {
        ring.int_flags |= INT_FLAG_NO_IOWAIT;
    }
    0
}

/// `io_uring_resize_rings`: asks the kernel for new ring sizes and remaps.
/// SQEs handed out but not submitted keep their indexes.
pub fn resize_rings(ring: &mut io_uring, p: &mut io_uring_params) -> c_int {
    let ret = resize_rings_inner(ring, p);
    // liburing clears the flags for the params' next use.
    p.flags = 0;
    ret
}

fn resize_rings_inner(ring: &mut io_uring, p: &mut io_uring_params) -> c_int {
    if ring.flags & IORING_SETUP_NO_MMAP != 0 {
        return -libc::EINVAL;
    }
    p.sq_off = io_sqring_offsets::default();
    p.cq_off = io_cqring_offsets::default();
    let ret = do_register(
        ring,
        IORING_REGISTER_RESIZE_RINGS,
        (p as *mut io_uring_params).cast(),
        1,
    );
    if ret < 0 {
        return ret;
    }
    let mut fresh = io_uring::zeroed();
    // SAFETY: p was filled by the kernel for this ring fd.
    let ret = unsafe { crate::mapping::mmap_rings(ring.ring_fd, p, &mut fresh.sq, &mut fresh.cq) };
    if ret < 0 {
        return ret;
    }
    let (head, tail) = (ring.sq.sqe_head, ring.sq.sqe_tail);
    // SAFETY: the old mappings are ours and replaced below.
    unsafe {
        crate::os::munmap(ring.sq.sqes.cast(), ring.sq.sqes_sz as usize);
        crate::mapping::unmap_rings(&mut ring.sq, &mut ring.cq);
    }
    ring.sq = fresh.sq;
    ring.cq = fresh.cq;
    ring.sq.sqe_head = head;
    ring.sq.sqe_tail = tail;
    if p.flags & IORING_SETUP_NO_SQARRAY == 0 {
        for i in 0..p.sq_entries {
            // SAFETY: the new array has sq_entries elements.
            unsafe { *ring.sq.array.add(i as usize) = i };
        }
    }
    0
}
