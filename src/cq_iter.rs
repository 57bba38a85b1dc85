//! Walking the CQ without consuming it: `struct io_uring_cqe_iter`, the
//! iterator behind `io_uring_for_each_cqe`, and the slot count of one CQE.

use crate::ring::{cqe_slots, io_uring};
use crate::sys::*;

/// A snapshot of the CQ between our head and the kernel's tail. The layout is
/// liburing's (returned by value from `io_uring_cqe_iter_init`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct io_uring_cqe_iter {
    pub cqes: *mut io_uring_cqe,
    pub mask: u32,
    pub shift: u32,
    pub head: u32,
    pub tail: u32,
}
crate::sys::assert_layout!(io_uring_cqe_iter, crate::sys::by_width(24, 20), cqes @ 0, mask @ crate::sys::by_width(8, 4),
    shift @ crate::sys::by_width(12, 8), head @ crate::sys::by_width(16, 12), tail @ crate::sys::by_width(20, 16));

impl io_uring_cqe_iter {
    /// An iterator that yields nothing (what a NULL ring gets).
    pub const EMPTY: Self = io_uring_cqe_iter {
        cqes: core::ptr::null_mut(),
        mask: 0,
        shift: 0,
        head: 0,
        tail: 0,
    };

    /// Starts at the CQ head; the tail is loaded with Acquire ordering
    /// (see [`io_uring::load_cq_tail`]) so every CQE before it is readable.
    #[inline(always)]
    pub fn new(ring: &io_uring) -> Self {
        io_uring_cqe_iter {
            cqes: ring.cq.cqes,
            mask: ring.cq.ring_mask,
            shift: ring.cqe_shift(),
            head: ring.load_cq_head(),
            tail: ring.load_cq_tail(),
        }
    }

    /// The next CQE, stepping over both slots of a 32-byte CQE of a mixed
    /// ring. Skip entries are returned like any other, as liburing does.
    ///
    /// # Safety
    /// The iterator must come from [`io_uring_cqe_iter::new`] on a ring whose
    /// CQ is still mapped.
    #[inline(always)]
    pub unsafe fn next_cqe(&mut self) -> Option<*mut io_uring_cqe> {
        if self.head == self.tail {
            return None;
        }
        let slot = ((self.head & self.mask) as usize) << self.shift;
        self.head = self.head.wrapping_add(1);
        // The slot is inside the CQE array the ring was set up with, as long
        // as `mask` and `shift` came from that ring; the address is computed
        // without assuming it.
        let cqe = self.cqes.wrapping_add(slot);
        // SAFETY: a CQE below the acquired tail has been written by the
        // kernel (or by whoever owns this simulated ring).
        if unsafe { (*cqe).flags } & IORING_CQE_F_32 != 0 {
            self.head = self.head.wrapping_add(1);
        }
        Some(cqe)
    }
}

/// CQ slots taken by `cqe`: 2 for a 32-byte CQE of a mixed ring, else 1.
///
/// # Safety
/// `cqe` must point to a readable CQE.
#[inline(always)]
pub unsafe fn cqe_nr(cqe: *const io_uring_cqe) -> u32 {
    // SAFETY: guaranteed by the caller.
    cqe_slots(unsafe { (*cqe).flags })
}
