//! Two plain structs that `<liburing.h>` (not the uapi) defines and that
//! C programs allocate themselves, so their layout is ABI.

use core::ffi::c_void;
use core::ptr;

use super::{by_width, io_uring_cqe, io_uring_zcrx_rqe};

/// A zero-copy receive refill queue as the application sees it: pointers to
/// the kernel-shared head and tail, the application's cached tail, and the
/// entries.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct io_uring_zcrx_rq {
    pub khead: *mut u32,
    pub ktail: *mut u32,
    pub rq_tail: u32,
    pub ring_entries: u32,
    pub rqes: *mut io_uring_zcrx_rqe,
    pub ring_ptr: *mut c_void,
}
assert_layout!(io_uring_zcrx_rq, by_width(40, 24), khead @ 0, ktail @ by_width(8, 4), rq_tail @ by_width(16, 8),
    ring_entries @ by_width(20, 12), rqes @ by_width(24, 16), ring_ptr @ by_width(32, 20));

impl Default for io_uring_zcrx_rq {
    fn default() -> Self {
        Self {
            khead: ptr::null_mut(),
            ktail: ptr::null_mut(),
            rq_tail: 0,
            ring_entries: 0,
            rqes: ptr::null_mut(),
            ring_ptr: ptr::null_mut(),
        }
    }
}

/// A snapshot of the CQ for walking it without touching the ring head:
/// entries `head..tail`, slot `(i & mask) << shift` (shift 1 for 32-byte CQEs).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct io_uring_cqe_iter {
    pub cqes: *mut io_uring_cqe,
    pub mask: u32,
    pub shift: u32,
    pub head: u32,
    pub tail: u32,
}
assert_layout!(io_uring_cqe_iter, by_width(24, 20), cqes @ 0, mask @ by_width(8, 4),
    shift @ by_width(12, 8), head @ by_width(16, 12), tail @ by_width(20, 16));

impl Default for io_uring_cqe_iter {
    fn default() -> Self {
        Self {
            cqes: ptr::null_mut(),
            mask: 0,
            shift: 0,
            head: 0,
            tail: 0,
        }
    }
}
