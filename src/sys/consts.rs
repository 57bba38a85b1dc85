//! Ring-level constants: setup and enter flags, the flag words the kernel
//! shares in the rings, feature bits, mmap offsets, SQE and CQE flags.

uapi_consts! { RING_CONSTS;
    // io_uring_setup(2): io_uring_params.flags
    /// Busy-poll for completions (the file must support polled I/O).
    IORING_SETUP_IOPOLL: u32 = 1 << 0;
    /// A kernel thread polls the SQ.
    IORING_SETUP_SQPOLL: u32 = 1 << 1;
    /// `sq_thread_cpu` pins the SQ poll thread.
    IORING_SETUP_SQ_AFF: u32 = 1 << 2;
    /// `cq_entries` gives the CQ size.
    IORING_SETUP_CQSIZE: u32 = 1 << 3;
    /// Clamp too large ring sizes instead of failing.
    IORING_SETUP_CLAMP: u32 = 1 << 4;
    /// Share the io-wq of the ring `wq_fd`.
    IORING_SETUP_ATTACH_WQ: u32 = 1 << 5;
    /// The ring starts disabled (see `IORING_REGISTER_ENABLE_RINGS`).
    IORING_SETUP_R_DISABLED: u32 = 1 << 6;
    /// Keep submitting after an SQE fails to be prepared.
    IORING_SETUP_SUBMIT_ALL: u32 = 1 << 7;
    /// Run task work when the task enters the kernel anyway, no IPI.
    IORING_SETUP_COOP_TASKRUN: u32 = 1 << 8;
    /// Raise `IORING_SQ_TASKRUN` when task work is waiting.
    IORING_SETUP_TASKRUN_FLAG: u32 = 1 << 9;
    /// SQEs are 128 bytes.
    IORING_SETUP_SQE128: u32 = 1 << 10;
    /// CQEs are 32 bytes.
    IORING_SETUP_CQE32: u32 = 1 << 11;
    /// Only one task submits.
    IORING_SETUP_SINGLE_ISSUER: u32 = 1 << 12;
    /// Task work runs only when the application waits for events.
    IORING_SETUP_DEFER_TASKRUN: u32 = 1 << 13;
    /// The application provides the ring memory.
    IORING_SETUP_NO_MMAP: u32 = 1 << 14;
    /// Return a registered ring index instead of a file descriptor.
    IORING_SETUP_REGISTERED_FD_ONLY: u32 = 1 << 15;
    /// No SQ index array: the SQ tail indexes the SQEs directly.
    IORING_SETUP_NO_SQARRAY: u32 = 1 << 16;
    /// Hybrid (sleep, then poll) IOPOLL.
    IORING_SETUP_HYBRID_IOPOLL: u32 = 1 << 17;
    /// CQEs of 16 and 32 bytes in one ring (`IORING_CQE_F_32` marks the big ones).
    IORING_SETUP_CQE_MIXED: u32 = 1 << 18;
    /// SQEs of 64 and 128 bytes in one ring (128-byte opcodes take two slots).
    IORING_SETUP_SQE_MIXED: u32 = 1 << 19;
    /// Every submission reads SQEs from slot 0; head and tail stay 0.
    IORING_SETUP_SQ_REWIND: u32 = 1 << 20;

    // io_uring_enter(2) flags
    IORING_ENTER_GETEVENTS: u32 = 1 << 0;
    IORING_ENTER_SQ_WAKEUP: u32 = 1 << 1;
    IORING_ENTER_SQ_WAIT: u32 = 1 << 2;
    /// The last argument is an `io_uring_getevents_arg`.
    IORING_ENTER_EXT_ARG: u32 = 1 << 3;
    /// The fd argument is a registered ring index.
    IORING_ENTER_REGISTERED_RING: u32 = 1 << 4;
    /// The timeout is absolute.
    IORING_ENTER_ABS_TIMER: u32 = 1 << 5;
    /// The argument is an offset into the registered wait region.
    IORING_ENTER_EXT_ARG_REG: u32 = 1 << 6;
    /// Do not account the wait as iowait.
    IORING_ENTER_NO_IOWAIT: u32 = 1 << 7;

    // The SQ ring's flags word
    IORING_SQ_NEED_WAKEUP: u32 = 1 << 0;
    IORING_SQ_CQ_OVERFLOW: u32 = 1 << 1;
    IORING_SQ_TASKRUN: u32 = 1 << 2;

    // The CQ ring's flags word
    IORING_CQ_EVENTFD_DISABLED: u32 = 1 << 0;

    // io_uring_params.features
    IORING_FEAT_SINGLE_MMAP: u32 = 1 << 0;
    IORING_FEAT_NODROP: u32 = 1 << 1;
    IORING_FEAT_SUBMIT_STABLE: u32 = 1 << 2;
    IORING_FEAT_RW_CUR_POS: u32 = 1 << 3;
    IORING_FEAT_CUR_PERSONALITY: u32 = 1 << 4;
    IORING_FEAT_FAST_POLL: u32 = 1 << 5;
    IORING_FEAT_POLL_32BITS: u32 = 1 << 6;
    IORING_FEAT_SQPOLL_NONFIXED: u32 = 1 << 7;
    IORING_FEAT_EXT_ARG: u32 = 1 << 8;
    IORING_FEAT_NATIVE_WORKERS: u32 = 1 << 9;
    IORING_FEAT_RSRC_TAGS: u32 = 1 << 10;
    IORING_FEAT_CQE_SKIP: u32 = 1 << 11;
    IORING_FEAT_LINKED_FILE: u32 = 1 << 12;
    IORING_FEAT_REG_REG_RING: u32 = 1 << 13;
    IORING_FEAT_RECVSEND_BUNDLE: u32 = 1 << 14;
    IORING_FEAT_MIN_TIMEOUT: u32 = 1 << 15;
    IORING_FEAT_RW_ATTR: u32 = 1 << 16;
    IORING_FEAT_NO_IOWAIT: u32 = 1 << 17;

    // mmap(2) offsets of the ring regions
    IORING_OFF_SQ_RING: u64 = 0;
    IORING_OFF_CQ_RING: u64 = 0x800_0000;
    IORING_OFF_SQES: u64 = 0x1000_0000;
    IORING_OFF_PBUF_RING: u64 = 0x8000_0000;
    IORING_OFF_PBUF_SHIFT: u64 = 16;
    IORING_OFF_MMAP_MASK: u64 = 0xf800_0000;

    // sqe.flags: bit numbers (enum io_uring_sqe_flags_bit) and masks
    IOSQE_FIXED_FILE_BIT: u32 = 0;
    IOSQE_IO_DRAIN_BIT: u32 = 1;
    IOSQE_IO_LINK_BIT: u32 = 2;
    IOSQE_IO_HARDLINK_BIT: u32 = 3;
    IOSQE_ASYNC_BIT: u32 = 4;
    IOSQE_BUFFER_SELECT_BIT: u32 = 5;
    IOSQE_CQE_SKIP_SUCCESS_BIT: u32 = 6;
    /// `fd` is an index into the registered file table.
    IOSQE_FIXED_FILE: u8 = 1 << IOSQE_FIXED_FILE_BIT;
    /// Start only after all earlier requests completed.
    IOSQE_IO_DRAIN: u8 = 1 << IOSQE_IO_DRAIN_BIT;
    /// The next SQE runs after this one succeeds.
    IOSQE_IO_LINK: u8 = 1 << IOSQE_IO_LINK_BIT;
    /// The next SQE runs after this one, whatever its result.
    IOSQE_IO_HARDLINK: u8 = 1 << IOSQE_IO_HARDLINK_BIT;
    /// Always punt to io-wq.
    IOSQE_ASYNC: u8 = 1 << IOSQE_ASYNC_BIT;
    /// Pick a buffer from the group in `buf_group`.
    IOSQE_BUFFER_SELECT: u8 = 1 << IOSQE_BUFFER_SELECT_BIT;
    /// Post no CQE when the request succeeds.
    IOSQE_CQE_SKIP_SUCCESS: u8 = 1 << IOSQE_CQE_SKIP_SUCCESS_BIT;

    // cqe.flags
    /// The upper 16 bits hold the selected buffer ID.
    IORING_CQE_F_BUFFER: u32 = 1 << 0;
    /// More CQEs will follow for the same SQE.
    IORING_CQE_F_MORE: u32 = 1 << 1;
    /// The socket has more data to read.
    IORING_CQE_F_SOCK_NONEMPTY: u32 = 1 << 2;
    /// A zero-copy send's notification CQE.
    IORING_CQE_F_NOTIF: u32 = 1 << 3;
    /// The (incrementally consumed) buffer stays with the kernel for more data.
    IORING_CQE_F_BUF_MORE: u32 = 1 << 4;
    /// Padding entry in a mixed-size CQ ring: skip it.
    IORING_CQE_F_SKIP: u32 = 1 << 5;
    /// A 32-byte CQE in a mixed-size CQ ring.
    IORING_CQE_F_32: u32 = 1 << 15;
    IORING_CQE_BUFFER_SHIFT: u32 = 16;
}

// Not uapi: liburing-private values that the library needs next to the uapi
// ones. They are not in the C uapi headers and not in the constant table.

/// `user_data` of the timeout SQE that liburing queues internally on kernels
/// without `IORING_FEAT_EXT_ARG`; its CQE is never shown to the caller.
pub const LIBURING_UDATA_TIMEOUT: u64 = u64::MAX;

/// The kernel's limits on ring sizes (`IORING_MAX_ENTRIES`, `IORING_MAX_CQ_ENTRIES`).
pub const KERN_MAX_ENTRIES: u32 = 32768;
pub const KERN_MAX_CQ_ENTRIES: u32 = 2 * KERN_MAX_ENTRIES;
