/* SPDX-License-Identifier: MIT */
/*
 * Registration through the C ABI, each checked by using what was
 * registered: fixed buffers (READ_FIXED/WRITE_FIXED, sparse tables, tags,
 * updates, clones), fixed files (I/O through the index after the fd is
 * closed, updates, tags, allocation ranges, the RLIMIT_NOFILE retry),
 * eventfds (signalled or not), personalities (credentials really used),
 * probes (against the kernel's own table), io-wq affinity and worker
 * limits, NAPI, clocks, and zero-copy rx (error paths: no capable NIC).
 */
#include "capi.h"

#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>

static long raw_register(int fd, unsigned op, const void *arg, unsigned nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : r;
}

/* Submit one prepared SQE, wait for its CQE, return res (or -1000+err). */
static int run_one(struct io_uring *ring, __u64 *ud_out)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit_and_wait(ring, 1);

	if (ret < 0)
		return -1000 + ret;
	ret = io_uring_peek_cqe(ring, &cqe);
	if (ret)
		return -1000 + ret;
	ret = cqe->res;
	if (ud_out)
		*ud_out = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/*
 * Collect tag CQEs (user_data != 0xffff...) into a bitmap of small tags,
 * until every tag in want came or wait_ms passed: kernels before 6.3 post
 * them from a work item delayed by a second.
 */
static unsigned collect_tags_until(struct io_uring *ring, uint64_t *mask, uint64_t want, int wait_ms)
{
	struct io_uring_cqe *cqe;
	unsigned n = 0;
	int waited = 0;

	for (;;) {
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			if (cqe->user_data < 64)
				*mask |= 1ULL << cqe->user_data;
			io_uring_cqe_seen(ring, cqe);
			n++;
		}
		if (waited >= wait_ms || (want && (*mask & want) == want))
			break;
		io_uring_get_events(ring);
		usleep(5000);
		waited += 5;
	}
	return n;
}

/*
 * Does the kernel post the tags of a table when it is unregistered (the
 * resource tables of Linux 6.13 do; 6.12 drops them)? Ask it with raw
 * register calls on a ring of its own: one tagged file, then unregister.
 */
static int kernel_tags_on_unregister(void)
{
	struct io_uring_rsrc_register rr;
	struct io_uring probe;
	uint64_t seen = 0;
	__u64 tag = 3;
	int fd = 0;
	char why[96];
	long kret, uret;

	if (io_uring_queue_init(4, &probe, 0))
		return capi_needs(0, "tags posted on unregister", "a probe ring", "-", "refused a ring");
	memset(&rr, 0, sizeof(rr));
	rr.nr = 1;
	rr.data = (unsigned long)&fd;
	rr.tags = (unsigned long)&tag;
	kret = raw_register(probe.ring_fd, IORING_REGISTER_FILES2, &rr, sizeof(rr));
	uret = raw_register(probe.ring_fd, IORING_UNREGISTER_FILES, NULL, 0);
	collect_tags_until(&probe, &seen, 1ULL << 3, 1500);
	io_uring_queue_exit(&probe);
	snprintf(why, sizeof(why), "posted no tag CQE (register %ld, unregister %ld)", kret, uret);
	return capi_needs(kret == 0 && uret == 0 && seen == 1ULL << 3,
			  "tag CQEs when a tagged table is unregistered", "tag CQEs on unregister", "6.13", why);
}

