/* SPDX-License-Identifier: MIT */
/*
 * The rest of the C ABI: ring-less calls (io_uring_register_query,
 * io_uring_register_sync_msg, io_uring_register_bpf_filter_task), BPF
 * filters, io_uring_ring_dontfork across fork(), and the error paths of
 * every fd-only call on a closed ring (after queue_exit) and on a zeroed
 * ring, with NULL arguments where upstream passes them to the kernel. Fd
 * and mapping counts before and after prove the error paths leak nothing.
 */
#include "capi.h"

#include <linux/filter.h>
#include <sched.h>
#include <sys/uio.h>

static long raw_register(int fd, unsigned op, const void *arg, unsigned nr)
{
	long r = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return r < 0 ? -errno : r;
}

static struct io_uring_query_opcode kernel_caps;
static int have_caps;

static void test_query(void)
{
	struct io_uring_query_opcode qo, qo2;
	struct io_uring_query_hdr h[2];
	struct io_uring_probe *probe;
	struct io_uring ring;
	int ret;

	memset(&qo, 0, sizeof(qo));
	memset(h, 0, sizeof(h));
	h[0].query_op = IO_URING_QUERY_OPCODES;
	h[0].query_data = (unsigned long)&qo;
	h[0].size = sizeof(qo);
	ret = io_uring_register_query(&h[0]);
	if (ret == -EINVAL) {
		capi_needs(0, "register_query", "IORING_REGISTER_QUERY", "6.18", "answered -22 (Invalid argument)");
		return;
	}
	CHECK_RET(ret, 0, "register_query(OPCODES) returns 0");
	CHECK_EQ(h[0].result, 0, "register_query: header result 0");
	have_caps = ret == 0 && h[0].result == 0;
	kernel_caps = qo;
	CHECK(qo.nr_request_opcodes > IORING_OP_READ_FIXED && qo.nr_register_opcodes > 20,
	      "register_query: plausible opcode counts", "%u/%u",
	      qo.nr_request_opcodes, qo.nr_register_opcodes);
	probe = io_uring_get_probe();
	if (probe) {
		CHECK_EQ(qo.nr_request_opcodes, probe->last_op + 1,
			 "register_query: nr_request_opcodes == probe's last_op + 1");
		io_uring_free_probe(probe);
	}
	if (io_uring_queue_init(8, &ring, 0) == 0) {
		CHECK_EQ(qo.feature_flags & ring.features, ring.features,
			 "register_query: feature_flags cover the ring's features");
		io_uring_queue_exit(&ring);
	}
	CHECK((qo.ring_setup_flags & (IORING_SETUP_NO_SQARRAY | IORING_SETUP_SQPOLL)) ==
	      (IORING_SETUP_NO_SQARRAY | IORING_SETUP_SQPOLL),
	      "register_query: setup flags include NO_SQARRAY and SQPOLL");

	/* a chain: a second OPCODES query and an unknown one */
	memset(&qo2, 0, sizeof(qo2));
	memset(h, 0, sizeof(h));
	h[0].query_op = 1000;
	h[0].query_data = (unsigned long)&qo2;
	h[0].size = sizeof(qo2);
	h[0].next_entry = (unsigned long)&h[1];
	h[1].query_op = IO_URING_QUERY_OPCODES;
	h[1].query_data = (unsigned long)&qo2;
	h[1].size = sizeof(qo2);
	ret = io_uring_register_query(&h[0]);
	CHECK_RET(ret, 0, "register_query(chain of 2) returns 0");
	CHECK(h[0].result < 0, "register_query: unknown query op has a negative result",
	      "%d", h[0].result);
	CHECK(h[1].result == 0 && qo2.nr_request_opcodes == qo.nr_request_opcodes,
	      "register_query: the chained entry was answered");
	{
		long kret;

		memset(h, 0, sizeof(h));
		h[0].query_op = IO_URING_QUERY_OPCODES;
		h[0].query_data = (unsigned long)&qo2;
		h[0].size = sizeof(qo2);
		h[0].__resv[0] = 1;
		kret = raw_register(-1, IORING_REGISTER_QUERY, &h[0], 0);
		h[0].result = 0;
		ret = io_uring_register_query(&h[0]);
		CHECK(ret == kret, "register_query with non-zero resv: the kernel's answer",
		      "got %d, kernel %ld", ret, kret);
		kret = raw_register(-1, IORING_REGISTER_QUERY, NULL, 0);
		ret = io_uring_register_query(NULL);
		CHECK(ret == kret, "register_query(NULL): the kernel's answer (an empty chain)",
		      "got %d, kernel %ld", ret, kret);
	}
}

