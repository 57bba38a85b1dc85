/* SPDX-License-Identifier: MIT */
/*
 * Submission and completion through the C ABI: io_uring_submit*,
 * the wait family (timeouts, min timeouts, signal masks, registered wait
 * regions), __io_uring_get_cqe, peek_batch_cqe, get_events, SQPOLL with
 * wakeups, SQE128/CQE32 and CQE_MIXED rings, iowait control and
 * synchronous cancelation. A seccomp spy on io_uring_enter shows which
 * flags and fd the library really passes to the kernel.
 */
#include "capi.h"
#include "spy.h"

#include <poll.h>
#include <signal.h>
#include <sys/timerfd.h>
#include <time.h>

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void queue_nop(struct io_uring *ring, __u64 ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		/* a failed check and the program's end, not a write through
		 * NULL (a child died with SIGSEGV here once: see sq_room) */
		capi_failf("queue_nop", "no free SQE for NOP %llu", (unsigned long long)ud);
		exit(capi_done());
	}
	io_uring_prep_nop(sqe);
	sqe->user_data = ud;
}

/*
 * An SQPOLL thread posts its CQEs before it moves the SQ head past the SQEs
 * it consumed (capi_nops says more), so the SQ can still look full when
 * every CQE has been reaped: wait until it has room before a check that
 * counts system calls queues more. Seen in a TCG guest on Debian's 6.1
 * kernel, on upstream's library as on ours: queue_nop got no SQE.
 */
static void sq_room(struct io_uring *ring)
{
	if (!io_uring_sq_space_left(ring))
		io_uring_sqring_wait(ring);
}

static void queue_timeout(struct io_uring *ring, struct __kernel_timespec *ts, __u64 ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, ts, 0, 0);
	sqe->user_data = ud;
}

/*
 * An operation that completes after ms milliseconds and is not a timeout
 * (a finished IORING_OP_TIMEOUT wakes every waiter, whatever it waits for):
 * a poll on a timerfd armed now.
 */
static int delayed_fds[64];
static int n_delayed;

static void queue_delayed(struct io_uring *ring, int ms, __u64 ud)
{
	struct itimerspec its = { .it_value = { .tv_sec = ms / 1000,
						.tv_nsec = (ms % 1000) * 1000000L } };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	timerfd_settime(fd, 0, &its, NULL);
	delayed_fds[n_delayed++] = fd;
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	sqe->user_data = ud;
}

static void close_delayed(void)
{
	while (n_delayed)
		close(delayed_fds[--n_delayed]);
}

/* Drain the CQ; returns how many CQEs there were, checking each tag once. */
static unsigned drain(struct io_uring *ring, uint64_t *seen_mask, __u64 base)
{
	struct io_uring_cqe *cqe;
	unsigned n = 0;

	while (io_uring_peek_cqe(ring, &cqe) == 0) {
		__u64 i = cqe->user_data - base;

		if (seen_mask && i < 64)
			*seen_mask |= 1ULL << i;
		io_uring_cqe_seen(ring, cqe);
		n++;
	}
	return n;
}

static void test_submit(void)
{
	struct io_uring ring;
	struct __kernel_timespec ts = { .tv_nsec = 50 * 1000000 };
	struct timespec t0;
	uint64_t seen = 0;
	long ms;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(8)", ret))
		return;
	CHECK_RET(io_uring_submit(&ring), 0, "submit with nothing queued returns 0");
	queue_nop(&ring, 100);
	queue_nop(&ring, 101);
	queue_nop(&ring, 102);
	CHECK_EQ(io_uring_sq_ready(&ring), 3, "3 SQEs ready before submit");
	ret = io_uring_submit(&ring);
	CHECK_RET(ret, 3, "submit returns 3");
	CHECK_EQ(io_uring_sq_ready(&ring), 0, "nothing left to submit");
	CHECK_EQ(io_uring_cq_ready(&ring), 3, "3 NOP CQEs posted");
	CHECK_EQ(drain(&ring, &seen, 100), 3, "3 CQEs drained");
	CHECK_EQ(seen, 7, "CQEs carry user_data 100..102");

	/* submit_and_wait blocks until the timeout fires */
	queue_timeout(&ring, &ts, 200);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_submit_and_wait(&ring, 1);
	ms = ms_since(&t0);
	CHECK_RET(ret, 1, "submit_and_wait(1) with a 50ms timeout returns 1");
	CHECK(ms >= 40 && ms < 3000, "submit_and_wait waited for the timeout", "%ld ms", ms);
	{
		struct io_uring_cqe *cqe;

		ret = io_uring_peek_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->user_data == 200 && cqe->res == -ETIME,
		      "the timeout CQE: user_data 200, res -ETIME");
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
	}
	/* submit_and_wait with more than the SQ holds: submit in steps */
	seen = 0;
	{
		unsigned i;

		for (i = 0; i < 8; i++)
			queue_nop(&ring, 300 + i);
		CHECK(io_uring_get_sqe(&ring) == NULL, "get_sqe is NULL on a full SQ");
		ret = io_uring_submit_and_wait(&ring, 8);
		CHECK_RET(ret, 8, "submit_and_wait(8) on a full SQ returns 8");
		CHECK_EQ(drain(&ring, &seen, 300), 8, "8 CQEs");
		CHECK_EQ(seen, 0xff, "all 8 tags");
	}
	io_uring_queue_exit(&ring);
}

