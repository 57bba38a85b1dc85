//! The few libc calls the library makes besides io_uring's own system calls
//! (those are in `sys/syscall.rs`): mmap, munmap, madvise, close. Failures
//! come back as `-errno`, the convention of `errno.rs`.

use core::ffi::{c_int, c_void};
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