static void test_sync_msg(void)
{
	struct io_uring target;
	struct io_uring_sqe sqe;
	struct io_uring_cqe *cqe;
	int ret, pfd[2];

	ret = io_uring_queue_init(8, &target, 0);
	if (!capi_require(ret == 0, "queue_init for sync_msg", ret))
		return;
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_msg_ring(&sqe, target.ring_fd, 0x42, 0x99, 0);
	ret = io_uring_register_sync_msg(&sqe);
	if (ret == -EINVAL) {
		capi_needs(0, "register_sync_msg", "IORING_REGISTER_SEND_MSG_RING", "6.13",
			   "answered -22 (Invalid argument)");
		io_uring_queue_exit(&target);
		return;
	}
	CHECK_RET(ret, 0, "register_sync_msg(msg_ring 0x42/0x99) returns 0");
	ret = io_uring_peek_cqe(&target, &cqe);
	CHECK(ret == 0 && cqe->user_data == 0x99 && cqe->res == 0x42,
	      "the target ring got the message CQE (user_data 0x99, res 0x42)");
	if (ret == 0)
		io_uring_cqe_seen(&target, cqe);
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_msg_ring_cqe_flags(&sqe, target.ring_fd, 7, 0x77, 0, 0x1230000);
	ret = io_uring_register_sync_msg(&sqe);
	CHECK_RET(ret, 0, "register_sync_msg with CQE flags returns 0");
	ret = io_uring_peek_cqe(&target, &cqe);
	CHECK(ret == 0 && cqe->user_data == 0x77 && cqe->res == 7 &&
	      (cqe->flags & 0x1230000) == 0x1230000, "the message CQE carries the flags");
	if (ret == 0)
		io_uring_cqe_seen(&target, cqe);

	if (pipe(pfd) == 0) {
		long kret;

		memset(&sqe, 0, sizeof(sqe));
		io_uring_prep_msg_ring(&sqe, pfd[0], 1, 1, 0);
		kret = raw_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1);
		ret = io_uring_register_sync_msg(&sqe);
		CHECK(ret < 0 && ret == kret, "register_sync_msg to a pipe: the kernel's error",
		      "got %d, kernel %ld", ret, kret);
		close(pfd[0]);
		close(pfd[1]);
	}
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_nop(&sqe);
	CHECK_RET(io_uring_register_sync_msg(&sqe), -EINVAL,
		  "register_sync_msg with a NOP SQE is -EINVAL");
	{
		long kret = raw_register(-1, IORING_REGISTER_SEND_MSG_RING, NULL, 1);

		ret = io_uring_register_sync_msg(NULL);
		CHECK(ret < 0 && ret == kret, "register_sync_msg(NULL): the kernel's error",
		      "got %d, kernel %ld", ret, kret);
	}
	CHECK_EQ(io_uring_cq_ready(&target), 0, "failed messages posted nothing");
	io_uring_queue_exit(&target);
}

