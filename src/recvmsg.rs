//! Reading the buffers that multishot `recvmsg` fills.
//!
//! The kernel lays out each buffer as an `io_uring_recvmsg_out` header, then
//! `msg_namelen` bytes reserved for the source address, then
//! `msg_controllen` bytes reserved for control messages, then the payload;
//! the `msghdr` is the one given to `io_uring_prep_recvmsg_multishot`.
//!
//! These functions only compute addresses inside that buffer, with the same
//! arithmetic as liburing's inline helpers (which wrap rather than trap), and
//! read the header and control-message lengths the caller hands them.
//! Addresses are computed with wrapping pointer arithmetic so that no step
//! is undefined behaviour even when the inputs are inconsistent.

use core::ffi::{c_int, c_uint, c_void};
use core::mem::size_of;

use crate::sys::*;

const HDR: usize = size_of::<io_uring_recvmsg_out>();
const CMSG_HDR: usize = size_of::<libc::cmsghdr>();

/// Rounds a control-message length up like glibc's `CMSG_ALIGN`.
#[inline(always)]
fn cmsg_align(len: usize) -> usize {
    len.wrapping_add(size_of::<usize>() - 1) & !(size_of::<usize>() - 1)
}

/// Checks that a buffer of `buf_len` bytes can hold the header and the name
/// and control areas `msgh` asks for; returns the header or NULL.
///
/// # Safety
/// `msgh` must point to a readable `msghdr`.
#[inline(always)]
pub unsafe fn validate(buf: *mut c_void, buf_len: c_int, msgh: *const libc::msghdr) -> *mut io_uring_recvmsg_out {
    // SAFETY: guaranteed by the caller.
    let (namelen, controllen) = unsafe { ((*msgh).msg_namelen as usize, (*msgh).msg_controllen) };
    if buf_len < 0 {
        return core::ptr::null_mut();
    }
    let len = buf_len as usize;
    // Each subtraction is guarded by the comparison before it.
    if len < HDR || namelen > len - HDR || controllen > len - HDR - namelen {
        return core::ptr::null_mut();
    }
    buf.cast()
}

/// Where the source address starts: right after the header.
#[inline(always)]
pub fn name(o: *mut io_uring_recvmsg_out) -> *mut c_void {
    o.cast::<u8>().wrapping_add(HDR).cast()
}

/// The first control message, or NULL when the kernel stored less than one
/// `cmsghdr`.
///
/// # Safety
/// `o` must point to a readable header and `msgh` to a readable `msghdr`.
#[inline(always)]
pub unsafe fn cmsg_firsthdr(o: *mut io_uring_recvmsg_out, msgh: *const libc::msghdr) -> *mut libc::cmsghdr {
    // SAFETY: guaranteed by the caller.
    if (unsafe { (*o).controllen } as usize) < CMSG_HDR {
        return core::ptr::null_mut();
    }
    // SAFETY: guaranteed by the caller.
    unsafe { first_cmsg_addr(o, msgh) }
}

/// The start of the control area, whether or not it holds a message.
///
/// # Safety
/// `msgh` must point to a readable `msghdr`.
#[inline(always)]
unsafe fn first_cmsg_addr(o: *mut io_uring_recvmsg_out, msgh: *const libc::msghdr) -> *mut libc::cmsghdr {
    // SAFETY: guaranteed by the caller.
    let namelen = unsafe { (*msgh).msg_namelen } as usize;
    name(o).cast::<u8>().wrapping_add(namelen).cast()
}

/// The control message after `cmsg`, or NULL when `cmsg` is malformed or
/// the next one would not fit in the control area the kernel filled.
///
/// # Safety
/// `o`, `msgh` and `cmsg` must point to readable structures, `cmsg` inside
/// the control area of `o`.
#[inline(always)]
pub unsafe fn cmsg_nexthdr(
    o: *mut io_uring_recvmsg_out,
    msgh: *const libc::msghdr,
    cmsg: *mut libc::cmsghdr,
) -> *mut libc::cmsghdr {
    // SAFETY: guaranteed by the caller.
    let len = unsafe { (*cmsg).cmsg_len };
    if len < CMSG_HDR {
        return core::ptr::null_mut();
    }
    // The end of the control area, computed from where the first message
    // would be even when it is too short to hold one, as liburing does.
    // SAFETY: guaranteed by the caller.
    let controllen = unsafe { (*o).controllen } as usize;
    // SAFETY: guaranteed by the caller.
    let end = (unsafe { first_cmsg_addr(o, msgh) } as usize).wrapping_add(controllen);
    let next = cmsg.cast::<u8>().wrapping_add(cmsg_align(len));
    // A length so large that the step wraps around the address space would
    // lead backwards (and liburing would read wherever it lands): stop.
    if (next as usize) < (cmsg as usize) {
        return core::ptr::null_mut();
    }
    if (next as usize).wrapping_add(CMSG_HDR) > end {
        return core::ptr::null_mut();
    }
    // SAFETY: the whole header of `next` lies inside the control area.
    let next_len = unsafe { (*next.cast::<libc::cmsghdr>()).cmsg_len };
    if (next as usize).wrapping_add(cmsg_align(next_len)) > end {
        return core::ptr::null_mut();
    }
    next.cast()
}

