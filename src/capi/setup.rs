//! Set-up, teardown, sizing, probes, versions and the raw system calls.

use core::ffi::{c_int, c_uint, c_void};
use core::ptr;

use super::{ring_or, ring_or_no_entry_check, NULL_RING};
use crate::check;
use crate::ring::io_uring;
use crate::setup;
use crate::sys::*;

#[no_mangle]
pub unsafe extern "C" fn io_uring_queue_init(entries: c_uint, ring: *mut io_uring, flags: c_uint) -> c_int {
    let ring = ring_or_no_entry_check!(ring, NULL_RING);
    let mut p = io_uring_params {
        flags,
        ..Default::default()
    };
    setup::queue_init(entries, ring, &mut p)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_queue_init_params(
    entries: c_uint,
    ring: *mut io_uring,
    p: *mut io_uring_params,
) -> c_int {
    let ring = ring_or_no_entry_check!(ring, NULL_RING);
    // SAFETY: a non-NULL params pointer is the caller's struct.
    let Some(p) = (unsafe { p.as_mut() }) else {
        return -libc::EFAULT;
    };
    setup::queue_init(entries, ring, p)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_queue_init_mem(
    entries: c_uint,
    ring: *mut io_uring,
    p: *mut io_uring_params,
    buf: *mut c_void,
    buf_size: usize,
) -> c_int {
    let ring = ring_or_no_entry_check!(ring, NULL_RING);
    // SAFETY: a non-NULL params pointer is the caller's struct.
    let Some(p) = (unsafe { p.as_mut() }) else {
        return -libc::EFAULT;
    };
    // SAFETY: the caller hands over buf_size bytes at buf for the ring's life.
    unsafe { setup::queue_init_mem(entries, ring, p, buf, buf_size) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_queue_mmap(fd: c_int, p: *mut io_uring_params, ring: *mut io_uring) -> c_int {
    let ring = ring_or_no_entry_check!(ring, NULL_RING);
    // SAFETY: a non-NULL params pointer is the caller's struct.
    let Some(p) = (unsafe { p.as_ref() }) else {
        return -libc::EFAULT;
    };
    // SAFETY: the caller says p describes fd; mmap fails cleanly otherwise.
    unsafe { setup::queue_mmap(fd, p, ring) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_queue_exit(ring: *mut io_uring) {
    check::hooked!(exiting(ring), (ring: *mut io_uring) -> (), {
        // SAFETY: a non-NULL ring pointer from C is the caller's ring.
        let Some(ring) = (unsafe { ring.as_mut() }) else { return };
        // SAFETY: the ring was set up by this library (or is all zero).
        unsafe { crate::setup::queue_exit(ring) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_ring_dontfork(ring: *mut io_uring) -> c_int {
    let ring = ring_or!(ring, NULL_RING);
    // SAFETY: the ring's mappings are ours.
    unsafe { crate::setup::ring_dontfork(ring) }
}

/// A `(status, size)` answer as C's `ssize_t`: the `-errno` or the size.
fn ssize((ret, size): (c_int, usize)) -> libc::ssize_t {
    if ret < 0 {
        ret as isize
    } else {
        size as isize
    }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_memory_size_params(entries: c_uint, p: *mut io_uring_params) -> libc::ssize_t {
    // SAFETY: a non-NULL params pointer is the caller's struct.
    let Some(p) = (unsafe { p.as_ref() }) else {
        return -libc::EFAULT as isize;
    };
    ssize(crate::setup::memory_size(entries, p))
}

#[no_mangle]
pub extern "C" fn io_uring_memory_size(entries: c_uint, flags: c_uint) -> libc::ssize_t {
    let p = io_uring_params {
        flags,
        ..Default::default()
    };
    ssize(crate::setup::memory_size(entries, &p))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_mlock_size_params(entries: c_uint, p: *mut io_uring_params) -> libc::ssize_t {
    // SAFETY: a non-NULL params pointer is the caller's struct.
    ssize(setup::mlock_size(entries, unsafe { p.as_ref() }))
}

#[no_mangle]
pub extern "C" fn io_uring_mlock_size(entries: c_uint, flags: c_uint) -> libc::ssize_t {
    let p = io_uring_params {
        flags,
        ..Default::default()
    };
    ssize(setup::mlock_size(entries, Some(&p)))
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_get_probe_ring(ring: *mut io_uring) -> *mut io_uring_probe {
    let ring = ring_or!(ring, ptr::null_mut());
    crate::probe::probe_ring(ring)
}

#[no_mangle]
pub extern "C" fn io_uring_get_probe() -> *mut io_uring_probe {
    crate::probe::probe()
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_free_probe(probe: *mut io_uring_probe) {
    // SAFETY: probes are allocated with libc's allocator; free(NULL) is a no-op.
    unsafe { libc::free(probe.cast()) }
}

#[no_mangle]
pub extern "C" fn io_uring_major_version() -> c_int {
    crate::version::MAJOR
}

#[no_mangle]
pub extern "C" fn io_uring_minor_version() -> c_int {
    crate::version::MINOR
}

/// True when the library is *older* than `major.minor`.
#[no_mangle]
pub extern "C" fn io_uring_check_version(major: c_int, minor: c_int) -> bool {
    !crate::version::is_at_least(major, minor)
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_setup(entries: c_uint, p: *mut io_uring_params) -> c_int {
    // SAFETY: the kernel validates the pointer (EFAULT).
    unsafe { crate::sys::io_uring_setup(entries, p) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_enter(
    fd: c_uint,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    sig: *mut libc::sigset_t,
) -> c_int {
    // SAFETY: the kernel validates the pointer (EFAULT).
    unsafe { crate::sys::io_uring_enter(fd as c_int, to_submit, min_complete, flags, sig) }
}

#[no_mangle]
pub unsafe extern "C" fn io_uring_enter2(
    fd: c_uint,
    to_submit: c_uint,
    min_complete: c_uint,
    flags: c_uint,
    arg: *mut c_void,
    sz: usize,
) -> c_int {
    // SAFETY: the kernel validates the argument against the flags.
    unsafe { io_uring_enter2_raw(fd as c_int, to_submit, min_complete, flags, arg, sz) }
}

use crate::sys::io_uring_enter2 as io_uring_enter2_raw;

#[no_mangle]
pub unsafe extern "C" fn io_uring_register(fd: c_uint, opcode: c_uint, arg: *const c_void, nr_args: c_uint) -> c_int {
    // SAFETY: the kernel validates the argument against the opcode.
    unsafe { crate::sys::io_uring_register(fd as c_int, opcode, arg, nr_args) }
}
