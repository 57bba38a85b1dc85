//! The three io_uring system calls, returning `-errno` on failure like the
//! kernel does, so that callers never look at the thread's `errno`.

use core::ffi::{c_int, c_long, c_uint, c_void};

use super::io_uring_params;

/// A system call with up to six arguments, returning the kernel's answer
/// as it is: the value on success, `-errno` on failure.
///
/// On x86_64 this is the `syscall` instruction itself, as upstream's default
/// (libc-free) build does: no call through libc's variadic `syscall()`, no
/// round trip through `errno`.
///
/// # Safety
/// The arguments must be valid for system call `nr`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn syscall6(nr: c_long, a1: c_long, a2: c_long, a3: c_long, a4: c_long, a5: c_long, a6: c_long) -> c_long {
    let ret: c_long;
    // SAFETY: the x86_64 Linux system call convention: number in rax,
    // arguments in rdi, rsi, rdx, r10, r8, r9; the kernel clobbers rcx and
    // r11 and returns in rax. The caller guarantees the arguments.
    unsafe {
        core::arch::asm!(
            "syscall",
            inlateout("rax") nr => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            in("r8") a5,
            in("r9") a6,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Elsewhere: libc's `syscall()`, with `errno` turned back into `-errno`.
///
/// # Safety
/// The arguments must be valid for system call `nr`.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
unsafe fn syscall6(nr: c_long, a1: c_long, a2: c_long, a3: c_long, a4: c_long, a5: c_long, a6: c_long) -> c_long {
    // SAFETY: forwarded contract.
    let ret = unsafe { libc::syscall(nr, a1, a2, a3, a4, a5, a6) };
    if ret < 0 {
        // SAFETY: __errno_location always returns this thread's errno.
        -(unsafe { *libc::__errno_location() }) as c_long
    } else {
        ret
    }
}

/// io_uring's system calls return an `int` (or `-errno`).
#[inline(always)]
fn kernel_result(ret: c_long) -> c_int {
    ret as c_int
}

/// `io_uring_setup(2)`: creates a ring and fills `p` with its offsets.
///
/// # Safety
/// `p` must point to a writable `io_uring_params`.
#[inline]
pub unsafe fn io_uring_setup(entries: c_uint, p: *mut io_uring_params) -> c_int {
    // SAFETY: the caller guarantees `p` is valid; the kernel checks the rest.
    kernel_result(unsafe { syscall6(libc::SYS_io_uring_setup, entries as c_long, p as c_long, 0, 0, 0, 0) })
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
    kernel_result(unsafe {
        syscall6(
            libc::SYS_io_uring_enter,
            fd as c_long,
            to_submit as c_long,
            min_complete as c_long,
            flags as c_long,
            arg as c_long,
            sz as c_long,
        )
    })
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
        syscall6(
            libc::SYS_io_uring_register,
            fd as c_long,
            opcode as c_long,
            arg as c_long,
            nr_args as c_long,
            0,
            0,
        )
    })
}

/// The size of the kernel's signal set (`_NSIG / 8`), which is what
/// `io_uring_enter` wants as the size of a plain sigmask argument.
pub const KERNEL_SIGSET_BYTES: usize = 64 / 8;