static void test_buffers(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct iovec iov[2];
	unsigned char *a, *b, *file_data;
	int fd, ret, i;
	__u64 ud;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for fixed buffers", ret))
		return;
	fd = capi_tmpfile(0);
	file_data = malloc(65536);
	capi_fill(file_data, 65536, 3);
	if (pwrite(fd, file_data, 65536, 0) != 65536)
		capi_failf("write the test file", "%s", strerror(errno));
	if (posix_memalign((void **)&a, 4096, 4096) || posix_memalign((void **)&b, 4096, 8192))
		return;
	memset(a, 0, 4096);
	memset(b, 0, 8192);
	iov[0].iov_base = a;
	iov[0].iov_len = 4096;
	iov[1].iov_base = b;
	iov[1].iov_len = 8192;

	CHECK_RET(io_uring_register_buffers(&ring, iov, 0), -EINVAL,
		  "register_buffers(0 buffers) is -EINVAL");
	ret = io_uring_register_buffers(&ring, iov, 2);
	CHECK_RET(ret, 0, "register_buffers(2) returns 0");
	CHECK_RET(io_uring_register_buffers(&ring, iov, 2), -EBUSY,
		  "register_buffers twice is -EBUSY");

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, b, 8192, 4096, 1);
	sqe->user_data = 1;
	ret = run_one(&ring, &ud);
	CHECK(ret == 8192 && ud == 1, "READ_FIXED into buffer 1 reads 8192 bytes", "res %d", ret);
	CHECK(!memcmp(b, file_data + 4096, 8192), "READ_FIXED: data in the registered buffer");

	capi_fill(a, 4096, 99);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write_fixed(sqe, fd, a, 4096, 0, 0);
	sqe->user_data = 2;
	ret = run_one(&ring, &ud);
	CHECK(ret == 4096 && ud == 2, "WRITE_FIXED from buffer 0 writes 4096 bytes", "res %d", ret);
	{
		unsigned char check[4096];

		CHECK(pread(fd, check, 4096, 0) == 4096 && !memcmp(check, a, 4096),
		      "WRITE_FIXED: the file holds buffer 0's bytes");
	}
	/* a part of a registered buffer */
	memset(b, 0, 8192);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, b + 100, 1000, 20000, 1);
	ret = run_one(&ring, NULL);
	CHECK(ret == 1000 && !memcmp(b + 100, file_data + 20000, 1000) && b[99] == 0 && b[1100] == 0,
	      "READ_FIXED into the middle of a registered buffer", "res %d", ret);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, b, 4096, 0, 2);
	CHECK_RET(run_one(&ring, NULL), -EFAULT, "READ_FIXED with an unregistered index is -EFAULT");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, a + 4000, 200, 0, 0);
	CHECK_RET(run_one(&ring, NULL), -EFAULT, "READ_FIXED past the buffer's end is -EFAULT");

	CHECK_RET(io_uring_unregister_buffers(&ring), 0, "unregister_buffers returns 0");
	CHECK_RET(io_uring_unregister_buffers(&ring), -ENXIO, "unregister_buffers twice is -ENXIO");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, b, 4096, 0, 0);
	CHECK_RET(run_one(&ring, NULL), -EFAULT, "READ_FIXED after unregistering is -EFAULT");

	/* sparse table + update_tag; replaced buffers post their tag */
	ret = io_uring_register_buffers_sparse(&ring, 4);
	CHECK_RET(ret, 0, "register_buffers_sparse(4) returns 0");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, b, 4096, 0, 2);
	CHECK_RET(run_one(&ring, NULL), -EFAULT, "READ_FIXED on an empty sparse slot is -EFAULT");
	{
		__u64 tag = 5;

		ret = io_uring_register_buffers_update_tag(&ring, 2, &iov[1], &tag, 1);
		CHECK_RET(ret, 1, "register_buffers_update_tag(slot 2) returns 1 (updated)");
	}
	memset(b, 0, 8192);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, b, 8192, 0, 2);
	ret = run_one(&ring, NULL);
	CHECK(ret == 8192 && !memcmp(b + 4096, file_data + 4096, 4096),
	      "READ_FIXED through the updated sparse slot", "res %d", ret);
	{
		uint64_t tags = 0;
		__u64 tag0 = 0;

		ret = io_uring_register_buffers_update_tag(&ring, 2, &iov[0], &tag0, 1);
		CHECK_RET(ret, 1, "replacing slot 2 returns 1");
		collect_tags_until(&ring, &tags, 1ULL << 5, 1500);
		CHECK_EQ(tags, 1ULL << 5, "the replaced buffer posted its tag (5) as a CQE");
	}
	{
		__u64 tag = 0;

		ret = io_uring_register_buffers_update_tag(&ring, 4, &iov[0], &tag, 1);
		CHECK_RET(ret, -EINVAL, "update_tag past the table is -EINVAL");
	}
	io_uring_unregister_buffers(&ring);
	/* registered with tags: unregistering posts every tag */
	{
		__u64 tags[2] = { 7, 9 };
		uint64_t seen = 0;

		ret = io_uring_register_buffers_tags(&ring, iov, tags, 2);
		CHECK_RET(ret, 0, "register_buffers_tags(2) returns 0");
		memset(a, 0, 4096);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read_fixed(sqe, fd, a, 4096, 8192, 0);
		ret = run_one(&ring, NULL);
		CHECK(ret == 4096 && !memcmp(a, file_data + 8192, 4096),
		      "READ_FIXED with tagged buffers");
		CHECK_RET(io_uring_unregister_buffers(&ring), 0, "unregister tagged buffers");
		if (kernel_tags_on_unregister()) {
			collect_tags_until(&ring, &seen, (1ULL << 7) | (1ULL << 9), 1500);
			CHECK_EQ(seen, (1ULL << 7) | (1ULL << 9), "tags 7 and 9 posted on unregister");
		}
	}
	/* Past the kernel's 1 GiB limit, but below 2 GiB: a 32-bit program's
	 * iovec length is a signed 32-bit compat_ssize_t to the kernel, and
	 * 2 GiB would be refused as negative (-EINVAL) before the size check. */
	for (i = 0; i < 2; i++)
		iov[i].iov_len = (1UL << 30) + 4096;
	CHECK_RET(io_uring_register_buffers(&ring, iov, 2), -EFAULT,
		  "register_buffers with a >1GiB buffer is -EFAULT");

	io_uring_queue_exit(&ring);
	close(fd);
	free(a);
	free(b);
	free(file_data);
	capi_check_no_leak(before, "fixed buffers");
}

/*
 * Clone offsets (src_off, dst_off, nr) and DST_REPLACE came in Linux 6.13;
 * 6.12 had those fields as padding. Ask the kernel: clone src's buffer 1
 * alone into a fresh ring with a raw register call.
 */
static int kernel_clones_with_offsets(struct io_uring *src, char *ans, size_t len)
{
	struct io_uring_clone_buffers cb;
	struct io_uring probe;
	long kret;

	if (io_uring_queue_init(2, &probe, 0)) {
		snprintf(ans, len, "could not make a probe ring");
		return 0;
	}
	memset(&cb, 0, sizeof(cb));
	cb.src_fd = src->ring_fd;
	cb.src_off = 1;
	cb.nr = 1;
	kret = raw_register(probe.ring_fd, IORING_REGISTER_CLONE_BUFFERS, &cb, 1);
	io_uring_queue_exit(&probe);
	snprintf(ans, len, "answered %ld (%s) to a clone of src_off 1, nr 1", kret,
		 kret < 0 ? strerror((int)-kret) : "-");
	return kret == 0;
}

