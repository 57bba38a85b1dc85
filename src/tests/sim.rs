//! Rings simulated in plain memory, with no kernel involved: the one
//! simulator of the unit tests (`src/tests/ring_sim.rs`, `ring.rs`) and the
//! fuzz crate (`fuzz/`, built with `--cfg fuzzing`). The test plays the
//! kernel's part: it posts CQEs, moves the SQ head, sets the flag words.
//! Every array sits between inaccessible guard pages, so a stray read faults
//! at once and a stray write shows in the canary [`SimRing::check_canaries`]
//! reads.

use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::ring::io_uring;
use crate::sys::{io_uring_cqe, io_uring_sqe, IORING_CQE_F_32};

const CANARY: u8 = 0xa5;

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as usize }
}

/// `len` bytes between two PROT_NONE guard pages. The object sits against
/// one guard page (chosen by `at_end`); the slack on the other side is
/// filled with a canary that `check` verifies, so stray reads past the near
/// edge fault at once and stray writes past the far edge are caught.
pub struct Guarded {
    base: *mut u8,
    total: usize,
    ptr: *mut u8,
    len: usize,
    /// Accessible bytes between the guards.
    inner: *mut u8,
    inner_len: usize,
}

thread_local! {
    /// Released regions, reused by size: a fresh mmap/mprotect/munmap per
    /// array and input would dominate the fuzzing time.
    static POOL: std::cell::RefCell<Vec<(usize, *mut u8)>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Guarded {
    pub fn new(len: usize, at_end: bool) -> Self {
        assert!(len > 0);
        let page = page_size();
        let inner_len = len.div_ceil(page) * page;
        let total = inner_len + 2 * page;
        let pooled = POOL.with(|p| {
            let mut p = p.borrow_mut();
            let i = p.iter().position(|&(t, _)| t == total)?;
            Some(p.swap_remove(i).1)
        });
        let base = match pooled {
            Some(b) => b,
            None => Self::map(total, page, inner_len),
        };
        // SAFETY: inside the mapping.
        let inner = unsafe { base.add(page) };
        // SAFETY: inner_len bytes are writable.
        unsafe { ptr::write_bytes(inner, CANARY, inner_len) };
        let ptr = if at_end {
            // SAFETY: len <= inner_len.
            unsafe { inner.add(inner_len - len) }
        } else {
            inner
        };
        // SAFETY: the object's bytes.
        unsafe { ptr::write_bytes(ptr, 0, len) };
        Guarded {
            base,
            total,
            ptr,
            len,
            inner,
            inner_len,
        }
    }

    /// A mapping of `total` bytes whose first and last page are PROT_NONE.
    fn map(total: usize, page: usize, inner_len: usize) -> *mut u8 {
        // SAFETY: a fresh anonymous mapping.
        let base = unsafe {
            libc::mmap(
                ptr::null_mut(),
                total,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(base != libc::MAP_FAILED, "mmap of guarded region failed");
        let base = base as *mut u8;
        // SAFETY: the middle pages of our own mapping.
        let rc = unsafe { libc::mprotect(base.add(page).cast(), inner_len, libc::PROT_READ | libc::PROT_WRITE) };
        assert_eq!(rc, 0, "mprotect failed");
        base
    }

    pub fn ptr(&self) -> *mut u8 {
        self.ptr
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether `[p, p + size)` lies inside the object.
    pub fn contains(&self, p: *const u8, size: usize) -> bool {
        let start = self.ptr as usize;
        let p = p as usize;
        p >= start && p.checked_add(size).is_some_and(|e| e <= start + self.len)
    }

    /// Panics if anything wrote into the slack next to the object.
    pub fn check(&self) {
        let before = self.ptr as usize - self.inner as usize;
        let after = self.inner_len - before - self.len;
        // SAFETY: both slack areas are inside the accessible middle pages.
        let (lo, hi) = unsafe {
            (
                std::slice::from_raw_parts(self.inner, before),
                std::slice::from_raw_parts(self.ptr.add(self.len), after),
            )
        };
        assert!(lo.iter().all(|&b| b == CANARY), "write below a ring array");
        assert!(hi.iter().all(|&b| b == CANARY), "write above a ring array");
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        let kept = POOL.with(|p| {
            let mut p = p.borrow_mut();
            if p.len() < 64 {
                p.push((self.total, self.base));
                true
            } else {
                false
            }
        });
        if !kept {
            // SAFETY: our own mapping.
            unsafe { libc::munmap(self.base.cast(), self.total) };
        }
    }
}

/// The words a ring keeps in shared memory: head, tail, mask, entries,
/// flags, dropped/overflow.
pub const W_HEAD: usize = 0;
pub const W_TAIL: usize = 1;
pub const W_MASK: usize = 2;
pub const W_ENTRIES: usize = 3;
pub const W_FLAGS: usize = 4;
pub const W_DROPPED: usize = 5;
pub const NWORDS: usize = 6;

/// A ring in plain memory, shaped as `io_uring_queue_init` would leave it,
/// with every array fenced by guard pages.
pub struct SimRing {
    pub ring: io_uring,
    pub sq_words: Guarded,
    pub cq_words: Guarded,
    pub sq_array: Guarded,
    pub sqes: Guarded,
    pub cqes: Guarded,
}

impl SimRing {
    /// `flags` are `IORING_SETUP_*` (CQE32, CQE_MIXED, SQE128, SQPOLL,
    /// SQ_REWIND ...); entries must be powers of two.
    pub fn new(
        sq_entries: u32,
        cq_entries: u32,
        flags: u32,
        features: u32,
        sq_start: u32,
        cq_start: u32,
        at_end: bool,
    ) -> Self {
        assert!(sq_entries.is_power_of_two() && cq_entries.is_power_of_two());
        let sqe_shift = crate::ring::sqe_shift_from_flags(flags);
        let cqe_shift = crate::ring::cqe_shift_from_flags(flags);
        let words = NWORDS * 4;
        let sq_words = Guarded::new(words, at_end);
        let cq_words = Guarded::new(words, at_end);
        let sq_array = Guarded::new(sq_entries as usize * 4, at_end);
        let sqes = Guarded::new((sq_entries as usize) << sqe_shift << 6, at_end);
        let cqes = Guarded::new((cq_entries as usize) << cqe_shift << 4, at_end);
        let mut ring = io_uring::zeroed();
        let sw = sq_words.ptr() as *mut u32;
        let cw = cq_words.ptr() as *mut u32;
        // SAFETY: the word areas hold NWORDS u32 each.
        unsafe {
            *sw.add(W_HEAD) = sq_start;
            *sw.add(W_TAIL) = sq_start;
            *sw.add(W_MASK) = sq_entries - 1;
            *sw.add(W_ENTRIES) = sq_entries;
            *cw.add(W_HEAD) = cq_start;
            *cw.add(W_TAIL) = cq_start;
            *cw.add(W_MASK) = cq_entries - 1;
            *cw.add(W_ENTRIES) = cq_entries;
            ring.sq.khead = sw.add(W_HEAD);
            ring.sq.ktail = sw.add(W_TAIL);
            ring.sq.kring_mask = sw.add(W_MASK);
            ring.sq.kring_entries = sw.add(W_ENTRIES);
            ring.sq.kflags = sw.add(W_FLAGS);
            ring.sq.kdropped = sw.add(W_DROPPED);
            ring.cq.khead = cw.add(W_HEAD);
            ring.cq.ktail = cw.add(W_TAIL);
            ring.cq.kring_mask = cw.add(W_MASK);
            ring.cq.kring_entries = cw.add(W_ENTRIES);
            ring.cq.kflags = cw.add(W_FLAGS);
            ring.cq.koverflow = cw.add(W_DROPPED);
        }
        let array = sq_array.ptr() as *mut u32;
        for i in 0..sq_entries {
            // SAFETY: sq_entries words.
            unsafe { *array.add(i as usize) = i };
        }
        ring.sq.array = array;
        ring.sq.sqes = sqes.ptr() as *mut io_uring_sqe;
        ring.sq.sqe_head = sq_start;
        ring.sq.sqe_tail = sq_start;
        ring.sq.ring_mask = sq_entries - 1;
        ring.sq.ring_entries = sq_entries;
        ring.sq.sqes_sz = sqes.len() as u32;
        ring.cq.cqes = cqes.ptr() as *mut io_uring_cqe;
        ring.cq.ring_mask = cq_entries - 1;
        ring.cq.ring_entries = cq_entries;
        ring.set_setup_flags(flags);
        ring.features = features;
        ring.ring_fd = -1;
        ring.enter_ring_fd = -1;
        SimRing {
            ring,
            sq_words,
            cq_words,
            sq_array,
            sqes,
            cqes,
        }
    }

    fn word(g: &Guarded, i: usize) -> &AtomicU32 {
        // SAFETY: index < NWORDS inside the guarded word area, which lives as
        // long as the SimRing.
        unsafe { AtomicU32::from_ptr((g.ptr() as *mut u32).add(i)) }
    }

    pub fn sq_word(&self, i: usize) -> u32 {
        Self::word(&self.sq_words, i).load(Ordering::Acquire)
    }

    pub fn set_sq_word(&self, i: usize, v: u32) {
        Self::word(&self.sq_words, i).store(v, Ordering::Release)
    }

    pub fn cq_word(&self, i: usize) -> u32 {
        Self::word(&self.cq_words, i).load(Ordering::Acquire)
    }

    pub fn set_cq_word(&self, i: usize, v: u32) {
        Self::word(&self.cq_words, i).store(v, Ordering::Release)
    }

    /// Bytes per CQ slot (16, or 32 with CQE32).
    pub fn cq_slot_bytes(&self) -> usize {
        16 << crate::ring::cqe_shift_from_flags(self.ring.flags)
    }

    /// Bytes per SQ slot (64, or 128 with SQE128).
    pub fn sq_slot_bytes(&self) -> usize {
        64 << crate::ring::sqe_shift_from_flags(self.ring.flags)
    }

    /// The address of CQ slot `index` (modulo the ring), as the kernel
    /// would write it.
    pub fn cq_slot(&self, index: u32) -> *mut u8 {
        let slot = (index & self.ring.cq.ring_mask) as usize;
        // SAFETY: slot < entries, inside the CQE array.
        unsafe { self.cqes.ptr().add(slot * self.cq_slot_bytes()) }
    }

    pub fn sq_slot(&self, index: u32) -> *mut u8 {
        let slot = (index & self.ring.sq.ring_mask) as usize;
        // SAFETY: slot < entries, inside the SQE array.
        unsafe { self.sqes.ptr().add(slot * self.sq_slot_bytes()) }
    }

    /// Whether `p` is the start of a CQ slot of this ring (16 or 32 bytes
    /// apart), with `bytes` readable from it.
    pub fn is_cq_slot(&self, p: *const u8, bytes: usize) -> bool {
        self.cqes.contains(p, bytes) && (p as usize - self.cqes.ptr() as usize).is_multiple_of(self.cq_slot_bytes())
    }

    /// The kernel posts a CQE at the CQ tail: one slot, or two with
    /// `IORING_CQE_F_32` (the second half, `big_cqe[]`, gets a pattern that
    /// no test expects as a CQE).
    pub fn post(&self, user_data: u64, res: i32, flags: u32) {
        let tail = self.cq_word(W_TAIL);
        let big = flags & IORING_CQE_F_32 != 0;
        let cqe = Cqe {
            user_data,
            res,
            flags,
            big: None,
        };
        // SAFETY: a slot of the CQE array, 16 bytes.
        unsafe { write_cqe(self.cq_slot(tail), &cqe) };
        if big {
            let second = Cqe {
                user_data: !user_data,
                res: -1,
                flags: 0xdead,
                big: None,
            };
            // SAFETY: a 32-byte CQE of a mixed ring takes two 16-byte slots,
            // and the kernel never starts one on the last slot.
            unsafe { write_cqe(self.cq_slot(tail).add(16), &second) };
        }
        self.set_cq_word(W_TAIL, tail.wrapping_add(1 + big as u32));
    }

    /// The 16-byte unit of the CQE array that `cqe` starts at.
    pub fn unit_of(&self, cqe: *const io_uring_cqe) -> usize {
        (cqe as usize - self.cqes.ptr() as usize) / 16
    }

    /// The 64-byte unit of the SQE array that `sqe` starts at.
    pub fn sqe_index(&self, sqe: *const io_uring_sqe) -> usize {
        (sqe as usize - self.sqes.ptr() as usize) / 64
    }

    /// The SQE array in 64-byte units.
    pub fn sqes(&self) -> &[io_uring_sqe] {
        // SAFETY: the guarded area holds this many SQEs and lives as long as
        // the SimRing; the library writes to it only inside calls that take
        // the ring, which need `&mut self` or the raw `rp()` pointer.
        unsafe { std::slice::from_raw_parts(self.sqes.ptr().cast(), self.sqes.len() / 64) }
    }

    /// The SQE array in 64-byte units, writable.
    pub fn sqes_mut(&mut self) -> &mut [io_uring_sqe] {
        // SAFETY: as in `sqes`, and `&mut self` excludes other borrows.
        unsafe { std::slice::from_raw_parts_mut(self.sqes.ptr().cast(), self.sqes.len() / 64) }
    }

    /// The ring as the exports take it.
    pub fn rp(&mut self) -> *mut io_uring {
        &mut self.ring
    }

    /// Every guard canary intact. Reads past an array fault on the guard
    /// page at once; writes into the slack are found here, once per input.
    pub fn check_canaries(&self) {
        self.sq_words.check();
        self.cq_words.check();
        self.sq_array.check();
        self.sqes.check();
        self.cqes.check();
    }
}

/// The kernel's view of one CQE as the simulation wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cqe {
    pub user_data: u64,
    pub res: i32,
    pub flags: u32,
    /// `big_cqe[]` of a 32-byte CQE.
    pub big: Option<[u64; 2]>,
}

/// Writes `c` into the CQ memory at `p`.
///
/// # Safety
/// `p` must have 16 (or 32 with `c.big`) writable bytes.
pub unsafe fn write_cqe(p: *mut u8, c: &Cqe) {
    let q = p as *mut io_uring_cqe;
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*q).user_data = c.user_data;
        (*q).res = c.res;
        (*q).flags = c.flags;
        if let Some(big) = c.big {
            let b = p.add(16) as *mut u64;
            *b = big[0];
            *b.add(1) = big[1];
        }
    }
}

/// Reads a CQE from `p`; `big` says whether to read `big_cqe[]`.
///
/// # Safety
/// `p` must have 16 (or 32) readable bytes.
pub unsafe fn read_cqe(p: *const u8, big: bool) -> Cqe {
    let q = p as *const io_uring_cqe;
    // SAFETY: guaranteed by the caller.
    unsafe {
        Cqe {
            user_data: (*q).user_data,
            res: (*q).res,
            flags: (*q).flags,
            big: if big {
                let b = p.add(16) as *const u64;
                Some([*b, *b.add(1)])
            } else {
                None
            },
        }
    }
}
