/* SPDX-License-Identifier: MIT */
/*
 * Ring set-up and teardown through the C ABI: io_uring_queue_init*,
 * queue_mmap, queue_exit, the raw system call wrappers, memory sizing,
 * the NO_SQARRAY default and its fallback, ring-fd registration and
 * close_ring_fd, resize_rings, R_DISABLED rings with restrictions, and the
 * error paths of all of them (with fd and mapping accounting).
 */
#include "capi.h"
#include "spy.h"


#define KB 1024UL

/* The kernel's own answers, through syscall(2) and errno. */
static long raw_setup(unsigned entries, struct io_uring_params *p)
{
	long r = syscall(__NR_io_uring_setup, entries, p);

	return r < 0 ? -errno : r;
}

static long raw_enter(int fd, unsigned sub, unsigned comp, unsigned flags,
		      void *arg, size_t sz)
{
	long r = syscall(__NR_io_uring_enter, fd, sub, comp, flags, arg, sz);

	return r < 0 ? -errno : r;
}

static long raw_register(int fd, unsigned op, const void *arg, unsigned nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : r;
}

/* NO_SQARRAY came in Linux 6.6; older kernels refuse the flag with -EINVAL. */
static int kernel_has_no_sqarray(void)
{
	return capi_kernel_has_flag(IORING_SETUP_NO_SQARRAY);
}

/* REG_REG_RING (Linux 6.3): the kernel takes a registered ring index for io_uring_register. */
static int kernel_has_reg_reg_ring(void)
{
	unsigned features = 0;

	return capi_kernel_setup(0, &features) == 0 && (features & IORING_FEAT_REG_REG_RING);
}

static int fd_is_io_uring(int fd)
{
	char path[64], target[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = 0;
	return strstr(target, "io_uring") != NULL;
}

static int fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static unsigned pow2_up(unsigned v)
{
	unsigned r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/*
 * liburing's documented sizing: the CQ ring (a 64-byte header, the CQEs
 * and, without NO_SQARRAY, the SQ index array) and the SQE array, each
 * rounded up to whole pages.
 */
static long expected_memory(unsigned entries, unsigned flags, unsigned cq_req)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned sq = pow2_up(entries);
	unsigned cq = (flags & IORING_SETUP_CQSIZE) ? pow2_up(cq_req) : 2 * sq;
	long cqe = (flags & IORING_SETUP_CQE32) ? 32 : 16;
	long sqe = (flags & IORING_SETUP_SQE128) ? 128 : 64;
	long ring = 64 + cq * cqe;
	long sqes = sq * sqe;

	if (!(flags & IORING_SETUP_NO_SQARRAY))
		ring += 4L * sq;
	ring = (ring + page - 1) / page * page;
	sqes = (sqes + page - 1) / page * page;
	return ring + sqes;
}

static void test_versions(void)
{
	CHECK_EQ(io_uring_major_version(), 2, "io_uring_major_version() == 2");
	CHECK_EQ(io_uring_minor_version(), 15, "io_uring_minor_version() == 15");
	CHECK_EQ(io_uring_major_version(), IO_URING_VERSION_MAJOR,
		 "major version matches the header's IO_URING_VERSION_MAJOR");
	CHECK_EQ(io_uring_minor_version(), IO_URING_VERSION_MINOR,
		 "minor version matches the header's IO_URING_VERSION_MINOR");
	/* true means "the library is older than asked for" */
	CHECK(!io_uring_check_version(2, 15), "check_version(2,15) is false");
	CHECK(!io_uring_check_version(2, 0), "check_version(2,0) is false");
	CHECK(!io_uring_check_version(1, 99), "check_version(1,99) is false");
	CHECK(io_uring_check_version(2, 16), "check_version(2,16) is true");
	CHECK(io_uring_check_version(3, 0), "check_version(3,0) is true");
	CHECK(!IO_URING_CHECK_VERSION(2, 15), "IO_URING_CHECK_VERSION(2,15) is 0");
}

/* Basic init: geometry, default flags, the ring fd, and a NOP round trip. */
static void test_queue_init(void)
{
	struct io_uring ring;
	struct io_uring_params kp;
	struct capi_res before = capi_res_now();
	const char *err;
	long kfd;
	int ret;

	memset(&kp, 0, sizeof(kp));
	kp.flags = IORING_SETUP_NO_SQARRAY;
	kfd = raw_setup(8, &kp);

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "io_uring_queue_init(8, 0) returns 0", ret))
		return;
	CHECK_EQ(ring.sq.ring_entries, 8, "queue_init: 8 SQ entries");
	CHECK_EQ(ring.cq.ring_entries, 16, "queue_init: CQ is twice the SQ");
	CHECK_EQ(ring.sq.ring_mask, 7, "queue_init: sq.ring_mask");
	CHECK_EQ(ring.cq.ring_mask, 15, "queue_init: cq.ring_mask");
	CHECK_EQ(*ring.sq.kring_entries, 8, "queue_init: kernel SQ ring_entries visible");
	if (kfd != -EINVAL)
		CHECK(ring.flags & IORING_SETUP_NO_SQARRAY,
		      "queue_init asks for IORING_SETUP_NO_SQARRAY by default",
		      "flags 0x%x", ring.flags);
	else
		/* the kernel refused NO_SQARRAY (it needs Linux 6.6): the library fell back */
		CHECK(!(ring.flags & IORING_SETUP_NO_SQARRAY) && ring.sq.array != NULL,
		      "fall-back (kernel refuses NO_SQARRAY, -EINVAL): queue_init rings use the SQ array",
		      "flags 0x%x array %p", ring.flags, (void *)ring.sq.array);
	CHECK(ring.ring_fd >= 0 && fd_is_io_uring(ring.ring_fd),
	      "queue_init: ring_fd is an io_uring fd", "fd %d", ring.ring_fd);
	CHECK_EQ(ring.enter_ring_fd, ring.ring_fd, "queue_init: enter_ring_fd == ring_fd");
	CHECK_EQ(ring.int_flags, 0, "queue_init: no internal flags set");
	if (kfd >= 0) {
		CHECK_EQ(ring.features, kp.features,
			 "queue_init: features are the kernel's");
		close((int)kfd);
	}
	CHECK(ring.features & IORING_FEAT_EXT_ARG, "kernel reports EXT_ARG");
	CHECK(ring.sq.sqes != NULL && ring.sq.khead && ring.sq.ktail &&
	      ring.cq.khead && ring.cq.ktail && ring.cq.cqes,
	      "queue_init: ring pointers set");
	CHECK_EQ(ring.sq.sqes_sz, 8 * sizeof(struct io_uring_sqe),
		 "queue_init: sqes_sz covers 8 SQEs");
	err = capi_nops(&ring, 20, 1000);
	CHECK(!err, "queue_init: 20 NOPs round trip through an 8-entry ring", "%s", err);
	io_uring_queue_exit(&ring);
	capi_check_no_leak(before, "queue_init + queue_exit");
}