static void test_clone_buffers(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring src, dst, dst2, dst3;
	struct io_uring_sqe *sqe;
	struct iovec iov[3];
	unsigned char *mem, *file_data;
	int fd, ret, i, has_offsets;
	char ans[96];

	if (io_uring_queue_init(8, &src, 0) || io_uring_queue_init(8, &dst, 0) ||
	    io_uring_queue_init(8, &dst2, 0) || io_uring_queue_init(8, &dst3, 0)) {
		capi_failf("queue_init x4 for clone_buffers", "failed");
		return;
	}
	fd = capi_tmpfile(0);
	file_data = malloc(16384);
	capi_fill(file_data, 16384, 11);
	if (pwrite(fd, file_data, 16384, 0) != 16384)
		capi_failf("write the clone test file", "short");
	mem = aligned_alloc(4096, 3 * 4096);
	for (i = 0; i < 3; i++) {
		iov[i].iov_base = mem + i * 4096;
		iov[i].iov_len = 4096;
	}
	CHECK_RET(io_uring_clone_buffers(&dst, &src), -ENXIO,
		  "clone_buffers from a ring without buffers is -ENXIO");
	ret = io_uring_register_buffers(&src, iov, 3);
	CHECK_RET(ret, 0, "register 3 buffers on the source ring");

	ret = io_uring_clone_buffers(&dst, &src);
	CHECK_RET(ret, 0, "io_uring_clone_buffers returns 0");
	memset(mem, 0, 3 * 4096);
	sqe = io_uring_get_sqe(&dst);
	io_uring_prep_read_fixed(sqe, fd, mem + 2 * 4096, 4096, 4096, 2);
	ret = run_one(&dst, NULL);
	CHECK(ret == 4096 && !memcmp(mem + 2 * 4096, file_data + 4096, 4096),
	      "READ_FIXED on the clone uses the source's buffer 2", "res %d", ret);
	CHECK_RET(io_uring_clone_buffers(&dst, &src), -EBUSY,
		  "clone_buffers onto a ring with buffers is -EBUSY");
	has_offsets = kernel_clones_with_offsets(&src, ans, sizeof(ans));
	if (capi_needs(has_offsets, "__io_uring_clone_buffers_offset(DST_REPLACE)",
		       "IORING_REGISTER_CLONE_BUFFERS with offsets and DST_REPLACE", "6.13", ans))
		CHECK_RET(__io_uring_clone_buffers_offset(&dst, &src, 0, 0, 1, IORING_REGISTER_DST_REPLACE), 0,
			  "__io_uring_clone_buffers_offset(DST_REPLACE) returns 0");

	/* source ring fd registered: the library may pass the index */
	ret = io_uring_register_ring_fd(&src);
	CHECK_RET(ret, 1, "register the source ring's fd");
	ret = __io_uring_clone_buffers(&dst2, &src, IORING_REGISTER_SRC_REGISTERED);
	CHECK_RET(ret, 0, "__io_uring_clone_buffers(SRC_REGISTERED) returns 0");
	memset(mem, 0, 4096);
	sqe = io_uring_get_sqe(&dst2);
	io_uring_prep_read_fixed(sqe, fd, mem, 4096, 0, 0);
	ret = run_one(&dst2, NULL);
	CHECK(ret == 4096 && !memcmp(mem, file_data, 4096),
	      "READ_FIXED on the second clone", "res %d", ret);

	/* a subset at an offset: source 1 -> destination 4 */
	if (!capi_needs(has_offsets, "clone_buffers_offset into an empty ring",
			"IORING_REGISTER_CLONE_BUFFERS with offsets", "6.13", ans))
		goto no_offsets;
	ret = io_uring_clone_buffers_offset(&dst3, &src, 4, 1, 1, 0);
	CHECK_RET(ret, 0, "io_uring_clone_buffers_offset(dst 4, src 1, nr 1) returns 0");
	memset(mem + 4096, 0, 4096);
	sqe = io_uring_get_sqe(&dst3);
	io_uring_prep_read_fixed(sqe, fd, mem + 4096, 4096, 3 * 4096, 4);
	ret = run_one(&dst3, NULL);
	CHECK(ret == 4096 && !memcmp(mem + 4096, file_data + 3 * 4096, 4096),
	      "READ_FIXED index 4 on the offset clone is the source's buffer 1", "res %d", ret);
	sqe = io_uring_get_sqe(&dst3);
	io_uring_prep_read_fixed(sqe, fd, mem, 4096, 0, 0);
	CHECK_RET(run_one(&dst3, NULL), -EFAULT, "index 0 of the offset clone is empty (-EFAULT)");
	io_uring_unregister_buffers(&dst3);
no_offsets:
	ret = io_uring_clone_buffers_offset(&dst3, &src, 0, 2, 5, 0);
	CHECK_RET(ret, -EINVAL, "clone_buffers_offset past the source's table is -EINVAL");
	ret = __io_uring_clone_buffers(&dst3, &src, 1U << 20);
	CHECK_RET(ret, -EINVAL, "__io_uring_clone_buffers(unknown flag) is -EINVAL");

	io_uring_queue_exit(&dst3);
	io_uring_queue_exit(&dst2);
	io_uring_queue_exit(&dst);
	io_uring_queue_exit(&src);
	close(fd);
	free(mem);
	free(file_data);
	capi_check_no_leak(before, "clone_buffers");
}

