/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * Uses <liburing.h> the way applications do, on a real ring. Compiled as
 * C (gnu11) and as C++ (c++11, c++20), each with and without LIBURING_FFI,
 * all with warnings as errors; linked and run where the library is there.
 * Exits 0 on success, 1 with a message on the first mismatch.
 */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if IO_URING_CHECK_VERSION(2, 15)
#error "the headers must say 2.15"
#endif
#if !IO_URING_CHECK_VERSION(2, 16)
#error "IO_URING_CHECK_VERSION(2, 16) must be true for 2.15 headers"
#endif

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "smoke: %s:%d: %s\n", __FILE__,	\
				__LINE__, #cond);			\
			return 1;					\
		}							\
	} while (0)

static int nops(struct io_uring *ring, unsigned n, __u64 first)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		CHECK(sqe != NULL);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, first + i);
	}
	return 0;
}

static int test_cq(struct io_uring *ring)
{
	struct io_uring_cqe *cqe = NULL;
	unsigned head, seen = 0;
	__u64 expect = 100;
	int ret;

	/* Nothing queued: peeking must not block and must say EAGAIN. */
	CHECK(io_uring_peek_cqe(ring, &cqe) == -EAGAIN);
	CHECK(cqe == NULL);

	CHECK(nops(ring, 1, 7) == 0);
	CHECK(io_uring_sq_ready(ring) == 1);
	CHECK(io_uring_sq_space_left(ring) == ring->sq.ring_entries - 1);
	CHECK(io_uring_submit(ring) == 1);
	ret = io_uring_wait_cqe(ring, &cqe);
	CHECK(ret == 0 && cqe != NULL);
	CHECK(io_uring_cqe_get_data64(cqe) == 7 && cqe->res == 0);
	CHECK(io_uring_cqe_nr(cqe) == 1);
	io_uring_cqe_seen(ring, cqe);
	CHECK(io_uring_cq_ready(ring) == 0);

	CHECK(nops(ring, 4, 100) == 0);
	CHECK(io_uring_submit_and_wait(ring, 4) == 4);
	CHECK(io_uring_cq_ready(ring) == 4);
	io_uring_for_each_cqe(ring, head, cqe) {
		CHECK(io_uring_cqe_get_data64(cqe) == expect);
		CHECK(head == *ring->cq.khead + seen);
		expect++;
		seen++;
	}
	CHECK(seen == 4);
	io_uring_cq_advance(ring, seen);
	CHECK(io_uring_cq_ready(ring) == 0);
	CHECK(!io_uring_cq_has_overflow(ring));

	/* A pointer round trip through user_data. */
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		int token = 0;

		CHECK(sqe != NULL);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data(sqe, &token);
		CHECK(io_uring_submit_and_wait(ring, 1) == 1);
		CHECK(io_uring_peek_cqe(ring, &cqe) == 0);
		CHECK(io_uring_cqe_get_data(cqe) == (void *) &token);
		io_uring_cqe_seen(ring, cqe);
	}
	return 0;
}

static int test_probe(struct io_uring *ring)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);

	CHECK(p != NULL);
	CHECK(io_uring_opcode_supported(p, IORING_OP_NOP));
	CHECK(!io_uring_opcode_supported(p, -1));
	CHECK(!io_uring_opcode_supported(p, 255));
	io_uring_free_probe(p);
	return 0;
}

static int test_buf_ring(struct io_uring *ring)
{
	enum { ENTRIES = 8, BGID = 3 };
	static char bufs[ENTRIES][64];
	struct io_uring_buf_ring *br;
	int err = 0, i, mask = io_uring_buf_ring_mask(ENTRIES);

	CHECK(mask == ENTRIES - 1);
	br = io_uring_setup_buf_ring(ring, ENTRIES, BGID, 0, &err);
	if (!br) {
		/* Kernels before 5.19 have no buffer rings. */
		CHECK(err == -EINVAL || err == -ENOENT);
		return 0;
	}
	for (i = 0; i < ENTRIES; i++)
		io_uring_buf_ring_add(br, bufs[i], sizeof(bufs[i]),
				      (unsigned short) i, mask, i);
	CHECK(br->bufs[3].addr == (__u64) (uintptr_t) bufs[3]);
	CHECK(br->bufs[3].bid == 3 && br->bufs[3].len == 64);
	io_uring_buf_ring_advance(br, ENTRIES);
	CHECK(IO_URING_READ_ONCE(br->tail) == ENTRIES);
	i = io_uring_buf_ring_available(ring, br, BGID);
	CHECK(i == ENTRIES || i == -EINVAL);
	CHECK(io_uring_free_buf_ring(ring, br, ENTRIES, BGID) == 0);
	return 0;
}

static int test_barriers(void)
{
	unsigned v = 1;

	IO_URING_WRITE_ONCE(v, 2U);
	CHECK(IO_URING_READ_ONCE(v) == 2);
	io_uring_smp_store_release(&v, 3U);
	CHECK(io_uring_smp_load_acquire(&v) == 3);
	io_uring_smp_mb();
	return 0;
}

int main(void)
{
	struct io_uring ring;
	int ret;

	CHECK(sizeof(struct io_uring) == 216);
	CHECK(sizeof(struct io_uring_sq) == 104);
	CHECK(sizeof(struct io_uring_cq) == 88);
	CHECK(IO_URING_VERSION_MAJOR == 2 && IO_URING_VERSION_MINOR == 15);
	CHECK(io_uring_major_version() == 2 && io_uring_minor_version() == 15);
	CHECK(!io_uring_check_version(2, 15));
	CHECK(test_barriers() == 0);

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret) {
		fprintf(stderr, "smoke: io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}
	CHECK(io_uring_cq_eventfd_enabled(&ring));
	CHECK(io_uring_cq_eventfd_toggle(&ring, true) == 0);
	CHECK(test_cq(&ring) == 0);
	CHECK(test_probe(&ring) == 0);
	CHECK(test_buf_ring(&ring) == 0);
	io_uring_queue_exit(&ring);
	printf("smoke: ok\n");
	return 0;
}
