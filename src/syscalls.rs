//! The few libc calls the library makes besides io_uring's own, with errors
//! as [`Errno`] values.

use core::ffi::{c_int, c_void};

use crate::errno::{Errno, Result};

fn last_errno() -> Errno {
    // SAFETY: __errno_location always returns this thread's errno.
    Errno(unsafe { *libc::__errno_location() })
}

/// `mmap(2)` with a 64-bit offset on every target: glibc's `mmap64` (the
/// plain `mmap` takes a 32-bit `off_t` on i386 and armhf, too small for
/// `IORING_OFF_PBUF_RING | bgid << 16`); upstream builds with
/// `_FILE_OFFSET_BITS=64` for the same reason.
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
) -> Result<*mut c_void> {
    // SAFETY: forwarded contract.
    let p = unsafe { libc::mmap64(addr, len, prot, flags, fd, off) };
    if p == libc::MAP_FAILED {
        Err(last_errno())
    } else {
        Ok(p)
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

/// `madvise(2)`.
///
/// # Safety
/// The range must be mapped memory of ours.
pub unsafe fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> Result<()> {
    // SAFETY: forwarded contract.
    if unsafe { libc::madvise(addr, len, advice) } < 0 {
        Err(last_errno())
    } else {
        Ok(())
    }
}

/// `close(2)`, returning `-errno` on failure.
pub fn close(fd: c_int) -> Result<()> {
    // SAFETY: close has no memory-safety preconditions.
    if unsafe { libc::close(fd) } < 0 {
        Err(last_errno())
    } else {
        Ok(())
    }
}

/// `Errno::check` for callers that only have the raw value.
pub fn check(ret: c_int) -> Result<c_int> {
    Errno::check(ret)
}
