/* NOP throughput: batches of NOPs submitted with io_uring_submit_and_wait and
 * reaped in one of three ways.
 *
 *   nop peek    <batch> <ops>   io_uring_peek_batch_cqe + io_uring_cq_advance
 *   nop wait    <batch> <ops>   io_uring_wait_cqe + io_uring_cqe_seen, one by one
 *   nop foreach <batch> <ops>   io_uring_for_each_cqe + io_uring_cq_advance
 *
 * Every NOP carries its sequence number in user_data; each completion must
 * come back with res 0 and exactly the next number (NOPs complete inline, in
 * submission order).
 */
#include "bench.h"

enum reap { REAP_PEEK, REAP_WAIT, REAP_FOREACH };

#define MAX_BATCH 256

static void submit_batch(struct io_uring *ring, unsigned batch, uint64_t seq)
{
	unsigned i;
	int ret;

	for (i = 0; i < batch; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		BENCH_CHECK(sqe != NULL, "no SQE at %u of %u", i, batch);
		io_uring_prep_nop(sqe);
		sqe->user_data = seq + i;
	}
	ret = io_uring_submit_and_wait(ring, batch);
	BENCH_CHECK(ret == (int)batch, "submit_and_wait returned %d, want %u",
		    ret, batch);
}

static inline void check_cqe(const struct io_uring_cqe *cqe, uint64_t want)
{
	BENCH_CHECK(cqe->user_data == want && cqe->res == 0,
		    "cqe user_data %llu res %d, want user_data %llu res 0",
		    (unsigned long long)cqe->user_data, cqe->res,
		    (unsigned long long)want);
}

/* The timed loop; its name is what callgrind's --toggle-collect selects. */
__attribute__((noinline)) uint64_t bench_loop(struct io_uring *ring,
					      enum reap reap, unsigned batch,
					      unsigned long rounds)
{
	struct io_uring_cqe *cqes[MAX_BATCH];
	uint64_t seq = 0;
	unsigned long r;

	for (r = 0; r < rounds; r++) {
		unsigned got = 0, i;

		submit_batch(ring, batch, seq);
		switch (reap) {
		case REAP_PEEK:
			while (got < batch) {
				unsigned n = io_uring_peek_batch_cqe(
					ring, cqes, batch - got);

				BENCH_CHECK(n > 0, "peek_batch_cqe found nothing, %u of %u reaped",
					    got, batch);
				for (i = 0; i < n; i++)
					check_cqe(cqes[i], seq + got + i);
				io_uring_cq_advance(ring, n);
				got += n;
			}
			break;
		case REAP_WAIT:
			for (; got < batch; got++) {
				struct io_uring_cqe *cqe;
				int ret = io_uring_wait_cqe(ring, &cqe);

				BENCH_CHECK(ret == 0, "wait_cqe returned %d", ret);
				check_cqe(cqe, seq + got);
				io_uring_cqe_seen(ring, cqe);
			}
			break;
		case REAP_FOREACH: {
			struct io_uring_cqe *cqe;
			unsigned head;

			io_uring_for_each_cqe(ring, head, cqe) {
				check_cqe(cqe, seq + got);
				got++;
			}
			BENCH_CHECK(got == batch, "for_each_cqe saw %u of %u", got,
				    batch);
			io_uring_cq_advance(ring, got);
			break;
		}
		}
		seq += batch;
	}
	/* Nothing may be left over. */
	BENCH_CHECK(io_uring_cq_ready(ring) == 0, "%u CQEs left",
		    io_uring_cq_ready(ring));
	return seq;
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	enum reap reap;
	unsigned batch;
	unsigned long ops, rounds;
	struct bench_timer t = {0};
	uint64_t done;
	char name[64];
	int ret;

	if (argc != 4)
		BENCH_FAIL("usage: %s peek|wait|foreach <batch> <ops>", argv[0]);
	if (!strcmp(argv[1], "peek"))
		reap = REAP_PEEK;
	else if (!strcmp(argv[1], "wait"))
		reap = REAP_WAIT;
	else if (!strcmp(argv[1], "foreach"))
		reap = REAP_FOREACH;
	else
		BENCH_FAIL("unknown reaping mode '%s'", argv[1]);
	batch = bench_count(argv[2], "batch");
	ops = bench_count(argv[3], "ops");
	if (batch > MAX_BATCH)
		BENCH_FAIL("batch %u above %u", batch, MAX_BATCH);
	rounds = (ops + batch - 1) / batch;

	ret = io_uring_queue_init(MAX_BATCH, &ring, 0);
	if (ret)
		BENCH_FAIL("io_uring_queue_init: %s", strerror(-ret));

	/* One untimed round to fault in the rings. */
	bench_loop(&ring, reap, batch, 1);
	bench_start(&t);
	done = bench_loop(&ring, reap, batch, rounds);
	bench_stop(&t);
	BENCH_CHECK(done == (uint64_t)rounds * batch, "%llu ops done",
		    (unsigned long long)done);
	io_uring_queue_exit(&ring);

	snprintf(name, sizeof(name), "nop-%s-b%u", argv[1], batch);
	bench_report(name, rounds * batch, &t);
	return 0;
}
