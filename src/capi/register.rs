//! Registration, buffer rings and the ring-fd calls.

use core::ffi::{c_int, c_uint};
use core::ptr;

use super::{__u64, ring_or, NULL_RING};
use crate::register as reg;
use crate::ring::io_uring;
use crate::sys::*;

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_buffers(
    ring: *mut io_uring,
    iovecs: *const libc::iovec,
    nr_iovecs: c_uint,
) -> c_int {
    reg::register_buffers(ring_or!(ring, NULL_RING), iovecs, nr_iovecs)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_buffers_tags(
    ring: *mut io_uring,
    iovecs: *const libc::iovec,
    tags: *const __u64,
    nr: c_uint,
) -> c_int {
    reg::register_buffers_tags(ring_or!(ring, NULL_RING), iovecs, tags, nr)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_buffers_sparse(ring: *mut io_uring, nr: c_uint) -> c_int {
    reg::register_buffers_sparse(ring_or!(ring, NULL_RING), nr)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_buffers_update_tag(
    ring: *mut io_uring,
    off: c_uint,
    iovecs: *const libc::iovec,
    tags: *const __u64,
    nr: c_uint,
) -> c_int {
    reg::register_buffers_update_tag(ring_or!(ring, NULL_RING), off, iovecs, tags, nr)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_buffers(ring: *mut io_uring) -> c_int {
    reg::unregister_buffers(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_files(ring: *mut io_uring, files: *const c_int, nr_files: c_uint) -> c_int {
    reg::register_files(ring_or!(ring, NULL_RING), files, nr_files)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_files_tags(
    ring: *mut io_uring,
    files: *const c_int,
    tags: *const __u64,
    nr: c_uint,
) -> c_int {
    reg::register_files_tags(ring_or!(ring, NULL_RING), files, tags, nr)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_files_sparse(ring: *mut io_uring, nr: c_uint) -> c_int {
    reg::register_files_sparse(ring_or!(ring, NULL_RING), nr)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_files_update(
    ring: *mut io_uring,
    off: c_uint,
    files: *const c_int,
    nr_files: c_uint,
) -> c_int {
    reg::register_files_update(ring_or!(ring, NULL_RING), off, files, nr_files)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_files_update_tag(
    ring: *mut io_uring,
    off: c_uint,
    files: *const c_int,
    tags: *const __u64,
    nr_files: c_uint,
) -> c_int {
    reg::register_files_update_tag(ring_or!(ring, NULL_RING), off, files, tags, nr_files)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_files(ring: *mut io_uring) -> c_int {
    reg::unregister_files(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_eventfd(ring: *mut io_uring, fd: c_int) -> c_int {
    reg::register_eventfd(ring_or!(ring, NULL_RING), fd, false)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_eventfd_async(ring: *mut io_uring, fd: c_int) -> c_int {
    reg::register_eventfd(ring_or!(ring, NULL_RING), fd, true)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_eventfd(ring: *mut io_uring) -> c_int {
    reg::unregister_eventfd(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_probe(ring: *mut io_uring, p: *mut io_uring_probe, nr: c_uint) -> c_int {
    reg::register_probe(ring_or!(ring, NULL_RING), p, nr)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_personality(ring: *mut io_uring) -> c_int {
    reg::register_personality(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_personality(ring: *mut io_uring, id: c_int) -> c_int {
    reg::unregister_personality(ring_or!(ring, NULL_RING), id)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_restrictions(
    ring: *mut io_uring,
    res: *mut io_uring_restriction,
    nr_res: c_uint,
) -> c_int {
    reg::register_restrictions(ring_or!(ring, NULL_RING), res, nr_res)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_enable_rings(ring: *mut io_uring) -> c_int {
    reg::enable_rings(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_iowq_aff(
    ring: *mut io_uring,
    cpusz: usize,
    mask: *const libc::cpu_set_t,
) -> c_int {
    reg::register_iowq_aff(ring_or!(ring, NULL_RING), cpusz, mask)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_iowq_aff(ring: *mut io_uring) -> c_int {
    reg::unregister_iowq_aff(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_iowq_max_workers(ring: *mut io_uring, values: *mut c_uint) -> c_int {
    reg::register_iowq_max_workers(ring_or!(ring, NULL_RING), values)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_ring_fd(ring: *mut io_uring) -> c_int {
    reg::register_ring_fd(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_ring_fd(ring: *mut io_uring) -> c_int {
    reg::unregister_ring_fd(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_close_ring_fd(ring: *mut io_uring) -> c_int {
    reg::close_ring_fd(ring_or!(ring, NULL_RING))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_buf_ring(
    ring: *mut io_uring,
    reg: *mut io_uring_buf_reg,
    flags: c_uint,
) -> c_int {
    let ring = ring_or!(ring, NULL_RING);
    // SAFETY: a non-NULL registration struct is the caller's.
    let Some(r) = (unsafe { reg.as_mut() }) else {
        return -libc::EFAULT;
    };
    reg::register_buf_ring(ring, r, flags)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_buf_ring(ring: *mut io_uring, bgid: c_int) -> c_int {
    reg::unregister_buf_ring(ring_or!(ring, NULL_RING), bgid)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_buf_ring_head(ring: *mut io_uring, buf_group: c_int, head: *mut u16) -> c_int {
    let ring = ring_or!(ring, NULL_RING);
    let (ret, h) = reg::buf_ring_head(ring, buf_group);
    if ret != 0 {
        return ret;
    }
    if head.is_null() {
        return -libc::EFAULT;
    }
    // SAFETY: non-NULL out pointer from C.
    unsafe { *head = h };
    0
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_setup_buf_ring(
    ring: *mut io_uring,
    nentries: c_uint,
    bgid: c_int,
    flags: c_uint,
    err: *mut c_int,
) -> *mut io_uring_buf_ring {
    if ring.is_null() && !err.is_null() {
        // A NULL ring fails like every other error here: NULL back, the
        // code in *err (upstream 2.15 would crash instead).
        // SAFETY: non-NULL out pointer from C.
        unsafe { *err = NULL_RING };
    }
    let ring = ring_or!(ring, ptr::null_mut());
    let (code, br) = crate::buf_ring::setup_buf_ring(ring, nentries, bgid, flags);
    if !err.is_null() {
        // SAFETY: non-NULL out pointer from C.
        unsafe { *err = code };
    }
    br
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_free_buf_ring(
    ring: *mut io_uring,
    br: *mut io_uring_buf_ring,
    nentries: c_uint,
    bgid: c_int,
) -> c_int {
    let ring = ring_or!(ring, NULL_RING);
    // SAFETY: the caller passes the ring io_uring_setup_buf_ring returned.
    unsafe { crate::buf_ring::free_buf_ring(ring, br, nentries, bgid) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_sync_cancel(
    ring: *mut io_uring,
    reg: *mut io_uring_sync_cancel_reg,
) -> c_int {
    reg::register_sync_cancel(ring_or!(ring, NULL_RING), reg)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_sync_msg(sqe: *mut io_uring_sqe) -> c_int {
    reg::register_sync_msg(sqe)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_file_alloc_range(ring: *mut io_uring, off: c_uint, len: c_uint) -> c_int {
    reg::register_file_alloc_range(ring_or!(ring, NULL_RING), off, len)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_napi(ring: *mut io_uring, napi: *mut io_uring_napi) -> c_int {
    reg::register_napi(ring_or!(ring, NULL_RING), napi, true)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_unregister_napi(ring: *mut io_uring, napi: *mut io_uring_napi) -> c_int {
    reg::register_napi(ring_or!(ring, NULL_RING), napi, false)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_clock(ring: *mut io_uring, arg: *mut io_uring_clock_register) -> c_int {
    reg::register_clock(ring_or!(ring, NULL_RING), arg)
}

#[no_mangle]
pub unsafe extern "C" fn __io_uring_clone_buffers_offset(
    dst: *mut io_uring,
    src: *mut io_uring,
    dst_off: c_uint,
    src_off: c_uint,
    nr: c_uint,
    flags: c_uint,
) -> c_int {
    let dst = ring_or!(dst, NULL_RING);
    let src = ring_or!(src, NULL_RING);
    reg::clone_buffers_offset(dst, src, dst_off, src_off, nr, flags)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_clone_buffers_offset(
    dst: *mut io_uring,
    src: *mut io_uring,
    dst_off: c_uint,
    src_off: c_uint,
    nr: c_uint,
    flags: c_uint,
) -> c_int {
    let dst = ring_or!(dst, NULL_RING);
    let src = ring_or!(src, NULL_RING);
    reg::clone_buffers_offset_registered(dst, src, dst_off, src_off, nr, flags)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_clone_buffers(dst: *mut io_uring, src: *mut io_uring) -> c_int {
    let dst = ring_or!(dst, NULL_RING);
    let src = ring_or!(src, NULL_RING);
    reg::clone_buffers(dst, src)
}

#[no_mangle]
pub unsafe extern "C" fn __io_uring_clone_buffers(dst: *mut io_uring, src: *mut io_uring, flags: c_uint) -> c_int {
    let dst = ring_or!(dst, NULL_RING);
    let src = ring_or!(src, NULL_RING);
    reg::clone_buffers_flags(dst, src, flags)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_ifq(ring: *mut io_uring, reg: *mut io_uring_zcrx_ifq_reg) -> c_int {
    reg::register_ifq(ring_or!(ring, NULL_RING), reg)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_zcrx_ctrl(ring: *mut io_uring, ctrl: *mut zcrx_ctrl) -> c_int {
    reg::register_zcrx_ctrl(ring_or!(ring, NULL_RING), ctrl)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_region(ring: *mut io_uring, reg: *mut io_uring_mem_region_reg) -> c_int {
    reg::register_region(ring_or!(ring, NULL_RING), reg)
}

/// Always fails with -EINVAL, whatever the arguments (a NULL ring included);
/// neither the ring nor the kernel is touched. The kernel interface this
/// call was designed for never made it into a released kernel, and liburing
/// 2.15 answers -EINVAL here too, so programs written against it already
/// expect this. To set up the wait region that io_uring_submit_and_wait_reg()
/// indexes, call io_uring_register_region() with
/// IORING_MEM_REGION_REG_WAIT_ARG on a ring created with
/// IORING_SETUP_R_DISABLED, then enable the ring.
#[no_mangle]
pub unsafe extern "C" fn io_uring_register_wait_reg(
    ring: *mut io_uring,
    reg: *mut io_uring_reg_wait,
    nr: c_int,
) -> c_int {
    // The arguments are deliberately ignored (see above); naming them keeps
    // the C declaration's parameter names.
    let _ = (ring, reg, nr);
    -libc::EINVAL
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_bpf_filter(ring: *mut io_uring, bpf: *mut io_uring_bpf) -> c_int {
    reg::register_bpf_filter(ring_or!(ring, NULL_RING), bpf)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_bpf_filter_task(bpf: *mut io_uring_bpf) -> c_int {
    reg::register_bpf_filter_task(bpf)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_register_query(query: *mut io_uring_query_hdr) -> c_int {
    reg::register_query(query)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_resize_rings(ring: *mut io_uring, p: *mut io_uring_params) -> c_int {
    let ring = ring_or!(ring, NULL_RING);
    // SAFETY: a non-NULL params pointer is the caller's struct.
    let Some(p) = (unsafe { p.as_mut() }) else {
        return -libc::EFAULT;
    };
    reg::resize_rings(ring, p)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_set_iowait(ring: *mut io_uring, enable_iowait: bool) -> c_int {
    reg::set_iowait(ring_or!(ring, NULL_RING), enable_iowait)
}
