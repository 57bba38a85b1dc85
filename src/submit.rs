//! Submission: publishing SQEs and entering the kernel when needed.

use core::ffi::c_int;
use core::ptr;

use crate::ring::io_uring;
use crate::sys::*;

/// Whether submitting `submit` SQEs needs `io_uring_enter`; adds
/// `IORING_ENTER_SQ_WAKEUP` to `flags` when a sleeping SQ thread must be woken.
#[inline(always)]
pub fn sq_needs_enter(ring: &io_uring, submit: u32, flags: &mut u32) -> bool {
    sq_needs_enter_on(ring, true, submit, flags)
}

/// [`sq_needs_enter`], where `maybe_sqpoll` false says that the ring has no
/// `IORING_SETUP_SQPOLL` (tested by the caller).
#[inline(always)]
fn sq_needs_enter_on(ring: &io_uring, maybe_sqpoll: bool, submit: u32, flags: &mut u32) -> bool {
    if submit == 0 {
        return false;
    }
    if !maybe_sqpoll || ring.flags & IORING_SETUP_SQPOLL == 0 {
        return true;
    }
    if ring.sq_needs_wakeup() {
        *flags |= IORING_ENTER_SQ_WAKEUP;
        return true;
    }
    false
}

/// Publishes pending SQEs and enters the kernel if that is needed to submit
/// them, to wait for `wait_nr` completions, or (with `getevents`) to reap.
/// Returns the number of SQEs submitted, or `-errno` from the kernel as it
/// is (liburing's own convention, so the C ABI passes it straight through).
#[inline(always)]
pub fn submit(ring: &mut io_uring, wait_nr: u32, getevents: bool) -> c_int {
    // A ring without SQPOLL and SQ_REWIND (the common case) gets its own copy
    // of the whole submission, which tests neither flag again: one test of
    // the set-up flags instead of three (publishing, SQ thread wake-up).
    if ring.sq_rewind_or_sqpoll() {
        let tail = ring.sq.sqe_tail;
        let submitted = ring.flush_sq_rewind_or_sqpoll(tail);
        submit_flushed(ring, true, submitted, wait_nr, getevents)
    } else {
        let tail = ring.sq.sqe_tail;
        let submitted = ring.flush_sq_plain(tail);
        submit_flushed(ring, false, submitted, wait_nr, getevents)
    }
}

/// [`submit`] as one shared function, for the callers that need not be
/// fast (the exports' checked paths): one copy of it in the library where
/// each of them would inline its own.
#[cold]
#[inline(never)]
pub fn submit_out_of_line(ring: &mut io_uring, wait_nr: u32, getevents: bool) -> c_int {
    submit(ring, wait_nr, getevents)
}

/// [`submit`] after `submitted` SQEs were published; `maybe_sqpoll` false
/// says that the ring has no `IORING_SETUP_SQPOLL`.
#[inline(always)]
fn submit_flushed(ring: &mut io_uring, maybe_sqpoll: bool, submitted: u32, wait_nr: u32, getevents: bool) -> c_int {
    // The same decisions as "enter if the SQ needs it or the caller waits or
    // the CQ needs it", spelled so that the waiting case (the hot one) tests
    // only wait_nr and the SQPOLL flag. Measured with callgrind: the plainer
    // spellings cost 2-3 more instructions per call (36-37 against 34), which
    // puts batch-1 workloads over upstream + 2 %. The CQ's flags are read
    // twice only when the SQ needs nothing and the CQ does. Each branch reads
    // the enter flags itself: read once above them, LLVM kept the byte in a
    // register for the other branch and copied it (one more instruction on
    // i386).
    if wait_nr != 0 || getevents {
        let mut flags = ring.enter_flags() | IORING_ENTER_GETEVENTS;
        // Entering anyway: only a sleeping SQ thread needs more than that.
        if maybe_sqpoll && ring.flags & IORING_SETUP_SQPOLL != 0 {
            sq_needs_enter(ring, submitted, &mut flags);
        }
        // SAFETY: no argument is passed.
        return unsafe { io_uring_enter(ring.enter_ring_fd, submitted, wait_nr, flags, ptr::null_mut()) };
    }
    let mut flags = ring.enter_flags();
    if !sq_needs_enter_on(ring, maybe_sqpoll, submitted, &mut flags) && !ring.cq_needs_enter() {
        return submitted as c_int;
    } else if !ring.cq_needs_enter() {
        // SAFETY: no argument is passed.
        return unsafe { io_uring_enter(ring.enter_ring_fd, submitted, 0, flags, ptr::null_mut()) };
    }
    flags |= IORING_ENTER_GETEVENTS;
    // SAFETY: no argument is passed.
    unsafe { io_uring_enter(ring.enter_ring_fd, submitted, wait_nr, flags, ptr::null_mut()) }
}

/// `io_uring_sqring_wait`: with SQPOLL and a full SQ, waits until the SQ
/// thread frees a slot; otherwise returns 0 at once.
pub fn sqring_wait(ring: &io_uring) -> c_int {
    if ring.flags & IORING_SETUP_SQPOLL == 0 || ring.sq_space_left() != 0 {
        return 0;
    }
    enter_sq_wait(ring)
}

/// `__io_uring_sqring_wait`: waits for the SQ thread to free SQ slots.
pub fn enter_sq_wait(ring: &io_uring) -> c_int {
    let flags = IORING_ENTER_SQ_WAIT | ring.enter_flags();
    // SAFETY: no argument is passed.
    unsafe { io_uring_enter(ring.enter_ring_fd, 0, 0, flags, ptr::null_mut()) }
}
