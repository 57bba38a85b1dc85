/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * Argument and memory-content generation (xorshift64*) for the generated
 * sqediff.c (capi-tests/header/gen.py) and the ring sequences of ffi_diff.c.
 * Each translation unit has its own state, set from the run's seed.
 */
#ifndef FFI_DIFF_RAND_H
#define FFI_DIFF_RAND_H

#include <stdint.h>
#include <stddef.h>

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static inline uint64_t rnd64(void)
{
	/* xorshift64* */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

/*
 * An argument value: often one of the edges that helpers treat specially
 * or that show sign/zero extension (IORING_FILE_INDEX_ALLOC is ~0U, -1 is
 * AT_FDCWD-like), otherwise random bits of a random width.
 */
static inline uint64_t rnd_arg(void)
{
	static const uint64_t edges[] = {
		0, 1, 2, 0x7f, 0xff, 0xffff, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff, ~0ULL, ~0ULL - 1, (uint64_t) -100,
		0x8000000000000000ULL,
	};
	uint64_t r = rnd64();

	switch (r & 3) {
	case 0:
		return edges[(r >> 8) % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return rnd64() & 0xffffffffULL;
	case 2:
		return (uint64_t) (int64_t) (int32_t) rnd64();
	default:
		return rnd64();
	}
}

/* Pre-fills an SQE with random bytes, so that every untouched byte shows. */
static inline void fill_sqe(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char) rnd64();
}

#endif
