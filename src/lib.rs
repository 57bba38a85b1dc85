//! liburing-rs: liburing 2.15, the Linux io_uring userspace library, in Rust
//! behind liburing's C ABI.
//!
//! Layers, top to bottom: [`capi`] (the exported C functions), the liburing
//! semantics ([`setup`], [`submit`], [`complete`], [`register`], [`probe`],
//! [`buf_ring`], [`prep`]), the ring protocol ([`ring`], with [`mapping`] of its memory) and the kernel ABI
//! ([`sys`]).

// std only for unit tests and fuzz builds (cargo fuzz passes --cfg fuzzing):
// the staticlib output then takes std's panic handler, and the fuzz binary,
// which is std, links the rlib.
#![cfg_attr(not(any(test, fuzzing)), no_std)]
#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

// Unwinding out of an `extern "C"` function into C is undefined behaviour.
#[cfg(all(not(test), not(panic = "abort")))]
compile_error!("liburing-rs must be built with panic = \"abort\" (see Cargo.toml profiles)");

pub mod buf_ring;
pub mod capi;
pub mod check;
pub mod complete;
pub mod cq_iter;
pub mod errno;
pub mod mapping;
pub mod os;
pub mod prep;
pub mod probe;
pub mod recvmsg;
pub mod register;
pub mod ring;
pub mod setup;
pub mod submit;
pub mod sync;
pub mod sys;
#[cfg(any(test, fuzzing))]
pub mod tests;
pub mod version;

#[cfg(not(any(test, fuzzing)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort never returns and is async-signal-safe.
    unsafe { libc::abort() }
}
