/* SPDX-License-Identifier: MIT */
/*
 * Differential test: liburing's inline helpers, compiled from a C header,
 * against the Rust exports of liburing-ffi.so.2, in one process.
 *
 * Every helper runs on identical inputs twice: the C version (the header's
 * static inline function) on one copy of the state, the Rust version (found
 * with dlsym in liburing-ffi.so.2, typed with __typeof__ of the C helper so
 * both take the same C arguments) on another copy. Then everything is
 * compared: all 128 bytes of the SQE buffer for prep helpers, and for ring
 * helpers the whole simulated ring (kernel words, SQE and CQE arrays, buffer
 * ring, the struct io_uring itself) plus return values and out-parameters
 * (pointers compared as offsets into their own copy).
 *
 * Inputs are random (xorshift, seed from FFI_DIFF_SEED) with a bias towards
 * edge values (0, all ones, IORING_FILE_INDEX_ALLOC, sign bits, indexes near
 * 32-bit wraparound). The SQE buffers start out as random garbage, so a
 * helper that writes a field the C version leaves alone (or the reverse)
 * shows up.
 *
 * usage: ffi_diff <liburing-ffi.so.2> <required-helpers-file> [iterations]
 * The required file lists the inline helpers of the header under test that
 * liburing-ffi exports; the test fails if any of them was not exercised.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <liburing.h>

/* ---- bookkeeping ---- */

static long iters = 3000;
static void *ffi;
static unsigned long failures;
static unsigned long comparisons;

#define MAX_COVERED 512
static const char *covered_names[MAX_COVERED];
static int nr_covered;

static void covered(const char *name)
{
	if (nr_covered < MAX_COVERED)
		covered_names[nr_covered++] = name;
}

static void *sym(const char *name)
{
	void *p = dlsym(ffi, name);

	if (!p) {
		fprintf(stderr, "FAIL: liburing-ffi does not export %s\n", name);
		exit(1);
	}
	return p;
}

#define MAX_FAILING 256
static struct { const char *name; unsigned long count; } failing[MAX_FAILING];
static int nr_failing;

static void fail(const char *name, long it, const char *what)
{
	int i;

	failures++;
	for (i = 0; i < nr_failing; i++)
		if (!strcmp(failing[i].name, name))
			break;
	if (i == nr_failing && nr_failing < MAX_FAILING)
		failing[nr_failing++].name = name;
	if (i < MAX_FAILING && failing[i].count++ < 3)
		fprintf(stderr, "MISMATCH %s (iteration %ld): %s\n", name, it, what);
}

/* ---- random inputs ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

/* A 64-bit value, often an edge case. */
static uint64_t rv(void)
{
	switch (rnd() % 12) {
	case 0: return 0;
	case 1: return ~0ULL;
	case 2: return 0xffffffffULL;		/* IORING_FILE_INDEX_ALLOC */
	case 3: return 0xfffffffeULL;
	case 4: return 0x80000000ULL;
	case 5: return 1;
	case 6: return rnd() % 16;
	case 7: return (uint64_t)(int64_t)(int32_t) rnd();	/* sign-extended */
	case 8: return 1ULL << (rnd() % 64);
	case 9: return 0xffffULL;
	default: return rnd();
	}
}

/* A 32-bit ring index, often close to wrapping. */
static unsigned rindex32(void)
{
	switch (rnd() % 4) {
	case 0: return 0xffffffffu - (unsigned) (rnd() % 80);
	case 1: return (unsigned) (rnd() % 80);
	default: return (unsigned) rnd();
	}
}

static uint64_t v[10];
static void *p[10];
#define V0 v[0]
#define V1 v[1]
#define V2 v[2]
#define V3 v[3]
#define V4 v[4]
#define V5 v[5]
#define V6 v[6]
#define P0 p[0]
#define P1 p[1]
#define P2 p[2]
#define P3 p[3]
#define P4 p[4]
#define P5 p[5]

static void new_values(void)
{
	for (int i = 0; i < 10; i++) {
		v[i] = rv();
		p[i] = (void *) (uintptr_t) rv();
	}
}

/* ---- prep helpers: two SQE buffers with the same garbage ---- */

static _Alignas(64) unsigned char cbuf[128], rbuf[128];

static void fill_garbage(void)
{
	switch (rnd() % 8) {
	case 0: memset(cbuf, 0, sizeof(cbuf)); break;
	case 1: memset(cbuf, 0xff, sizeof(cbuf)); break;
	default:
		for (size_t i = 0; i < sizeof(cbuf); i += 8) {
			uint64_t x = rnd();
			memcpy(cbuf + i, &x, 8);
		}
	}
	memcpy(rbuf, cbuf, sizeof(cbuf));
}

static int nr_prep;

static void check_sqe(const char *name, long it)
{
	comparisons++;
	if (memcmp(cbuf, rbuf, sizeof(cbuf))) {
		char what[512];
		int n = 0;

		for (int i = 0; i < 128 && n < 400; i++)
			if (cbuf[i] != rbuf[i])
				n += snprintf(what + n, sizeof(what) - n,
					      "[%d] C=%02x Rust=%02x ", i, cbuf[i], rbuf[i]);
		fail(name, it, what);
	}
}

