//! Kernel ABI: the io_uring uapi types and constants, and the raw system calls.
//!
//! Everything here mirrors `<linux/io_uring.h>` as liburing 2.15 ships it. Names
//! are the C names so that the C headers and this module read the same.

#![allow(non_camel_case_types, non_upper_case_globals)]

mod consts;
mod syscall;
mod types;

pub use consts::*;
pub use syscall::*;
pub use types::*;