static void test_wait_family(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts;
	struct timespec t0;
	long ms;
	int ret, i;

	ret = io_uring_queue_init(16, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(16)", ret))
		return;

	/* wait_cqe_timeout: nothing in flight -> -ETIME after the timeout */
	ts.tv_sec = 0;
	ts.tv_nsec = 30 * 1000000;
	cqe = (void *)1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	ms = ms_since(&t0);
	CHECK_RET(ret, -ETIME, "wait_cqe_timeout on an idle ring is -ETIME");
	CHECK(ms >= 25 && ms < 3000, "wait_cqe_timeout waited about 30ms", "%ld ms", ms);
	CHECK(cqe == NULL, "wait_cqe_timeout: -ETIME leaves *cqe NULL");
	CHECK_EQ(io_uring_cq_ready(&ring), 0,
		 "wait_cqe_timeout: no internal timeout CQE left behind");
	CHECK_EQ(io_uring_sq_ready(&ring), 0, "wait_cqe_timeout: no internal SQE queued");

	/* with EXT_ARG, a timed wait does not submit what is queued */
	queue_nop(&ring, 6);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	CHECK_RET(ret, -ETIME, "wait_cqe_timeout with a NOP queued but unsubmitted is -ETIME");
	CHECK_EQ(io_uring_sq_ready(&ring), 1, "...and the NOP is still queued");
	CHECK_RET(io_uring_submit(&ring), 1, "...until submit");
	drain(&ring, NULL, 0);
	/* wait_nr 0 on an empty CQ: nothing to wait for */
	cqe = (void *)1;
	ret = io_uring_wait_cqes(&ring, &cqe, 0, &ts, NULL);
	CHECK_RET(ret, -EAGAIN, "wait_cqes(wait_nr 0) on an empty CQ is -EAGAIN");
	CHECK(cqe == NULL, "wait_cqes(wait_nr 0): *cqe NULL");

	/* a CQE already there: returned at once */
	queue_nop(&ring, 7);
	io_uring_submit(&ring);
	ts.tv_sec = 5;
	ts.tv_nsec = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	ms = ms_since(&t0);
	CHECK(ret == 0 && cqe && cqe->user_data == 7 && ms < 2500,
	      "wait_cqe_timeout returns a ready CQE at once", "ret %d ms %ld", ret, ms);
	CHECK(ret == 0 && cqe >= ring.cq.cqes && cqe < ring.cq.cqes + ring.cq.ring_entries,
	      "wait_cqe_timeout: cqe points into the CQ ring");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);
	/* NULL timeout: a plain wait */
	queue_nop(&ring, 8);
	io_uring_submit(&ring);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, NULL);
	CHECK(ret == 0 && cqe->user_data == 8, "wait_cqe_timeout(NULL ts) returns the CQE");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);

	/* wait_cqes waits for wait_nr completions */
	{
		/*
		 * The clock starts before the timers are armed: a guest stalled
		 * between arming and waiting (TCG on a loaded host) may find
		 * them expired, and the wait must still be counted from there.
		 */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (i = 0; i < 4; i++)
			queue_delayed(&ring, 10 + 10 * i, 400 + i);
		io_uring_submit(&ring);
		ts.tv_sec = 5;
		ts.tv_nsec = 0;
		ret = io_uring_wait_cqes(&ring, &cqe, 4, &ts, NULL);
		ms = ms_since(&t0);
		CHECK_RET(ret, 0, "wait_cqes(4) returns 0");
		CHECK(ms >= 35 && ms < 3000, "wait_cqes(4) waited for the 4th (40ms)", "%ld ms", ms);
		CHECK_EQ(io_uring_cq_ready(&ring), 4, "wait_cqes(4): 4 CQEs ready");
		CHECK(ret == 0 && cqe && cqe->user_data == 400, "wait_cqes: *cqe is the first");
		drain(&ring, NULL, 0);
	}
	/* wait_cqes with a timeout far shorter than the work (20 ms against
	 * 5 s: a slow guest on a loaded host stays clear of the bound), then
	 * the work is brought forward by re-arming its timer to fire now */
	{
		struct itimerspec now = { .it_value = { .tv_nsec = 1 } };

		queue_delayed(&ring, 5000, 500);
		io_uring_submit(&ring);
		ts.tv_sec = 0;
		ts.tv_nsec = 20 * 1000000L;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = io_uring_wait_cqes(&ring, &cqe, 1, &ts, NULL);
		ms = ms_since(&t0);
		CHECK_RET(ret, -ETIME, "wait_cqes(1, 20ms) before a 5 s op is -ETIME");
		CHECK(ms < 2500, "wait_cqes: returned on its own timeout, not the op's 5 s", "%ld ms", ms);
		timerfd_settime(delayed_fds[n_delayed - 1], 0, &now, NULL);
		ret = io_uring_wait_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->user_data == 500, "the op completes afterwards");
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
	}

	/* __io_uring_get_cqe: the engine under wait_cqe/peek_cqe */
	cqe = (void *)1;
	ret = __io_uring_get_cqe(&ring, &cqe, 0, 0, NULL);
	CHECK_RET(ret, -EAGAIN, "__io_uring_get_cqe(submit 0, wait 0) on an empty CQ is -EAGAIN");
	CHECK(cqe == NULL, "__io_uring_get_cqe: *cqe NULL when nothing there");
	queue_nop(&ring, 600);
	queue_nop(&ring, 601);
	/* publish the tail as a flush would; __io_uring_get_cqe submits them */
	ring.sq.sqe_head = ring.sq.sqe_tail;
	__atomic_store_n(ring.sq.ktail, ring.sq.sqe_tail, __ATOMIC_RELEASE);
	ret = __io_uring_get_cqe(&ring, &cqe, 2, 1, NULL);
	CHECK(ret >= 0 && cqe && cqe->user_data == 600,
	      "__io_uring_get_cqe(submit 2, wait 1) submits and returns the first CQE",
	      "ret %d", ret);
	CHECK_EQ(io_uring_cq_ready(&ring), 2, "__io_uring_get_cqe: both NOPs completed");
	CHECK_EQ(io_uring_sq_ready(&ring), 0, "__io_uring_get_cqe: SQ consumed");
	drain(&ring, NULL, 0);
	{
		/* the clock starts before the timer is armed, as above */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		queue_delayed(&ring, 20, 700);
		io_uring_submit(&ring);
		ret = __io_uring_get_cqe(&ring, &cqe, 0, 1, NULL);
		ms = ms_since(&t0);
		CHECK(ret == 0 && cqe && cqe->user_data == 700 && ms >= 15,
		      "__io_uring_get_cqe(wait 1) waits for the CQE", "ret %d ms %ld", ret, ms);
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
	}
	close_delayed();
	io_uring_queue_exit(&ring);
}

/* sigmask handling: SIGUSR1 is blocked, the wait's mask unblocks it. */
static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

struct kicker {
	pthread_t target;
	int delay_ms;
};

static void *kick_thread(void *arg)
{
	struct kicker *k = arg;

	usleep(k->delay_ms * 1000);
	pthread_kill(k->target, SIGUSR1);
	return NULL;
}

static void test_sigmask(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	/* ts for the wait that must run to its end; long_ts for the waits a
	 * signal 20 ms in must end (far apart, for slow guests) */
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 600 * 1000000L };
	struct __kernel_timespec long_ts = { .tv_sec = 5 };
	struct sigaction sa;
	sigset_t block, waitmask, old;
	struct kicker k;
	pthread_t th;
	struct timespec t0;
	long ms;
	int ret;

	if (capi_under_valgrind()) {
		capi_skip("signal masks of the wait calls",
			  "valgrind cannot emulate io_uring_enter's signal mask (it asserts)");
		return;
	}
	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for sigmask checks", ret))
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	sigemptyset(&waitmask);

	/* the mask passed in unblocks SIGUSR1: the wait is interrupted */
	got_usr1 = 0;
	k.target = pthread_self();
	k.delay_ms = 20;
	pthread_create(&th, NULL, kick_thread, &k);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqes(&ring, &cqe, 1, &long_ts, &waitmask);
	ms = ms_since(&t0);
	pthread_join(th, NULL);
	CHECK_RET(ret, -EINTR, "wait_cqes with an unblocking sigmask is interrupted (-EINTR)");
	CHECK(got_usr1 && ms < 2500, "the handler ran during the wait", "got %d, %ld ms",
	      (int)got_usr1, ms);

	/* NULL mask: SIGUSR1 stays blocked, the wait runs to its timeout */
	got_usr1 = 0;
	pthread_create(&th, NULL, kick_thread, &k);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqes(&ring, &cqe, 1, &ts, NULL);
	ms = ms_since(&t0);
	pthread_join(th, NULL);
	CHECK_RET(ret, -ETIME, "wait_cqes with NULL sigmask ignores the blocked signal (-ETIME)");
	CHECK(!got_usr1 && ms >= 550, "no handler ran, full timeout waited", "got %d, %ld ms",
	      (int)got_usr1, ms);
	/* drain the pending signal with SIGUSR1 unblocked */
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	/* __io_uring_get_cqe and submit_and_wait_timeout take the mask too */
	pthread_sigmask(SIG_BLOCK, &block, &old);
	got_usr1 = 0;
	pthread_create(&th, NULL, kick_thread, &k);
	ret = __io_uring_get_cqe(&ring, &cqe, 0, 1, &waitmask);
	pthread_join(th, NULL);
	CHECK_RET(ret, -EINTR, "__io_uring_get_cqe with an unblocking sigmask is -EINTR");
	got_usr1 = 0;
	pthread_create(&th, NULL, kick_thread, &k);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &long_ts, &waitmask);
	pthread_join(th, NULL);
	CHECK_RET(ret, -EINTR, "submit_and_wait_timeout with an unblocking sigmask is -EINTR");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	io_uring_queue_exit(&ring);
}

