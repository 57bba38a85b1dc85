//! `#[repr(C)]` mirrors of the io_uring uapi structures.
//!
//! C unions whose members all have the same width are represented by one
//! field; the other names of that field (e.g. `addr2` for `off`) are listed
//! in its comment. Every struct carries compile-time size/offset checks
//! against the layout liburing 2.15's headers produce on x86_64
//! (`uapi_layout!`, numbers from pahole).

/// `struct __kernel_timespec` of `<linux/time_types.h>` (64-bit time on every ABI).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct __kernel_timespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}
uapi_layout!(__kernel_timespec, 16, tv_sec @ 0, tv_nsec @ 8);

/// A submission queue entry (64 bytes; 128 with `IORING_SETUP_SQE128`, the
/// second half then being command data that starts at `addr3`, C's `cmd[]`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_sqe {
    pub opcode: u8,
    pub flags: u8,
    pub ioprio: u16,
    pub fd: i32,
    /// union: `off`, `addr2`, `{cmd_op, __pad1}`
    pub off: u64,
    /// union: `addr`, `splice_off_in`, `{level, optname}`
    pub addr: u64,
    pub len: u32,
    /// union of the per-opcode flag words, all 32-bit at offset 28: `rw_flags`,
    /// `fsync_flags`, `poll32_events` (and the 16-bit `poll_events`),
    /// `sync_range_flags`, `msg_flags`, `timeout_flags`, `accept_flags`,
    /// `cancel_flags`, `open_flags`, `statx_flags`, `fadvise_advice`,
    /// `splice_flags`, `rename_flags`, `unlink_flags`, `hardlink_flags`,
    /// `xattr_flags`, `msg_ring_flags`, `uring_cmd_flags`, `waitid_flags`,
    /// `futex_flags`, `install_fd_flags`, `nop_flags`, `pipe_flags`
    pub op_flags: u32,
    pub user_data: u64,
    /// union: `buf_index`, `buf_group` (packed)
    pub buf_index: u16,
    pub personality: u16,
    /// union: `splice_fd_in`, `file_index`, `zcrx_ifq_idx`, `optlen`, `{addr_len, __pad3[1]}`
    pub file_index: u32,
    /// union: `addr3`, `optval`, `{attr_ptr, attr_type_mask}`, `cmd[]`
    pub addr3: u64,
    /// `__pad2[0]`, or `attr_type_mask`
    pub __pad2: [u64; 1],
}
uapi_layout!(io_uring_sqe, 64,
    opcode @ 0, flags @ 1, ioprio @ 2, fd @ 4, off @ 8, addr @ 16, len @ 24,
    op_flags @ 28, user_data @ 32, buf_index @ 40, personality @ 42,
    file_index @ 44, addr3 @ 48, __pad2 @ 56);

/// `sqe.attr_ptr` target for `IORING_RW_ATTR_FLAG_PI`: protection
/// information for a read or write.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_attr_pi {
    pub flags: u16,
    pub app_tag: u16,
    pub len: u32,
    pub addr: u64,
    pub seed: u64,
    pub rsvd: u64,
}
uapi_layout!(io_uring_attr_pi, 32, flags @ 0, app_tag @ 2, len @ 4, addr @ 8, seed @ 16, rsvd @ 24);