static void test_queue_init_params(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_params p;
	struct io_uring ring;
	const char *err;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 100;
	ret = io_uring_queue_init_params(5, &ring, &p);
	if (capi_require(ret == 0, "queue_init_params(5, CQSIZE 100) returns 0", ret)) {
		CHECK_EQ(ring.sq.ring_entries, 8, "queue_init_params: 5 entries round up to 8");
		CHECK_EQ(ring.cq.ring_entries, 128, "queue_init_params: CQSIZE 100 rounds up to 128");
		CHECK_EQ(p.sq_entries, 8, "queue_init_params: params.sq_entries filled in");
		CHECK_EQ(p.cq_entries, 128, "queue_init_params: params.cq_entries filled in");
		CHECK(p.features != 0 && p.features == ring.features,
		      "queue_init_params: params.features filled in and kept");
		CHECK(p.sq_off.tail != 0 && p.cq_off.cqes != 0,
		      "queue_init_params: params offsets filled in");
		{
			char *sr = ring.sq.ring_ptr, *cr = ring.cq.ring_ptr;
			size_t cq_bytes = p.cq_off.cqes + 128 * sizeof(struct io_uring_cqe);

			CHECK(sr && sr == cr, "SINGLE_MMAP: sq.ring_ptr == cq.ring_ptr");
			CHECK((char *)ring.sq.khead == sr + p.sq_off.head &&
			      (char *)ring.sq.ktail == sr + p.sq_off.tail &&
			      (char *)ring.sq.kring_mask == sr + p.sq_off.ring_mask &&
			      (char *)ring.sq.kring_entries == sr + p.sq_off.ring_entries &&
			      (char *)ring.sq.kflags == sr + p.sq_off.flags &&
			      (char *)ring.sq.kdropped == sr + p.sq_off.dropped,
			      "sq.k* pointers are ring_ptr + the kernel's sq_off");
			CHECK((char *)ring.cq.khead == cr + p.cq_off.head &&
			      (char *)ring.cq.ktail == cr + p.cq_off.tail &&
			      (char *)ring.cq.kring_mask == cr + p.cq_off.ring_mask &&
			      (char *)ring.cq.kring_entries == cr + p.cq_off.ring_entries &&
			      (char *)ring.cq.koverflow == cr + p.cq_off.overflow &&
			      (char *)ring.cq.cqes == cr + p.cq_off.cqes &&
			      (char *)ring.cq.kflags == cr + p.cq_off.flags,
			      "cq.k* pointers and cqes are ring_ptr + the kernel's cq_off");
			if (ring.flags & IORING_SETUP_NO_SQARRAY || kernel_has_no_sqarray())
				CHECK(ring.sq.array == NULL, "NO_SQARRAY ring: sq.array is NULL");
			else
				CHECK(ring.sq.array != NULL,
				      "fall-back (kernel refuses NO_SQARRAY, -EINVAL): sq.array is mapped");
			CHECK(ring.sq.ring_sz == ring.cq.ring_sz && ring.sq.ring_sz >= cq_bytes,
			      "ring_sz: one mapping covering the CQEs",
			      "sq %zu cq %zu need %zu", (size_t)ring.sq.ring_sz, (size_t)ring.cq.ring_sz, cq_bytes);
		}
		err = capi_nops(&ring, 64, 77);
		CHECK(!err, "queue_init_params: 64 NOPs round trip", "%s", err);
		io_uring_queue_exit(&ring);
	}

	/* error paths: all must fail with the kernel's or liburing's code */
	ret = io_uring_queue_init(0, &ring, 0);
	CHECK_RET(ret, -EINVAL, "queue_init(0 entries) is -EINVAL");
	ret = io_uring_queue_init(32769, &ring, 0);
	CHECK_RET(ret, -EINVAL, "queue_init(32769 entries) is -EINVAL");
	ret = io_uring_queue_init(1U << 31, &ring, 0);
	CHECK_RET(ret, -EINVAL, "queue_init(2^31 entries) is -EINVAL");
	ret = io_uring_queue_init(UINT_MAX, &ring, 0);
	CHECK_RET(ret, -EINVAL, "queue_init(UINT_MAX entries) is -EINVAL");
	ret = io_uring_queue_init(8, &ring, 1U << 31);
	CHECK_RET(ret, -EINVAL, "queue_init(unknown flag bit 31) is -EINVAL");
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_SQ_AFF);
	CHECK_RET(ret, -EINVAL, "queue_init(SQ_AFF without SQPOLL) is -EINVAL");
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_REGISTERED_FD_ONLY);
	CHECK_RET(ret, -EINVAL, "queue_init(REGISTERED_FD_ONLY without NO_MMAP) is -EINVAL");
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 0;
	ret = io_uring_queue_init_params(8, &ring, &p);
	CHECK_RET(ret, -EINVAL, "queue_init_params(CQSIZE, cq_entries 0) is -EINVAL");
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 4;
	ret = io_uring_queue_init_params(8, &ring, &p);
	CHECK_RET(ret, -EINVAL, "queue_init_params(CQSIZE smaller than SQ) is -EINVAL");
	memset(&p, 0, sizeof(p));
	p.resv[0] = 1;
	ret = io_uring_queue_init_params(8, &ring, &p);
	CHECK_RET(ret, -EINVAL, "queue_init_params(non-zero resv) is -EINVAL");
	{
		long kret;

		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_ATTACH_WQ;
		p.wq_fd = 0x7fff;
		kret = raw_setup(8, &p);
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_ATTACH_WQ | IORING_SETUP_NO_SQARRAY;
		p.wq_fd = 0x7fff;
		/* a kernel without NO_SQARRAY (before 6.6) refuses the asked-for flag first */
		if (!kernel_has_no_sqarray())
			kret = raw_setup(8, &p);
		ret = io_uring_queue_init_params(8, &ring, &p);
		CHECK(ret < 0 && ret == kret,
		      "queue_init_params(ATTACH_WQ, bad wq_fd) is the kernel's error",
		      "got %d, kernel %ld", ret, kret);
	}
	capi_check_no_leak(before, "queue_init error paths");

	/* CLAMP turns over-limit sizes into the maximum */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE;
	p.cq_entries = 1U << 30;
	ret = io_uring_queue_init_params(100000, &ring, &p);
	if (capi_require(ret == 0, "queue_init_params(CLAMP, 100000 entries) returns 0", ret)) {
		CHECK_EQ(ring.sq.ring_entries, 32768, "CLAMP: SQ clamped to 32768");
		CHECK_EQ(ring.cq.ring_entries, 65536, "CLAMP: CQ clamped to 65536");
		io_uring_queue_exit(&ring);
	}
	capi_check_no_leak(before, "queue_init_params");
}

/* Setup flags: what the kernel refuses, and what the library notes. */
static void test_setup_flags(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_query_opcode qo;
	struct io_uring_query_hdr qh;
	struct io_uring_params p;
	struct io_uring ring, ring2;
	const char *err;
	unsigned bit;
	int ret;

	memset(&qo, 0, sizeof(qo));
	memset(&qh, 0, sizeof(qh));
	qh.query_op = IO_URING_QUERY_OPCODES;
	qh.query_data = (unsigned long)&qo;
	qh.size = sizeof(qo);
	if (io_uring_register_query(&qh) == 0 && qh.result == 0) {
		for (bit = 17; bit < 21; bit++) {
			char what[128];
			unsigned flag = 1U << bit;

			if (qo.ring_setup_flags & flag)
				continue;
			ret = io_uring_queue_init(8, &ring, flag);
			snprintf(what, sizeof(what),
				 "queue_init(setup flag bit %u, unknown to this kernel) is -EINVAL", bit);
			CHECK_RET(ret, -EINVAL, what);
			if (ret == 0)
				io_uring_queue_exit(&ring);
		}
	}
	/* IOPOLL without SQPOLL: completions must be reaped by entering */
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_IOPOLL);
	if (capi_require(ret == 0, "queue_init(IOPOLL)", ret)) {
		CHECK_EQ(ring.int_flags & 4, 4, "IOPOLL ring: CQ_ENTER internal flag set");
		io_uring_queue_exit(&ring);
	}
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL);
	if (capi_require(ret == 0, "queue_init(IOPOLL|SQPOLL)", ret)) {
		CHECK_EQ(ring.int_flags & 4, 0, "IOPOLL|SQPOLL ring: no CQ_ENTER flag");
		io_uring_queue_exit(&ring);
	}
	/* ATTACH_WQ to a live ring */
	ret = io_uring_queue_init(8, &ring, 0);
	if (capi_require(ret == 0, "queue_init (ATTACH_WQ target)", ret)) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_ATTACH_WQ;
		p.wq_fd = (unsigned)ring.ring_fd;
		ret = io_uring_queue_init_params(8, &ring2, &p);
		CHECK_RET(ret, 0, "queue_init_params(ATTACH_WQ to a ring) returns 0");
		if (ret == 0) {
			err = capi_nops(&ring2, 16, 0);
			CHECK(!err, "the attached ring works", "%s", err);
			io_uring_queue_exit(&ring2);
		}
		io_uring_queue_exit(&ring);
	}
	capi_check_no_leak(before, "setup flags");
}

