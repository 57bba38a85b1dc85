/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs: the io_uring kernel interface as liburing 2.15 ships it.
 *
 * This header declares the structures the kernel and the application share
 * (submission and completion entries, the setup parameters, the arguments
 * of io_uring_register(2)) and the constants that go into them. Names,
 * values and layouts are those of the Linux uapi; the grouping and the
 * comments are this project's own. The Rust side (src/sys) mirrors every
 * item, and capi-tests/uapi/check-uapi.sh compares the two, and this
 * header with upstream's.
 *
 * The include guard is the kernel's own, so whichever of this header and
 * <linux/io_uring.h> comes first in a translation unit is the one used.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>		/* __kernel_rwf_t */
#include <linux/types.h>	/* __u8 ... __u64, __aligned_u64 */
/*
 * struct __kernel_timespec comes from <linux/time_types.h>. On systems whose
 * kernel headers lack it, liburing's compat.h defines the struct itself and
 * UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H to keep it from being
 * included here.
 */
#ifndef UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H
#include <linux/time_types.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Submission queue entry
 *
 * 64 bytes, or 128 on a ring set up with IORING_SETUP_SQE128 (the second
 * half is then command data, reached through cmd[]). Several words mean
 * different things for different opcodes; each such word is a union below.
 */
struct io_uring_sqe {
	__u8	opcode;		/* IORING_OP_* */
	__u8	flags;		/* IOSQE_* */
	__u16	ioprio;		/* I/O priority, or per-opcode flags */
	__s32	fd;		/* file (or registered file index) to act on */
	union {
		__u64	off;	/* file offset */
		__u64	addr2;	/* second address */
		struct {
			__u32	cmd_op;	/* IORING_OP_URING_CMD sub-command */
			__u32	__pad1;
		};
	};
	union {
		__u64	addr;		/* buffer or iovec array address */
		__u64	splice_off_in;
		struct {
			__u32	level;	/* socket option level ... */
			__u32	optname;	/* ... and name */
		};
	};
	__u32	len;		/* buffer length or iovec count */
	/* The opcode's own flag word. */
	union {
		__kernel_rwf_t	rw_flags;
		__u32		fsync_flags;
		__u16		poll_events;	/* old 16-bit form */
		__u32		poll32_events;
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
		__u32		rename_flags;
		__u32		unlink_flags;
		__u32		hardlink_flags;
		__u32		xattr_flags;
		__u32		msg_ring_flags;
		__u32		uring_cmd_flags;
		__u32		waitid_flags;
		__u32		futex_flags;
		__u32		install_fd_flags;
		__u32		nop_flags;
		__u32		pipe_flags;
	};
	__u64	user_data;	/* handed back untouched in the CQE */
	/* Packed so that old ARM ABIs do not pad the union to 4 bytes. */
	union {
		__u16	buf_index;	/* registered buffer to use */
		__u16	buf_group;	/* buffer group to select from */
	} __attribute__((packed));
	__u16	personality;	/* registered credentials to run with */
	union {
		__s32	splice_fd_in;
		__u32	file_index;	/* direct descriptor slot + 1 */
		__u32	zcrx_ifq_idx;
		__u32	optlen;
		struct {
			__u16	addr_len;
			__u16	__pad3[1];
		};
	};
	union {
		struct {
			__u64	addr3;
			__u64	__pad2[1];
		};
		struct {
			__u64	attr_ptr;	/* read/write attributes ... */
			__u64	attr_type_mask;	/* ... of the IORING_RW_ATTR_FLAG_* kinds */
		};
		__u64	optval;
		__u8	cmd[0];	/* command payload of IORING_OP_URING_CMD */
	};
};

/* Bit numbers of sqe->flags ... */
enum io_uring_sqe_flags_bit {
	IOSQE_FIXED_FILE_BIT,
	IOSQE_IO_DRAIN_BIT,
	IOSQE_IO_LINK_BIT,
	IOSQE_IO_HARDLINK_BIT,
	IOSQE_ASYNC_BIT,
	IOSQE_BUFFER_SELECT_BIT,
	IOSQE_CQE_SKIP_SUCCESS_BIT,
};

