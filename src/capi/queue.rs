//! Submission and completion.

use core::ffi::{c_int, c_uint};
use core::ptr;

use super::{ring_or, ring_or_no_entry_check, NULL_RING};
use crate::check;
use crate::complete;
use crate::ring::io_uring;
use crate::sys::*;

/// Stores a found CQE for the caller (if it gave somewhere to store it) and
/// returns the status.
#[inline(always)]
pub(super) fn deliver(found: (c_int, *mut io_uring_cqe), cqe_ptr: *mut *mut io_uring_cqe) -> c_int {
    if !cqe_ptr.is_null() {
        // SAFETY: a non-NULL out pointer from C is writable.
        unsafe { *cqe_ptr = found.1 };
    }
    found.0
}

/// [`deliver`] for the calls that may refuse before they look for a CQE
/// (`Err`): then only the status comes back, the out pointer is left alone.
#[inline(always)]
fn deliver_unless_refused(found: Result<(c_int, *mut io_uring_cqe), c_int>, cqe_ptr: *mut *mut io_uring_cqe) -> c_int {
    match found {
        Ok(found) => deliver(found, cqe_ptr),
        Err(err) => err,
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_get_sqe(ring: *mut io_uring) -> *mut io_uring_sqe {
    check::hooked!(getting_sqe(ring), (ring: *mut io_uring) -> *mut io_uring_sqe, {
        ring_or_no_entry_check!(ring, ptr::null_mut()).get_sqe()
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_submit(ring: *mut io_uring) -> c_int {
    check::hooked!(submitting(ring, false), (ring: *mut io_uring) -> c_int, {
        crate::submit::submit(ring_or_no_entry_check!(ring, NULL_RING), 0, false)
    }, checked: {
        crate::submit::submit_out_of_line(ring_or_no_entry_check!(ring, NULL_RING), 0, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_submit_and_wait(ring: *mut io_uring, wait_nr: c_uint) -> c_int {
    check::hooked!(submitting(ring, false), (
        ring: *mut io_uring,
        wait_nr: c_uint,
    ) -> c_int, {
        crate::submit::submit(ring_or_no_entry_check!(ring, NULL_RING), wait_nr, false)
    }, checked: {
        crate::submit::submit_out_of_line(ring_or_no_entry_check!(ring, NULL_RING), wait_nr, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_submit_and_get_events(ring: *mut io_uring) -> c_int {
    check::hooked!(submitting(ring, false), (ring: *mut io_uring) -> c_int, {
        crate::submit::submit(ring_or_no_entry_check!(ring, NULL_RING), 0, true)
    }, checked: {
        crate::submit::submit_out_of_line(ring_or_no_entry_check!(ring, NULL_RING), 0, true)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_submit_and_wait_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    check::hooked!(submitting(ring, true), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        wait_nr: c_uint,
        ts: *mut __kernel_timespec,
        sigmask: *mut libc::sigset_t,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver(
            complete::submit_and_wait_timeout(ring, wait_nr, ts, 0, sigmask),
            cqe_ptr,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_submit_and_wait_min_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    min_wait: c_uint,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    check::hooked!(submitting(ring, true), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        wait_nr: c_uint,
        ts: *mut __kernel_timespec,
        min_wait: c_uint,
        sigmask: *mut libc::sigset_t,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver_unless_refused(
            complete::submit_and_wait_min_timeout(ring, wait_nr, ts, min_wait, sigmask),
            cqe_ptr,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_submit_and_wait_reg(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    reg_index: c_int,
) -> c_int {
    check::hooked!(submitting(ring, true), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        wait_nr: c_uint,
        reg_index: c_int,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver(complete::submit_and_wait_reg(ring, wait_nr, reg_index), cqe_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn __io_uring_get_cqe(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    submit: c_uint,
    wait_nr: c_uint,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    check::hooked!(waiting(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        submit: c_uint,
        wait_nr: c_uint,
        sigmask: *mut libc::sigset_t,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver(complete::get_cqe_sigmask(ring, submit, wait_nr, sigmask), cqe_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_wait_cqes(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    check::hooked!(waiting(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        wait_nr: c_uint,
        ts: *mut __kernel_timespec,
        sigmask: *mut libc::sigset_t,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver(complete::wait_cqes(ring, wait_nr, ts, sigmask), cqe_ptr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_wait_cqes_min_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    wait_nr: c_uint,
    ts: *mut __kernel_timespec,
    min_ts_usec: c_uint,
    sigmask: *mut libc::sigset_t,
) -> c_int {
    check::hooked!(waiting(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        wait_nr: c_uint,
        ts: *mut __kernel_timespec,
        min_ts_usec: c_uint,
        sigmask: *mut libc::sigset_t,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver_unless_refused(
            complete::wait_cqes_min_timeout(ring, wait_nr, ts, min_ts_usec, sigmask),
            cqe_ptr,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_wait_cqe_timeout(
    ring: *mut io_uring,
    cqe_ptr: *mut *mut io_uring_cqe,
    ts: *mut __kernel_timespec,
) -> c_int {
    check::hooked!(waiting(ring), (
        ring: *mut io_uring,
        cqe_ptr: *mut *mut io_uring_cqe,
        ts: *mut __kernel_timespec,
    ) -> c_int, {
        let ring = ring_or_no_entry_check!(ring, NULL_RING);
        deliver(complete::wait_cqes(ring, 1, ts, ptr::null_mut()), cqe_ptr)
    })
}

/// Returns a count, never `-errno`: 0 also for a NULL ring or array.
#[no_mangle]
pub unsafe extern "C" fn io_uring_peek_batch_cqe(
    ring: *mut io_uring,
    cqes: *mut *mut io_uring_cqe,
    count: c_uint,
) -> c_uint {
    check::hooked!(peeking_batch(ring, cqes, count), (
        ring: *mut io_uring,
        cqes: *mut *mut io_uring_cqe,
        count: c_uint,
    ) -> c_uint, {
        let ring = ring_or_no_entry_check!(ring, 0);
        if cqes.is_null() {
            return 0;
        }
        // SAFETY: the caller provides an array of `count` CQE pointers.
        let out = unsafe { core::slice::from_raw_parts_mut(cqes, count as usize) };
        complete::peek_batch_cqe(ring, out)
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_get_events(ring: *mut io_uring) -> c_int {
    complete::get_events(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn __io_uring_sqring_wait(ring: *mut io_uring) -> c_int {
    crate::submit::enter_sq_wait(ring_or!(ring, NULL_RING))
}
