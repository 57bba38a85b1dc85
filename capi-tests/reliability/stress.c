/*
 * Concurrency and fault tests on one liburing (whichever liburing.so.2 the
 * dynamic linker finds: ours, or upstream's to validate the test itself).
 *
 *   stress mt-nop N [sqpoll]  one submitting and one completing thread on the
 *                             same ring, N NOPs: every user_data completes
 *                             exactly once, nothing dropped
 *   stress overflow N         a CQ far smaller than the work in flight: the
 *                             kernel overflows (IORING_FEAT_NODROP), and
 *                             reaping finds every completion exactly once,
 *                             in order; -EBUSY from submit is handled as
 *                             liburing documents (reap, then retry)
 *   stress eintr              signals hitting io_uring_wait_cqe* in the
 *                             kernel: the call returns -EINTR and a retry
 *                             finds every completion
 *   stress dontfork           fork after io_uring_ring_dontfork, children
 *                             that exit without cleaning up: the parent's
 *                             ring keeps working
 *
 * Exit status 0 on success; every failure prints what went wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <liburing.h>

#define FAIL(...)                                                          \
	do {                                                               \
		fprintf(stderr, "stress %s: ", mode);                      \
		fprintf(stderr, __VA_ARGS__);                              \
		fprintf(stderr, "\n");                                     \
		exit(1);                                                   \
	} while (0)

static const char *mode = "";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A bitmap of user_data values seen; a second sighting is a failure. */
struct seen {
	unsigned char *bits;
	unsigned long n;
};

static void seen_init(struct seen *s, unsigned long n)
{
	s->n = n;
	s->bits = calloc((n + 8) / 8, 1);
	if (!s->bits)
		FAIL("out of memory");
}

static void seen_mark(struct seen *s, unsigned long long ud)
{
	if (ud == 0 || ud > s->n)
		FAIL("user_data %llu out of range 1..%lu", ud, s->n);
	if (s->bits[ud / 8] & (1 << (ud % 8)))
		FAIL("user_data %llu completed twice", ud);
	s->bits[ud / 8] |= 1 << (ud % 8);
}

static void seen_check_all(struct seen *s)
{
	for (unsigned long i = 1; i <= s->n; i++)
		if (!(s->bits[i / 8] & (1 << (i % 8))))
			FAIL("user_data %lu never completed", i);
	free(s->bits);
}

/* ------------------------------------------------------------- mt-nop */

struct mt {
	struct io_uring ring;
	unsigned long n;
	unsigned limit;
	_Atomic unsigned completed;
	_Atomic int waiting;
	struct seen seen;
};

