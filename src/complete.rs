//! Reaping completions: the wait loop shared by every `wait`/`submit_and_wait`
//! variant, batch peeking, and the internal timeout for old kernels.

use core::ffi::{c_int, c_void};
use core::ptr;

use crate::ring::io_uring;
use crate::sys::*;

/// What one `get_cqe` call should do.
pub struct GetCqe {
    /// SQEs to submit on the way in.
    pub submit: u32,
    /// Completions to wait for.
    pub wait_nr: u32,
    /// Extra `io_uring_enter` flags (`IORING_ENTER_EXT_ARG*`).
    pub get_flags: u32,
    /// Size of `arg` as `io_uring_enter` wants it.
    pub arg_size: usize,
    /// Whether a timeout bounds the wait.
    pub has_ts: bool,
    /// A sigmask, an `io_uring_getevents_arg`, or a registered-wait offset.
    pub arg: *mut c_void,
}

/// Submits and waits as `data` says until a CQE is available (or nothing
/// more can be done), and returns it. Mirrors liburing's semantics: the
/// first error seen wins; when no CQE arrives the result of the first
/// `io_uring_enter` is reported.
#[inline(always)]
pub fn get_cqe(ring: &mut io_uring, data: &mut GetCqe) -> (c_int, *mut io_uring_cqe) {
    // SAFETY: the caller's ring, exclusively ours for the call.
    unsafe { get_cqe_raw(ring, data) }
}

/// [`get_cqe`] on a raw ring pointer. Without the `noalias` of a `&mut`
/// parameter, the compiler reloads the few ring fields each pass needs
/// after every `io_uring_enter` instead of keeping all of them in saved
/// registers and stack slots across the loop, which made the common one-
/// or two-pass call a third more expensive than upstream's.
///
/// # Safety
/// `ring` must point to a set-up ring that nothing else uses during the call.
#[inline(never)]
unsafe fn get_cqe_raw(ring_ptr: *mut io_uring, data: &mut GetCqe) -> (c_int, *mut io_uring_cqe) {
    let mut cqe;
    let mut looped = false;
    let mut err: c_int = 0;
    loop {
        // SAFETY: guaranteed by the caller; reborrowed for one pass.
        let ring = unsafe { &mut *ring_ptr };
        let mut need_enter = false;
        let mut flags = ring.enter_flags();
        let (status, peeked, nr_available) = ring.peek_cqe();
        if status < 0 {
            if err == 0 {
                err = status;
            }
            cqe = ptr::null_mut();
            break;
        }
        cqe = peeked;
        if data.wait_nr > nr_available {
            flags |= IORING_ENTER_GETEVENTS | data.get_flags;
            need_enter = true;
        } else if cqe.is_null() && data.wait_nr == 0 && data.submit == 0 {
            // Nothing to submit or wait for: one kernel entry at most, and
            // only if it could produce completions.
            if looped || !ring.cq_needs_enter() {
                if err == 0 {
                    err = -libc::EAGAIN;
                }
                break;
            }
            flags |= IORING_ENTER_GETEVENTS | data.get_flags;
            need_enter = true;
        }
        if crate::submit::sq_needs_enter(ring, data.submit, &mut flags) {
            need_enter = true;
        }
        if !need_enter {
            break;
        }
        if looped && data.has_ts {
            // The kernel already waited out the timeout once.
            if data.get_flags & IORING_ENTER_EXT_ARG_REG != 0 {
                // `arg` is an offset into the registered wait region.
                if cqe.is_null() && err == 0 {
                    err = -libc::ETIME;
                }
            } else {
                // SAFETY: with EXT_ARG and no REG, arg is our getevents_arg.
                let arg = unsafe { &*(data.arg as *const io_uring_getevents_arg) };
                if cqe.is_null() && arg.ts != 0 && err == 0 {
                    err = -libc::ETIME;
                }
            }
            break;
        }
        // SAFETY: arg matches the flags, as built by our callers.
        let ret = unsafe {
            io_uring_enter2(
                ring.enter_ring_fd,
                data.submit,
                data.wait_nr,
                flags,
                data.arg,
                data.arg_size,
            )
        };
        if ret < 0 {
            if err == 0 {
                err = ret;
            }
            break;
        }
        data.submit = data.submit.wrapping_sub(ret as u32);
        if !cqe.is_null() {
            break;
        }
        if !looped {
            looped = true;
            err = ret;
        }
    }
    (err, cqe)
}

/// `__io_uring_get_cqe`: with a plain signal mask.
pub fn get_cqe_sigmask(
    ring: &mut io_uring,
    submit: u32,
    wait_nr: u32,
    sigmask: *mut libc::sigset_t,
) -> (c_int, *mut io_uring_cqe) {
    let mut data = GetCqe {
        submit,
        wait_nr,
        get_flags: 0,
        arg_size: KERNEL_SIGSET_BYTES,
        has_ts: false,
        arg: sigmask.cast(),
    };
    get_cqe(ring, &mut data)
}

