/* SPDX-License-Identifier: MIT */
/*
 * A correct program that goes through many paths of the API, for checked
 * mode: under LIBURING_CHECK=1 it must run exactly as without it, with not
 * one line from the library. Built in both forms, like misuse.c.
 *
 * Every NOP carries a distinct user_data; every completion is checked off
 * in a bitmap (exactly once, res as expected). Paths: peek_batch + advance,
 * wait + seen, io_uring_for_each_cqe + advance, peek_cqe until -EAGAIN,
 * wait_cqe_timeout, submit_and_wait_timeout, CQE32, SQE128, mixed SQE/CQE
 * rings when the kernel has them, a CQ that overflows, rings set up with
 * io_uring_queue_init_mem and io_uring_queue_mmap, a ring resized, torn down
 * and set up again in the same struct, and one submitter thread with one
 * completer thread, and two threads waiting together.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <liburing.h>

static int failures;

#define FAIL(...)                                                              \
	do {                                                                   \
		fprintf(stderr, "clean: FAIL %s:%d: ", __func__, __LINE__);    \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		failures++;                                                    \
	} while (0)

#define MAX_OPS (1u << 20)
static unsigned char seen[MAX_OPS];

struct work {
	struct io_uring ring;
	uint64_t next, reaped, tag;
	int expect_res;
};

static int start(struct work *w, unsigned entries, struct io_uring_params *p, uint64_t tag)
{
	struct io_uring_params local;
	int ret;

	if (!p) {
		memset(&local, 0, sizeof(local));
		p = &local;
	}
	memset(seen, 0, sizeof(seen));
	w->next = w->reaped = 0;
	w->tag = tag << 40;
	w->expect_res = 0;
	ret = io_uring_queue_init_params(entries, &w->ring, p);
	if (ret)
		return ret;
	return 0;
}

static int queue_nops(struct work *w, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);

		if (!sqe) {
			FAIL("no SQE at %u of %u", i, n);
			return -1;
		}
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, w->tag | (w->next + 1));
		w->next++;
	}
	return 0;
}

static void take(struct work *w, const struct io_uring_cqe *cqe)
{
	uint64_t seq = (cqe->user_data & ((1ull << 40) - 1)) - 1;

	if ((cqe->user_data & ~((1ull << 40) - 1)) != w->tag || seq >= w->next || seq >= MAX_OPS)
		FAIL("foreign user_data 0x%llx", (unsigned long long)cqe->user_data);
	else if (seen[seq]++)
		FAIL("user_data 0x%llx twice", (unsigned long long)cqe->user_data);
	if (cqe->res != w->expect_res)
		FAIL("res %d", cqe->res);
	w->reaped++;
}

static void finish(struct work *w, const char *what)
{
	if (w->reaped != w->next)
		FAIL("%s: reaped %llu of %llu", what, (unsigned long long)w->reaped,
		     (unsigned long long)w->next);
	if (io_uring_cq_ready(&w->ring))
		FAIL("%s: %u CQEs left", what, io_uring_cq_ready(&w->ring));
	io_uring_queue_exit(&w->ring);
}

/* Reaps everything in flight, in the style selected by `how`. */
static void reap_all(struct work *w, int how)
{
	struct io_uring_cqe *cqes[64], *cqe;
	unsigned head, n, i;
	int ret;

	while (w->reaped < w->next) {
		switch (how % 4) {
		case 0:
			n = io_uring_peek_batch_cqe(&w->ring, cqes, 64);
			if (!n) {
				ret = io_uring_wait_cqe(&w->ring, &cqe);
				if (ret)
					FAIL("wait_cqe %d", ret);
				continue;
			}
			for (i = 0; i < n; i++)
				take(w, cqes[i]);
			io_uring_cq_advance(&w->ring, n);
			break;
		case 1:
			ret = io_uring_wait_cqe(&w->ring, &cqe);
			if (ret) {
				FAIL("wait_cqe %d", ret);
				return;
			}
			take(w, cqe);
			io_uring_cqe_seen(&w->ring, cqe);
			break;
		case 2:
			n = 0;
			io_uring_for_each_cqe(&w->ring, head, cqe) {
				take(w, cqe);
				n++;
			}
			io_uring_cq_advance(&w->ring, n);
			if (!n && io_uring_get_events(&w->ring) < 0)
				FAIL("get_events");
			break;
		case 3: {
			struct __kernel_timespec ts = { .tv_sec = 1 };

			ret = io_uring_wait_cqe_timeout(&w->ring, &cqe, &ts);
			if (ret) {
				FAIL("wait_cqe_timeout %d", ret);
				return;
			}
			take(w, cqe);
			io_uring_cqe_seen(&w->ring, cqe);
			ret = io_uring_peek_cqe(&w->ring, &cqe);
			if (ret == 0) {
				take(w, cqe);
				io_uring_cqe_seen(&w->ring, cqe);
			} else if (ret != -EAGAIN) {
				FAIL("peek_cqe %d", ret);
			}
			break;
		}
		}
	}
}