static void test_files(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int p1[2], p2[2], fds[2], ret;
	char buf[32];

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0 && pipe(p1) == 0 && pipe(p2) == 0,
			  "queue_init + pipes for fixed files", ret))
		return;
	fds[0] = p1[0];
	fds[1] = p1[1];
	ret = io_uring_register_files(&ring, fds, 2);
	CHECK_RET(ret, 0, "register_files(pipe read end, write end) returns 0");
	CHECK_RET(io_uring_register_files(&ring, fds, 2), -EBUSY, "register_files twice is -EBUSY");

	/* write through index 1, read through index 0 */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, 1, "fixed!", 6, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_RET(run_one(&ring, NULL), 6, "write through fixed file 1");
	memset(buf, 0, sizeof(buf));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_RET(run_one(&ring, NULL), 6, "read through fixed file 0");
	CHECK(!memcmp(buf, "fixed!", 6), "fixed-file read returns what the fixed write wrote");

	/* the registration holds its own reference: closing the fd is fine */
	close(p1[1]);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, 1, "again", 5, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_RET(run_one(&ring, NULL), 5, "fixed file 1 works after close() of its fd");
	CHECK(read(p1[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "again", 5),
	      "...and the data arrived in the pipe");

	/* update slot 0 to the second pipe's read end */
	ret = io_uring_register_files_update(&ring, 0, &p2[0], 1);
	CHECK_RET(ret, 1, "register_files_update(slot 0) returns 1");
	if (write(p2[1], "two", 3) != 3)
		capi_failf("write pipe 2", "short");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	ret = run_one(&ring, NULL);
	CHECK(ret == 3 && !memcmp(buf, "two", 3), "slot 0 now reads the second pipe", "res %d", ret);
	{
		int skip_remove[2] = { IORING_REGISTER_FILES_SKIP, -1 };

		ret = io_uring_register_files_update(&ring, 0, skip_remove, 2);
		CHECK_RET(ret, 2, "files_update(SKIP, -1) returns 2");
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, 1, "x", 1, 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_RET(run_one(&ring, NULL), -EBADF, "a removed slot is -EBADF");
	if (write(p2[1], "kept", 4) != 4)
		capi_failf("write pipe 2", "short");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_RET(run_one(&ring, NULL), 4, "a SKIPped slot is unchanged");
	{
		int bad = 0x7ffe;

		CHECK_RET(io_uring_register_files_update(&ring, 0, &bad, 1), -EBADF,
			  "files_update with a bad fd is -EBADF");
		CHECK_RET(io_uring_register_files_update(&ring, 5, &p2[0], 1), -EINVAL,
			  "files_update past the table is -EINVAL");
	}
	CHECK_RET(io_uring_unregister_files(&ring), 0, "unregister_files returns 0");
	CHECK_RET(io_uring_unregister_files(&ring), -ENXIO, "unregister_files twice is -ENXIO");
	{
		int bad[2] = { p2[0], 0x7ffe };

		CHECK_RET(io_uring_register_files(&ring, bad, 2), -EBADF,
			  "register_files with a bad fd is -EBADF");
		CHECK_RET(io_uring_register_files(&ring, bad, 0), -EINVAL,
			  "register_files(0 files) is -EINVAL");
	}

	/* sparse + update_tag; tags come back when replaced/unregistered */
	ret = io_uring_register_files_sparse(&ring, 8);
	CHECK_RET(ret, 0, "register_files_sparse(8) returns 0");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 3, buf, sizeof(buf), 0);
	sqe->flags |= IOSQE_FIXED_FILE;
	CHECK_RET(run_one(&ring, NULL), -EBADF, "empty sparse file slot is -EBADF");
	{
		__u64 tag = 12;
		uint64_t seen = 0;
		int minus1 = -1;

		ret = io_uring_register_files_update_tag(&ring, 3, &p2[0], &tag, 1);
		CHECK_RET(ret, 1, "register_files_update_tag(slot 3) returns 1");
		if (write(p2[1], "tag", 3) != 3)
			capi_failf("write pipe 2", "short");
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, 3, buf, sizeof(buf), 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		CHECK_RET(run_one(&ring, NULL), 3, "read through the updated sparse slot 3");
		tag = 0;
		ret = io_uring_register_files_update_tag(&ring, 3, &minus1, &tag, 1);
		CHECK_RET(ret, 1, "clearing slot 3 returns 1");
		collect_tags_until(&ring, &seen, 1ULL << 12, 1500);
		CHECK_EQ(seen, 1ULL << 12, "the removed file posted its tag (12)");
	}
	io_uring_unregister_files(&ring);
	{
		__u64 tags[2] = { 20, 21 };
		uint64_t seen = 0;
		int two[2] = { p2[0], p2[1] };

		ret = io_uring_register_files_tags(&ring, two, tags, 2);
		CHECK_RET(ret, 0, "register_files_tags(2) returns 0");
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_write(sqe, 1, "ok", 2, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		CHECK_RET(run_one(&ring, NULL), 2, "write through a tagged fixed file");
		CHECK_RET(io_uring_unregister_files(&ring), 0, "unregister tagged files");
		if (kernel_tags_on_unregister()) {
			collect_tags_until(&ring, &seen, (1ULL << 20) | (1ULL << 21), 1500);
			CHECK_EQ(seen, (1ULL << 20) | (1ULL << 21), "tags 20 and 21 posted on unregister");
		}
	}
	io_uring_queue_exit(&ring);
	close(p1[0]);
	close(p2[0]);
	close(p2[1]);
	capi_check_no_leak(before, "fixed files");
}

static void test_file_alloc_range(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	unsigned seen = 0;
	int ret, i, ok = 1;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for file_alloc_range", ret))
		return;
	CHECK_RET(io_uring_register_file_alloc_range(&ring, 0, 4), -EINVAL,
		  "file_alloc_range without a file table is -EINVAL");
	io_uring_register_files_sparse(&ring, 16);
	ret = io_uring_register_file_alloc_range(&ring, 8, 4);
	CHECK_RET(ret, 0, "file_alloc_range(8, 4) returns 0");
	for (i = 0; i < 4; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_openat_direct(sqe, AT_FDCWD, "/dev/null", O_RDONLY, 0,
					    IORING_FILE_INDEX_ALLOC);
		ret = run_one(&ring, NULL);
		if (ret < 8 || ret >= 12 || (seen >> ret) & 1)
			ok = 0;
		else
			seen |= 1U << ret;
	}
	CHECK(ok && seen == 0xf00, "4 allocated direct opens land in slots 8..11",
	      "seen 0x%x", seen);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/dev/null", O_RDONLY, 0,
				    IORING_FILE_INDEX_ALLOC);
	CHECK_RET(run_one(&ring, NULL), -ENFILE, "a 5th allocation with the range full is -ENFILE");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_close_direct(sqe, 9);
	CHECK_RET(run_one(&ring, NULL), 0, "close_direct(slot 9)");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat_direct(sqe, AT_FDCWD, "/dev/null", O_RDONLY, 0,
				    IORING_FILE_INDEX_ALLOC);
	CHECK_RET(run_one(&ring, NULL), 9, "the freed slot 9 is allocated again");
	CHECK_RET(io_uring_register_file_alloc_range(&ring, 14, 4), -EINVAL,
		  "file_alloc_range past the table is -EINVAL");
	io_uring_queue_exit(&ring);
	capi_check_no_leak(before, "file_alloc_range");
}