/*
 * SQE(helper, args...): S is the SQE, V<n> random integers (converted to
 * each parameter's C type by the call), P<n> random pointers.
 */
#define SQE_TEST(fn, count, ...) do {						\
	__typeof__(&fn) rs_ = (__typeof__(&fn)) sym(#fn);			\
	for (long it_ = 0; it_ < iters; it_++) {				\
		struct io_uring_sqe *S;						\
		new_values();							\
		fill_garbage();							\
		S = (struct io_uring_sqe *) cbuf; fn(__VA_ARGS__);		\
		S = (struct io_uring_sqe *) rbuf; rs_(__VA_ARGS__);		\
		check_sqe(#fn, it_);						\
	}									\
	covered(#fn);								\
	nr_prep += count;							\
} while (0)

#define SQE(fn, ...) SQE_TEST(fn, 1, __VA_ARGS__)
#define SQE_OTHER(fn, ...) SQE_TEST(fn, 0, __VA_ARGS__)

static void test_prep(void)
{
	SQE(io_uring_prep_rw, (int) V0, S, V1, P2, V3, V4);
	SQE(io_uring_prep_splice, S, V0, V1, V2, V3, V4, V5);
	SQE(io_uring_prep_tee, S, V0, V1, V2, V3);
	SQE(io_uring_prep_readv, S, V0, P1, V2, V3);
	SQE(io_uring_prep_readv2, S, V0, P1, V2, V3, V4);
	SQE(io_uring_prep_read_fixed, S, V0, P1, V2, V3, V4);
	SQE(io_uring_prep_readv_fixed, S, V0, P1, V2, V3, V4, V5);
	SQE(io_uring_prep_writev, S, V0, P1, V2, V3);
	SQE(io_uring_prep_writev2, S, V0, P1, V2, V3, V4);
	SQE(io_uring_prep_write_fixed, S, V0, P1, V2, V3, V4);
	SQE(io_uring_prep_writev_fixed, S, V0, P1, V2, V3, V4, V5);
	SQE(io_uring_prep_recvmsg, S, V0, P1, V2);
	SQE(io_uring_prep_recvmsg_multishot, S, V0, P1, V2);
	SQE(io_uring_prep_sendmsg, S, V0, P1, V2);
	SQE(io_uring_prep_poll_add, S, V0, V1);
	SQE(io_uring_prep_poll_multishot, S, V0, V1);
	SQE(io_uring_prep_poll_remove, S, V0);
	SQE(io_uring_prep_poll_update, S, V0, V1, V2, V3);
	SQE(io_uring_prep_fsync, S, V0, V1);
	SQE(io_uring_prep_nop, S);
	SQE(io_uring_prep_nop128, S);
	SQE(io_uring_prep_timeout, S, P0, V1, V2);
	SQE(io_uring_prep_timeout_remove, S, V0, V1);
	SQE(io_uring_prep_timeout_update, S, P0, V1, V2);
	SQE(io_uring_prep_accept, S, V0, P1, P2, V3);
	SQE(io_uring_prep_accept_direct, S, V0, P1, P2, V3, V4);
	SQE(io_uring_prep_multishot_accept, S, V0, P1, P2, V3);
	SQE(io_uring_prep_multishot_accept_direct, S, V0, P1, P2, V3);
	SQE(io_uring_prep_cancel64, S, V0, V1);
	SQE(io_uring_prep_cancel, S, P0, V1);
	SQE(io_uring_prep_cancel_fd, S, V0, V1);
	SQE(io_uring_prep_link_timeout, S, P0, V1);
	SQE(io_uring_prep_connect, S, V0, P1, V2);
	SQE(io_uring_prep_bind, S, V0, P1, V2);
	SQE(io_uring_prep_listen, S, V0, V1);
	SQE(io_uring_prep_epoll_wait, S, V0, P1, V2, V3);
	SQE(io_uring_prep_files_update, S, P0, V1, V2);
	SQE(io_uring_prep_fallocate, S, V0, V1, V2, V3);
	SQE(io_uring_prep_openat, S, V0, P1, V2, V3);
	SQE(io_uring_prep_openat_direct, S, V0, P1, V2, V3, V4);
	SQE(io_uring_prep_open, S, P0, V1, V2);
	SQE(io_uring_prep_open_direct, S, P0, V1, V2, V3);
	SQE(io_uring_prep_close, S, V0);
	SQE(io_uring_prep_close_direct, S, V0);
	SQE(io_uring_prep_read, S, V0, P1, V2, V3);
	SQE(io_uring_prep_read_multishot, S, V0, V1, V2, V3);
	SQE(io_uring_prep_write, S, V0, P1, V2, V3);
	SQE(io_uring_prep_statx, S, V0, P1, V2, V3, P4);
	SQE(io_uring_prep_fadvise, S, V0, V1, V2, V3);
	SQE(io_uring_prep_madvise, S, P0, V1, V2);
	SQE(io_uring_prep_fadvise64, S, V0, V1, V2, V3);
	SQE(io_uring_prep_madvise64, S, P0, V1, V2);
	SQE(io_uring_prep_send, S, V0, P1, V2, V3);
	SQE(io_uring_prep_send_bundle, S, V0, V1, V2);
	SQE(io_uring_prep_send_set_addr, S, P0, V1);
	SQE(io_uring_prep_sendto, S, V0, P1, V2, V3, P4, V5);
	SQE(io_uring_prep_send_zc, S, V0, P1, V2, V3, V4);
	SQE(io_uring_prep_send_zc_fixed, S, V0, P1, V2, V3, V4, V5);
	SQE(io_uring_prep_sendmsg_zc, S, V0, P1, V2);
	SQE(io_uring_prep_sendmsg_zc_fixed, S, V0, P1, V2, V3);
	SQE(io_uring_prep_recv, S, V0, P1, V2, V3);
	SQE(io_uring_prep_recv_multishot, S, V0, P1, V2, V3);
	SQE(io_uring_prep_openat2, S, V0, P1, P2);
	SQE(io_uring_prep_openat2_direct, S, V0, P1, P2, V3);
	SQE(io_uring_prep_epoll_ctl, S, V0, V1, V2, P3);
	SQE(io_uring_prep_provide_buffers, S, P0, V1, V2, V3, V4);
	SQE(io_uring_prep_remove_buffers, S, V0, V1);
	SQE(io_uring_prep_shutdown, S, V0, V1);
	SQE(io_uring_prep_unlinkat, S, V0, P1, V2);
	SQE(io_uring_prep_unlink, S, P0, V1);
	SQE(io_uring_prep_renameat, S, V0, P1, V2, P3, V4);
	SQE(io_uring_prep_rename, S, P0, P1);
	SQE(io_uring_prep_sync_file_range, S, V0, V1, V2, V3);
	SQE(io_uring_prep_mkdirat, S, V0, P1, V2);
	SQE(io_uring_prep_mkdir, S, P0, V1);
	SQE(io_uring_prep_symlinkat, S, P0, V1, P2);
	SQE(io_uring_prep_symlink, S, P0, P1);
	SQE(io_uring_prep_linkat, S, V0, P1, V2, P3, V4);
	SQE(io_uring_prep_link, S, P0, P1, V2);
	SQE(io_uring_prep_msg_ring_cqe_flags, S, V0, V1, V2, V3, V4);
	SQE(io_uring_prep_msg_ring, S, V0, V1, V2, V3);
	SQE(io_uring_prep_msg_ring_fd, S, V0, V1, V2, V3, V4);
	SQE(io_uring_prep_msg_ring_fd_alloc, S, V0, V1, V2, V3);
	SQE(io_uring_prep_getxattr, S, P0, P1, P2, V3);
	SQE(io_uring_prep_setxattr, S, P0, P1, P2, V3, V4);
	SQE(io_uring_prep_fgetxattr, S, V0, P1, P2, V3);
	SQE(io_uring_prep_fsetxattr, S, V0, P1, P2, V3, V4);
	SQE(io_uring_prep_socket, S, V0, V1, V2, V3);
	SQE(io_uring_prep_socket_direct, S, V0, V1, V2, V3, V4);
	SQE(io_uring_prep_socket_direct_alloc, S, V0, V1, V2, V3);
	SQE(io_uring_prep_uring_cmd, S, V0, V1);
	SQE(io_uring_prep_uring_cmd128, S, V0, V1);
	SQE(io_uring_prep_cmd_sock, S, V0, V1, V2, V3, P4, V5);
	SQE(io_uring_prep_cmd_getsockname, S, V0, P1, P2, V3);
	SQE(io_uring_prep_waitid, S, V0, V1, P2, V3, V4);
	SQE(io_uring_prep_futex_wake, S, P0, V1, V2, V3, V4);
	SQE(io_uring_prep_futex_wait, S, P0, V1, V2, V3, V4);
	SQE(io_uring_prep_futex_waitv, S, P0, V1, V2);
	SQE(io_uring_prep_fixed_fd_install, S, V0, V1);
	SQE(io_uring_prep_ftruncate, S, V0, V1);
	SQE(io_uring_prep_cmd_discard, S, V0, V1, V2);
	SQE(io_uring_prep_pipe, S, P0, V1);
	SQE(io_uring_prep_pipe_direct, S, P0, V1, V2);

	SQE_OTHER(io_uring_sqe_set_data, S, P0);
	SQE_OTHER(io_uring_sqe_set_data64, S, V0);
	SQE_OTHER(io_uring_sqe_set_flags, S, V0);
	SQE_OTHER(io_uring_sqe_set_buf_group, S, V0);
}

/* ---- ring helpers on simulated rings ---- */

#define NE_MAX 64
/* An fd number no process has open: kernel entries fail with EBADF. */
#define BAD_FD 0x3fffffff

enum { W_SQ_HEAD, W_SQ_TAIL, W_SQ_FLAGS, W_SQ_DROPPED, W_CQ_HEAD, W_CQ_TAIL,
       W_CQ_FLAGS, W_CQ_OVERFLOW, W_NR };

struct sim {
	struct io_uring ring;
	unsigned words[W_NR];
	_Alignas(64) unsigned char sqes[NE_MAX * 128];
	_Alignas(64) unsigned char cqes[NE_MAX * 32];
	_Alignas(64) struct io_uring_buf bufs[NE_MAX];
	unsigned buf_entries;
};

static struct sim simc, simr;

static void fill_random(void *dst, size_t len)
{
	unsigned char *d = dst;

	for (size_t i = 0; i < len; i++)
		d[i] = (unsigned char) rnd();
}

static unsigned pow2(void)
{
	return 1u << (rnd() % 7);
}

/* Random flags of a CQE, mostly plausible. */
static unsigned cqe_flags(void)
{
	unsigned f = 0;

	if (rnd() % 4 == 0) f |= IORING_CQE_F_32;
	if (rnd() % 6 == 0) f |= IORING_CQE_F_SKIP;
	if (rnd() % 3 == 0) f |= (unsigned) rnd() & 0xffff001f;
	return f;
}

/* Builds a random ring state in simc and an identical copy in simr. */
static void random_sims(void)
{
	struct sim *s = &simc;
	static const unsigned setup_bits[] = {
		IORING_SETUP_SQPOLL, IORING_SETUP_IOPOLL, IORING_SETUP_SQE128,
		IORING_SETUP_CQE32, IORING_SETUP_CQE_MIXED, IORING_SETUP_SQE_MIXED,
	};
	unsigned sq_entries = pow2(), cq_entries = pow2();
	unsigned flags = 0, head;

	new_values();
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sizeof(setup_bits) / sizeof(setup_bits[0]); i++)
		if (rnd() % 4 == 0)
			flags |= setup_bits[i];
	/* Mostly the shapes the kernel allows. */
	if (rnd() % 8) {
		if ((flags & IORING_SETUP_SQE128) && (flags & IORING_SETUP_SQE_MIXED))
			flags &= ~IORING_SETUP_SQE_MIXED;
		if ((flags & IORING_SETUP_CQE32) && (flags & IORING_SETUP_CQE_MIXED))
			flags &= ~IORING_SETUP_CQE_MIXED;
	}

	fill_random(s->sqes, sizeof(s->sqes));
	fill_random(s->cqes, sizeof(s->cqes));
	fill_random(s->bufs, sizeof(s->bufs));
	for (unsigned i = 0; i < NE_MAX * 2; i++) {
		struct io_uring_cqe *c = (struct io_uring_cqe *) (s->cqes + 16 * i);

		c->flags = cqe_flags();
		if (rnd() % 5 == 0)
			c->user_data = LIBURING_UDATA_TIMEOUT;
		switch (rnd() % 6) {
		case 0: c->res = -(int) (rnd() % 140); break;
		case 1: c->res = -1; break;
		case 2: c->res = 0; break;
		default: break;
		}
	}

	head = rindex32();
	s->words[W_SQ_HEAD] = head;
	s->ring.sq.sqe_tail = head + (unsigned) (rnd() % (sq_entries + 2));
	s->ring.sq.sqe_head = rnd() % 2 ? s->ring.sq.sqe_tail : head;
	s->words[W_SQ_TAIL] = s->ring.sq.sqe_head;
	head = rindex32();
	s->words[W_CQ_HEAD] = head;
	s->words[W_CQ_TAIL] = head + (unsigned) (rnd() % (cq_entries + 1));
	/*
	 * Between head and tail the CQ is well formed, as the kernel keeps it:
	 * a 32-byte entry never sticks out past the tail. (Otherwise the head
	 * could step over the tail, and a peek over a ring full of skip entries
	 * would walk forever, in liburing as well.)
	 */
	for (unsigned pos = head; pos != s->words[W_CQ_TAIL];) {
		unsigned shift = !!(flags & IORING_SETUP_CQE32);
		struct io_uring_cqe *c = (struct io_uring_cqe *)
			(s->cqes + 16 * ((size_t) (pos & (cq_entries - 1)) << shift));

		if ((c->flags & IORING_CQE_F_32) && s->words[W_CQ_TAIL] - pos < 2)
			c->flags &= ~IORING_CQE_F_32;
		pos += (c->flags & IORING_CQE_F_32) ? 2 : 1;
	}
	s->words[W_SQ_FLAGS] = (unsigned) rnd() & (rnd() % 2 ? 7 : 0);
	s->words[W_CQ_FLAGS] = (unsigned) rnd() & (rnd() % 2 ? 0xff : 1);

	s->ring.sq.khead = &s->words[W_SQ_HEAD];
	s->ring.sq.ktail = &s->words[W_SQ_TAIL];
	s->ring.sq.kflags = &s->words[W_SQ_FLAGS];
	s->ring.sq.kdropped = &s->words[W_SQ_DROPPED];
	s->ring.sq.sqes = (struct io_uring_sqe *) s->sqes;
	s->ring.sq.ring_mask = sq_entries - 1;
	s->ring.sq.ring_entries = sq_entries;
	s->ring.cq.khead = &s->words[W_CQ_HEAD];
	s->ring.cq.ktail = &s->words[W_CQ_TAIL];
	s->ring.cq.kflags = rnd() % 8 ? &s->words[W_CQ_FLAGS] : NULL;
	s->ring.cq.koverflow = &s->words[W_CQ_OVERFLOW];
	s->ring.cq.cqes = (struct io_uring_cqe *) s->cqes;
	s->ring.cq.ring_mask = cq_entries - 1;
	s->ring.cq.ring_entries = cq_entries;
	s->ring.flags = flags;
	s->ring.ring_fd = BAD_FD;
	s->ring.enter_ring_fd = BAD_FD;
	s->ring.features = rnd() % 2 ? IORING_FEAT_EXT_ARG : 0;
	s->buf_entries = pow2();

	/* The copy, with its pointers into its own memory. */
	memcpy(&simr, s, sizeof(*s));
#define REBASE(f) simr.ring.f = s->ring.f ? (void *) ((char *) &simr + ((char *) s->ring.f - (char *) s)) : NULL
	REBASE(sq.khead); REBASE(sq.ktail); REBASE(sq.kflags); REBASE(sq.kdropped);
	REBASE(sq.sqes); REBASE(cq.khead); REBASE(cq.ktail); REBASE(cq.kflags);
	REBASE(cq.koverflow); REBASE(cq.cqes);
#undef REBASE
}

/* Where a pointer handed out points, relative to its own simulated ring. */
static long off_in(const struct sim *s, const void *ptr)
{
	if (!ptr)
		return -1;
	if ((const char *) ptr < (const char *) s || (const char *) ptr >= (const char *) (s + 1))
		return -2 - (long) ((uintptr_t) ptr & 0xffff);	/* outside: compare low bits */
	return (const char *) ptr - (const char *) s;
}

/* A CQE slot of the ring, by a random unit index. */
static struct io_uring_cqe *cqe_at(struct sim *s, uint64_t r)
{
	return (struct io_uring_cqe *) (s->cqes + 16 * (r % (NE_MAX * 2)));
}

static void check_sims(const char *name, long it, const long *oc, const long *orr, int nout)
{
	struct io_uring rc = simc.ring, rr = simr.ring;
	char what[256];

	comparisons++;
	for (int i = 0; i < nout; i++) {
		if (oc[i] != orr[i]) {
			snprintf(what, sizeof(what), "result %d: C=%ld Rust=%ld", i, oc[i], orr[i]);
			fail(name, it, what);
			return;
		}
	}
	if (memcmp(simc.words, simr.words, sizeof(simc.words))) {
		snprintf(what, sizeof(what), "ring words differ: sq head %u/%u, cq head %u/%u, cq flags %u/%u",
			 simc.words[W_SQ_HEAD], simr.words[W_SQ_HEAD], simc.words[W_CQ_HEAD],
			 simr.words[W_CQ_HEAD], simc.words[W_CQ_FLAGS], simr.words[W_CQ_FLAGS]);
		fail(name, it, what);
		return;
	}
	if (memcmp(simc.sqes, simr.sqes, sizeof(simc.sqes))) {
		fail(name, it, "SQE array differs");
		return;
	}
	if (memcmp(simc.cqes, simr.cqes, sizeof(simc.cqes))) {
		fail(name, it, "CQE array differs");
		return;
	}
	if (memcmp(simc.bufs, simr.bufs, sizeof(simc.bufs))) {
		fail(name, it, "buffer ring differs");
		return;
	}
	/* struct io_uring: compare with the pointers taken as offsets. */
#define NORM(r, s, f) r.f = (void *) (uintptr_t) off_in(&s, r.f)
	NORM(rc, simc, sq.khead); NORM(rc, simc, sq.ktail); NORM(rc, simc, sq.kflags);
	NORM(rc, simc, sq.kdropped); NORM(rc, simc, sq.sqes); NORM(rc, simc, cq.khead);
	NORM(rc, simc, cq.ktail); NORM(rc, simc, cq.kflags); NORM(rc, simc, cq.koverflow);
	NORM(rc, simc, cq.cqes);
	NORM(rr, simr, sq.khead); NORM(rr, simr, sq.ktail); NORM(rr, simr, sq.kflags);
	NORM(rr, simr, sq.kdropped); NORM(rr, simr, sq.sqes); NORM(rr, simr, cq.khead);
	NORM(rr, simr, cq.ktail); NORM(rr, simr, cq.kflags); NORM(rr, simr, cq.koverflow);
	NORM(rr, simr, cq.cqes);
#undef NORM
	if (memcmp(&rc, &rr, sizeof(rc))) {
		snprintf(what, sizeof(what), "struct io_uring differs: sqe_tail %u/%u sqe_head %u/%u",
			 simc.ring.sq.sqe_tail, simr.ring.sq.sqe_tail, simc.ring.sq.sqe_head,
			 simr.ring.sq.sqe_head);
		fail(name, it, what);
	}
}

/*
 * RING(helper, body): body runs once on the C ring with F = the C helper and
 * once on the Rust ring with F = the export; R is the ring, SIM the whole
 * simulated state, OUT[] collects results to compare.
 */
#define RING_N(fn, nout, ...) do {						\
	__typeof__(&fn) rs_ = (__typeof__(&fn)) sym(#fn);			\
	for (long it_ = 0; it_ < iters; it_++) {				\
		long out_c[8] = { 0 }, out_r[8] = { 0 };			\
		random_sims();							\
		{ struct sim *SIM = &simc; struct io_uring *R = &SIM->ring;	\
		  __typeof__(&fn) F = fn; long *OUT = out_c;			\
		  (void) R; (void) OUT; __VA_ARGS__; }				\
		{ struct sim *SIM = &simr; struct io_uring *R = &SIM->ring;	\
		  __typeof__(&fn) F = rs_; long *OUT = out_r;			\
		  (void) R; (void) OUT; __VA_ARGS__; }				\
		check_sims(#fn, it_, out_c, out_r, nout);			\
	}									\
	covered(#fn);								\
} while (0)
#define RING(fn, ...) RING_N(fn, 8, __VA_ARGS__)

static struct io_uring_sqe *(*rs_get_sqe)(struct io_uring *);

static void test_ring(void)
{
	RING(io_uring_cq_ready, OUT[0] = F(R));
	RING(io_uring_sq_ready, OUT[0] = F(R));
	RING(io_uring_sq_space_left, OUT[0] = F(R));
	RING(io_uring_cq_has_overflow, OUT[0] = F(R));
	RING(io_uring_cq_eventfd_enabled, OUT[0] = F(R));
	RING(io_uring_cq_eventfd_toggle, OUT[0] = F(R, V0 & 1));
	RING(io_uring_cq_advance, F(R, (unsigned) (V0 % 4 ? V0 % 70 : V0)));
	RING(io_uring_cqe_seen, F(R, V0 % 5 ? cqe_at(SIM, V1) : NULL));
	RING(io_uring_cqe_nr, OUT[0] = F(cqe_at(SIM, V1)));
	RING(io_uring_cqe_get_data, OUT[0] = (long) F(cqe_at(SIM, V1)));
	RING(io_uring_cqe_get_data64, OUT[0] = (long) F(cqe_at(SIM, V1)));
	RING(__io_uring_peek_cqe,
	     struct io_uring_cqe *c = (void *) 8; unsigned nr = 12345;
	     OUT[0] = F(R, &c, V0 & 1 ? &nr : NULL);
	     OUT[1] = off_in(SIM, c); OUT[2] = nr);
	RING(io_uring_peek_cqe,
	     struct io_uring_cqe *c = (void *) 8;
	     OUT[0] = F(R, &c); OUT[1] = OUT[0] ? 0 : off_in(SIM, c));
	RING(io_uring_wait_cqe,
	     struct io_uring_cqe *c = (void *) 8;
	     OUT[0] = F(R, &c); OUT[1] = OUT[0] ? 0 : off_in(SIM, c));
	RING(io_uring_wait_cqe_nr,
	     struct io_uring_cqe *c = (void *) 8;
	     OUT[0] = F(R, &c, (unsigned) (V0 % 4)); OUT[1] = OUT[0] ? 0 : off_in(SIM, c));
	RING(io_uring_cqe_iter_init,
	     struct io_uring_cqe_iter it = F(R);
	     OUT[0] = off_in(SIM, it.cqes); OUT[1] = it.mask; OUT[2] = it.shift;
	     OUT[3] = it.head; OUT[4] = it.tail);
	/* The iterator from the C init, walked by each side's next. */
	RING(io_uring_cqe_iter_next,
	     struct io_uring_cqe_iter it = io_uring_cqe_iter_init(R);
	     struct io_uring_cqe *c = NULL;
	     unsigned long h = 0; long n = 0;
	     while (n < 300 && F(&it, &c)) { h = h * 1000003 + (unsigned long) off_in(SIM, c); n++; }
	     OUT[0] = n; OUT[1] = (long) h; OUT[2] = it.head; OUT[3] = it.tail;
	     OUT[4] = off_in(SIM, it.cqes); OUT[5] = it.mask; OUT[6] = it.shift);
	RING(io_uring_get_sqe, OUT[0] = off_in(SIM, F(R)));
	RING(io_uring_get_sqe128, OUT[0] = off_in(SIM, F(R)));
	RING(io_uring_sqring_wait, OUT[0] = F(R));
	/* Several SQEs in a row, mixing sizes, so tails move through the wrap. */
	rs_get_sqe = (__typeof__(&io_uring_get_sqe)) sym("io_uring_get_sqe");
	RING(io_uring_get_sqe128,
	     __typeof__(&io_uring_get_sqe) G = SIM == &simc ? io_uring_get_sqe : rs_get_sqe;
	     for (int i = 0; i < 6; i++) OUT[i] = off_in(SIM, (v[i] & 1) ? F(R) : G(R)));

	/* Buffer rings (the ring memory is SIM->bufs). */
	RING(io_uring_buf_ring_mask, OUT[0] = F((__u32) V0));
	RING(io_uring_buf_ring_init, F((struct io_uring_buf_ring *) SIM->bufs));
	RING(io_uring_buf_ring_add,
	     F((struct io_uring_buf_ring *) SIM->bufs, P0, V1, V2,
	       io_uring_buf_ring_mask(SIM->buf_entries), (int) (V3 % 4 ? V3 % 200 : V3)));
	RING(io_uring_buf_ring_advance, F((struct io_uring_buf_ring *) SIM->bufs, (int) V0));
	RING(io_uring_buf_ring_cq_advance,
	     F(R, (struct io_uring_buf_ring *) SIM->bufs, (int) (V0 % 2 ? V0 % 70 : V0)));
	RING(__io_uring_buf_ring_cq_advance,
	     F(R, (struct io_uring_buf_ring *) SIM->bufs, (int) (V0 % 70), (int) V1));
	/* On a ring the kernel does not know: the kernel's error. */
	RING(io_uring_buf_ring_available,
	     OUT[0] = F(R, (struct io_uring_buf_ring *) SIM->bufs, (unsigned short) V0));
}

/* ---- probes ---- */

static void test_probe(void)
{
	static _Alignas(8) unsigned char buf[sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op)];
	struct io_uring_probe *pr = (struct io_uring_probe *) buf;
	int (*rs)(const struct io_uring_probe *, int) =
		(__typeof__(&io_uring_opcode_supported)) sym("io_uring_opcode_supported");

	for (long it = 0; it < iters; it++) {
		int op = (int) (rnd() % 300) - 20;

		fill_random(buf, sizeof(buf));
		if (rnd() % 2)
			op = (int) rv();
		comparisons++;
		if (io_uring_opcode_supported(pr, op) != rs(pr, op))
			fail("io_uring_opcode_supported", it, "result");
	}
	covered("io_uring_opcode_supported");
}

/* ---- multishot recvmsg buffers (read-only: same buffer for both) ---- */

#define PURE(fn, nout, ...) do {						\
	__typeof__(&fn) rs_ = (__typeof__(&fn)) sym(#fn);			\
	for (long it_ = 0; it_ < iters; it_++) {				\
		long out_c[8] = { 0 }, out_r[8] = { 0 };			\
		random_msg();							\
		{ __typeof__(&fn) F = fn; long *OUT = out_c; __VA_ARGS__; }	\
		{ __typeof__(&fn) F = rs_; long *OUT = out_r; __VA_ARGS__; }	\
		comparisons++;							\
		if (memcmp(out_c, out_r, sizeof(long) * nout)) {		\
			char w_[160];						\
			snprintf(w_, sizeof(w_), "C=%ld,%ld,%ld Rust=%ld,%ld,%ld",	\
				 out_c[0], out_c[1], out_c[2],			\
				 out_r[0], out_r[1], out_r[2]);			\
			fail(#fn, it_, w_);					\
		}								\
	}									\
	covered(#fn);								\
} while (0)

static _Alignas(16) unsigned char mbuf[1024];
static struct msghdr mh;
static int mlen;
#define MO ((struct io_uring_recvmsg_out *) mbuf)

static long moff(const void *ptr)
{
	return ptr ? (const unsigned char *) ptr - mbuf : -1;
}

static uint64_t small_or_edge(uint64_t range)
{
	return rnd() % 6 ? rnd() % range : rv();
}

static void random_msg(void)
{
	fill_random(mbuf, sizeof(mbuf));
	memset(&mh, 0, sizeof(mh));
	mh.msg_namelen = (socklen_t) small_or_edge(64);
	mh.msg_controllen = (size_t) small_or_edge(256);
	mlen = (int) small_or_edge(600);
	MO->namelen = (unsigned) small_or_edge(64);
	/*
	 * The kernel's controllen bounds what nexthdr reads; keep it inside
	 * the buffer (validate and the msghdr fields still get edge values).
	 */
	MO->controllen = (unsigned) (rnd() % 257);
	/* Plausible control-message lengths along the area. */
	for (size_t off = sizeof(struct io_uring_recvmsg_out) + mh.msg_namelen % 64;
	     off + sizeof(struct cmsghdr) <= sizeof(mbuf); off += 8) {
		struct cmsghdr *cm = (struct cmsghdr *) (mbuf + off);

		/*
		 * Lengths up to 4 GiB: larger ones wrap the address space, where
		 * liburing reads out of bounds and ours stops (see recvmsg.rs).
		 */
		if (rnd() % 3)
			cm->cmsg_len = (size_t) (uint32_t) small_or_edge(48);
	}
	new_values();
}

static struct cmsghdr *first_cmsg(void)
{
	return (struct cmsghdr *) (mbuf + sizeof(struct io_uring_recvmsg_out) + mh.msg_namelen);
}

static void test_recvmsg(void)
{
	PURE(io_uring_recvmsg_validate, 1, OUT[0] = moff(F(mbuf, mlen, &mh)));
	PURE(io_uring_recvmsg_name, 1, OUT[0] = moff(F(MO)));
	PURE(io_uring_recvmsg_cmsg_firsthdr, 1, OUT[0] = moff(F(MO, &mh)));
	/* Walk the chain from the first header while it stays in the buffer. */
	PURE(io_uring_recvmsg_cmsg_nexthdr, 3,
	     struct cmsghdr *cm = mh.msg_namelen < 64 ? first_cmsg() : NULL;
	     unsigned long h = 0; long n = 0;
	     while (cm && n < 64) {
		     cm = F(MO, &mh, cm);
		     h = h * 1000003 + (unsigned long) moff(cm); n++;
		     if (cm && (unsigned char *) cm + 2 * sizeof(*cm) > mbuf + sizeof(mbuf))
			     break;
	     }
	     OUT[0] = n; OUT[1] = (long) h; OUT[2] = moff(cm));
	PURE(io_uring_recvmsg_payload, 1, OUT[0] = moff(F(MO, &mh)));
	PURE(io_uring_recvmsg_payload_length, 1, OUT[0] = F(MO, mlen, &mh));
}

/* ---- a real ring: buffer ring head from the kernel, CQEs from the kernel ---- */

static void test_real_ring(void)
{
	int (*rs_avail)(struct io_uring *, struct io_uring_buf_ring *, unsigned short) =
		(__typeof__(&io_uring_buf_ring_available)) sym("io_uring_buf_ring_available");
	int (*rs_wait)(struct io_uring *, struct io_uring_cqe **) =
		(__typeof__(&io_uring_wait_cqe)) sym("io_uring_wait_cqe");
	int (*rs_peek)(struct io_uring *, struct io_uring_cqe **) =
		(__typeof__(&io_uring_peek_cqe)) sym("io_uring_peek_cqe");
	void (*rs_seen)(struct io_uring *, struct io_uring_cqe *) =
		(__typeof__(&io_uring_cqe_seen)) sym("io_uring_cqe_seen");
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	int ret, err = 0;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret) {
		fprintf(stderr, "real ring: io_uring_queue_init: %s (skipped)\n", strerror(-ret));
		return;
	}
	br = io_uring_setup_buf_ring(&ring, 16, 3, 0, &err);
	if (!br) {
		fprintf(stderr, "real ring: io_uring_setup_buf_ring: %s\n", strerror(-err));
		failures++;
		io_uring_queue_exit(&ring);
		return;
	}
	for (int round = 0; round < 40; round++) {
		int c, r;

		io_uring_buf_ring_advance(br, (int) (rnd() % 17));
		c = io_uring_buf_ring_available(&ring, br, 3);
		r = rs_avail(&ring, br, 3);
		comparisons++;
		if (c != r || c < 0)
			fail("io_uring_buf_ring_available", round, "real ring");
		/* A group that does not exist. */
		c = io_uring_buf_ring_available(&ring, br, 9);
		r = rs_avail(&ring, br, 9);
		comparisons++;
		if (c != r || c >= 0)
			fail("io_uring_buf_ring_available", round, "unknown group");
	}
	io_uring_free_buf_ring(&ring, br, 16, 3);

	for (int round = 0; round < 40; round++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cc = NULL, *rc = NULL;
		int c, r;

		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 1000 + round);
		io_uring_submit(&ring);
		c = io_uring_wait_cqe(&ring, &cc);
		r = rs_wait(&ring, &rc);
		comparisons++;
		if (c || r || cc != rc || cc->user_data != (unsigned) (1000 + round))
			fail("io_uring_wait_cqe", round, "real ring");
		if (round % 2)
			io_uring_cqe_seen(&ring, cc);
		else
			rs_seen(&ring, rc);
		c = io_uring_peek_cqe(&ring, &cc);
		r = rs_peek(&ring, &rc);
		comparisons++;
		if (c != -EAGAIN || r != -EAGAIN)
			fail("io_uring_peek_cqe", round, "real ring, empty CQ");
	}
	io_uring_queue_exit(&ring);
}

/* ---- coverage ---- */

static int is_covered(const char *name)
{
	for (int i = 0; i < nr_covered; i++)
		if (!strcmp(covered_names[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char line[256];
	const char *seed_env = getenv("FFI_DIFF_SEED");
	int required = 0, missing = 0;
	FILE *req;

	if (argc < 3) {
		fprintf(stderr, "usage: %s <liburing-ffi.so.2> <required-helpers> [iterations]\n", argv[0]);
		return 2;
	}
	if (argc > 3)
		iters = atol(argv[3]);
	rng_state = seed_env ? strtoull(seed_env, NULL, 0) : 0x9e3779b97f4a7c15ULL;
	if (!rng_state)
		rng_state = 1;
	printf("ffi-diff: seed 0x%" PRIx64 ", %ld iterations per helper\n", rng_state, iters);

	ffi = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!ffi) {
		fprintf(stderr, "FAIL: dlopen %s: %s\n", argv[1], dlerror());
		return 1;
	}

	test_prep();
	test_ring();
	test_probe();
	test_recvmsg();
	test_real_ring();

	printf("ffi-diff: covered %d helpers (%d prep helpers):", nr_covered, nr_prep);
	for (int i = 0; i < nr_covered; i++)
		if (i == 0 || strcmp(covered_names[i], covered_names[i - 1]))
			printf(" %s", covered_names[i]);
	printf("\n");

	req = fopen(argv[2], "r");
	if (!req) {
		fprintf(stderr, "FAIL: cannot open %s\n", argv[2]);
		return 1;
	}
	while (fgets(line, sizeof(line), req)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		required++;
		if (!is_covered(line)) {
			fprintf(stderr, "FAIL: helper %s is not covered by the differential test\n", line);
			missing++;
		}
	}
	fclose(req);

	printf("ffi-diff: %d required helpers, %d not covered; %lu comparisons, %lu mismatches\n",
	       required, missing, comparisons, failures);
	for (int i = 0; i < nr_failing; i++)
		fprintf(stderr, "FAIL: %s: %lu mismatches\n", failing[i].name, failing[i].count);
	if (nr_prep != 103) {
		fprintf(stderr, "FAIL: %d prep helpers exercised, expected 103\n", nr_prep);
		return 1;
	}
	if (missing || failures || !required)
		return 1;
	printf("ffi-diff: PASS\n");
	return 0;
}
