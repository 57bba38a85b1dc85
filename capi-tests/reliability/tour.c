/*
 * A single-threaded tour of the success paths of liburing's exported
 * functions, for valgrind and the sanitizers: every ring set-up variant does
 * a NOP round trip and is torn down, every registration is made and undone.
 * Each call that must succeed on this kernel is checked; at the end the
 * process must hold exactly the file descriptors and mappings it started
 * with, so the library leaked nothing on these paths either.
 *
 * Runs on whichever liburing.so.2 the dynamic linker finds.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <liburing.h>

#include "proc-count.h"

static int checks;

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		checks++;                                                   \
		if (!(cond)) {                                              \
			fprintf(stderr, "tour: line %d: ", __LINE__);       \
			fprintf(stderr, __VA_ARGS__);                       \
			fprintf(stderr, "\n");                              \
			exit(1);                                            \
		}                                                           \
	} while (0)

#define OK(call)                                                                  \
	do {                                                                      \
		int ret_ = (call);                                                \
		CHECK(ret_ >= 0, "%s = %d (%s)", #call, ret_, strerror(-ret_));    \
	} while (0)

static void nop_round_trip(struct io_uring *ring, unsigned long long ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;

	CHECK(sqe, "no SQE");
	io_uring_prep_nop(sqe);
	sqe->user_data = ud;
	CHECK(io_uring_submit(ring) == 1, "submit");
	OK(io_uring_wait_cqe(ring, &cqe));
	CHECK(cqe->user_data == ud && cqe->res == 0, "NOP %llu: res %d", ud, cqe->res);
	io_uring_cqe_seen(ring, cqe);
}

static void setups(void)
{
	static const unsigned flags[] = {
		0,
		IORING_SETUP_SQPOLL,
		IORING_SETUP_CQSIZE,
		IORING_SETUP_NO_MMAP,
		IORING_SETUP_NO_SQARRAY,
		IORING_SETUP_CQE32,
		IORING_SETUP_SQE128,
		IORING_SETUP_CQE_MIXED,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY,
		IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
		IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CLAMP,
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct io_uring ring;
		struct io_uring_params p = { .flags = flags[i], .cq_entries = 64 };

		OK(io_uring_queue_init_params(16, &ring, &p));
		nop_round_trip(&ring, i + 1);
		io_uring_queue_exit(&ring);
	}

	/* Disabled, then enabled. */
	{
		struct io_uring ring;

		OK(io_uring_queue_init(8, &ring, IORING_SETUP_R_DISABLED));
		OK(io_uring_enable_rings(&ring));
		nop_round_trip(&ring, 99);
		io_uring_queue_exit(&ring);
	}

	/* Application memory. */
	{
		size_t len = 1 << 20;
		void *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct io_uring ring;
		struct io_uring_params p = { 0 };
		int used;

		CHECK(mem != MAP_FAILED, "mmap");
		used = io_uring_queue_init_mem(64, &ring, &p, mem, len);
		CHECK(used > 0 && (size_t)used <= len, "queue_init_mem = %d", used);
		nop_round_trip(&ring, 100);
		io_uring_queue_exit(&ring);
		munmap(mem, len);
	}

	/* The raw calls, and io_uring_queue_mmap on an fd set up by hand. */
	{
		struct io_uring_params p = { 0 };
		struct io_uring ring;
		int fd = io_uring_setup(8, &p);

		CHECK(fd >= 0, "io_uring_setup = %d", fd);
		OK(io_uring_queue_mmap(fd, &p, &ring));
		nop_round_trip(&ring, 101);
		OK(io_uring_enter(fd, 0, 0, IORING_ENTER_GETEVENTS, NULL));
		OK(io_uring_enter2(fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0));
		io_uring_queue_exit(&ring);
	}

	CHECK(io_uring_memory_size(64, 0) > 0, "memory_size");
	CHECK(io_uring_mlock_size(64, 0) >= 0, "mlock_size");
	CHECK(io_uring_major_version() == 2 && io_uring_minor_version() == 15, "version");
	CHECK(io_uring_check_version(2, 15) == false, "check_version");
}

static void probes(struct io_uring *ring)
{
	struct io_uring_probe *p = io_uring_get_probe();

	CHECK(p && io_uring_opcode_supported(p, IORING_OP_NOP), "get_probe");
	io_uring_free_probe(p);
	p = io_uring_get_probe_ring(ring);
	CHECK(p, "get_probe_ring");
	io_uring_free_probe(p);
	p = calloc(1, sizeof(*p) + 256 * sizeof(struct io_uring_probe_op));
	OK(io_uring_register_probe(ring, p, 256));
	free(p);
}