/* The library raises RLIMIT_NOFILE when the kernel says the table is too big. */
static void rlimit_child(void *unused)
{
	struct io_uring ring;
	struct rlimit rl;
	int ret;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 4096) {
		capi_skip("RLIMIT_NOFILE retry", "hard limit below 4096");
		return;
	}
	rl.rlim_cur = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (io_uring_queue_init(8, &ring, 0))
		return;
	ret = io_uring_register_files_sparse(&ring, 1000);
	CHECK_RET(ret, 0, "files_sparse(1000) with RLIMIT_NOFILE 64: raised and retried");
	getrlimit(RLIMIT_NOFILE, &rl);
	if (capi_under_valgrind())
		capi_skip("RLIMIT_NOFILE was raised", "valgrind virtualizes RLIMIT_NOFILE");
	else
		CHECK(rl.rlim_cur >= 1000, "RLIMIT_NOFILE was raised", "now %llu",
		      (unsigned long long)rl.rlim_cur);
	io_uring_queue_exit(&ring);

	rl.rlim_cur = 64;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (io_uring_queue_init(8, &ring, 0))
		return;
	{
		int *fds = malloc(200 * sizeof(int));
		int i;

		for (i = 0; i < 200; i++)
			fds[i] = -1;
		ret = io_uring_register_files(&ring, fds, 200);
		CHECK_RET(ret, 0, "register_files(200 x -1) with RLIMIT_NOFILE 64: raised and retried");
		free(fds);
	}
	io_uring_queue_exit(&ring);
}

static void test_eventfd(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	uint64_t v;
	int efd, ret, i;

	ret = io_uring_queue_init(8, &ring, 0);
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (!capi_require(ret == 0 && efd >= 0, "queue_init + eventfd", ret))
		return;
	CHECK_RET(io_uring_unregister_eventfd(&ring), -ENXIO,
		  "unregister_eventfd with none registered is -ENXIO");
	ret = io_uring_register_eventfd(&ring, efd);
	CHECK_RET(ret, 0, "register_eventfd returns 0");
	CHECK_RET(io_uring_register_eventfd(&ring, efd), -EBUSY, "register_eventfd twice is -EBUSY");
	CHECK(read(efd, &v, 8) < 0 && errno == EAGAIN, "eventfd quiet before any completion");
	for (i = 0; i < 3; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
	}
	io_uring_submit_and_wait(&ring, 3);
	v = 0;
	CHECK(read(efd, &v, 8) == 8 && v >= 1, "eventfd signalled by NOP completions",
	      "count %llu", (unsigned long long)v);
	io_uring_cq_advance(&ring, io_uring_cq_ready(&ring));
	CHECK_RET(io_uring_unregister_eventfd(&ring), 0, "unregister_eventfd returns 0");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_submit_and_wait(&ring, 1);
	io_uring_cq_advance(&ring, io_uring_cq_ready(&ring));
	CHECK(read(efd, &v, 8) < 0 && errno == EAGAIN, "no signal after unregister_eventfd");

	/* async: inline completions do not signal, io-wq completions do */
	ret = io_uring_register_eventfd_async(&ring, efd);
	CHECK_RET(ret, 0, "register_eventfd_async returns 0");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_submit_and_wait(&ring, 1);
	io_uring_cq_advance(&ring, io_uring_cq_ready(&ring));
	CHECK(read(efd, &v, 8) < 0 && errno == EAGAIN,
	      "eventfd_async: an inline NOP completion does not signal");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	sqe->flags |= IOSQE_ASYNC;
	io_uring_submit_and_wait(&ring, 1);
	io_uring_cq_advance(&ring, io_uring_cq_ready(&ring));
	v = 0;
	{
		/* The io-wq worker posts the CQE, then signals: on one CPU the
		 * waiter can run in between. */
		struct pollfd pfd = { .fd = efd, .events = POLLIN };

		poll(&pfd, 1, 2000);
	}
	CHECK(read(efd, &v, 8) == 8 && v >= 1, "eventfd_async: an io-wq (IOSQE_ASYNC) completion signals");
	CHECK_RET(io_uring_unregister_eventfd(&ring), 0, "unregister the async eventfd");
	CHECK_RET(io_uring_register_eventfd(&ring, 0x7ffe), -EBADF, "register_eventfd(bad fd) is -EBADF");
	{
		int pfd[2];

		if (pipe(pfd) == 0) {
			CHECK_RET(io_uring_register_eventfd(&ring, pfd[0]), -EINVAL,
				  "register_eventfd(a pipe) is -EINVAL");
			close(pfd[0]);
			close(pfd[1]);
		}
	}
	io_uring_queue_exit(&ring);
	close(efd);
	capi_check_no_leak(before, "eventfd");
}

