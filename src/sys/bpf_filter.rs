//! `IORING_REGISTER_BPF_FILTER` (`<liburing/io_uring/bpf_filter.h>`):
//! classic BPF programs that vet requests per opcode.

uapi_consts! { BPF_FILTER_CONSTS;
    // io_uring_bpf_filter.flags
    /// Opcodes without a filter of their own get a deny filter.
    IO_URING_BPF_FILTER_DENY_REST: u32 = 1;
    /// Fail registration if kernel and application disagree on `pdu_size`.
    IO_URING_BPF_FILTER_SZ_STRICT: u32 = 2;

    /// io_uring_bpf.cmd_type: register the filter in `filter`.
    IO_URING_BPF_CMD_FILTER: u16 = 1;
}

/// Socket arguments in `io_uring_bpf_ctx` (an anonymous struct in C).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_bpf_ctx_socket {
    pub family: u32,
    pub r#type: u32,
    pub protocol: u32,
}
uapi_layout!(io_uring_bpf_ctx_socket, 12, family @ 0, r#type @ 4, protocol @ 8);

/// Open arguments in `io_uring_bpf_ctx` (an anonymous struct in C).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_bpf_ctx_open {
    pub flags: u64,
    pub mode: u64,
    pub resolve: u64,
}
uapi_layout!(io_uring_bpf_ctx_open, 24, flags @ 0, mode @ 8, resolve @ 16);

/// The opcode-specific part of `io_uring_bpf_ctx` (an anonymous union in C,
/// whose members `socket` and `open` C code names directly).
#[repr(C)]
#[derive(Clone, Copy)]
pub union io_uring_bpf_ctx_args {
    pub socket: io_uring_bpf_ctx_socket,
    pub open: io_uring_bpf_ctx_open,
}

impl Default for io_uring_bpf_ctx_args {
    fn default() -> Self {
        // `open` is the largest member, so this zeroes the whole union.
        Self {
            open: io_uring_bpf_ctx_open::default(),
        }
    }
}

/// What a filter program sees of a request.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct io_uring_bpf_ctx {
    pub user_data: u64,
    pub opcode: u8,
    pub sqe_flags: u8,
    /// Size of the opcode-specific data in `args`.
    pub pdu_size: u8,
    pub pad: [u8; 5],
    /// C: anonymous union of `socket` and `open`.
    pub args: io_uring_bpf_ctx_args,
}
uapi_layout!(io_uring_bpf_ctx, 40, user_data @ 0, opcode @ 8, sqe_flags @ 9, pdu_size @ 10,
    pad @ 11, args @ 16);

/// One filter: a classic BPF program of `filter_len` instructions at
/// `filter_ptr`, for requests of `opcode`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_bpf_filter {
    pub opcode: u32,
    /// `IO_URING_BPF_FILTER_*`.
    pub flags: u32,
    pub filter_len: u32,
    /// The size of the opcode data the application expects.
    pub pdu_size: u8,
    pub resv: [u8; 3],
    pub filter_ptr: u64,
    pub resv2: [u64; 5],
}
uapi_layout!(io_uring_bpf_filter, 64, opcode @ 0, flags @ 4, filter_len @ 8, pdu_size @ 12,
    resv @ 13, filter_ptr @ 16, resv2 @ 24);

/// Argument of `IORING_REGISTER_BPF_FILTER`. C wraps `filter` in a union of
/// that one member.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct io_uring_bpf {
    /// `IO_URING_BPF_CMD_*`.
    pub cmd_type: u16,
    pub cmd_flags: u16,
    pub resv: u32,
    pub filter: io_uring_bpf_filter,
}
uapi_layout!(io_uring_bpf, 72, cmd_type @ 0, cmd_flags @ 2, resv @ 4, filter @ 8);
