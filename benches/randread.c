/* 4 KiB random reads at queue depth 32 from a file in tmpfs, through a
 * registered file and registered buffers (IORING_OP_READ_FIXED with
 * IOSQE_FIXED_FILE).
 *
 *   randread <ops> [directory]
 *
 * The file (64 MiB, unlinked, in /dev/shm unless a directory is given) holds
 * a pattern from which every 8-byte word of every block can be recomputed;
 * every completed read is checked word by word against it, and its user_data
 * must name the slot and block it was issued for.
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>


#define BLOCK 4096u
#define WORDS (BLOCK / 8)
#define NBLOCKS 16384u /* 64 MiB */
#define QD 32u

/* Word w of block b holds (b << 32) ^ word_pattern[w]. */
static uint64_t word_pattern[WORDS];

static void init_pattern(void)
{
	unsigned w;

	for (w = 0; w < WORDS; w++)
		word_pattern[w] = (w * 0x9e3779b97f4a7c15ull) ^ 0x5bd1e995u;
}

static inline uint64_t pattern(uint64_t block, unsigned word)
{
	return (block << 32) ^ word_pattern[word];
}

static int make_file(const char *dir)
{
	static uint64_t buf[WORDS * 64];
	unsigned b, w, i;
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR, 0600);
	if (fd < 0)
		BENCH_FAIL("O_TMPFILE in %s: %s", dir, strerror(errno));
	for (b = 0; b < NBLOCKS; b += 64) {
		for (i = 0; i < 64; i++)
			for (w = 0; w < WORDS; w++)
				buf[i * WORDS + w] = pattern(b + i, w);
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			BENCH_FAIL("writing the test file: %s", strerror(errno));
	}
	return fd;
}

struct slot {
	uint64_t *buf;
	uint64_t block;
};

static void queue_read(struct io_uring *ring, struct slot *s, unsigned idx,
		       uint64_t *rng)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	uint64_t block = bench_rand(rng) % NBLOCKS;

	BENCH_CHECK(sqe != NULL, "no SQE");
	/* A re-read of the same block must not pass on stale contents. */
	if (block == s->block)
		memset(s->buf, 0xa5, BLOCK);
	s->block = block;
	io_uring_prep_read_fixed(sqe, 0, s->buf, BLOCK, block * BLOCK, idx);
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = (block << 8) | idx;
}

static void check_read(const struct io_uring_cqe *cqe, struct slot *slots)
{
	unsigned idx = cqe->user_data & 0xff, w;
	uint64_t block = cqe->user_data >> 8;
	const uint64_t *buf;
	uint64_t diff;

	BENCH_CHECK(idx < QD && slots[idx].block == block,
		    "user_data %llx names no read in flight",
		    (unsigned long long)cqe->user_data);
	BENCH_CHECK(cqe->res == (int)BLOCK, "read of block %llu returned %d",
		    (unsigned long long)block, cqe->res);
	buf = slots[idx].buf;
	/* Every word is compared; the differences are OR-ed together so that
	 * the loop has no early exit and the compiler can vectorise it. */
	diff = 0;
	for (w = 0; w < WORDS; w++)
		diff |= buf[w] ^ pattern(block, w);
	if (__builtin_expect(diff != 0, 0)) {
		for (w = 0; w < WORDS && buf[w] == pattern(block, w); w++)
			;
		BENCH_FAIL("block %llu word %u: %llx, want %llx",
			   (unsigned long long)block, w,
			   (unsigned long long)buf[w],
			   (unsigned long long)pattern(block, w));
	}
}

__attribute__((noinline)) unsigned long bench_loop(struct io_uring *ring,
						   struct slot *slots,
						   unsigned long ops,
						   uint64_t *rng)
{
	struct io_uring_cqe *cqes[QD];
	unsigned long issued = 0, done = 0;
	unsigned i;
	int ret;

	for (i = 0; i < QD && issued < ops; i++, issued++)
		queue_read(ring, &slots[i], i, rng);
	while (done < ops) {
		unsigned n;

		ret = io_uring_submit_and_wait(ring, 1);
		BENCH_CHECK(ret >= 0, "submit_and_wait: %s", strerror(-ret));
		n = io_uring_peek_batch_cqe(ring, cqes, QD);
		BENCH_CHECK(n > 0, "no completion after submit_and_wait");
		for (i = 0; i < n; i++) {
			unsigned idx = cqes[i]->user_data & 0xff;

			check_read(cqes[i], slots);
			done++;
			if (issued < ops) {
				queue_read(ring, &slots[idx], idx, rng);
				issued++;
			}
		}
		io_uring_cq_advance(ring, n);
	}
	return done;
}

int main(int argc, char **argv)
{
	const char *dir = "/dev/shm";
	struct iovec iov[QD];
	struct slot slots[QD];
	struct io_uring ring;
	unsigned long ops, done;
	uint64_t rng = 0x2545f4914f6cdd1dull;
	struct bench_timer t = {0};
	unsigned i;
	int fd, ret;

	if (argc != 2 && argc != 3)
		BENCH_FAIL("usage: %s <ops> [directory]", argv[0]);
	ops = bench_count(argv[1], "ops");
	if (argc == 3)
		dir = argv[2];
	init_pattern();
	fd = make_file(dir);

	ret = io_uring_queue_init(QD * 2, &ring, 0);
	if (ret)
		BENCH_FAIL("io_uring_queue_init: %s", strerror(-ret));
	for (i = 0; i < QD; i++) {
		void *p;

		if (posix_memalign(&p, BLOCK, BLOCK))
			BENCH_FAIL("out of memory");
		memset(p, 0xa5, BLOCK);
		slots[i].buf = p;
		slots[i].block = UINT64_MAX;
		iov[i].iov_base = p;
		iov[i].iov_len = BLOCK;
	}
	ret = io_uring_register_buffers(&ring, iov, QD);
	if (ret)
		BENCH_FAIL("io_uring_register_buffers: %s", strerror(-ret));
	ret = io_uring_register_files(&ring, &fd, 1);
	if (ret)
		BENCH_FAIL("io_uring_register_files: %s", strerror(-ret));

	bench_loop(&ring, slots, QD, &rng); /* warm-up */
	bench_start(&t);
	done = bench_loop(&ring, slots, ops, &rng);
	bench_stop(&t);
	BENCH_CHECK(done == ops, "%lu of %lu reads", done, ops);
	BENCH_CHECK(io_uring_cq_ready(&ring) == 0, "CQEs left over");

	ret = io_uring_unregister_files(&ring);
	BENCH_CHECK(ret == 0, "unregister_files: %d", ret);
	ret = io_uring_unregister_buffers(&ring);
	BENCH_CHECK(ret == 0, "unregister_buffers: %d", ret);
	io_uring_queue_exit(&ring);
	close(fd);
	bench_report("randread-4k-qd32", ops, &t);
	return 0;
}
