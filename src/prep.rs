//! Preparing SQEs: the Rust side of liburing's `io_uring_prep_*` helpers.

use core::ffi::{c_int, c_void};

use crate::sys::*;

/// Fills the fields every read/write-shaped request uses and clears the rest
/// of the common part, like liburing's `io_uring_prep_rw`.
#[inline(always)]
pub fn prep_rw(op: u8, sqe: &mut io_uring_sqe, fd: c_int, addr: *const c_void, len: u32, offset: u64) {
    sqe.opcode = op;
    sqe.flags = 0;
    sqe.ioprio = 0;
    sqe.fd = fd;
    sqe.off = offset;
    sqe.addr = addr as u64;
    sqe.len = len;
    sqe.op_flags = 0;
    sqe.buf_index = 0;
    sqe.personality = 0;
    sqe.file_index = 0;
    sqe.addr3 = 0;
    sqe.__pad2[0] = 0;
}

#[inline(always)]
pub fn prep_nop(sqe: &mut io_uring_sqe) {
    prep_rw(IORING_OP_NOP, sqe, -1, core::ptr::null(), 0, 0);
}

/// A timeout that fires after `ts` or after `count` completions.
#[inline(always)]
pub fn prep_timeout(sqe: &mut io_uring_sqe, ts: *const __kernel_timespec, count: u32, flags: u32) {
    prep_rw(IORING_OP_TIMEOUT, sqe, -1, ts.cast(), 1, count as u64);
    sqe.op_flags = flags;
}
