/* SPDX-License-Identifier: MIT */
#ifndef CAPI_TESTS_SPY_H
#define CAPI_TESTS_SPY_H

#include "capi.h"

/*
 * Watches one system call of the calling thread (and threads it creates
 * afterwards): every call is held, its six arguments recorded, and then let
 * through unchanged, or failed with an errno when decide() says so. This
 * proves what the library asks of the kernel (flags, fds, retries) without
 * trusting the library's own account. A filter cannot be removed, so use it
 * only inside capi_in_child().
 */
#define CAPI_SPY_MAX 128
struct capi_spy {
	int listener;
	int ncalls;
	/* notifications the kernel withdrew (the call restarted); not counted */
	int withdrawn;
	unsigned long long args[CAPI_SPY_MAX][6];
	/* 0: run the call; a positive errno: fail it with that errno. args is
	 * the notification's own type: __u64 is unsigned long on ppc64 */
	int (*decide)(struct capi_spy *spy, const __u64 *args);
	void *ctx;
};

/* Returns 0, or -errno when seccomp user notification is unavailable. */
int capi_spy_install(struct capi_spy *spy, long nr);
/* The calls seen since the last capi_spy_reset. */
int capi_spy_calls(struct capi_spy *spy);
/* Before a spied call: the count back to 0 (see spy.c for 32-bit Arm). */
void capi_spy_reset(struct capi_spy *spy);

#endif
