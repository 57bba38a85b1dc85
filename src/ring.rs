//! `struct io_uring` and the shared-memory protocol with the kernel.
//!
//! Binaries built against upstream liburing inline code that reads these
//! structs directly, so their layout is fixed to the byte. Every access to
//! the kernel-shared words (`khead`, `ktail`, `kflags`, ...) lives here and
//! names the kernel access it pairs with.

use crate::sync::{atomic_u32, fence, Ordering};
use crate::sys::*;
use core::ffi::{c_int, c_void};
use core::ptr;

/// The submission queue as the application sees it.
#[repr(C)]
#[derive(Debug)]
pub struct io_uring_sq {
    pub khead: *mut u32,
    pub ktail: *mut u32,
    /// Deprecated by upstream: use `ring_mask`.
    pub kring_mask: *mut u32,
    /// Deprecated by upstream: use `ring_entries`.
    pub kring_entries: *mut u32,
    pub kflags: *mut u32,
    pub kdropped: *mut u32,
    pub array: *mut u32,
    pub sqes: *mut io_uring_sqe,
    /// Entries up to here have been published to the kernel (`ktail`).
    pub sqe_head: u32,
    /// Entries up to here have been handed out by `io_uring_get_sqe`.
    pub sqe_tail: u32,
    pub ring_sz: usize,
    pub ring_ptr: *mut c_void,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub sqes_sz: u32,
    pub pad: u32,
}

/// The completion queue as the application sees it.
#[repr(C)]
#[derive(Debug)]
pub struct io_uring_cq {
    pub khead: *mut u32,
    pub ktail: *mut u32,
    /// Deprecated by upstream: use `ring_mask`.
    pub kring_mask: *mut u32,
    /// Deprecated by upstream: use `ring_entries`.
    pub kring_entries: *mut u32,
    pub kflags: *mut u32,
    pub koverflow: *mut u32,
    pub cqes: *mut io_uring_cqe,
    pub ring_sz: usize,
    pub ring_ptr: *mut c_void,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub pad: [u32; 2],
}

/// `struct io_uring`: one ring, as `io_uring_queue_init` fills it in.
#[repr(C)]
#[derive(Debug)]
pub struct io_uring {
    pub sq: io_uring_sq,
    pub cq: io_uring_cq,
    pub flags: u32,
    pub ring_fd: c_int,
    pub features: u32,
    /// The fd (or registered index) passed to `io_uring_enter`.
    pub enter_ring_fd: c_int,
    /// Library-private state, see the `INT_FLAG_*` constants; the same bits
    /// as upstream's library sets.
    pub int_flags: u8,
    /// Padding that upstream's library never reads; this library keeps a
    /// copy of two set-up flags in `pad[0]` (docs/FFI.md).
    pub pad: [u8; 3],
    pub pad2: u32,
}

// Each value is by_width(LP64, ILP32): upstream's header as x86_64/arm64 and
// as i386/armhf lay it out (pointers and size_t are 8 or 4 bytes).
use crate::sys::by_width as w;
crate::sys::assert_layout!(io_uring_sq, w(104, 64), khead @ 0, ktail @ w(8, 4), kring_mask @ w(16, 8),
    kring_entries @ w(24, 12), kflags @ w(32, 16), kdropped @ w(40, 20), array @ w(48, 24), sqes @ w(56, 28),
    sqe_head @ w(64, 32), sqe_tail @ w(68, 36), ring_sz @ w(72, 40), ring_ptr @ w(80, 44), ring_mask @ w(88, 48),
    ring_entries @ w(92, 52), sqes_sz @ w(96, 56), pad @ w(100, 60));
crate::sys::assert_layout!(io_uring_cq, w(88, 52), khead @ 0, ktail @ w(8, 4), kring_mask @ w(16, 8),
    kring_entries @ w(24, 12), kflags @ w(32, 16), koverflow @ w(40, 20), cqes @ w(48, 24), ring_sz @ w(56, 28),
    ring_ptr @ w(64, 32), ring_mask @ w(72, 36), ring_entries @ w(76, 40), pad @ w(80, 44));
crate::sys::assert_layout!(io_uring, w(216, 140), sq @ 0, cq @ w(104, 64), flags @ w(192, 116),
    ring_fd @ w(196, 120), features @ w(200, 124), enter_ring_fd @ w(204, 128), int_flags @ w(208, 132),
    pad @ w(209, 133), pad2 @ w(212, 136));

