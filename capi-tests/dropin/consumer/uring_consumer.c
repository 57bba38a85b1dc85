/*
 * An ordinary liburing program, built out of tree against an installed
 * liburing (pkg-config, CMake, static, FFI form): it writes a file through
 * io_uring in batches with several requests in flight, reads it back with
 * readv, checks every byte and every completion, and says which liburing
 * shared object (if any) the process has mapped.
 *
 * usage: uring_consumer SCRATCH_FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <liburing.h>

#define BLOCKS 48
#define BLK_BYTES (64 * 1024)
#define QUEUE_DEPTH 16
#define TAG_NOP 0xfeedfacecafef00dULL
#define TAG_FSYNC 0x5a5a5a5a00000000ULL

static int failed(const char *what, int err)
{
	fprintf(stderr, "uring_consumer: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static unsigned char pattern_of(unsigned block, size_t i)
{
	return (unsigned char)(block * 37u + i * 7u + (i >> 9));
}

/* Reap exactly `want` completions; each must match its request. */
static int reap(struct io_uring *ring, unsigned want, unsigned *seen, int expect_res)
{
	while (want) {
		struct io_uring_cqe *cqe;
		int ret = io_uring_wait_cqe(ring, &cqe);
		if (ret)
			return failed("io_uring_wait_cqe", ret);
		uint64_t tag = io_uring_cqe_get_data64(cqe);
		if (tag == TAG_NOP || tag == TAG_FSYNC) {
			if (cqe->res != 0) {
				fprintf(stderr, "uring_consumer: %s completed with %d\n",
					tag == TAG_NOP ? "nop" : "fsync", cqe->res);
				return 1;
			}
		} else {
			if (tag >= BLOCKS || seen[tag]) {
				fprintf(stderr, "uring_consumer: unexpected user_data %llu\n",
					(unsigned long long)tag);
				return 1;
			}
			if (cqe->res != expect_res) {
				fprintf(stderr, "uring_consumer: block %llu: res %d, expected %d\n",
					(unsigned long long)tag, cqe->res, expect_res);
				return 1;
			}
			seen[tag] = 1;
		}
		io_uring_cqe_seen(ring, cqe);
		want--;
	}
	return 0;
}

static void report_mapped_liburing(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[4096], last[4096] = "";
	int any = 0;

	if (!maps)
		return;
	while (fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');
		if (!path || !strstr(path, "/liburing"))
			continue;
		path[strcspn(path, "\n")] = 0;
		if (strcmp(path, last)) {
			printf("mapped: %s\n", path);
			snprintf(last, sizeof(last), "%s", path);
			any = 1;
		}
	}
	fclose(maps);
	if (!any)
		printf("mapped: none\n");
}