/* ... and the flags themselves. */
#define IOSQE_FIXED_FILE	(1U << IOSQE_FIXED_FILE_BIT)	/* fd is a registered file index */
#define IOSQE_IO_DRAIN		(1U << IOSQE_IO_DRAIN_BIT)	/* wait for all earlier requests */
#define IOSQE_IO_LINK		(1U << IOSQE_IO_LINK_BIT)	/* next SQE runs if this one succeeds */
#define IOSQE_IO_HARDLINK	(1U << IOSQE_IO_HARDLINK_BIT)	/* next SQE runs whatever the result */
#define IOSQE_ASYNC		(1U << IOSQE_ASYNC_BIT)		/* go to io-wq straight away */
#define IOSQE_BUFFER_SELECT	(1U << IOSQE_BUFFER_SELECT_BIT)	/* pick a buffer from buf_group */
#define IOSQE_CQE_SKIP_SUCCESS	(1U << IOSQE_CQE_SKIP_SUCCESS_BIT) /* no CQE on success */

/* sqe->opcode */
enum io_uring_op {
	IORING_OP_NOP,
	IORING_OP_READV,
	IORING_OP_WRITEV,
	IORING_OP_FSYNC,
	IORING_OP_READ_FIXED,
	IORING_OP_WRITE_FIXED,
	IORING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE,
	IORING_OP_SYNC_FILE_RANGE,
	IORING_OP_SENDMSG,
	IORING_OP_RECVMSG,		/* 10 */
	IORING_OP_TIMEOUT,
	IORING_OP_TIMEOUT_REMOVE,
	IORING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT,
	IORING_OP_CONNECT,
	IORING_OP_FALLOCATE,
	IORING_OP_OPENAT,
	IORING_OP_CLOSE,
	IORING_OP_FILES_UPDATE,		/* 20 */
	IORING_OP_STATX,
	IORING_OP_READ,
	IORING_OP_WRITE,
	IORING_OP_FADVISE,
	IORING_OP_MADVISE,
	IORING_OP_SEND,
	IORING_OP_RECV,
	IORING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL,
	IORING_OP_SPLICE,		/* 30 */
	IORING_OP_PROVIDE_BUFFERS,
	IORING_OP_REMOVE_BUFFERS,
	IORING_OP_TEE,
	IORING_OP_SHUTDOWN,
	IORING_OP_RENAMEAT,
	IORING_OP_UNLINKAT,
	IORING_OP_MKDIRAT,
	IORING_OP_SYMLINKAT,
	IORING_OP_LINKAT,
	IORING_OP_MSG_RING,		/* 40 */
	IORING_OP_FSETXATTR,
	IORING_OP_SETXATTR,
	IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR,
	IORING_OP_SOCKET,
	IORING_OP_URING_CMD,
	IORING_OP_SEND_ZC,
	IORING_OP_SENDMSG_ZC,
	IORING_OP_READ_MULTISHOT,
	IORING_OP_WAITID,		/* 50 */
	IORING_OP_FUTEX_WAIT,
	IORING_OP_FUTEX_WAKE,
	IORING_OP_FUTEX_WAITV,
	IORING_OP_FIXED_FD_INSTALL,
	IORING_OP_FTRUNCATE,
	IORING_OP_BIND,
	IORING_OP_LISTEN,
	IORING_OP_RECV_ZC,
	IORING_OP_EPOLL_WAIT,
	IORING_OP_READV_FIXED,		/* 60 */
	IORING_OP_WRITEV_FIXED,
	IORING_OP_PIPE,
	IORING_OP_NOP128,
	IORING_OP_URING_CMD128,

	IORING_OP_LAST,			/* one past the last opcode known here */
};

/* ------------------------------------------------------------------------
 * Per-opcode values carried in the SQE
 */

/* sqe->file_index: let the kernel choose a free direct descriptor slot and
 * return it in cqe->res (-ENFILE when the table is full). */
#define IORING_FILE_INDEX_ALLOC		(~0U)

/* sqe->attr_type_mask: attr_ptr points to a struct io_uring_attr_pi. */
#define IORING_RW_ATTR_FLAG_PI	(1U << 0)

/* Protection information attached to a read or write. */
struct io_uring_attr_pi {
	__u16	flags;
	__u16	app_tag;
	__u32	len;
	__u64	addr;
	__u64	seed;
	__u64	rsvd;
};

