//! The three io_uring system calls, returning `-errno` on failure like the
//! kernel does, so that callers never look at the thread's `errno`.

use core::ffi::{c_int, c_uint, c_void};

use super::io_uring_params;
use super::raw_syscall::raw_syscall;

/// `io_uring_setup(2)`: creates a ring and fills `p` with its offsets.
///
/// # Safety
/// `p` must point to a writable `io_uring_params`.
#[inline]
pub unsafe fn io_uring_setup(entries: c_uint, p: *mut io_uring_params) -> c_int {
    // SAFETY: the caller guarantees `p` is valid; the kernel checks the rest.
    unsafe { raw_syscall!(libc::SYS_io_uring_setup, entries, p, 0u32, 0u32, 0usize, 0usize) }
}

/// `io_uring_enter(2)` with an explicit size for the extra argument.
///
/// # Safety
/// `arg` must be what `flags` says it is (a sigset of `sz` bytes, an
/// `io_uring_getevents_arg`, a registered-wait offset, or NULL).
#[cfg(not(all(loom, test)))]
#[inline(always)]
pub unsafe fn io_uring_enter2(
    fd: c_int,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    arg: *mut c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the caller guarantees the argument matches the flags.
    unsafe {
        raw_syscall!(
            libc::SYS_io_uring_enter,
            fd as u32,
            to_submit,
            min_complete,
            flags,
            arg,
            sz
        )
    }
}

/// The ordering model's `io_uring_enter` (src/tests/ordering.rs): the
/// scenario's model kernel does the kernel's side in the calling thread;
/// never a real system call there.
///
/// # Safety
/// None needed; unsafe as the real one is.
#[cfg(all(loom, test))]
pub unsafe fn io_uring_enter2(
    _fd: c_int,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    _arg: *mut c_void,
    _sz: usize,
) -> c_int {
    crate::sync::model_enter(to_submit, min_complete, flags)
}

/// `io_uring_enter(2)` with a signal mask of the kernel's `_NSIG / 8` bytes.
///
/// # Safety
/// `sig` must be NULL or point to a readable `sigset_t`.
#[inline(always)]
pub unsafe fn io_uring_enter(
    fd: c_int,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    sig: *mut libc::sigset_t,
) -> c_int {
    #[cfg(not(all(loom, test)))]
    // SAFETY: the caller guarantees `sig`; the size is the kernel's.
    return unsafe {
        raw_syscall!(
            libc::SYS_io_uring_enter,
            fd as u32,
            to_submit,
            min_complete,
            flags,
            sig,
            const KERNEL_SIGSET_BYTES
        )
    };
    #[cfg(all(loom, test))]
    // SAFETY: forwarded contract (the model's enter).
    return unsafe { io_uring_enter2(fd, to_submit, min_complete, flags, sig.cast(), KERNEL_SIGSET_BYTES) };
}

/// `io_uring_register(2)`.
///
/// # Safety
/// `arg` must point to what `opcode` expects, `nr_args` entries long.
#[inline]
pub unsafe fn io_uring_register(fd: c_int, opcode: c_uint, arg: *const c_void, nr_args: c_uint) -> c_int {
    // SAFETY: the caller guarantees the argument matches the opcode.
    unsafe {
        raw_syscall!(
            libc::SYS_io_uring_register,
            fd as u32,
            opcode,
            arg,
            nr_args,
            0usize,
            0usize
        )
    }
}

/// The size of the kernel's signal set (`_NSIG / 8`), which is what
/// `io_uring_enter` wants as the size of a plain sigmask argument.
pub const KERNEL_SIGSET_BYTES: usize = 64 / 8;