/* queue_init_mem: the rings live in the caller's buffer. */
static void test_queue_init_mem(void)
{
	struct capi_res before;
	struct io_uring_params p;
	struct io_uring r1, r2;
	size_t bufsz = 256 * KB;
	const char *err;
	char *buf;
	int ret, ret2;

	buf = mmap(NULL, bufsz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!capi_require(buf != MAP_FAILED, "mmap a buffer for queue_init_mem", -errno))
		return;
	before = capi_res_now();

	memset(&p, 0, sizeof(p));
	ret = io_uring_queue_init_mem(8, &r1, &p, buf, bufsz);
	if (!capi_require(ret > 0, "queue_init_mem(8) returns bytes used", ret))
		goto out;
	CHECK_EQ(ret, expected_memory(8, IORING_SETUP_NO_SQARRAY, 0),
		 "queue_init_mem(8): bytes used as documented");
	CHECK_EQ(ret, io_uring_memory_size(8, IORING_SETUP_NO_SQARRAY),
		 "queue_init_mem(8): bytes used == io_uring_memory_size");
	CHECK(r1.flags & IORING_SETUP_NO_MMAP, "queue_init_mem sets IORING_SETUP_NO_MMAP");
	CHECK(r1.flags & IORING_SETUP_NO_SQARRAY, "queue_init_mem asks for NO_SQARRAY");
	CHECK(p.flags & IORING_SETUP_NO_MMAP, "queue_init_mem: params.flags has NO_MMAP");
	CHECK((char *)r1.sq.sqes == buf, "queue_init_mem: SQEs at the start of the buffer",
	      "sqes %p buf %p", (void *)r1.sq.sqes, (void *)buf);
	CHECK((char *)r1.cq.khead >= buf && (char *)r1.cq.khead < buf + ret &&
	      (char *)r1.cq.cqes >= buf && (char *)r1.cq.cqes < buf + ret,
	      "queue_init_mem: CQ ring inside the used part of the buffer");
	CHECK_EQ(capi_count_uring_maps(), before.uring_maps,
		 "queue_init_mem: no io_uring mapping created");
	err = capi_nops(&r1, 32, 5000);
	CHECK(!err, "queue_init_mem: 32 NOPs round trip in caller memory", "%s", err);

	/* a second ring in the rest of the same buffer */
	memset(&p, 0, sizeof(p));
	ret2 = io_uring_queue_init_mem(16, &r2, &p, buf + ret, bufsz - ret);
	if (capi_require(ret2 > 0, "queue_init_mem: second ring after the first's bytes", ret2)) {
		CHECK((char *)r2.sq.sqes == buf + ret, "second ring starts at buf + first's size");
		err = capi_nops(&r2, 40, 9000);
		CHECK(!err, "second ring in the same buffer works", "%s", err);
		err = capi_nops(&r1, 10, 6000);
		CHECK(!err, "first ring still works beside the second", "%s", err);
		io_uring_queue_exit(&r2);
	}
	io_uring_queue_exit(&r1);
	/* the buffer is the caller's: still mapped and writable after exit */
	buf[0] = 1;
	buf[bufsz - 1] = 1;
	CHECK(buf[0] == 1, "queue_exit leaves the caller's buffer mapped");
	capi_check_no_leak(before, "queue_init_mem + queue_exit");

	/* too small: -ENOMEM, nothing created */
	memset(buf, 0, bufsz);
	memset(&p, 0, sizeof(p));
	ret = io_uring_queue_init_mem(1024, &r1, &p, buf, 8 * KB);
	CHECK_RET(ret, -ENOMEM, "queue_init_mem: buffer too small is -ENOMEM");
	memset(&p, 0, sizeof(p));
	ret = io_uring_queue_init_mem(0, &r1, &p, buf, bufsz);
	CHECK_RET(ret, -EINVAL, "queue_init_mem(0 entries) is -EINVAL");
	capi_check_no_leak(before, "queue_init_mem error paths");

	/* bigger rings with CQE32/SQE128: the documented size */
	memset(buf, 0, bufsz);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128 | IORING_SETUP_CQE32;
	ret = io_uring_queue_init_mem(64, &r1, &p, buf, bufsz);
	CHECK_EQ(ret, expected_memory(64, IORING_SETUP_SQE128 | IORING_SETUP_CQE32 |
				      IORING_SETUP_NO_SQARRAY, 0),
		 "queue_init_mem(64, SQE128|CQE32): documented size");
	if (ret > 0) {
		err = capi_nops(&r1, 64, 100);
		CHECK(!err, "queue_init_mem SQE128|CQE32 ring works", "%s", err);
		io_uring_queue_exit(&r1);
	}
	capi_check_no_leak(before, "queue_init_mem SQE128|CQE32");
out:
	munmap(buf, bufsz);
}

/* NO_MMAP without a caller buffer: the library provides the memory. */
static void test_no_mmap_own_memory(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_params p;
	struct io_uring ring;
	const char *err;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_NO_MMAP;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (capi_require(ret == 0, "queue_init_params(8, NO_MMAP) without a buffer returns 0", ret)) {
		CHECK(ring.flags & IORING_SETUP_NO_MMAP, "NO_MMAP ring: flag kept");
		CHECK(!(ring.int_flags & 2), "NO_MMAP ring with library memory: APP_MEM not set",
		      "int_flags 0x%x", ring.int_flags);
		CHECK_EQ(capi_count_uring_maps(), before.uring_maps,
			 "NO_MMAP ring: no io_uring mapping (anonymous memory instead)");
		err = capi_nops(&ring, 40, 0);
		CHECK(!err, "NO_MMAP ring with library memory works", "%s", err);
		io_uring_queue_exit(&ring);
	}
	capi_check_no_leak(before, "NO_MMAP ring with library memory");
	/*
	 * SQEs that need more than a page need a 2 MiB huge page; with none
	 * reserved (vm.nr_hugepages 0 here) mmap's -ENOMEM comes back.
	 */
	{
		FILE *f = fopen("/proc/sys/vm/nr_hugepages", "r");
		long huge = -1;

		if (f) {
			if (fscanf(f, "%ld", &huge) != 1)
				huge = -1;
			fclose(f);
		}
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_NO_MMAP;
		ret = io_uring_queue_init_params(256, &ring, &p);
		if (huge == 0) {
			CHECK_RET(ret, -ENOMEM,
				  "NO_MMAP, 256 entries, no huge pages reserved: -ENOMEM");
		} else if (ret == 0) {
			capi_pass("NO_MMAP, 256 entries, with huge pages: ring made");
			io_uring_queue_exit(&ring);
		} else {
			capi_skip("NO_MMAP huge-page ring", "huge pages reserved but unusable");
		}
		capi_check_no_leak(before, "NO_MMAP huge-page attempt");
	}
}

