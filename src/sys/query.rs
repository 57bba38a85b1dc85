//! `IORING_REGISTER_QUERY` (`<liburing/io_uring/query.h>`): a chain of
//! headers, each naming a query and the buffer its answer goes to.

uapi_consts! { QUERY_CONSTS;
    // io_uring_query_hdr.query_op
    /// Answer: `io_uring_query_opcode`. Needs no ring.
    IO_URING_QUERY_OPCODES: u32 = 0;
    /// Answer: `io_uring_query_zcrx`.
    IO_URING_QUERY_ZCRX: u32 = 1;
    /// Answer: `io_uring_query_scq`.
    IO_URING_QUERY_SCQ: u32 = 2;
    __IO_URING_QUERY_MAX: u32 = 3;
}

/// One query of a chain; `next_entry` is the address of the next header (0
/// ends the chain) and `query_data` that of a `size`-byte answer buffer. The
/// kernel reports the outcome in `result`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_query_hdr {
    pub next_entry: u64,
    pub query_data: u64,
    pub query_op: u32,
    pub size: u32,
    pub result: i32,
    pub __resv: [u32; 3],
}
uapi_layout!(io_uring_query_hdr, 40, next_entry @ 0, query_data @ 8, query_op @ 16, size @ 20,
    result @ 24, __resv @ 28);

/// What the kernel supports: opcode counts and masks of valid flags.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_query_opcode {
    /// Number of `IORING_OP_*` opcodes.
    pub nr_request_opcodes: u32,
    /// Number of `IORING_(UN)REGISTER_*` opcodes.
    pub nr_register_opcodes: u32,
    /// `IORING_FEAT_*` mask.
    pub feature_flags: u64,
    /// `IORING_SETUP_*` mask.
    pub ring_setup_flags: u64,
    /// `IORING_ENTER_*` mask.
    pub enter_flags: u64,
    /// `IOSQE_*` mask.
    pub sqe_flags: u64,
    /// Number of `IO_URING_QUERY_*` opcodes.
    pub nr_query_opcodes: u32,
    pub __pad: u32,
}
uapi_layout!(io_uring_query_opcode, 48, nr_request_opcodes @ 0, nr_register_opcodes @ 4,
    feature_flags @ 8, ring_setup_flags @ 16, enter_flags @ 24, sqe_flags @ 32,
    nr_query_opcodes @ 40, __pad @ 44);

/// What zero-copy receive supports.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_query_zcrx {
    /// `ZCRX_REG_*` mask.
    pub register_flags: u64,
    /// `IORING_ZCRX_AREA_*` mask.
    pub area_flags: u64,
    /// Number of `ZCRX_CTRL_*` opcodes.
    pub nr_ctrl_opcodes: u32,
    /// `ZCRX_FEATURE_*` mask.
    pub features: u32,
    /// Size and alignment of the refill ring header.
    pub rq_hdr_size: u32,
    pub rq_hdr_alignment: u32,
    pub __resv2: u64,
}
uapi_layout!(io_uring_query_zcrx, 40, register_flags @ 0, area_flags @ 8, nr_ctrl_opcodes @ 16,
    features @ 20, rq_hdr_size @ 24, rq_hdr_alignment @ 28, __resv2 @ 32);

/// Size and alignment of the SQ/CQ ring header.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_query_scq {
    pub hdr_size: u64,
    pub hdr_alignment: u64,
}
uapi_layout!(io_uring_query_scq, 16, hdr_size @ 0, hdr_alignment @ 8);
