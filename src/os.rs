//! The few libc calls the library makes besides io_uring's own system calls
//! (those are in `sys/syscall.rs`): mmap, munmap, madvise, close, and
//! secure_getenv. Failures come back as `-errno`, the convention of
//! `errno.rs`.

use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr;

use crate::errno::last_errno;

/// `mmap(2)` with a 64-bit offset on every target: glibc's `mmap64` (the
/// plain `mmap` takes a 32-bit `off_t` on i386 and armhf, too small for
/// `IORING_OFF_PBUF_RING | bgid << 16`); upstream builds with
/// `_FILE_OFFSET_BITS=64` for the same reason. 0 and the mapping, or
/// `-errno` and NULL.
///
/// # Safety
/// As for `mmap`: a fixed `addr` may replace existing mappings.
pub unsafe fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    off: i64,
) -> (c_int, *mut c_void) {
    // SAFETY: forwarded contract.
    let p = unsafe { libc::mmap64(addr, len, prot, flags, fd, off) };
    if p == libc::MAP_FAILED {
        (last_errno(), ptr::null_mut())
    } else {
        (0, p)
    }
}

/// `munmap(2)`; failure is ignored, as the range is ours and being dropped.
///
/// # Safety
/// The range must be a mapping nobody uses any more.
pub unsafe fn munmap(addr: *mut c_void, len: usize) {
    // SAFETY: forwarded contract.
    unsafe { libc::munmap(addr, len) };
}

/// `madvise(2)`: 0 or `-errno`.
///
/// # Safety
/// The range must be mapped memory of ours.
pub unsafe fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int {
    // SAFETY: forwarded contract.
    if unsafe { libc::madvise(addr, len, advice) } < 0 {
        last_errno()
    } else {
        0
    }
}

/// `close(2)`: 0 or `-errno`.
pub fn close(fd: c_int) -> c_int {
    // SAFETY: close has no memory-safety preconditions.
    if unsafe { libc::close(fd) } < 0 {
        last_errno()
    } else {
        0
    }
}

extern "C" {
    /// glibc's `secure_getenv(3)` (since 2.17; the `libc` crate does not
    /// declare it for Linux): `getenv`, but NULL in a set-user-ID,
    /// set-group-ID or capability-raised process (AT_SECURE).
    fn secure_getenv(name: *const c_char) -> *mut c_char;
}

/// Calls `f` with the value of the environment variable `name`, or `None`
/// when it is unset or the process runs in secure-execution mode: a program
/// whose privileges were raised must not let its caller switch the
/// library's behaviour, as glibc treats its own debugging variables.
pub fn with_secure_env<R>(name: &CStr, f: impl FnOnce(Option<&[u8]>) -> R) -> R {
    // SAFETY: secure_getenv with a NUL-terminated name; the result, when not
    // NULL, is a NUL-terminated string that stays valid while nobody calls
    // setenv, and it is only borrowed for the call to `f`.
    let value = unsafe {
        let v = secure_getenv(name.as_ptr());
        if v.is_null() {
            None
        } else {
            Some(CStr::from_ptr(v).to_bytes())
        }
    };
    f(value)
}
