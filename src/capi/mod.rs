//! The C ABI: `extern "C"` functions named and typed exactly as liburing's.
//!
//! This layer only converts between C conventions (raw pointers, `-errno`)
//! and the Rust layers below; it holds no logic of its own.

use core::ffi::c_int;

mod ffi;
mod queue;
mod register;
mod setup;

pub use ffi::*;
pub use queue::*;
pub use register::*;
pub use setup::*;

/// Borrows the caller's ring, or returns `-EINVAL` from the enclosing
/// function when the pointer is NULL.
macro_rules! ring_or {
    ($ring:expr, $err:expr) => {
        // SAFETY: a non-NULL ring pointer from C points to a `struct io_uring`
        // that the caller owns for the duration of the call.
        match unsafe { $ring.as_mut() } {
            Some(r) => r,
            None => return $err,
        }
    };
}
pub(crate) use ring_or;

/// The kernel's `__u64` (`unsigned long long`). C signatures that take
/// `__u64` use this name so that the generated header spells the same type
/// as liburing's (`uint64_t` is `unsigned long`, a different C type).
pub type __u64 = u64;

/// `-EINVAL`, what a NULL ring gets.
pub(crate) const NULL_RING: c_int = -libc::EINVAL;