/* Personalities: the registered credentials open what ours cannot. */
static void personality_child(void *unused)
{
	char path[] = "/tmp/capi-personality-XXXXXX";
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int fd, id, ret;
	char buf[16];

	fd = mkstemp(path);
	if (!capi_require(fd >= 0 && write(fd, "secret", 6) == 6 && fchmod(fd, 0600) == 0,
			  "a root-only file", fd))
		return;
	close(fd);
	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for personalities", ret))
		goto out;
	id = io_uring_register_personality(&ring);
	CHECK(id > 0, "register_personality returns an id", "%d", id);
	if (setegid(65534) || seteuid(65534)) {
		capi_skip("personality use", "cannot drop to uid 65534");
		goto out_ring;
	}
	CHECK(open(path, O_RDONLY) < 0 && errno == EACCES, "as uid 65534 the file is unreadable");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY, 0);
	CHECK_RET(run_one(&ring, NULL), -EACCES, "openat without a personality is -EACCES");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY, 0);
	sqe->personality = (__u16)id;
	ret = run_one(&ring, NULL);
	CHECK(ret >= 0, "openat with the registered (root) personality succeeds", "res %d", ret);
	if (ret >= 0) {
		CHECK(read(ret, buf, sizeof(buf)) == 6 && !memcmp(buf, "secret", 6),
		      "...and reads the file");
		close(ret);
	}
	CHECK_RET(io_uring_unregister_personality(&ring, id), 0, "unregister_personality returns 0");
	CHECK_RET(io_uring_unregister_personality(&ring, id), -EINVAL,
		  "unregister_personality twice is -EINVAL");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_RDONLY, 0);
	sqe->personality = (__u16)id;
	CHECK_RET(run_one(&ring, NULL), -EINVAL, "a retired personality id is -EINVAL");
	if (seteuid(0) || setegid(0))
		capi_failf("back to root", "%s", strerror(errno));
out_ring:
	io_uring_queue_exit(&ring);
out:
	unlink(path);
}

static void test_probe(void)
{
	struct capi_res before;
	struct io_uring ring;
	struct io_uring_probe *p, *p2, *mine;
	size_t sz = sizeof(*p) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_query_opcode qo;
	struct io_uring_query_hdr qh;
	int ret, i, ok;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for probes", ret))
		return;
	before = capi_res_now();
	mine = calloc(1, sz);
	CHECK_RET(raw_register(ring.ring_fd, IORING_REGISTER_PROBE, mine, 256), 0,
		  "kernel probe (raw syscall) for reference");
	p = io_uring_get_probe_ring(&ring);
	if (capi_require(p != NULL, "get_probe_ring returns a probe", 0)) {
		CHECK(!memcmp(p, mine, sz), "get_probe_ring: identical to the kernel's probe table");
		ok = 1;
		for (i = 0; i <= p->last_op; i++)
			if (p->ops[i].op != i)
				ok = 0;
		CHECK(ok, "probe: ops[i].op == i up to last_op");
		CHECK(io_uring_opcode_supported(p, IORING_OP_NOP), "probe: NOP supported");
		CHECK(io_uring_opcode_supported(p, IORING_OP_READ_FIXED), "probe: READ_FIXED supported");
		CHECK(!io_uring_opcode_supported(p, 255), "probe: opcode 255 unsupported");
		memset(&qo, 0, sizeof(qo));
		memset(&qh, 0, sizeof(qh));
		qh.query_op = IO_URING_QUERY_OPCODES;
		qh.query_data = (unsigned long)&qo;
		qh.size = sizeof(qo);
		if (io_uring_register_query(&qh) == 0 && qh.result == 0)
			CHECK_EQ(p->last_op + 1, qo.nr_request_opcodes,
				 "probe last_op + 1 == query's nr_request_opcodes");
		/* callers free probes with free() (what Debian programs do) */
		free(p);
	}
	p2 = io_uring_get_probe();
	if (capi_require(p2 != NULL, "get_probe (own temporary ring) returns a probe", 0)) {
		CHECK(!memcmp(p2, mine, sz), "get_probe: same table as the ring's probe");
		io_uring_free_probe(p2);
	}
	io_uring_free_probe(NULL);
	capi_pass("free_probe(NULL) is harmless");

	memset(mine, 0, sz);
	ret = io_uring_register_probe(&ring, mine, 256);
	CHECK_RET(ret, 0, "register_probe(256) returns 0");
	CHECK(mine->last_op > IORING_OP_NOP && mine->ops_len > 0 &&
	      (mine->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED),
	      "register_probe filled the table");
	mine->resv = 1;
	CHECK_RET(io_uring_register_probe(&ring, mine, 256), -EINVAL,
		  "register_probe into a dirty buffer is -EINVAL");
	free(mine);
	capi_check_no_leak(before, "probes");
	io_uring_queue_exit(&ring);
}

static int wq_worker_affinity(char *out, size_t outlen)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[300], line[256];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && !strncmp(line, "iou-wrk-", 8)) {
			fclose(f);
			snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
			f = fopen(path, "r");
			while (f && fgets(line, sizeof(line), f))
				if (!strncmp(line, "Cpus_allowed_list:", 18)) {
					char *v = line + 18, *nl;

					while (*v == ' ' || *v == '\t')
						v++;
					nl = strchr(v, '\n');
					if (nl)
						*nl = 0;
					snprintf(out, outlen, "%s", v);
					found = 1;
				}
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	return found;
}