static void test_submit_and_wait_timeout(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 30 * 1000000L };
	struct timespec t0;
	long ms;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for submit_and_wait_timeout", ret))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
	ms = ms_since(&t0);
	CHECK_RET(ret, -ETIME, "submit_and_wait_timeout with nothing to do is -ETIME");
	CHECK(ms >= 25 && ms < 3000, "submit_and_wait_timeout waited about 30ms", "%ld ms", ms);

	queue_nop(&ring, 11);
	ts.tv_sec = 2;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
	CHECK_RET(ret, 1, "submit_and_wait_timeout(1 NOP) returns 1 (submitted)");
	CHECK(cqe && cqe->user_data == 11 && cqe->res == 0,
	      "submit_and_wait_timeout: *cqe is the NOP's");
	io_uring_cqe_seen(&ring, cqe);

	/* fewer completions than asked for: submitted count, first CQE */
	queue_nop(&ring, 12);
	queue_nop(&ring, 13);
	ts.tv_sec = 0;
	ts.tv_nsec = 30 * 1000000L;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 3, &ts, NULL);
	ms = ms_since(&t0);
	CHECK_RET(ret, 2, "submit_and_wait_timeout(wait 3, 2 NOPs) returns 2");
	CHECK(cqe && cqe->user_data == 12, "submit_and_wait_timeout: first CQE returned");
	CHECK(ms < 3000, "submit_and_wait_timeout: bounded by the timeout", "%ld ms", ms);
	CHECK_EQ(drain(&ring, NULL, 0), 2, "both NOP CQEs are there");

	/* wait_nr 0 with nothing queued: nothing to do */
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 0, &ts, NULL);
	CHECK_RET(ret, -EAGAIN, "submit_and_wait_timeout(wait 0, nothing queued) is -EAGAIN");
	queue_nop(&ring, 15);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 0, &ts, NULL);
	CHECK_RET(ret, 1, "submit_and_wait_timeout(wait 0, 1 NOP) returns 1");
	drain(&ring, NULL, 0);

	/* NULL timeout: like submit_and_wait */
	queue_nop(&ring, 14);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, NULL, NULL);
	CHECK(ret == 1 && cqe && cqe->user_data == 14,
	      "submit_and_wait_timeout(NULL ts) submits and returns the CQE", "ret %d", ret);
	drain(&ring, NULL, 0);
	io_uring_queue_exit(&ring);
}

static void test_min_timeout(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_sec = 10, .tv_nsec = 0 };
	struct timespec t0;
	long ms;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for min timeout", ret))
		return;
	if (!(ring.features & IORING_FEAT_MIN_TIMEOUT)) {
		CHECK_RET(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts, 1000, NULL), -EINVAL,
			  "wait_cqes_min_timeout without the feature is -EINVAL");
		CHECK_RET(io_uring_submit_and_wait_min_timeout(&ring, &cqe, 1, &ts, 1000, NULL),
			  -EINVAL, "submit_and_wait_min_timeout without the feature is -EINVAL");
		io_uring_queue_exit(&ring);
		return;
	}
	/* one op finishing at 20ms, 8 wanted, min wait 60ms, overall 10 s:
	 * the wait ends at the min timeout because something has completed */
	queue_delayed(&ring, 20, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_submit_and_wait_min_timeout(&ring, &cqe, 8, &ts, 60000, NULL);
	ms = ms_since(&t0);
	CHECK_RET(ret, 1, "submit_and_wait_min_timeout returns 1 (submitted)");
	CHECK(ms >= 50 && ms < 5000, "submit_and_wait_min_timeout ended at the min timeout",
	      "%ld ms", ms);
	CHECK(cqe && cqe->user_data == 1, "submit_and_wait_min_timeout: *cqe is the op's");
	drain(&ring, NULL, 0);

	queue_delayed(&ring, 20, 2);
	io_uring_submit(&ring);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqes_min_timeout(&ring, &cqe, 8, &ts, 60000, NULL);
	ms = ms_since(&t0);
	CHECK_RET(ret, 0, "wait_cqes_min_timeout returns 0");
	CHECK(ms >= 50 && ms < 5000, "wait_cqes_min_timeout ended at the min timeout",
	      "%ld ms", ms);
	CHECK(cqe && cqe->user_data == 2, "wait_cqes_min_timeout: *cqe is the op's");
	drain(&ring, NULL, 0);

	/* nothing completes: the overall timeout applies */
	ts.tv_sec = 0;
	ts.tv_nsec = 40 * 1000000L;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts, 10000, NULL);
	ms = ms_since(&t0);
	CHECK_RET(ret, -ETIME, "wait_cqes_min_timeout with nothing in flight is -ETIME");
	CHECK(ms >= 35 && ms < 3000, "...after the overall timeout", "%ld ms", ms);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_submit_and_wait_min_timeout(&ring, &cqe, 1, &ts, 10000, NULL);
	ms = ms_since(&t0);
	CHECK_RET(ret, -ETIME, "submit_and_wait_min_timeout with nothing to do is -ETIME");
	close_delayed();
	io_uring_queue_exit(&ring);
}

/* The kernel's answer to a registered-wait enter at index idx. */
static long raw_enter_reg(int fd, int idx)
{
	long r = syscall(__NR_io_uring_enter, fd, 0, 1,
			 IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG,
			 (unsigned long)idx * sizeof(struct io_uring_reg_wait),
			 sizeof(struct io_uring_reg_wait));

	return r < 0 ? -errno : r;
}

