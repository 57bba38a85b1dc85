/*
 * The bad-input table: for each function liburing.so exports, the bad
 * inputs a caller can plausibly pass, run through upstream liburing 2.15 and
 * through ours in the same process (dual.h), each call in its own forked
 * child. Compared: the result (or crash, or hang) of the two. Where upstream
 * crashes, ours may return an error instead, but must not crash. When a call
 * fails, the file descriptors and mappings it leaves behind must be the ones
 * that were there before.
 *
 * Verdicts: "same"; "upstream crashes" (ours returned, its value shown);
 * "both crash" only with the same signal on both sides, after both children
 * set their ring state up; FAIL otherwise, and FAIL when a child could not
 * set its ring state up (exit status SETUP_FAILED: the case tested nothing).
 * The table is compared with the committed one (docs/RELIABILITY.md) by
 * badinput-compare.sh: a row whose verdict moved, or whose "upstream crashes"
 * row now returns something else with ours, fails make test-reliability.
 *
 * usage: badinput UPSTREAM_SO OUR_SO LIBURING_MAP [--markdown]
 * LIBURING_MAP (our version script) lists the exported functions; every one
 * of them must have at least one case here.
 * Exit status 0 when no case fails.
 */
#include "dual.h"

#include <limits.h>
#include <sched.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <liburing.h>

enum state {
	S_NONE,     /* no ring involved */
	S_VALID,    /* io_uring_queue_init(8, ring, 0) */
	S_CQE,      /* valid, one NOP completion waiting */
	S_NULL,     /* ring == NULL */
	S_ZERO,     /* an all-zero struct io_uring (ring_fd 0 is /dev/null) */
	S_EXITED,   /* valid, then io_uring_queue_exit */
	S_BADFD,    /* valid, ring fd replaced by /dev/null */
	S_CLOSEDFD, /* valid, ring fd replaced by a closed descriptor */
	S_DISABLED, /* set up with IORING_SETUP_R_DISABLED */
	S_DEFER,    /* SINGLE_ISSUER | DEFER_TASKRUN (resizable) */
	S_TWO,      /* two valid rings: r and r2 */
	S_REGRING,  /* valid, ring fd registered (io_uring_register_ring_fd) */
	S_SQPOLL,   /* IORING_SETUP_SQPOLL */
	S_NSTATES
};

static const char *state_names[] = {
	"", "valid ring", "ring with a CQE", "NULL ring", "zeroed ring", "ring after queue_exit",
	"ring fd is /dev/null", "ring fd closed", "disabled ring", "DEFER_TASKRUN ring",
	"two rings", "registered ring fd", "SQPOLL ring",
};

enum kind { K_INT, K_SSIZE, K_UINT, K_PTR, K_BOOL, K_VOID };

struct env {
	const struct lib *lib;
	struct io_uring ring, ring2, scratch;
	struct io_uring *r, *r2;
	struct io_uring_params p;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts0, tsyears, tsbadns, tsneg;
	int devnull;
	int efd;
	int fds0, maps0; /* resources before the call under test */
	unsigned char zero[4096] __attribute__((aligned(4096)));
};

typedef long long (*body_fn)(struct env *e);

struct bcase {
	int seq;
	const char *fn;
	const char *desc;
	enum state st;
	enum kind kind;
	body_fn body;
};

static struct bcase cases[1024];
static int ncases;

static void add_case(int seq, const char *fn, const char *desc, enum state st, enum kind kind, body_fn body)
{
	if (ncases == (int)(sizeof(cases) / sizeof(cases[0]))) {
		fprintf(stderr, "too many cases\n");
		exit(2);
	}
	cases[ncases++] = (struct bcase){ seq, fn, desc, st, kind, body };
}

/* The library under test's own version of `fn`, typed from the header. */
#define F(fn) ((__typeof__(&fn))lib_sym(e->lib, #fn))