/// `int_flags`: the ring fd is registered; `enter_ring_fd` is an index.
/// Equal to the enter flag so it can be passed straight through.
pub const INT_FLAG_REG_RING: u8 = IORING_ENTER_REGISTERED_RING as u8;
/// `int_flags`: waits must not be accounted as iowait (enter flag value).
pub const INT_FLAG_NO_IOWAIT: u8 = IORING_ENTER_NO_IOWAIT as u8;
/// `int_flags`: the ring was set up with `IORING_SETUP_REGISTERED_FD_ONLY`.
pub const INT_FLAG_REG_REG_RING: u8 = 1;
/// `int_flags`: the ring memory belongs to the application.
pub const INT_FLAG_APP_MEM: u8 = 2;
/// `int_flags`: completions only appear after entering the kernel (IOPOLL).
pub const INT_FLAG_CQ_ENTER: u8 = 4;
/// `pad[0]`: the ring was set up with `IORING_SETUP_SQPOLL` or
/// `IORING_SETUP_SQ_REWIND` (a copy of those two bits of `flags`, kept by
/// [`io_uring::set_setup_flags`]). The submit path tests this one bit where
/// testing two bits of `flags` costs, on aarch64, a mask that is no
/// immediate. It lives in the padding, not in `int_flags`, so that the
/// state a caller can see in the fields upstream's library sets is the same
/// as upstream's after set-up.
pub const SETUP_SQPOLL_OR_REWIND: u8 = 1;
/// The `int_flags` bits that are also `io_uring_enter` flags: all but the
/// three private ones, and the fourth low bit, which is never set. Only
/// `INT_FLAG_REG_RING` and `INT_FLAG_NO_IOWAIT` are ever set among them, so
/// this selects exactly those two; spelled as a run of ones it is one
/// instruction's immediate on aarch64 (0x90 needs a register).
const INT_FLAGS_ENTER_MASK: u8 = !(INT_FLAG_REG_REG_RING | INT_FLAG_APP_MEM | INT_FLAG_CQ_ENTER | 8);
const _: () =
    assert!(INT_FLAGS_ENTER_MASK & (INT_FLAG_REG_RING | INT_FLAG_NO_IOWAIT) == INT_FLAG_REG_RING | INT_FLAG_NO_IOWAIT);

impl io_uring {
    /// A ring with every field zero, as `io_uring_queue_init` starts from.
    pub const fn zeroed() -> Self {
        // SAFETY: all fields are integers or raw pointers, for which zero is valid.
        unsafe { core::mem::zeroed() }
    }

    /// Records the set-up flags (`IORING_SETUP_*`) of a ring being set up,
    /// with their private copy in `pad[0]`.
    #[inline(always)]
    pub fn set_setup_flags(&mut self, flags: u32) {
        self.flags = flags;
        let sqpoll_or_rewind = flags & (IORING_SETUP_SQ_REWIND | IORING_SETUP_SQPOLL) != 0;
        self.pad[0] = if sqpoll_or_rewind { SETUP_SQPOLL_OR_REWIND } else { 0 };
    }

    /// The `io_uring_enter` flags that every call on this ring carries.
    #[inline(always)]
    pub fn enter_flags(&self) -> u32 {
        (self.int_flags_and_pad0()[0] & INT_FLAGS_ENTER_MASK) as u32
    }

    /// log2 of the SQE size in units of 64 bytes.
    #[inline(always)]
    pub fn sqe_shift(&self) -> u32 {
        sqe_shift_from_flags(self.flags)
    }

    /// log2 of the CQE size in units of 16 bytes.
    #[inline(always)]
    pub fn cqe_shift(&self) -> u32 {
        cqe_shift_from_flags(self.flags)
    }

    // ---- SQ side ----

    /// The kernel's SQ head: how far it has consumed SQEs.
    #[inline(always)]
    pub fn load_sq_head(&self) -> u32 {
        // SAFETY: khead points into the mapped SQ ring while the ring is set up.
        let head = unsafe { atomic_u32(self.sq.khead) };
        if self.flags & IORING_SETUP_SQPOLL != 0 {
            // Acquire pairs with the SQ thread's smp_store_release of sq.head:
            // the kernel has finished reading SQEs before we reuse their slots.
            head.load(Ordering::Acquire)
        } else {
            // Without SQPOLL the kernel only moves head inside io_uring_enter,
            // which we called ourselves; READ_ONCE suffices.
            head.load(Ordering::Relaxed)
        }
    }

    /// SQEs handed out but not yet consumed by the kernel.
    #[inline(always)]
    pub fn sq_ready(&self) -> u32 {
        self.sq.sqe_tail.wrapping_sub(self.load_sq_head())
    }

    #[inline(always)]
    pub fn sq_space_left(&self) -> u32 {
        self.sq.ring_entries.wrapping_sub(self.sq_ready())
    }