/// `io_uring_peek_cqe`: a ready CQE; `-EAGAIN` without entering the kernel
/// when the CQ is empty and the kernel holds nothing it could flush into it
/// (no IOPOLL, no overflowed CQEs, no task work); otherwise what one
/// non-blocking [`get_cqe`] finds.
#[inline(always)]
pub fn peek_cqe(ring: &mut io_uring) -> (c_int, *mut io_uring_cqe) {
    if let (0, cqe, _) = ring.peek_cqe() {
        if !cqe.is_null() {
            return (0, cqe);
        }
        if ring.flags & IORING_SETUP_IOPOLL == 0 && !ring.cq_needs_flush() {
            return (-libc::EAGAIN, ptr::null_mut());
        }
    }
    get_cqe_sigmask(ring, 0, 0, ptr::null_mut())
}

/// `io_uring_wait_cqe`: a ready CQE at once, or what [`get_cqe`] waiting
/// for one finds.
#[inline(always)]
pub fn wait_cqe(ring: &mut io_uring) -> (c_int, *mut io_uring_cqe) {
    if let (0, cqe, _) = ring.peek_cqe() {
        if !cqe.is_null() {
            return (0, cqe);
        }
    }
    get_cqe_sigmask(ring, 0, 1, ptr::null_mut())
}

/// Waits with `IORING_ENTER_EXT_ARG`: timeout, min-wait and sigmask passed
/// to the kernel, no internal timeout SQE.
pub fn wait_cqes_ext(
    ring: &mut io_uring,
    submit: u32,
    wait_nr: u32,
    ts: *mut __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *mut libc::sigset_t,
) -> (c_int, *mut io_uring_cqe) {
    let mut arg = io_uring_getevents_arg {
        sigmask: sigmask as u64,
        sigmask_sz: KERNEL_SIGSET_BYTES as u32,
        min_wait_usec,
        ts: ts as u64,
    };
    let mut data = GetCqe {
        submit,
        wait_nr,
        get_flags: IORING_ENTER_EXT_ARG,
        arg_size: core::mem::size_of::<io_uring_getevents_arg>(),
        has_ts: !ts.is_null(),
        arg: (&mut arg as *mut io_uring_getevents_arg).cast(),
    };
    get_cqe(ring, &mut data)
}

/// On kernels without `IORING_FEAT_EXT_ARG`: queues a timeout SQE with
/// `LIBURING_UDATA_TIMEOUT` (submitting first if the SQ is full) and returns
/// 0 and the number of SQEs now pending, or the `-errno` (and 0).
pub fn submit_internal_timeout(ring: &mut io_uring, wait_nr: u32, ts: *mut __kernel_timespec) -> (c_int, u32) {
    let mut sqe = ring.get_sqe();
    if sqe.is_null() {
        let ret = crate::submit::submit(ring, 0, false);
        if ret < 0 {
            return (ret, 0);
        }
        sqe = ring.get_sqe();
        if sqe.is_null() {
            return (-libc::EAGAIN, 0);
        }
    }
    // SAFETY: sqe is a fresh slot of this ring.
    unsafe {
        crate::prep::prep_timeout(&mut *sqe, ts, wait_nr, 0);
        (*sqe).user_data = LIBURING_UDATA_TIMEOUT;
    }
    (0, ring.flush_sq())
}

/// `io_uring_wait_cqes`.
pub fn wait_cqes(
    ring: &mut io_uring,
    wait_nr: u32,
    ts: *mut __kernel_timespec,
    sigmask: *mut libc::sigset_t,
) -> (c_int, *mut io_uring_cqe) {
    let mut to_submit = 0;
    if !ts.is_null() {
        if ring.features & IORING_FEAT_EXT_ARG != 0 {
            return wait_cqes_ext(ring, 0, wait_nr, ts, 0, sigmask);
        }
        let (ret, n) = submit_internal_timeout(ring, wait_nr, ts);
        if ret < 0 {
            return (ret, ptr::null_mut());
        }
        to_submit = n;
    }
    get_cqe_sigmask(ring, to_submit, wait_nr, sigmask)
}

/// `io_uring_submit_and_wait_timeout` and its min-timeout form.
pub fn submit_and_wait_timeout(
    ring: &mut io_uring,
    wait_nr: u32,
    ts: *mut __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *mut libc::sigset_t,
) -> (c_int, *mut io_uring_cqe) {
    let to_submit = if !ts.is_null() {
        if ring.features & IORING_FEAT_EXT_ARG != 0 {
            let submit = ring.flush_sq();
            return wait_cqes_ext(ring, submit, wait_nr, ts, min_wait_usec, sigmask);
        }
        let (ret, n) = submit_internal_timeout(ring, wait_nr, ts);
        if ret < 0 {
            return (ret, ptr::null_mut());
        }
        n
    } else {
        ring.flush_sq()
    };
    get_cqe_sigmask(ring, to_submit, wait_nr, sigmask)
}