static void files_and_buffers(struct io_uring *ring, struct io_uring *ring2)
{
	int fds[4] = { -1, -1, -1, -1 };
	__u64 tags[4] = { 1, 2, 3, 4 }, ftags[4] = { 0, 2, 0, 0 }; /* no tag on an empty slot */
	static char bufs[4][4096];
	struct iovec iov[4];
	int devnull = open("/dev/null", O_RDWR);

	for (int i = 0; i < 4; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
	}
	fds[1] = devnull;
	OK(io_uring_register_files(ring, fds, 4));
	OK(io_uring_register_files_update(ring, 2, &devnull, 1));
	OK(io_uring_register_files_update_tag(ring, 3, &devnull, tags, 1));
	OK(io_uring_register_file_alloc_range(ring, 0, 4));
	OK(io_uring_unregister_files(ring));
	OK(io_uring_register_files_tags(ring, fds, ftags, 4));
	OK(io_uring_unregister_files(ring));
	OK(io_uring_register_files_sparse(ring, 16));
	OK(io_uring_unregister_files(ring));

	OK(io_uring_register_buffers(ring, iov, 4));
	OK(io_uring_clone_buffers(ring2, ring));
	OK(io_uring_unregister_buffers(ring2));
	OK(io_uring_clone_buffers_offset(ring2, ring, 0, 1, 2, 0));
	OK(io_uring_unregister_buffers(ring2));
	OK(__io_uring_clone_buffers(ring2, ring, 0));
	OK(__io_uring_clone_buffers_offset(ring2, ring, 0, 0, 1, IORING_REGISTER_DST_REPLACE));
	OK(io_uring_unregister_buffers(ring2));
	OK(io_uring_unregister_buffers(ring));
	OK(io_uring_register_buffers_tags(ring, iov, tags, 4));
	OK(io_uring_register_buffers_update_tag(ring, 1, iov, tags, 1));
	OK(io_uring_unregister_buffers(ring));
	OK(io_uring_register_buffers_sparse(ring, 8));
	OK(io_uring_unregister_buffers(ring));
	close(devnull);
	/* Each tagged resource that went away posted a CQE with its tag. */
	{
		struct io_uring_cqe *cqe;
		struct __kernel_timespec ts = { .tv_nsec = 50000000 };
		int n = 0;

		while (io_uring_wait_cqe_timeout(ring, &cqe, &ts) == 0) {
			CHECK(cqe->user_data >= 1 && cqe->user_data <= 4, "tag CQE %llu",
			      (unsigned long long)cqe->user_data);
			io_uring_cqe_seen(ring, cqe);
			n++;
		}
		CHECK(n > 0, "no tag CQE");
	}
}

static void registrations(struct io_uring *ring, struct io_uring *ring2)
{
	int efd = eventfd(0, 0), id, err;
	unsigned workers[2] = { 0, 0 };
	cpu_set_t set;
	struct io_uring_buf_ring *br;
	uint16_t head;
	struct io_uring_sqe msg;
	struct io_uring_cqe *cqe;
	struct io_uring_sync_cancel_reg cancel = { .addr = 12345, .timeout = { -1, -1 } };
	struct io_uring_clock_register clock = { .clockid = CLOCK_BOOTTIME };

	OK(io_uring_register_eventfd(ring, efd));
	OK(io_uring_unregister_eventfd(ring));
	OK(io_uring_register_eventfd_async(ring, efd));
	OK(io_uring_unregister_eventfd(ring));
	close(efd);

	id = io_uring_register_personality(ring);
	CHECK(id > 0, "register_personality = %d", id);
	OK(io_uring_unregister_personality(ring, id));

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	OK(io_uring_register_iowq_aff(ring, sizeof(set), &set));
	OK(io_uring_unregister_iowq_aff(ring));
	OK(io_uring_register_iowq_max_workers(ring, workers));

	br = io_uring_setup_buf_ring(ring, 8, 3, 0, &err);
	CHECK(br, "setup_buf_ring: %d", err);
	OK(io_uring_buf_ring_head(ring, 3, &head));
	CHECK(head == 0, "buf ring head %u", head);
	OK(io_uring_free_buf_ring(ring, br, 8, 3));
	{
		void *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct io_uring_buf_reg reg = { .ring_addr = (unsigned long)mem, .ring_entries = 8, .bgid = 4 };

		OK(io_uring_register_buf_ring(ring, &reg, 0));
		OK(io_uring_unregister_buf_ring(ring, 4));
		munmap(mem, 4096);
	}

	CHECK(io_uring_register_sync_cancel(ring, &cancel) == -ENOENT, "sync_cancel of nothing");
	memset(&msg, 0, sizeof(msg));
	io_uring_prep_msg_ring(&msg, ring2->ring_fd, 5, 77, 0);
	OK(io_uring_register_sync_msg(&msg));
	OK(io_uring_wait_cqe(ring2, &cqe));
	CHECK(cqe->user_data == 77 && cqe->res == 5, "sync_msg CQE");
	io_uring_cqe_seen(ring2, cqe);

	OK(io_uring_register_clock(ring, &clock));
	OK(io_uring_set_iowait(ring, false));
	OK(io_uring_set_iowait(ring, true));
	OK(io_uring_ring_dontfork(ring));

	/* Registered ring fd, then close the real fd and keep using the ring. */
	CHECK(io_uring_register_ring_fd(ring) == 1, "register_ring_fd");
	nop_round_trip(ring, 200);
	OK(io_uring_unregister_ring_fd(ring));
	CHECK(io_uring_register_ring_fd(ring) == 1, "register_ring_fd again");
	CHECK(io_uring_close_ring_fd(ring) == 1, "close_ring_fd");
	nop_round_trip(ring, 201);
}