/* sqe->uring_cmd_flags; the top 8 bits belong to the kernel.
 * FIXED: the command uses the registered buffer sqe->buf_index. */
#define IORING_URING_CMD_FIXED	(1U << 0)
#define IORING_URING_CMD_MASK	IORING_URING_CMD_FIXED

/* sqe->fsync_flags */
#define IORING_FSYNC_DATASYNC	(1U << 0)

/* sqe->timeout_flags. IMMEDIATE_ARG: sqe->addr is the timeout itself, in
 * nanoseconds, rather than the address of a timespec. */
#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_MULTISHOT	(1U << 6)
#define IORING_TIMEOUT_IMMEDIATE_ARG	(1U << 7)
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/* sqe->splice_flags, beyond splice(2)'s: splice_fd_in is a registered file. */
#define SPLICE_F_FD_IN_FIXED	(1U << 31)

/* Poll command flags. The event mask takes the flag word, so these go in
 * sqe->len.
 * ADD_MULTI	keep the poll armed; each CQE carries IORING_CQE_F_MORE
 *		while more may follow
 * UPDATE_*	modify the poll request whose user_data is sqe->addr
 * ADD_LEVEL	level- instead of edge-triggered */
#define IORING_POLL_ADD_MULTI		(1U << 0)
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)
#define IORING_POLL_ADD_LEVEL		(1U << 3)

/* sqe->cancel_flags and io_uring_sync_cancel_reg.flags: which requests a
 * cancelation matches.
 * ALL		every match, not just the first
 * FD		match on the file descriptor instead of user_data
 * ANY		match everything
 * FD_FIXED	the fd is a registered file index
 * USERDATA	match on user_data (the default)
 * OP		match on the opcode */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)
#define IORING_ASYNC_CANCEL_FD		(1U << 1)
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)
#define IORING_ASYNC_CANCEL_OP		(1U << 5)

/* Send and receive flags, in sqe->ioprio.
 * POLL_FIRST		arm poll before trying the transfer
 * RECV_MULTISHOT	keep receiving; CQEs carry IORING_CQE_F_MORE
 * FIXED_BUF		the buffer is the registered buffer sqe->buf_index
 * ZC_REPORT_USAGE	the notification CQE's res tells whether data was
 *			copied (IORING_NOTIF_USAGE_ZC_COPIED) or not (0)
 * BUNDLE		with IOSQE_BUFFER_SELECT: use as many consecutive
 *			buffers of the group as the data needs
 * VECTORIZED		SEND/SEND_ZC take an iovec array */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)
#define IORING_RECVSEND_BUNDLE		(1U << 4)
#define IORING_SEND_VECTORIZED		(1U << 5)

/* In the res of a zero-copy notification CQE: the kernel had to copy. Test
 * it as a flag; the other bits of res are reserved. */
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* Accept flags, in sqe->ioprio. */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)
#define IORING_ACCEPT_DONTWAIT		(1U << 1)
#define IORING_ACCEPT_POLL_FIRST	(1U << 2)

/* IORING_OP_MSG_RING commands, in sqe->addr. */
enum io_uring_msg_ring_flags {
	IORING_MSG_DATA,	/* post a CQE: res = sqe->len, user_data = sqe->off */
	IORING_MSG_SEND_FD,	/* install a registered file in the target ring */
};

/* sqe->msg_ring_flags.
 * CQE_SKIP	post no CQE in the target ring (not for IORING_MSG_DATA)
 * FLAGS_PASS	the target CQE's flags are sqe->file_index */
#define IORING_MSG_RING_CQE_SKIP	(1U << 0)
#define IORING_MSG_RING_FLAGS_PASS	(1U << 1)

/* sqe->install_fd_flags: the new descriptor is not close-on-exec. */
#define IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)

/* sqe->nop_flags.
 * INJECT_RESULT	complete with res = sqe->len
 * CQE32		post a 32-byte CQE */
#define IORING_NOP_INJECT_RESULT	(1U << 0)
#define IORING_NOP_CQE32		(1U << 5)

/* IORING_OP_URING_CMD on a socket: sqe->cmd_op. */
enum io_uring_socket_op {
	SOCKET_URING_OP_SIOCINQ		= 0,
	SOCKET_URING_OP_SIOCOUTQ,
	SOCKET_URING_OP_GETSOCKOPT,
	SOCKET_URING_OP_SETSOCKOPT,
	SOCKET_URING_OP_TX_TIMESTAMP,
	SOCKET_URING_OP_GETSOCKNAME,
};

