/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs: IORING_REGISTER_BPF_FILTER, as liburing 2.15 ships it.
 *
 * Classic BPF programs, one per opcode, that the kernel runs on each request
 * to allow or deny it. Names, values and layouts are the kernel's.
 */
#ifndef LINUX_IO_URING_BPF_FILTER_H
#define LINUX_IO_URING_BPF_FILTER_H

#include <linux/types.h>

/* The data a filter program runs on. */
struct io_uring_bpf_ctx {
	__u64	user_data;
	__u8	opcode;
	__u8	sqe_flags;
	__u8	pdu_size;	/* bytes of opcode data below */
	__u8	pad[5];
	union {
		struct {	/* IORING_OP_SOCKET */
			__u32	family;
			__u32	type;
			__u32	protocol;
		} socket;
		struct {	/* IORING_OP_OPENAT, IORING_OP_OPENAT2 */
			__u64	flags;
			__u64	mode;
			__u64	resolve;
		} open;
	};
};

/* io_uring_bpf_filter.flags.
 * DENY_REST	opcodes that have no filter get one that denies
 * SZ_STRICT	refuse the filter if its pdu_size differs from the kernel's */
enum {
	IO_URING_BPF_FILTER_DENY_REST	= 1,
	IO_URING_BPF_FILTER_SZ_STRICT	= 2,
};

/* One filter: filter_len instructions at filter_ptr, for `opcode`. */
struct io_uring_bpf_filter {
	__u32	opcode;
	__u32	flags;		/* IO_URING_BPF_FILTER_* */
	__u32	filter_len;
	__u8	pdu_size;	/* opcode data size the program expects */
	__u8	resv[3];
	__u64	filter_ptr;
	__u64	resv2[5];
};

/* io_uring_bpf.cmd_type */
enum {
	IO_URING_BPF_CMD_FILTER	= 1,
};

/* Argument of IORING_REGISTER_BPF_FILTER. */
struct io_uring_bpf {
	__u16	cmd_type;	/* IO_URING_BPF_CMD_* */
	__u16	cmd_flags;	/* none defined */
	__u32	resv;
	union {
		struct io_uring_bpf_filter	filter;
	};
};

#endif /* LINUX_IO_URING_BPF_FILTER_H */
