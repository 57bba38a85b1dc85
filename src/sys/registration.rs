//! io_uring_register(2): opcodes (`enum io_uring_register_op`) and the flag
//! values of their arguments.

uapi_consts! { REGISTER_CONSTS;
    IORING_REGISTER_BUFFERS: u32 = 0;
    IORING_UNREGISTER_BUFFERS: u32 = 1;
    IORING_REGISTER_FILES: u32 = 2;
    IORING_UNREGISTER_FILES: u32 = 3;
    IORING_REGISTER_EVENTFD: u32 = 4;
    IORING_UNREGISTER_EVENTFD: u32 = 5;
    IORING_REGISTER_FILES_UPDATE: u32 = 6;
    IORING_REGISTER_EVENTFD_ASYNC: u32 = 7;
    IORING_REGISTER_PROBE: u32 = 8;
    IORING_REGISTER_PERSONALITY: u32 = 9;
    IORING_UNREGISTER_PERSONALITY: u32 = 10;
    IORING_REGISTER_RESTRICTIONS: u32 = 11;
    IORING_REGISTER_ENABLE_RINGS: u32 = 12;
    IORING_REGISTER_FILES2: u32 = 13;
    IORING_REGISTER_FILES_UPDATE2: u32 = 14;
    IORING_REGISTER_BUFFERS2: u32 = 15;
    IORING_REGISTER_BUFFERS_UPDATE: u32 = 16;
    IORING_REGISTER_IOWQ_AFF: u32 = 17;
    IORING_UNREGISTER_IOWQ_AFF: u32 = 18;
    IORING_REGISTER_IOWQ_MAX_WORKERS: u32 = 19;
    IORING_REGISTER_RING_FDS: u32 = 20;
    IORING_UNREGISTER_RING_FDS: u32 = 21;
    IORING_REGISTER_PBUF_RING: u32 = 22;
    IORING_UNREGISTER_PBUF_RING: u32 = 23;
    IORING_REGISTER_SYNC_CANCEL: u32 = 24;
    IORING_REGISTER_FILE_ALLOC_RANGE: u32 = 25;
    IORING_REGISTER_PBUF_STATUS: u32 = 26;
    IORING_REGISTER_NAPI: u32 = 27;
    IORING_UNREGISTER_NAPI: u32 = 28;
    IORING_REGISTER_CLOCK: u32 = 29;
    IORING_REGISTER_CLONE_BUFFERS: u32 = 30;
    IORING_REGISTER_SEND_MSG_RING: u32 = 31;
    IORING_REGISTER_ZCRX_IFQ: u32 = 32;
    IORING_REGISTER_RESIZE_RINGS: u32 = 33;
    IORING_REGISTER_MEM_REGION: u32 = 34;
    IORING_REGISTER_QUERY: u32 = 35;
    IORING_REGISTER_ZCRX_CTRL: u32 = 36;
    IORING_REGISTER_BPF_FILTER: u32 = 37;
    /// One past the highest register opcode this header knows.
    IORING_REGISTER_LAST: u32 = 38;
    /// Or-ed into the opcode: the fd argument is a registered ring index.
    IORING_REGISTER_USE_REGISTERED_RING: u32 = 1 << 31;

    // io-wq worker classes (enum io_wq_type): indexes of the
    // IORING_REGISTER_IOWQ_MAX_WORKERS array
    IO_WQ_BOUND: u32 = 0;
    IO_WQ_UNBOUND: u32 = 1;

    /// io_uring_region_desc.flags: the region is user memory at `user_addr`.
    IORING_MEM_REGION_TYPE_USER: u32 = 1;
    /// io_uring_mem_region_reg.flags: the region holds registered wait arguments.
    IORING_MEM_REGION_REG_WAIT_ARG: u64 = 1;

    /// io_uring_rsrc_register.flags: register an empty (sparse) table of `nr` slots.
    IORING_RSRC_REGISTER_SPARSE: u32 = 1 << 0;

    /// In a files update array: leave this slot alone.
    IORING_REGISTER_FILES_SKIP: i32 = -2;

    /// io_uring_probe_op.flags: the opcode is supported.
    IO_URING_OP_SUPPORTED: u16 = 1 << 0;

    // io_uring_clone_buffers.flags
    IORING_REGISTER_SRC_REGISTERED: u32 = 1 << 0;
    IORING_REGISTER_DST_REPLACE: u32 = 1 << 1;

    // io_uring_buf_reg.flags (enum io_uring_register_pbuf_ring_flags); u32 like
    // the flags argument of io_uring_setup_buf_ring()
    /// The kernel allocates the ring; map it at `IORING_OFF_PBUF_RING | bgid << IORING_OFF_PBUF_SHIFT`.
    IOU_PBUF_RING_MMAP: u32 = 1;
    /// Buffers may be consumed a part at a time.
    IOU_PBUF_RING_INC: u32 = 2;

    // io_uring_restriction.opcode (enum io_uring_register_restriction_op)
    IORING_RESTRICTION_REGISTER_OP: u16 = 0;
    IORING_RESTRICTION_SQE_OP: u16 = 1;
    IORING_RESTRICTION_SQE_FLAGS_ALLOWED: u16 = 2;
    IORING_RESTRICTION_SQE_FLAGS_REQUIRED: u16 = 3;
    IORING_RESTRICTION_LAST: u16 = 4;

    /// io_uring_reg_wait.flags: `ts` is valid.
    IORING_REG_WAIT_TS: u32 = 1 << 0;
}
