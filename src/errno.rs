//! The library's one error convention, liburing's own: a call that can fail
//! returns a `c_int` that is `-errno` on failure (`-libc::EINVAL`) and 0, or
//! a count, on success. It is what `io_uring_enter` and `io_uring_register`
//! return and what the C ABI hands back, so the submit and complete paths
//! pass a system call's result through untouched and the C layer (`capi/`)
//! returns it as it is.
//!
//! A call that also has a value to give back returns `(status, value)`, the
//! status first, as above; the value means something only when the status
//! is not negative (then it is the NULL pointer or 0). Examples:
//! `ring::io_uring::peek_cqe`, `complete::get_cqe`, `setup::memory_size`.
//!
//! libc calls that report through `errno` are wrapped in `crate::os`, which
//! turns `errno` into the same `-errno` with [`last_errno`]. No function
//! returns a `Result` carrying an error code, and no type holds a positive
//! errno.

use core::ffi::c_int;

/// This thread's `errno` after a failed libc call, as `-errno`.
pub fn last_errno() -> c_int {
    // SAFETY: __errno_location always returns this thread's errno.
    -unsafe { *libc::__errno_location() }
}