/* In a child: a fresh task has no io-wq workers left from earlier tests. */
static void iowq_child(void *unused)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	unsigned vals[2];
	cpu_set_t set;
	char aff[256] = "";
	int ret, pfd[2];
	char c;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0 && pipe(pfd) == 0, "queue_init + pipe for io-wq", ret))
		return;
	/* the task's io_uring context (and its io-wq) exist after a submit */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	run_one(&ring, NULL);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	ret = io_uring_register_iowq_aff(&ring, sizeof(set), &set);
	CHECK_RET(ret, 0, "register_iowq_aff({cpu 0}) returns 0");
	/* a blocking read forced to io-wq creates a worker: check its mask */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, pfd[0], &c, 1, 0);
	sqe->flags |= IOSQE_ASYNC;
	sqe->user_data = 1;
	io_uring_submit(&ring);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		int found = 0, tries;

		/* the worker is created asynchronously: give it up to 5s */
		for (tries = 0; tries < 500 && !found; tries++) {
			found = wq_worker_affinity(aff, sizeof(aff));
			if (!found)
				usleep(10000);
		}
		CHECK(found && !strcmp(aff, "0"),
		      "io-wq worker runs on CPU 0 only", "Cpus_allowed_list '%s'", aff);
	} else {
		capi_skip("io-wq worker affinity", "single CPU");
	}
	if (write(pfd[1], "z", 1) == 1)
		run_one(&ring, NULL);
	CHECK_RET(io_uring_unregister_iowq_aff(&ring), 0, "unregister_iowq_aff returns 0");
	CHECK_RET(io_uring_register_iowq_aff(&ring, 1UL << 31, &set), -EINVAL,
		  "register_iowq_aff(cpusz >= 2^31) is -EINVAL");
	CHECK_RET(io_uring_register_iowq_aff(&ring, 0, &set), -EINVAL,
		  "register_iowq_aff(cpusz 0) is -EINVAL");

	vals[0] = vals[1] = 0;
	ret = io_uring_register_iowq_max_workers(&ring, vals);
	CHECK(ret == 0 && vals[0] > 0 && vals[1] > 0,
	      "iowq_max_workers({0,0}) reads the current limits", "ret %d %u/%u", ret, vals[0], vals[1]);
	vals[0] = 2;
	vals[1] = 3;
	CHECK_RET(io_uring_register_iowq_max_workers(&ring, vals), 0, "iowq_max_workers({2,3})");
	vals[0] = vals[1] = 0;
	ret = io_uring_register_iowq_max_workers(&ring, vals);
	CHECK(ret == 0 && vals[0] == 2 && vals[1] == 3,
	      "iowq_max_workers: the new limits read back as 2/3", "%u/%u", vals[0], vals[1]);
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
	capi_check_no_leak(before, "io-wq affinity and limits");
}

static void test_napi_clock(void)
{
	struct io_uring ring;
	struct io_uring_napi napi;
	struct io_uring_clock_register clk;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for napi/clock", ret))
		return;
	if (!capi_need_register_op("register_napi/unregister_napi", IORING_REGISTER_NAPI,
				   "IORING_REGISTER_NAPI", "6.9"))
		goto clock;
	memset(&napi, 0, sizeof(napi));
	napi.busy_poll_to = 100;
	napi.prefer_busy_poll = 1;
	ret = io_uring_register_napi(&ring, &napi);
	CHECK_RET(ret, 0, "register_napi(100us, prefer) returns 0");
	CHECK(napi.busy_poll_to == 0 && napi.prefer_busy_poll == 0,
	      "register_napi hands back the previous (empty) settings",
	      "%u/%u", napi.busy_poll_to, napi.prefer_busy_poll);
	memset(&napi, 0, sizeof(napi));
	ret = io_uring_unregister_napi(&ring, &napi);
	CHECK_RET(ret, 0, "unregister_napi returns 0");
	CHECK(napi.busy_poll_to == 100 && napi.prefer_busy_poll == 1,
	      "unregister_napi hands back the registered settings",
	      "%u/%u", napi.busy_poll_to, napi.prefer_busy_poll);
	{
		long kret;

		memset(&napi, 0, sizeof(napi));
		napi.pad[2] = 1;
		kret = raw_register(ring.ring_fd, IORING_REGISTER_NAPI, &napi, 1);
		ret = io_uring_register_napi(&ring, &napi);
		CHECK(ret == -EINVAL && kret == -EINVAL,
		      "register_napi with non-zero padding is -EINVAL (kernel agrees)",
		      "got %d, kernel %ld", ret, kret);
	}

clock:
	if (!capi_need_register_op("register_clock and absolute waits on it", IORING_REGISTER_CLOCK,
				   "IORING_REGISTER_CLOCK", "6.12"))
		goto out;
	memset(&clk, 0, sizeof(clk));
	clk.clockid = CLOCK_BOOTTIME;
	CHECK_RET(io_uring_register_clock(&ring, &clk), 0, "register_clock(BOOTTIME) returns 0");
	clk.clockid = CLOCK_MONOTONIC;
	CHECK_RET(io_uring_register_clock(&ring, &clk), 0, "register_clock(MONOTONIC) returns 0");
	clk.clockid = CLOCK_REALTIME;
	CHECK_RET(io_uring_register_clock(&ring, &clk), -EINVAL, "register_clock(REALTIME) is -EINVAL");
	clk.clockid = CLOCK_MONOTONIC;
	clk.__resv[1] = 1;
	CHECK_RET(io_uring_register_clock(&ring, &clk), -EINVAL,
		  "register_clock with non-zero resv is -EINVAL");
	/* the registered clock drives absolute waits */
	{
		struct timespec now;
		struct __kernel_timespec ts;
		struct io_uring_getevents_arg arg;

		memset(&clk, 0, sizeof(clk));
		clk.clockid = CLOCK_BOOTTIME;
		io_uring_register_clock(&ring, &clk);
		clock_gettime(CLOCK_BOOTTIME, &now);
		ts.tv_sec = now.tv_sec;
		ts.tv_nsec = now.tv_nsec + 20000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		memset(&arg, 0, sizeof(arg));
		arg.ts = (unsigned long)&ts;
		ret = io_uring_enter2(ring.ring_fd, 0, 1,
				      IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG |
				      IORING_ENTER_ABS_TIMER, &arg, sizeof(arg));
		CHECK_RET(ret, -ETIME, "absolute wait on the registered BOOTTIME clock is -ETIME");
	}
out:
	io_uring_queue_exit(&ring);
}