static void test_memory_size(void)
{
	struct io_uring_params p;

	CHECK_EQ(io_uring_memory_size(8, 0), expected_memory(8, 0, 0),
		 "memory_size(8, 0)");
	CHECK_EQ(io_uring_memory_size(5, 0), expected_memory(8, 0, 0),
		 "memory_size(5, 0) == memory_size(8, 0)");
	CHECK_EQ(io_uring_memory_size(4096, 0), expected_memory(4096, 0, 0),
		 "memory_size(4096, 0)");
	CHECK_EQ(io_uring_memory_size(4096, IORING_SETUP_NO_SQARRAY),
		 expected_memory(4096, IORING_SETUP_NO_SQARRAY, 0),
		 "memory_size(4096, NO_SQARRAY)");
	CHECK_EQ(io_uring_memory_size(256, IORING_SETUP_SQE128 | IORING_SETUP_CQE32),
		 expected_memory(256, IORING_SETUP_SQE128 | IORING_SETUP_CQE32, 0),
		 "memory_size(256, SQE128|CQE32)");
	CHECK_RET(io_uring_memory_size(0, 0), -EINVAL, "memory_size(0) is -EINVAL");
	CHECK_RET(io_uring_memory_size(32769, 0), -EINVAL, "memory_size(32769) is -EINVAL");
	CHECK_EQ(io_uring_memory_size(32769, IORING_SETUP_CLAMP),
		 expected_memory(32768, 0, 0), "memory_size(32769, CLAMP) is the 32768 size");

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 1000;
	CHECK_EQ(io_uring_memory_size_params(64, &p),
		 expected_memory(64, IORING_SETUP_CQSIZE, 1000),
		 "memory_size_params(64, CQSIZE 1000)");
	p.cq_entries = 0;
	CHECK_RET(io_uring_memory_size_params(64, &p), -EINVAL,
		  "memory_size_params(CQSIZE, cq_entries 0) is -EINVAL");
	p.cq_entries = 16;
	CHECK_RET(io_uring_memory_size_params(64, &p), -EINVAL,
		  "memory_size_params(CQSIZE < SQ) is -EINVAL");
	p.cq_entries = 65537;
	CHECK_RET(io_uring_memory_size_params(64, &p), -EINVAL,
		  "memory_size_params(CQSIZE 65537) is -EINVAL");
	p.flags |= IORING_SETUP_CLAMP;
	CHECK_EQ(io_uring_memory_size_params(64, &p),
		 expected_memory(64, IORING_SETUP_CQSIZE, 65536),
		 "memory_size_params(CQSIZE 65537, CLAMP) clamps");

	/* 5.12+ kernels account ring memory to the cgroup: no memlock needed */
	CHECK_EQ(io_uring_mlock_size(8, 0), 0, "mlock_size(8, 0) is 0 on this kernel");
	CHECK_EQ(io_uring_mlock_size(4096, IORING_SETUP_CQE32), 0,
		 "mlock_size(4096, CQE32) is 0 on this kernel");
	memset(&p, 0, sizeof(p));
	CHECK_EQ(io_uring_mlock_size_params(64, &p), 0, "mlock_size_params(64) is 0");
	/* no ring can be made, so the sizing answer (and its error) is given */
	CHECK_RET(io_uring_mlock_size(0, 0), -EINVAL, "mlock_size(0) is -EINVAL");
	memset(&p, 0, sizeof(p));
	CHECK_RET(io_uring_mlock_size_params(40000, &p), -EINVAL,
		  "mlock_size_params(40000) is -EINVAL");
}

/* io_uring_setup + io_uring_queue_mmap: a ring made by hand. */
static void test_queue_mmap(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_params p;
	struct io_uring ring;
	const char *err;
	int fd, ret, pfd[2];

	memset(&p, 0, sizeof(p));
	/* fall-back on a kernel before 6.6: a ring with the SQ array */
	p.flags = kernel_has_no_sqarray() ? IORING_SETUP_NO_SQARRAY : 0;
	fd = io_uring_setup(16, &p);
	if (!capi_require(fd >= 0 && fd_is_io_uring(fd), "io_uring_setup(16) returns an io_uring fd", fd))
		return;
	CHECK_EQ(p.sq_entries, 16, "io_uring_setup: params.sq_entries");
	memset(&ring, 0xa5, sizeof(ring));
	ret = io_uring_queue_mmap(fd, &p, &ring);
	if (capi_require(ret == 0, "io_uring_queue_mmap returns 0", ret)) {
		CHECK_EQ(ring.ring_fd, fd, "queue_mmap: ring_fd is the given fd");
		CHECK_EQ(ring.enter_ring_fd, fd, "queue_mmap: enter_ring_fd is the given fd");
		CHECK_EQ(ring.flags, p.flags, "queue_mmap: flags from params");
		CHECK_EQ(ring.features, p.features, "queue_mmap: features from params");
		CHECK_EQ(ring.int_flags, 0, "queue_mmap: struct cleared (int_flags 0)");
		CHECK_EQ(ring.sq.ring_entries, 16, "queue_mmap: SQ entries");
		CHECK_EQ(ring.cq.ring_entries, 32, "queue_mmap: CQ entries");
		if (!(p.flags & IORING_SETUP_NO_SQARRAY)) {
			unsigned i;

			/*
			 * queue_mmap maps the SQ array but, as upstream's, leaves
			 * filling it to the caller (queue_init does it).
			 */
			CHECK(ring.sq.array != NULL,
			      "fall-back (kernel refuses NO_SQARRAY, -EINVAL): queue_mmap maps sq.array");
			for (i = 0; ring.sq.array && i < ring.sq.ring_entries; i++)
				ring.sq.array[i] = i;
		}
		err = capi_nops(&ring, 50, 300);
		CHECK(!err, "queue_mmap ring: 50 NOPs round trip", "%s", err);
		io_uring_queue_exit(&ring);
		CHECK(!fd_is_open(fd), "queue_exit closes the queue_mmap ring fd");
	} else {
		close(fd);
	}
	capi_check_no_leak(before, "io_uring_setup + queue_mmap + queue_exit");

	/* mapping something that is not an io_uring: mmap's own error */
	if (pipe(pfd) == 0) {
		void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_POPULATE, pfd[0], IORING_OFF_SQ_RING);
		int kerr = m == MAP_FAILED ? -errno : 0;

		if (m != MAP_FAILED)
			munmap(m, 4096);
		memset(&p, 0, sizeof(p));
		p.sq_entries = 8;
		p.cq_entries = 16;
		p.sq_off.array = 128;
		p.cq_off.cqes = 128;
		ret = io_uring_queue_mmap(pfd[0], &p, &ring);
		CHECK(ret < 0 && ret == kerr, "queue_mmap(pipe fd) fails with mmap's error",
		      "got %d, mmap says %d", ret, kerr);
		ret = io_uring_queue_mmap(-1, &p, &ring);
		CHECK_RET(ret, -EBADF, "queue_mmap(-1) is -EBADF");
		close(pfd[0]);
		close(pfd[1]);
	}
	capi_check_no_leak(before, "queue_mmap error paths");
}