    /// The next free SQE, with the fields that prep helpers do not always
    /// write cleared; NULL when the SQ is full.
    #[inline(always)]
    pub fn get_sqe(&mut self) -> *mut io_uring_sqe {
        let head = self.load_sq_head();
        let tail = self.sq.sqe_tail;
        if tail.wrapping_sub(head) >= self.sq.ring_entries {
            return ptr::null_mut();
        }
        let index = ((tail & self.sq.ring_mask) as usize) << self.sqe_shift();
        // SAFETY: index < ring_entries << shift, inside the mapped SQE array.
        let sqe = unsafe { self.sq.sqes.add(index) };
        self.sq.sqe_tail = tail.wrapping_add(1);
        // SAFETY: sqe points to a valid, application-owned SQE slot.
        unsafe { initialize_sqe(sqe) };
        sqe
    }

    /// Publishes the SQEs handed out so far to the kernel and returns how
    /// many the kernel has yet to consume.
    #[inline(always)]
    pub fn flush_sq(&mut self) -> u32 {
        let tail = self.sq.sqe_tail;
        // One test for the two set-up flags that change how SQEs are
        // published, so that a plain ring's straight line tests nothing else.
        if self.sq_rewind_or_sqpoll() {
            return self.flush_sq_rewind_or_sqpoll(tail);
        }
        self.flush_sq_plain(tail)
    }

    /// Whether the ring was set up with `IORING_SETUP_SQ_REWIND` or
    /// `IORING_SETUP_SQPOLL`, the two flags that change how SQEs are
    /// published and when the kernel must be entered.
    #[inline(always)]
    pub fn sq_rewind_or_sqpoll(&self) -> bool {
        debug_assert_eq!(
            self.pad[0] & SETUP_SQPOLL_OR_REWIND != 0,
            self.flags & (IORING_SETUP_SQ_REWIND | IORING_SETUP_SQPOLL) != 0,
            "pad[0] out of step with flags: set them with set_setup_flags"
        );
        self.int_flags_and_pad0()[1] & SETUP_SQPOLL_OR_REWIND != 0
    }

    /// `int_flags` and `pad[0]`, read together as one 16-bit load, which
    /// the compiler then reuses for the enter flags that the submit path
    /// reads after testing `pad[0]` (two byte loads otherwise).
    #[inline(always)]
    fn int_flags_and_pad0(&self) -> [u8; 2] {
        const _: () = assert!(core::mem::offset_of!(io_uring, pad) == core::mem::offset_of!(io_uring, int_flags) + 1);
        const _: () = assert!(core::mem::offset_of!(io_uring, int_flags) % 2 == 0);
        // SAFETY: int_flags and pad[0] are two adjacent bytes of *self at an
        // even offset (asserted above) of a struct aligned to at least 4, so
        // the u16 read is in bounds and aligned; both are integers. Their
        // order in memory is that of the array: native byte order.
        unsafe { ptr::addr_of!(self.int_flags).cast::<u16>().read() }.to_ne_bytes()
    }

    /// [`Self::flush_sq`] on a ring without `IORING_SETUP_SQ_REWIND` and
    /// `IORING_SETUP_SQPOLL` (the caller has tested that), from `tail`, the
    /// current `sqe_tail`.
    #[inline(always)]
    pub fn flush_sq_plain(&mut self, tail: u32) -> u32 {
        if self.sq.sqe_head != tail {
            self.sq.sqe_head = tail;
            // SAFETY: ktail points into the mapped SQ ring. Relaxed: the
            // kernel reads the tail inside io_uring_enter, which the syscall
            // orders after this store.
            unsafe { atomic_u32(self.sq.ktail) }.store(tail, Ordering::Relaxed);
        }
        self.sq_pending_from(tail)
    }

    /// [`Self::flush_sq`] on an `IORING_SETUP_SQ_REWIND` or
    /// `IORING_SETUP_SQPOLL` ring.
    #[inline(always)]
    pub fn flush_sq_rewind_or_sqpoll(&mut self, tail: u32) -> u32 {
        if self.flags & IORING_SETUP_SQ_REWIND != 0 {
            // Rare: out of the hot path's straight line.
            core::hint::cold_path();
            // The kernel reads from slot 0 on every submit and ignores the
            // indexes: restart handing out from the beginning.
            self.sq.sqe_tail = 0;
            return tail;
        }
        if self.sq.sqe_head != tail {
            self.sq.sqe_head = tail;
            // SAFETY: ktail points into the mapped SQ ring. Release pairs
            // with the SQ thread's smp_load_acquire of sq.tail: the SQE
            // contents are visible before the new tail.
            unsafe { atomic_u32(self.sq.ktail) }.store(tail, Ordering::Release);
        }
        self.sq_pending_from(tail)
    }

