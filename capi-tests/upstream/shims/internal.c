/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs test shim: two library-internal functions that a few upstream
 * tests call although neither liburing.so.2 nor liburing-ffi.so.2 exports
 * them (upstream's test build links its static archive, where they are
 * visible). Both are written here on top of the exported API and raw
 * syscalls, so the tests keep exercising our library for everything else.
 *
 *   __io_uring_queue_init_params(): ring setup that keeps the SQ index array
 *     (helpers.h uses it for t_io_uring_init_sqarray()).
 *   io_uring_unmap_rings(): unmap the SQ and CQ rings of a mapped ring
 *     (resize-rings.t).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <liburing.h>

/* Library-private bit of struct io_uring.int_flags: IOPOLL without SQPOLL
 * must always enter the kernel to reap completions. Same value upstream and
 * in liburing-rs (an ABI fact of the ring struct both sides read). */
#define SHIM_INT_FLAG_CQ_ENTER 4

int __io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
				 struct io_uring_params *p, void *buf,
				 size_t buf_size);
void io_uring_unmap_rings(struct io_uring_sq *sq, struct io_uring_cq *cq);

int __io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
				 struct io_uring_params *p, void *buf,
				 size_t buf_size)
{
	unsigned i;
	long fd;
	int ret;

	/* Caller-provided ring memory goes through the exported entry point. */
	if (buf || (p->flags & IORING_SETUP_NO_MMAP))
		return io_uring_queue_init_mem(entries, ring, p, buf, buf_size);

	memset(ring, 0, sizeof(*ring));
	fd = syscall(__NR_io_uring_setup, entries, p);
	if (fd < 0)
		return -errno;

	ret = io_uring_queue_mmap((int)fd, p, ring);
	if (ret) {
		close((int)fd);
		return ret;
	}

	/* With an SQ index array the library expects slot i to name SQE i. */
	if (!(p->flags & IORING_SETUP_NO_SQARRAY))
		for (i = 0; i < ring->sq.ring_entries; i++)
			ring->sq.array[i] = i;

	if ((p->flags & (IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL)) ==
	    IORING_SETUP_IOPOLL)
		ring->int_flags |= SHIM_INT_FLAG_CQ_ENTER;
	return 0;
}

void io_uring_unmap_rings(struct io_uring_sq *sq, struct io_uring_cq *cq)
{
	if (sq->ring_sz)
		munmap(sq->ring_ptr, sq->ring_sz);
	/* A single mmap may back both rings (IORING_FEAT_SINGLE_MMAP). */
	if (cq->ring_ptr && cq->ring_sz && cq->ring_ptr != sq->ring_ptr)
		munmap(cq->ring_ptr, cq->ring_sz);
}