static void rounds(struct work *w, unsigned rounds_nr, unsigned max_batch)
{
	unsigned r, batch;
	int ret;

	for (r = 0; r < rounds_nr; r++) {
		batch = 1 + (r * 7) % max_batch;
		if (queue_nops(w, batch))
			return;
		ret = io_uring_submit(&w->ring);
		if (ret != (int)batch)
			FAIL("submit %d of %u", ret, batch);
		reap_all(w, (int)r);
	}
}

static void plain_rings(void)
{
	static const unsigned flags[] = { 0, IORING_SETUP_CQE32, IORING_SETUP_SQE128,
					  IORING_SETUP_CQE32 | IORING_SETUP_SQE128 };
	struct io_uring_params p;
	struct work w;
	unsigned i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = flags[i];
		if (start(&w, 8, &p, 1 + i)) {
			FAIL("setup flags 0x%x", flags[i]);
			continue;
		}
		rounds(&w, 4000, 8);
		finish(&w, "plain ring");
	}
}

static void overflow_ring(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 8 };
	struct work w;
	unsigned r;
	int ret;

	if (start(&w, 8, &p, 10)) {
		FAIL("setup CQSIZE");
		return;
	}
	for (r = 0; r < 20; r++) {
		while (w.next < (r + 1) * 200ull) {
			if (queue_nops(&w, 8))
				return;
			ret = io_uring_submit(&w.ring);
			if (ret == -EBUSY)
				reap_all(&w, 0);
			else if (ret < 0)
				FAIL("submit %d", ret);
		}
		reap_all(&w, (int)r);
	}
	finish(&w, "overflow ring");
}

static void timeout_paths(void)
{
	struct __kernel_timespec ts = { .tv_nsec = 100 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	struct work w;
	int ret, i;

	if (start(&w, 16, NULL, 11)) {
		FAIL("setup");
		return;
	}
	for (i = 0; i < 500; i++) {
		if (queue_nops(&w, 4))
			return;
		ret = io_uring_submit_and_wait_timeout(&w.ring, &cqe, 4, &ts, NULL);
		if (ret < 0) {
			FAIL("submit_and_wait_timeout %d", ret);
			return;
		}
		reap_all(&w, i);
	}
	ret = io_uring_wait_cqe_timeout(&w.ring, &cqe, &ts);
	if (ret != -ETIME)
		FAIL("wait_cqe_timeout on an empty ring: %d", ret);
	finish(&w, "timeouts");
}

static void mixed_rings(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQE_MIXED | IORING_SETUP_CQE_MIXED };
	struct io_uring_sqe *sqe;
	struct work w;
	int i, ret;

	if (start(&w, 8, &p, 12)) {
		printf("clean: mixed SQE/CQE rings not supported here, skipped\n");
		return;
	}
	for (i = 0; i < 3000; i++) {
		if (i % 3 == 0) {
			sqe = io_uring_get_sqe128(&w.ring);
			if (!sqe) {
				io_uring_submit(&w.ring);
				reap_all(&w, i);
				continue;
			}
			io_uring_prep_nop128(sqe);
			io_uring_sqe_set_data64(sqe, w.tag | (w.next + 1));
			w.next++;
		} else if (queue_nops(&w, 1)) {
			return;
		}
		if (i % 4 == 3) {
			ret = io_uring_submit(&w.ring);
			if (ret < 0)
				FAIL("submit %d", ret);
			reap_all(&w, i);
		}
	}
	io_uring_submit(&w.ring);
	reap_all(&w, 0);
	finish(&w, "mixed rings");
}

