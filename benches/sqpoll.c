/* NOPs through a ring with a kernel submission thread (IORING_SETUP_SQPOLL).
 *
 *   sqpoll <batch> <ops>
 *
 * Each round queues <batch> NOPs, hands them over with io_uring_submit (which
 * enters the kernel only when the thread sleeps), waits for all of them with
 * io_uring_wait_cqe_nr and reaps them with io_uring_peek_batch_cqe; every
 * completion must carry the next sequence number and res 0.
 */
#include "bench.h"

#define MAX_BATCH 128u

__attribute__((noinline)) uint64_t bench_loop(struct io_uring *ring,
					      unsigned batch,
					      unsigned long rounds)
{
	struct io_uring_cqe *cqes[MAX_BATCH], *cqe;
	uint64_t seq = 0;
	unsigned long r;

	for (r = 0; r < rounds; r++) {
		unsigned i, got = 0;
		int ret;

		for (i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			BENCH_CHECK(sqe != NULL, "no SQE");
			io_uring_prep_nop(sqe);
			sqe->user_data = seq + i;
		}
		/* With SQPOLL the count is of entries the thread has not
		 * consumed yet; the previous batch's may still be among them
		 * (its completions can be visible before the SQ head moves). */
		ret = io_uring_submit(ring);
		BENCH_CHECK(ret >= (int)batch && ret <= (int)MAX_BATCH,
			    "submit returned %d for %u new", ret, batch);
		ret = io_uring_wait_cqe_nr(ring, &cqe, batch);
		BENCH_CHECK(ret == 0, "wait_cqe_nr: %s", strerror(-ret));
		while (got < batch) {
			unsigned n = io_uring_peek_batch_cqe(ring, cqes, batch - got);

			BENCH_CHECK(n > 0, "%u of %u reaped", got, batch);
			for (i = 0; i < n; i++)
				BENCH_CHECK(cqes[i]->user_data == seq + got + i &&
					    cqes[i]->res == 0,
					    "cqe user_data %llu res %d, want %llu",
					    (unsigned long long)cqes[i]->user_data,
					    cqes[i]->res,
					    (unsigned long long)(seq + got + i));
			io_uring_cq_advance(ring, n);
			got += n;
		}
		seq += batch;
	}
	return seq;
}

int main(int argc, char **argv)
{
	struct io_uring_params p;
	struct io_uring ring;
	unsigned batch;
	unsigned long ops, rounds;
	struct bench_timer t = {0};
	uint64_t done;
	char name[32];
	int ret;

	if (argc != 3)
		BENCH_FAIL("usage: %s <batch> <ops>", argv[0]);
	batch = bench_count(argv[1], "batch");
	ops = bench_count(argv[2], "ops");
	if (batch > MAX_BATCH)
		BENCH_FAIL("batch above %u", MAX_BATCH);
	rounds = (ops + batch - 1) / batch;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 1000; /* ms */
	ret = io_uring_queue_init_params(MAX_BATCH, &ring, &p);
	if (ret)
		BENCH_FAIL("io_uring_queue_init_params(SQPOLL): %s", strerror(-ret));
	BENCH_CHECK(ring.flags & IORING_SETUP_SQPOLL, "ring flags %x", ring.flags);

	bench_loop(&ring, batch, 1);
	bench_start(&t);
	done = bench_loop(&ring, batch, rounds);
	bench_stop(&t);
	BENCH_CHECK(done == (uint64_t)rounds * batch, "ops done");
	BENCH_CHECK(io_uring_cq_ready(&ring) == 0, "CQEs left over");
	io_uring_queue_exit(&ring);

	snprintf(name, sizeof(name), "sqpoll-nop-b%u", batch);
	bench_report(name, rounds * batch, &t);
	return 0;
}