static void futex_wait(_Atomic unsigned *addr, unsigned val)
{
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic unsigned *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *mt_completer(void *arg)
{
	struct mt *m = arg;
	struct io_uring_cqe *cqes[64];
	unsigned long done = 0;

	while (done < m->n) {
		struct io_uring_cqe *cqe;
		unsigned got;
		int ret = io_uring_wait_cqe(&m->ring, &cqe);

		if (ret)
			FAIL("io_uring_wait_cqe: %s", strerror(-ret));
		got = io_uring_peek_batch_cqe(&m->ring, cqes, 64);
		if (got == 0)
			FAIL("peek_batch found nothing after wait_cqe returned a CQE");
		for (unsigned i = 0; i < got; i++) {
			if (cqes[i]->res != 0)
				FAIL("NOP %llu failed: %d", (unsigned long long)cqes[i]->user_data, cqes[i]->res);
			seen_mark(&m->seen, cqes[i]->user_data);
		}
		io_uring_cq_advance(&m->ring, got);
		done += got;
		atomic_fetch_add(&m->completed, got);
		if (atomic_load(&m->waiting))
			futex_wake(&m->completed);
	}
	return NULL;
}

static int mt_nop(unsigned long n, int sqpoll)
{
	struct io_uring_params p = { 0 };
	struct mt *m = calloc(1, sizeof(*m));
	pthread_t th;
	unsigned long submitted = 0;
	double t0;
	int ret;

	p.flags = IORING_SETUP_CQSIZE | (sqpoll ? IORING_SETUP_SQPOLL : 0);
	p.cq_entries = 4096;
	p.sq_thread_idle = 20;
	ret = io_uring_queue_init_params(256, &m->ring, &p);
	if (ret)
		FAIL("io_uring_queue_init_params: %s", strerror(-ret));
	m->n = n;
	/* Never more in flight than the CQ holds: no overflow in this test. */
	m->limit = p.cq_entries;
	seen_init(&m->seen, n);
	t0 = now();
	pthread_create(&th, NULL, mt_completer, m);
	while (submitted < n) {
		struct io_uring_sqe *sqe;
		unsigned c = atomic_load(&m->completed);

		if (submitted - c >= m->limit) {
			ret = io_uring_submit(&m->ring);
			if (ret < 0)
				FAIL("io_uring_submit: %s", strerror(-ret));
			atomic_store(&m->waiting, 1);
			if (submitted - atomic_load(&m->completed) >= m->limit)
				futex_wait(&m->completed, c);
			atomic_store(&m->waiting, 0);
			continue;
		}
		sqe = io_uring_get_sqe(&m->ring);
		if (!sqe) {
			ret = io_uring_submit(&m->ring);
			if (ret < 0)
				FAIL("io_uring_submit: %s", strerror(-ret));
			if (sqpoll) {
				ret = io_uring_sqring_wait(&m->ring);
				if (ret < 0)
					FAIL("io_uring_sqring_wait: %s", strerror(-ret));
			}
			continue;
		}
		io_uring_prep_nop(sqe);
		sqe->user_data = ++submitted;
		if (submitted % 32 == 0) {
			ret = io_uring_submit(&m->ring);
			if (ret < 0)
				FAIL("io_uring_submit: %s", strerror(-ret));
		}
	}
	ret = io_uring_submit(&m->ring);
	if (ret < 0)
		FAIL("io_uring_submit: %s", strerror(-ret));
	pthread_join(th, NULL);
	seen_check_all(&m->seen);
	if (*m->ring.cq.koverflow)
		FAIL("the kernel dropped %u CQEs", *m->ring.cq.koverflow);
	if (io_uring_cq_ready(&m->ring))
		FAIL("%u CQEs left over", io_uring_cq_ready(&m->ring));
	printf("mt-nop%s: %lu NOPs, each completed once, %.2f s (%.1f M/s)\n", sqpoll ? " sqpoll" : "", n,
	       now() - t0, n / (now() - t0) / 1e6);
	io_uring_queue_exit(&m->ring);
	free(m);
	return 0;
}

/* ----------------------------------------------------------- overflow */

enum reap { REAP_PEEK_BATCH, REAP_WAIT, REAP_FOR_EACH, REAP_NR };
static const char *reap_names[] = { "peek_batch_cqe", "wait_cqe", "for_each_cqe + get_events" };

/* Reaps what is there; returns how many. */
static unsigned reap(struct io_uring *ring, enum reap how, struct seen *seen, unsigned long long *next)
{
	struct io_uring_cqe *cqes[32], *cqe;
	unsigned got = 0, head;
	int ret;

	switch (how) {
	case REAP_PEEK_BATCH:
		got = io_uring_peek_batch_cqe(ring, cqes, 32);
		for (unsigned i = 0; i < got; i++) {
			seen_mark(seen, cqes[i]->user_data);
			if (cqes[i]->user_data != *next)
				FAIL("completion %llu arrived when %llu was due", (unsigned long long)cqes[i]->user_data,
				     *next);
			(*next)++;
		}
		io_uring_cq_advance(ring, got);
		break;
	case REAP_WAIT:
		ret = io_uring_peek_cqe(ring, &cqe);
		if (ret == -EAGAIN)
			return 0;
		if (ret)
			FAIL("io_uring_peek_cqe: %s", strerror(-ret));
		seen_mark(seen, cqe->user_data);
		if (cqe->user_data != *next)
			FAIL("completion %llu arrived when %llu was due", (unsigned long long)cqe->user_data, *next);
		(*next)++;
		io_uring_cqe_seen(ring, cqe);
		got = 1;
		break;
	case REAP_FOR_EACH:
		if (!io_uring_cq_ready(ring) && io_uring_cq_has_overflow(ring)) {
			ret = io_uring_get_events(ring);
			if (ret < 0)
				FAIL("io_uring_get_events: %s", strerror(-ret));
		}
		io_uring_for_each_cqe(ring, head, cqe) {
			seen_mark(seen, cqe->user_data);
			if (cqe->user_data != *next)
				FAIL("completion %llu arrived when %llu was due", (unsigned long long)cqe->user_data,
				     *next);
			(*next)++;
			got++;
		}
		io_uring_cq_advance(ring, got);
		break;
	case REAP_NR:
		break;
	}
	return got;
}

static int overflow(unsigned long n)
{
	for (enum reap how = 0; how < REAP_NR; how++) {
		struct io_uring ring;
		struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 16 };
		struct seen seen;
		unsigned long submitted = 0, reaped = 0, ebusy = 0;
		unsigned long long next = 1;
		int overflowed = 0, ret;

		ret = io_uring_queue_init_params(16, &ring, &p);
		if (ret)
			FAIL("io_uring_queue_init_params: %s", strerror(-ret));
		if (!(p.features & IORING_FEAT_NODROP))
			FAIL("kernel without IORING_FEAT_NODROP");
		seen_init(&seen, n);
		/* Submit everything without reaping: the CQ holds 16. */
		while (submitted < n) {
			struct io_uring_sqe *sqe;

			while (submitted < n && (sqe = io_uring_get_sqe(&ring))) {
				io_uring_prep_nop(sqe);
				sqe->user_data = ++submitted;
			}
			ret = io_uring_submit(&ring);
			if (ret == -EBUSY) {
				/* The kernel wants the CQ reaped before taking more. */
				ebusy++;
				reaped += reap(&ring, how, &seen, &next);
				continue;
			}
			if (ret < 0)
				FAIL("io_uring_submit: %s", strerror(-ret));
			if (io_uring_cq_has_overflow(&ring))
				overflowed = 1;
		}
		if (!overflowed && !ebusy)
			FAIL("the CQ never overflowed (reap %s)", reap_names[how]);
		while (reaped < n) {
			unsigned got = reap(&ring, how, &seen, &next);

			if (!got) {
				struct io_uring_cqe *cqe;
				struct __kernel_timespec ts = { .tv_sec = 1 };

				/* Nothing visible: wait for the kernel to flush. */
				ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
				if (ret)
					FAIL("%lu of %lu completions reaped (%s), then wait: %s", reaped, n,
					     reap_names[how], strerror(-ret));
			}
			reaped += got;
		}
		seen_check_all(&seen);
		if (*ring.cq.koverflow)
			FAIL("the kernel dropped %u CQEs despite NODROP", *ring.cq.koverflow);
		if (io_uring_cq_has_overflow(&ring) || io_uring_cq_ready(&ring))
			FAIL("completions left after reaping all %lu", n);
		printf("overflow (%s): %lu NOPs through a 16-entry CQ, each reaped once and in order, %lu -EBUSY\n",
		       reap_names[how], n, ebusy);
		io_uring_queue_exit(&ring);
	}
	return 0;
}

