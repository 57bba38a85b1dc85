/* SPDX-License-Identifier: MIT */
/*
 * Misuses of liburing for checked mode, one per run:
 *
 *	misuse <scenario>
 *
 * Built twice (capi-tests/checked/run.sh): with -DLIBURING_CHECKED against
 * liburing-ffi.so.2, where every helper is a call into the library, and with
 * the plain header against liburing.so.2, where the helpers are inline and
 * only the calls that reach the library can be checked. check.py knows which
 * scenario each form must catch.
 *
 * A scenario makes its mistake and carries on; if it gets to the end it
 * prints "continued" and exits 0. Under LIBURING_CHECK=1 the library must
 * stop it with SIGABRT and one line on stderr; under LIBURING_CHECK=warn it
 * must print that line and let it finish.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <liburing.h>

#ifdef MISUSE_PLANT_INSECURE_ENV
/*
 * The planted regression of check.py's set-user-ID case: a library that read
 * LIBURING_CHECK with plain getenv(). Defined in the program, this function
 * takes the place of glibc's for the library's call (symbol interposition).
 */
char *secure_getenv(const char *name);
char *secure_getenv(const char *name)
{
	return getenv(name);
}
#endif

static void die(const char *what, int ret)
{
	fprintf(stderr, "misuse: %s: %d (%s)\n", what, ret, strerror(ret < 0 ? -ret : ret));
	exit(2);
}

static void setup(struct io_uring *ring, unsigned entries, unsigned flags)
{
	int ret = io_uring_queue_init(entries, ring, flags);

	if (ret)
		die("io_uring_queue_init", ret);
}

static void submit_nops(struct io_uring *ring, unsigned n)
{
	unsigned i;
	int ret;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		if (!sqe)
			die("io_uring_get_sqe", 0);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 0x1000 + i);
	}
	ret = io_uring_submit(ring);
	if (ret != (int)n)
		die("io_uring_submit", ret);
}

static struct io_uring_cqe *wait_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe(ring, &cqe);

	if (ret)
		die("io_uring_wait_cqe", ret);
	return cqe;
}

/* io_uring_cq_advance by more than was reaped. */
static void advance_too_far(void)
{
	struct io_uring_cqe *cqes[8];
	struct io_uring ring;
	unsigned n;

	setup(&ring, 8, 0);
	submit_nops(&ring, 2);
	n = io_uring_peek_batch_cqe(&ring, cqes, 8);
	if (n != 2)
		die("io_uring_peek_batch_cqe", (int)n);
	io_uring_cq_advance(&ring, 3);
	io_uring_queue_exit(&ring);
}

/* io_uring_cqe_seen with a pointer to a copy of the CQE. */
static void seen_copy(void)
{
	struct io_uring_cqe copy;
	struct io_uring ring;

	setup(&ring, 8, 0);
	submit_nops(&ring, 1);
	copy = *wait_one(&ring);
	io_uring_cqe_seen(&ring, &copy);
	io_uring_queue_exit(&ring);
}

/*
 * On a CQE32 ring, a CQE pointer stepped in units of the 16-byte struct
 * (cqe + 1) lands in the middle of an entry.
 */
static void seen_misaligned_cqe32(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;

	setup(&ring, 8, IORING_SETUP_CQE32);
	submit_nops(&ring, 2);
	cqe = wait_one(&ring);
	io_uring_cqe_seen(&ring, cqe + 1);
	io_uring_queue_exit(&ring);
}

static void peek_batch_null(void)
{
	struct io_uring ring;
	unsigned n;

	setup(&ring, 8, 0);
	submit_nops(&ring, 1);
	n = io_uring_peek_batch_cqe(&ring, NULL, 8);
	printf("io_uring_peek_batch_cqe returned %u\n", n);
	io_uring_queue_exit(&ring);
}

