//! Provided-buffer rings: allocation, registration and the ring helpers.

use crate::ring::io_uring;
use crate::sync::{atomic_u16, read_app_u16, Ordering};
use crate::sys::*;
use core::ffi::{c_int, c_void};
use core::mem::size_of;
use core::ptr;

/// Bytes of a buffer ring with `entries` slots.
fn ring_bytes(entries: u32) -> usize {
    entries as usize * size_of::<io_uring_buf>()
}

/// Maps memory for a buffer ring of `entries` slots, registers it as group
/// `bgid` and resets its tail. Returns 0 and the ring, or the `-errno` and
/// NULL.
pub fn setup_buf_ring(ring: &io_uring, entries: u32, bgid: c_int, flags: u32) -> (c_int, *mut io_uring_buf_ring) {
    let len = ring_bytes(entries);
    // SAFETY: a fresh private anonymous mapping.
    let (ret, mem) = unsafe {
        crate::os::mmap(
            ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_ANONYMOUS | libc::MAP_PRIVATE,
            -1,
            0,
        )
    };
    if ret < 0 {
        return (ret, ptr::null_mut());
    }
    let br = mem.cast::<io_uring_buf_ring>();
    let mut reg = io_uring_buf_reg {
        ring_addr: br as u64,
        ring_entries: entries,
        bgid: bgid as u16,
        ..Default::default()
    };
    let ret = crate::register::register_buf_ring(ring, &mut reg, flags);
    if ret != 0 {
        // SAFETY: mapped above and not registered.
        unsafe { crate::os::munmap(br.cast(), len) };
        return (ret, ptr::null_mut());
    }
    // SAFETY: br is our mapping.
    unsafe { buf_ring_init(br) };
    (0, br)
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
    unsafe { crate::os::munmap(br.cast(), ring_bytes(entries)) };
    0
}

/// Resets the ring's tail to zero.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline(always)]
pub unsafe fn buf_ring_init(br: *mut io_uring_buf_ring) {
    // SAFETY: guaranteed by the caller; the kernel only reads the tail.
    unsafe { atomic_u16(ptr::addr_of_mut!((*br).tail)) }.store(0, Ordering::Relaxed);
}

/// The index mask of a buffer ring with `ring_entries` slots (a power of 2).
#[inline(always)]
pub fn buf_ring_mask(ring_entries: u32) -> c_int {
    ring_entries.wrapping_sub(1) as c_int
}

/// Fills slot `(tail + buf_offset) & mask` with a buffer, without making it
/// visible to the kernel (see [`buf_ring_advance`]). Only `addr`, `len` and
/// `bid` are written: the `resv` field of slot 0 is the ring's tail.
///
/// # Safety
/// `br` must point to a buffer ring and `mask` must be its mask (the slot is
/// computed exactly as liburing does, with no further bound check).
#[inline(always)]
pub unsafe fn buf_ring_add(
    br: *mut io_uring_buf_ring,
    addr: *mut c_void,
    len: u32,
    bid: u16,
    mask: c_int,
    buf_offset: c_int,
) {
    // SAFETY: guaranteed by the caller; the application owns the tail.
    let tail = unsafe { read_app_u16(ptr::addr_of!((*br).tail)) };
    // C computes the index in `int`: tail promoted, then added and masked.
    let index = (tail as c_int).wrapping_add(buf_offset) & mask;
    let buf = br.cast::<io_uring_buf>().wrapping_offset(index as isize);
    // SAFETY: with the caller's mask the slot lies inside the ring; the
    // kernel does not read slots past the published tail.
    unsafe {
        ptr::addr_of_mut!((*buf).addr).write(addr as usize as u64);
        ptr::addr_of_mut!((*buf).len).write(len);
        ptr::addr_of_mut!((*buf).bid).write(bid);
    }
}

/// Publishes `count` buffers added since the last advance.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline(always)]
pub unsafe fn buf_ring_advance(br: *mut io_uring_buf_ring, count: c_int) {
    // SAFETY: guaranteed by the caller. The tail is a 16-bit counter that
    // wraps, as the kernel expects.
    let tail = unsafe { atomic_u16(ptr::addr_of_mut!((*br).tail)) };
    let new_tail = tail.load(Ordering::Relaxed).wrapping_add(count as u16);
    // Release pairs with the kernel's smp_load_acquire of the buffer ring
    // tail: the slots written by buf_ring_add are visible before the tail.
    tail.store(new_tail, Ordering::Release);
}

/// Publishes `buf_count` buffers and marks `cq_count` CQEs seen.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline(always)]
pub unsafe fn buf_ring_cq_advance(ring: &mut io_uring, br: *mut io_uring_buf_ring, cq_count: c_int, buf_count: c_int) {
    // SAFETY: guaranteed by the caller.
    unsafe { buf_ring_advance(br, buf_count) };
    ring.cq_advance(cq_count as u32);
}

/// Buffers of group `bgid` that the kernel has not consumed yet: our tail
/// minus the kernel's head, as a 16-bit distance; or the `-errno` of asking
/// the kernel for its head.
///
/// # Safety
/// `br` must point to a buffer ring.
#[inline(always)]
pub unsafe fn buf_ring_available(ring: &io_uring, br: *mut io_uring_buf_ring, bgid: u16) -> c_int {
    let (ret, head) = crate::register::buf_ring_head(ring, bgid as c_int);
    if ret != 0 {
        return ret;
    }
    // SAFETY: guaranteed by the caller; the application owns the tail.
    let tail = unsafe { read_app_u16(ptr::addr_of!((*br).tail)) };
    tail.wrapping_sub(head) as c_int
}