/* io_uring_queue_init_mem, io_uring_queue_mmap, resize, exit + init again. */
static void setup_paths(void)
{
	struct io_uring_params p;
	struct work w;
	void *mem;
	int fd, ret;

	mem = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&p, 0, sizeof(p));
	memset(seen, 0, sizeof(seen));
	w.next = w.reaped = 0;
	w.tag = 13ull << 40;
	w.expect_res = 0;
	ret = io_uring_queue_init_mem(8, &w.ring, &p, mem, 1 << 20);
	if (ret < 0) {
		printf("clean: io_uring_queue_init_mem: %d, skipped\n", ret);
	} else {
		rounds(&w, 500, 8);
		finish(&w, "queue_init_mem");
	}
	munmap(mem, 1 << 20);

	/*
	 * io_uring_queue_mmap, like liburing's, leaves the SQ index array as
	 * the kernel made it (all zero): without NO_SQARRAY the program would
	 * have to fill it in itself.
	 */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_NO_SQARRAY;
	fd = io_uring_setup(8, &p);
	if (fd < 0) {
		FAIL("io_uring_setup %d", fd);
		return;
	}
	memset(&w.ring, 0, sizeof(w.ring));
	ret = io_uring_queue_mmap(fd, &p, &w.ring);
	if (ret) {
		FAIL("queue_mmap %d", ret);
		close(fd);
		return;
	}
	w.next = w.reaped = 0;
	memset(seen, 0, sizeof(seen));
	rounds(&w, 500, 8);
	finish(&w, "queue_mmap");

	/* The same struct again, then resized while quiet (the kernel resizes
	 * only DEFER_TASKRUN rings). */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	if (start(&w, 8, &p, 14)) {
		FAIL("setup again");
		return;
	}
	rounds(&w, 500, 8);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 32;
	p.cq_entries = 64;
	p.flags = IORING_SETUP_CQSIZE;
	ret = io_uring_resize_rings(&w.ring, &p);
	if (ret)
		FAIL("resize %d", ret);
	else if (w.ring.sq.ring_entries != 32 || w.ring.cq.ring_entries != 64)
		FAIL("resized to %u/%u", w.ring.sq.ring_entries, w.ring.cq.ring_entries);
	else
		rounds(&w, 500, 32);
	finish(&w, "exit, init again, resize");
}

/* One thread submits, one completes. */
#define SPLIT_OPS 200000u
static struct work split;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t room = PTHREAD_COND_INITIALIZER;
static unsigned in_flight;

static void *completer(void *arg)
{
	struct io_uring_cqe *cqes[32], *cqe;
	unsigned n, i;

	(void)arg;
	while (split.reaped < SPLIT_OPS) {
		if (io_uring_wait_cqe(&split.ring, &cqe)) {
			FAIL("wait_cqe");
			break;
		}
		n = io_uring_peek_batch_cqe(&split.ring, cqes, 32);
		for (i = 0; i < n; i++)
			take(&split, cqes[i]);
		io_uring_cq_advance(&split.ring, n);
		pthread_mutex_lock(&lock);
		in_flight -= n;
		pthread_cond_signal(&room);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void thread_split(void)
{
	pthread_t t;
	unsigned batch, sq, cq;
	int ret;

	if (start(&split, 16, NULL, 15)) {
		FAIL("setup");
		return;
	}
	sq = split.ring.sq.ring_entries;
	cq = split.ring.cq.ring_entries;
	pthread_create(&t, NULL, completer, NULL);
	while (split.next < SPLIT_OPS) {
		batch = 1 + (unsigned)(split.next % sq);
		if (batch > SPLIT_OPS - split.next)
			batch = (unsigned)(SPLIT_OPS - split.next);
		pthread_mutex_lock(&lock);
		while (in_flight + batch > cq)
			pthread_cond_wait(&room, &lock);
		in_flight += batch;
		pthread_mutex_unlock(&lock);
		if (queue_nops(&split, batch))
			break;
		ret = io_uring_submit(&split.ring);
		if (ret != (int)batch)
			FAIL("submit %d", ret);
	}
	pthread_join(t, NULL);
	finish(&split, "thread split");
}

/*
 * Two threads waiting on one ring at once (as upstream's timeout-new test
 * does): allowed, the kernel wakes both; neither consumes.
 */
static struct io_uring waited;
static int waiter_ret[2];

static void *waiter(void *arg)
{
	struct __kernel_timespec ts = { .tv_sec = 5 };
	struct io_uring_cqe *cqe;

	*(int *)arg = io_uring_wait_cqe_timeout(&waited, &cqe, &ts);
	return NULL;
}

static void two_waiters(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	pthread_t t[2];
	int i, ret;

	if (io_uring_queue_init(8, &waited, 0)) {
		FAIL("setup");
		return;
	}
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, waiter, &waiter_ret[i]);
	usleep(200 * 1000);
	sqe = io_uring_get_sqe(&waited);
	io_uring_prep_nop(sqe);
	io_uring_submit(&waited);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	if (waiter_ret[0] || waiter_ret[1])
		FAIL("waiters returned %d %d", waiter_ret[0], waiter_ret[1]);
	ret = io_uring_wait_cqe(&waited, &cqe);
	if (ret)
		FAIL("wait_cqe %d", ret);
	else
		io_uring_cqe_seen(&waited, cqe);
	io_uring_queue_exit(&waited);
}

int main(void)
{
	plain_rings();
	overflow_ring();
	timeout_paths();
	mixed_rings();
	setup_paths();
	thread_split();
	two_waiters();
	if (failures) {
		fprintf(stderr, "clean: %d failures\n", failures);
		return 1;
	}
	printf("clean: all paths passed\n");
	return 0;
}