/* Completions of SOCKET_URING_OP_TX_TIMESTAMP: cqe->flags carries the
 * hardware bit at HW_SHIFT and the timestamp type from TYPE_SHIFT up. */
#define IORING_TIMESTAMP_HW_SHIFT	16
#define IORING_TIMESTAMP_TYPE_SHIFT	(IORING_TIMESTAMP_HW_SHIFT + 1)
#define IORING_CQE_F_TSTAMP_HW		((__u32)1 << IORING_TIMESTAMP_HW_SHIFT)

/* A timestamp of that kind. */
struct io_timespec {
	__u64		tv_sec;
	__u64		tv_nsec;
};

/* ------------------------------------------------------------------------
 * Completion queue entry
 *
 * 16 bytes; 32 on an IORING_SETUP_CQE32 ring, and for entries flagged
 * IORING_CQE_F_32 on an IORING_SETUP_CQE_MIXED ring. The extra 16 bytes are
 * big_cqe[].
 */
struct io_uring_cqe {
	__u64	user_data;	/* copied from the SQE */
	__s32	res;		/* result, or -errno */
	__u32	flags;		/* IORING_CQE_F_* */
	__u64	big_cqe[];
};

/* cqe->flags.
 * BUFFER	a provided buffer was used; its ID is flags >> IORING_CQE_BUFFER_SHIFT
 * MORE		the request will post more CQEs
 * SOCK_NONEMPTY the socket still has data after this receive
 * NOTIF	a zero-copy send's notification, not its result
 * BUF_MORE	the incrementally consumed buffer (IOU_PBUF_RING_INC) is
 *		not used up and stays with the kernel
 * SKIP		filler entry before the ring wraps in a mixed-size ring;
 *		ignore it
 * 32		this entry is 32 bytes (mixed-size rings) */
#define IORING_CQE_F_BUFFER		(1U << 0)
#define IORING_CQE_F_MORE		(1U << 1)
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)
#define IORING_CQE_F_NOTIF		(1U << 3)
#define IORING_CQE_F_BUF_MORE		(1U << 4)
#define IORING_CQE_F_SKIP		(1U << 5)
#define IORING_CQE_F_32			(1U << 15)

#define IORING_CQE_BUFFER_SHIFT		16

/* Header of a multishot recvmsg buffer; name, control data and payload
 * follow it. */
struct io_uring_recvmsg_out {
	__u32 namelen;
	__u32 controllen;
	__u32 payloadlen;
	__u32 flags;
};

/* ------------------------------------------------------------------------
 * Ring setup: io_uring_setup(2) and the mapped rings
 */

/* mmap(2) offsets of the ring memory on the ring fd. A provided-buffer ring
 * of group bgid lives at IORING_OFF_PBUF_RING | (bgid << IORING_OFF_PBUF_SHIFT). */
#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL
#define IORING_OFF_PBUF_RING		0x80000000ULL
#define IORING_OFF_PBUF_SHIFT		16
#define IORING_OFF_MMAP_MASK		0xf8000000ULL

/* Where the kernel put the SQ ring's fields, relative to its mapping. */
struct io_sqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 flags;
	__u32 dropped;
	__u32 array;
	__u32 resv1;
	__u64 user_addr;	/* ring memory, with IORING_SETUP_NO_MMAP */
};

/* Bits of the SQ ring's flags word. */
#define IORING_SQ_NEED_WAKEUP	(1U << 0) /* the SQ thread sleeps: enter with SQ_WAKEUP */
#define IORING_SQ_CQ_OVERFLOW	(1U << 1) /* completions wait in the overflow list */
#define IORING_SQ_TASKRUN	(1U << 2) /* task work waits: enter to run it */

/* Where the kernel put the CQ ring's fields. */
struct io_cqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 overflow;
	__u32 cqes;
	__u32 flags;
	__u32 resv1;
	__u64 user_addr;
};

/* Bits of the CQ ring's flags word. */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0) /* no eventfd signals for now */

