//! Mapping the rings a ring fd describes into this process, and unmapping
//! them: the sizes of the SQE and CQE arrays, the pointers into the shared
//! ring memory that the kernel's offsets give. Set-up (`setup`) and
//! `io_uring_resize_rings` (`register`) both map through here.

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr;

use crate::os;
use crate::ring::*;
use crate::sys::*;

/// Bytes of SQE array for `entries` SQ entries.
pub fn sqes_bytes(flags: u32, entries: u32) -> usize {
    ((entries as usize) << sqe_shift_from_flags(flags)) * size_of::<io_uring_sqe>()
}

/// Bytes of CQE array for `entries` CQ entries.
pub fn cqes_bytes(flags: u32, entries: u32) -> usize {
    ((entries as usize) << cqe_shift_from_flags(flags)) * size_of::<io_uring_cqe>()
}

/// Unmaps the SQ and CQ ring mappings that `queue_mmap` or the huge-page
/// allocator created (the SQE array is separate).
///
/// # Safety
/// The pointers and sizes in `sq`/`cq` must describe live mappings or be zero.
pub unsafe fn unmap_rings(sq: &mut io_uring_sq, cq: &mut io_uring_cq) {
    if sq.ring_sz != 0 {
        // SAFETY: the caller guarantees this mapping is ours.
        unsafe { os::munmap(sq.ring_ptr, sq.ring_sz) };
    }
    if !cq.ring_ptr.is_null() && cq.ring_sz != 0 && cq.ring_ptr != sq.ring_ptr {
        // SAFETY: likewise.
        unsafe { os::munmap(cq.ring_ptr, cq.ring_sz) };
    }
}

/// Fills the pointers of `sq` and `cq` from the ring base addresses and the
/// offsets the kernel returned in `p`.
///
/// # Safety
/// `sq.ring_ptr` and `cq.ring_ptr` must be mappings laid out as `p` says.
pub unsafe fn setup_ring_pointers(p: &io_uring_params, sq: &mut io_uring_sq, cq: &mut io_uring_cq) {
    let sb = sq.ring_ptr.cast::<u8>();
    let cb = cq.ring_ptr.cast::<u8>();
    // SAFETY: the offsets come from the kernel and lie inside the mappings.
    unsafe {
        sq.khead = sb.add(p.sq_off.head as usize).cast();
        sq.ktail = sb.add(p.sq_off.tail as usize).cast();
        sq.kring_mask = sb.add(p.sq_off.ring_mask as usize).cast();
        sq.kring_entries = sb.add(p.sq_off.ring_entries as usize).cast();
        sq.kflags = sb.add(p.sq_off.flags as usize).cast();
        sq.kdropped = sb.add(p.sq_off.dropped as usize).cast();
        if p.flags & IORING_SETUP_NO_SQARRAY == 0 {
            sq.array = sb.add(p.sq_off.array as usize).cast();
        }
        cq.khead = cb.add(p.cq_off.head as usize).cast();
        cq.ktail = cb.add(p.cq_off.tail as usize).cast();
        cq.kring_mask = cb.add(p.cq_off.ring_mask as usize).cast();
        cq.kring_entries = cb.add(p.cq_off.ring_entries as usize).cast();
        cq.koverflow = cb.add(p.cq_off.overflow as usize).cast();
        cq.cqes = cb.add(p.cq_off.cqes as usize).cast();
        if p.cq_off.flags != 0 {
            cq.kflags = cb.add(p.cq_off.flags as usize).cast();
        }
        sq.ring_mask = *sq.kring_mask;
        sq.ring_entries = *sq.kring_entries;
        cq.ring_mask = *cq.kring_mask;
        cq.ring_entries = *cq.kring_entries;
    }
}

/// Maps the rings of ring fd `fd` as the kernel described them in `p`: 0 or
/// `-errno`.
///
/// # Safety
/// `p` must be what `io_uring_setup` returned for `fd`.
pub unsafe fn mmap_rings(fd: c_int, p: &io_uring_params, sq: &mut io_uring_sq, cq: &mut io_uring_cq) -> c_int {
    sq.ring_sz = p.sq_off.array as usize + p.sq_entries as usize * size_of::<u32>();
    cq.ring_sz = p.cq_off.cqes as usize + cqes_bytes(p.flags, p.cq_entries);
    if p.features & IORING_FEAT_SINGLE_MMAP != 0 {
        sq.ring_sz = sq.ring_sz.max(cq.ring_sz);
        cq.ring_sz = sq.ring_sz;
    }
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    let map = libc::MAP_SHARED | libc::MAP_POPULATE;
    // SAFETY: mapping a fresh region of the ring fd.
    let (ret, mem) = unsafe { os::mmap(ptr::null_mut(), sq.ring_sz, prot, map, fd, IORING_OFF_SQ_RING as i64) };
    if ret < 0 {
        return ret;
    }
    sq.ring_ptr = mem;
    if p.features & IORING_FEAT_SINGLE_MMAP != 0 {
        cq.ring_ptr = sq.ring_ptr;
    } else {
        // SAFETY: as above.
        let (ret, mem) = unsafe { os::mmap(ptr::null_mut(), cq.ring_sz, prot, map, fd, IORING_OFF_CQ_RING as i64) };
        if ret < 0 {
            cq.ring_ptr = ptr::null_mut();
            // SAFETY: sq.ring_ptr was mapped above.
            unsafe { unmap_rings(sq, cq) };
            return ret;
        }
        cq.ring_ptr = mem;
    }
    let sqes_sz = sqes_bytes(p.flags, p.sq_entries);
    let Ok(sqes_sz32) = u32::try_from(sqes_sz) else {
        // SAFETY: both ring mappings are ours.
        unsafe { unmap_rings(sq, cq) };
        return -libc::EINVAL;
    };
    sq.sqes_sz = sqes_sz32;
    // SAFETY: as above.
    let (ret, mem) = unsafe { os::mmap(ptr::null_mut(), sqes_sz, prot, map, fd, IORING_OFF_SQES as i64) };
    if ret < 0 {
        // SAFETY: both ring mappings are ours.
        unsafe { unmap_rings(sq, cq) };
        return ret;
    }
    sq.sqes = mem.cast();
    // SAFETY: the mappings are laid out as p says.
    unsafe { setup_ring_pointers(p, sq, cq) };
    0
}