/* Registered wait regions: register_region + submit_and_wait_reg. */
static void test_wait_reg(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_region_desc rd;
	struct io_uring_mem_region_reg mr;
	struct io_uring_reg_wait *rw;
	struct timespec t0;
	long ms, page = sysconf(_SC_PAGESIZE);
	int ret;

	CHECK_RET(io_uring_register_wait_reg(NULL, NULL, 0), -EINVAL,
		  "register_wait_reg(NULL ring) is -EINVAL, as upstream 2.15");
	if (capi_under_valgrind()) {
		capi_skip("registered wait regions",
			  "valgrind reads the EXT_ARG_REG offset as a signal-mask pointer");
		return;
	}

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret == 0) {
		long kret = raw_enter_reg(ring.ring_fd, 0);

		/* no region registered: the kernel has nothing to index */
		ret = io_uring_submit_and_wait_reg(&ring, &cqe, 1, 0);
		CHECK(ret < 0 && ret == kret,
		      "submit_and_wait_reg without a wait region: the kernel's error",
		      "got %d, kernel %ld", ret, kret);
		/* a wait region may only be registered while the ring is disabled */
		rw = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		memset(&rd, 0, sizeof(rd));
		rd.user_addr = (unsigned long)rw;
		rd.size = page;
		rd.flags = IORING_MEM_REGION_TYPE_USER;
		memset(&mr, 0, sizeof(mr));
		mr.region_uptr = (unsigned long)&rd;
		mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
		ret = io_uring_register_region(&ring, &mr);
		CHECK_RET(ret, -EINVAL, "register_region(REG_WAIT_ARG) on an enabled ring is -EINVAL");
		munmap(rw, page);
		io_uring_queue_exit(&ring);
	}

	if (!capi_need_register_op("registered wait regions (register_region)", IORING_REGISTER_MEM_REGION,
				   "IORING_REGISTER_MEM_REGION", "6.13"))
		return;
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_R_DISABLED);
	if (!capi_require(ret == 0, "queue_init(R_DISABLED) for wait regions", ret))
		return;
	rw = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/*
	 * io_uring_register_wait_reg is -EINVAL for any input, as in upstream
	 * 2.15 (no released kernel has the interface it was made for), and
	 * registers nothing: the same page still registers through
	 * io_uring_register_region just below.
	 */
	CHECK_RET(io_uring_register_wait_reg(&ring, rw, (int)(page / sizeof(*rw))), -EINVAL,
		  "register_wait_reg(disabled ring, one page of reg_wait) is -EINVAL, as upstream 2.15");
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (unsigned long)rw;
	rd.size = page;
	rd.flags = IORING_MEM_REGION_TYPE_USER;
	memset(&mr, 0, sizeof(mr));
	mr.region_uptr = (unsigned long)&rd;
	mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
	ret = io_uring_register_region(&ring, &mr);
	CHECK_RET(ret, 0, "register_region(user memory, REG_WAIT_ARG) returns 0");
	CHECK_RET(io_uring_enable_rings(&ring), 0, "enable_rings after the region");
	if (ret == 0) {
		long ms0;

		rw[0].ts.tv_sec = 0;
		rw[0].ts.tv_nsec = 30 * 1000000L;
		rw[0].flags = IORING_REG_WAIT_TS;
		rw[3].ts.tv_sec = 0;
		rw[3].ts.tv_nsec = 120 * 1000000L;
		rw[3].flags = IORING_REG_WAIT_TS;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = io_uring_submit_and_wait_reg(&ring, &cqe, 1, 0);
		ms0 = ms_since(&t0);
		CHECK_RET(ret, -ETIME, "submit_and_wait_reg(index 0, 30ms) is -ETIME");
		CHECK(ms0 >= 25 && ms0 < 3000, "index 0's 30ms timeout applied", "%ld ms", ms0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = io_uring_submit_and_wait_reg(&ring, &cqe, 1, 3);
		ms = ms_since(&t0);
		CHECK_RET(ret, -ETIME, "submit_and_wait_reg(index 3, 120ms) is -ETIME");
		/* at least 110 ms: index 0's 30 ms would end sooner (comparing
		 * with ms0 instead would fail whenever a loaded host delays ms0) */
		CHECK(ms >= 110 && ms < 3000,
		      "index 3's 120ms timeout applied (not index 0's)", "%ld ms vs %ld ms", ms, ms0);

		queue_nop(&ring, 77);
		queue_nop(&ring, 78);
		ret = io_uring_submit_and_wait_reg(&ring, &cqe, 2, 3);
		CHECK_RET(ret, 2, "submit_and_wait_reg with 2 NOPs returns 2 (submitted)");
		CHECK(cqe && cqe->user_data == 77, "submit_and_wait_reg: *cqe is the first NOP");
		CHECK_EQ(drain(&ring, NULL, 0), 2, "submit_and_wait_reg: both NOPs completed");
		/* an index past the region */
		{
			int idx = (int)(page / sizeof(*rw));
			long kret = raw_enter_reg(ring.ring_fd, idx);

			ret = io_uring_submit_and_wait_reg(&ring, &cqe, 1, idx);
			CHECK(ret < 0 && ret == kret,
			      "submit_and_wait_reg(index past the region): the kernel's error",
			      "got %d, kernel %ld", ret, kret);
		}
	}
	io_uring_queue_exit(&ring);
	munmap(rw, page);

	/* a kernel-allocated region on an enabled ring, mapped by the caller */
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret == 0) {
		memset(&rd, 0, sizeof(rd));
		rd.size = page;
		memset(&mr, 0, sizeof(mr));
		mr.region_uptr = (unsigned long)&rd;
		ret = io_uring_register_region(&ring, &mr);
		CHECK_RET(ret, 0, "register_region(kernel memory) returns 0");
		CHECK(rd.mmap_offset != 0, "register_region: mmap_offset filled in");
		if (ret == 0) {
			void *m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED,
				       ring.ring_fd, (off_t)rd.mmap_offset);

			CHECK(m != MAP_FAILED, "the kernel region maps at mmap_offset");
			if (m != MAP_FAILED)
				munmap(m, page);
		}
		ret = io_uring_register_region(&ring, &mr);
		CHECK(ret < 0, "a second region is refused", "got %d", ret);
		io_uring_queue_exit(&ring);
	}
}

/* Waits (up to 5s) until the kernel flags pending task work. */
static int wait_taskrun_flag(struct io_uring *ring)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (__atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_TASKRUN)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* Completions that need the kernel's help to show up in the CQ. */
static void test_get_events(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqes[64];
	struct __kernel_timespec t10 = { .tv_nsec = 10 * 1000000L };
	uint64_t seen;
	unsigned n, total, i;
	int ret;

	/* DEFER_TASKRUN: a finished timeout waits as task work */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER |
		  IORING_SETUP_TASKRUN_FLAG;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (capi_require(ret == 0, "queue_init(DEFER_TASKRUN|TASKRUN_FLAG)", ret)) {
		queue_timeout(&ring, &t10, 1);
		CHECK_RET(io_uring_submit(&ring), 1, "submit the 10ms timeout");
		CHECK(wait_taskrun_flag(&ring), "kernel flags IORING_SQ_TASKRUN");
		CHECK_EQ(io_uring_cq_ready(&ring), 0, "deferred: CQ empty before get_events");
		ret = io_uring_get_events(&ring);
		CHECK_RET(ret, 0, "get_events returns 0");
		CHECK_EQ(io_uring_cq_ready(&ring), 1, "get_events ran the task work: 1 CQE");
		drain(&ring, NULL, 0);

		/* peek_batch_cqe flushes by itself when the kernel says so */
		queue_timeout(&ring, &t10, 2);
		io_uring_submit(&ring);
		wait_taskrun_flag(&ring);
		n = io_uring_peek_batch_cqe(&ring, cqes, 8);
		CHECK_EQ(n, 1, "peek_batch_cqe flushes deferred completions (IORING_SQ_TASKRUN)");
		if (n == 1) {
			CHECK_EQ(cqes[0]->user_data, 2, "peek_batch_cqe: the timeout's CQE");
			io_uring_cq_advance(&ring, 1);
		}

		/* submit_and_get_events: submits and flushes in one enter */
		queue_timeout(&ring, &t10, 3);
		io_uring_submit(&ring);
		wait_taskrun_flag(&ring);
		queue_nop(&ring, 4);
		ret = io_uring_submit_and_get_events(&ring);
		CHECK_RET(ret, 1, "submit_and_get_events returns 1 (submitted)");
		seen = 0;
		CHECK_EQ(drain(&ring, &seen, 0), 2, "submit_and_get_events: NOP and timeout CQEs");
		CHECK_EQ(seen, (1 << 3) | (1 << 4), "submit_and_get_events: tags 3 and 4");
		CHECK_RET(io_uring_submit_and_get_events(&ring), 0,
			  "submit_and_get_events with nothing queued returns 0");
		io_uring_queue_exit(&ring);
	}

	/* CQ overflow: more completions than the CQ holds, none lost */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 8;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (capi_require(ret == 0, "queue_init(8, CQ 8) for overflow", ret)) {
		for (i = 0; i < 5; i++) {
			unsigned j;

			for (j = 0; j < 8; j++)
				queue_nop(&ring, i * 8 + j);
			io_uring_submit(&ring);
		}
		CHECK((*ring.sq.kflags & IORING_SQ_CQ_OVERFLOW) != 0,
		      "40 NOPs into an 8-entry CQ: kernel flags CQ overflow");
		seen = 0;
		total = 0;
		for (;;) {
			n = io_uring_peek_batch_cqe(&ring, cqes, 64);
			if (!n)
				break;
			for (i = 0; i < n; i++)
				if (cqes[i]->user_data < 64)
					seen |= 1ULL << cqes[i]->user_data;
			total += n;
			io_uring_cq_advance(&ring, n);
		}
		CHECK_EQ(total, 40, "peek_batch_cqe drains all 40 through the overflow list");
		CHECK_EQ(seen, (1ULL << 40) - 1, "each of the 40 tags exactly once (bitmap)");
		CHECK_EQ(*ring.sq.kflags & IORING_SQ_CQ_OVERFLOW, 0, "overflow flag cleared");
		io_uring_queue_exit(&ring);
	}
}