/// A completion queue entry (16 bytes; 32 with `IORING_SETUP_CQE32` or for
/// an `IORING_CQE_F_32` entry of a mixed ring, the extra 16 bytes being
/// `big_cqe[]`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_cqe {
    pub user_data: u64,
    pub res: i32,
    pub flags: u32,
    pub big_cqe: [u64; 0],
}
uapi_layout!(io_uring_cqe, 16, user_data @ 0, res @ 8, flags @ 12, big_cqe @ 16);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_sqring_offsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub flags: u32,
    pub dropped: u32,
    pub array: u32,
    pub resv1: u32,
    pub user_addr: u64,
}
uapi_layout!(io_sqring_offsets, 40, head @ 0, tail @ 4, ring_mask @ 8,
    ring_entries @ 12, flags @ 16, dropped @ 20, array @ 24, resv1 @ 28, user_addr @ 32);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_cqring_offsets {
    pub head: u32,
    pub tail: u32,
    pub ring_mask: u32,
    pub ring_entries: u32,
    pub overflow: u32,
    pub cqes: u32,
    pub flags: u32,
    pub resv1: u32,
    pub user_addr: u64,
}
uapi_layout!(io_cqring_offsets, 40, head @ 0, tail @ 4, ring_mask @ 8,
    ring_entries @ 12, overflow @ 16, cqes @ 20, flags @ 24, resv1 @ 28, user_addr @ 32);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_params {
    pub sq_entries: u32,
    pub cq_entries: u32,
    pub flags: u32,
    pub sq_thread_cpu: u32,
    pub sq_thread_idle: u32,
    pub features: u32,
    pub wq_fd: u32,
    pub resv: [u32; 3],
    pub sq_off: io_sqring_offsets,
    pub cq_off: io_cqring_offsets,
}
uapi_layout!(io_uring_params, 120, sq_entries @ 0, cq_entries @ 4, flags @ 8,
    sq_thread_cpu @ 12, sq_thread_idle @ 16, features @ 20, wq_fd @ 24, resv @ 28,
    sq_off @ 40, cq_off @ 80);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_getevents_arg {
    pub sigmask: u64,
    pub sigmask_sz: u32,
    pub min_wait_usec: u32,
    pub ts: u64,
}
uapi_layout!(io_uring_getevents_arg, 24, sigmask @ 0, sigmask_sz @ 8, min_wait_usec @ 12, ts @ 16);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_reg_wait {
    pub ts: __kernel_timespec,
    pub min_wait_usec: u32,
    pub flags: u32,
    pub sigmask: u64,
    pub sigmask_sz: u32,
    pub pad: [u32; 3],
    pub pad2: [u64; 2],
}
uapi_layout!(io_uring_reg_wait, 64, ts @ 0, min_wait_usec @ 16, flags @ 20,
    sigmask @ 24, sigmask_sz @ 32, pad @ 36, pad2 @ 48);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_probe_op {
    pub op: u8,
    pub resv: u8,
    pub flags: u16,
    pub resv2: u32,
}
uapi_layout!(io_uring_probe_op, 8, op @ 0, resv @ 1, flags @ 2, resv2 @ 4);

/// Result of `IORING_REGISTER_PROBE`; `ops[]` (flexible array) follows.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_probe {
    pub last_op: u8,
    pub ops_len: u8,
    pub resv: u16,
    pub resv2: [u32; 3],
    pub ops: [io_uring_probe_op; 0],
}
uapi_layout!(io_uring_probe, 16, last_op @ 0, ops_len @ 1, resv @ 2, resv2 @ 4, ops @ 16);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_buf {
    pub addr: u64,
    pub len: u32,
    pub bid: u16,
    /// Aliases the ring's `tail` in slot 0 (`io_uring_buf_ring`).
    pub resv: u16,
}
uapi_layout!(io_uring_buf, 16, addr @ 0, len @ 8, bid @ 12, resv @ 14);

/// A provided-buffer ring: an array of `io_uring_buf` (C's `bufs[]`, a
/// union member at offset 0, not represented here) whose first slot's `resv`
/// field doubles as the ring tail.
#[repr(C)]
#[derive(Debug)]
pub struct io_uring_buf_ring {
    pub resv1: u64,
    pub resv2: u32,
    pub resv3: u16,
    pub tail: u16,
}
uapi_layout!(io_uring_buf_ring, 16, resv1 @ 0, resv2 @ 8, resv3 @ 12, tail @ 14);

/// Argument of `IORING_REGISTER_PBUF_RING` / `IORING_UNREGISTER_PBUF_RING`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_buf_reg {
    pub ring_addr: u64,
    pub ring_entries: u32,
    pub bgid: u16,
    pub flags: u16,
    pub min_left: u32,
    pub resv: [u32; 5],
}
uapi_layout!(io_uring_buf_reg, 40, ring_addr @ 0, ring_entries @ 8, bgid @ 12, flags @ 14, min_left @ 16, resv @ 20);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_buf_status {
    pub buf_group: u32,
    pub head: u32,
    pub resv: [u32; 8],
}
uapi_layout!(io_uring_buf_status, 40, buf_group @ 0, head @ 4, resv @ 8);

/// Argument of `IORING_REGISTER_FILES2` / `IORING_REGISTER_BUFFERS2`.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_rsrc_register {
    pub nr: u32,
    pub flags: u32,
    pub resv2: u64,
    pub data: u64,
    pub tags: u64,
}
uapi_layout!(io_uring_rsrc_register, 32, nr @ 0, flags @ 4, resv2 @ 8, data @ 16, tags @ 24);

