/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs test shim for the private "../src/lib.h" (used by upstream's
 * nolibc.t). Upstream's file holds the helpers of its libc-free build; our
 * library always links libc, so the only thing the test needs, the page
 * size, comes from the auxiliary vector the kernel hands every process.
 * nolibc.t therefore checks this shim, not our library: COMPATIBILITY.md
 * says so.
 */
#ifndef LIBURING_RS_TEST_SHIM_LIB_H
#define LIBURING_RS_TEST_SHIM_LIB_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>

static inline long get_page_size(void)
{
	unsigned long v = getauxval(AT_PAGESZ);

	return v ? (long)v : 4096;
}

#endif