/* io_uring_params.flags */
#define IORING_SETUP_IOPOLL		(1U << 0)  /* poll for completions */
#define IORING_SETUP_SQPOLL		(1U << 1)  /* a kernel thread polls the SQ */
#define IORING_SETUP_SQ_AFF		(1U << 2)  /* pin it to sq_thread_cpu */
#define IORING_SETUP_CQSIZE		(1U << 3)  /* cq_entries is set */
#define IORING_SETUP_CLAMP		(1U << 4)  /* clamp sizes to the maximum */
#define IORING_SETUP_ATTACH_WQ		(1U << 5)  /* share wq_fd's io-wq */
#define IORING_SETUP_R_DISABLED		(1U << 6)  /* start disabled */
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)  /* submit past a failing SQE */
/* Run completion task work when the task enters the kernel anyway, rather
 * than interrupting it. */
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)
/* Raise IORING_SQ_TASKRUN when task work waits (with COOP_TASKRUN or
 * DEFER_TASKRUN). */
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)
#define IORING_SETUP_SQE128		(1U << 10) /* 128-byte SQEs */
#define IORING_SETUP_CQE32		(1U << 11) /* 32-byte CQEs */
/* Only one task will submit. */
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)
/* Run task work only when the application waits for completions. */
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)
/* The application allocated the ring memory (sq_off/cq_off.user_addr). */
#define IORING_SETUP_NO_MMAP		(1U << 14)
/* Register the ring in itself and return the registered index, no fd. */
#define IORING_SETUP_REGISTERED_FD_ONLY	(1U << 15)
/* No SQ index array: the tail indexes the SQEs directly. */
#define IORING_SETUP_NO_SQARRAY		(1U << 16)
/* IOPOLL that sleeps before it polls. */
#define IORING_SETUP_HYBRID_IOPOLL	(1U << 17)
/* 16- and 32-byte CQEs in one ring; the big ones carry IORING_CQE_F_32. */
#define IORING_SETUP_CQE_MIXED		(1U << 18)
/* 64- and 128-byte SQEs in one ring; the big ones use 128-byte opcodes. */
#define IORING_SETUP_SQE_MIXED		(1U << 19)
/* Each submission takes SQEs from slot 0 on; head and tail are unused and
 * must stay 0. Needs NO_SQARRAY, excludes SQPOLL. */
#define IORING_SETUP_SQ_REWIND		(1U << 20)

/* io_uring_setup(2)'s argument; the kernel fills in the rest. */
struct io_uring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;		/* IORING_SETUP_* */
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;	/* milliseconds */
	__u32 features;		/* IORING_FEAT_*, filled in by the kernel */
	__u32 wq_fd;
	__u32 resv[3];
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/* io_uring_params.features: what the running kernel offers. */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)
#define IORING_FEAT_REG_REG_RING	(1U << 13)
#define IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)
#define IORING_FEAT_MIN_TIMEOUT		(1U << 15)
#define IORING_FEAT_RW_ATTR		(1U << 16)
#define IORING_FEAT_NO_IOWAIT		(1U << 17)

/* ------------------------------------------------------------------------
 * io_uring_enter(2)
 */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3) /* arg is io_uring_getevents_arg */
#define IORING_ENTER_REGISTERED_RING	(1U << 4) /* fd is a registered ring index */
#define IORING_ENTER_ABS_TIMER		(1U << 5) /* the timeout is absolute */
#define IORING_ENTER_EXT_ARG_REG	(1U << 6) /* arg is an offset in the wait region */
#define IORING_ENTER_NO_IOWAIT		(1U << 7) /* do not count the wait as iowait */

/* The argument with IORING_ENTER_EXT_ARG. */
struct io_uring_getevents_arg {
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	min_wait_usec;
	__u64	ts;
};

/* io_uring_reg_wait.flags: ts is set. */
enum {
	IORING_REG_WAIT_TS		= (1U << 0),
};

/* With IORING_ENTER_EXT_ARG_REG the argument is the offset of one of these
 * in the region registered with IORING_MEM_REGION_REG_WAIT_ARG. */
struct io_uring_reg_wait {
	struct __kernel_timespec	ts;
	__u32				min_wait_usec;
	__u32				flags;
	__u64				sigmask;
	__u32				sigmask_sz;
	__u32				pad[3];
	__u64				pad2[2];
};

/* ------------------------------------------------------------------------
 * io_uring_register(2)
 */
