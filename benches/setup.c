/* Ring set-up and teardown: io_uring_queue_init + io_uring_queue_exit.
 *
 *   setup <ops>
 *
 * Each created ring must have the sizes asked for and a valid descriptor; at
 * the end no descriptor may have leaked (the next free descriptor is the same
 * as before the loop).
 */
#include "bench.h"

#include <fcntl.h>
#include <unistd.h>


#define ENTRIES 64u

__attribute__((noinline)) unsigned long bench_loop(unsigned long ops)
{
	unsigned long i;

	for (i = 0; i < ops; i++) {
		struct io_uring ring;
		int ret = io_uring_queue_init(ENTRIES, &ring, 0);

		BENCH_CHECK(ret == 0, "io_uring_queue_init: %s", strerror(-ret));
		BENCH_CHECK(ring.ring_fd >= 0 && ring.sq.ring_entries == ENTRIES &&
			    ring.cq.ring_entries == 2 * ENTRIES &&
			    *ring.sq.kring_entries == ENTRIES,
			    "fd %d, %u SQ and %u CQ entries", ring.ring_fd,
			    ring.sq.ring_entries, ring.cq.ring_entries);
		io_uring_queue_exit(&ring);
	}
	return i;
}

static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	BENCH_CHECK(fd >= 0, "open /dev/null");
	close(fd);
	return fd;
}

int main(int argc, char **argv)
{
	unsigned long ops, done;
	struct bench_timer t = {0};
	int fd_before;

	if (argc != 2)
		BENCH_FAIL("usage: %s <ops>", argv[0]);
	ops = bench_count(argv[1], "ops");

	bench_loop(4);
	fd_before = next_fd();
	bench_start(&t);
	done = bench_loop(ops);
	bench_stop(&t);
	BENCH_CHECK(done == ops, "ops");
	BENCH_CHECK(next_fd() == fd_before, "a ring descriptor leaked");

	bench_report("setup-teardown", ops, &t);
	return 0;
}