/* BPF filters (kernel 7.0+); on older kernels the opcode is unknown. */
static void bpf_child(void *unused)
{
	struct sock_filter deny[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct io_uring_bpf bpf;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret, supported;

	supported = have_caps && kernel_caps.nr_register_opcodes > IORING_REGISTER_BPF_FILTER;
	memset(&bpf, 0, sizeof(bpf));
	bpf.cmd_type = IO_URING_BPF_CMD_FILTER;
	bpf.filter.opcode = IORING_OP_NOP;
	bpf.filter.filter_len = 1;
	bpf.filter.filter_ptr = (unsigned long)deny;
	if (io_uring_queue_init(8, &ring, 0))
		return;
	if (!supported) {
		printf("NOTE misc: this kernel has no IORING_REGISTER_BPF_FILTER; "
		       "checking the documented -EINVAL only\n");
		CHECK_RET(io_uring_register_bpf_filter(&ring, &bpf), -EINVAL,
			  "register_bpf_filter on a kernel without it is -EINVAL");
		CHECK_RET(io_uring_register_bpf_filter_task(&bpf), -EINVAL,
			  "register_bpf_filter_task on a kernel without it is -EINVAL");
		io_uring_queue_exit(&ring);
		return;
	}
	ret = io_uring_register_bpf_filter(&ring, &bpf);
	CHECK_RET(ret, 0, "register_bpf_filter(deny NOP) returns 0");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_submit_and_wait(&ring, 1);
	ret = io_uring_peek_cqe(&ring, &cqe);
	CHECK(ret == 0 && cqe->res == -EACCES, "a NOP on the filtered ring is -EACCES");
	if (ret == 0)
		io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	ret = io_uring_register_bpf_filter_task(&bpf);
	CHECK_RET(ret, 0, "register_bpf_filter_task(deny NOP) returns 0");
	if (io_uring_queue_init(8, &ring, 0) == 0) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_submit_and_wait(&ring, 1);
		ret = io_uring_peek_cqe(&ring, &cqe);
		CHECK(ret == 0 && cqe->res == -EACCES, "a NOP on a ring made after the task filter is -EACCES");
		if (ret == 0)
			io_uring_cqe_seen(&ring, cqe);
		io_uring_queue_exit(&ring);
	}
}

/* ring_dontfork: a child must not inherit the ring mappings. */
static int child_uring_maps(void)
{
	int pfd[2], n = -1;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		int m = capi_count_uring_maps();

		if (write(pfd[1], &m, sizeof(m)) != sizeof(m))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &n, sizeof(n)) != sizeof(n))
		n = -1;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	return n;
}

static void test_dontfork(void)
{
	struct io_uring ring, zero;
	const char *err;
	int ret, mine;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!capi_require(ret == 0, "queue_init for dontfork", ret))
		return;
	mine = capi_count_uring_maps();
	CHECK(mine >= 2, "the ring has io_uring mappings here", "%d", mine);
	CHECK_EQ(child_uring_maps(), mine, "without dontfork a child inherits them");
	CHECK_RET(io_uring_ring_dontfork(&ring), 0, "ring_dontfork returns 0");
	CHECK_EQ(child_uring_maps(), 0, "after dontfork a child has no io_uring mappings");
	CHECK_EQ(capi_count_uring_maps(), mine, "the parent keeps its mappings");
	err = capi_nops(&ring, 16, 0);
	CHECK(!err, "the parent's ring still works after a fork", "%s", err);
	io_uring_queue_exit(&ring);

	/* rings in caller memory: the advice goes to the caller's pages */
	{
		struct io_uring_params p;
		char *buf = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		memset(&p, 0, sizeof(p));
		ret = io_uring_queue_init_mem(8, &ring, &p, buf, 65536);
		if (ret > 0) {
			int pfd[2], seen = -1;
			pid_t pid;

			CHECK_RET(io_uring_ring_dontfork(&ring), 0, "ring_dontfork on a queue_init_mem ring");
			if (pipe(pfd) == 0) {
				pid = fork();
				if (pid == 0) {
					/* the shared buffer must be gone in the child */
					int gone = msync(buf, 4096, MS_ASYNC) < 0 && errno == ENOMEM;

					if (write(pfd[1], &gone, sizeof(gone)) != sizeof(gone))
						_exit(1);
					_exit(0);
				}
				close(pfd[1]);
				if (read(pfd[0], &seen, sizeof(seen)) != sizeof(seen))
					seen = -1;
				close(pfd[0]);
				waitpid(pid, NULL, 0);
			}
			CHECK_EQ(seen, 1, "after dontfork the child has no ring memory");
			io_uring_queue_exit(&ring);
		}
		munmap(buf, 65536);
	}
	memset(&zero, 0, sizeof(zero));
	CHECK_RET(io_uring_ring_dontfork(&zero), -EINVAL, "ring_dontfork on a zeroed ring is -EINVAL");
}

/*
 * Every call that only hands the ring fd to the kernel, on a ring whose
 * fd is not a usable io_uring: each must return want (the kernel's answer).
 */