    /// How many SQEs up to `tail` the kernel has yet to consume.
    #[inline(always)]
    fn sq_pending_from(&self, tail: u32) -> u32 {
        // SAFETY: khead points into the mapped SQ ring. Relaxed: the kernel
        // writes head (smp_store_release) only to say slots are free again,
        // and nothing read here depends on SQE contents.
        let head = unsafe { atomic_u32(self.sq.khead) }.load(Ordering::Relaxed);
        opaque_u32(tail.wrapping_sub(head))
    }

    /// With SQPOLL, whether the SQ thread sleeps and must be woken.
    #[inline(always)]
    pub fn sq_needs_wakeup(&self) -> bool {
        // Full fence: our store of sq.tail must be visible before we read the
        // flags, pairing with the kernel's smp_mb() between setting
        // IORING_SQ_NEED_WAKEUP and re-checking the tail before it sleeps.
        fence(Ordering::SeqCst);
        self.load_sq_flags() & IORING_SQ_NEED_WAKEUP != 0
    }

    /// The SQ ring flags word (`IORING_SQ_*`), READ_ONCE.
    #[inline(always)]
    pub fn load_sq_flags(&self) -> u32 {
        // SAFETY: kflags points into the mapped SQ ring. Relaxed pairs with the
        // kernel's atomic_or/andnot of sq_flags; these are hints only.
        unsafe { atomic_u32(self.sq.kflags) }.load(Ordering::Relaxed)
    }

    /// A 128-byte SQE: on `IORING_SETUP_SQE128` rings any SQE; on
    /// `IORING_SETUP_SQE_MIXED` rings two adjacent 64-byte slots. When the
    /// next slot is the last of the ring, a NOP that posts no CQE on success
    /// fills it so that the big entry starts at slot 0. NULL when the ring
    /// has no room or supports no 128-byte entries.
    #[inline(always)]
    pub fn get_sqe128(&mut self) -> *mut io_uring_sqe {
        let head = self.load_sq_head();
        let mut tail = self.sq.sqe_tail;
        if self.flags & IORING_SETUP_SQE128 != 0 {
            return self.get_sqe();
        }
        if self.flags & IORING_SETUP_SQE_MIXED == 0 {
            return ptr::null_mut();
        }
        if tail.wrapping_add(1) & self.sq.ring_mask == 0 {
            // The NOP, the big entry's two slots: three slots in all.
            if tail.wrapping_add(2).wrapping_sub(head) >= self.sq.ring_entries {
                return ptr::null_mut();
            }
            // With a sane kernel head the check above leaves room for the
            // NOP. A corrupted head can pass it and still make get_sqe
            // refuse; the tail then stays on the last slot, where a 128-byte
            // SQE would run past the array: hand out nothing instead.
            // SAFETY: get_sqe returns NULL or a slot inside the SQE array.
            let Some(nop) = (unsafe { self.get_sqe().as_mut() }) else {
                return ptr::null_mut();
            };
            crate::prep::prep_nop(nop);
            nop.flags |= IOSQE_CQE_SKIP_SUCCESS;
            tail = self.sq.sqe_tail;
        } else if tail.wrapping_add(1).wrapping_sub(head) >= self.sq.ring_entries {
            return ptr::null_mut();
        }
        // Mixed rings index SQEs in 64-byte units (no shift).
        // SAFETY: tail & ring_mask < ring_entries, inside the SQE array.
        let sqe = unsafe { self.sq.sqes.add((tail & self.sq.ring_mask) as usize) };
        self.sq.sqe_tail = tail.wrapping_add(2);
        // SAFETY: sqe points to an application-owned SQE slot.
        unsafe { initialize_sqe(sqe) };
        sqe
    }

    // ---- CQ side ----

    /// The kernel's CQ tail. Acquire pairs with the kernel's
    /// smp_store_release of cq.tail: every CQE below the tail is readable.
    #[inline(always)]
    pub fn load_cq_tail(&self) -> u32 {
        // SAFETY: ktail points into the mapped CQ ring.
        unsafe { atomic_u32(self.cq.ktail) }.load(Ordering::Acquire)
    }

    /// Our CQ head. Only the application writes it, so a plain load is enough.
    #[inline(always)]
    pub fn load_cq_head(&self) -> u32 {
        // SAFETY: khead points into the mapped CQ ring.
        unsafe { atomic_u32(self.cq.khead) }.load(Ordering::Relaxed)
    }