/* io_uring_setup/enter/enter2/register return -errno, exactly the kernel's. */
static void test_raw_syscalls(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_params p;
	struct io_uring ring;
	int pfd[2], ret, fd;
	long kret;

	memset(&p, 0, sizeof(p));
	CHECK_RET(io_uring_setup(0, &p), -EINVAL, "io_uring_setup(0) is -EINVAL (not -1)");
	CHECK_RET(io_uring_setup(8, NULL), -EFAULT, "io_uring_setup(8, NULL) is -EFAULT");
	memset(&p, 0, sizeof(p));
	p.flags = 1U << 30;
	kret = raw_setup(8, &p);
	memset(&p, 0, sizeof(p));
	p.flags = 1U << 30;
	CHECK_EQ(io_uring_setup(8, &p), kret, "io_uring_setup(bad flag) == kernel's answer");
	CHECK_RET(kret, -EINVAL, "kernel: io_uring_setup(bad flag) is -EINVAL");

	CHECK_RET(io_uring_enter(0x7ffe, 0, 0, 0, NULL), -EBADF,
		  "io_uring_enter(bad fd) is -EBADF");
	CHECK_RET(io_uring_register(0x7ffe, IORING_REGISTER_PERSONALITY, NULL, 0), -EBADF,
		  "io_uring_register(bad fd) is -EBADF");
	if (pipe(pfd) == 0) {
		kret = raw_enter(pfd[0], 0, 0, 0, NULL, 0);
		CHECK_EQ(io_uring_enter(pfd[0], 0, 0, 0, NULL), kret,
			 "io_uring_enter(pipe fd) == kernel's answer");
		CHECK_RET(kret, -EOPNOTSUPP, "kernel: io_uring_enter(pipe) is -EOPNOTSUPP");
		kret = raw_register(pfd[0], IORING_REGISTER_PERSONALITY, NULL, 0);
		CHECK_EQ(io_uring_register(pfd[0], IORING_REGISTER_PERSONALITY, NULL, 0), kret,
			 "io_uring_register(pipe fd) == kernel's answer");
		CHECK_RET(kret, -EOPNOTSUPP, "kernel: io_uring_register(pipe) is -EOPNOTSUPP");
		close(pfd[0]);
		close(pfd[1]);
	}

	ret = io_uring_queue_init(4, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(4) for raw syscall checks", ret))
		return;
	fd = ring.ring_fd;
	/* enter: submit one NOP by hand through the raw wrapper */
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;
		unsigned tail;

		io_uring_prep_nop(sqe);
		sqe->user_data = 0xabcdef;
		tail = ring.sq.sqe_tail;
		ring.sq.sqe_head = tail;
		__atomic_store_n(ring.sq.ktail, tail, __ATOMIC_RELEASE);
		ret = io_uring_enter(fd, 1, 1, IORING_ENTER_GETEVENTS, NULL);
		CHECK_RET(ret, 1, "io_uring_enter(submit 1, wait 1) returns 1");
		ret = io_uring_peek_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->user_data == 0xabcdef && cqe->res == 0,
		      "io_uring_enter: the NOP's CQE is there");
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
	}
	/* enter2 with EXT_ARG: a 20ms timeout and nothing to wait for */
	{
		struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 20000000 };
		struct io_uring_getevents_arg arg = {
			.ts = (unsigned long)&ts,
		};
		struct timespec t0, t1;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = io_uring_enter2(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
				      &arg, sizeof(arg));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		CHECK_RET(ret, -ETIME, "io_uring_enter2(EXT_ARG, 20ms) is -ETIME");
		CHECK(ms >= 15 && ms < 2000, "io_uring_enter2: waited about 20ms", "%ld ms", ms);
		ret = io_uring_enter2(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
				      &arg, sizeof(arg) - 1);
		CHECK_RET(ret, -EINVAL, "io_uring_enter2(EXT_ARG, wrong size) is -EINVAL");
		ret = io_uring_enter2(fd, 0, 0, 1U << 30, NULL, 0);
		CHECK_RET(ret, -EINVAL, "io_uring_enter2(unknown flag) is -EINVAL");
	}
	/* register: a personality, straight through */
	ret = io_uring_register(fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	CHECK(ret > 0, "io_uring_register(PERSONALITY) returns an id", "%d", ret);
	if (ret > 0) {
		int id = ret;

		ret = io_uring_register(fd, IORING_UNREGISTER_PERSONALITY, NULL, id);
		CHECK_RET(ret, 0, "io_uring_register(UNREGISTER_PERSONALITY) returns 0");
		ret = io_uring_register(fd, IORING_UNREGISTER_PERSONALITY, NULL, id);
		CHECK_RET(ret, -EINVAL, "unregistering it again is -EINVAL");
	}
	ret = io_uring_register(fd, 9999, NULL, 0);
	CHECK_RET(ret, -EINVAL, "io_uring_register(opcode 9999) is -EINVAL");
	io_uring_queue_exit(&ring);
	capi_check_no_leak(before, "raw syscall wrappers");
}

/* The exported io_uring_get_sqe (for programs built against 2.0/2.1). */
static void test_exported_get_sqe(void)
{
	struct io_uring ring;
	struct io_uring_sqe *s[9];
	int i, ret, ok = 1;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(8) for exported get_sqe", ret))
		return;
	for (i = 0; i < 9; i++)
		s[i] = capi_lib_get_sqe(&ring);
	for (i = 0; i < 8; i++)
		if (s[i] != &ring.sq.sqes[i])
			ok = 0;
	CHECK(ok, "exported io_uring_get_sqe hands out SQEs 0..7 in order");
	CHECK(s[8] == NULL, "exported io_uring_get_sqe returns NULL on a full SQ");
	CHECK_EQ(ring.sq.sqe_tail, 8, "exported io_uring_get_sqe advanced sqe_tail");
	for (i = 0; i < 8; i++) {
		io_uring_prep_nop(s[i]);
		s[i]->user_data = 40 + i;
	}
	ret = io_uring_submit_and_wait(&ring, 8);
	CHECK_RET(ret, 8, "SQEs from the exported get_sqe submit");
	{
		struct io_uring_cqe *cqes[16];
		unsigned n = io_uring_peek_batch_cqe(&ring, cqes, 16), seen = 0;

		for (i = 0; i < (int)n; i++)
			if (cqes[i]->user_data >= 40 && cqes[i]->user_data < 48)
				seen |= 1U << (cqes[i]->user_data - 40);
		io_uring_cq_advance(&ring, n);
		CHECK(n == 8 && seen == 0xff, "all 8 come back", "n %u seen 0x%x", n, seen);
	}
	/* the inline and exported forms interleave on one ring */
	ok = 1;
	for (i = 0; i < 4; i++) {
		struct io_uring_sqe *a = capi_lib_get_sqe(&ring);
		struct io_uring_sqe *b = io_uring_get_sqe(&ring);

		if (!a || !b || b != a + 1)
			ok = 0;
		if (a) {
			io_uring_prep_nop(a);
			a->user_data = 2 * i;
		}
		if (b) {
			io_uring_prep_nop(b);
			b->user_data = 2 * i + 1;
		}
	}
	CHECK(ok, "inline and exported get_sqe share the ring's tail");
	ret = io_uring_submit_and_wait(&ring, 8);
	CHECK_RET(ret, 8, "interleaved SQEs submit");
	{
		struct io_uring_cqe *cqes[16];
		unsigned n = io_uring_peek_batch_cqe(&ring, cqes, 16), seen = 0;

		for (i = 0; i < (int)n; i++)
			if (cqes[i]->user_data < 8)
				seen |= 1U << cqes[i]->user_data;
		io_uring_cq_advance(&ring, n);
		CHECK(n == 8 && seen == 0xff, "interleaved SQEs all complete", "n %u seen 0x%x", n, seen);
	}
	io_uring_queue_exit(&ring);
}

/* ---- NO_SQARRAY fallback, proven with a seccomp supervisor --------------- */

/*
 * The spy's verdict on io_uring_setup: record the params flags, and refuse
 * setups that ask for NO_SQARRAY with refuse_errno (0: let all through).
 */
struct setup_verdict {
	int refuse_errno;
	unsigned flags[CAPI_SPY_MAX];
};

static int setup_decide(struct capi_spy *spy, const __u64 *args)
{
	struct setup_verdict *v = spy->ctx;
	/* same address space: the params are readable directly */
	const struct io_uring_params *p = (const void *)(uintptr_t)args[1];
	int n = spy->ncalls;

	if (n < CAPI_SPY_MAX)
		v->flags[n] = p ? p->flags : ~0U;
	if (p && (p->flags & IORING_SETUP_NO_SQARRAY))
		return v->refuse_errno;
	return 0;
}

