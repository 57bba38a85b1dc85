//! Zero-copy receive (zcrx): the refill queue and CQE formats, the
//! registration arguments of `IORING_REGISTER_ZCRX_IFQ` and
//! `IORING_REGISTER_ZCRX_CTRL`, and their constants.

uapi_consts! { ZCRX_CONSTS;
    /// Bit from which a zcrx offset carries the area id.
    IORING_ZCRX_AREA_SHIFT: u32 = 48;
    /// The area-id bits of a zcrx offset.
    IORING_ZCRX_AREA_MASK: u64 = !((1u64 << IORING_ZCRX_AREA_SHIFT) - 1);

    // io_uring_zcrx_area_reg.flags (enum io_uring_zcrx_area_flags)
    /// The area is a dma-buf given by `dmabuf_fd`.
    IORING_ZCRX_AREA_DMABUF: u32 = 1;

    // io_uring_zcrx_ifq_reg.flags (enum zcrx_reg_flags)
    ZCRX_REG_IMPORT: u32 = 1;
    /// No net device: data is copied, and the refill queue may need
    /// `ZCRX_CTRL_FLUSH_RQ`.
    ZCRX_REG_NODEV: u32 = 2;

    // io_uring_query_zcrx.features (enum zcrx_features)
    /// `rx_buf_len` of the registration chooses the receive page size.
    ZCRX_FEATURE_RX_PAGE_SIZE: u32 = 1 << 0;

    // zcrx_ctrl.op (enum zcrx_ctrl_op)
    ZCRX_CTRL_FLUSH_RQ: u32 = 0;
    ZCRX_CTRL_EXPORT: u32 = 1;
    __ZCRX_CTRL_LAST: u32 = 2;
}

/// A refill queue entry: gives a received buffer back to the kernel.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_zcrx_rqe {
    pub off: u64,
    pub len: u32,
    pub __pad: u32,
}
uapi_layout!(io_uring_zcrx_rqe, 16, off @ 0, len @ 8, __pad @ 12);

/// The big-CQE half of a zero-copy receive completion.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_zcrx_cqe {
    pub off: u64,
    pub __pad: u64,
}
uapi_layout!(io_uring_zcrx_cqe, 16, off @ 0, __pad @ 8);

/// Offsets of the refill ring's head, tail and entries in its region.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_zcrx_offsets {
    pub head: u32,
    pub tail: u32,
    pub rqes: u32,
    pub __resv2: u32,
    pub __resv: [u64; 2],
}
uapi_layout!(io_uring_zcrx_offsets, 32, head @ 0, tail @ 4, rqes @ 8, __resv2 @ 12, __resv @ 16);

/// The memory area receive buffers come from.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_zcrx_area_reg {
    pub addr: u64,
    pub len: u64,
    pub rq_area_token: u64,
    pub flags: u32,
    pub dmabuf_fd: u32,
    pub __resv2: [u64; 2],
}
uapi_layout!(io_uring_zcrx_area_reg, 48, addr @ 0, len @ 8, rq_area_token @ 16, flags @ 24,
    dmabuf_fd @ 28, __resv2 @ 32);

/// Argument of `IORING_REGISTER_ZCRX_IFQ`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_zcrx_ifq_reg {
    pub if_idx: u32,
    pub if_rxq: u32,
    pub rq_entries: u32,
    pub flags: u32,
    /// Address of an `io_uring_zcrx_area_reg`.
    pub area_ptr: u64,
    /// Address of an `io_uring_region_desc`.
    pub region_ptr: u64,
    pub offsets: io_uring_zcrx_offsets,
    pub zcrx_id: u32,
    pub rx_buf_len: u32,
    pub __resv: [u64; 3],
}
uapi_layout!(io_uring_zcrx_ifq_reg, 96, if_idx @ 0, if_rxq @ 4, rq_entries @ 8, flags @ 12,
    area_ptr @ 16, region_ptr @ 24, offsets @ 32, zcrx_id @ 64, rx_buf_len @ 68, __resv @ 72);

/// Payload of `ZCRX_CTRL_FLUSH_RQ` (reserved words only).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct zcrx_ctrl_flush_rq {
    pub __resv: [u64; 6],
}
uapi_layout!(zcrx_ctrl_flush_rq, 48, __resv @ 0);

/// Payload of `ZCRX_CTRL_EXPORT`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct zcrx_ctrl_export {
    pub zcrx_fd: u32,
    pub __resv1: [u32; 11],
}
uapi_layout!(zcrx_ctrl_export, 48, zcrx_fd @ 0, __resv1 @ 4);

/// Argument of `IORING_REGISTER_ZCRX_CTRL`.
///
/// C ends it with an anonymous union of `zc_export` and `zc_flush`, both 48
/// bytes at offset 24; `zc_flush` holds nothing but reserved words, so the
/// union is represented by its `zc_export` member.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct zcrx_ctrl {
    pub zcrx_id: u32,
    /// One of `ZCRX_CTRL_*`.
    pub op: u32,
    pub __resv: [u64; 2],
    /// union: `zc_export`, `zc_flush`
    pub zc_export: zcrx_ctrl_export,
}
uapi_layout!(zcrx_ctrl, 72, zcrx_id @ 0, op @ 4, __resv @ 8, zc_export @ 24);