    /// Completions ready to be consumed (counted in CQ slots).
    #[inline(always)]
    pub fn cq_ready(&self) -> u32 {
        self.load_cq_tail().wrapping_sub(self.load_cq_head())
    }

    /// Marks `nr` CQ slots consumed.
    #[inline(always)]
    pub fn cq_advance(&mut self, nr: u32) {
        if nr != 0 {
            // SAFETY: khead points into the mapped CQ ring.
            let head = unsafe { atomic_u32(self.cq.khead) };
            // Release pairs with the kernel's smp_load_acquire of cq.head: our
            // reads of the CQEs finish before the kernel may reuse the slots.
            head.store(head.load(Ordering::Relaxed).wrapping_add(nr), Ordering::Release);
        }
    }

    /// The CQE in slot `index` (taken modulo the ring size).
    #[inline(always)]
    pub fn cqe_at(&self, index: u32) -> *mut io_uring_cqe {
        // Shift as u32 (the slot index is below 2^17) and widen once.
        let slot = ((index & self.cq.ring_mask) << self.cqe_shift()) as usize;
        // SAFETY: slot < ring_entries << shift, inside the mapped CQE array.
        unsafe { self.cq.cqes.add(slot) }
    }

    /// Whether the kernel holds completions that did not fit in the CQ
    /// (`IORING_SQ_CQ_OVERFLOW`).
    #[inline(always)]
    pub fn cq_has_overflow(&self) -> bool {
        self.load_sq_flags() & IORING_SQ_CQ_OVERFLOW != 0
    }

    /// Whether eventfd notifications are on: true unless the CQ flags word
    /// exists and has `IORING_CQ_EVENTFD_DISABLED` set.
    #[inline(always)]
    pub fn cq_eventfd_enabled(&self) -> bool {
        if self.cq.kflags.is_null() {
            return true;
        }
        // SAFETY: kflags points into the mapped CQ ring. Relaxed: the
        // application owns this word; the kernel only reads it (READ_ONCE)
        // when it posts a CQE.
        let flags = unsafe { atomic_u32(self.cq.kflags) }.load(Ordering::Relaxed);
        flags & IORING_CQ_EVENTFD_DISABLED == 0
    }

    /// Turns eventfd notifications on or off; `-EOPNOTSUPP` when a change is
    /// asked of a kernel without the CQ flags word.
    #[inline(always)]
    pub fn cq_eventfd_toggle(&mut self, enabled: bool) -> c_int {
        if enabled == self.cq_eventfd_enabled() {
            return 0;
        }
        if self.cq.kflags.is_null() {
            return -libc::EOPNOTSUPP;
        }
        // SAFETY: kflags points into the mapped CQ ring. Relaxed load and
        // store (READ_ONCE/WRITE_ONCE): the kernel only reads this word.
        let kflags = unsafe { atomic_u32(self.cq.kflags) };
        let mut flags = kflags.load(Ordering::Relaxed);
        if enabled {
            flags &= !IORING_CQ_EVENTFD_DISABLED;
        } else {
            flags |= IORING_CQ_EVENTFD_DISABLED;
        }
        kflags.store(flags, Ordering::Relaxed);
        0
    }