/* -------------------------------------------------------------- eintr */

static pthread_t victim;
static _Atomic int stop_signals;
static _Atomic unsigned long signals_sent;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *signaller(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_signals)) {
		pthread_kill(victim, SIGUSR1);
		atomic_fetch_add(&signals_sent, 1);
		usleep(300);
	}
	return NULL;
}

enum waitfn { W_WAIT_CQE, W_WAIT_CQE_TIMEOUT, W_WAIT_CQES, W_SUBMIT_AND_WAIT_TIMEOUT, W_WAIT_CQE_NR, W_NR };
static const char *wait_names[] = { "io_uring_wait_cqe", "io_uring_wait_cqe_timeout", "io_uring_wait_cqes",
				    "io_uring_submit_and_wait_timeout", "io_uring_wait_cqe_nr" };

static int eintr(void)
{
	struct sigaction sa = { 0 };
	const unsigned n = 64;

	sa.sa_handler = on_usr1; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	victim = pthread_self();
	for (enum waitfn w = 0; w < W_NR; w++) {
		struct io_uring ring;
		struct __kernel_timespec tss[64];
		struct seen seen;
		pthread_t th;
		unsigned got = 0, eintrs = 0, etimes = 0;
		int ret;

		ret = io_uring_queue_init(128, &ring, 0);
		if (ret)
			FAIL("io_uring_queue_init: %s", strerror(-ret));
		seen_init(&seen, n);
		/* Timeouts that fire 1..16 ms from now. */
		for (unsigned i = 0; i < n; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			tss[i].tv_sec = 0;
			tss[i].tv_nsec = (1 + i % 16) * 1000000LL;
			io_uring_prep_timeout(sqe, &tss[i], 0, 0);
			sqe->user_data = i + 1;
		}
		if (w != W_SUBMIT_AND_WAIT_TIMEOUT) {
			ret = io_uring_submit(&ring);
			if (ret != (int)n)
				FAIL("io_uring_submit: %d", ret);
		}
		atomic_store(&stop_signals, 0);
		pthread_create(&th, NULL, signaller, NULL);
		while (got < n) {
			struct io_uring_cqe *cqe = NULL;
			struct __kernel_timespec ts = { .tv_sec = 2 };

			switch (w) {
			case W_WAIT_CQE:
				ret = io_uring_wait_cqe(&ring, &cqe);
				break;
			case W_WAIT_CQE_TIMEOUT:
				ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
				break;
			case W_WAIT_CQES:
				ret = io_uring_wait_cqes(&ring, &cqe, 1, &ts, NULL);
				break;
			case W_SUBMIT_AND_WAIT_TIMEOUT:
				ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
				break;
			default:
				ret = io_uring_wait_cqe_nr(&ring, &cqe, 2);
				break;
			}
			if (ret == -EINTR) {
				eintrs++;
				continue;
			}
			if (ret == -ETIME) {
				etimes++;
				if (etimes > 3)
					FAIL("%s: -ETIME %u times with %u of %u completions", wait_names[w], etimes, got, n);
				continue;
			}
			if (ret < 0)
				FAIL("%s: %s", wait_names[w], strerror(-ret));
			if (!cqe) {
				/*
				 * submit_and_wait_timeout reports how many SQEs it
				 * submitted even when the wait that followed found no
				 * CQE (interrupted, say): wait again.
				 */
				if (w == W_SUBMIT_AND_WAIT_TIMEOUT && ret > 0)
					continue;
				FAIL("%s returned %d without a CQE", wait_names[w], ret);
			}
			if (cqe->res != -ETIME)
				FAIL("timeout %llu completed with %d", (unsigned long long)cqe->user_data, cqe->res);
			seen_mark(&seen, cqe->user_data);
			io_uring_cqe_seen(&ring, cqe);
			got++;
		}
		atomic_store(&stop_signals, 1);
		pthread_join(th, NULL);
		seen_check_all(&seen);
		if (!eintrs)
			FAIL("%s: no wait was interrupted (%lu signals sent)", wait_names[w], atomic_load(&signals_sent));
		printf("eintr (%s): %u completions, each once; %u waits returned -EINTR and were retried\n",
		       wait_names[w], n, eintrs);
		io_uring_queue_exit(&ring);
	}
	return 0;
}