/// `io_uring_submit_and_wait_min_timeout`: [`submit_and_wait_timeout`] on
/// kernels with `IORING_FEAT_MIN_TIMEOUT`; `Err(-EINVAL)` before anything
/// else otherwise (the caller's CQE pointer is left alone).
pub fn submit_and_wait_min_timeout(
    ring: &mut io_uring,
    wait_nr: u32,
    ts: *mut __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *mut libc::sigset_t,
) -> Result<(c_int, *mut io_uring_cqe), c_int> {
    min_timeout_supported(ring)?;
    Ok(submit_and_wait_timeout(ring, wait_nr, ts, min_wait_usec, sigmask))
}

/// `io_uring_wait_cqes_min_timeout`: [`wait_cqes_ext`] on kernels with
/// `IORING_FEAT_MIN_TIMEOUT`; `Err(-EINVAL)` before anything else otherwise
/// (the caller's CQE pointer is left alone).
pub fn wait_cqes_min_timeout(
    ring: &mut io_uring,
    wait_nr: u32,
    ts: *mut __kernel_timespec,
    min_wait_usec: u32,
    sigmask: *mut libc::sigset_t,
) -> Result<(c_int, *mut io_uring_cqe), c_int> {
    min_timeout_supported(ring)?;
    Ok(wait_cqes_ext(ring, 0, wait_nr, ts, min_wait_usec, sigmask))
}

/// Whether the kernel takes a minimum wait time (`IORING_FEAT_MIN_TIMEOUT`):
/// `Err(-EINVAL)` when it does not.
fn min_timeout_supported(ring: &io_uring) -> Result<(), c_int> {
    if ring.features & IORING_FEAT_MIN_TIMEOUT == 0 {
        return Err(-libc::EINVAL);
    }
    Ok(())
}

/// `io_uring_submit_and_wait_reg`: waits with the parameters stored in slot
/// `reg_index` of the registered wait region.
pub fn submit_and_wait_reg(ring: &mut io_uring, wait_nr: u32, reg_index: c_int) -> (c_int, *mut io_uring_cqe) {
    let offset = (reg_index as isize as usize).wrapping_mul(core::mem::size_of::<io_uring_reg_wait>());
    // Checked before touching ring memory (liburing checks after flushing,
    // which faults on a ring that was never set up).
    if ring.features & IORING_FEAT_EXT_ARG == 0 {
        return (-libc::EINVAL, ptr::null_mut());
    }
    let submit = ring.flush_sq();
    let mut data = GetCqe {
        submit,
        wait_nr,
        get_flags: IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG,
        arg_size: core::mem::size_of::<io_uring_reg_wait>(),
        has_ts: true,
        arg: offset as *mut c_void,
    };
    get_cqe(ring, &mut data)
}

/// `io_uring_get_events`: lets the kernel flush overflow and run task work.
pub fn get_events(ring: &io_uring) -> c_int {
    let flags = IORING_ENTER_GETEVENTS | ring.enter_flags();
    // SAFETY: no argument is passed.
    unsafe { io_uring_enter(ring.enter_ring_fd, 0, 0, flags, ptr::null_mut()) }
}

/// `io_uring_peek_batch_cqe`: fills `out` with ready CQEs; when the ring is
/// empty but the kernel holds overflowed CQEs or task work, flushes once and
/// retries.
#[inline(always)]
pub fn peek_batch_cqe(ring: &mut io_uring, out: &mut [*mut io_uring_cqe]) -> u32 {
    if let Some(n) = ring.peek_batch(out) {
        return n;
    }
    if !ring.cq_needs_flush() {
        return 0;
    }
    // SAFETY: the address and a length at most out's (a u32, as
    // io_uring::peek_batch passes it, for the same reason).
    unsafe { peek_batch_after_flush(ring, out.as_mut_ptr(), out.len() as u32) }
}

/// The rare half of [`peek_batch_cqe`], kept out of line so that the common
/// path stays a leaf; of the C calling convention so that it is reached by
/// a tail call (see [`io_uring::peek_batch`]).
///
/// # Safety
/// `out` is valid for writes of `len` pointers.
#[cold]
#[inline(never)]
unsafe extern "C" fn peek_batch_after_flush(ring: &mut io_uring, out: *mut *mut io_uring_cqe, len: u32) -> u32 {
    // SAFETY: the caller's contract.
    let out = unsafe { core::slice::from_raw_parts_mut(out, len as usize) };
    get_events(ring);
    ring.peek_batch(out).unwrap_or(0)
}
