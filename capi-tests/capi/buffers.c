/* SPDX-License-Identifier: MIT */
/*
 * Provided-buffer rings through the C ABI: io_uring_setup_buf_ring /
 * io_uring_free_buf_ring, io_uring_register_buf_ring /
 * io_uring_unregister_buf_ring (application memory and kernel memory),
 * io_uring_buf_ring_head, incremental consumption, and the error paths,
 * each checked by receiving data into the selected buffers.
 */
#include "capi.h"

#include <sys/socket.h>

#define BUF_LEN 32

static int sock[2];

/* Send msg on sock[0], receive on sock[1] with a buffer from group bgid. */
static int recv_select(struct io_uring *ring, int bgid, const char *msg,
		       unsigned *bid, unsigned *flags)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	if (msg && send(sock[0], msg, strlen(msg), 0) != (ssize_t)strlen(msg))
		return -1000;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_recv(sqe, sock[1], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = (__u16)bgid;
	sqe->user_data = 0xb0f;
	ret = io_uring_submit_and_wait(ring, 1);
	if (ret < 0)
		return -1000 + ret;
	if (io_uring_peek_cqe(ring, &cqe))
		return -2000;
	ret = cqe->res;
	*flags = cqe->flags;
	*bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

static long raw_register(int fd, unsigned op, void *arg, unsigned nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : r;
}

/* IORING_REGISTER_PBUF_STATUS (io_uring_buf_ring_head) came in Linux 6.8. */
static int has_pbuf_status;

/*
 * The kernel's own answer for a group it does not have: -ENOENT, or -EINVAL
 * from kernels that kept a fixed array for the low group ids (6.1 does).
 */
static long kernel_missing_group(struct io_uring *ring, unsigned bgid)
{
	struct io_uring_buf_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.bgid = (__u16)bgid;
	return raw_register(ring->ring_fd, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

/* -ENOENT where the kernel says so; otherwise the kernel's older -EINVAL, passed on */
#define CHECK_MISSING(got, kans, what)					\
	do {								\
		long k_ = (kans);					\
		if (k_ == -ENOENT) {					\
			CHECK_RET(got, -ENOENT, what);			\
		} else {						\
			char w_[200];					\
			long g_ = (got);				\
			snprintf(w_, sizeof(w_), "%s: fall-back, the library passes on this kernel's -EINVAL", what); \
			CHECK(k_ == -EINVAL && g_ == k_, w_, "got %ld, kernel %ld", g_, k_); \
		}							\
	} while (0)

static void drain_socket(void)
{
	char junk[256];

	while (recv(sock[1], junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
}

static void test_setup_buf_ring(struct io_uring *ring)
{
	struct capi_res before = capi_res_now();
	struct io_uring_buf_ring *br;
	/* zeroed: valgrind cannot see the kernel's writes into it */
	char *pool = calloc(8, BUF_LEN);
	unsigned bid, flags, i;
	uint16_t head;
	int err = 1, ret, ok;
	char msg[16];

	br = io_uring_setup_buf_ring(ring, 8, 1, 0, &err);
	if (!capi_require(br != NULL && err == 0, "setup_buf_ring(8, bgid 1) returns a ring", err))
		return;
	CHECK(((uintptr_t)br & 4095) == 0, "setup_buf_ring: ring is page aligned");
	CHECK_EQ(br->tail, 0, "setup_buf_ring: tail initialized to 0");
	CHECK(capi_in_anon_mapping(br), "setup_buf_ring mapped the ring memory");
	if (has_pbuf_status) {
		ret = io_uring_buf_ring_head(ring, 1, &head);
		CHECK(ret == 0 && head == 0, "buf_ring_head of a fresh ring is 0", "ret %d head %u", ret, head);
	}

	for (i = 0; i < 8; i++)
		io_uring_buf_ring_add(br, pool + i * BUF_LEN, BUF_LEN, (unsigned short)(100 + i),
				      io_uring_buf_ring_mask(8), (int)i);
	io_uring_buf_ring_advance(br, 8);
	ok = 1;
	for (i = 0; i < 8; i++) {
		snprintf(msg, sizeof(msg), "msg-%u", i);
		ret = recv_select(ring, 1, msg, &bid, &flags);
		if (ret != (int)strlen(msg) || !(flags & IORING_CQE_F_BUFFER) || bid != 100 + i ||
		    memcmp(pool + (bid - 100) * BUF_LEN, msg, strlen(msg)))
			ok = 0;
		if (ok && i == 2 && has_pbuf_status) {
			ret = io_uring_buf_ring_head(ring, 1, &head);
			CHECK(ret == 0 && head == 3, "buf_ring_head after 3 receives is 3",
			      "ret %d head %u", ret, head);
			/* In FFI form both are calls into liburing-ffi.so.2. */
			ret = io_uring_buf_ring_available(ring, br, 1);
			CHECK(ret == 5, "buf_ring_available after 3 of 8 receives is 5", "ret %d", ret);
		}
	}
	CHECK(ok, "8 receives use buffers 100..107 in ring order, data in each");
	if (has_pbuf_status) {
		ret = io_uring_buf_ring_head(ring, 1, &head);
		CHECK(ret == 0 && head == 8, "buf_ring_head after 8 receives is 8", "ret %d head %u", ret,
		      head);
	}
	ret = recv_select(ring, 1, "none", &bid, &flags);
	CHECK_RET(ret, -ENOBUFS, "a 9th receive with the ring empty is -ENOBUFS");
	/* give one buffer back */
	io_uring_buf_ring_add(br, pool + 3 * BUF_LEN, BUF_LEN, 103, io_uring_buf_ring_mask(8), 0);
	io_uring_buf_ring_advance(br, 1);
	ret = recv_select(ring, 1, NULL, &bid, &flags);
	CHECK(ret == 4 && bid == 103 && !memcmp(pool + 3 * BUF_LEN, "none", 4),
	      "a returned buffer is used by the next receive", "res %d bid %u", ret, bid);
	drain_socket();

	ret = io_uring_free_buf_ring(ring, br, 8, 1);
	CHECK_RET(ret, 0, "free_buf_ring returns 0");
	if (has_pbuf_status) {
		struct io_uring_buf_status st;

		memset(&st, 0, sizeof(st));
		st.buf_group = 1;
		CHECK_MISSING(io_uring_buf_ring_head(ring, 1, &head),
			      raw_register(ring->ring_fd, IORING_REGISTER_PBUF_STATUS, &st, 1),
			      "buf_ring_head of a freed group is -ENOENT");
	}
	ret = recv_select(ring, 1, "gone", &bid, &flags);
	CHECK_RET(ret, -ENOBUFS, "receive from a freed group is -ENOBUFS");
	drain_socket();
	capi_check_no_leak(before, "setup_buf_ring + free_buf_ring");
	free(pool);
}

static void test_setup_errors(struct io_uring *ring)
{
	struct capi_res before = capi_res_now();
	struct io_uring_buf_ring *br, *br2;
	int err;

	err = 0;
	br = io_uring_setup_buf_ring(ring, 6, 2, 0, &err);
	CHECK(br == NULL && err == -EINVAL, "setup_buf_ring(6 entries) fails with -EINVAL",
	      "br %p err %d", (void *)br, err);
	err = 0;
	br = io_uring_setup_buf_ring(ring, 65536, 2, 0, &err);
	CHECK(br == NULL && err == -EINVAL, "setup_buf_ring(65536 entries) fails with -EINVAL",
	      "br %p err %d", (void *)br, err);
	err = 0;
	br = io_uring_setup_buf_ring(ring, 8, 2, 1U << 15, &err);
	CHECK(br == NULL && err == -EINVAL, "setup_buf_ring(unknown flag) fails with -EINVAL",
	      "br %p err %d", (void *)br, err);
	err = 0;
	br = io_uring_setup_buf_ring(ring, 8, 2, 0, &err);
	CHECK(br && !err, "setup_buf_ring(bgid 2)");
	err = 0;
	br2 = io_uring_setup_buf_ring(ring, 8, 2, 0, &err);
	CHECK(br2 == NULL && err == -EEXIST, "setup_buf_ring with a taken bgid fails with -EEXIST",
	      "br %p err %d", (void *)br2, err);
	if (br)
		CHECK_RET(io_uring_free_buf_ring(ring, br, 8, 2), 0, "free_buf_ring(bgid 2)");
	CHECK_MISSING(io_uring_unregister_buf_ring(ring, 2), kernel_missing_group(ring, 2),
		      "unregister_buf_ring of a freed group is -ENOENT");
	capi_check_no_leak(before, "setup_buf_ring error paths");
	/* a failed free must leave the mapping alone */
	err = 0;
	br = io_uring_setup_buf_ring(ring, 8, 3, 0, &err);
	if (br) {
		CHECK_MISSING(io_uring_free_buf_ring(ring, br, 8, 4), kernel_missing_group(ring, 4),
			      "free_buf_ring with the wrong bgid is -ENOENT");
		br->tail = 1;	/* still mapped and writable */
		br->tail = 0;
		CHECK_RET(io_uring_free_buf_ring(ring, br, 8, 3), 0, "free_buf_ring with the right bgid");
	}
	capi_check_no_leak(before, "free_buf_ring error path");
}

static void test_incremental(struct io_uring *ring)
{
	struct io_uring_buf_ring *br;
	char *big = calloc(1, 64);
	unsigned bid, flags;
	int err = 0, ret;

	br = io_uring_setup_buf_ring(ring, 4, 7, IOU_PBUF_RING_INC, &err);
	if (err == -EINVAL) {
		capi_needs(0, "incremental buffer ring", "IOU_PBUF_RING_INC", "6.12",
			   "answered -22 (Invalid argument) to a PBUF_RING registration with it");
		free(big);
		return;
	}
	if (!capi_require(br != NULL, "setup_buf_ring(IOU_PBUF_RING_INC)", err)) {
		free(big);
		return;
	}
	io_uring_buf_ring_add(br, big, 64, 9, io_uring_buf_ring_mask(4), 0);
	io_uring_buf_ring_advance(br, 1);
	ret = recv_select(ring, 7, "0123456789", &bid, &flags);
	CHECK(ret == 10 && bid == 9 && (flags & IORING_CQE_F_BUF_MORE) && !memcmp(big, "0123456789", 10),
	      "incremental: first receive uses the start of buffer 9, F_BUF_MORE set",
	      "res %d bid %u flags 0x%x", ret, bid, flags);
	ret = recv_select(ring, 7, "abcdef", &bid, &flags);
	CHECK(ret == 6 && bid == 9 && !memcmp(big + 10, "abcdef", 6),
	      "incremental: second receive continues at offset 10 of buffer 9",
	      "res %d bid %u", ret, bid);
	CHECK_RET(io_uring_free_buf_ring(ring, br, 4, 7), 0, "free the incremental ring");
	free(big);
}

/* IOU_PBUF_RING_MMAP (kernel-allocated ring) came in Linux 6.4: ask the kernel with bgid 7 */
static int kernel_pbuf_mmap(struct io_uring *ring)
{
	struct io_uring_buf_reg reg;
	char why[96];
	long kret;

	memset(&reg, 0, sizeof(reg));
	reg.ring_entries = 8;
	reg.bgid = 7;
	reg.flags = IOU_PBUF_RING_MMAP;
	kret = raw_register(ring->ring_fd, IORING_REGISTER_PBUF_RING, &reg, 1);
	if (kret == 0)
		raw_register(ring->ring_fd, IORING_UNREGISTER_PBUF_RING, &reg, 1);
	snprintf(why, sizeof(why), "answered %ld (%s) to a PBUF_RING registration with it", kret,
		 kret < 0 ? strerror((int)-kret) : "-");
	return capi_needs(kret != -EINVAL, "register_buf_ring(IOU_PBUF_RING_MMAP) and the kernel-allocated ring",
			  "IOU_PBUF_RING_MMAP", "6.4", why);
}

static void test_register_buf_ring(struct io_uring *ring)
{
	struct capi_res before = capi_res_now();
	struct io_uring_buf_reg reg;
	struct io_uring_buf_ring *br;
	char pool[4 * BUF_LEN] = { 0 };
	unsigned bid, flags, i;
	uint16_t head;
	void *mem;
	int ret;

	/* application memory */
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)mem;
	reg.ring_entries = 16;
	reg.bgid = 5;
	ret = io_uring_register_buf_ring(ring, &reg, 0);
	CHECK_RET(ret, 0, "register_buf_ring(app memory, 16, bgid 5) returns 0");
	br = mem;
	io_uring_buf_ring_init(br);
	for (i = 0; i < 4; i++)
		io_uring_buf_ring_add(br, pool + i * BUF_LEN, BUF_LEN, (unsigned short)i,
				      io_uring_buf_ring_mask(16), (int)i);
	io_uring_buf_ring_advance(br, 4);
	ret = recv_select(ring, 5, "hello", &bid, &flags);
	CHECK(ret == 5 && bid == 0 && !memcmp(pool, "hello", 5),
	      "receive into a registered app-memory ring", "res %d bid %u", ret, bid);
	if (has_pbuf_status)
		CHECK(io_uring_buf_ring_head(ring, 5, &head) == 0 && head == 1,
		      "buf_ring_head follows the registered ring");
	CHECK_RET(io_uring_register_buf_ring(ring, &reg, 0), -EEXIST,
		  "register_buf_ring with a taken bgid is -EEXIST");
	CHECK_RET(io_uring_unregister_buf_ring(ring, 5), 0, "unregister_buf_ring(5) returns 0");
	CHECK_MISSING(io_uring_unregister_buf_ring(ring, 5), kernel_missing_group(ring, 5),
		      "unregister_buf_ring(5) twice is -ENOENT");
	munmap(mem, 4096);

	/* the flags argument is added to the registration */
	memset(&reg, 0, sizeof(reg));
	reg.ring_entries = 8;
	reg.bgid = 6;
	if (!kernel_pbuf_mmap(ring))
		goto errors;
	ret = io_uring_register_buf_ring(ring, &reg, IOU_PBUF_RING_MMAP);
	CHECK_RET(ret, 0, "register_buf_ring(flags = IOU_PBUF_RING_MMAP) returns 0");
	CHECK(reg.flags & IOU_PBUF_RING_MMAP, "register_buf_ring put the flags into reg->flags");
	if (ret == 0) {
		off_t off = IORING_OFF_PBUF_RING | ((off_t)6 << IORING_OFF_PBUF_SHIFT);

		br = mmap(NULL, 8 * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, ring->ring_fd, off);
		CHECK(br != MAP_FAILED, "the kernel-allocated ring maps");
		if (br != MAP_FAILED) {
			io_uring_buf_ring_add(br, pool, BUF_LEN, 42, io_uring_buf_ring_mask(8), 0);
			io_uring_buf_ring_advance(br, 1);
			ret = recv_select(ring, 6, "kernelmem", &bid, &flags);
			CHECK(ret == 9 && bid == 42 && !memcmp(pool, "kernelmem", 9),
			      "receive through the kernel-allocated ring", "res %d bid %u", ret, bid);
			munmap(br, 8 * sizeof(struct io_uring_buf));
		}
		CHECK_RET(io_uring_unregister_buf_ring(ring, 6), 0, "unregister the mmap'ed ring");
	}

errors:
	/* errors the kernel reports */
	mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)mem + 8;
	reg.ring_entries = 16;
	reg.bgid = 8;
	CHECK_RET(io_uring_register_buf_ring(ring, &reg, 0), -EINVAL,
		  "register_buf_ring with an unaligned address is -EINVAL");
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)mem;
	reg.ring_entries = 12;
	reg.bgid = 8;
	CHECK_RET(io_uring_register_buf_ring(ring, &reg, 0), -EINVAL,
		  "register_buf_ring with 12 entries is -EINVAL");
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (unsigned long)mem;
	reg.ring_entries = 16;
	reg.bgid = 8;
	reg.resv[0] = 1;
	CHECK_RET(io_uring_register_buf_ring(ring, &reg, 0), -EINVAL,
		  "register_buf_ring with non-zero resv is -EINVAL");
	munmap(mem, 8192);

	/* a classic provided-buffer group is not a ring */
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
		struct io_uring_cqe *cqe;

		io_uring_prep_provide_buffers(sqe, pool, BUF_LEN, 2, 9, 0);
		io_uring_submit_and_wait(ring, 1);
		if (io_uring_peek_cqe(ring, &cqe) == 0)
			io_uring_cqe_seen(ring, cqe);
		CHECK_RET(io_uring_buf_ring_head(ring, 9, &head), -EINVAL,
			  "buf_ring_head of a classic provided-buffer group is -EINVAL");
		CHECK_RET(io_uring_unregister_buf_ring(ring, 9), -EINVAL,
			  "unregister_buf_ring of a classic group is -EINVAL");
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_remove_buffers(sqe, 2, 9);
		io_uring_submit_and_wait(ring, 1);
		if (io_uring_peek_cqe(ring, &cqe) == 0)
			io_uring_cqe_seen(ring, cqe);
	}
	capi_check_no_leak(before, "register_buf_ring");
}

static void test_multishot(struct io_uring *ring)
{
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	char *pool = calloc(8, BUF_LEN);
	unsigned seen = 0, got = 0, i;
	int err = 0, ok = 1;

	br = io_uring_setup_buf_ring(ring, 8, 11, 0, &err);
	if (!capi_require(br != NULL, "setup_buf_ring for multishot recv", err)) {
		free(pool);
		return;
	}
	for (i = 0; i < 8; i++)
		io_uring_buf_ring_add(br, pool + i * BUF_LEN, BUF_LEN, (unsigned short)i,
				      io_uring_buf_ring_mask(8), (int)i);
	io_uring_buf_ring_advance(br, 8);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_recv_multishot(sqe, sock[1], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = 11;
	io_uring_submit(ring);
	for (i = 0; i < 5; i++) {
		char msg[8];

		snprintf(msg, sizeof(msg), "m%u", i);
		if (send(sock[0], msg, strlen(msg), 0) != (ssize_t)strlen(msg))
			ok = 0;
		if (io_uring_wait_cqe(ring, &cqe)) {
			ok = 0;
			break;
		}
		if (cqe->res == (int)strlen(msg) && (cqe->flags & IORING_CQE_F_BUFFER) &&
		    (cqe->flags & IORING_CQE_F_MORE)) {
			unsigned b = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

			if (b < 8 && !memcmp(pool + b * BUF_LEN, msg, strlen(msg)))
				seen |= 1U << b;
			got++;
		} else {
			ok = 0;
		}
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK(ok && got == 5 && seen == 0x1f,
	      "multishot recv: 5 messages in buffers 0..4, F_MORE on each",
	      "got %u seen 0x%x", got, seen);
	shutdown(sock[0], SHUT_WR);
	if (io_uring_wait_cqe(ring, &cqe) == 0) {
		CHECK(cqe->res == 0 && !(cqe->flags & IORING_CQE_F_MORE),
		      "multishot recv ends at EOF without F_MORE");
		io_uring_cqe_seen(ring, cqe);
	}
	io_uring_free_buf_ring(ring, br, 8, 11);
	free(pool);
}

int main(void)
{
	struct io_uring ring;
	int ret;

	capi_begin("buffers");
	capi_check_loaded_library();
	ret = io_uring_queue_init(16, &ring, 0);
	if (!capi_require(ret == 0, "queue_init(16)", ret))
		return capi_done();
	if (!capi_require(socketpair(AF_UNIX, SOCK_STREAM, 0, sock) == 0, "socketpair", -errno))
		return capi_done();
	has_pbuf_status = capi_need_register_op("buf_ring_head (head of a buffer ring)",
						IORING_REGISTER_PBUF_STATUS, "IORING_REGISTER_PBUF_STATUS", "6.8");
	test_setup_buf_ring(&ring);
	test_setup_errors(&ring);
	test_incremental(&ring);
	test_register_buf_ring(&ring);
	test_multishot(&ring);
	io_uring_queue_exit(&ring);
	return capi_done();
}
