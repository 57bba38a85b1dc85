//! Provided-buffer rings: allocation, registration and the ring helpers.

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr;
use core::sync::atomic::{AtomicU16, Ordering};

use crate::ring::io_uring;
use crate::sys::*;

/// Bytes of a buffer ring with `entries` slots.
fn ring_bytes(entries: u32) -> usize {
    entries as usize * size_of::<io_uring_buf>()
}

/// Maps memory for a buffer ring of `entries` slots, registers it as group
/// `bgid` and resets its tail. On failure returns the `-errno`.
pub fn setup_buf_ring(ring: &io_uring, entries: u32, bgid: c_int, flags: u32) -> Result<*mut io_uring_buf_ring, c_int> {
    let len = ring_bytes(entries);
    // SAFETY: a fresh private anonymous mapping.
    let br = match unsafe {
        crate::syscalls::mmap(
            ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_ANONYMOUS | libc::MAP_PRIVATE,
            -1,
            0,
        )
    } {
        Ok(p) => p.cast::<io_uring_buf_ring>(),
        Err(e) => return Err(e.neg()),
    };
    let mut reg = io_uring_buf_reg {
        ring_addr: br as u64,
        ring_entries: entries,
        bgid: bgid as u16,
        ..Default::default()
    };
    let ret = crate::register::register_buf_ring(ring, &mut reg, flags);
    if ret != 0 {
        // SAFETY: mapped above and not registered.
        unsafe { crate::syscalls::munmap(br.cast(), len) };
        return Err(ret);
    }
    // SAFETY: br is our mapping.
    unsafe { buf_ring_init(br) };
    Ok(br)
}

/// Unregisters group `bgid` and unmaps its ring.
///
/// # Safety
/// `br` must come from [`setup_buf_ring`] with the same `entries`.
pub unsafe fn free_buf_ring(ring: &io_uring, br: *mut io_uring_buf_ring, entries: u32, bgid: c_int) -> c_int {
    let ret = crate::register::unregister_buf_ring(ring, bgid);
    if ret != 0 {
        return ret;
    }
    // SAFETY: guaranteed by the caller.
    unsafe { crate::syscalls::munmap(br.cast(), ring_bytes(entries)) };
    0
}

/// Resets the ring's tail to zero.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline(always)]
pub unsafe fn buf_ring_init(br: *mut io_uring_buf_ring) {
    // SAFETY: guaranteed by the caller; the kernel only reads the tail.
    unsafe { AtomicU16::from_ptr(ptr::addr_of_mut!((*br).tail)) }.store(0, Ordering::Relaxed);
}