    /// Whether overflowed CQEs or deferred task work wait for a kernel entry.
    #[inline(always)]
    pub fn cq_needs_flush(&self) -> bool {
        self.load_sq_flags() & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN) != 0
    }

    /// Whether reaping completions requires entering the kernel.
    #[inline(always)]
    pub fn cq_needs_enter(&self) -> bool {
        self.int_flags & INT_FLAG_CQ_ENTER != 0 || self.cq_needs_flush()
    }

    /// Looks at the CQ head: returns 0 and the first CQE to show the caller
    /// (or NULL), and how many slots were available. Steps over skip entries
    /// of mixed rings and consumes the library's internal timeout CQEs; an
    /// internal timeout that failed returns its `-errno` (and NULL).
    #[inline(always)]
    pub fn peek_cqe(&mut self) -> (c_int, *mut io_uring_cqe, u32) {
        loop {
            let tail = self.load_cq_tail();
            let head = self.load_cq_head();
            let available = tail.wrapping_sub(head);
            if available == 0 {
                return (0, ptr::null_mut(), 0);
            }
            let cqe = self.cqe_at(head);
            // SAFETY: cqe is below the acquired tail, so the kernel wrote it.
            let (flags, user_data, res) = unsafe { ((*cqe).flags, (*cqe).user_data, (*cqe).res) };
            if flags & IORING_CQE_F_SKIP == 0 {
                if self.features & IORING_FEAT_EXT_ARG != 0 || user_data != LIBURING_UDATA_TIMEOUT {
                    return (0, cqe, available);
                }
                // An internal timeout: consume it; a failure is reported.
                self.cq_advance(cqe_slots(flags));
                if res < 0 {
                    return (res, ptr::null_mut(), available);
                }
                continue;
            }
            self.cq_advance(cqe_slots(flags));
        }
    }

    /// Fills `out` with pointers to up to `out.len()` ready CQEs without
    /// consuming them; returns how many were filled, or `None` when the
    /// kernel has posted nothing (the caller may then flush and retry). Skip
    /// entries at the head of a mixed ring are consumed on the way.
    #[inline(always)]
    pub fn peek_batch(&mut self, out: &mut [*mut io_uring_cqe]) -> Option<u32> {
        self.peek_batch_in::<PEEK_BATCH_INLINE_UNWRAPPED>(out)
    }

    /// [`Self::peek_batch`] with the choice of [`PEEK_BATCH_INLINE_UNWRAPPED`]
    /// as a parameter, so that tests on any host run both ways.
    #[inline(always)]
    pub(crate) fn peek_batch_in<const INLINE_UNWRAPPED: bool>(&mut self, out: &mut [*mut io_uring_cqe]) -> Option<u32> {
        let mut head = self.load_cq_head();
        let ready = self.load_cq_tail().wrapping_sub(head);
        if ready == 0 {
            return None;
        }
        // The out-of-line halves take the array as address and a u32
        // length: from the C API the length is its count, which then stays in
        // its register as it came (a usize costs a zero-extension before
        // each tail call on 64-bit targets). A slice longer than u32::MAX
        // would only be filled less far. They use the C calling convention:
        // on 64-bit RISC-V (and s390x, powerpc64) it has the callee extend
        // its 32-bit result, as the C export must return it, so the export
        // can tail-call them; with Rust's the caller extends the result
        // after the call, and that costs the export a stack frame on every
        // path (riscv64: 4 instructions, and a fifth for the extension of
        // its own results). On s390x the C convention has the caller extend
        // the u32 arguments instead: 3 instructions on those two paths.
        if self.flags & IORING_SETUP_CQE_MIXED != 0 {
            // SAFETY: the address and a length at most out's.
            return Some(unsafe { self.peek_batch_mixed(out.as_mut_ptr(), out.len() as u32, head, ready) });
        }
        let first = out.as_mut_ptr();
        if out.len() == 1 {
            // A batch of one, the commonest: no loop, and no minimum to
            // compute (ready is at least 1); tested on the array's length,
            // which longer batches pay with one compare and branch, as they
            // paid one for a test of the minimum.
            // SAFETY: 0 < out.len().
            unsafe { first.write(self.cqe_at(head)) };
            return Some(1);
        }
        let n = out.len().min(ready as usize);
        if INLINE_UNWRAPPED {
            // See PEEK_BATCH_INLINE_UNWRAPPED.
            let slot = (head & self.cq.ring_mask) as usize;
            if slot + n <= self.cq.ring_mask as usize + 1 {
                // SAFETY: n <= out.len().
                let run = unsafe { core::slice::from_raw_parts_mut(first, n) };
                fill_run(run, self.cqe_at(head), 1usize << self.cqe_shift());
                return Some(n as u32);
            }
            // SAFETY: the address and a length at most out's.
            return Some(unsafe { self.fill_cqe_pointers(first, out.len() as u32, head, ready) });
        }
        if n >= PEEK_BATCH_VECTOR_MIN {
            // SAFETY: the address and a length at most out's.
            return Some(unsafe { self.fill_cqe_pointers(first, out.len() as u32, head, ready) });
        }
        // x86 cannot scale an index by 16 in an address: there each slot's
        // byte offset is one shift (CQE size and CQE32 doubling together),
        // one instruction per pointer fewer than cqe_at's two shifts (9 per
        // pointer, as upstream's loop). Elsewhere the add folds cqe_at's
        // `<< 4` and this form would cost one more instruction to set up.
        let byte_shift = self.cqe_shift() + CQE_SIZE_LOG2;
        let cqes = self.cq.cqes.cast::<u8>();
        for i in 0..n {
            let cqe = if cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
                // Shifted as u32 (the slot index is below 2^17), widened once.
                let offset = ((head & self.cq.ring_mask) << byte_shift) as usize;
                // SAFETY: the offset of a slot below ring_entries, inside
                // the mapped CQE array.
                unsafe { cqes.add(offset).cast() }
            } else {
                self.cqe_at(head)
            };
            // SAFETY: i < n <= out.len(). A volatile store is the same single
            // `mov` as a plain one; it keeps this loop for short batches
            // scalar, which costs fewest instructions (LLVM's vector version
            // needs a preamble and saved registers).
            unsafe { first.add(i).write_volatile(cqe) };
            head = head.wrapping_add(1);
        }
        Some(n as u32)
    }

    /// The long-batch half of [`Self::peek_batch`]: fills `out` with
    /// up to `ready` CQEs from `head` on, out of line and left to LLVM's
    /// vectorizer.
    ///
    /// # Safety
    /// `out` is valid for writes of `len` pointers.
    #[inline(never)]
    unsafe extern "C" fn fill_cqe_pointers(&self, out: *mut *mut io_uring_cqe, len: u32, head: u32, ready: u32) -> u32 {
        // SAFETY: the caller's contract.
        let out = unsafe { core::slice::from_raw_parts_mut(out, len as usize) };
        let n = out.len().min(ready as usize);
        let shift = self.cqe_shift();
        let stride = 1usize << shift;
        let entries = self.cq.ring_mask as usize + 1;
        // The batch is made of runs of consecutive slots: up to the end of
        // the array, then from its start (again, if a corrupted tail claims
        // more than the ring holds). Within a run each pointer is the
        // previous one plus the CQE size.
        let mut slot = (head & self.cq.ring_mask) as usize;
        let mut rest = &mut out[..n];
        while !rest.is_empty() {
            let (run, later) = rest.split_at_mut(rest.len().min(entries - slot));
            // SAFETY: slot < ring_entries, so slot << shift is inside the
            // mapped CQE array, and the run ends at or before its end.
            let cqe = unsafe { self.cq.cqes.add(slot << shift) };
            fill_run(run, cqe, stride);
            rest = later;
            slot = 0;
        }
        n as u32
    }

    /// [`Self::peek_batch`] for a mixed ring: entries are one or two slots,
    /// and the kernel pads the end of the ring with skip entries. Out of
    /// line, so that the plain path needs no saved registers.
    ///
    /// # Safety
    /// `out` is valid for writes of `len` pointers.
    #[inline(never)]
    unsafe extern "C" fn peek_batch_mixed(
        &mut self,
        out: *mut *mut io_uring_cqe,
        len: u32,
        mut head: u32,
        ready: u32,
    ) -> u32 {
        // SAFETY: the caller's contract.
        let out = unsafe { core::slice::from_raw_parts_mut(out, len as usize) };
        let last = head.wrapping_add(ready);
        let mut n = 0;
        while head != last && n < out.len() {
            let cqe = self.cqe_at(head);
            // SAFETY: cqe is below the acquired tail.
            let flags = unsafe { (*cqe).flags };
            if flags & IORING_CQE_F_SKIP != 0 {
                // A skip entry is consumed only when it is at the head;
                // otherwise the batch ends and it will be at the head next time.
                if n != 0 {
                    break;
                }
                self.cq_advance(1);
                head = head.wrapping_add(1);
                continue;
            }
            head = head.wrapping_add(cqe_slots(flags));
            out[n] = cqe;
            n += 1;
        }
        n as u32
    }
}

