//! SQE opcodes (`enum io_uring_op`) and the flag values each opcode reads
//! from its SQE.

uapi_consts! { OPCODE_CONSTS;
    IORING_OP_NOP: u8 = 0;
    IORING_OP_READV: u8 = 1;
    IORING_OP_WRITEV: u8 = 2;
    IORING_OP_FSYNC: u8 = 3;
    IORING_OP_READ_FIXED: u8 = 4;
    IORING_OP_WRITE_FIXED: u8 = 5;
    IORING_OP_POLL_ADD: u8 = 6;
    IORING_OP_POLL_REMOVE: u8 = 7;
    IORING_OP_SYNC_FILE_RANGE: u8 = 8;
    IORING_OP_SENDMSG: u8 = 9;
    IORING_OP_RECVMSG: u8 = 10;
    IORING_OP_TIMEOUT: u8 = 11;
    IORING_OP_TIMEOUT_REMOVE: u8 = 12;
    IORING_OP_ACCEPT: u8 = 13;
    IORING_OP_ASYNC_CANCEL: u8 = 14;
    IORING_OP_LINK_TIMEOUT: u8 = 15;
    IORING_OP_CONNECT: u8 = 16;
    IORING_OP_FALLOCATE: u8 = 17;
    IORING_OP_OPENAT: u8 = 18;
    IORING_OP_CLOSE: u8 = 19;
    IORING_OP_FILES_UPDATE: u8 = 20;
    IORING_OP_STATX: u8 = 21;
    IORING_OP_READ: u8 = 22;
    IORING_OP_WRITE: u8 = 23;
    IORING_OP_FADVISE: u8 = 24;
    IORING_OP_MADVISE: u8 = 25;
    IORING_OP_SEND: u8 = 26;
    IORING_OP_RECV: u8 = 27;
    IORING_OP_OPENAT2: u8 = 28;
    IORING_OP_EPOLL_CTL: u8 = 29;
    IORING_OP_SPLICE: u8 = 30;
    IORING_OP_PROVIDE_BUFFERS: u8 = 31;
    IORING_OP_REMOVE_BUFFERS: u8 = 32;
    IORING_OP_TEE: u8 = 33;
    IORING_OP_SHUTDOWN: u8 = 34;
    IORING_OP_RENAMEAT: u8 = 35;
    IORING_OP_UNLINKAT: u8 = 36;
    IORING_OP_MKDIRAT: u8 = 37;
    IORING_OP_SYMLINKAT: u8 = 38;
    IORING_OP_LINKAT: u8 = 39;
    IORING_OP_MSG_RING: u8 = 40;
    IORING_OP_FSETXATTR: u8 = 41;
    IORING_OP_SETXATTR: u8 = 42;
    IORING_OP_FGETXATTR: u8 = 43;
    IORING_OP_GETXATTR: u8 = 44;
    IORING_OP_SOCKET: u8 = 45;
    IORING_OP_URING_CMD: u8 = 46;
    IORING_OP_SEND_ZC: u8 = 47;
    IORING_OP_SENDMSG_ZC: u8 = 48;
    IORING_OP_READ_MULTISHOT: u8 = 49;
    IORING_OP_WAITID: u8 = 50;
    IORING_OP_FUTEX_WAIT: u8 = 51;
    IORING_OP_FUTEX_WAKE: u8 = 52;
    IORING_OP_FUTEX_WAITV: u8 = 53;
    IORING_OP_FIXED_FD_INSTALL: u8 = 54;
    IORING_OP_FTRUNCATE: u8 = 55;
    IORING_OP_BIND: u8 = 56;
    IORING_OP_LISTEN: u8 = 57;
    IORING_OP_RECV_ZC: u8 = 58;
    IORING_OP_EPOLL_WAIT: u8 = 59;
    IORING_OP_READV_FIXED: u8 = 60;
    IORING_OP_WRITEV_FIXED: u8 = 61;
    IORING_OP_PIPE: u8 = 62;
    IORING_OP_NOP128: u8 = 63;
    IORING_OP_URING_CMD128: u8 = 64;
    /// One past the highest opcode this header knows.
    IORING_OP_LAST: u8 = 65;

    /// `sqe.file_index` value asking the kernel to pick a free direct
    /// descriptor slot (returned in `cqe.res`).
    IORING_FILE_INDEX_ALLOC: u32 = !0;

    /// `sqe.attr_type_mask`: `attr_ptr` points to an `io_uring_attr_pi`.
    IORING_RW_ATTR_FLAG_PI: u64 = 1 << 0;

    // sqe.uring_cmd_flags (the top 8 bits are the kernel's)
    /// Use the registered buffer `sqe.buf_index`.
    IORING_URING_CMD_FIXED: u32 = 1 << 0;
    IORING_URING_CMD_MASK: u32 = IORING_URING_CMD_FIXED;

    // sqe.fsync_flags
    IORING_FSYNC_DATASYNC: u32 = 1 << 0;

    // sqe.timeout_flags
    IORING_TIMEOUT_ABS: u32 = 1 << 0;
    IORING_TIMEOUT_UPDATE: u32 = 1 << 1;
    IORING_TIMEOUT_BOOTTIME: u32 = 1 << 2;
    IORING_TIMEOUT_REALTIME: u32 = 1 << 3;
    IORING_LINK_TIMEOUT_UPDATE: u32 = 1 << 4;
    IORING_TIMEOUT_ETIME_SUCCESS: u32 = 1 << 5;
    IORING_TIMEOUT_MULTISHOT: u32 = 1 << 6;
    /// `sqe.addr` holds the timeout in nanoseconds, not a timespec pointer.
    IORING_TIMEOUT_IMMEDIATE_ARG: u32 = 1 << 7;
    IORING_TIMEOUT_CLOCK_MASK: u32 = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
    IORING_TIMEOUT_UPDATE_MASK: u32 = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

    // sqe.splice_flags, on top of splice(2)'s own
    /// `splice_fd_in` is a registered file index.
    SPLICE_F_FD_IN_FIXED: u32 = 1 << 31;

    // IORING_OP_POLL_ADD / POLL_REMOVE command flags, in sqe.len
    IORING_POLL_ADD_MULTI: u32 = 1 << 0;
    IORING_POLL_UPDATE_EVENTS: u32 = 1 << 1;
    IORING_POLL_UPDATE_USER_DATA: u32 = 1 << 2;
    IORING_POLL_ADD_LEVEL: u32 = 1 << 3;

    // sqe.cancel_flags and io_uring_sync_cancel_reg.flags
    IORING_ASYNC_CANCEL_ALL: u32 = 1 << 0;
    IORING_ASYNC_CANCEL_FD: u32 = 1 << 1;
    IORING_ASYNC_CANCEL_ANY: u32 = 1 << 2;
    IORING_ASYNC_CANCEL_FD_FIXED: u32 = 1 << 3;
    IORING_ASYNC_CANCEL_USERDATA: u32 = 1 << 4;
    IORING_ASYNC_CANCEL_OP: u32 = 1 << 5;

    // send/recv flags, in sqe.ioprio
    IORING_RECVSEND_POLL_FIRST: u16 = 1 << 0;
    IORING_RECV_MULTISHOT: u16 = 1 << 1;
    IORING_RECVSEND_FIXED_BUF: u16 = 1 << 2;
    IORING_SEND_ZC_REPORT_USAGE: u16 = 1 << 3;
    IORING_RECVSEND_BUNDLE: u16 = 1 << 4;
    IORING_SEND_VECTORIZED: u16 = 1 << 5;

    /// Bit of a notification CQE's `res` saying the zero-copy send copied
    /// (with `IORING_SEND_ZC_REPORT_USAGE`).
    IORING_NOTIF_USAGE_ZC_COPIED: u32 = 1 << 31;

    // accept flags, in sqe.ioprio
    IORING_ACCEPT_MULTISHOT: u16 = 1 << 0;
    IORING_ACCEPT_DONTWAIT: u16 = 1 << 1;
    IORING_ACCEPT_POLL_FIRST: u16 = 1 << 2;

    // IORING_OP_MSG_RING commands (enum io_uring_msg_ring_flags), in sqe.addr
    /// Post a CQE with `res = sqe.len` and `user_data = sqe.off` to the target ring.
    IORING_MSG_DATA: u64 = 0;
    /// Pass a registered file to the target ring.
    IORING_MSG_SEND_FD: u64 = 1;

    // sqe.msg_ring_flags
    IORING_MSG_RING_CQE_SKIP: u32 = 1 << 0;
    /// The target CQE's flags come from `sqe.file_index`.
    IORING_MSG_RING_FLAGS_PASS: u32 = 1 << 1;

    // sqe.install_fd_flags
    IORING_FIXED_FD_NO_CLOEXEC: u32 = 1 << 0;

    // sqe.nop_flags
    IORING_NOP_INJECT_RESULT: u32 = 1 << 0;
    IORING_NOP_CQE32: u32 = 1 << 5;

    // IORING_OP_URING_CMD on sockets: sqe.cmd_op (enum io_uring_socket_op)
    SOCKET_URING_OP_SIOCINQ: u32 = 0;
    SOCKET_URING_OP_SIOCOUTQ: u32 = 1;
    SOCKET_URING_OP_GETSOCKOPT: u32 = 2;
    SOCKET_URING_OP_SETSOCKOPT: u32 = 3;
    SOCKET_URING_OP_TX_TIMESTAMP: u32 = 4;
    SOCKET_URING_OP_GETSOCKNAME: u32 = 5;

    // SOCKET_URING_OP_TX_TIMESTAMP completions
    IORING_TIMESTAMP_HW_SHIFT: u32 = 16;
    /// First bit of `cqe.flags` holding the timestamp type.
    IORING_TIMESTAMP_TYPE_SHIFT: u32 = IORING_TIMESTAMP_HW_SHIFT + 1;
    /// `cqe.flags` bit: the timestamp came from hardware.
    IORING_CQE_F_TSTAMP_HW: u32 = 1 << IORING_TIMESTAMP_HW_SHIFT;
}
