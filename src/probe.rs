//! Probing which opcodes the kernel supports.

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr;

use crate::ring::io_uring;
use crate::sys::*;

/// Number of `io_uring_probe_op` slots liburing asks the kernel to fill.
pub const PROBE_OPS: usize = 256;

/// A probe of `ring`, allocated with libc's `malloc` so that callers may
/// release it with `free()` as well as `io_uring_free_probe()`.
pub fn probe_ring(ring: &io_uring) -> *mut io_uring_probe {
    let len = size_of::<io_uring_probe>() + PROBE_OPS * size_of::<io_uring_probe_op>();
    // SAFETY: calloc returns zeroed memory of len bytes or NULL.
    let probe = unsafe { libc::calloc(1, len) }.cast::<io_uring_probe>();
    if probe.is_null() {
        return ptr::null_mut();
    }
    if crate::register::register_probe(ring, probe, PROBE_OPS as u32) >= 0 {
        return probe;
    }
    // SAFETY: allocated above with calloc.
    unsafe { libc::free(probe.cast()) };
    ptr::null_mut()
}

/// Whether probe `p` reports opcode `op` as supported; false for an opcode
/// outside `0..=last_op`.
///
/// # Safety
/// `p` must point to a probe with room for every op up to its `last_op`, as
/// `io_uring_get_probe*` allocate them.
pub unsafe fn opcode_supported(p: *const io_uring_probe, op: c_int) -> bool {
    // SAFETY: guaranteed by the caller.
    let last_op = unsafe { (*p).last_op };
    if op < 0 || op > last_op as c_int {
        return false;
    }
    // SAFETY: op <= last_op, within the ops[] array that follows the header
    // (addressed through the raw pointer, which covers the whole allocation).
    let flags = unsafe { (*ptr::addr_of!((*p).ops).cast::<io_uring_probe_op>().add(op as usize)).flags };
    flags & IO_URING_OP_SUPPORTED != 0
}

/// A probe from a short-lived ring of two entries.
pub fn probe() -> *mut io_uring_probe {
    let mut ring = io_uring::zeroed();
    let mut p = io_uring_params::default();
    // SAFETY: no application memory is involved.
    if unsafe { crate::setup::queue_init_params(2, &mut ring, &mut p, ptr::null_mut(), 0) }.0 < 0 {
        return ptr::null_mut();
    }
    let probe = probe_ring(&ring);
    // SAFETY: the ring was set up above.
    unsafe { crate::setup::queue_exit(&mut ring) };
    probe
}