static void test_peek_batch(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqes[32];
	unsigned n, i;
	int ret, ok;

	ret = io_uring_queue_init(16, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(16) for peek_batch", ret))
		return;
	CHECK_EQ(io_uring_peek_batch_cqe(&ring, cqes, 32), 0, "peek_batch_cqe on an empty CQ is 0");
	for (i = 0; i < 10; i++)
		queue_nop(&ring, 1000 + i);
	io_uring_submit(&ring);
	CHECK_EQ(io_uring_peek_batch_cqe(&ring, cqes, 0), 0, "peek_batch_cqe(count 0) is 0");
	n = io_uring_peek_batch_cqe(&ring, cqes, 4);
	CHECK_EQ(n, 4, "peek_batch_cqe(4) of 10 ready returns 4");
	ok = 1;
	for (i = 0; i < n; i++)
		if (cqes[i] != &ring.cq.cqes[(*ring.cq.khead + i) & ring.cq.ring_mask] ||
		    cqes[i]->user_data != 1000 + i)
			ok = 0;
	CHECK(ok, "peek_batch_cqe: pointers are the CQ slots from the head, in order");
	CHECK_EQ(io_uring_cq_ready(&ring), 10, "peek_batch_cqe does not consume");
	io_uring_cq_advance(&ring, n);
	n = io_uring_peek_batch_cqe(&ring, cqes, 32);
	CHECK_EQ(n, 6, "the remaining 6");
	ok = n == 6;
	for (i = 0; ok && i < n; i++)
		if (cqes[i]->user_data != 1004 + i)
			ok = 0;
	CHECK(ok, "remaining 6 carry tags 1004..1009");
	io_uring_cq_advance(&ring, n);
	CHECK_EQ(io_uring_cq_ready(&ring), 0, "CQ empty after advancing");
	io_uring_queue_exit(&ring);
}

/* SQE128 + CQE32: strides, and CQE indexes shifted by one. */
static void test_big_entries(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqes[16], *cqe;
	struct io_uring_sqe *a, *b;
	unsigned n, i, round;
	int ret, ok;

	ret = io_uring_queue_init(8, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (!capi_require(ret == 0, "queue_init(SQE128|CQE32)", ret))
		return;
	CHECK_EQ(ring.sq.sqes_sz, 8 * 128, "SQE128: sqes_sz is 8 * 128");
	a = io_uring_get_sqe(&ring);
	b = capi_lib_get_sqe(&ring);
	CHECK_EQ((char *)b - (char *)a, 128, "SQE128: consecutive SQEs 128 bytes apart (exported get_sqe)");
	io_uring_prep_nop(a);
	a->user_data = 1;
	io_uring_prep_nop(b);
	b->user_data = 2;
	memset((char *)b + 64, 0x5a, 64); /* the big half: must not upset a NOP */
	ret = io_uring_submit_and_wait(&ring, 2);
	CHECK_RET(ret, 2, "SQE128 NOPs submit");
	n = io_uring_peek_batch_cqe(&ring, cqes, 16);
	CHECK_EQ(n, 2, "CQE32: peek_batch_cqe sees 2");
	if (n == 2) {
		CHECK_EQ((char *)cqes[1] - (char *)cqes[0], 32,
			 "CQE32: peek_batch_cqe pointers 32 bytes apart");
		CHECK(cqes[0]->user_data == 1 && cqes[1]->user_data == 2,
		      "CQE32: user_data through peek_batch_cqe");
		CHECK(cqes[0]->big_cqe[0] == 0 && cqes[0]->big_cqe[1] == 0,
		      "CQE32: extra words of a NOP CQE are zero");
	}
	io_uring_cq_advance(&ring, n);
	/* many laps of the 16-entry CQ, reaped with wait_cqe and peek_batch */
	ok = 1;
	for (round = 0; round < 40 && ok; round++) {
		for (i = 0; i < 7; i++)
			queue_nop(&ring, round * 100 + i);
		if (io_uring_submit(&ring) != 7)
			ok = 0;
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret || cqe->user_data != round * 100)
			ok = 0;
		if (!ret && (char *)cqe != (char *)ring.cq.cqes +
		    32 * (*ring.cq.khead & ring.cq.ring_mask))
			ok = 0;
		if (!ret)
			io_uring_cqe_seen(&ring, cqe);
		n = io_uring_peek_batch_cqe(&ring, cqes, 16);
		if (n != 6)
			ok = 0;
		for (i = 0; i < n; i++)
			if (cqes[i]->user_data != round * 100 + 1 + i)
				ok = 0;
		io_uring_cq_advance(&ring, n);
	}
	CHECK(ok, "CQE32: 40 laps of 7 NOPs, every CQE where and what it should be",
	      "failed in round %u", round);
	io_uring_queue_exit(&ring);
}

/* CQE_MIXED: 16- and 32-byte CQEs in one ring, with skip entries. */
static void test_cqe_mixed(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqes[16];
	unsigned i, n, total = 0, big = 0, bad = 0;
	static unsigned char seen[400];
	int ret;

	ret = io_uring_queue_init(8, &ring, IORING_SETUP_CQE_MIXED);
	if (ret == -EINVAL) {
		capi_needs(0, "CQE_MIXED ring", "IORING_SETUP_CQE_MIXED", "6.18",
			   "answered -22 (Invalid argument) to io_uring_setup with it");
		return;
	}
	if (!capi_require(ret == 0, "queue_init(CQE_MIXED)", ret))
		return;
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < 400; i += 4) {
		unsigned j, want = 4, got = 0;

		for (j = 0; j < 4; j++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			io_uring_prep_nop(sqe);
			sqe->user_data = i + j;
			if ((i + j) % 3 == 0)
				sqe->nop_flags = IORING_NOP_CQE32;
		}
		io_uring_submit(&ring);
		while (got < want) {
			unsigned k, slots = 0;

			n = io_uring_peek_batch_cqe(&ring, cqes, 16);
			if (!n)
				break;
			for (k = 0; k < n; k++) {
				__u64 ud = cqes[k]->user_data;
				int is32 = (cqes[k]->flags & IORING_CQE_F_32) != 0;

				if (cqes[k]->flags & IORING_CQE_F_SKIP)
					bad++;
				if (ud >= 400 || seen[ud]++ || is32 != (ud % 3 == 0))
					bad++;
				big += is32;
				slots += io_uring_cqe_nr(cqes[k]);
			}
			got += n;
			total += n;
			io_uring_cq_advance(&ring, slots);
		}
	}
	CHECK_EQ(total, 400, "CQE_MIXED: 400 CQEs reaped through peek_batch_cqe");
	CHECK_EQ(bad, 0, "CQE_MIXED: no skip entry returned, each tag once, F_32 as asked");
	CHECK_EQ(big, 134, "CQE_MIXED: 134 of them 32-byte");
	io_uring_queue_exit(&ring);
}

