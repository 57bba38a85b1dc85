//! Unit tests of the kernel ABI module.
//!
//! `well_known_values` pins a few values by hand: a kernel ABI never changes
//! them, so a failure here means a typo crept in. `uapi_tables_dump` checks
//! the constant tables for duplicates and, when `UAPI_DUMP_DIR` is set, writes
//! every constant and every struct layout of this module to that directory;
//! `capi-tests/uapi/check-uapi.sh` compares those files with our C header.

use super::*;

/// Every constant table of the module.
fn const_tables() -> Vec<(&'static str, i128)> {
    let tables: [&[(&str, i128)]; 6] = [
        consts::RING_CONSTS,
        opcodes::OPCODE_CONSTS,
        registration::REGISTER_CONSTS,
        zcrx::ZCRX_CONSTS,
        query::QUERY_CONSTS,
        bpf_filter::BPF_FILTER_CONSTS,
    ];
    tables.iter().flat_map(|t| t.iter().copied()).collect()
}

macro_rules! layouts {
    ($($ty:ident),* $(,)?) => {
        vec![$( (stringify!($ty), $ty::ABI_LAYOUT) ),*]
    };
}

/// Every uapi struct of the module with its recorded layout.
#[allow(clippy::type_complexity)]
fn struct_layouts() -> Vec<(&'static str, (usize, &'static [(&'static str, usize)]))> {
    layouts![
        __kernel_timespec,
        io_uring_sqe,
        io_uring_attr_pi,
        io_uring_cqe,
        io_sqring_offsets,
        io_cqring_offsets,
        io_uring_params,
        io_uring_getevents_arg,
        io_uring_reg_wait,
        io_uring_probe_op,
        io_uring_probe,
        io_uring_buf,
        io_uring_buf_ring,
        io_uring_buf_reg,
        io_uring_buf_status,
        io_uring_rsrc_register,
        io_uring_rsrc_update,
        io_uring_rsrc_update2,
        io_uring_files_update,
        io_uring_region_desc,
        io_uring_mem_region_reg,
        io_uring_clone_buffers,
        io_uring_file_index_range,
        io_uring_restriction,
        io_uring_task_restriction,
        io_uring_sync_cancel_reg,
        io_uring_napi,
        io_uring_clock_register,
        io_uring_recvmsg_out,
        io_timespec,
        io_uring_zcrx_rqe,
        io_uring_zcrx_cqe,
        io_uring_zcrx_offsets,
        io_uring_zcrx_area_reg,
        io_uring_zcrx_ifq_reg,
        zcrx_ctrl_flush_rq,
        zcrx_ctrl_export,
        zcrx_ctrl,
        io_uring_query_hdr,
        io_uring_query_opcode,
        io_uring_query_zcrx,
        io_uring_query_scq,
        io_uring_bpf_ctx,
        io_uring_bpf_ctx_socket,
        io_uring_bpf_ctx_open,
        io_uring_bpf_filter,
        io_uring_bpf,
    ]
}

#[test]
fn well_known_values() {
    assert_eq!(IORING_OP_NOP, 0);
    assert_eq!(IORING_OP_READV, 1);
    assert_eq!(IORING_OP_TIMEOUT, 11);
    assert_eq!(IORING_OP_READ, 22);
    assert_eq!(IORING_OP_SEND_ZC, 47);
    assert_eq!(IORING_OP_URING_CMD128, 64);
    assert_eq!(IORING_OP_LAST, 65);
    assert_eq!(IORING_SETUP_SQPOLL, 2);
    assert_eq!(IORING_SETUP_NO_SQARRAY, 0x10000);
    assert_eq!(IORING_ENTER_GETEVENTS, 1);
    assert_eq!(IORING_ENTER_REGISTERED_RING, 16);
    assert_eq!(IORING_FEAT_EXT_ARG, 256);
    assert_eq!(IOSQE_IO_LINK, 4);
    assert_eq!(IOSQE_CQE_SKIP_SUCCESS, 64);
    assert_eq!(IORING_CQE_F_MORE, 2);
    assert_eq!(IORING_CQE_F_32, 0x8000);
    assert_eq!(IORING_CQE_BUFFER_SHIFT, 16);
    assert_eq!(IORING_OFF_CQ_RING, 0x8000000);
    assert_eq!(IORING_OFF_SQES, 0x10000000);
    assert_eq!(IORING_REGISTER_PBUF_RING, 22);
    assert_eq!(IORING_REGISTER_LAST, 38);
    assert_eq!(IORING_REGISTER_USE_REGISTERED_RING, 0x8000_0000);
    assert_eq!(IORING_FILE_INDEX_ALLOC, 0xffff_ffff);
    assert_eq!(IORING_REGISTER_FILES_SKIP, -2);
    assert_eq!(IORING_NOTIF_USAGE_ZC_COPIED, 0x8000_0000);
    assert_eq!(SPLICE_F_FD_IN_FIXED, 0x8000_0000);
    assert_eq!(IORING_TIMEOUT_CLOCK_MASK, 0xc);
    assert_eq!(IORING_TIMEOUT_UPDATE_MASK, 0x12);
    assert_eq!(IORING_ZCRX_AREA_MASK, 0xffff_0000_0000_0000);
    assert_eq!(IORING_CQE_F_TSTAMP_HW, 0x10000);
    assert_eq!(IORING_RECV_MULTISHOT, 2);
    assert_eq!(IORING_ACCEPT_MULTISHOT, 1);
    assert_eq!(IORING_MSG_SEND_FD, 1);
    assert_eq!(SOCKET_URING_OP_SETSOCKOPT, 3);
    assert_eq!(IO_URING_QUERY_SCQ, 2);
    assert_eq!(IO_URING_BPF_CMD_FILTER, 1);
}

#[test]
fn uapi_tables_dump() {
    use std::collections::HashSet;
    use std::fmt::Write as _;

    let consts = const_tables();
    let layouts = struct_layouts();
    // RING_CONSTS alone has more than 90 entries; an empty or truncated
    // table would mean the macro stopped recording.
    assert!(consts.len() > 250, "only {} constants recorded", consts.len());
    let mut seen = HashSet::new();
    for (name, _) in &consts {
        assert!(seen.insert(*name), "constant {name} declared twice");
    }
    let mut seen = HashSet::new();
    for (name, (size, fields)) in &layouts {
        assert!(seen.insert(*name), "struct {name} listed twice");
        assert!(*size > 0 && !fields.is_empty(), "struct {name} has no recorded layout");
    }

    let Some(dir) = std::env::var_os("UAPI_DUMP_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let mut text = String::new();
    for (name, value) in &consts {
        writeln!(text, "{name} {value}").unwrap();
    }
    std::fs::write(dir.join("rust-consts.txt"), &text).unwrap();
    text.clear();
    for (name, (size, fields)) in &layouts {
        writeln!(text, "struct {name} {size}").unwrap();
        for (field, off) in fields.iter() {
            writeln!(text, "field {name} {field} {off}").unwrap();
        }
    }
    std::fs::write(dir.join("rust-layout.txt"), &text).unwrap();
}