static void waits(struct io_uring *ring)
{
	struct __kernel_timespec ts0 = { 0 }, ts = { .tv_nsec = 1000000 };
	struct io_uring_cqe *cqe, *cqes[8];

	CHECK(io_uring_wait_cqe_timeout(ring, &cqe, &ts) == -ETIME, "wait_cqe_timeout on empty");
	CHECK(io_uring_wait_cqes(ring, &cqe, 1, &ts0, NULL) == -ETIME, "wait_cqes, timeout 0");
	CHECK(io_uring_wait_cqes_min_timeout(ring, &cqe, 1, &ts, 100, NULL) == -ETIME, "min_timeout");
	CHECK(io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, NULL) == -ETIME, "submit_and_wait_timeout");
	CHECK(io_uring_submit_and_wait_min_timeout(ring, &cqe, 1, &ts, 100, NULL) == -ETIME, "s_a_w_min_timeout");
	OK(io_uring_get_events(ring));
	OK(io_uring_submit_and_get_events(ring));
	for (int i = 0; i < 4; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, i + 1);
	}
	CHECK(io_uring_submit_and_wait(ring, 4) == 4, "submit_and_wait");
	CHECK(io_uring_peek_batch_cqe(ring, cqes, 8) == 4, "peek_batch");
	io_uring_cq_advance(ring, 4);
	CHECK(__io_uring_get_cqe(ring, &cqe, 0, 0, NULL) == -EAGAIN, "__io_uring_get_cqe on empty");
}

static void resize(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .sq_entries = 64, .cq_entries = 256, .flags = IORING_SETUP_CQSIZE };

	OK(io_uring_queue_init(8, &ring, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN));
	nop_round_trip(&ring, 300);
	OK(io_uring_resize_rings(&ring, &p));
	CHECK(ring.sq.ring_entries == 64 && ring.cq.ring_entries == 256, "resized to %u/%u", ring.sq.ring_entries,
	      ring.cq.ring_entries);
	nop_round_trip(&ring, 301);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	int fds0 = count_fds(), maps0 = count_maps(), fds1, maps1;
	struct io_uring ring, ring2;

	setups();
	OK(io_uring_queue_init(16, &ring, 0));
	OK(io_uring_queue_init(16, &ring2, 0));
	probes(&ring);
	files_and_buffers(&ring, &ring2);
	waits(&ring);
	registrations(&ring, &ring2);
	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&ring2);
	resize();
	fds1 = count_fds();
	maps1 = count_maps();
	CHECK(fds1 == fds0, "%d file descriptors at the start, %d at the end", fds0, fds1);
#ifndef __SANITIZE_ADDRESS__
	/* (AddressSanitizer's allocator maps memory of its own as it goes.) */
	CHECK(maps1 == maps0, "%d mappings at the start, %d at the end", maps0, maps1);
#else
	(void)maps0;
	(void)maps1;
#endif
	printf("tour: %d checks passed; no descriptor or mapping left behind\n", checks);
	return 0;
}