static void test_sqpoll(void)
{
	struct capi_res before;
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_sec = 2 };
	const char *err;
	int ret, i;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 20;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (!capi_require(ret == 0, "queue_init(SQPOLL, idle 20ms)", ret))
		return;
	before = capi_res_now();
	err = capi_nops(&ring, 40, 0);
	CHECK(!err, "SQPOLL: 40 NOPs round trip", "%s", err);
	CHECK_RET(__io_uring_sqring_wait(&ring), 0, "__io_uring_sqring_wait with room returns 0");
	CHECK_EQ(io_uring_sq_space_left(&ring), 8, "SQPOLL: SQ fully consumed by the thread");
	for (i = 0; i < 3; i++) {
		/* asleep 20 ms after its last work (up to 10 s on a loaded host) */
		int waited_ms = capi_wait_sq_need_wakeup(&ring, 10000);

		CHECK((IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_NEED_WAKEUP) != 0,
		      "SQPOLL: idle thread sets IORING_SQ_NEED_WAKEUP", "not set after %d ms", waited_ms);
		queue_nop(&ring, 900 + i);
		ret = io_uring_submit(&ring);
		CHECK_RET(ret, 1, "SQPOLL: submit to a sleeping thread returns 1");
		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		CHECK(ret == 0 && cqe->user_data == 900 + (unsigned)i,
		      "SQPOLL: the thread was woken and ran the NOP", "ret %d", ret);
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	before.uring_maps -= 1;	/* the ring's own mapping is gone now */
	{
		struct capi_res after = capi_res_now();

		CHECK(after.fds == before.fds - 1 && after.uring_maps <= before.uring_maps,
		      "SQPOLL queue_exit: ring fd closed and mapping released",
		      "fds %d -> %d, io_uring maps %d -> %d", before.fds, after.fds,
		      before.uring_maps + 1, after.uring_maps);
	}
}

static void test_iowait(void)
{
	struct io_uring ring;
	const char *err;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for set_iowait", ret))
		return;
	if (!(ring.features & IORING_FEAT_NO_IOWAIT)) {
		CHECK_RET(io_uring_set_iowait(&ring, false), -EOPNOTSUPP,
			  "set_iowait without IORING_FEAT_NO_IOWAIT is -EOPNOTSUPP");
		io_uring_queue_exit(&ring);
		return;
	}
	CHECK_RET(io_uring_set_iowait(&ring, false), 0, "set_iowait(false) returns 0");
	CHECK(ring.int_flags & 128, "set_iowait(false) sets the NO_IOWAIT internal flag",
	      "int_flags 0x%x", ring.int_flags);
	err = capi_nops(&ring, 20, 0);
	CHECK(!err, "NOPs with iowait off", "%s", err);
	CHECK_RET(io_uring_set_iowait(&ring, true), 0, "set_iowait(true) returns 0");
	CHECK_EQ(ring.int_flags & 128, 0, "set_iowait(true) clears it");
	io_uring_queue_exit(&ring);
	{
		struct io_uring zero;

		memset(&zero, 0, sizeof(zero));
		CHECK_RET(io_uring_set_iowait(&zero, false), -EOPNOTSUPP,
			  "set_iowait on a ring without the feature bit is -EOPNOTSUPP");
	}
}

/*
 * Older kernels, simulated by clearing feature bits in struct io_uring
 * (the library decides by them): without IORING_FEAT_EXT_ARG, timed waits
 * queue an internal timeout SQE (user_data LIBURING_UDATA_TIMEOUT) whose
 * CQE the caller must never see.
 */
static void test_old_kernel_paths(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_nsec = 30 * 1000000L };
	struct timespec t0;
	unsigned i, ok;
	long ms;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for the no-EXT_ARG paths", ret))
		return;
	ring.features &= ~IORING_FEAT_EXT_ARG;

	cqe = (void *)1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	ms = ms_since(&t0);
	/*
	 * The man page says -ETIME; upstream 2.15 returns what its first
	 * io_uring_enter submitted (1: its own timeout SQE). Either is fine;
	 * what matters is no CQE, the full wait, and nothing left behind.
	 */
	CHECK(ret == -ETIME || ret == 1,
	      "no EXT_ARG: wait_cqe_timeout on an idle ring: -ETIME (or upstream's 1)", "got %d", ret);
	CHECK(ms >= 25 && ms < 3000, "no EXT_ARG: ...after the timeout", "%ld ms", ms);
	CHECK(cqe == NULL, "no EXT_ARG: *cqe NULL");
	CHECK_EQ(io_uring_cq_ready(&ring), 0, "no EXT_ARG: the internal timeout CQE was consumed");

	/* queued work is submitted on the caller's behalf */
	queue_nop(&ring, 31);
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	CHECK(ret >= 0 && cqe && cqe->user_data == 31,
	      "no EXT_ARG: wait_cqe_timeout submits the queued NOP and returns its CQE", "ret %d", ret);
	if (ret >= 0 && cqe)
		io_uring_cqe_seen(&ring, cqe);
	usleep(20000);
	ret = io_uring_peek_cqe(&ring, &cqe);
	CHECK(ret == -EAGAIN, "no EXT_ARG: the satisfied internal timeout is never shown",
	      "ret %d user_data 0x%llx res %d", ret,
	      ret ? 0ULL : (unsigned long long)cqe->user_data, ret ? 0 : cqe->res);
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);

	/* wait_cqes(3) with a timeout counting 3 completions */
	for (i = 0; i < 3; i++)
		queue_nop(&ring, 40 + i);
	ret = io_uring_wait_cqes(&ring, &cqe, 3, &ts, NULL);
	CHECK(ret >= 0 && cqe && cqe->user_data == 40, "no EXT_ARG: wait_cqes(3) returns the first NOP",
	      "ret %d", ret);
	ok = 0;
	while (io_uring_peek_cqe(&ring, &cqe) == 0) {
		if (cqe->user_data == LIBURING_UDATA_TIMEOUT)
			ok = 100;
		else if (cqe->user_data >= 40 && cqe->user_data < 43)
			ok++;
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(ok, 3, "no EXT_ARG: the 3 NOPs and no internal timeout CQE");

	/* a full SQ: the library submits first to make room for its timeout */
	for (i = 0; i < 8; i++)
		queue_nop(&ring, 50 + i);
	ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	CHECK(ret >= 0 && cqe && cqe->user_data == 50,
	      "no EXT_ARG: wait_cqe_timeout with a full SQ submits and returns a CQE", "ret %d", ret);
	usleep(20000);
	ok = 0;
	while (io_uring_peek_cqe(&ring, &cqe) == 0) {
		if (cqe->user_data >= 50 && cqe->user_data < 58)
			ok++;
		else
			ok = 100;
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(ok, 8, "no EXT_ARG: all 8 NOPs, nothing else");

	/* submit_and_wait_timeout takes the same path */
	queue_nop(&ring, 60);
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
	CHECK(ret > 0 && cqe && cqe->user_data == 60,
	      "no EXT_ARG: submit_and_wait_timeout returns the NOP's CQE", "ret %d", ret);
	drain(&ring, NULL, 0);
	ts.tv_sec = 0;
	ts.tv_nsec = 20 * 1000000L;
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
	CHECK(ret == -ETIME || ret == 1,
	      "no EXT_ARG: submit_and_wait_timeout with nothing to do: -ETIME (or upstream's 1)",
	      "got %d", ret);
	CHECK_EQ(io_uring_cq_ready(&ring), 0, "no EXT_ARG: no internal CQE left behind");
	ret = io_uring_submit_and_wait_reg(&ring, &cqe, 1, 0);
	CHECK_RET(ret, -EINVAL, "no EXT_ARG: submit_and_wait_reg is -EINVAL");

	/* other feature bits the library consults */
	ring.features &= ~(IORING_FEAT_MIN_TIMEOUT | IORING_FEAT_NO_IOWAIT | IORING_FEAT_REG_REG_RING);
	CHECK_RET(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts, 100, NULL), -EINVAL,
		  "no MIN_TIMEOUT: wait_cqes_min_timeout is -EINVAL");
	CHECK_RET(io_uring_submit_and_wait_min_timeout(&ring, &cqe, 1, &ts, 100, NULL), -EINVAL,
		  "no MIN_TIMEOUT: submit_and_wait_min_timeout is -EINVAL");
	CHECK_RET(io_uring_set_iowait(&ring, false), -EOPNOTSUPP,
		  "no NO_IOWAIT: set_iowait is -EOPNOTSUPP");
	ret = io_uring_register_ring_fd(&ring);
	CHECK_RET(ret, 1, "no REG_REG_RING: register_ring_fd still returns 1");
	CHECK((ring.int_flags & 17) == 16,
	      "no REG_REG_RING: REG_RING set, REG_REG_RING not", "int_flags 0x%x", ring.int_flags);
	CHECK_RET(io_uring_close_ring_fd(&ring), -EOPNOTSUPP,
		  "no REG_REG_RING: close_ring_fd is -EOPNOTSUPP");
	ret = io_uring_register_personality(&ring);
	CHECK(ret > 0, "no REG_REG_RING: register calls go through the ring fd", "%d", ret);
	io_uring_queue_exit(&ring);
}