#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_rsrc_update {
    pub offset: u32,
    pub resv: u32,
    pub data: u64,
}
uapi_layout!(io_uring_rsrc_update, 16, offset @ 0, resv @ 4, data @ 8);

#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_rsrc_update2 {
    pub offset: u32,
    pub resv: u32,
    pub data: u64,
    pub tags: u64,
    pub nr: u32,
    pub resv2: u32,
}
uapi_layout!(io_uring_rsrc_update2, 32, offset @ 0, resv @ 4, data @ 8, tags @ 16, nr @ 24, resv2 @ 28);

/// The old argument of `IORING_REGISTER_FILES_UPDATE` (same layout as
/// `io_uring_rsrc_update`).
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_files_update {
    pub offset: u32,
    pub resv: u32,
    pub fds: u64,
}
uapi_layout!(io_uring_files_update, 16, offset @ 0, resv @ 4, fds @ 8);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_region_desc {
    pub user_addr: u64,
    pub size: u64,
    pub flags: u32,
    pub id: u32,
    pub mmap_offset: u64,
    pub __resv: [u64; 4],
}
uapi_layout!(io_uring_region_desc, 64, user_addr @ 0, size @ 8, flags @ 16, id @ 20, mmap_offset @ 24, __resv @ 32);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_mem_region_reg {
    pub region_uptr: u64,
    pub flags: u64,
    pub __resv: [u64; 2],
}
uapi_layout!(io_uring_mem_region_reg, 32, region_uptr @ 0, flags @ 8, __resv @ 16);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_clone_buffers {
    pub src_fd: u32,
    pub flags: u32,
    pub src_off: u32,
    pub dst_off: u32,
    pub nr: u32,
    pub pad: [u32; 3],
}
uapi_layout!(io_uring_clone_buffers, 32, src_fd @ 0, flags @ 4, src_off @ 8, dst_off @ 12, nr @ 16, pad @ 20);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_file_index_range {
    pub off: u32,
    pub len: u32,
    pub resv: u64,
}
uapi_layout!(io_uring_file_index_range, 16, off @ 0, len @ 4, resv @ 8);

/// union: `register_op`, `sqe_op`, `sqe_flags` (all u8 at offset 2).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_restriction {
    pub opcode: u16,
    pub op: u8,
    pub resv: u8,
    pub resv2: [u32; 3],
}
uapi_layout!(io_uring_restriction, 16, opcode @ 0, op @ 2, resv @ 3, resv2 @ 4);

/// A set of restrictions; `restrictions[nr_res]` follows (zero-length array).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_task_restriction {
    pub flags: u16,
    pub nr_res: u16,
    pub resv: [u32; 3],
    pub restrictions: [io_uring_restriction; 0],
}
uapi_layout!(io_uring_task_restriction, 16, flags @ 0, nr_res @ 2, resv @ 4, restrictions @ 16);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_sync_cancel_reg {
    pub addr: u64,
    pub fd: i32,
    pub flags: u32,
    pub timeout: __kernel_timespec,
    pub opcode: u8,
    pub pad: [u8; 7],
    pub pad2: [u64; 3],
}
uapi_layout!(io_uring_sync_cancel_reg, 64, addr @ 0, fd @ 8, flags @ 12, timeout @ 16, opcode @ 32, pad @ 33,
    pad2 @ 40);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_napi {
    pub busy_poll_to: u32,
    pub prefer_busy_poll: u8,
    pub pad: [u8; 3],
    pub resv: u64,
}
uapi_layout!(io_uring_napi, 16, busy_poll_to @ 0, prefer_busy_poll @ 4, pad @ 5, resv @ 8);

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_clock_register {
    pub clockid: u32,
    pub __resv: [u32; 3],
}
uapi_layout!(io_uring_clock_register, 16, clockid @ 0, __resv @ 4);

/// Header the kernel writes at the start of a multishot `recvmsg` buffer;
/// the name, control data and payload follow it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_recvmsg_out {
    pub namelen: u32,
    pub controllen: u32,
    pub payloadlen: u32,
    pub flags: u32,
}
uapi_layout!(io_uring_recvmsg_out, 16, namelen @ 0, controllen @ 4, payloadlen @ 8, flags @ 12);

/// A timestamp as `SOCKET_URING_OP_TX_TIMESTAMP` reports it (unsigned fields).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_timespec {
    pub tv_sec: u64,
    pub tv_nsec: u64,
}
uapi_layout!(io_timespec, 16, tv_sec @ 0, tv_nsec @ 8);
