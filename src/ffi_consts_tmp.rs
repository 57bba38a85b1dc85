//! Temporary: the uapi constants the inline helpers need, until the complete
//! set lands in `sys` (branch wt-uapi). Deleted after that merge.

#![allow(dead_code)]

pub const IORING_FILE_INDEX_ALLOC: u32 = !0;
pub const IORING_TIMEOUT_UPDATE: u32 = 1 << 1;
pub const IORING_POLL_ADD_MULTI: u32 = 1 << 0;
pub const IORING_ASYNC_CANCEL_FD: u32 = 1 << 1;
pub const IORING_RECV_MULTISHOT: u32 = 1 << 1;
pub const IORING_RECVSEND_FIXED_BUF: u32 = 1 << 2;
pub const IORING_RECVSEND_BUNDLE: u32 = 1 << 4;
pub const IORING_ACCEPT_MULTISHOT: u32 = 1 << 0;
pub const IORING_MSG_SEND_FD: u32 = 1;
pub const IORING_MSG_RING_FLAGS_PASS: u32 = 1 << 1;
pub const IO_URING_OP_SUPPORTED: u32 = 1 << 0;
pub const SOCKET_URING_OP_GETSOCKNAME: u32 = 5;
/// `_IO(0x12, 0)`
pub const BLOCK_URING_CMD_DISCARD: u32 = 0x12 << 8;

/// Header the kernel writes at the start of a multishot recvmsg buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_recvmsg_out {
    pub namelen: u32,
    pub controllen: u32,
    pub payloadlen: u32,
    pub flags: u32,
}