enum io_uring_register_op {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,
	IORING_REGISTER_EVENTFD_ASYNC		= 7,
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,
	IORING_REGISTER_ENABLE_RINGS		= 12,
	/* the tagged forms of files and buffers */
	IORING_REGISTER_FILES2			= 13,
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,
	/* io-wq CPU affinity */
	IORING_REGISTER_IOWQ_AFF		= 17,
	IORING_UNREGISTER_IOWQ_AFF		= 18,
	/* io-wq worker limits */
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,
	/* ring fds registered in the ring itself */
	IORING_REGISTER_RING_FDS		= 20,
	IORING_UNREGISTER_RING_FDS		= 21,
	/* provided-buffer rings */
	IORING_REGISTER_PBUF_RING		= 22,
	IORING_UNREGISTER_PBUF_RING		= 23,
	/* synchronous cancelation */
	IORING_REGISTER_SYNC_CANCEL		= 24,
	/* the slot range for IORING_FILE_INDEX_ALLOC */
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,
	/* head of a provided-buffer ring */
	IORING_REGISTER_PBUF_STATUS		= 26,
	/* NAPI busy polling */
	IORING_REGISTER_NAPI			= 27,
	IORING_UNREGISTER_NAPI			= 28,
	/* the clock for waits */
	IORING_REGISTER_CLOCK			= 29,
	/* copy registered buffers from another ring */
	IORING_REGISTER_CLONE_BUFFERS		= 30,
	/* a MSG_RING without a source ring */
	IORING_REGISTER_SEND_MSG_RING		= 31,
	/* zero-copy receive queue */
	IORING_REGISTER_ZCRX_IFQ		= 32,
	/* resize the rings */
	IORING_REGISTER_RESIZE_RINGS		= 33,
	/* memory regions (e.g. for registered waits) */
	IORING_REGISTER_MEM_REGION		= 34,
	/* queries, see <liburing/io_uring/query.h> */
	IORING_REGISTER_QUERY			= 35,
	/* zero-copy receive control, see enum zcrx_ctrl_op */
	IORING_REGISTER_ZCRX_CTRL		= 36,
	/* BPF request filters, see <liburing/io_uring/bpf_filter.h> */
	IORING_REGISTER_BPF_FILTER		= 37,

	IORING_REGISTER_LAST,

	/* Or-ed into the opcode: fd is a registered ring index. */
	IORING_REGISTER_USE_REGISTERED_RING	= 1U << 31
};

/* io-wq worker classes: indexes of the IORING_REGISTER_IOWQ_MAX_WORKERS
 * array. */
enum io_wq_type {
	IO_WQ_BOUND,
	IO_WQ_UNBOUND,
};

/* Old argument of IORING_REGISTER_FILES_UPDATE; io_uring_rsrc_update has
 * the same layout. */
struct io_uring_files_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 fds;	/* address of __s32 fds[] */
};

/* io_uring_region_desc.flags: the region is user memory at user_addr. */
enum {
	IORING_MEM_REGION_TYPE_USER		= 1,
};

/* A memory region shared with the kernel. */
struct io_uring_region_desc {
	__u64 user_addr;
	__u64 size;
	__u32 flags;
	__u32 id;
	__u64 mmap_offset;
	__u64 __resv[4];
};

/* io_uring_mem_region_reg.flags: the region holds io_uring_reg_wait
 * entries. */
enum {
	IORING_MEM_REGION_REG_WAIT_ARG		= 1,
};

/* Argument of IORING_REGISTER_MEM_REGION. */
struct io_uring_mem_region_reg {
	__u64 region_uptr;	/* address of a struct io_uring_region_desc */
	__u64 flags;
	__u64 __resv[2];
};

/* io_uring_rsrc_register.flags: an empty table of nr slots, no array. */
#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)

/* Argument of IORING_REGISTER_FILES2 and IORING_REGISTER_BUFFERS2. */
struct io_uring_rsrc_register {
	__u32 nr;
	__u32 flags;
	__u64 resv2;
	__aligned_u64 data;
	__aligned_u64 tags;
};

/* Argument of IORING_REGISTER_FILES_UPDATE. */
struct io_uring_rsrc_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
};