/// Fills `run` with `first`, `first + stride`, `first + 2 * stride`, ...
/// (CQE pointers of consecutive slots). On x86 LLVM vectorises the plain
/// loop; elsewhere it does not (aarch64: four instructions per pointer,
/// against about two and a half in upstream's loop, which gcc vectorises),
/// so there the loop goes eight pointers at a time, which pairs the stores
/// (aarch64: 16 instructions per eight pointers).
#[inline(always)]
fn fill_run(run: &mut [*mut io_uring_cqe], first: *mut io_uring_cqe, stride: usize) {
    if cfg!(any(target_arch = "x86_64", target_arch = "x86")) {
        fill_run_plain(run, first, stride);
    } else {
        fill_run_by_eight(run, first, stride);
    }
}

/// [`fill_run`] one pointer at a time.
#[inline(always)]
pub(crate) fn fill_run_plain(run: &mut [*mut io_uring_cqe], first: *mut io_uring_cqe, stride: usize) {
    let mut cqe = first;
    for out_slot in run.iter_mut() {
        *out_slot = cqe;
        cqe = cqe.wrapping_add(stride);
    }
}

/// [`fill_run`] eight pointers at a time, then the rest one at a time.
#[inline(always)]
pub(crate) fn fill_run_by_eight(run: &mut [*mut io_uring_cqe], first: *mut io_uring_cqe, stride: usize) {
    let mut cqe = first;
    let mut eights = run.chunks_exact_mut(8);
    for eight in &mut eights {
        for out_slot in eight.iter_mut() {
            *out_slot = cqe;
            cqe = cqe.wrapping_add(stride);
        }
    }
    fill_run_plain(eights.into_remainder(), cqe, stride);
}