static void fallback_child(void *unused)
{
	static struct capi_spy cspy;
	static struct setup_verdict verdict;
	struct io_uring_params p;
	struct io_uring ring;
	const char *err;
	unsigned i;
	int ret, ok;
	char *buf;
	/* ask the kernel before the spy sees (and may refuse) io_uring_setup */
	int has_no_sqarray = kernel_has_no_sqarray();
	int has_no_mmap = capi_kernel_has_flag(IORING_SETUP_NO_MMAP);

	cspy.decide = setup_decide;
	cspy.ctx = &verdict;
	ret = capi_spy_install(&cspy, __NR_io_uring_setup);
	if (ret == -EINVAL || ret == -ENOSYS || ret == -EACCES) {
		capi_skip("NO_SQARRAY fallback", "seccomp user notification unavailable");
		return;
	}
	if (!capi_require(ret == 0, "seccomp spy on io_uring_setup installed", ret))
		return;

	/* 1. kernel refuses NO_SQARRAY with EINVAL: liburing retries without */
	verdict.refuse_errno = EINVAL;
	capi_spy_reset(&cspy);
	ret = io_uring_queue_init(16, &ring, 0);
	CHECK_RET(ret, 0, "fallback: queue_init succeeds when NO_SQARRAY is refused");
	CHECK_EQ(capi_spy_calls(&cspy), 2, "fallback: io_uring_setup called twice");
	CHECK(capi_spy_calls(&cspy) >= 2 && (verdict.flags[0] & IORING_SETUP_NO_SQARRAY) &&
	      !(verdict.flags[1] & IORING_SETUP_NO_SQARRAY),
	      "fallback: first call with NO_SQARRAY, second without",
	      "flags 0x%x then 0x%x", verdict.flags[0], verdict.flags[1]);
	if (ret == 0) {
		CHECK(!(ring.flags & IORING_SETUP_NO_SQARRAY),
		      "fallback: ring.flags has no NO_SQARRAY");
		ok = ring.sq.array != NULL;
		for (i = 0; ok && i < ring.sq.ring_entries; i++)
			if (ring.sq.array[i] != i)
				ok = 0;
		CHECK(ok, "fallback: SQ array maps slot i to SQE i");
		err = capi_nops(&ring, 64, 123);
		CHECK(!err, "fallback: 64 NOPs round trip through the SQ array", "%s", err);
		io_uring_queue_exit(&ring);
	}

	/* 2. explicitly asked for NO_SQARRAY: no fallback */
	capi_spy_reset(&cspy);
	ret = io_uring_queue_init(16, &ring, IORING_SETUP_NO_SQARRAY);
	CHECK_RET(ret, -EINVAL, "fallback: explicit NO_SQARRAY refused stays -EINVAL");
	CHECK_EQ(capi_spy_calls(&cspy), 1, "fallback: explicit NO_SQARRAY is tried once");

	/* 3. a different error is not a reason to fall back */
	verdict.refuse_errno = ENOMEM;
	capi_spy_reset(&cspy);
	ret = io_uring_queue_init(16, &ring, 0);
	CHECK_RET(ret, -ENOMEM, "fallback: -ENOMEM is returned, not retried");
	CHECK_EQ(capi_spy_calls(&cspy), 1, "fallback: -ENOMEM means one call");

	/* 4. queue_init_mem falls back too, and sizes the SQ array in */
	if (!capi_needs(has_no_mmap, "fallback: queue_init_mem (SQ array in the caller's memory)",
			"IORING_SETUP_NO_MMAP", "6.5", "answered -EINVAL to io_uring_setup flag 0x4000"))
		goto no_mmap_done;
	verdict.refuse_errno = EINVAL;
	capi_spy_reset(&cspy);
	buf = mmap(NULL, 256 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 1024;
	ret = io_uring_queue_init_mem(1024, &ring, &p, buf, 256 * KB);
	CHECK(capi_spy_calls(&cspy) == 2, "fallback: queue_init_mem calls io_uring_setup twice",
	      "got %d calls (%d withdrawn), queue_init_mem returned %d, ring fd %d", capi_spy_calls(&cspy),
	      cspy.withdrawn, ret, ring.ring_fd);
	CHECK_EQ(ret, expected_memory(1024, IORING_SETUP_CQSIZE, 1024),
		 "fallback: queue_init_mem bytes include the SQ array");
	if (ret > 0) {
		CHECK(!(ring.flags & IORING_SETUP_NO_SQARRAY) &&
		      (ring.flags & IORING_SETUP_NO_MMAP),
		      "fallback: queue_init_mem ring is NO_MMAP without NO_SQARRAY");
		err = capi_nops(&ring, 64, 555);
		CHECK(!err, "fallback: queue_init_mem ring works", "%s", err);
		io_uring_queue_exit(&ring);
	}
	munmap(buf, 256 * KB);
no_mmap_done:

	/* 5. without refusal, NO_SQARRAY is asked for once and kept */
	verdict.refuse_errno = 0;
	capi_spy_reset(&cspy);
	ret = io_uring_queue_init(16, &ring, 0);
	if (has_no_sqarray)
		CHECK(ret == 0 && capi_spy_calls(&cspy) == 1 && (verdict.flags[0] & IORING_SETUP_NO_SQARRAY),
		      "no refusal: one io_uring_setup call, with NO_SQARRAY",
		      "ret %d calls %d flags 0x%x", ret, capi_spy_calls(&cspy), verdict.flags[0]);
	else
		/* the kernel itself refuses NO_SQARRAY (it needs Linux 6.6) */
		CHECK(ret == 0 && capi_spy_calls(&cspy) == 2 &&
		      (verdict.flags[0] & IORING_SETUP_NO_SQARRAY) &&
		      !(verdict.flags[1] & IORING_SETUP_NO_SQARRAY) && ring.sq.array != NULL,
		      "fall-back (kernel refuses NO_SQARRAY, -EINVAL): two io_uring_setup calls, the second without it",
		      "ret %d calls %d flags 0x%x then 0x%x", ret, capi_spy_calls(&cspy),
		      verdict.flags[0], verdict.flags[1]);
	if (ret == 0)
		io_uring_queue_exit(&ring);
	verdict.refuse_errno = 0;
}

/* ---- ring fd registration and close_ring_fd ------------------------------ */

static void test_ring_fd(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	const char *err;
	int ret, fd, nfds;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(8) for ring fd registration", ret))
		return;
	fd = ring.ring_fd;
	CHECK_RET(io_uring_unregister_ring_fd(&ring), -EINVAL,
		  "unregister_ring_fd before registering is -EINVAL");
	if (kernel_has_reg_reg_ring())
		CHECK_RET(io_uring_close_ring_fd(&ring), -EINVAL,
			  "close_ring_fd before registering is -EINVAL");
	else
		CHECK_RET(io_uring_close_ring_fd(&ring), -EOPNOTSUPP,
			  "fall-back (no IORING_FEAT_REG_REG_RING before Linux 6.3): close_ring_fd is -EOPNOTSUPP");
	ret = io_uring_register_ring_fd(&ring);
	CHECK_RET(ret, 1, "register_ring_fd returns 1");
	CHECK(ring.enter_ring_fd != fd && ring.enter_ring_fd >= 0 && ring.enter_ring_fd < 16,
	      "register_ring_fd: enter_ring_fd is now a registered index",
	      "enter_ring_fd %d", ring.enter_ring_fd);
	CHECK(ring.int_flags & 16, "register_ring_fd: REG_RING internal flag set",
	      "int_flags 0x%x", ring.int_flags);
	if (kernel_has_reg_reg_ring())
		CHECK(ring.int_flags & 1, "register_ring_fd: REG_REG_RING set (kernel has the feature)",
		      "int_flags 0x%x", ring.int_flags);
	else
		CHECK(!(ring.int_flags & 1),
		      "fall-back (no IORING_FEAT_REG_REG_RING before Linux 6.3): REG_REG_RING not set",
		      "int_flags 0x%x", ring.int_flags);
	CHECK_RET(io_uring_register_ring_fd(&ring), -EEXIST,
		  "register_ring_fd twice is -EEXIST");
	err = capi_nops(&ring, 30, 1);
	CHECK(!err, "NOPs through the registered ring fd", "%s", err);

	ret = io_uring_unregister_ring_fd(&ring);
	CHECK_RET(ret, 1, "unregister_ring_fd returns 1");
	CHECK_EQ(ring.enter_ring_fd, fd, "unregister_ring_fd restores enter_ring_fd");
	CHECK_EQ(ring.int_flags & 17, 0, "unregister_ring_fd clears REG_RING/REG_REG_RING");
	CHECK_RET(io_uring_unregister_ring_fd(&ring), -EINVAL,
		  "unregister_ring_fd twice is -EINVAL");
	err = capi_nops(&ring, 30, 100);
	CHECK(!err, "NOPs after unregister_ring_fd", "%s", err);

	/* close_ring_fd: the ring keeps working with no fd at all */
	ret = io_uring_register_ring_fd(&ring);
	CHECK_RET(ret, 1, "register_ring_fd again returns 1");
	nfds = capi_count_fds();
	if (!kernel_has_reg_reg_ring()) {
		/* register calls keep using the fd: it must stay open */
		CHECK_RET(io_uring_close_ring_fd(&ring), -EOPNOTSUPP,
			  "fall-back (no IORING_FEAT_REG_REG_RING before Linux 6.3): close_ring_fd keeps the fd");
		CHECK(ring.ring_fd == fd && fd_is_open(fd) && capi_count_fds() == nfds,
		      "fall-back: the ring fd is still open after the refused close_ring_fd");
		capi_need_feature("close_ring_fd and a ring with no fd", IORING_FEAT_REG_REG_RING,
				  "IORING_FEAT_REG_REG_RING", "6.3");
		io_uring_queue_exit(&ring);
		capi_check_no_leak(before, "register_ring_fd/queue_exit");
		return;
	}
	ret = io_uring_close_ring_fd(&ring);
	CHECK_RET(ret, 1, "close_ring_fd returns 1");
	CHECK_EQ(ring.ring_fd, -1, "close_ring_fd sets ring_fd to -1");
	CHECK(!fd_is_open(fd), "close_ring_fd closed the descriptor");
	CHECK_EQ(capi_count_fds(), nfds - 1, "close_ring_fd: one fd fewer");
	CHECK_RET(io_uring_close_ring_fd(&ring), -EBADF, "close_ring_fd twice is -EBADF");
	/* submits and waits must go through the registered index now */
	err = capi_nops(&ring, 40, 200);
	CHECK(!err, "NOPs after close_ring_fd (registered index only)", "%s", err);
	ret = io_uring_register_personality(&ring);
	CHECK(ret > 0, "register calls after close_ring_fd use the registered ring",
	      "%d", ret);
	if (ret > 0)
		CHECK_RET(io_uring_unregister_personality(&ring, ret), 0,
			  "unregister_personality after close_ring_fd");
	{
		struct __kernel_timespec ts = { .tv_nsec = 10000000 };
		struct io_uring_cqe *cqe;

		ret = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
		CHECK_RET(ret, -ETIME, "wait_cqe_timeout after close_ring_fd is -ETIME");
	}
	io_uring_queue_exit(&ring);
	capi_check_no_leak(before, "register_ring_fd/close_ring_fd/queue_exit");
}

/*
 * queue_exit gives the registered ring-fd slot back: the kernel has 16 per
 * task, so 40 rounds of init/register/exit only work if each exit frees it.
 */
static void test_ring_fd_slots(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring ring;
	int i, ok = 1, ret = 0;

	for (i = 0; i < 40 && ok; i++) {
		if (io_uring_queue_init(4, &ring, 0)) {
			ok = 0;
			break;
		}
		ret = io_uring_register_ring_fd(&ring);
		if (ret != 1)
			ok = 0;
		if (i % 2)
			io_uring_close_ring_fd(&ring);
		io_uring_queue_exit(&ring);
	}
	CHECK(ok, "40 x (queue_init, register_ring_fd, queue_exit): exit frees the slot",
	      "round %d: register_ring_fd %d", i, ret);
	capi_check_no_leak(before, "40 registered-ring rounds");
}

/* REGISTERED_FD_ONLY rings have no fd from the start. */
static void test_registered_fd_only(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_params p;
	struct io_uring ring;
	const char *err;
	char *buf;
	int ret, nfds = capi_count_fds();

	buf = mmap(NULL, 64 * KB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	before = capi_res_now();
	nfds = before.fds;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_REGISTERED_FD_ONLY | IORING_SETUP_NO_MMAP;
	ret = io_uring_queue_init_mem(8, &ring, &p, buf, 64 * KB);
	if (capi_require(ret > 0, "queue_init_mem(REGISTERED_FD_ONLY|NO_MMAP)", ret)) {
		CHECK_EQ(ring.ring_fd, -1, "REGISTERED_FD_ONLY: ring_fd is -1");
		CHECK((ring.int_flags & 17) == 17, "REGISTERED_FD_ONLY: REG_RING|REG_REG_RING set",
		      "int_flags 0x%x", ring.int_flags);
		CHECK_EQ(capi_count_fds(), nfds, "REGISTERED_FD_ONLY: no fd created");
		err = capi_nops(&ring, 20, 7);
		CHECK(!err, "REGISTERED_FD_ONLY ring works", "%s", err);
		CHECK_RET(io_uring_register_ring_fd(&ring), -EEXIST,
			  "REGISTERED_FD_ONLY: register_ring_fd is -EEXIST");
		CHECK_RET(io_uring_close_ring_fd(&ring), -EBADF,
			  "REGISTERED_FD_ONLY: close_ring_fd (no fd) is -EBADF");
		io_uring_queue_exit(&ring);
	}
	capi_check_no_leak(before, "REGISTERED_FD_ONLY ring");
	munmap(buf, 64 * KB);
}

/* ---- resize_rings ------------------------------------------------------- */

static void test_resize(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned i, seen;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (!capi_require(ret == 0, "queue_init(DEFER_TASKRUN) for resize", ret))
		return;

	/* two completions waiting in the CQ, three SQEs not yet submitted */
	for (i = 0; i < 2; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_nop(sqe);
		sqe->user_data = 10 + i;
	}
	ret = io_uring_submit_and_wait(&ring, 2);
	CHECK_RET(ret, 2, "resize: two NOPs submitted and completed");
	/*
	 * Three SQEs published to the kernel (tail stored, as a flush does)
	 * but not yet consumed: "pending" in the man page's sense.
	 */
	for (i = 0; i < 3; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		io_uring_prep_nop(sqe);
		sqe->user_data = 20 + i;
	}
	ring.sq.sqe_head = ring.sq.sqe_tail;
	__atomic_store_n(ring.sq.ktail, ring.sq.sqe_tail, __ATOMIC_RELEASE);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 64;
	p.cq_entries = 256;
	p.flags = IORING_SETUP_CQSIZE;
	ret = io_uring_resize_rings(&ring, &p);
	CHECK_RET(ret, 0, "resize_rings(64, CQ 256) returns 0");
	CHECK_EQ(ring.sq.ring_entries, 64, "resize: SQ now 64 entries");
	CHECK_EQ(ring.cq.ring_entries, 256, "resize: CQ now 256 entries");
	CHECK_EQ(ring.sq.ring_mask, 63, "resize: SQ mask follows");
	CHECK_EQ(io_uring_cq_ready(&ring), 2, "resize: the 2 pending CQEs were kept");
	seen = 0;
	while (io_uring_peek_cqe(&ring, &cqe) == 0) {
		if (cqe->user_data >= 10 && cqe->user_data < 12)
			seen |= 1U << (cqe->user_data - 10);
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(seen, 3, "resize: kept CQEs carry their user_data");
	CHECK_EQ(io_uring_sq_ready(&ring), 3, "resize: the 3 pending SQEs were kept");
	ret = io_uring_submit_and_wait(&ring, 3);
	CHECK_RET(ret, 3, "resize: the kept SQEs submit after the resize");
	seen = 0;
	while (io_uring_peek_cqe(&ring, &cqe) == 0) {
		if (cqe->user_data >= 20 && cqe->user_data < 23 && cqe->res == 0)
			seen |= 1U << (cqe->user_data - 20);
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK_EQ(seen, 7, "resize: kept SQEs complete with their user_data");
	{
		const char *err = capi_nops(&ring, 64, 1000);

		CHECK(!err, "resize: 64 NOPs through the bigger ring", "%s", err);
	}
	/* shrink again */
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	ret = io_uring_resize_rings(&ring, &p);
	CHECK_RET(ret, 0, "resize_rings(4) returns 0");
	CHECK(ring.sq.ring_entries == 4 && ring.cq.ring_entries == 8,
	      "resize: shrunk to 4/8", "%u/%u", ring.sq.ring_entries, ring.cq.ring_entries);
	{
		const char *err = capi_nops(&ring, 30, 2000);

		CHECK(!err, "resize: 30 NOPs through the small ring", "%s", err);
	}
	memset(&p, 0, sizeof(p));
	p.sq_entries = 8;
	p.flags = 1U << 30;
	CHECK_RET(io_uring_resize_rings(&ring, &p), -EINVAL, "resize_rings(bad flag) is -EINVAL");
	memset(&p, 0, sizeof(p));
	p.sq_entries = 0;
	CHECK_RET(io_uring_resize_rings(&ring, &p), -EINVAL, "resize_rings(0 entries) is -EINVAL");
	io_uring_queue_exit(&ring);

	/* not DEFER_TASKRUN: the kernel refuses */
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret == 0) {
		memset(&p, 0, sizeof(p));
		p.sq_entries = 16;
		CHECK_RET(io_uring_resize_rings(&ring, &p), -EINVAL,
			  "resize_rings on a non-DEFER_TASKRUN ring is -EINVAL");
		io_uring_queue_exit(&ring);
	}
	/* NO_MMAP rings: liburing refuses */
	{
		char *buf = mmap(NULL, 64 * KB, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;
		ret = io_uring_queue_init_mem(8, &ring, &p, buf, 64 * KB);
		if (ret > 0) {
			memset(&p, 0, sizeof(p));
			p.sq_entries = 16;
			CHECK_RET(io_uring_resize_rings(&ring, &p), -EINVAL,
				  "resize_rings on a NO_MMAP ring is -EINVAL");
			io_uring_queue_exit(&ring);
		}
		munmap(buf, 64 * KB);
	}
	capi_check_no_leak(before, "resize_rings");
}

/* ---- R_DISABLED rings, restrictions, enable_rings ------------------------ */

static void test_restrictions(void)
{
	struct capi_res before = capi_res_now();
	struct io_uring_restriction res[3];
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret, pfd[2];
	char c;

	ret = io_uring_queue_init(8, &ring, IORING_SETUP_R_DISABLED);
	if (!capi_require(ret == 0, "queue_init(R_DISABLED)", ret))
		return;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 1;
	ret = io_uring_submit(&ring);
	CHECK_RET(ret, -EBADFD, "submit on a disabled ring is -EBADFD");

	memset(res, 0, sizeof(res));
	res[0].opcode = IORING_RESTRICTION_SQE_OP;
	res[0].sqe_op = IORING_OP_NOP;
	res[1].opcode = IORING_RESTRICTION_REGISTER_OP;
	res[1].register_op = IORING_REGISTER_PROBE;
	res[2].opcode = 200; /* not a restriction type */
	CHECK_RET(io_uring_register_restrictions(&ring, res, 3), -EINVAL,
		  "register_restrictions with a bad entry is -EINVAL");
	ret = io_uring_register_restrictions(&ring, res, 2);
	CHECK_RET(ret, 0, "register_restrictions(NOP, PROBE) returns 0");
	CHECK_RET(io_uring_register_restrictions(&ring, res, 2), -EBUSY,
		  "register_restrictions twice is -EBUSY");
	ret = io_uring_enable_rings(&ring);
	CHECK_RET(ret, 0, "enable_rings returns 0");
	/* ENABLE_RINGS and RESTRICTIONS are themselves not in the allowlist */
	CHECK_RET(io_uring_enable_rings(&ring), -EACCES,
		  "enable_rings again on the restricted ring is -EACCES");
	CHECK_RET(io_uring_register_restrictions(&ring, res, 2), -EACCES,
		  "register_restrictions on the restricted ring is -EACCES");

	/* the NOP queued while disabled is submitted now */
	ret = io_uring_submit_and_wait(&ring, 1);
	CHECK_RET(ret, 1, "the NOP queued before enabling submits now");
	ret = io_uring_peek_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->user_data == 1 && cqe->res == 0,
	      "allowed NOP completes with res 0");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);

	/* an opcode that is not allowed completes with -EACCES */
	if (pipe(pfd) == 0) {
		if (write(pfd[1], "x", 1) != 1)
			c = 0;
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_read(sqe, pfd[0], &c, 1, 0);
		sqe->user_data = 2;
		ret = io_uring_submit_and_wait(&ring, 1);
		ret = io_uring_peek_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->user_data == 2 && cqe->res == -EACCES,
		      "restricted READ completes with -EACCES",
		      "ret %d res %d", ret, ret == 0 ? cqe->res : 0);
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
		close(pfd[0]);
		close(pfd[1]);
	}
	/* register ops: PROBE allowed, PERSONALITY not */
	{
		struct io_uring_probe *probe = io_uring_get_probe_ring(&ring);

		CHECK(probe != NULL, "allowed register op (probe) works on the restricted ring");
		io_uring_free_probe(probe);
	}
	CHECK_RET(io_uring_register_personality(&ring), -EACCES,
		  "register_personality not allowed: -EACCES");
	io_uring_queue_exit(&ring);

	/* an R_DISABLED ring without restrictions */
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_R_DISABLED);
	if (capi_require(ret == 0, "queue_init(R_DISABLED), no restrictions", ret)) {
		const char *err;

		CHECK_RET(io_uring_enable_rings(&ring), 0, "enable_rings (unrestricted) returns 0");
		CHECK_RET(io_uring_enable_rings(&ring), -EBADFD, "enable_rings twice is -EBADFD");
		CHECK_RET(io_uring_register_restrictions(&ring, res, 2), -EBADFD,
			  "register_restrictions on an enabled ring is -EBADFD");
		err = capi_nops(&ring, 20, 0);
		CHECK(!err, "enabled ring runs NOPs", "%s", err);
		io_uring_queue_exit(&ring);
	}
	ret = io_uring_queue_init(8, &ring, 0);
	if (ret == 0) {
		CHECK_RET(io_uring_enable_rings(&ring), -EBADFD,
			  "enable_rings on a ring never disabled is -EBADFD");
		io_uring_queue_exit(&ring);
	}
	capi_check_no_leak(before, "R_DISABLED/restrictions/enable_rings");
}