/* Argument of IORING_REGISTER_FILES_UPDATE2 and IORING_REGISTER_BUFFERS_UPDATE. */
struct io_uring_rsrc_update2 {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
	__aligned_u64 tags;
	__u32 nr;
	__u32 resv2;
};

/* In a files update: leave this slot as it is. */
#define IORING_REGISTER_FILES_SKIP	(-2)

/* io_uring_probe_op.flags: the kernel supports the opcode. */
#define IO_URING_OP_SUPPORTED	(1U << 0)

struct io_uring_probe_op {
	__u8 op;
	__u8 resv;
	__u16 flags;	/* IO_URING_OP_* */
	__u32 resv2;
};

/* Result of IORING_REGISTER_PROBE. */
struct io_uring_probe {
	__u8 last_op;	/* highest opcode the kernel knows */
	__u8 ops_len;	/* entries of ops[] */
	__u16 resv;
	__u32 resv2[3];
	struct io_uring_probe_op ops[];
};

/* One restriction of IORING_REGISTER_RESTRICTIONS. */
struct io_uring_restriction {
	__u16 opcode;		/* IORING_RESTRICTION_* */
	union {
		__u8 register_op;	/* for IORING_RESTRICTION_REGISTER_OP */
		__u8 sqe_op;		/* for IORING_RESTRICTION_SQE_OP */
		__u8 sqe_flags;		/* for IORING_RESTRICTION_SQE_FLAGS_* */
	};
	__u8 resv;
	__u32 resv2[3];
};

/* A set of nr_res restrictions. */
struct io_uring_task_restriction {
	__u16 flags;
	__u16 nr_res;
	__u32 resv[3];
	struct io_uring_restriction restrictions[0];
};

/* io_uring_restriction.opcode */
enum io_uring_register_restriction_op {
	IORING_RESTRICTION_REGISTER_OP		= 0, /* allow a register opcode */
	IORING_RESTRICTION_SQE_OP		= 1, /* allow an SQE opcode */
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2, /* allow these SQE flags */
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3, /* require these SQE flags */

	IORING_RESTRICTION_LAST
};

/* Argument of IORING_REGISTER_CLOCK. */
struct io_uring_clock_register {
	__u32	clockid;
	__u32	__resv[3];
};

/* io_uring_clone_buffers.flags.
 * SRC_REGISTERED	src_fd is a registered ring index
 * DST_REPLACE		replace buffers the destination already has */
enum {
	IORING_REGISTER_SRC_REGISTERED	= (1U << 0),
	IORING_REGISTER_DST_REPLACE	= (1U << 1),
};

/* Argument of IORING_REGISTER_CLONE_BUFFERS. */
struct io_uring_clone_buffers {
	__u32	src_fd;
	__u32	flags;
	__u32	src_off;
	__u32	dst_off;
	__u32	nr;
	__u32	pad[3];
};

/* One buffer of a provided-buffer ring. */
struct io_uring_buf {
	__u64	addr;
	__u32	len;
	__u16	bid;
	__u16	resv;
};

/* A provided-buffer ring. The tail shares its bytes with the resv field of
 * bufs[0], so the ring needs no extra header and fits its pages exactly. */
struct io_uring_buf_ring {
	union {
		struct {
			__u64	resv1;
			__u32	resv2;
			__u16	resv3;
			__u16	tail;
		};
		struct io_uring_buf	bufs[0];
	};
};

/* io_uring_buf_reg.flags.
 * MMAP	the kernel allocates the ring; the application maps it at
 *	IORING_OFF_PBUF_RING | (bgid << IORING_OFF_PBUF_SHIFT) and leaves
 *	ring_addr at 0
 * INC	a buffer may be consumed a part at a time, over several
 *	completions (see IORING_CQE_F_BUF_MORE) */
enum io_uring_register_pbuf_ring_flags {
	IOU_PBUF_RING_MMAP	= 1,
	IOU_PBUF_RING_INC	= 2,
};

/* Argument of IORING_REGISTER_PBUF_RING and IORING_UNREGISTER_PBUF_RING. */
struct io_uring_buf_reg {
	__u64	ring_addr;
	__u32	ring_entries;
	__u16	bgid;
	__u16	flags;
	__u32	min_left;
	__u32	resv[5];
};

