/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs: IORING_REGISTER_QUERY, as liburing 2.15 ships it.
 *
 * The argument is a chain of headers. Each names a query (query_op) and a
 * buffer of `size` bytes for the answer (query_data), and points to the
 * next header (next_entry, 0 at the end). The kernel fills each answer and
 * reports per query in `result`. Names, values and layouts are the kernel's.
 */
#ifndef LINUX_IO_URING_QUERY_H
#define LINUX_IO_URING_QUERY_H

#include <linux/types.h>

struct io_uring_query_hdr {
	__u64 next_entry;
	__u64 query_data;
	__u32 query_op;		/* IO_URING_QUERY_* */
	__u32 size;
	__s32 result;
	__u32 __resv[3];
};

/* io_uring_query_hdr.query_op */
enum {
	IO_URING_QUERY_OPCODES			= 0, /* struct io_uring_query_opcode */
	IO_URING_QUERY_ZCRX			= 1, /* struct io_uring_query_zcrx */
	IO_URING_QUERY_SCQ			= 2, /* struct io_uring_query_scq */

	__IO_URING_QUERY_MAX,
};

/* What the kernel supports. Works without a ring. */
struct io_uring_query_opcode {
	__u32	nr_request_opcodes;	/* count of IORING_OP_* */
	__u32	nr_register_opcodes;	/* count of IORING_(UN)REGISTER_* */
	__u64	feature_flags;		/* IORING_FEAT_* mask */
	__u64	ring_setup_flags;	/* IORING_SETUP_* mask */
	__u64	enter_flags;		/* IORING_ENTER_* mask */
	__u64	sqe_flags;		/* IOSQE_* mask */
	__u32	nr_query_opcodes;	/* count of IO_URING_QUERY_* */
	__u32	__pad;
};

/* What zero-copy receive supports. */
struct io_uring_query_zcrx {
	__u64 register_flags;		/* ZCRX_REG_* mask */
	__u64 area_flags;		/* IORING_ZCRX_AREA_* mask */
	__u32 nr_ctrl_opcodes;		/* count of ZCRX_CTRL_* */
	__u32 features;			/* ZCRX_FEATURE_* mask */
	__u32 rq_hdr_size;		/* refill ring header: size ... */
	__u32 rq_hdr_alignment;		/* ... and alignment */
	__u64 __resv2;
};

/* The SQ/CQ ring header's size and alignment. */
struct io_uring_query_scq {
	__u64 hdr_size;
	__u64 hdr_alignment;
};

#endif /* LINUX_IO_URING_QUERY_H */