static void fd_only_calls(struct io_uring *r, struct io_uring *good, long want, const char *tag)
{
	char what[200];
	struct iovec iov = { .iov_base = what, .iov_len = sizeof(what) };
	__u64 tags[1] = { 0 };
	int fds[1] = { 0 };
	unsigned vals[2] = { 0, 0 };
	cpu_set_t set;
	struct io_uring_restriction res;
	struct io_uring_buf_reg breg;
	struct io_uring_sync_cancel_reg creg;
	struct io_uring_napi napi;
	struct io_uring_clock_register clk;
	struct io_uring_region_desc rd;
	struct io_uring_mem_region_reg mr;
	struct io_uring_zcrx_ifq_reg ifq;
	struct zcrx_ctrl zctrl;
	struct io_uring_params p;
	struct io_uring_bpf bpf;
	struct io_uring_probe *probe;
	struct io_uring_buf_ring *br;
	uint16_t head;
	int err;

#define FD_ONLY(call, name)						\
	do {								\
		snprintf(what, sizeof(what), "%s: %s", tag, name);	\
		CHECK_RET(call, want, what);				\
	} while (0)
/* a register opcode newer than some kernels: ask the kernel first */
#define FD_ONLY_NEW(call, name, op, first)				\
	do {								\
		snprintf(what, sizeof(what), "%s: %s", tag, name);	\
		if (capi_need_register_op(what, op, #op, first))	\
			CHECK_RET(call, want, what);			\
	} while (0)

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	memset(&res, 0, sizeof(res));
	memset(&breg, 0, sizeof(breg));
	memset(&creg, 0, sizeof(creg));
	memset(&napi, 0, sizeof(napi));
	memset(&clk, 0, sizeof(clk));
	memset(&rd, 0, sizeof(rd));
	memset(&mr, 0, sizeof(mr));
	memset(&ifq, 0, sizeof(ifq));
	memset(&zctrl, 0, sizeof(zctrl));
	memset(&bpf, 0, sizeof(bpf));
	rd.size = 4096;
	mr.region_uptr = (unsigned long)&rd;
	breg.ring_entries = 8;
	breg.bgid = 1;
	clk.clockid = CLOCK_MONOTONIC;

	FD_ONLY(io_uring_register_buffers(r, &iov, 1), "register_buffers");
	FD_ONLY(io_uring_register_buffers_sparse(r, 4), "register_buffers_sparse");
	FD_ONLY(io_uring_register_buffers_tags(r, &iov, tags, 1), "register_buffers_tags");
	FD_ONLY(io_uring_register_buffers_update_tag(r, 0, &iov, tags, 1), "register_buffers_update_tag");
	FD_ONLY(io_uring_unregister_buffers(r), "unregister_buffers");
	FD_ONLY(io_uring_register_files(r, fds, 1), "register_files");
	FD_ONLY(io_uring_register_files_sparse(r, 4), "register_files_sparse");
	FD_ONLY(io_uring_register_files_tags(r, fds, tags, 1), "register_files_tags");
	FD_ONLY(io_uring_register_files_update(r, 0, fds, 1), "register_files_update");
	FD_ONLY(io_uring_register_files_update_tag(r, 0, fds, tags, 1), "register_files_update_tag");
	FD_ONLY(io_uring_unregister_files(r), "unregister_files");
	FD_ONLY(io_uring_register_file_alloc_range(r, 0, 1), "register_file_alloc_range");
	FD_ONLY(io_uring_register_eventfd(r, 0), "register_eventfd");
	FD_ONLY(io_uring_register_eventfd_async(r, 0), "register_eventfd_async");
	FD_ONLY(io_uring_unregister_eventfd(r), "unregister_eventfd");
	FD_ONLY(io_uring_register_personality(r), "register_personality");
	FD_ONLY(io_uring_unregister_personality(r, 1), "unregister_personality");
	FD_ONLY(io_uring_register_restrictions(r, &res, 1), "register_restrictions");
	FD_ONLY(io_uring_enable_rings(r), "enable_rings");
	FD_ONLY(io_uring_register_iowq_aff(r, sizeof(set), &set), "register_iowq_aff");
	FD_ONLY(io_uring_unregister_iowq_aff(r), "unregister_iowq_aff");
	FD_ONLY(io_uring_register_iowq_max_workers(r, vals), "register_iowq_max_workers");
	FD_ONLY(io_uring_register_buf_ring(r, &breg, 0), "register_buf_ring");
	FD_ONLY(io_uring_unregister_buf_ring(r, 1), "unregister_buf_ring");
	FD_ONLY_NEW(io_uring_buf_ring_head(r, 1, &head), "buf_ring_head", IORING_REGISTER_PBUF_STATUS, "6.8");
	FD_ONLY(io_uring_register_sync_cancel(r, &creg), "register_sync_cancel");
	FD_ONLY_NEW(io_uring_register_napi(r, &napi), "register_napi", IORING_REGISTER_NAPI, "6.9");
	FD_ONLY_NEW(io_uring_unregister_napi(r, &napi), "unregister_napi", IORING_UNREGISTER_NAPI, "6.9");
	FD_ONLY_NEW(io_uring_register_clock(r, &clk), "register_clock", IORING_REGISTER_CLOCK, "6.12");
	FD_ONLY_NEW(io_uring_register_region(r, &mr), "register_region", IORING_REGISTER_MEM_REGION, "6.13");
	FD_ONLY_NEW(io_uring_register_ifq(r, &ifq), "register_ifq", IORING_REGISTER_ZCRX_IFQ, "6.15");
	/* opcodes this kernel may not know are refused before the fd is looked at */
	{
		long w = raw_register(r->ring_fd, IORING_REGISTER_ZCRX_CTRL, &zctrl, 0);

		snprintf(what, sizeof(what), "%s: register_zcrx_ctrl (the kernel's answer)", tag);
		CHECK_RET(io_uring_register_zcrx_ctrl(r, &zctrl), w, what);
		w = raw_register(r->ring_fd, IORING_REGISTER_BPF_FILTER, &bpf, 1);
		snprintf(what, sizeof(what), "%s: register_bpf_filter (the kernel's answer)", tag);
		CHECK_RET(io_uring_register_bpf_filter(r, &bpf), w, what);
	}
	FD_ONLY(io_uring_register_ring_fd(r), "register_ring_fd");
	FD_ONLY(io_uring_get_events(r), "get_events");
	FD_ONLY(__io_uring_sqring_wait(r), "__io_uring_sqring_wait");
	FD_ONLY(io_uring_register_probe(r, NULL, 0), "register_probe");
	memset(&p, 0, sizeof(p));
	p.sq_entries = 16;
	FD_ONLY_NEW(io_uring_resize_rings(r, &p), "resize_rings", IORING_REGISTER_RESIZE_RINGS, "6.13");
	FD_ONLY_NEW(io_uring_clone_buffers(r, good), "clone_buffers (bad destination)", IORING_REGISTER_CLONE_BUFFERS, "6.12");
	FD_ONLY_NEW(__io_uring_clone_buffers(r, good, 0), "__clone_buffers (bad destination)",
		    IORING_REGISTER_CLONE_BUFFERS, "6.12");
	FD_ONLY_NEW(io_uring_clone_buffers_offset(r, good, 0, 0, 1, 0), "clone_buffers_offset (bad destination)",
		    IORING_REGISTER_CLONE_BUFFERS, "6.12");
	FD_ONLY_NEW(__io_uring_clone_buffers_offset(r, good, 0, 0, 1, 0), "__clone_buffers_offset (bad destination)",
		    IORING_REGISTER_CLONE_BUFFERS, "6.12");

	probe = io_uring_get_probe_ring(r);
	snprintf(what, sizeof(what), "%s: get_probe_ring returns NULL", tag);
	CHECK(probe == NULL, what);
	err = 0;
	br = io_uring_setup_buf_ring(r, 8, 1, 0, &err);
	snprintf(what, sizeof(what), "%s: setup_buf_ring returns NULL with the error", tag);
	CHECK(br == NULL && err == want, what, "br %p err %d", (void *)br, err);
#undef FD_ONLY
#undef FD_ONLY_NEW
}

static void test_closed_and_zeroed(void)
{
	struct capi_res before;
	struct io_uring ring, stale, zero, good, dst;
	struct io_uring_cqe *cqes[4];
	struct iovec iov;
	char buf[64];
	long want;
	int ret;

	if (io_uring_queue_init(8, &good, 0)) {
		capi_failf("queue_init for error paths", "failed");
		return;
	}
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	io_uring_register_buffers(&good, &iov, 1);
	before = capi_res_now();

	/* a ring after queue_exit: its fd is closed (and not reused meanwhile) */
	if (io_uring_queue_init(8, &dst, 0)) {
		capi_failf("queue_init (clone destination)", "failed");
		return;
	}
	ret = io_uring_queue_init(8, &ring, 0);
	if (capi_require(ret == 0, "queue_init for the closed-ring checks", ret)) {
		unsigned kfeat = 0;

		capi_kernel_setup(0, &kfeat);
		stale = ring;
		io_uring_queue_exit(&ring);
		CHECK(fcntl(stale.ring_fd, F_GETFD) < 0, "queue_exit closed the ring fd");
		fd_only_calls(&stale, &good, -EBADF, "closed ring");
		if (capi_need_register_op("closed ring: clone_buffers from it", IORING_REGISTER_CLONE_BUFFERS,
					  "IORING_REGISTER_CLONE_BUFFERS", "6.12"))
			CHECK_RET(io_uring_clone_buffers(&dst, &stale), -EBADF,
				  "closed ring: clone_buffers from it is -EBADF");
		CHECK_RET(io_uring_unregister_ring_fd(&stale), -EINVAL,
			  "closed ring: unregister_ring_fd is -EINVAL");
		if (kfeat & IORING_FEAT_REG_REG_RING)
			CHECK_RET(io_uring_close_ring_fd(&stale), -EINVAL,
				  "closed ring: close_ring_fd (never registered) is -EINVAL");
		else
			CHECK_RET(io_uring_close_ring_fd(&stale), -EOPNOTSUPP,
				  "fall-back (no IORING_FEAT_REG_REG_RING before Linux 6.3): "
				  "closed ring: close_ring_fd is -EOPNOTSUPP");
	}
	io_uring_queue_exit(&dst);
	capi_check_no_leak(before, "closed-ring error paths");

	/* an all-zero struct io_uring: fd 0 is /dev/null here */
	memset(&zero, 0, sizeof(zero));
	want = raw_register(0, IORING_REGISTER_PERSONALITY, NULL, 0);
	CHECK_RET(want, -EOPNOTSUPP, "kernel: register on /dev/null is -EOPNOTSUPP");
	fd_only_calls(&zero, &good, want, "zeroed ring");
	CHECK_RET(io_uring_unregister_ring_fd(&zero), -EINVAL, "zeroed ring: unregister_ring_fd is -EINVAL");
	CHECK_RET(io_uring_close_ring_fd(&zero), -EOPNOTSUPP,
		  "zeroed ring: close_ring_fd (no REG_REG_RING feature) is -EOPNOTSUPP");
	CHECK_RET(io_uring_set_iowait(&zero, false), -EOPNOTSUPP, "zeroed ring: set_iowait is -EOPNOTSUPP");
	CHECK_RET(io_uring_ring_dontfork(&zero), -EINVAL, "zeroed ring: ring_dontfork is -EINVAL");
	{
		struct __kernel_timespec ts = { .tv_nsec = 1000 };
		struct io_uring_cqe *cqe = NULL;

		CHECK_RET(io_uring_wait_cqes_min_timeout(&zero, &cqe, 1, &ts, 10, NULL), -EINVAL,
			  "zeroed ring: wait_cqes_min_timeout (no MIN_TIMEOUT feature) is -EINVAL");
		CHECK_RET(io_uring_submit_and_wait_min_timeout(&zero, &cqe, 1, &ts, 10, NULL), -EINVAL,
			  "zeroed ring: submit_and_wait_min_timeout is -EINVAL");
	}
	CHECK_EQ(fcntl(0, F_GETFD) >= 0, 1, "fd 0 still open after the zeroed-ring calls");
	capi_check_no_leak(before, "zeroed-ring error paths");

	/* NULL arguments that upstream passes straight to the kernel */
	{
		struct io_uring *r = &good;
		long k;

#define NULL_ARG(call, op, arg, nr, name)				\
	do {								\
		k = raw_register(r->ring_fd, op, arg, nr);		\
		ret = call;						\
		CHECK(ret < 0 && ret == k, name ": the kernel's error",	\
		      "got %d, kernel %ld", ret, k);			\
	} while (0)
		NULL_ARG(io_uring_register_iowq_max_workers(r, NULL), IORING_REGISTER_IOWQ_MAX_WORKERS,
			 NULL, 2, "register_iowq_max_workers(NULL)");
		NULL_ARG(io_uring_register_napi(r, NULL), IORING_REGISTER_NAPI, NULL, 1,
			 "register_napi(NULL)");
		NULL_ARG(io_uring_register_clock(r, NULL), IORING_REGISTER_CLOCK, NULL, 0,
			 "register_clock(NULL)");
		NULL_ARG(io_uring_register_sync_cancel(r, NULL), IORING_REGISTER_SYNC_CANCEL, NULL, 1,
			 "register_sync_cancel(NULL)");
		NULL_ARG(io_uring_register_region(r, NULL), IORING_REGISTER_MEM_REGION, NULL, 1,
			 "register_region(NULL)");
		NULL_ARG(io_uring_register_restrictions(r, NULL, 0), IORING_REGISTER_RESTRICTIONS,
			 NULL, 0, "register_restrictions(NULL, 0)");
		NULL_ARG(io_uring_register_files(r, NULL, 0), IORING_REGISTER_FILES, NULL, 0,
			 "register_files(NULL, 0)");
		NULL_ARG(io_uring_register_ifq(r, NULL), IORING_REGISTER_ZCRX_IFQ, NULL, 1,
			 "register_ifq(NULL)");
		NULL_ARG(io_uring_register_iowq_aff(r, 8, NULL), IORING_REGISTER_IOWQ_AFF, NULL, 8,
			 "register_iowq_aff(NULL)");
		/* valgrind flags a NULL buffer array as an error of its own */
		if (!capi_under_valgrind())
			NULL_ARG(io_uring_register_buffers(r, NULL, 1), IORING_REGISTER_BUFFERS,
				 NULL, 1, "register_buffers(NULL, 1) with buffers registered");
#undef NULL_ARG
		ret = io_uring_register_bpf_filter_task(NULL);
		k = raw_register(-1, IORING_REGISTER_BPF_FILTER, NULL, 1);
		CHECK(ret < 0 && ret == k, "register_bpf_filter_task(NULL): the kernel's error",
		      "got %d, kernel %ld", ret, k);
	}
	/* peek_batch_cqe(count 0) with CQEs waiting takes none */
	{
		struct io_uring_sqe *sqe = io_uring_get_sqe(&good);

		io_uring_prep_nop(sqe);
		io_uring_submit(&good);
		CHECK_EQ(io_uring_peek_batch_cqe(&good, cqes, 0), 0,
			 "peek_batch_cqe(count 0) with a CQE ready returns 0");
		CHECK_EQ(io_uring_peek_batch_cqe(&good, NULL, 0), 0,
			 "peek_batch_cqe(NULL, 0) returns 0");
		CHECK_EQ(io_uring_cq_ready(&good), 1, "the CQE is still there");
		io_uring_cq_advance(&good, 1);
	}
	capi_check_no_leak(before, "NULL-argument error paths");

	/* init failures do not leak either (fds, ring mappings) */
	{
		struct io_uring_params p;
		int i;

		for (i = 0; i < 50; i++) {
			memset(&p, 0, sizeof(p));
			p.flags = IORING_SETUP_SQ_AFF;	/* without SQPOLL */
			io_uring_queue_init_params(8, &ring, &p);
			io_uring_queue_init(0, &ring, 0);
			io_uring_queue_init(8, &ring, 1U << 29);
		}
		capi_check_no_leak(before, "150 failed ring set-ups");
	}
	io_uring_queue_exit(&good);
}

int main(void)
{
	int nul = open("/dev/null", O_RDWR);

	if (nul > 0) {
		dup2(nul, 0);
		close(nul);
	}
	capi_begin("misc");
	capi_check_loaded_library();
	test_query();
	test_sync_msg();
	capi_in_child("bpf filter child", bpf_child, NULL);
	test_dontfork();
	test_closed_and_zeroed();
	return capi_done();
}
