/* Draining a full completion queue with io_uring_peek_batch_cqe.
 *
 *   cqdrain 16|32 <ops>
 *
 * The CQ has 4096 entries (16-byte CQEs, or 32-byte ones with
 * IORING_SETUP_CQE32). Each round fills it completely with NOPs (untimed),
 * then drains all 4096 with one io_uring_peek_batch_cqe call, checks every
 * CQE and advances the head (timed). A first partial round moves the head off
 * a multiple of 4096, so every drain crosses the wraparound of the CQ index.
 * Reported throughput is CQEs drained per second of draining.
 */
#include "bench.h"

#define CQ_ENTRIES 4096u
#define SQ_ENTRIES 256u
#define HEAD_OFFSET 1000u

static uint64_t fill(struct io_uring *ring, unsigned count, uint64_t seq)
{
	unsigned done = 0;

	while (done < count) {
		unsigned chunk = count - done, i;
		int ret;

		if (chunk > SQ_ENTRIES)
			chunk = SQ_ENTRIES;
		for (i = 0; i < chunk; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			BENCH_CHECK(sqe != NULL, "no SQE");
			io_uring_prep_nop(sqe);
			sqe->user_data = seq + done + i;
		}
		ret = io_uring_submit(ring);
		BENCH_CHECK(ret == (int)chunk, "submit returned %d, want %u", ret,
			    chunk);
		done += chunk;
	}
	BENCH_CHECK(io_uring_cq_ready(ring) == count, "%u CQEs ready, want %u",
		    io_uring_cq_ready(ring), count);
	return seq + count;
}

/* The timed part; its name is what callgrind's --toggle-collect selects. */
__attribute__((noinline)) void bench_drain(struct io_uring *ring,
					   struct io_uring_cqe **cqes,
					   unsigned count, uint64_t first,
					   int big)
{
	unsigned n, i;
	size_t stride = big ? 32 : 16;

	n = io_uring_peek_batch_cqe(ring, cqes, count);
	BENCH_CHECK(n == count, "peek_batch_cqe returned %u, want %u", n, count);
	for (i = 0; i < n; i++) {
		const struct io_uring_cqe *cqe = cqes[i];
		size_t idx = ((const char *)cqe - (const char *)ring->cq.cqes) / stride;

		BENCH_CHECK(cqe->user_data == first + i && cqe->res == 0,
			    "cqe %u: user_data %llu res %d, want %llu", i,
			    (unsigned long long)cqe->user_data, cqe->res,
			    (unsigned long long)(first + i));
		/* The i-th CQE sits at ring index (head + i) & mask. */
		BENCH_CHECK(idx == ((*ring->cq.khead + i) & (CQ_ENTRIES - 1)),
			    "cqe %u at slot %zu", i, idx);
		if (big)
			BENCH_CHECK(cqe->big_cqe[0] == 0 && cqe->big_cqe[1] == 0,
				    "cqe %u: big_cqe %llu %llu", i,
				    (unsigned long long)cqe->big_cqe[0],
				    (unsigned long long)cqe->big_cqe[1]);
	}
	io_uring_cq_advance(ring, n);
}

int main(int argc, char **argv)
{
	static struct io_uring_cqe *cqes[CQ_ENTRIES];
	struct io_uring_params p;
	struct io_uring ring;
	unsigned long ops, rounds, r;
	struct bench_timer t = {0};
	uint64_t seq = 0;
	char name[32];
	int big, ret;

	if (argc != 3)
		BENCH_FAIL("usage: %s 16|32 <ops>", argv[0]);
	if (!strcmp(argv[1], "16"))
		big = 0;
	else if (!strcmp(argv[1], "32"))
		big = 1;
	else
		BENCH_FAIL("CQE size must be 16 or 32, not '%s'", argv[1]);
	ops = bench_count(argv[2], "ops");
	rounds = (ops + CQ_ENTRIES - 1) / CQ_ENTRIES;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | (big ? IORING_SETUP_CQE32 : 0);
	p.cq_entries = CQ_ENTRIES;
	ret = io_uring_queue_init_params(SQ_ENTRIES, &ring, &p);
	if (ret)
		BENCH_FAIL("io_uring_queue_init_params: %s", strerror(-ret));
	BENCH_CHECK(ring.cq.ring_entries == CQ_ENTRIES, "CQ has %u entries",
		    ring.cq.ring_entries);

	/* Move the head off the start of the array. */
	seq = fill(&ring, HEAD_OFFSET, seq);
	bench_drain(&ring, cqes, HEAD_OFFSET, 0, big);

	for (r = 0; r < rounds; r++) {
		uint64_t first = seq;

		seq = fill(&ring, CQ_ENTRIES, seq);
		BENCH_CHECK((*ring.cq.khead & (CQ_ENTRIES - 1)) == HEAD_OFFSET,
			    "head at %u", *ring.cq.khead);
		bench_start(&t);
		bench_drain(&ring, cqes, CQ_ENTRIES, first, big);
		bench_stop(&t);
	}
	BENCH_CHECK(io_uring_cq_ready(&ring) == 0, "CQEs left over");
	BENCH_CHECK(!(*ring.sq.kflags & IORING_SQ_CQ_OVERFLOW), "CQ overflowed");
	io_uring_queue_exit(&ring);

	snprintf(name, sizeof(name), "cqdrain-cqe%s", argv[1]);
	bench_report(name, rounds * CQ_ENTRIES, &t);
	return 0;
}