/* ----------------------------------------------------------- dontfork */

static int is_mapped(void *p)
{
	uintptr_t page = (uintptr_t)p & ~(uintptr_t)4095;

	return msync((void *)page, 1, MS_ASYNC) == 0;
}

static void nops(struct io_uring *ring, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		struct io_uring_cqe *cqe;
		int ret;

		io_uring_prep_nop(sqe);
		sqe->user_data = i + 1;
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret != 1)
			FAIL("submit_and_wait: %d", ret);
		ret = io_uring_peek_cqe(ring, &cqe);
		if (ret || cqe->user_data != i + 1 || cqe->res)
			FAIL("NOP %u: ret %d", i + 1, ret);
		io_uring_cqe_seen(ring, cqe);
	}
}

static int dontfork(void)
{
	/*
	 * Children that leave without cleaning up: _exit and exit() after
	 * dontfork (the ring must not be mapped in them), and _exit after a
	 * plain fork (the ring is mapped, shared, and left alone).
	 */
	for (int variant = 0; variant < 3; variant++) {
		struct io_uring ring;
		int ret, status;
		pid_t pid;

		ret = io_uring_queue_init(8, &ring, 0);
		if (ret)
			FAIL("io_uring_queue_init: %s", strerror(-ret));
		nops(&ring, 4);
		if (variant < 2) {
			ret = io_uring_ring_dontfork(&ring);
			if (ret)
				FAIL("io_uring_ring_dontfork: %s", strerror(-ret));
		}
		fflush(NULL);
		pid = fork();
		if (pid < 0)
			FAIL("fork");
		if (pid == 0) {
			int mapped = is_mapped(ring.sq.ring_ptr) || is_mapped(ring.cq.ring_ptr) ||
				     is_mapped(ring.sq.sqes);

			if (variant < 2 && mapped)
				_exit(10); /* dontfork did not keep the ring out of the child */
			if (variant == 2 && !mapped)
				_exit(11);
			if (variant == 1)
				exit(0);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			FAIL("variant %d: child ended with status %#x", variant, status);
		nops(&ring, 1000);
		io_uring_queue_exit(&ring);
		printf("dontfork (%s): parent ring works after the child exited\n",
		       variant == 0 ? "dontfork, child _exit" : variant == 1 ? "dontfork, child exit()" :
		       "no dontfork, child _exit");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s mt-nop N [sqpoll] | overflow N | eintr | dontfork\n", argv[0]);
		return 2;
	}
	mode = argv[1];
	if (!strcmp(mode, "mt-nop"))
		return mt_nop(argc > 2 ? strtoul(argv[2], NULL, 0) : 10000000, argc > 3 && !strcmp(argv[3], "sqpoll"));
	if (!strcmp(mode, "overflow"))
		return overflow(argc > 2 ? strtoul(argv[2], NULL, 0) : 100000);
	if (!strcmp(mode, "eintr"))
		return eintr();
	if (!strcmp(mode, "dontfork"))
		return dontfork();
	fprintf(stderr, "unknown mode %s\n", mode);
	return 2;
}