/* Argument of IORING_REGISTER_PBUF_STATUS. */
struct io_uring_buf_status {
	__u32	buf_group;	/* in */
	__u32	head;		/* out */
	__u32	resv[8];
};

/* Argument of IORING_REGISTER_NAPI and IORING_UNREGISTER_NAPI. */
struct io_uring_napi {
	__u32	busy_poll_to;
	__u8	prefer_busy_poll;
	__u8	pad[3];
	__u64	resv;
};

/* Argument of IORING_REGISTER_SYNC_CANCEL. */
struct io_uring_sync_cancel_reg {
	__u64				addr;
	__s32				fd;
	__u32				flags;
	struct __kernel_timespec	timeout;
	__u8				opcode;
	__u8				pad[7];
	__u64				pad2[3];
};

/* Argument of IORING_REGISTER_FILE_ALLOC_RANGE: slots [off, off + len). */
struct io_uring_file_index_range {
	__u32	off;
	__u32	len;
	__u64	resv;
};

/* ------------------------------------------------------------------------
 * Zero-copy receive
 */

/* Refill queue entry: hands a received buffer back to the kernel. */
struct io_uring_zcrx_rqe {
	__u64	off;
	__u32	len;
	__u32	__pad;
};

/* Second half of a zero-copy receive CQE. */
struct io_uring_zcrx_cqe {
	__u64	off;
	__u64	__pad;
};

/* A zcrx offset carries its area id from this bit up. */
#define IORING_ZCRX_AREA_SHIFT	48
#define IORING_ZCRX_AREA_MASK	(~(((__u64)1 << IORING_ZCRX_AREA_SHIFT) - 1))

/* Where the refill ring's fields are in its region. */
struct io_uring_zcrx_offsets {
	__u32	head;
	__u32	tail;
	__u32	rqes;
	__u32	__resv2;
	__u64	__resv[2];
};

/* io_uring_zcrx_area_reg.flags: the area is the dma-buf dmabuf_fd. */
enum io_uring_zcrx_area_flags {
	IORING_ZCRX_AREA_DMABUF		= 1,
};

/* The memory receive buffers come from. */
struct io_uring_zcrx_area_reg {
	__u64	addr;
	__u64	len;
	__u64	rq_area_token;
	__u32	flags;
	__u32	dmabuf_fd;
	__u64	__resv2[2];
};

/* io_uring_zcrx_ifq_reg.flags.
 * NODEV	no network device: everything is copied, and refill entries
 *		may have to be flushed with ZCRX_CTRL_FLUSH_RQ */
enum zcrx_reg_flags {
	ZCRX_REG_IMPORT	= 1,
	ZCRX_REG_NODEV		= 2,
};

/* io_uring_query_zcrx.features.
 * RX_PAGE_SIZE	io_uring_zcrx_ifq_reg.rx_buf_len picks the receive page size */
enum zcrx_features {
	ZCRX_FEATURE_RX_PAGE_SIZE	= 1 << 0,
};

/* Argument of IORING_REGISTER_ZCRX_IFQ. */
struct io_uring_zcrx_ifq_reg {
	__u32	if_idx;
	__u32	if_rxq;
	__u32	rq_entries;
	__u32	flags;		/* ZCRX_REG_* */

	__u64	area_ptr;	/* address of a struct io_uring_zcrx_area_reg */
	__u64	region_ptr;	/* address of a struct io_uring_region_desc */

	struct io_uring_zcrx_offsets offsets;
	__u32	zcrx_id;
	__u32	rx_buf_len;
	__u64	__resv[3];
};

/* zcrx_ctrl.op */
enum zcrx_ctrl_op {
	ZCRX_CTRL_FLUSH_RQ,
	ZCRX_CTRL_EXPORT,

	__ZCRX_CTRL_LAST,
};

struct zcrx_ctrl_flush_rq {
	__u64		__resv[6];
};

struct zcrx_ctrl_export {
	__u32		zcrx_fd;
	__u32		__resv1[11];
};

/* Argument of IORING_REGISTER_ZCRX_CTRL. */
struct zcrx_ctrl {
	__u32	zcrx_id;
	__u32	op;		/* ZCRX_CTRL_* */
	__u64	__resv[2];

	union {
		struct zcrx_ctrl_export		zc_export;
		struct zcrx_ctrl_flush_rq	zc_flush;
	};
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_H */