static void test_sync_cancel(void)
{
	struct io_uring ring;
	struct io_uring_sync_cancel_reg reg;
	struct io_uring_cqe *cqe;
	char buf[8];
	int pfd[2], ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0 && pipe(pfd) == 0, "queue_init + pipe for sync_cancel", ret))
		return;
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_read(sqe, pfd[0], buf, sizeof(buf), 0);
		sqe->user_data = 0x1234;
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, pfd[0], buf, sizeof(buf), 0);
		sqe->user_data = 0x5678;
	}
	CHECK_RET(io_uring_submit(&ring), 2, "two reads of an empty pipe submitted");
	CHECK_EQ(io_uring_cq_ready(&ring), 0, "the reads are pending");

	memset(&reg, 0, sizeof(reg));
	reg.addr = 0x1234;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	ret = io_uring_register_sync_cancel(&ring, &reg);
	CHECK_RET(ret, 0, "register_sync_cancel(user_data 0x1234) returns 0");
	ret = io_uring_peek_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->user_data == 0x1234 && cqe->res == -ECANCELED,
	      "the canceled read completed with -ECANCELED (before sync_cancel returned)");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);
	ret = io_uring_register_sync_cancel(&ring, &reg);
	CHECK_RET(ret, -ENOENT, "register_sync_cancel of a finished request is -ENOENT");

	memset(&reg, 0, sizeof(reg));
	reg.fd = pfd[0];
	reg.flags = IORING_ASYNC_CANCEL_FD;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	ret = io_uring_register_sync_cancel(&ring, &reg);
	CHECK_RET(ret, 0, "register_sync_cancel(by fd) returns 0");
	ret = io_uring_peek_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->user_data == 0x5678 && cqe->res == -ECANCELED,
	      "the read on that fd was canceled");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);

	memset(&reg, 0, sizeof(reg));
	reg.flags = 1U << 30;
	CHECK_RET(io_uring_register_sync_cancel(&ring, &reg), -EINVAL,
		  "register_sync_cancel(unknown flag) is -EINVAL");
	memset(&reg, 0, sizeof(reg));
	reg.pad[0] = 1;
	CHECK_RET(io_uring_register_sync_cancel(&ring, &reg), -EINVAL,
		  "register_sync_cancel(non-zero pad) is -EINVAL");
	close(pfd[0]);
	close(pfd[1]);
	io_uring_queue_exit(&ring);
}

/*
 * Ring memory is shared and writable: whatever it holds, peek_batch_cqe
 * must hand out at most count pointers, all inside the CQ array, and not
 * crash. The tail is set far ahead of and behind the head, and a mixed
 * ring's CQE flags are filled with garbage.
 */
static void test_corrupt_ring_memory(void)
{
	static const unsigned setups[] = { 0, IORING_SETUP_CQE32, IORING_SETUP_CQE_MIXED };
	struct io_uring_cqe *cqes[64];
	char what[160];
	unsigned k;

	for (k = 0; k < 3; k++) {
		struct io_uring ring;
		unsigned head, tail, n, i, bad = 0, total = 0, slots, round;
		size_t cq_bytes;
		char *lo, *hi;

		if (io_uring_queue_init(8, &ring, setups[k])) {
			if (setups[k] == IORING_SETUP_CQE_MIXED)
				continue;
			capi_failf("queue_init for ring-memory robustness", "flags 0x%x", setups[k]);
			continue;
		}
		slots = ring.cq.ring_entries << ((setups[k] & IORING_SETUP_CQE32) ? 1 : 0);
		cq_bytes = (size_t)slots * sizeof(struct io_uring_cqe);
		lo = (char *)ring.cq.cqes;
		hi = lo + cq_bytes;
		head = *ring.cq.khead;
		tail = *ring.cq.ktail;
		if (setups[k] == IORING_SETUP_CQE_MIXED)
			for (i = 0; i < slots; i++)
				ring.cq.cqes[i].flags = (i * 2654435761u) &
					(IORING_CQE_F_32 | IORING_CQE_F_SKIP | 0xffff0000u);
		for (round = 0; round < 4; round++) {
			unsigned fake[4] = { head + 1000, head - 5, head + 0x80000000u, head + 7 };

			*ring.cq.khead = head;
			*ring.cq.ktail = fake[round];
			n = io_uring_peek_batch_cqe(&ring, cqes, 64);
			total += n;
			if (n > 64)
				bad++;
			for (i = 0; i < n && i < 64; i++)
				if ((char *)cqes[i] < lo || (char *)cqes[i] >= hi)
					bad++;
		}
		*ring.cq.khead = head;
		*ring.cq.ktail = tail;
		snprintf(what, sizeof(what),
			 "garbage CQ tail%s: peek_batch_cqe stays inside the CQ array (flags 0x%x)",
			 setups[k] == IORING_SETUP_CQE_MIXED ? " and CQE flags" : "", setups[k]);
		CHECK(bad == 0 && total > 0, what, "%u out of bounds, %u returned", bad, total);
		memset(ring.cq.cqes, 0, cq_bytes);
		{
			const char *err = capi_nops(&ring, 8, 0);

			snprintf(what, sizeof(what), "ring still works after the tail is restored (flags 0x%x)",
				 setups[k]);
			CHECK(!err, what, "%s", err);
		}
		io_uring_queue_exit(&ring);
	}
}

/* ---- what reaches io_uring_enter: a spy in a child process --------------- */

static unsigned enter_flags(struct capi_spy *spy, int i)
{
	return (unsigned)spy->args[i][3];
}

