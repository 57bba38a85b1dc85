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
/// function when the pointer is NULL. In checked mode the ring is checked
/// first (see `crate::check`), under the name of the enclosing export.
macro_rules! ring_or {
    ($ring:expr, $err:expr) => {{
        let ring: *mut $crate::ring::io_uring = $ring;
        if $crate::check::active() {
            fn __here() {}
            // SAFETY: the caller's ring pointer; NULL is reported, not read.
            unsafe {
                $crate::check::ring_entry(ring, $crate::check::export_name(core::any::type_name_of_val(&__here)))
            };
        }
        $crate::capi::ring_or_no_entry_check!(ring, $err)
    }};
}
pub(crate) use ring_or;

/// `ring_or!` without its checked-mode entry check: the NULL test stays
/// (`err` comes back for a NULL ring). For exports whose body runs inside a
/// `crate::check` hook that already checked the ring, and for the set-up
/// calls, which fill the ring in. `ref ring` borrows a `*const io_uring`
/// shared instead of exclusive; without `err`, for `void` exports.
macro_rules! ring_or_no_entry_check {
    (ref $ring:expr, $err:expr) => {
        // SAFETY: a non-NULL ring pointer from C points to a `struct io_uring`
        // that the caller owns for the duration of the call.
        match unsafe { $ring.as_ref() } {
            Some(r) => r,
            None => return $err,
        }
    };
    ($ring:expr, $err:expr) => {
        // SAFETY: a non-NULL ring pointer from C points to a `struct io_uring`
        // that the caller owns for the duration of the call.
        match unsafe { $ring.as_mut() } {
            Some(r) => r,
            None => return $err,
        }
    };
    ($ring:expr) => {
        $crate::capi::ring_or_no_entry_check!($ring, {})
    };
}
pub(crate) use ring_or_no_entry_check;

/// The kernel's `__u64` (`unsigned long long`). C signatures that take
/// `__u64` use this name so that the generated header spells the same type
/// as liburing's (`uint64_t` is `unsigned long`, a different C type).
pub type __u64 = u64;

/// `-EINVAL`, what a NULL ring gets.
pub(crate) const NULL_RING: c_int = -libc::EINVAL;