int main(int argc, char **argv)
{
	static unsigned char wbuf[BLOCKS][BLK_BYTES], rbuf[BLOCKS][BLK_BYTES];
	unsigned seen[BLOCKS];
	struct io_uring ring;
	int fd, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SCRATCH_FILE\n", argv[0]);
		return 2;
	}
	printf("liburing %d.%d\n", io_uring_major_version(), io_uring_minor_version());
	report_mapped_liburing();

	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return failed("open", errno);
	ret = io_uring_queue_init(QUEUE_DEPTH, &ring, 0);
	if (ret)
		return failed("io_uring_queue_init", ret);

	struct io_uring_probe *probe = io_uring_get_probe_ring(&ring);
	if (!probe)
		return failed("io_uring_get_probe_ring", ENOMEM);
	if (!io_uring_opcode_supported(probe, IORING_OP_WRITE) ||
	    !io_uring_opcode_supported(probe, IORING_OP_READV)) {
		fprintf(stderr, "uring_consumer: probe says WRITE/READV unsupported\n");
		return 1;
	}
	io_uring_free_probe(probe);

	/* Writes, QUEUE_DEPTH - 1 in flight at a time, then a drained fsync. */
	memset(seen, 0, sizeof(seen));
	for (unsigned b = 0; b < BLOCKS; b++)
		for (size_t i = 0; i < BLK_BYTES; i++)
			wbuf[b][i] = pattern_of(b, i);
	for (unsigned b = 0; b < BLOCKS;) {
		unsigned n = 0;
		while (b < BLOCKS && n < QUEUE_DEPTH - 1) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			if (!sqe)
				return failed("io_uring_get_sqe", EBUSY);
			/* Issue the batch back to front so completion order is free. */
			unsigned blk = BLOCKS - 1 - b;
			io_uring_prep_write(sqe, fd, wbuf[blk], BLK_BYTES, (uint64_t)blk * BLK_BYTES);
			io_uring_sqe_set_data64(sqe, blk);
			b++;
			n++;
		}
		ret = io_uring_submit(&ring);
		if (ret != (int)n)
			return failed("io_uring_submit (writes)", ret < 0 ? ret : EIO);
		if (reap(&ring, n, seen, BLK_BYTES))
			return 1;
	}
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	io_uring_prep_fsync(sqe, fd, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_IO_DRAIN);
	io_uring_sqe_set_data64(sqe, TAG_FSYNC);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, TAG_NOP);
	ret = io_uring_submit_and_wait(&ring, 2);
	if (ret != 2)
		return failed("io_uring_submit_and_wait (fsync+nop)", ret < 0 ? ret : EIO);
	if (io_uring_cq_ready(&ring) != 2) {
		fprintf(stderr, "uring_consumer: %u CQEs ready, expected 2\n", io_uring_cq_ready(&ring));
		return 1;
	}
	if (reap(&ring, 2, seen, 0))
		return 1;

	/* Independent check of what reached the file. */
	for (unsigned b = 0; b < BLOCKS; b++) {
		if (pread(fd, rbuf[b], BLK_BYTES, (off_t)b * BLK_BYTES) != BLK_BYTES ||
		    memcmp(rbuf[b], wbuf[b], BLK_BYTES)) {
			fprintf(stderr, "uring_consumer: block %u on disk is not what was written\n", b);
			return 1;
		}
	}

	/* Read everything back with readv, two iovecs per request. */
	memset(rbuf, 0, sizeof(rbuf));
	memset(seen, 0, sizeof(seen));
	struct iovec iov[BLOCKS][2];
	for (unsigned b = 0; b < BLOCKS;) {
		unsigned n = 0;
		while (b < BLOCKS && n < QUEUE_DEPTH) {
			iov[b][0].iov_base = rbuf[b];
			iov[b][0].iov_len = 4096;
			iov[b][1].iov_base = rbuf[b] + 4096;
			iov[b][1].iov_len = BLK_BYTES - 4096;
			sqe = io_uring_get_sqe(&ring);
			if (!sqe)
				return failed("io_uring_get_sqe", EBUSY);
			io_uring_prep_readv(sqe, fd, iov[b], 2, (uint64_t)b * BLK_BYTES);
			io_uring_sqe_set_data64(sqe, b);
			b++;
			n++;
		}
		if (io_uring_sq_space_left(&ring) != QUEUE_DEPTH - n) {
			fprintf(stderr, "uring_consumer: sq space left %u, expected %u\n",
				io_uring_sq_space_left(&ring), QUEUE_DEPTH - n);
			return 1;
		}
		ret = io_uring_submit(&ring);
		if (ret != (int)n)
			return failed("io_uring_submit (reads)", ret < 0 ? ret : EIO);
		if (reap(&ring, n, seen, BLK_BYTES))
			return 1;
	}
	for (unsigned b = 0; b < BLOCKS; b++) {
		if (memcmp(rbuf[b], wbuf[b], BLK_BYTES)) {
			fprintf(stderr, "uring_consumer: block %u read back wrong\n", b);
			return 1;
		}
	}

	io_uring_queue_exit(&ring);
	close(fd);
	unlink(argv[1]);
	printf("ok: %d blocks of %d bytes written, fsynced and read back through io_uring\n",
	       BLOCKS, BLK_BYTES);
	return 0;
}