static void enter_spy_child(void *unused)
{
	static struct capi_spy spy;
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	/* the SQPOLL waits below: a CQE ends them at once, and a slow guest
	 * (one emulated CPU on a busy host) may need seconds */
	struct __kernel_timespec ts = { .tv_sec = 10 };
	int ret, i, n, ok, waited_ms;
	const char *err;

	ret = capi_spy_install(&spy, __NR_io_uring_enter);
	if (ret == -EINVAL || ret == -ENOSYS || ret == -EACCES) {
		capi_skip("io_uring_enter spy", "seccomp user notification unavailable");
		return;
	}
	if (!capi_require(ret == 0, "seccomp spy on io_uring_enter installed", ret))
		return;

	/* registered ring: submits pass the index and IORING_ENTER_REGISTERED_RING */
	ret = io_uring_queue_init(8, &ring, 0);
	if (capi_require(ret == 0, "spy: queue_init", ret)) {
		int fd = ring.ring_fd;

		capi_spy_reset(&spy);
		queue_nop(&ring, 1);
		io_uring_submit(&ring);
		n = capi_spy_calls(&spy);
		CHECK(n == 1 && (int)spy.args[0][0] == fd &&
		      !(enter_flags(&spy, 0) & IORING_ENTER_REGISTERED_RING),
		      "spy: unregistered submit enters with the ring fd", "calls %d", n);
		drain(&ring, NULL, 0);
		ret = io_uring_register_ring_fd(&ring);
		capi_spy_reset(&spy);
		queue_nop(&ring, 2);
		io_uring_submit(&ring);
		io_uring_wait_cqe(&ring, &cqe);
		io_uring_get_events(&ring);
		n = capi_spy_calls(&spy);
		ok = ret == 1 && n >= 2;
		for (i = 0; i < n && i < CAPI_SPY_MAX; i++)
			if ((int)spy.args[i][0] != ring.enter_ring_fd ||
			    !(enter_flags(&spy, i) & IORING_ENTER_REGISTERED_RING))
				ok = 0;
		CHECK(ok, "spy: after register_ring_fd every enter uses the index + REGISTERED_RING",
		      "calls %d", n);
		drain(&ring, NULL, 0);

		/* submit_and_wait_timeout passes its timeout via EXT_ARG */
		capi_spy_reset(&spy);
		ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1,
				&(struct __kernel_timespec){ .tv_nsec = 1000000 }, NULL);
		n = capi_spy_calls(&spy);
		CHECK(ret == -ETIME && n >= 1 &&
		      (enter_flags(&spy, 0) & (IORING_ENTER_EXT_ARG | IORING_ENTER_GETEVENTS)) ==
		      (IORING_ENTER_EXT_ARG | IORING_ENTER_GETEVENTS) &&
		      spy.args[0][5] == sizeof(struct io_uring_getevents_arg),
		      "spy: timed waits use EXT_ARG with a getevents_arg", "ret %d calls %d", ret, n);

		/* set_iowait(false) adds IORING_ENTER_NO_IOWAIT */
		if (io_uring_set_iowait(&ring, false) == 0) {
			capi_spy_reset(&spy);
			queue_nop(&ring, 3);
			io_uring_submit_and_wait(&ring, 1);
			n = capi_spy_calls(&spy);
			CHECK(n >= 1 && (enter_flags(&spy, 0) & IORING_ENTER_NO_IOWAIT),
			      "spy: set_iowait(false) -> enter flags carry NO_IOWAIT",
			      "calls %d flags 0x%x", n, n ? enter_flags(&spy, 0) : 0);
			io_uring_set_iowait(&ring, true);
			capi_spy_reset(&spy);
			queue_nop(&ring, 4);
			io_uring_submit_and_wait(&ring, 1);
			n = capi_spy_calls(&spy);
			CHECK(n >= 1 && !(enter_flags(&spy, 0) & IORING_ENTER_NO_IOWAIT),
			      "spy: set_iowait(true) -> no NO_IOWAIT flag");
			drain(&ring, NULL, 0);
		}
		/* a plain peek of a ready CQE needs no system call */
		queue_nop(&ring, 5);
		io_uring_submit(&ring);
		capi_spy_reset(&spy);
		ret = io_uring_wait_cqe(&ring, &cqe);
		CHECK(ret == 0 && capi_spy_calls(&spy) == 0,
		      "spy: wait_cqe with a CQE ready makes no system call");
		drain(&ring, NULL, 0);
		io_uring_queue_exit(&ring);
	}

	/* IOPOLL: completions are only found by entering the kernel */
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_IOPOLL);
	if (capi_require(ret == 0, "spy: queue_init(IOPOLL)", ret)) {
		capi_spy_reset(&spy);
		ret = io_uring_peek_cqe(&ring, &cqe);
		n = capi_spy_calls(&spy);
		CHECK(ret == -EAGAIN && n == 1 && (enter_flags(&spy, 0) & IORING_ENTER_GETEVENTS),
		      "spy: peek on an empty IOPOLL ring enters once with GETEVENTS",
		      "ret %d calls %d", ret, n);
		capi_spy_reset(&spy);
		ret = io_uring_submit(&ring);
		n = capi_spy_calls(&spy);
		CHECK(ret == 0 && n == 1 && (enter_flags(&spy, 0) & IORING_ENTER_GETEVENTS),
		      "spy: submit on an IOPOLL ring enters with GETEVENTS even with nothing queued",
		      "ret %d calls %d", ret, n);
		io_uring_queue_exit(&ring);
	}
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret == 0) {
		capi_spy_reset(&spy);
		ret = io_uring_peek_cqe(&ring, &cqe);
		CHECK(ret == -EAGAIN && capi_spy_calls(&spy) == 0,
		      "spy: peek on an empty plain ring makes no system call");
		ret = io_uring_submit(&ring);
		CHECK(ret == 0 && capi_spy_calls(&spy) == 0,
		      "spy: submit with nothing queued makes no system call");
		io_uring_queue_exit(&ring);
	}

	/* SQPOLL: no enter while the thread is awake, SQ_WAKEUP when asleep */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 2000;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (capi_require(ret == 0, "spy: queue_init(SQPOLL, idle 2s)", ret)) {
		err = capi_nops(&ring, 8, 0);	/* wakes the thread */
		sq_room(&ring);
		capi_spy_reset(&spy);
		queue_nop(&ring, 50);
		ret = io_uring_submit(&ring);
		n = capi_spy_calls(&spy);
		CHECK(ret == 1 && (n == 0 || (*ring.sq.kflags & IORING_SQ_NEED_WAKEUP)),
		      "spy: SQPOLL submit to an awake thread makes no system call",
		      "ret %d calls %d", ret, n);
		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		CHECK(ret == 0 && cqe->user_data == 50, "spy: SQPOLL thread ran the NOP",
		      "ret %d user_data %llu (the 8 NOPs before: %s)", ret,
		      ret == 0 ? (unsigned long long)cqe->user_data : 0ULL, err ? err : "reaped");
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
		capi_spy_reset(&spy);
		ret = __io_uring_sqring_wait(&ring);
		n = capi_spy_calls(&spy);
		CHECK(ret == 0 && n == 1 && (enter_flags(&spy, 0) & IORING_ENTER_SQ_WAIT),
		      "spy: __io_uring_sqring_wait enters with IORING_ENTER_SQ_WAIT",
		      "ret %d calls %d", ret, n);
		io_uring_queue_exit(&ring);
	}
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (capi_require(ret == 0, "spy: queue_init(SQPOLL, idle 10ms)", ret)) {
		/* asleep: the thread has set NEED_WAKEUP, 10 ms after its last
		 * work on an idle machine (up to 3 s allowed for a loaded one).
		 * One NOP first: Debian's armhf 7.2 kernel left a thread that
		 * never had work awake for 3 s, on upstream's library too. */
		err = capi_nops(&ring, 1, 0);
		sq_room(&ring);
		waited_ms = capi_wait_sq_need_wakeup(&ring, 10000);
		capi_spy_reset(&spy);
		queue_nop(&ring, 60);
		ret = io_uring_submit(&ring);
		n = capi_spy_calls(&spy);
		CHECK(ret == 1 && n == 1 && (enter_flags(&spy, 0) & IORING_ENTER_SQ_WAKEUP),
		      "spy: SQPOLL submit to a sleeping thread enters with SQ_WAKEUP",
		      "ret %d calls %d flags 0x%x; NEED_WAKEUP %s after %d ms; the NOP before: %s", ret, n,
		      n ? enter_flags(&spy, 0) : 0,
		      (IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_NEED_WAKEUP) ? "set" : "not set", waited_ms,
		      err ? err : "reaped");
		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		CHECK(ret == 0 && cqe->user_data == 60, "spy: the woken thread ran the NOP");
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
		io_uring_queue_exit(&ring);
	}
}

int main(void)
{
	capi_begin("submit");
	capi_check_loaded_library();
	test_submit();
	test_wait_family();
	test_sigmask();
	test_submit_and_wait_timeout();
	test_min_timeout();
	test_wait_reg();
	test_get_events();
	test_peek_batch();
	test_big_entries();
	test_cqe_mixed();
	test_sqpoll();
	test_iowait();
	test_sync_cancel();
	test_old_kernel_paths();
	test_corrupt_ring_memory();
	capi_in_child("io_uring_enter spy child", enter_spy_child, NULL);
	return capi_done();
}