/// Where the payload starts: after the name and control areas.
///
/// # Safety
/// `msgh` must point to a readable `msghdr`.
#[inline(always)]
pub unsafe fn payload(o: *mut io_uring_recvmsg_out, msgh: *const libc::msghdr) -> *mut c_void {
    // SAFETY: guaranteed by the caller.
    let (namelen, controllen) = unsafe { ((*msgh).msg_namelen as usize, (*msgh).msg_controllen) };
    name(o)
        .cast::<u8>()
        .wrapping_add(namelen)
        .wrapping_add(controllen)
        .cast()
}

/// Payload bytes in a buffer of `buf_len` bytes that starts at `o`.
///
/// # Safety
/// `msgh` must point to a readable `msghdr`.
#[inline(always)]
pub unsafe fn payload_length(o: *mut io_uring_recvmsg_out, buf_len: c_int, msgh: *const libc::msghdr) -> c_uint {
    if buf_len < 0 {
        return 0;
    }
    // SAFETY: guaranteed by the caller.
    let start = unsafe { payload(o, msgh) } as usize;
    let end = (o as usize).wrapping_add(buf_len as usize);
    if start >= end {
        return 0;
    }
    (end - start) as c_uint
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msghdr(namelen: u32, controllen: usize) -> libc::msghdr {
        // SAFETY: msghdr is plain data; zero is a valid value.
        let mut m: libc::msghdr = unsafe { core::mem::zeroed() };
        m.msg_namelen = namelen;
        m.msg_controllen = controllen;
        m
    }

    #[test]
    fn validate_bounds() {
        let mut buf = [0u64; 32];
        let p = buf.as_mut_ptr().cast::<c_void>();
        let m = msghdr(16, 32);
        // SAFETY: p is a 256-byte local buffer and m a local msghdr.
        unsafe {
            assert!(validate(p, -1, &m).is_null());
            assert!(validate(p, 15, &m).is_null());
            assert!(validate(p, 16 + 16 + 31, &m).is_null());
            assert_eq!(validate(p, 16 + 16 + 32, &m), p.cast());
            let huge = msghdr(u32::MAX, usize::MAX);
            assert!(validate(p, 256, &huge).is_null());
        }
    }

    #[test]
    fn walk_control_messages() {
        // Header, 8 bytes of name, 64 bytes of control with two messages.
        let mut buf = [0u64; 16];
        let o = buf.as_mut_ptr().cast::<io_uring_recvmsg_out>();
        let m = msghdr(8, 64);
        // SAFETY: o is a 128-byte local buffer; every control message the
        // test touches lies inside it.
        unsafe {
            (*o).namelen = 8;
            (*o).controllen = 40;
            let first = cmsg_firsthdr(o, &m);
            assert_eq!(first as usize, o as usize + 16 + 8);
            // CMSG_ALIGN rounds to size_t: 20 stays 20 on 32-bit targets
            // and becomes 24 on 64-bit ones (cmsghdr is 12 or 16 bytes).
            (*first).cmsg_len = 20;
            let second = cmsg_nexthdr(o, &m, first);
            assert_eq!(second as usize, first as usize + cmsg_align(20));
            (*second).cmsg_len = 16;
            // A third header would start at 36 or 40: no room for one in 40.
            assert!(cmsg_nexthdr(o, &m, second).is_null());
            (*second).cmsg_len = 21; // aligned to 24, past the 40 bytes
            assert!(cmsg_nexthdr(o, &m, first).is_null());
            (*first).cmsg_len = 3;
            assert!(cmsg_nexthdr(o, &m, first).is_null());
            (*o).controllen = CMSG_HDR as u32 - 1;
            assert!(cmsg_firsthdr(o, &m).is_null());
            assert_eq!(payload(o, &m) as usize, o as usize + 16 + 8 + 64);
            assert_eq!(payload_length(o, 128, &m), 128 - 88);
            assert_eq!(payload_length(o, 88, &m), 0);
            assert_eq!(payload_length(o, -5, &m), 0);
        }
    }
}