/* An SQE taken and submitted without a prep helper. */
static void unprepared_sqe(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	setup(&ring, 8, 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_sqe_set_data64(sqe, 0x77);
	if (io_uring_submit(&ring) == 1) {
		cqe = wait_one(&ring);
		printf("unprepared SQE completed with res %d\n", cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
}

/* The same through io_uring_submit_and_wait, after a prepared SQE. */
static void unprepared_sqe_submit_and_wait(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;

	setup(&ring, 8, 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	sqe = io_uring_get_sqe(&ring);
	io_uring_sqe_set_data64(sqe, 0x78);
	printf("io_uring_submit_and_wait returned %d\n", io_uring_submit_and_wait(&ring, 2));
	io_uring_queue_exit(&ring);
}

/* A registration call on a ring after io_uring_queue_exit. */
static void use_after_exit(void)
{
	struct io_uring ring;
	int fd = 0;

	setup(&ring, 8, 0);
	io_uring_queue_exit(&ring);
	printf("io_uring_register_files after exit returned %d\n",
	       io_uring_register_files(&ring, &fd, 1));
}

/* Waiting on a ring after io_uring_queue_exit (no warn-mode run: it would
 * touch the unmapped ring). */
static void wait_after_exit(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;

	setup(&ring, 8, 0);
	io_uring_queue_exit(&ring);
	io_uring_wait_cqe(&ring, &cqe);
}

static void exit_twice(void)
{
	struct io_uring ring;

	setup(&ring, 8, 0);
	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&ring);
}

/* A zeroed struct io_uring that io_uring_queue_init never saw. */
static void never_initialised(void)
{
	struct io_uring ring;

	memset(&ring, 0, sizeof(ring));
	printf("io_uring_get_events on a zeroed ring returned %d\n", io_uring_get_events(&ring));
}

/* Stack garbage instead of a ring (no warn-mode run). */
static void garbage_ring(void)
{
	struct io_uring_cqe *cqes[4];
	struct io_uring ring;

	memset(&ring, 0xa5, sizeof(ring));
	io_uring_peek_batch_cqe(&ring, cqes, 4);
}

/* io_uring_queue_init failed; the program goes on with the ring anyway. */
static void failed_setup(void)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(0, &ring, 0);

	if (ret != -EINVAL)
		die("io_uring_queue_init(0) should fail", ret);
	printf("io_uring_get_events after a failed set-up returned %d\n", io_uring_get_events(&ring));
}

static void *waiter(void *arg)
{
	struct io_uring *ring = arg;
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe(ring, &cqe) == 0)
		io_uring_cqe_seen(ring, cqe);
	return NULL;
}

/* A second thread reaps while the first waits on the same ring. */
static void two_completers(void)
{
	struct io_uring_cqe *cqes[4];
	struct io_uring ring;
	pthread_t t;

	setup(&ring, 8, 0);
	pthread_create(&t, NULL, waiter, &ring);
	usleep(300 * 1000);	/* the waiter is inside io_uring_wait_cqe */
	printf("io_uring_peek_batch_cqe from a second thread returned %u\n",
	       io_uring_peek_batch_cqe(&ring, cqes, 4));
	submit_nops(&ring, 1);	/* lets the waiter finish */
	pthread_join(t, NULL);
	io_uring_queue_exit(&ring);
}

static const struct {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
	{ "advance_too_far", advance_too_far },
	{ "seen_copy", seen_copy },
	{ "seen_misaligned_cqe32", seen_misaligned_cqe32 },
	{ "peek_batch_null", peek_batch_null },
	{ "unprepared_sqe", unprepared_sqe },
	{ "unprepared_sqe_submit_and_wait", unprepared_sqe_submit_and_wait },
	{ "use_after_exit", use_after_exit },
	{ "wait_after_exit", wait_after_exit },
	{ "exit_twice", exit_twice },
	{ "never_initialised", never_initialised },
	{ "garbage_ring", garbage_ring },
	{ "failed_setup", failed_setup },
	{ "two_completers", two_completers },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			printf("%s\n", scenarios[i].name);
		return 0;
	}
	for (i = 0; argc == 2 && i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (!strcmp(argv[1], scenarios[i].name)) {
			scenarios[i].fn();
			printf("continued\n");
			return 0;
		}
	}
	fprintf(stderr, "usage: %s <scenario> | --list\n", argv[0]);
	return 2;
}
