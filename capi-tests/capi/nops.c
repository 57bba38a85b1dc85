/* SPDX-License-Identifier: MIT */
/*
 * Volume: ten million NOPs (CAPI_NOPS overrides) submitted in batches of
 * 32, each with its own user_data, reaped with io_uring_peek_batch_cqe +
 * io_uring_cq_advance. A bitmap proves every user_data comes back exactly
 * once with res 0. Variants: a plain ring, a CQE32 ring (every CQE's extra
 * words must be zero), and a 32/32 ring reaped 7 at a time so that batches
 * straddle the wrap point at every possible offset.
 */
#include "capi.h"

#include <time.h>

#define BATCH 32

struct variant {
	const char *name;
	unsigned sq, cq;	/* cq 0: the default (2 * sq) */
	unsigned flags;
	unsigned reap;		/* max CQEs per peek_batch_cqe */
	unsigned tag;		/* top byte of user_data */
};

static unsigned char *bitmap;

static int test_and_set(uint64_t i)
{
	unsigned char bit = (unsigned char)(1u << (i & 7));
	int was = (bitmap[i >> 3] & bit) != 0;

	bitmap[i >> 3] |= bit;
	return was;
}

static void run_variant(const struct variant *v, uint64_t total)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqes[256];
	uint64_t next = 0, reaped = 0, dup = 0, foreign = 0, badres = 0, badbig = 0;
	uint64_t inflight = 0, waits = 0, short_submits = 0, laps, set = 0, i;
	char what[160];
	struct timespec t0, t1;
	double secs;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = v->flags;
	if (v->cq) {
		p.flags |= IORING_SETUP_CQSIZE;
		p.cq_entries = v->cq;
	}
	ret = io_uring_queue_init_params(v->sq, &ring, &p);
	snprintf(what, sizeof(what), "%s: queue_init_params(%u)", v->name, v->sq);
	if (!capi_require(ret == 0, what, ret))
		return;
	memset(bitmap, 0, (total + 7) / 8);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	while (reaped < total) {
		/* top up: one batch of 32 whenever the CQ has room for it */
		if (next < total && inflight + BATCH <= ring.cq.ring_entries) {
			unsigned n = (unsigned)((total - next) < BATCH ? total - next : BATCH);
			unsigned k;

			for (k = 0; k < n; k++) {
				struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

				if (!sqe)
					break;
				io_uring_prep_nop(sqe);
				sqe->user_data = ((uint64_t)v->tag << 56) | (next + k);
			}
			ret = io_uring_submit(&ring);
			if (ret != (int)k) {
				short_submits++;
				if (ret < 0)
					break;
			}
			next += k;
			inflight += k;
		}
		{
			unsigned got = io_uring_peek_batch_cqe(&ring, cqes, v->reap);

			if (!got) {
				struct io_uring_cqe *cqe;

				if (next < total && inflight + BATCH <= ring.cq.ring_entries)
					continue;
				waits++;
				ret = io_uring_wait_cqe(&ring, &cqe);
				if (ret < 0)
					break;
				continue;
			}
			for (i = 0; i < got; i++) {
				uint64_t ud = cqes[i]->user_data;
				uint64_t seq = ud & ((1ULL << 56) - 1);

				if ((ud >> 56) != v->tag || seq >= total)
					foreign++;
				else if (test_and_set(seq))
					dup++;
				if (cqes[i]->res != 0 || cqes[i]->flags != 0)
					badres++;
				if ((v->flags & IORING_SETUP_CQE32) &&
				    (cqes[i]->big_cqe[0] || cqes[i]->big_cqe[1]))
					badbig++;
			}
			io_uring_cq_advance(&ring, got);
			reaped += got;
			inflight -= got;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < (total + 7) / 8; i++)
		set += (uint64_t)__builtin_popcount(bitmap[i]);
	laps = reaped / ring.cq.ring_entries;

	snprintf(what, sizeof(what), "%s: all %llu NOPs submitted and reaped", v->name,
		 (unsigned long long)total);
	CHECK(next == total && reaped == total, what, "submitted %llu reaped %llu (ret %d)",
	      (unsigned long long)next, (unsigned long long)reaped, ret);
	snprintf(what, sizeof(what), "%s: every user_data exactly once (bitmap)", v->name);
	CHECK(set == total && dup == 0 && foreign == 0, what,
	      "%llu distinct, %llu duplicates, %llu unknown", (unsigned long long)set,
	      (unsigned long long)dup, (unsigned long long)foreign);
	snprintf(what, sizeof(what), "%s: every CQE res 0, flags 0", v->name);
	CHECK(badres == 0, what, "%llu bad", (unsigned long long)badres);
	if (v->flags & IORING_SETUP_CQE32) {
		snprintf(what, sizeof(what), "%s: every CQE32's extra words zero", v->name);
		CHECK(badbig == 0, what, "%llu bad", (unsigned long long)badbig);
	}
	snprintf(what, sizeof(what), "%s: every submit took the whole batch", v->name);
	CHECK(short_submits == 0, what, "%llu short", (unsigned long long)short_submits);
	snprintf(what, sizeof(what), "%s: CQ and SQ empty at the end", v->name);
	CHECK(io_uring_cq_ready(&ring) == 0 && io_uring_sq_ready(&ring) == 0 &&
	      *ring.cq.khead == *ring.cq.ktail, what);
	snprintf(what, sizeof(what), "%s: ring head/tail counters wrapped consistently", v->name);
	CHECK(*ring.cq.khead == (unsigned)total && *ring.sq.khead == (unsigned)total, what,
	      "cq head %u sq head %u", *ring.cq.khead, *ring.sq.khead);
	printf("INFO nops: %s: %llu NOPs in %.2fs (%.1f M/s), %llu CQ laps, %llu waits\n",
	       v->name, (unsigned long long)total, secs, total / secs / 1e6,
	       (unsigned long long)laps, (unsigned long long)waits);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	static const struct variant variants[] = {
		{ "plain 64/128", 64, 0, 0, 256, 0x11 },
		{ "CQE32 64/128", 64, 0, IORING_SETUP_CQE32, 256, 0x22 },
		{ "small 32/32 reaped by 7", 32, 32, 0, 7, 0x33 },
	};
	const char *env = getenv("CAPI_NOPS");
	uint64_t total = env ? strtoull(env, NULL, 0) : 10000000ULL;
	unsigned i;

	capi_begin("nops");
	capi_check_loaded_library();
	if (total == 0 || total >= (1ULL << 40)) {
		capi_failf("CAPI_NOPS", "bad count %s", env);
		return capi_done();
	}
	bitmap = malloc((total + 7) / 8);
	if (!capi_require(bitmap != NULL, "bitmap allocated", 0))
		return capi_done();
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		run_variant(&variants[i], total);
	free(bitmap);
	return capi_done();
}