int main(void)
{
	/* keep fd 0 deterministic for the whole run */
	int nul = open("/dev/null", O_RDONLY);

	if (nul > 0) {
		dup2(nul, 0);
		close(nul);
	}
	capi_begin("setup");
	capi_check_loaded_library();
	test_versions();
	test_queue_init();
	test_queue_init_params();
	if (capi_need_setup_flag("queue_init_mem", IORING_SETUP_NO_MMAP, "IORING_SETUP_NO_MMAP", "6.5"))
		test_queue_init_mem();
	test_memory_size();
	if (capi_need_setup_flag("NO_MMAP rings with the library's memory", IORING_SETUP_NO_MMAP,
				 "IORING_SETUP_NO_MMAP", "6.5"))
		test_no_mmap_own_memory();
	test_queue_mmap();
	test_raw_syscalls();
	test_exported_get_sqe();
	capi_in_child("NO_SQARRAY fallback child", fallback_child, NULL);
	test_setup_flags();
	test_ring_fd();
	test_ring_fd_slots();
	/* both flags came in 6.5; a probe with REGISTERED_FD_ONLY would take a ring slot */
	if (capi_need_setup_flag("REGISTERED_FD_ONLY rings", IORING_SETUP_NO_MMAP,
				 "IORING_SETUP_REGISTERED_FD_ONLY|NO_MMAP", "6.5"))
		test_registered_fd_only();
	if (capi_need_register_op("resize_rings", IORING_REGISTER_RESIZE_RINGS,
				  "IORING_REGISTER_RESIZE_RINGS", "6.13"))
		test_resize();
	test_restrictions();
	return capi_done();
}
