/* SPDX-License-Identifier: MIT */
/*
 * Shared scaffolding for the C ABI tests in capi-tests/capi/ (capi.c; the
 * system-call spy is spy.h). mk/capi.mk compiles capi.c and spy.c once per
 * header form and links them into every program.
 *
 * Every check prints one line, "PASS <prog>: <what>" or
 * "FAIL <prog>: <what> (<detail>)", and main() ends with capi_done(),
 * which prints "N passed, N failed" and turns the tally into the exit code.
 * A program may also call capi_skip() for a check that this machine cannot
 * run; skips are printed and counted but never turn into a pass. A check of
 * a feature newer than some kernels asks the running kernel first
 * (capi_need_register_op, capi_need_setup_flag, capi_need_feature, or
 * capi_needs with the program's own probe) and skips naming the feature and
 * the first Linux release that has it.
 */
#ifndef CAPI_TESTS_CAPI_H
#define CAPI_TESTS_CAPI_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liburing.h>

/*
 * Both header forms make io_uring_get_sqe() an inline function, but the
 * library still exports it for programs built against liburing 2.0/2.1.
 * Bind a differently named declaration to that exported symbol so that the
 * tests call the library's copy.
 */
struct io_uring_sqe *capi_lib_get_sqe(struct io_uring *ring)
	__asm__("io_uring_get_sqe");

/* ---- the tally (see capi.c for each one's contract) ----------------- */

void capi_begin(const char *prog);
void capi_pass(const char *what);
void capi_failf(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void capi_skip(const char *what, const char *why);
/* A setup step that later checks depend on: a check; 0 when it failed. */
int capi_require(int ok, const char *what, long long detail);
int capi_done(void);

/* A boolean check; the detail is printed only on failure. */
#define CHECK(cond, what, ...)						\
	do {								\
		if (cond)						\
			capi_pass(what);				\
		else							\
			capi_failf(what, " " __VA_ARGS__);		\
	} while (0)

/* An equality check on integers, printing both sides on failure. */
#define CHECK_EQ(got, want, what)					\
	do {								\
		long long got_ = (long long)(got);			\
		long long want_ = (long long)(want);			\
		if (got_ == want_)					\
			capi_pass(what);				\
		else							\
			capi_failf(what, "got %lld, want %lld",	\
				   got_, want_);			\
	} while (0)

/* Library return values: print errno names to make failures readable. */
#define CHECK_RET(got, want, what)					\
	do {								\
		long long got_ = (long long)(got);			\
		long long want_ = (long long)(want);			\
		if (got_ == want_)					\
			capi_pass(what);				\
		else							\
			capi_failf(what, "got %lld (%s), want %lld (%s)", \
				   got_, got_ < 0 ? strerror((int)-got_) : "-", \
				   want_, want_ < 0 ? strerror((int)-want_) : "-"); \
	} while (0)

/* ---- what the running kernel has: 1, or one loud skip and 0 ---------- */

/* A descriptor number that no process has open (far above any fd limit). */
#define CAPI_NO_FD 0x3ffffff0

int capi_needs(int has, const char *what, const char *feature,
	       const char *first, const char *answer);
int capi_need_register_op(const char *what, unsigned op,
			  const char *name, const char *first);
int capi_need_setup_flag(const char *what, unsigned flag,
			 const char *name, const char *first);
int capi_need_feature(const char *what, unsigned feat,
		      const char *name, const char *first);
/* io_uring_setup(4) with flags: 0 or -errno; *features from the ring. */
int capi_kernel_setup(unsigned flags, unsigned *features);
int capi_kernel_has_flag(unsigned flag);

/* ---- resource accounting ------------------------------------------- */

struct capi_res {
	int fds, maps, uring_maps;
};

int capi_count_fds(void);
int capi_count_uring_maps(void);
int capi_in_anon_mapping(const void *p);
struct capi_res capi_res_now(void);
int capi_under_valgrind(void);
void capi_check_no_leak(struct capi_res before, const char *what);
void capi_check_loaded_library(void);

/* fn(arg) in a forked child; its checks are added to this tally. */
void capi_in_child(const char *what, void (*fn)(void *), void *arg);

/* ---- small helpers -------------------------------------------------- */

int capi_tmpfile(size_t size);
void capi_fill(void *buf, size_t len, unsigned seed);
int capi_wait_sq_need_wakeup(struct io_uring *ring, int max_ms);
/* n NOPs (at most 64) submitted and reaped: NULL, or what went wrong. */
const char *capi_nops(struct io_uring *ring, unsigned n, __u64 base);
int capi_reap_one(struct io_uring *ring, __u64 *ud, int *res);

#endif
