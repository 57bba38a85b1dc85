//! Kernel ABI: the io_uring uapi types and constants, and the raw system calls.
//!
//! Everything here mirrors what liburing 2.15 ships as `<liburing/io_uring.h>`,
//! `<liburing/io_uring/query.h>` and `<liburing/io_uring/bpf_filter.h>`. Names
//! are the C names so that the C headers and this module read the same.
//!
//! Integer types of constants follow the field (or liburing parameter) they
//! are used with: `u8` for opcodes and `IOSQE_*`, `u16` for flags that go in
//! `sqe.ioprio` (`IORING_RECVSEND_*`, `IORING_ACCEPT_*`) and other 16-bit
//! fields, `u64` for values stored in 64-bit fields (`IORING_OFF_*`,
//! `IORING_MSG_*`, ...), `u32` for everything else. The values themselves are
//! checked against our C header by `capi-tests/uapi/check-uapi.sh`.
//!
//! Files by concern: [`consts`](self) ring-level flags, `opcodes` the SQE
//! opcodes and their per-opcode flags, `registration` io_uring_register(2),
//! `types` the core structs, `zcrx`, `query`, `bpf_filter`, and
//! `liburing_types` for two plain structs of liburing.h.

#![allow(non_camel_case_types, non_upper_case_globals)]

/// Compile-time check that a struct has the given size and field offsets.
macro_rules! assert_layout {
    ($ty:ty, $size:expr $(, $field:ident @ $off:expr)* $(,)?) => {
        const _: () = {
            assert!(core::mem::size_of::<$ty>() == $size);
            $( assert!(core::mem::offset_of!($ty, $field) == $off); )*
        };
    };
}
pub(crate) use assert_layout;

/// A size or offset of a struct that holds pointers or `size_t`: its value
/// on 64-bit targets (LP64: x86_64, arm64, s390x, riscv64, ppc64el) and on
/// 32-bit ones (ILP32: i386, armhf), so that `assert_layout!` states both
/// ABIs and checks the one being built.
pub(crate) const fn by_width(lp64: usize, ilp32: usize) -> usize {
    if cfg!(target_pointer_width = "64") {
        lp64
    } else if cfg!(target_pointer_width = "32") {
        ilp32
    } else {
        panic!("liburing's structs are laid out for 32- and 64-bit pointers only")
    }
}

/// `assert_layout!` for the uapi structs of this module; in test builds it
/// also records the layout as `<type>::ABI_LAYOUT` so that the unit tests can
/// hand it to `capi-tests/uapi/check-uapi.sh` for comparison with the C header.
macro_rules! uapi_layout {
    ($ty:ident, $size:expr $(, $field:ident @ $off:expr)* $(,)?) => {
        assert_layout!($ty, $size $(, $field @ $off)*);
        #[cfg(test)]
        impl $ty {
            pub(crate) const ABI_LAYOUT: (usize, &'static [(&'static str, usize)]) = (
                core::mem::size_of::<$ty>(),
                &[$( (stringify!($field), core::mem::offset_of!($ty, $field)) ),*],
            );
        }
    };
}

/// Declares uapi constants (`NAME: type = value;`, doc comments allowed) and,
/// in test builds, a table `$table` of `(name, value)` for all of them, which
/// the unit tests export for the comparison with the C header.
macro_rules! uapi_consts {
    ($table:ident; $( $(#[$meta:meta])* $name:ident : $ty:ty = $val:expr; )*) => {
        $( $(#[$meta])* pub const $name: $ty = $val; )*
        #[cfg(test)]
        pub(crate) const $table: &[(&str, i128)] = &[ $( (stringify!($name), $name as i128) ),* ];
    };
}

mod bpf_filter;
mod consts;
mod liburing_types;
mod opcodes;
mod query;
mod raw_syscall;
mod registration;
mod syscall;
mod types;
mod zcrx;

#[cfg(test)]
mod tests;

pub use bpf_filter::*;
pub use consts::*;
pub use liburing_types::*;
pub use opcodes::*;
pub use query::*;
pub use registration::*;
pub use syscall::*;
pub use types::*;
pub use zcrx::*;