/* Zero-copy receive needs a NIC with header split and queue management. */
static void test_zcrx(void)
{
	struct io_uring_params p;
	struct io_uring ring, plain;
	struct io_uring_zcrx_ifq_reg reg;
	struct io_uring_zcrx_area_reg area;
	struct io_uring_region_desc rd;
	struct zcrx_ctrl ctrl;
	size_t alen = 64 * 4096;
	void *amem, *rq;
	long kret;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_CQE32;
	if (io_uring_queue_init_params(8, &ring, &p) || io_uring_queue_init(8, &plain, 0)) {
		capi_failf("queue_init for zcrx", "failed");
		return;
	}
	amem = mmap(NULL, alen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rq = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&area, 0, sizeof(area));
	area.addr = (unsigned long)amem;
	area.len = alen;
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (unsigned long)rq;
	rd.size = 4 * 4096;
	rd.flags = IORING_MEM_REGION_TYPE_USER;
	memset(&reg, 0, sizeof(reg));
	reg.if_idx = if_nametoindex("lo");
	reg.if_rxq = 0;
	reg.rq_entries = 64;
	reg.area_ptr = (unsigned long)&area;
	reg.region_ptr = (unsigned long)&rd;

	printf("NOTE register: zero-copy rx needs a NIC with queue management; "
	       "only the error paths are checked here\n");
	kret = raw_register(plain.ring_fd, IORING_REGISTER_ZCRX_IFQ, &reg, 1);
	ret = io_uring_register_ifq(&plain, &reg);
	CHECK(ret == -EINVAL && ret == kret,
	      "register_ifq on a ring without DEFER_TASKRUN/CQE32 is -EINVAL (kernel agrees)",
	      "got %d, kernel %ld", ret, kret);
	if (capi_need_register_op("register_ifq on loopback and on a missing interface",
				  IORING_REGISTER_ZCRX_IFQ, "IORING_REGISTER_ZCRX_IFQ", "6.15")) {
		ret = io_uring_register_ifq(&ring, &reg);
		CHECK_RET(ret, -EOPNOTSUPP, "register_ifq on loopback (no queue management) is -EOPNOTSUPP");
		reg.if_idx = 99999;
		ret = io_uring_register_ifq(&ring, &reg);
		CHECK_RET(ret, -ENODEV, "register_ifq on a missing interface is -ENODEV");
	}
	reg.area_ptr = 0;
	kret = raw_register(ring.ring_fd, IORING_REGISTER_ZCRX_IFQ, &reg, 1);
	ret = io_uring_register_ifq(&ring, &reg);
	CHECK(ret < 0 && ret == kret, "register_ifq without an area: the kernel's error",
	      "got %d, kernel %ld", ret, kret);

	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.zcrx_id = 0;
	ctrl.op = ZCRX_CTRL_FLUSH_RQ;
	kret = raw_register(ring.ring_fd, IORING_REGISTER_ZCRX_CTRL, &ctrl, 0);
	ret = io_uring_register_zcrx_ctrl(&ring, &ctrl);
	CHECK(ret < 0 && ret == kret, "register_zcrx_ctrl without a zcrx instance: the kernel's error",
	      "got %d, kernel %ld", ret, kret);
	{
		struct io_uring_query_opcode qo;
		struct io_uring_query_hdr qh;

		memset(&qo, 0, sizeof(qo));
		memset(&qh, 0, sizeof(qh));
		qh.query_op = IO_URING_QUERY_OPCODES;
		qh.query_data = (unsigned long)&qo;
		qh.size = sizeof(qo);
		if (io_uring_register_query(&qh) == 0 && qh.result == 0 &&
		    qo.nr_register_opcodes <= IORING_REGISTER_ZCRX_CTRL)
			CHECK_RET(ret, -EINVAL,
				  "register_zcrx_ctrl on a kernel without the opcode is -EINVAL");
	}
	munmap(amem, alen);
	munmap(rq, 4 * 4096);
	io_uring_queue_exit(&plain);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	capi_begin("register");
	capi_check_loaded_library();
	test_buffers();
	if (capi_need_register_op("clone_buffers", IORING_REGISTER_CLONE_BUFFERS,
				  "IORING_REGISTER_CLONE_BUFFERS", "6.12"))
		test_clone_buffers();
	test_files();
	test_file_alloc_range();
	capi_in_child("RLIMIT_NOFILE child", rlimit_child, NULL);
	test_eventfd();
	capi_in_child("personality child", personality_child, NULL);
	test_probe();
	capi_in_child("io-wq child", iowq_child, NULL);
	test_napi_clock();
	test_zcrx();
	return capi_done();
}