#define CASE(...) CASE_(__COUNTER__, __VA_ARGS__)
#define CASE_(n, ...) CASE__(n, __VA_ARGS__)
#define CASE__(n, fn, st, kind, desc, ...)                                          \
	static long long body_##n(struct env *e)                                     \
	{                                                                            \
		(void)e;                                                             \
		__VA_ARGS__                                                          \
	}                                                                            \
	__attribute__((constructor)) static void reg_##n(void)                      \
	{                                                                            \
		add_case(n, #fn, desc, st, kind, body_##n);                          \
	}

/* The ring states every ring-taking function gets, with `call` using e->r. */
#define RING_STATES(fn, kind, call)                                                  \
	CASE(fn, S_NULL, kind, "", return (long long)(call);)                       \
	CASE(fn, S_ZERO, kind, "", return (long long)(call);)                       \
	CASE(fn, S_EXITED, kind, "", return (long long)(call);)                     \
	CASE(fn, S_BADFD, kind, "", return (long long)(call);)                      \
	CASE(fn, S_CLOSEDFD, kind, "", return (long long)(call);)

#define RING_STATES_VOID(fn, call)                                                   \
	CASE(fn, S_NULL, K_VOID, "", call; return 0;)                               \
	CASE(fn, S_ZERO, K_VOID, "", call; return 0;)                               \
	CASE(fn, S_EXITED, K_VOID, "", call; return 0;)                             \
	CASE(fn, S_BADFD, K_VOID, "", call; return 0;)                              \
	CASE(fn, S_CLOSEDFD, K_VOID, "", call; return 0;)

/* Ends a case's preparation: resources counted from here on. */
#define MARK() (e->fds0 = count_fds(), e->maps0 = count_maps())

#define P (&e->p)
#define Z ((void *)e->zero)
#define YEARS (&e->tsyears)
#define TS0 (&e->ts0)

/* ---------------------------------------------------------------- setup */

CASE(io_uring_queue_init, S_NONE, K_INT, "entries 0", return F(io_uring_queue_init)(0, &e->scratch, 0);)
CASE(io_uring_queue_init, S_NONE, K_INT, "entries 3 (not a power of two)",
     return F(io_uring_queue_init)(3, &e->scratch, 0);)
CASE(io_uring_queue_init, S_NONE, K_INT, "entries 32768 (the limit)",
     return F(io_uring_queue_init)(32768, &e->scratch, 0);)
CASE(io_uring_queue_init, S_NONE, K_INT, "entries 32769", return F(io_uring_queue_init)(32769, &e->scratch, 0);)
CASE(io_uring_queue_init, S_NONE, K_INT, "entries UINT_MAX",
     return F(io_uring_queue_init)(UINT_MAX, &e->scratch, 0);)
CASE(io_uring_queue_init, S_NONE, K_INT, "unknown flag 1<<31",
     return F(io_uring_queue_init)(8, &e->scratch, 1U << 31);)
CASE(io_uring_queue_init, S_NONE, K_INT, "unknown flag 1<<25",
     return F(io_uring_queue_init)(8, &e->scratch, 1U << 25);)
CASE(io_uring_queue_init, S_NONE, K_INT, "REGISTERED_FD_ONLY without NO_MMAP",
     return F(io_uring_queue_init)(8, &e->scratch, IORING_SETUP_REGISTERED_FD_ONLY);)
CASE(io_uring_queue_init, S_NONE, K_INT, "SQ_AFF without SQPOLL",
     return F(io_uring_queue_init)(8, &e->scratch, IORING_SETUP_SQ_AFF);)
CASE(io_uring_queue_init, S_NONE, K_INT, "DEFER_TASKRUN without SINGLE_ISSUER",
     return F(io_uring_queue_init)(8, &e->scratch, IORING_SETUP_DEFER_TASKRUN);)
CASE(io_uring_queue_init, S_NONE, K_INT, "CQE32 | CQE_MIXED",
     return F(io_uring_queue_init)(8, &e->scratch, IORING_SETUP_CQE32 | IORING_SETUP_CQE_MIXED);)
CASE(io_uring_queue_init, S_NONE, K_INT, "NO_MMAP | REGISTERED_FD_ONLY",
     return F(io_uring_queue_init)(8, &e->scratch, IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY);)
CASE(io_uring_queue_init, S_NULL, K_INT, "entries 8", return F(io_uring_queue_init)(8, e->r, 0);)

CASE(io_uring_queue_init_params, S_NONE, K_INT, "params NULL",
     return F(io_uring_queue_init_params)(8, &e->scratch, NULL);)
CASE(io_uring_queue_init_params, S_NULL, K_INT, "entries 8", return F(io_uring_queue_init_params)(8, e->r, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "entries 0", return F(io_uring_queue_init_params)(0, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "resv[0] != 0",
     e->p.resv[0] = 1; return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "CQSIZE, cq_entries 0",
     e->p.flags = IORING_SETUP_CQSIZE; return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "CQSIZE, cq_entries below sq",
     e->p.flags = IORING_SETUP_CQSIZE; e->p.cq_entries = 2;
     return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "CQSIZE, cq_entries UINT_MAX",
     e->p.flags = IORING_SETUP_CQSIZE; e->p.cq_entries = UINT_MAX;
     return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "CLAMP, entries and cq_entries UINT_MAX",
     e->p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP; e->p.cq_entries = UINT_MAX;
     return F(io_uring_queue_init_params)(UINT_MAX, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "ATTACH_WQ, wq_fd -1",
     e->p.flags = IORING_SETUP_ATTACH_WQ; e->p.wq_fd = (unsigned)-1;
     return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "ATTACH_WQ, wq_fd /dev/null",
     e->p.flags = IORING_SETUP_ATTACH_WQ; e->p.wq_fd = e->devnull;
     return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "SQPOLL | SQ_AFF, cpu 4096",
     e->p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF; e->p.sq_thread_cpu = 4096;
     return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "NO_MMAP, CQSIZE 65536 with CQE32 (too big for a huge page)",
     e->p.flags = IORING_SETUP_NO_MMAP | IORING_SETUP_CQSIZE | IORING_SETUP_CQE32; e->p.cq_entries = 65536;
     return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "NO_MMAP, kernel refuses (unknown flag)",
     e->p.flags = IORING_SETUP_NO_MMAP | (1U << 30); return F(io_uring_queue_init_params)(8, &e->scratch, P);)
CASE(io_uring_queue_init_params, S_NONE, K_INT, "flags all ones",
     e->p.flags = ~0U; return F(io_uring_queue_init_params)(8, &e->scratch, P);)

CASE(io_uring_queue_init_mem, S_NONE, K_INT, "buf NULL, size 0 (library allocates)",
     return F(io_uring_queue_init_mem)(8, &e->scratch, P, NULL, 0);)
CASE(io_uring_queue_init_mem, S_NONE, K_INT, "buf of 4096 for 1024 entries",
     return F(io_uring_queue_init_mem)(1024, &e->scratch, P, Z, 4096);)
CASE(io_uring_queue_init_mem, S_NONE, K_INT, "buf size 0", return F(io_uring_queue_init_mem)(8, &e->scratch, P, Z, 0);)
CASE(io_uring_queue_init_mem, S_NONE, K_INT, "buf not page aligned",
     return F(io_uring_queue_init_mem)(8, &e->scratch, P, e->zero + 8, 4000);)
CASE(io_uring_queue_init_mem, S_NONE, K_INT, "entries 0", return F(io_uring_queue_init_mem)(0, &e->scratch, P, Z, 4096);)
CASE(io_uring_queue_init_mem, S_NONE, K_INT, "params NULL",
     return F(io_uring_queue_init_mem)(8, &e->scratch, NULL, Z, 4096);)
CASE(io_uring_queue_init_mem, S_NULL, K_INT, "", return F(io_uring_queue_init_mem)(8, e->r, P, Z, 4096);)

CASE(io_uring_queue_mmap, S_NONE, K_INT, "fd -1", return F(io_uring_queue_mmap)(-1, P, &e->scratch);)
CASE(io_uring_queue_mmap, S_NONE, K_INT, "fd /dev/null", return F(io_uring_queue_mmap)(e->devnull, P, &e->scratch);)
CASE(io_uring_queue_mmap, S_VALID, K_INT, "ring fd, zeroed params",
     return F(io_uring_queue_mmap)(e->r->ring_fd, P, &e->scratch);)
CASE(io_uring_queue_mmap, S_VALID, K_INT, "ring fd, params NULL",
     return F(io_uring_queue_mmap)(e->r->ring_fd, NULL, &e->scratch);)
CASE(io_uring_queue_mmap, S_NULL, K_INT, "fd -1", return F(io_uring_queue_mmap)(-1, P, e->r);)

RING_STATES_VOID(io_uring_queue_exit, F(io_uring_queue_exit)(e->r))
CASE(io_uring_queue_exit, S_VALID, K_VOID, "twice", F(io_uring_queue_exit)(e->r); F(io_uring_queue_exit)(e->r);
     return 0;)
CASE(io_uring_queue_exit, S_REGRING, K_VOID, "", F(io_uring_queue_exit)(e->r); return 0;)

RING_STATES(io_uring_ring_dontfork, K_INT, F(io_uring_ring_dontfork)(e->r))

CASE(io_uring_memory_size, S_NONE, K_SSIZE, "entries 0", return F(io_uring_memory_size)(0, 0);)
CASE(io_uring_memory_size, S_NONE, K_SSIZE, "entries 3", return F(io_uring_memory_size)(3, 0);)
CASE(io_uring_memory_size, S_NONE, K_SSIZE, "entries 32769", return F(io_uring_memory_size)(32769, 0);)
CASE(io_uring_memory_size, S_NONE, K_SSIZE, "entries UINT_MAX, CLAMP",
     return F(io_uring_memory_size)(UINT_MAX, IORING_SETUP_CLAMP);)
CASE(io_uring_memory_size, S_NONE, K_SSIZE, "unknown flags", return F(io_uring_memory_size)(8, ~0U);)
CASE(io_uring_memory_size, S_NONE, K_SSIZE, "CQE32 | SQE128 | NO_SQARRAY",
     return F(io_uring_memory_size)(64, IORING_SETUP_CQE32 | IORING_SETUP_SQE128 | IORING_SETUP_NO_SQARRAY);)
CASE(io_uring_memory_size_params, S_NONE, K_SSIZE, "params NULL", return F(io_uring_memory_size_params)(8, NULL);)
CASE(io_uring_memory_size_params, S_NONE, K_SSIZE, "CQSIZE, cq_entries 0",
     e->p.flags = IORING_SETUP_CQSIZE; return F(io_uring_memory_size_params)(8, P);)
CASE(io_uring_memory_size_params, S_NONE, K_SSIZE, "CQSIZE, cq below sq",
     e->p.flags = IORING_SETUP_CQSIZE; e->p.cq_entries = 4; return F(io_uring_memory_size_params)(64, P);)
CASE(io_uring_memory_size_params, S_NONE, K_SSIZE, "CQSIZE|CLAMP, cq UINT_MAX",
     e->p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP; e->p.cq_entries = UINT_MAX;
     return F(io_uring_memory_size_params)(64, P);)
CASE(io_uring_mlock_size, S_NONE, K_SSIZE, "entries 0", return F(io_uring_mlock_size)(0, 0);)
CASE(io_uring_mlock_size, S_NONE, K_SSIZE, "entries 32769", return F(io_uring_mlock_size)(32769, 0);)
CASE(io_uring_mlock_size, S_NONE, K_SSIZE, "unknown flags", return F(io_uring_mlock_size)(8, ~0U);)
CASE(io_uring_mlock_size_params, S_NONE, K_SSIZE, "params NULL", return F(io_uring_mlock_size_params)(8, NULL);)
CASE(io_uring_mlock_size_params, S_NONE, K_SSIZE, "CQSIZE, cq_entries 0",
     e->p.flags = IORING_SETUP_CQSIZE; return F(io_uring_mlock_size_params)(8, P);)

RING_STATES(io_uring_get_probe_ring, K_PTR, F(io_uring_get_probe_ring)(e->r))
CASE(io_uring_get_probe, S_NONE, K_PTR, "", return (long long)F(io_uring_get_probe)();)
CASE(io_uring_free_probe, S_NONE, K_VOID, "probe NULL", F(io_uring_free_probe)(NULL); return 0;)
CASE(io_uring_free_probe, S_NONE, K_VOID, "a probe from io_uring_get_probe",
     F(io_uring_free_probe)(F(io_uring_get_probe)()); return 0;)
CASE(io_uring_free_probe, S_NONE, K_VOID, "a probe from io_uring_get_probe, released with free()",
     free(F(io_uring_get_probe)()); return 0;)

CASE(io_uring_major_version, S_NONE, K_INT, "", return F(io_uring_major_version)();)
CASE(io_uring_minor_version, S_NONE, K_INT, "", return F(io_uring_minor_version)();)
CASE(io_uring_check_version, S_NONE, K_BOOL, "2, 15", return F(io_uring_check_version)(2, 15);)
CASE(io_uring_check_version, S_NONE, K_BOOL, "2, 16", return F(io_uring_check_version)(2, 16);)
CASE(io_uring_check_version, S_NONE, K_BOOL, "3, 0", return F(io_uring_check_version)(3, 0);)
CASE(io_uring_check_version, S_NONE, K_BOOL, "-1, -1", return F(io_uring_check_version)(-1, -1);)
CASE(io_uring_check_version, S_NONE, K_BOOL, "INT_MAX, INT_MIN", return F(io_uring_check_version)(INT_MAX, INT_MIN);)

CASE(io_uring_setup, S_NONE, K_INT, "entries 0", return F(io_uring_setup)(0, P);)
CASE(io_uring_setup, S_NONE, K_INT, "params NULL", return F(io_uring_setup)(8, NULL);)
CASE(io_uring_setup, S_NONE, K_INT, "resv[2] != 0", e->p.resv[2] = 5; return F(io_uring_setup)(8, P);)
CASE(io_uring_setup, S_NONE, K_INT, "unknown flag", e->p.flags = 1U << 29; return F(io_uring_setup)(8, P);)
CASE(io_uring_setup, S_NONE, K_INT, "entries UINT_MAX", return F(io_uring_setup)(UINT_MAX, P);)

CASE(io_uring_enter, S_NONE, K_INT, "fd -1", return F(io_uring_enter)(-1, 0, 0, 0, NULL);)
CASE(io_uring_enter, S_NONE, K_INT, "fd /dev/null", return F(io_uring_enter)(e->devnull, 0, 0, 0, NULL);)
CASE(io_uring_enter, S_VALID, K_INT, "unknown flag 1<<30",
     return F(io_uring_enter)(e->r->ring_fd, 0, 0, 1U << 30, NULL);)
CASE(io_uring_enter, S_VALID, K_INT, "to_submit 1000 with nothing queued",
     return F(io_uring_enter)(e->r->ring_fd, 1000, 0, 0, NULL);)
CASE(io_uring_enter, S_VALID, K_INT, "GETEVENTS, min_complete 0",
     return F(io_uring_enter)(e->r->ring_fd, 0, 0, IORING_ENTER_GETEVENTS, NULL);)
CASE(io_uring_enter, S_VALID, K_INT, "REGISTERED_RING with an unregistered index",
     return F(io_uring_enter)(3, 0, 0, IORING_ENTER_REGISTERED_RING, NULL);)
CASE(io_uring_enter2, S_VALID, K_INT, "EXT_ARG, arg NULL, size 0",
     return F(io_uring_enter2)(e->r->ring_fd, 0, 0, IORING_ENTER_EXT_ARG, NULL, 0);)
CASE(io_uring_enter2, S_VALID, K_INT, "EXT_ARG, wrong arg size",
     return F(io_uring_enter2)(e->r->ring_fd, 0, 0, IORING_ENTER_EXT_ARG, Z, 3);)
CASE(io_uring_enter2, S_VALID, K_INT, "GETEVENTS|EXT_ARG, arg a bad pointer",
     return F(io_uring_enter2)(e->r->ring_fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
			       (void *)16, sizeof(struct io_uring_getevents_arg));)
CASE(io_uring_enter2, S_NONE, K_INT, "fd -1", return F(io_uring_enter2)(-1, 0, 0, 0, NULL, 0);)

CASE(io_uring_register, S_NONE, K_INT, "fd -1", return F(io_uring_register)(-1, IORING_REGISTER_PROBE, Z, 4);)
CASE(io_uring_register, S_NONE, K_INT, "fd /dev/null",
     return F(io_uring_register)(e->devnull, IORING_REGISTER_PROBE, Z, 4);)
CASE(io_uring_register, S_VALID, K_INT, "unknown opcode 9999", return F(io_uring_register)(e->r->ring_fd, 9999, Z, 0);)
CASE(io_uring_register, S_VALID, K_INT, "REGISTER_FILES, arg NULL, nr 1",
     return F(io_uring_register)(e->r->ring_fd, IORING_REGISTER_FILES, NULL, 1);)

/* ---------------------------------------------------------------- queue */

RING_STATES(io_uring_get_sqe, K_PTR, F(io_uring_get_sqe)(e->r))
CASE(io_uring_get_sqe, S_VALID, K_PTR, "SQ full (9th of 8)",
     for (int i = 0; i < 8; i++) F(io_uring_get_sqe)(e->r); return (long long)F(io_uring_get_sqe)(e->r);)

RING_STATES(io_uring_submit, K_INT, F(io_uring_submit)(e->r))
CASE(io_uring_submit, S_VALID, K_INT, "nothing queued", return F(io_uring_submit)(e->r);)
CASE(io_uring_submit, S_BADFD, K_INT, "one NOP queued",
     io_uring_prep_nop(F(io_uring_get_sqe)(e->r)); return F(io_uring_submit)(e->r);)
CASE(io_uring_submit, S_VALID, K_INT, "SQE with an unknown opcode",
     struct io_uring_sqe *s = F(io_uring_get_sqe)(e->r); io_uring_prep_nop(s); s->opcode = 250;
     return F(io_uring_submit)(e->r);)
RING_STATES(io_uring_submit_and_wait, K_INT, F(io_uring_submit_and_wait)(e->r, 0))
CASE(io_uring_submit_and_wait, S_CQE, K_INT, "wait_nr 1, a CQE waiting", return F(io_uring_submit_and_wait)(e->r, 1);)
CASE(io_uring_submit_and_wait, S_VALID, K_INT, "wait_nr 1, nothing in flight (blocks)",
     return F(io_uring_submit_and_wait)(e->r, 1);)
RING_STATES(io_uring_submit_and_get_events, K_INT, F(io_uring_submit_and_get_events)(e->r))
CASE(io_uring_submit_and_get_events, S_VALID, K_INT, "nothing queued", return F(io_uring_submit_and_get_events)(e->r);)

RING_STATES(io_uring_submit_and_wait_timeout, K_INT,
	    F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 1, TS0, NULL))
CASE(io_uring_submit_and_wait_timeout, S_VALID, K_INT, "wait 1, timeout 0",
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 1, TS0, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_CQE, K_INT, "wait 1, timeout 10 years, a CQE waiting",
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 1, YEARS, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_VALID, K_INT, "wait 0, ts NULL",
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 0, NULL, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_CQE, K_INT, "cqe_ptr NULL, a CQE waiting",
     return F(io_uring_submit_and_wait_timeout)(e->r, NULL, 1, TS0, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_VALID, K_INT, "tv_nsec 2e9",
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 1, &e->tsbadns, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_VALID, K_INT, "tv_sec -1",
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 1, &e->tsneg, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_VALID, K_INT, "wait UINT_MAX, timeout 0",
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, UINT_MAX, TS0, NULL);)
CASE(io_uring_submit_and_wait_timeout, S_VALID, K_INT, "sigmask of all signals, timeout 0",
     sigset_t all; sigfillset(&all);
     return F(io_uring_submit_and_wait_timeout)(e->r, &e->cqe, 1, TS0, &all);)

RING_STATES(io_uring_submit_and_wait_min_timeout, K_INT,
	    F(io_uring_submit_and_wait_min_timeout)(e->r, &e->cqe, 1, TS0, 0, NULL))
CASE(io_uring_submit_and_wait_min_timeout, S_VALID, K_INT, "timeout 0, min_wait 0",
     return F(io_uring_submit_and_wait_min_timeout)(e->r, &e->cqe, 1, TS0, 0, NULL);)
CASE(io_uring_submit_and_wait_min_timeout, S_VALID, K_INT, "timeout 0, min_wait UINT_MAX",
     return F(io_uring_submit_and_wait_min_timeout)(e->r, &e->cqe, 1, TS0, UINT_MAX, NULL);)
CASE(io_uring_submit_and_wait_min_timeout, S_CQE, K_INT, "timeout 10 years, min_wait 1 s, a CQE waiting",
     return F(io_uring_submit_and_wait_min_timeout)(e->r, &e->cqe, 1, YEARS, 1000000, NULL);)
CASE(io_uring_submit_and_wait_min_timeout, S_VALID, K_INT, "ts NULL, min_wait 1000",
     return F(io_uring_submit_and_wait_min_timeout)(e->r, &e->cqe, 0, NULL, 1000, NULL);)

RING_STATES(io_uring_submit_and_wait_reg, K_INT, F(io_uring_submit_and_wait_reg)(e->r, &e->cqe, 1, 0))
CASE(io_uring_submit_and_wait_reg, S_VALID, K_INT, "index 0, no wait region",
     return F(io_uring_submit_and_wait_reg)(e->r, &e->cqe, 1, 0);)
CASE(io_uring_submit_and_wait_reg, S_VALID, K_INT, "index -1", return F(io_uring_submit_and_wait_reg)(e->r, &e->cqe, 1, -1);)
CASE(io_uring_submit_and_wait_reg, S_VALID, K_INT, "index INT_MAX",
     return F(io_uring_submit_and_wait_reg)(e->r, &e->cqe, 1, INT_MAX);)

RING_STATES(__io_uring_get_cqe, K_INT, F(__io_uring_get_cqe)(e->r, &e->cqe, 0, 0, NULL))
CASE(__io_uring_get_cqe, S_VALID, K_INT, "submit 0, wait 0, empty", return F(__io_uring_get_cqe)(e->r, &e->cqe, 0, 0, NULL);)
CASE(__io_uring_get_cqe, S_CQE, K_INT, "wait 1, a CQE waiting", return F(__io_uring_get_cqe)(e->r, &e->cqe, 0, 1, NULL);)
CASE(__io_uring_get_cqe, S_CQE, K_INT, "cqe_ptr NULL", return F(__io_uring_get_cqe)(e->r, NULL, 0, 1, NULL);)
CASE(__io_uring_get_cqe, S_VALID, K_INT, "submit 5 with nothing queued",
     return F(__io_uring_get_cqe)(e->r, &e->cqe, 5, 0, NULL);)

RING_STATES(io_uring_wait_cqes, K_INT, F(io_uring_wait_cqes)(e->r, &e->cqe, 1, TS0, NULL))
CASE(io_uring_wait_cqes, S_VALID, K_INT, "wait 0, ts NULL", return F(io_uring_wait_cqes)(e->r, &e->cqe, 0, NULL, NULL);)
CASE(io_uring_wait_cqes, S_VALID, K_INT, "wait 1, timeout 0", return F(io_uring_wait_cqes)(e->r, &e->cqe, 1, TS0, NULL);)
CASE(io_uring_wait_cqes, S_CQE, K_INT, "wait 1, timeout 10 years, a CQE waiting",
     return F(io_uring_wait_cqes)(e->r, &e->cqe, 1, YEARS, NULL);)
CASE(io_uring_wait_cqes, S_VALID, K_INT, "wait UINT_MAX, timeout 0",
     return F(io_uring_wait_cqes)(e->r, &e->cqe, UINT_MAX, TS0, NULL);)
CASE(io_uring_wait_cqes, S_VALID, K_INT, "tv_nsec 2e9", return F(io_uring_wait_cqes)(e->r, &e->cqe, 1, &e->tsbadns, NULL);)
CASE(io_uring_wait_cqes, S_CQE, K_INT, "cqe_ptr NULL", return F(io_uring_wait_cqes)(e->r, NULL, 1, TS0, NULL);)

RING_STATES(io_uring_wait_cqes_min_timeout, K_INT, F(io_uring_wait_cqes_min_timeout)(e->r, &e->cqe, 1, TS0, 0, NULL))
CASE(io_uring_wait_cqes_min_timeout, S_VALID, K_INT, "timeout 0, min 0",
     return F(io_uring_wait_cqes_min_timeout)(e->r, &e->cqe, 1, TS0, 0, NULL);)
CASE(io_uring_wait_cqes_min_timeout, S_VALID, K_INT, "timeout 0, min UINT_MAX",
     return F(io_uring_wait_cqes_min_timeout)(e->r, &e->cqe, 1, TS0, UINT_MAX, NULL);)
CASE(io_uring_wait_cqes_min_timeout, S_CQE, K_INT, "timeout 10 years, a CQE waiting",
     return F(io_uring_wait_cqes_min_timeout)(e->r, &e->cqe, 1, YEARS, 0, NULL);)
CASE(io_uring_wait_cqes_min_timeout, S_VALID, K_INT, "ts NULL, wait 0",
     return F(io_uring_wait_cqes_min_timeout)(e->r, &e->cqe, 0, NULL, 10, NULL);)

RING_STATES(io_uring_wait_cqe_timeout, K_INT, F(io_uring_wait_cqe_timeout)(e->r, &e->cqe, TS0))
CASE(io_uring_wait_cqe_timeout, S_VALID, K_INT, "timeout 0", return F(io_uring_wait_cqe_timeout)(e->r, &e->cqe, TS0);)
CASE(io_uring_wait_cqe_timeout, S_CQE, K_INT, "ts NULL, a CQE waiting", return F(io_uring_wait_cqe_timeout)(e->r, &e->cqe, NULL);)
CASE(io_uring_wait_cqe_timeout, S_CQE, K_INT, "timeout 10 years, a CQE waiting",
     return F(io_uring_wait_cqe_timeout)(e->r, &e->cqe, YEARS);)
CASE(io_uring_wait_cqe_timeout, S_VALID, K_INT, "tv_sec -1", return F(io_uring_wait_cqe_timeout)(e->r, &e->cqe, &e->tsneg);)
CASE(io_uring_wait_cqe_timeout, S_CQE, K_INT, "cqe_ptr NULL", return F(io_uring_wait_cqe_timeout)(e->r, NULL, TS0);)

RING_STATES(io_uring_peek_batch_cqe, K_UINT, F(io_uring_peek_batch_cqe)(e->r, (struct io_uring_cqe **)Z, 4))
CASE(io_uring_peek_batch_cqe, S_VALID, K_UINT, "empty, count 4",
     return F(io_uring_peek_batch_cqe)(e->r, (struct io_uring_cqe **)Z, 4);)
CASE(io_uring_peek_batch_cqe, S_CQE, K_UINT, "count 0", return F(io_uring_peek_batch_cqe)(e->r, (struct io_uring_cqe **)Z, 0);)
CASE(io_uring_peek_batch_cqe, S_CQE, K_UINT, "cqes NULL, count 0", return F(io_uring_peek_batch_cqe)(e->r, NULL, 0);)
CASE(io_uring_peek_batch_cqe, S_CQE, K_UINT, "cqes NULL, count 4", return F(io_uring_peek_batch_cqe)(e->r, NULL, 4);)
CASE(io_uring_peek_batch_cqe, S_CQE, K_UINT, "count UINT_MAX",
     return F(io_uring_peek_batch_cqe)(e->r, (struct io_uring_cqe **)Z, UINT_MAX);)

RING_STATES(io_uring_get_events, K_INT, F(io_uring_get_events)(e->r))
CASE(io_uring_get_events, S_VALID, K_INT, "", return F(io_uring_get_events)(e->r);)
RING_STATES(__io_uring_sqring_wait, K_INT, F(__io_uring_sqring_wait)(e->r))
CASE(__io_uring_sqring_wait, S_VALID, K_INT, "no SQPOLL", return F(__io_uring_sqring_wait)(e->r);)
CASE(__io_uring_sqring_wait, S_SQPOLL, K_INT, "SQ not full", return F(__io_uring_sqring_wait)(e->r);)

/* ------------------------------------------------------------- register */

static struct iovec one_iov_null = { NULL, 4096 };

RING_STATES(io_uring_register_buffers, K_INT, F(io_uring_register_buffers)(e->r, &one_iov_null, 1))
CASE(io_uring_register_buffers, S_VALID, K_INT, "iovecs NULL, nr 1", return F(io_uring_register_buffers)(e->r, NULL, 1);)
CASE(io_uring_register_buffers, S_VALID, K_INT, "nr 0", return F(io_uring_register_buffers)(e->r, (struct iovec *)Z, 0);)
CASE(io_uring_register_buffers, S_VALID, K_INT, "iov_base NULL, len 4096",
     return F(io_uring_register_buffers)(e->r, &one_iov_null, 1);)
CASE(io_uring_register_buffers, S_VALID, K_INT, "nr UINT_MAX", return F(io_uring_register_buffers)(e->r, (struct iovec *)Z, UINT_MAX);)
CASE(io_uring_register_buffers, S_VALID, K_INT, "twice",
     struct iovec v = { e->zero, 4096 }; F(io_uring_register_buffers)(e->r, &v, 1);
     return F(io_uring_register_buffers)(e->r, &v, 1);)
RING_STATES(io_uring_register_buffers_tags, K_INT, F(io_uring_register_buffers_tags)(e->r, &one_iov_null, NULL, 1))
CASE(io_uring_register_buffers_tags, S_VALID, K_INT, "tags NULL",
     struct iovec v = { e->zero, 4096 }; return F(io_uring_register_buffers_tags)(e->r, &v, NULL, 1);)
CASE(io_uring_register_buffers_tags, S_VALID, K_INT, "nr 0", return F(io_uring_register_buffers_tags)(e->r, NULL, NULL, 0);)
RING_STATES(io_uring_register_buffers_sparse, K_INT, F(io_uring_register_buffers_sparse)(e->r, 4))
CASE(io_uring_register_buffers_sparse, S_VALID, K_INT, "nr 0", return F(io_uring_register_buffers_sparse)(e->r, 0);)
CASE(io_uring_register_buffers_sparse, S_VALID, K_INT, "nr 1<<31", return F(io_uring_register_buffers_sparse)(e->r, 1U << 31);)
RING_STATES(io_uring_register_buffers_update_tag, K_INT, F(io_uring_register_buffers_update_tag)(e->r, 0, &one_iov_null, NULL, 1))
CASE(io_uring_register_buffers_update_tag, S_VALID, K_INT, "no buffer table",
     return F(io_uring_register_buffers_update_tag)(e->r, 0, &one_iov_null, NULL, 1);)
CASE(io_uring_register_buffers_update_tag, S_VALID, K_INT, "offset past the table",
     F(io_uring_register_buffers_sparse)(e->r, 4);
     return F(io_uring_register_buffers_update_tag)(e->r, 100, &one_iov_null, NULL, 1);)
RING_STATES(io_uring_unregister_buffers, K_INT, F(io_uring_unregister_buffers)(e->r))
CASE(io_uring_unregister_buffers, S_VALID, K_INT, "none registered", return F(io_uring_unregister_buffers)(e->r);)

static const int fd_minus2[1] = { -2 };
RING_STATES(io_uring_register_files, K_INT, F(io_uring_register_files)(e->r, fd_minus2, 1))
CASE(io_uring_register_files, S_VALID, K_INT, "files NULL, nr 1", return F(io_uring_register_files)(e->r, NULL, 1);)
CASE(io_uring_register_files, S_VALID, K_INT, "nr 0", return F(io_uring_register_files)(e->r, fd_minus2, 0);)
CASE(io_uring_register_files, S_VALID, K_INT, "fd -2", return F(io_uring_register_files)(e->r, fd_minus2, 1);)
CASE(io_uring_register_files, S_VALID, K_INT, "nr UINT_MAX", return F(io_uring_register_files)(e->r, (int *)Z, UINT_MAX);)
RING_STATES(io_uring_register_files_tags, K_INT, F(io_uring_register_files_tags)(e->r, fd_minus2, NULL, 1))
CASE(io_uring_register_files_tags, S_VALID, K_INT, "tags NULL, fd -1 (sparse)",
     static const int m1[1] = { -1 }; return F(io_uring_register_files_tags)(e->r, m1, NULL, 1);)
CASE(io_uring_register_files_tags, S_VALID, K_INT, "nr 0", return F(io_uring_register_files_tags)(e->r, NULL, NULL, 0);)
RING_STATES(io_uring_register_files_sparse, K_INT, F(io_uring_register_files_sparse)(e->r, 4))
CASE(io_uring_register_files_sparse, S_VALID, K_INT, "nr 0", return F(io_uring_register_files_sparse)(e->r, 0);)
CASE(io_uring_register_files_sparse, S_VALID, K_INT, "nr 1<<31", return F(io_uring_register_files_sparse)(e->r, 1U << 31);)
RING_STATES(io_uring_register_files_update, K_INT, F(io_uring_register_files_update)(e->r, 0, fd_minus2, 1))
CASE(io_uring_register_files_update, S_VALID, K_INT, "no file table", return F(io_uring_register_files_update)(e->r, 0, fd_minus2, 1);)
CASE(io_uring_register_files_update, S_VALID, K_INT, "files NULL",
     F(io_uring_register_files_sparse)(e->r, 4); return F(io_uring_register_files_update)(e->r, 0, NULL, 1);)
CASE(io_uring_register_files_update, S_VALID, K_INT, "offset past the table",
     F(io_uring_register_files_sparse)(e->r, 4); return F(io_uring_register_files_update)(e->r, 9, fd_minus2, 1);)
RING_STATES(io_uring_register_files_update_tag, K_INT, F(io_uring_register_files_update_tag)(e->r, 0, fd_minus2, NULL, 1))
CASE(io_uring_register_files_update_tag, S_VALID, K_INT, "no file table",
     return F(io_uring_register_files_update_tag)(e->r, 0, fd_minus2, NULL, 1);)
CASE(io_uring_register_files_update_tag, S_VALID, K_INT, "nr 0",
     F(io_uring_register_files_sparse)(e->r, 4); return F(io_uring_register_files_update_tag)(e->r, 0, NULL, NULL, 0);)
RING_STATES(io_uring_unregister_files, K_INT, F(io_uring_unregister_files)(e->r))
CASE(io_uring_unregister_files, S_VALID, K_INT, "none registered", return F(io_uring_unregister_files)(e->r);)

RING_STATES(io_uring_register_eventfd, K_INT, F(io_uring_register_eventfd)(e->r, e->efd))
CASE(io_uring_register_eventfd, S_VALID, K_INT, "fd -1", return F(io_uring_register_eventfd)(e->r, -1);)
CASE(io_uring_register_eventfd, S_VALID, K_INT, "fd /dev/null", return F(io_uring_register_eventfd)(e->r, e->devnull);)
CASE(io_uring_register_eventfd, S_VALID, K_INT, "twice",
     F(io_uring_register_eventfd)(e->r, e->efd); return F(io_uring_register_eventfd)(e->r, e->efd);)
RING_STATES(io_uring_register_eventfd_async, K_INT, F(io_uring_register_eventfd_async)(e->r, e->efd))
CASE(io_uring_register_eventfd_async, S_VALID, K_INT, "fd 900 (closed)", return F(io_uring_register_eventfd_async)(e->r, 900);)
RING_STATES(io_uring_unregister_eventfd, K_INT, F(io_uring_unregister_eventfd)(e->r))
CASE(io_uring_unregister_eventfd, S_VALID, K_INT, "none registered", return F(io_uring_unregister_eventfd)(e->r);)

RING_STATES(io_uring_register_probe, K_INT, F(io_uring_register_probe)(e->r, (struct io_uring_probe *)Z, 4))
CASE(io_uring_register_probe, S_VALID, K_INT, "probe NULL", return F(io_uring_register_probe)(e->r, NULL, 4);)
CASE(io_uring_register_probe, S_VALID, K_INT, "nr 0", return F(io_uring_register_probe)(e->r, (struct io_uring_probe *)Z, 0);)
CASE(io_uring_register_probe, S_VALID, K_INT, "nr 1000 (above 256)",
     return F(io_uring_register_probe)(e->r, (struct io_uring_probe *)Z, 1000);)
CASE(io_uring_register_probe, S_VALID, K_INT, "probe not zeroed",
     memset(e->zero, 0xff, 64); return F(io_uring_register_probe)(e->r, (struct io_uring_probe *)Z, 4);)
RING_STATES(io_uring_register_personality, K_INT, F(io_uring_register_personality)(e->r))
RING_STATES(io_uring_unregister_personality, K_INT, F(io_uring_unregister_personality)(e->r, 1))
CASE(io_uring_unregister_personality, S_VALID, K_INT, "id 0", return F(io_uring_unregister_personality)(e->r, 0);)
CASE(io_uring_unregister_personality, S_VALID, K_INT, "id -1", return F(io_uring_unregister_personality)(e->r, -1);)
CASE(io_uring_unregister_personality, S_VALID, K_INT, "id 9999", return F(io_uring_unregister_personality)(e->r, 9999);)

RING_STATES(io_uring_register_restrictions, K_INT,
	    F(io_uring_register_restrictions)(e->r, (struct io_uring_restriction *)Z, 1))
CASE(io_uring_register_restrictions, S_VALID, K_INT, "ring already enabled",
     return F(io_uring_register_restrictions)(e->r, (struct io_uring_restriction *)Z, 1);)
CASE(io_uring_register_restrictions, S_DISABLED, K_INT, "res NULL, nr 1",
     return F(io_uring_register_restrictions)(e->r, NULL, 1);)
CASE(io_uring_register_restrictions, S_DISABLED, K_INT, "nr 0",
     return F(io_uring_register_restrictions)(e->r, (struct io_uring_restriction *)Z, 0);)
CASE(io_uring_register_restrictions, S_DISABLED, K_INT, "unknown restriction opcode",
     e->zero[0] = 200; return F(io_uring_register_restrictions)(e->r, (struct io_uring_restriction *)Z, 1);)
RING_STATES(io_uring_enable_rings, K_INT, F(io_uring_enable_rings)(e->r))
CASE(io_uring_enable_rings, S_VALID, K_INT, "already enabled", return F(io_uring_enable_rings)(e->r);)
CASE(io_uring_enable_rings, S_DISABLED, K_INT, "twice", F(io_uring_enable_rings)(e->r); return F(io_uring_enable_rings)(e->r);)

RING_STATES(io_uring_register_iowq_aff, K_INT, F(io_uring_register_iowq_aff)(e->r, sizeof(cpu_set_t), (cpu_set_t *)Z))
CASE(io_uring_register_iowq_aff, S_VALID, K_INT, "mask NULL",
     return F(io_uring_register_iowq_aff)(e->r, sizeof(cpu_set_t), NULL);)
CASE(io_uring_register_iowq_aff, S_VALID, K_INT, "cpusz 0", return F(io_uring_register_iowq_aff)(e->r, 0, (cpu_set_t *)Z);)
CASE(io_uring_register_iowq_aff, S_VALID, K_INT, "empty mask",
     return F(io_uring_register_iowq_aff)(e->r, sizeof(cpu_set_t), (cpu_set_t *)Z);)
CASE(io_uring_register_iowq_aff, S_VALID, K_INT, "cpusz 1<<40",
     return F(io_uring_register_iowq_aff)(e->r, (size_t)1 << 40, (cpu_set_t *)Z);)
RING_STATES(io_uring_unregister_iowq_aff, K_INT, F(io_uring_unregister_iowq_aff)(e->r))
CASE(io_uring_unregister_iowq_aff, S_VALID, K_INT, "none registered", return F(io_uring_unregister_iowq_aff)(e->r);)
RING_STATES(io_uring_register_iowq_max_workers, K_INT, F(io_uring_register_iowq_max_workers)(e->r, (unsigned *)Z))
CASE(io_uring_register_iowq_max_workers, S_VALID, K_INT, "values NULL", return F(io_uring_register_iowq_max_workers)(e->r, NULL);)
CASE(io_uring_register_iowq_max_workers, S_VALID, K_INT, "values {0, 0} (query)",
     return F(io_uring_register_iowq_max_workers)(e->r, (unsigned *)Z);)
CASE(io_uring_register_iowq_max_workers, S_VALID, K_INT, "values {UINT_MAX, UINT_MAX}",
     memset(e->zero, 0xff, 8); return F(io_uring_register_iowq_max_workers)(e->r, (unsigned *)Z);)

RING_STATES(io_uring_register_ring_fd, K_INT, F(io_uring_register_ring_fd)(e->r))
CASE(io_uring_register_ring_fd, S_REGRING, K_INT, "already registered", return F(io_uring_register_ring_fd)(e->r);)
RING_STATES(io_uring_unregister_ring_fd, K_INT, F(io_uring_unregister_ring_fd)(e->r))
CASE(io_uring_unregister_ring_fd, S_VALID, K_INT, "not registered", return F(io_uring_unregister_ring_fd)(e->r);)
CASE(io_uring_unregister_ring_fd, S_REGRING, K_INT, "twice",
     F(io_uring_unregister_ring_fd)(e->r); return F(io_uring_unregister_ring_fd)(e->r);)
RING_STATES(io_uring_close_ring_fd, K_INT, F(io_uring_close_ring_fd)(e->r))
CASE(io_uring_close_ring_fd, S_VALID, K_INT, "ring fd not registered", return F(io_uring_close_ring_fd)(e->r);)
CASE(io_uring_close_ring_fd, S_REGRING, K_INT, "twice", F(io_uring_close_ring_fd)(e->r); return F(io_uring_close_ring_fd)(e->r);)
CASE(io_uring_close_ring_fd, S_REGRING, K_INT, "then submit a NOP",
     F(io_uring_close_ring_fd)(e->r); io_uring_prep_nop(F(io_uring_get_sqe)(e->r)); return F(io_uring_submit)(e->r);)

RING_STATES(io_uring_register_buf_ring, K_INT, F(io_uring_register_buf_ring)(e->r, (struct io_uring_buf_reg *)Z, 0))
CASE(io_uring_register_buf_ring, S_VALID, K_INT, "reg NULL", return F(io_uring_register_buf_ring)(e->r, NULL, 0);)
CASE(io_uring_register_buf_ring, S_VALID, K_INT, "zeroed reg", return F(io_uring_register_buf_ring)(e->r, (struct io_uring_buf_reg *)Z, 0);)
CASE(io_uring_register_buf_ring, S_VALID, K_INT, "unknown flags",
     return F(io_uring_register_buf_ring)(e->r, (struct io_uring_buf_reg *)Z, ~0U);)
CASE(io_uring_register_buf_ring, S_VALID, K_INT, "ring_addr 1, 8 entries",
     struct io_uring_buf_reg reg = { .ring_addr = 1, .ring_entries = 8, .bgid = 1 };
     return F(io_uring_register_buf_ring)(e->r, &reg, 0);)
RING_STATES(io_uring_unregister_buf_ring, K_INT, F(io_uring_unregister_buf_ring)(e->r, 1))
CASE(io_uring_unregister_buf_ring, S_VALID, K_INT, "bgid not registered", return F(io_uring_unregister_buf_ring)(e->r, 1);)
CASE(io_uring_unregister_buf_ring, S_VALID, K_INT, "bgid -1", return F(io_uring_unregister_buf_ring)(e->r, -1);)
RING_STATES(io_uring_buf_ring_head, K_INT, F(io_uring_buf_ring_head)(e->r, 1, (uint16_t *)Z))
CASE(io_uring_buf_ring_head, S_VALID, K_INT, "group not registered", return F(io_uring_buf_ring_head)(e->r, 1, (uint16_t *)Z);)
CASE(io_uring_buf_ring_head, S_VALID, K_INT, "head NULL, group not registered", return F(io_uring_buf_ring_head)(e->r, 1, NULL);)
CASE(io_uring_buf_ring_head, S_VALID, K_INT, "head NULL, group registered",
     int err; F(io_uring_setup_buf_ring)(e->r, 8, 1, 0, &err); MARK(); return F(io_uring_buf_ring_head)(e->r, 1, NULL);)

/*
 * io_uring_setup_buf_ring returns a pointer and reports errors in *err:
 * the value is 1 for a buffer ring, else *err (12345: *err left unwritten).
 */
#define SBR(n, bgid, flags)                                                          \
	int err = 12345;                                                             \
	struct io_uring_buf_ring *br = F(io_uring_setup_buf_ring)(e->r, n, bgid, flags, &err); \
	return br ? 1 : err;
RING_STATES(io_uring_setup_buf_ring, K_INT, ({ int err = 12345; F(io_uring_setup_buf_ring)(e->r, 8, 1, 0, &err) ? 1 : err; }))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "8 entries (1 = success)", SBR(8, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "0 entries", SBR(0, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "3 entries", SBR(3, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "65536 entries", SBR(65536, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "65537 entries", SBR(65537, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "UINT_MAX entries", SBR(UINT_MAX, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "bgid -1", SBR(8, -1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "bgid 70000", SBR(8, 70000, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "unknown flags", SBR(8, 1, 0x80000000U))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "bgid in use",
     F(io_uring_setup_buf_ring)(e->r, 8, 1, 0, &(int){ 0 }); MARK(); SBR(8, 1, 0))
CASE(io_uring_setup_buf_ring, S_VALID, K_INT, "err NULL, 3 entries",
     return F(io_uring_setup_buf_ring)(e->r, 3, 1, 0, NULL) ? 1 : 0;)
CASE(io_uring_setup_buf_ring, S_NULL, K_INT, "err NULL (0 = NULL returned)",
     return F(io_uring_setup_buf_ring)(e->r, 8, 1, 0, NULL) ? 1 : 0;)
RING_STATES(io_uring_free_buf_ring, K_INT, F(io_uring_free_buf_ring)(e->r, NULL, 8, 1))
CASE(io_uring_free_buf_ring, S_VALID, K_INT, "br NULL, bgid not registered", return F(io_uring_free_buf_ring)(e->r, NULL, 8, 1);)
CASE(io_uring_free_buf_ring, S_VALID, K_INT, "wrong bgid",
     int err; struct io_uring_buf_ring *br = F(io_uring_setup_buf_ring)(e->r, 8, 1, 0, &err); MARK();
     return F(io_uring_free_buf_ring)(e->r, br, 8, 2);)

RING_STATES(io_uring_register_sync_cancel, K_INT,
	    F(io_uring_register_sync_cancel)(e->r, (struct io_uring_sync_cancel_reg *)Z))
CASE(io_uring_register_sync_cancel, S_VALID, K_INT, "reg NULL", return F(io_uring_register_sync_cancel)(e->r, NULL);)
CASE(io_uring_register_sync_cancel, S_VALID, K_INT, "nothing to cancel, timeout -1",
     struct io_uring_sync_cancel_reg reg = { .addr = 77, .timeout = { -1, -1 } };
     return F(io_uring_register_sync_cancel)(e->r, &reg);)
CASE(io_uring_register_sync_cancel, S_VALID, K_INT, "unknown flags",
     struct io_uring_sync_cancel_reg reg = { .flags = ~0U, .timeout = { -1, -1 } };
     return F(io_uring_register_sync_cancel)(e->r, &reg);)
CASE(io_uring_register_sync_msg, S_NONE, K_INT, "sqe NULL", return F(io_uring_register_sync_msg)(NULL);)
CASE(io_uring_register_sync_msg, S_NONE, K_INT, "zeroed sqe", return F(io_uring_register_sync_msg)((struct io_uring_sqe *)Z);)
CASE(io_uring_register_sync_msg, S_VALID, K_INT, "MSG_RING to a ring fd, data",
     struct io_uring_sqe s; memset(&s, 0, sizeof(s)); io_uring_prep_msg_ring(&s, e->r->ring_fd, 0, 7, 0);
     return F(io_uring_register_sync_msg)(&s);)
CASE(io_uring_register_sync_msg, S_NONE, K_INT, "MSG_RING to /dev/null",
     struct io_uring_sqe s; memset(&s, 0, sizeof(s)); io_uring_prep_msg_ring(&s, e->devnull, 0, 7, 0);
     return F(io_uring_register_sync_msg)(&s);)
RING_STATES(io_uring_register_file_alloc_range, K_INT, F(io_uring_register_file_alloc_range)(e->r, 0, 1))
CASE(io_uring_register_file_alloc_range, S_VALID, K_INT, "no file table", return F(io_uring_register_file_alloc_range)(e->r, 0, 1);)
CASE(io_uring_register_file_alloc_range, S_VALID, K_INT, "past the table",
     F(io_uring_register_files_sparse)(e->r, 4); return F(io_uring_register_file_alloc_range)(e->r, 2, 8);)
CASE(io_uring_register_file_alloc_range, S_VALID, K_INT, "off + len overflows",
     F(io_uring_register_files_sparse)(e->r, 4); return F(io_uring_register_file_alloc_range)(e->r, UINT_MAX, 2);)

RING_STATES(io_uring_register_napi, K_INT, F(io_uring_register_napi)(e->r, (struct io_uring_napi *)Z))
CASE(io_uring_register_napi, S_VALID, K_INT, "napi NULL", return F(io_uring_register_napi)(e->r, NULL);)
CASE(io_uring_register_napi, S_VALID, K_INT, "pad not zero",
     struct io_uring_napi n = { .busy_poll_to = 10, .pad = { 1 } }; return F(io_uring_register_napi)(e->r, &n);)
RING_STATES(io_uring_unregister_napi, K_INT, F(io_uring_unregister_napi)(e->r, NULL))
CASE(io_uring_unregister_napi, S_VALID, K_INT, "napi NULL", return F(io_uring_unregister_napi)(e->r, NULL);)
RING_STATES(io_uring_register_clock, K_INT, F(io_uring_register_clock)(e->r, (struct io_uring_clock_register *)Z))
CASE(io_uring_register_clock, S_VALID, K_INT, "arg NULL", return F(io_uring_register_clock)(e->r, NULL);)
CASE(io_uring_register_clock, S_VALID, K_INT, "clockid 99",
     struct io_uring_clock_register c = { .clockid = 99 }; return F(io_uring_register_clock)(e->r, &c);)

/* Clone cases: r is the destination, r2 the source. */
CASE(io_uring_clone_buffers, S_TWO, K_INT, "source has no buffers", return F(io_uring_clone_buffers)(e->r, e->r2);)
CASE(io_uring_clone_buffers, S_TWO, K_INT, "src NULL", return F(io_uring_clone_buffers)(e->r, NULL);)
CASE(io_uring_clone_buffers, S_TWO, K_INT, "dst NULL", return F(io_uring_clone_buffers)(NULL, e->r2);)
CASE(io_uring_clone_buffers, S_TWO, K_INT, "dst == src", return F(io_uring_clone_buffers)(e->r, e->r);)
CASE(__io_uring_clone_buffers, S_TWO, K_INT, "unknown flags", return F(__io_uring_clone_buffers)(e->r, e->r2, 1U << 20);)
CASE(__io_uring_clone_buffers, S_TWO, K_INT, "source has no buffers", return F(__io_uring_clone_buffers)(e->r, e->r2, 0);)
CASE(__io_uring_clone_buffers, S_TWO, K_INT, "src NULL", return F(__io_uring_clone_buffers)(e->r, NULL, 0);)
CASE(io_uring_clone_buffers_offset, S_TWO, K_INT, "source has no buffers",
     return F(io_uring_clone_buffers_offset)(e->r, e->r2, 0, 0, 1, 0);)
CASE(io_uring_clone_buffers_offset, S_TWO, K_INT, "offsets past the table",
     F(io_uring_register_buffers_sparse)(e->r2, 4); return F(io_uring_clone_buffers_offset)(e->r, e->r2, 0, 8, 1, 0);)
CASE(io_uring_clone_buffers_offset, S_TWO, K_INT, "nr 0, offsets UINT_MAX",
     F(io_uring_register_buffers_sparse)(e->r2, 4);
     return F(io_uring_clone_buffers_offset)(e->r, e->r2, UINT_MAX, UINT_MAX, 0, 0);)
CASE(io_uring_clone_buffers_offset, S_TWO, K_INT, "unknown flags",
     return F(io_uring_clone_buffers_offset)(e->r, e->r2, 0, 0, 1, 1U << 20);)
CASE(io_uring_clone_buffers_offset, S_TWO, K_INT, "dst NULL", return F(io_uring_clone_buffers_offset)(NULL, e->r2, 0, 0, 1, 0);)
CASE(__io_uring_clone_buffers_offset, S_TWO, K_INT, "source has no buffers",
     return F(__io_uring_clone_buffers_offset)(e->r, e->r2, 0, 0, 1, 0);)
CASE(__io_uring_clone_buffers_offset, S_TWO, K_INT, "src NULL",
     return F(__io_uring_clone_buffers_offset)(e->r, NULL, 0, 0, 1, 0);)

RING_STATES(io_uring_register_ifq, K_INT, F(io_uring_register_ifq)(e->r, (struct io_uring_zcrx_ifq_reg *)Z))
CASE(io_uring_register_ifq, S_VALID, K_INT, "reg NULL", return F(io_uring_register_ifq)(e->r, NULL);)
CASE(io_uring_register_ifq, S_VALID, K_INT, "zeroed reg", return F(io_uring_register_ifq)(e->r, (struct io_uring_zcrx_ifq_reg *)Z);)
RING_STATES(io_uring_register_zcrx_ctrl, K_INT, F(io_uring_register_zcrx_ctrl)(e->r, (struct zcrx_ctrl *)Z))
CASE(io_uring_register_zcrx_ctrl, S_VALID, K_INT, "ctrl NULL", return F(io_uring_register_zcrx_ctrl)(e->r, NULL);)
CASE(io_uring_register_zcrx_ctrl, S_VALID, K_INT, "zeroed ctrl", return F(io_uring_register_zcrx_ctrl)(e->r, (struct zcrx_ctrl *)Z);)
RING_STATES(io_uring_register_region, K_INT, F(io_uring_register_region)(e->r, (struct io_uring_mem_region_reg *)Z))
CASE(io_uring_register_region, S_VALID, K_INT, "reg NULL", return F(io_uring_register_region)(e->r, NULL);)
CASE(io_uring_register_region, S_VALID, K_INT, "zeroed reg", return F(io_uring_register_region)(e->r, (struct io_uring_mem_region_reg *)Z);)
RING_STATES(io_uring_register_wait_reg, K_INT, F(io_uring_register_wait_reg)(e->r, (struct io_uring_reg_wait *)Z, 1))
CASE(io_uring_register_wait_reg, S_VALID, K_INT, "reg NULL, nr 1", return F(io_uring_register_wait_reg)(e->r, NULL, 1);)
CASE(io_uring_register_wait_reg, S_VALID, K_INT, "nr 0", return F(io_uring_register_wait_reg)(e->r, (struct io_uring_reg_wait *)Z, 0);)
CASE(io_uring_register_wait_reg, S_DISABLED, K_INT, "one page of reg_wait, nr 64 (a region the kernel accepts)",
     return F(io_uring_register_wait_reg)(e->r, (struct io_uring_reg_wait *)Z, 64);)
/* The call must leave the ring as it was: the same page still registers. */
CASE(io_uring_register_wait_reg, S_DISABLED, K_INT,
     "one page, nr 64, then that page through io_uring_register_region (its result)",
     struct io_uring_region_desc rd = { .user_addr = (unsigned long)Z, .size = 4096,
					.flags = IORING_MEM_REGION_TYPE_USER };
     struct io_uring_mem_region_reg mr = { .region_uptr = (unsigned long)&rd,
					   .flags = IORING_MEM_REGION_REG_WAIT_ARG };
     F(io_uring_register_wait_reg)(e->r, (struct io_uring_reg_wait *)Z, 64);
     return F(io_uring_register_region)(e->r, &mr);)
CASE(io_uring_register_wait_reg, S_VALID, K_INT, "nr -1", return F(io_uring_register_wait_reg)(e->r, (struct io_uring_reg_wait *)Z, -1);)
RING_STATES(io_uring_register_bpf_filter, K_INT, F(io_uring_register_bpf_filter)(e->r, (struct io_uring_bpf *)Z))
CASE(io_uring_register_bpf_filter, S_VALID, K_INT, "bpf NULL", return F(io_uring_register_bpf_filter)(e->r, NULL);)
CASE(io_uring_register_bpf_filter, S_VALID, K_INT, "zeroed bpf", return F(io_uring_register_bpf_filter)(e->r, (struct io_uring_bpf *)Z);)
CASE(io_uring_register_bpf_filter_task, S_NONE, K_INT, "bpf NULL", return F(io_uring_register_bpf_filter_task)(NULL);)
CASE(io_uring_register_bpf_filter_task, S_NONE, K_INT, "zeroed bpf",
     return F(io_uring_register_bpf_filter_task)((struct io_uring_bpf *)Z);)
CASE(io_uring_register_query, S_NONE, K_INT, "query NULL", return F(io_uring_register_query)(NULL);)
CASE(io_uring_register_query, S_NONE, K_INT, "zeroed header", return F(io_uring_register_query)((struct io_uring_query_hdr *)Z);)
CASE(io_uring_register_query, S_NONE, K_INT, "header with a bad next pointer",
     memset(e->zero, 0x41, 64); return F(io_uring_register_query)((struct io_uring_query_hdr *)Z);)

RING_STATES(io_uring_resize_rings, K_INT, F(io_uring_resize_rings)(e->r, P))
CASE(io_uring_resize_rings, S_VALID, K_INT, "not DEFER_TASKRUN", e->p.sq_entries = 16; return F(io_uring_resize_rings)(e->r, P);)
CASE(io_uring_resize_rings, S_DEFER, K_INT, "params NULL", return F(io_uring_resize_rings)(e->r, NULL);)
CASE(io_uring_resize_rings, S_DEFER, K_INT, "sq_entries 0", return F(io_uring_resize_rings)(e->r, P);)
CASE(io_uring_resize_rings, S_DEFER, K_INT, "sq_entries 64 (valid)", e->p.sq_entries = 64; return F(io_uring_resize_rings)(e->r, P);)
CASE(io_uring_resize_rings, S_DEFER, K_INT, "sq_entries 40000", e->p.sq_entries = 40000; return F(io_uring_resize_rings)(e->r, P);)
CASE(io_uring_resize_rings, S_DEFER, K_INT, "unknown flags",
     e->p.sq_entries = 16; e->p.flags = 1U << 30; return F(io_uring_resize_rings)(e->r, P);)
CASE(io_uring_resize_rings, S_DEFER, K_INT, "CQSIZE, cq below sq",
     e->p.sq_entries = 64; e->p.cq_entries = 8; e->p.flags = IORING_SETUP_CQSIZE; return F(io_uring_resize_rings)(e->r, P);)

RING_STATES(io_uring_set_iowait, K_INT, F(io_uring_set_iowait)(e->r, false))
CASE(io_uring_set_iowait, S_VALID, K_INT, "false", return F(io_uring_set_iowait)(e->r, false);)
CASE(io_uring_set_iowait, S_VALID, K_INT, "true", return F(io_uring_set_iowait)(e->r, true);)

/* --------------------------------------------------------------- runner */

struct job {
	const struct lib *lib;
	const struct bcase *c;
};

static int init_ring(struct env *e, struct io_uring *r, unsigned flags)
{
	return F(io_uring_queue_init)(8, r, flags);
}

/* Exit status of a child whose ring state could not be set up. */
#define SETUP_FAILED 4

/*
 * Planted regressions (BADINPUT_PLANT, make test-reliability's control):
 * "setup" fails every ring set-up of ours, "signal" turns ours' SIGSEGV into
 * SIGBUS. Both must turn rows into FAILs.
 */
static int planted(const struct env *e, const char *what)
{
	const char *p = getenv("BADINPUT_PLANT");

	return p && !strcmp(p, what) && !strcmp(e->lib->name, "ours");
}

static void segv_to_sigbus(int sig)
{
	(void)sig;
	signal(SIGBUS, SIG_DFL);
	raise(SIGBUS);
}

static int setup_failed(const struct outcome *o)
{
	return o->end == END_CRASHED && !o->sig && o->code == SETUP_FAILED;
}

static void prepare(struct env *e, enum state st)
{
	int ret = 0;

	e->r = &e->ring;
	switch (st) {
	case S_NONE:
		e->r = NULL;
		break;
	case S_NULL:
		e->r = NULL;
		break;
	case S_ZERO:
		memset(&e->ring, 0, sizeof(e->ring));
		break;
	case S_VALID:
	case S_BADFD:
	case S_CLOSEDFD:
	case S_EXITED:
	case S_CQE:
	case S_REGRING:
		ret = init_ring(e, &e->ring, 0);
		if (ret)
			break;
		if (st == S_EXITED) {
			F(io_uring_queue_exit)(&e->ring);
		} else if (st == S_BADFD) {
			e->ring.ring_fd = e->ring.enter_ring_fd = e->devnull;
		} else if (st == S_CLOSEDFD) {
			close(900);
			e->ring.ring_fd = e->ring.enter_ring_fd = 900;
		} else if (st == S_CQE) {
			io_uring_prep_nop(F(io_uring_get_sqe)(&e->ring));
			ret = F(io_uring_submit)(&e->ring) == 1 ? 0 : -1;
		} else if (st == S_REGRING) {
			ret = F(io_uring_register_ring_fd)(&e->ring) == 1 ? 0 : -1;
		}
		break;
	case S_DISABLED:
		ret = init_ring(e, &e->ring, IORING_SETUP_R_DISABLED);
		break;
	case S_DEFER:
		ret = init_ring(e, &e->ring, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
		break;
	case S_SQPOLL:
		ret = init_ring(e, &e->ring, IORING_SETUP_SQPOLL);
		break;
	case S_TWO:
		ret = init_ring(e, &e->ring, 0);
		if (!ret)
			ret = init_ring(e, &e->ring2, 0);
		e->r2 = &e->ring2;
		break;
	case S_NSTATES:
		break;
	}
	if (planted(e, "setup") && e->r && st != S_ZERO)
		ret = -ENOMEM;
	if (ret) {
		fprintf(stderr, "%s: could not prepare state %s (%d)\n", e->lib->name, state_names[st], ret);
		_exit(SETUP_FAILED);
	}
}

static void run_case(void *arg, struct outcome *o)
{
	const struct job *j = arg;
	static struct env env;
	struct env *e = &env;
	memset(e, 0, sizeof(*e));
	e->lib = j->lib;
	e->devnull = open("/dev/null", O_RDWR);
	dup2(e->devnull, 0);
	dup2(e->devnull, 2); /* libc's abort messages of crashing cases */
	e->efd = eventfd(0, 0);
	e->tsyears.tv_sec = 10LL * 365 * 24 * 3600;
	e->tsbadns.tv_nsec = 2000000000LL;
	e->tsneg.tv_sec = -1;
	prepare(e, j->c->st);
	if (planted(e, "signal"))
		signal(SIGSEGV, segv_to_sigbus);
	MARK();
	o->val = j->c->body(e);
	o->fd_delta = count_fds() - e->fds0;
	o->map_delta = count_maps() - e->maps0;
}

static const char *fmt_outcome(const struct outcome *o, enum kind k, char *buf, size_t len)
{
	char v[64];

	switch (o->end) {
	case END_CRASHED:
		if (setup_failed(o))
			snprintf(buf, len, "set-up failed");
		else if (o->sig)
			snprintf(buf, len, "crash (%s)", sigabbrev_np(o->sig));
		else
			snprintf(buf, len, "crash (exit %d)", o->code);
		return buf;
	case END_HUNG:
		snprintf(buf, len, "blocks");
		return buf;
	case END_RETURNED:
		break;
	}
	switch (k) {
	case K_INT:
		return fmt_ret((int)o->val, buf, len);
	case K_SSIZE:
		return fmt_ret(o->val, buf, len);
	case K_UINT:
		snprintf(buf, len, "%u", (unsigned)o->val);
		return buf;
	case K_PTR:
		snprintf(buf, len, "%s", o->val ? "pointer" : "NULL");
		return buf;
	case K_BOOL:
		snprintf(buf, len, "%s", o->val ? "true" : "false");
		return buf;
	case K_VOID:
		snprintf(buf, len, "returns");
		return buf;
	}
	(void)v;
	return buf;
}

static int is_error(const struct outcome *o, enum kind k)
{
	switch (k) {
	case K_INT:
		return (int)o->val < 0;
	case K_SSIZE:
		return o->val < 0;
	case K_PTR:
		return o->val == 0;
	case K_VOID:
		return 1; /* releasing calls must never add resources */
	default:
		return 0;
	}
}

static int same_value(const struct outcome *a, const struct outcome *b, enum kind k)
{
	switch (k) {
	case K_INT:
		return (int)a->val == (int)b->val;
	case K_UINT:
		return (unsigned)a->val == (unsigned)b->val;
	case K_PTR:
	case K_BOOL:
		return !a->val == !b->val;
	case K_VOID:
		return 1;
	default:
		return a->val == b->val;
	}
}

static int cmp_seq(const void *a, const void *b)
{
	return ((const struct bcase *)a)->seq - ((const struct bcase *)b)->seq;
}

/* Every function in the version script has a case. */
static int check_coverage(const char *map)
{
	FILE *f = fopen(map, "r");
	char line[256];
	int missing = 0, total = 0;

	if (!f) {
		perror(map);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		int found = 0;

		if (sscanf(line, " %127[A-Za-z0-9_];", name) != 1 || strstr(line, "LIBURING") ||
		    !strncmp(name, "global", 6) || !strncmp(name, "local", 5))
			continue;
		if (!strstr(line, ";"))
			continue;
		total++;
		for (int i = 0; i < ncases; i++)
			if (!strcmp(cases[i].fn, name))
				found = 1;
		if (!found) {
			printf("no bad-input case for %s\n", name);
			missing++;
		}
	}
	fclose(f);
	printf("%d exported functions, %d without a case\n", total, missing);
	return missing;
}

int main(int argc, char **argv)
{
	struct lib up, ours;
	int markdown = argc > 4 && !strcmp(argv[4], "--markdown");
	int failed = 0, same = 0, upcrash = 0, bothcrash = 0, n = 0;
	const char *only = getenv("BADINPUT_ONLY");

	if (argc < 4) {
		fprintf(stderr, "usage: %s UPSTREAM_SO OUR_SO LIBURING_MAP [--markdown]\n", argv[0]);
		return 2;
	}
	lib_open(&up, "upstream", argv[1]);
	lib_open(&ours, "ours", argv[2]);
	qsort(cases, ncases, sizeof(cases[0]), cmp_seq);
	if (check_coverage(argv[3]))
		failed++;

	if (markdown) {
		printf("| function | input | upstream 2.15 | ours | verdict |\n");
		printf("| --- | --- | --- | --- | --- |\n");
	}
	for (int i = 0; i < ncases; i++) {
		const struct bcase *c = &cases[i];
		struct job ju = { &up, c }, jo = { &ours, c };
		struct outcome ou, oo;
		char bu[64], bo[64], desc[160];
		const char *verdict;
		int bad = 0;

		if (only && !strstr(c->fn, only))
			continue;
		n++;
		/* Both at once: a call that blocks costs its 2 s only once. */
		struct pending pu = start_isolated(run_case, &ju, 2);
		struct pending po = start_isolated(run_case, &jo, 2);

		ou = finish_isolated(pu);
		oo = finish_isolated(po);
		if (setup_failed(&ou) || setup_failed(&oo)) {
			/* The case could not start: it compared nothing. */
			verdict = "FAIL: ring state set-up failed";
			bad = 1;
		} else if (oo.end == END_CRASHED && ou.end == END_CRASHED) {
			if (oo.sig && oo.sig == ou.sig) {
				/* Both dereference ring memory that is not there. */
				verdict = "both crash";
				bothcrash++;
			} else {
				verdict = "FAIL: crashes differently";
				bad = 1;
			}
		} else if (oo.end == END_CRASHED) {
			verdict = "FAIL: ours crashes";
			bad = 1;
		} else if (ou.end == END_CRASHED) {
			verdict = "upstream crashes";
			upcrash++;
		} else if (ou.end != oo.end || (ou.end == END_RETURNED && !same_value(&ou, &oo, c->kind))) {
			verdict = "FAIL: differs";
			bad = 1;
		} else {
			verdict = "same";
			same++;
		}
		if (oo.end == END_RETURNED && is_error(&oo, c->kind) && (oo.fd_delta > 0 || oo.map_delta > 0)) {
			verdict = oo.fd_delta > 0 ? "FAIL: leaks an fd" : "FAIL: leaks a mapping";
			bad = 1;
		}
		failed += bad;
		snprintf(desc, sizeof(desc), "%s%s%s", state_names[c->st], *c->desc && *state_names[c->st] ? ", " : "",
			 c->desc);
		fmt_outcome(&ou, c->kind, bu, sizeof(bu));
		fmt_outcome(&oo, c->kind, bo, sizeof(bo));
		if (markdown)
			printf("| %s | %s | %s | %s | %s |\n", c->fn, desc, bu, bo, verdict);
		else
			printf("%-40s %-60s %-18s %-18s %s\n", c->fn, desc, bu, bo, verdict);
	}
	printf("\n%d cases: %d same, %d where upstream crashes and ours does not, %d where both crash, "
	       "%d failed\n", n, same, upcrash, bothcrash, failed);
	return failed ? 1 : 0;
}
