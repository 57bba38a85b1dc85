//! The three io_uring system calls, returning `-errno` on failure like the
//! kernel does, so that callers never look at the thread's `errno`.

use core::ffi::{c_int, c_long, c_uint, c_void};

use super::io_uring_params;

/// Turns a raw `syscall(2)` result (with `errno` set on failure) into the
/// kernel convention: the value on success, `-errno` on failure.
#[inline(always)]
fn kernel_result(ret: c_long) -> c_int {
    if ret < 0 {
        // SAFETY: __errno_location always returns a valid pointer to this thread's errno.
        -unsafe { *libc::__errno_location() }
    } else {
        ret as c_int
    }
}

/// `io_uring_setup(2)`: creates a ring and fills `p` with its offsets.
///
/// # Safety
/// `p` must point to a writable `io_uring_params`.
#[inline]
pub unsafe fn io_uring_setup(entries: c_uint, p: *mut io_uring_params) -> c_int {
    // SAFETY: the caller guarantees `p` is valid; the kernel checks the rest.
    kernel_result(unsafe { libc::syscall(libc::SYS_io_uring_setup, entries as c_long, p) })
}

/// `io_uring_enter(2)` with an explicit size for the extra argument.
///
/// # Safety
/// `arg` must be what `flags` says it is (a sigset of `sz` bytes, an
/// `io_uring_getevents_arg`, a registered-wait offset, or NULL).
#[inline]
pub unsafe fn io_uring_enter2(
    fd: c_int,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    arg: *mut c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the caller guarantees the argument matches the flags.
    kernel_result(unsafe {
        libc::syscall(
            libc::SYS_io_uring_enter,
            fd as c_long,
            to_submit as c_long,
            min_complete as c_long,
            flags as c_long,
            arg,
            sz,
        )
    })
}

/// `io_uring_enter(2)` with a signal mask of the kernel's `_NSIG / 8` bytes.
///
/// # Safety
/// `sig` must be NULL or point to a readable `sigset_t`.
#[inline]
pub unsafe fn io_uring_enter(
    fd: c_int,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    sig: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { io_uring_enter2(fd, to_submit, min_complete, flags, sig.cast(), KERNEL_SIGSET_BYTES) }
}

/// `io_uring_register(2)`.
///
/// # Safety
/// `arg` must point to what `opcode` expects, `nr_args` entries long.
#[inline]
pub unsafe fn io_uring_register(fd: c_int, opcode: c_uint, arg: *const c_void, nr_args: c_uint) -> c_int {
    // SAFETY: the caller guarantees the argument matches the opcode.
    kernel_result(unsafe {
        libc::syscall(
            libc::SYS_io_uring_register,
            fd as c_long,
            opcode as c_long,
            arg,
            nr_args as c_long,
        )
    })
}

/// The size of the kernel's signal set (`_NSIG / 8`), which is what
/// `io_uring_enter` wants as the size of a plain sigmask argument.
pub const KERNEL_SIGSET_BYTES: usize = 64 / 8;