/// Whether `peek_batch` fills a batch of two or more that does not wrap
/// around the end of the CQ array inline, with [`fill_run`]'s eight-at-a-time
/// loop from the first pointer plus the CQE size (one that wraps goes out of
/// line). There a scalar loop costs 7 to 9 instructions per pointer
/// (upstream's gcc build vectorizes its loop on aarch64, about 2.5 per
/// pointer). Not on powerpc64, where the inline loop makes the function save
/// twelve registers on every path, nor on x86, where the scalar loop costs
/// as much as upstream's and longer batches are vectorized.
const PEEK_BATCH_INLINE_UNWRAPPED: bool = cfg!(any(
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "s390x",
    target_arch = "arm"
));

/// From this many CQEs on, `peek_batch` fills the caller's array with the
/// vectorized loop.
const PEEK_BATCH_VECTOR_MIN: usize = 16;

/// log2 of the size of a plain CQE (16 bytes).
const CQE_SIZE_LOG2: u32 = 4;
const _: () = assert!(core::mem::size_of::<io_uring_cqe>() == 1 << CQE_SIZE_LOG2);

/// How many CQ slots a CQE with these flags occupies.
#[inline(always)]
pub fn cqe_slots(flags: u32) -> u32 {
    1 + ((flags & IORING_CQE_F_32 != 0) as u32)
}

#[inline(always)]
pub fn sqe_shift_from_flags(flags: u32) -> u32 {
    (flags & IORING_SETUP_SQE128 != 0) as u32
}

#[inline(always)]
pub fn cqe_shift_from_flags(flags: u32) -> u32 {
    (flags & IORING_SETUP_CQE32 != 0) as u32
}

/// Clears the SQE fields that not every prep helper writes, so that a
/// recycled slot never carries stale flags to the kernel.
///
/// # Safety
/// `sqe` must point to a writable SQE.
#[inline(always)]
pub unsafe fn initialize_sqe(sqe: *mut io_uring_sqe) {
    // SAFETY: guaranteed by the caller.
    let sqe = unsafe { &mut *sqe };
    sqe.flags = 0;
    sqe.ioprio = 0;
    sqe.op_flags = 0;
    sqe.buf_index = 0;
    sqe.personality = 0;
    sqe.file_index = 0;
    sqe.addr3 = 0;
    sqe.__pad2[0] = 0;
}

/// `x`, through an empty asm block: LLVM cannot see that the result is `x`,
/// and so cannot rewrite a later test of it in terms of what it was
/// computed from. For the number of pending SQEs: `tail - head == 0` became
/// `tail == head`, which kept both words live in registers until the test,
/// at the cost of copies on the submit path (i386 and arm64).
#[inline(always)]
#[allow(asm_sub_register)] // the operand is named only in an asm comment
fn opaque_u32(mut x: u32) -> u32 {
    // SAFETY: an empty block; it reads and writes only its own register.
    unsafe { core::arch::asm!("/* {0} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags)) };
    x
}

#[cfg(test)]
mod reliability_regressions {
    use super::*;
    use crate::tests::sim::{SimRing, W_HEAD};

    /// A mixed-SQE ring of `entries` slots, with the kernel's SQ head at
    /// `khead` and the application's tail at `tail`.
    fn mixed_ring(entries: u32, khead: u32, tail: u32) -> SimRing {
        let sim = SimRing::new(entries, 1, IORING_SETUP_SQE_MIXED, 0, tail, 0, false);
        sim.set_sq_word(W_HEAD, khead);
        sim
    }

    /// Found by fuzz/fuzz_targets/ring_corrupt.rs: with the tail on the last
    /// slot and a corrupted kernel head that makes the room check pass but
    /// get_sqe refuse the padding NOP, get_sqe128 handed out the last slot
    /// as a 128-byte SQE, whose second half lies past the SQE array.
    #[test]
    fn get_sqe128_never_returns_an_sqe_running_past_the_array() {
        for (entries, khead, tail) in [(256, 0, u32::MAX), (2, 3, 1), (8, 9, 7), (1, 2, 0)] {
            let mut sim = mixed_ring(entries, khead, tail);
            let sqe = sim.ring.get_sqe128();
            if !sqe.is_null() {
                let start = sim.sqes().as_ptr() as usize;
                let end = start + size_of_val(sim.sqes());
                let p = sqe as usize;
                assert!(
                    p >= start && p + 2 * size_of::<io_uring_sqe>() <= end,
                    "entries {entries}, head {khead}, tail {tail}: 128-byte SQE at offset {} of a {}-byte array",
                    p - start,
                    end - start
                );
            }
        }
    }
}
