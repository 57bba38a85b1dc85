/* Shared helpers of the benchmark programs in benches/.
 *
 * Every program is compiled twice from the same source: once against
 * upstream liburing 2.15 (its header and library) and once against ours.
 * Each run prints one line the runner (benches/run.py) parses:
 *
 *   bench=<workload> ops=<operations> ns=<wall-clock ns> cpu_ns=<process CPU ns>
 *         lib=<liburing loaded>
 *
 * (on one line). Process CPU time includes the kernel work done on behalf of
 * the process (system calls, an SQPOLL thread); it is the measure to trust
 * when other work competes for the CPUs.
 *
 * A program exits non-zero as soon as a result is wrong: the numbers are only
 * worth printing when every completion and every byte was checked.
 */
#ifndef BENCH_H
#define BENCH_H

/* Include this file first: it asks for the GNU extensions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <liburing.h>

#define BENCH_FAIL(...)                                                        \
	do {                                                                   \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		exit(2);                                                       \
	} while (0)

#define BENCH_CHECK(cond, ...)                                                 \
	do {                                                                   \
		if (__builtin_expect(!(cond), 0))                              \
			BENCH_FAIL("check failed: " #cond ": " __VA_ARGS__);   \
	} while (0)

static inline uint64_t bench_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wall-clock and CPU time accumulated over the timed sections. */
struct bench_timer {
	uint64_t wall, cpu, wall0, cpu0;
};

static inline void bench_start(struct bench_timer *t)
{
	t->cpu0 = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t->wall0 = bench_clock_ns(CLOCK_MONOTONIC);
}

static inline void bench_stop(struct bench_timer *t)
{
	t->wall += bench_clock_ns(CLOCK_MONOTONIC) - t->wall0;
	t->cpu += bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - t->cpu0;
}

/* Parses a positive count argument or exits. */
static inline unsigned long bench_count(const char *arg, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || *end || v == 0)
		BENCH_FAIL("bad %s: '%s'", what, arg);
	return v;
}

/* The file the dynamic linker bound liburing's exported functions to, with
 * symlinks resolved: the definition of io_uring_queue_init that symbol lookup
 * finds first, which is the one this program's calls reach. */
static inline const char *bench_loaded_lib(void)
{
	static char path[PATH_MAX];
	void *fn = dlsym(RTLD_DEFAULT, "io_uring_queue_init");
	Dl_info info;

	if (!fn || !dladdr(fn, &info) || !info.dli_fname)
		return "unknown";
	if (!realpath(info.dli_fname, path))
		return info.dli_fname;
	return path;
}

static inline void bench_report(const char *name, unsigned long ops,
				const struct bench_timer *t)
{
	printf("bench=%s ops=%lu ns=%llu cpu_ns=%llu lib=%s\n", name, ops,
	       (unsigned long long)t->wall, (unsigned long long)t->cpu,
	       bench_loaded_lib());
	fflush(stdout);
}

/* Small deterministic generator, the same sequence for both builds. */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

#endif
