/* SPDX-License-Identifier: MIT */
/*
 * The shared scaffolding of the C ABI tests (declared in capi.h): the
 * PASS/FAIL/SKIP tally, the kernel-feature probes, resource accounting, the
 * child-process runner and small ring helpers. Compiled once per header
 * form (mk/capi.mk) and linked into every program.
 */
#include "capi.h"
#include "../reliability/proc-count.h"

#include <sys/random.h>

static const char *capi_prog = "capi";
static unsigned capi_passed, capi_failed, capi_skipped;

void capi_begin(const char *prog)
{
	capi_prog = prog;
	/* keep PASS/FAIL lines in order with any child output */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

void capi_pass(const char *what)
{
	capi_passed++;
	printf("PASS %s: %s\n", capi_prog, what);
}

void capi_failf(const char *what, const char *fmt, ...)
{
	va_list ap;

	capi_failed++;
	printf("FAIL %s: %s (", capi_prog, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

void capi_skip(const char *what, const char *why)
{
	capi_skipped++;
	printf("SKIP %s: %s (%s)\n", capi_prog, what, why);
}

/* ---- what the running kernel has ------------------------------------ */

/*
 * A check that needs a kernel feature asks the running kernel (never its
 * version string) and, when the kernel says no, reports one loud skip:
 *   SKIP <prog>: <what> (<feature> needs Linux <first>, this kernel <answer>)
 * run-capi.sh fails a run whose kernel is at least <first> and still skips,
 * so a wrong probe cannot hide a check on a kernel that has the feature.
 */
int capi_needs(int has, const char *what, const char *feature,
			     const char *first, const char *answer)
{
	if (has)
		return 1;
	capi_skipped++;
	printf("SKIP %s: %s (%s needs Linux %s, this kernel %s)\n", capi_prog,
	       what, feature, first, answer);
	return 0;
}


/*
 * The kernel checks a register opcode against the last one it knows before
 * it looks at the fd: an unknown opcode is -EINVAL, a known one on a
 * descriptor nobody has is -EBADF.
 */
int capi_need_register_op(const char *what, unsigned op,
					const char *name, const char *first)
{
	long r = syscall(__NR_io_uring_register, CAPI_NO_FD, op, NULL, 0);
	int ans = r < 0 ? -errno : (int)r;
	char why[96];

	snprintf(why, sizeof(why), "answered %d (%s) to opcode %u", ans,
		 ans < 0 ? strerror(-ans) : "-", op);
	return capi_needs(ans != -EINVAL, what, name, first, why);
}

/*
 * io_uring_setup(4) with one setup flag (plus what it needs): -EINVAL means
 * the kernel does not know the flag. *features gets p.features of a ring
 * the kernel accepted.
 */
int capi_kernel_setup(unsigned flags, unsigned *features)
{
	struct io_uring_params p;
	void *mem = MAP_FAILED;
	long fd;
	int ans;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	if (flags & IORING_SETUP_NO_MMAP) {
		mem = mmap(NULL, 2 * 65536, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			return -errno;
		p.cq_off.user_addr = (unsigned long)mem;
		p.sq_off.user_addr = (unsigned long)mem + 65536;
	}
	fd = syscall(__NR_io_uring_setup, 4, &p);
	ans = fd < 0 ? -errno : 0;
	if (fd >= 0) {
		if (features)
			*features = p.features;
		close((int)fd);
	}
	if (mem != MAP_FAILED)
		munmap(mem, 2 * 65536);
	return ans;
}

int capi_need_setup_flag(const char *what, unsigned flag,
				       const char *name, const char *first)
{
	int ans = capi_kernel_setup(flag, NULL);
	char why[96];

	snprintf(why, sizeof(why), "answered %d (%s) to io_uring_setup flag 0x%x",
		 ans, ans < 0 ? strerror(-ans) : "-", flag);
	return capi_needs(ans != -EINVAL, what, name, first, why);
}

int capi_kernel_has_flag(unsigned flag)
{
	return capi_kernel_setup(flag, NULL) != -EINVAL;
}

int capi_need_feature(const char *what, unsigned feat,
				    const char *name, const char *first)
{
	unsigned features = 0;
	int ans = capi_kernel_setup(0, &features);
	char why[96];

	snprintf(why, sizeof(why), "sets p.features 0x%x (setup %d)", features, ans);
	return capi_needs(ans == 0 && (features & feat), what, name, first, why);
}

/*
 * A setup step that later checks depend on: counts as a check, and on
 * failure the caller skips the dependent part.
 */
int capi_require(int ok, const char *what, long long detail)
{
	if (ok) {
		capi_pass(what);
		return 1;
	}
	capi_failf(what, "value %lld%s%s", detail,
		   detail < 0 ? ": " : "",
		   detail < 0 && detail > -4096 ? strerror((int)-detail) : "");
	return 0;
}

int capi_done(void)
{
	printf("%s: %u passed, %u failed, %u skipped\n", capi_prog,
	       capi_passed, capi_failed, capi_skipped);
	printf("%u passed, %u failed\n", capi_passed, capi_failed);
	return capi_failed ? 1 : 0;
}

/* ---- resource accounting ------------------------------------------- */

/* The process's descriptors and mappings, counted as the reliability
 * programs count them (../reliability/proc-count.h). */
int capi_count_fds(void)
{
	return count_fds();
}

/* Number of mappings backed by an io_uring instance ("anon_inode:[io_uring]"). */
int capi_count_uring_maps(void)
{
	return count_map_lines("io_uring", 0);
}

/*
 * Does p lie in an anonymous private mapping other than the brk heap? (what
 * an mmap of fresh memory gives, even when the kernel merges it into the
 * anonymous mapping next to it, so that the number of mappings stays the same)
 */
int capi_in_anon_mapping(const void *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, ino, a = (unsigned long)p;
	char line[512], perms[8], name[256];
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		name[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %lu %255s", &lo, &hi, perms, &ino, name) < 4)
			continue;
		if (a >= lo && a < hi) {
			found = ino == 0 && perms[3] == 'p' && strcmp(name, "[heap]") != 0;
			break;
		}
	}
	fclose(f);
	return found;
}

struct capi_res capi_res_now(void)
{
	static int warmed;
	struct capi_res r;

	/*
	 * glibc 2.41 and later give each thread state for the vDSO's
	 * getrandom the first time it draws random bytes (mkstemp does), in
	 * mappings of their own that stay for the life of the process: two
	 * more lines in /proc/self/maps on the Debian sid arm64 and s390x
	 * guests. Drawn once here, before the first snapshot, so that a check
	 * counts what the library maps, not glibc's first getrandom.
	 */
	if (!warmed) {
		unsigned char byte;

		warmed = 1;
		(void)!getrandom(&byte, 1, GRND_NONBLOCK);
	}
	r = (struct capi_res){
		.fds = capi_count_fds(),
		.maps = count_maps(),
		.uring_maps = capi_count_uring_maps(),
	};
	return r;
}

/* run-capi.sh sets this when the program runs under valgrind. */
int capi_under_valgrind(void)
{
	const char *v = getenv("CAPI_UNDER_VALGRIND");

	return v && *v == '1';
}

/*
 * Compare resources against a snapshot taken before an error-path block.
 * Under valgrind the tool's own mappings come and go, so only io_uring
 * mappings (and fds) are compared there.
 */
void capi_check_no_leak(struct capi_res before, const char *what)
{
	struct capi_res after = capi_res_now();
	char buf[256];

	snprintf(buf, sizeof(buf), "%s: no fd leaked", what);
	if (after.fds == before.fds)
		capi_pass(buf);
	else
		capi_failf(buf, "fds %d before, %d after", before.fds, after.fds);
	snprintf(buf, sizeof(buf), "%s: no mapping leaked", what);
	if ((after.maps == before.maps || capi_under_valgrind()) &&
	    after.uring_maps == before.uring_maps)
		capi_pass(buf);
	else
		capi_failf(buf, "maps %d before, %d after; io_uring maps %d before, %d after",
			   before.maps, after.maps, before.uring_maps,
			   after.uring_maps);
}

/*
 * Prove that the liburing the dynamic linker chose is the one under test:
 * at least one liburing object mapped, and every mapped liburing object
 * (liburing.so.2, and liburing-ffi.so.2 in FFI builds) lives in the
 * directory named by CAPI_LIBDIR (set by the Makefile; the environment
 * variable of the same name overrides).
 */
void capi_check_loaded_library(void)
{
	const char *want = getenv("CAPI_LIBDIR");
	char first[PATH_MAX] = "", stray[PATH_MAX] = "", want_real[PATH_MAX];
	char line[PATH_MAX + 256];
	int distinct = 0;
	size_t wl;
	FILE *f;

#ifdef CAPI_LIBDIR
	if (!want)
		want = CAPI_LIBDIR;
#endif
	if (!want || !realpath(want, want_real)) {
		capi_failf("liburing loaded from the tree under test",
			   "CAPI_LIBDIR unset or missing: %s", want ? want : "(null)");
		return;
	}
	wl = strlen(want_real);
	f = fopen("/proc/self/maps", "r");
	if (!f) {
		capi_failf("liburing loaded from the tree under test", "no /proc/self/maps");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');
		char *nl, *base;

		if (!path)
			continue;
		nl = strchr(path, '\n');
		if (nl)
			*nl = 0;
		/* A liburing shared object by its file name: a directory
		 * named liburing-... (a source package's tree) is not one. */
		base = strrchr(path, '/') + 1;
		if (strncmp(base, "liburing", 8) || !strstr(base, ".so"))
			continue;
		if (!first[0])
			snprintf(first, sizeof(first), "%s", path);
		distinct++;
		if (strncmp(path, want_real, wl) || path[wl] != '/')
			snprintf(stray, sizeof(stray), "%s", path);
	}
	fclose(f);
	if (distinct && !stray[0])
		capi_pass("liburing loaded from the tree under test");
	else
		capi_failf("liburing loaded from the tree under test",
			   "first %s, stray %s, want everything under %s",
			   first[0] ? first : "(none)", stray[0] ? stray : "(none)", want_real);
}

/* ---- checks run in a child process ---------------------------------- */

struct capi_tally {
	unsigned passed, failed, skipped;
};

/*
 * Run fn(arg) in a forked child (for checks that install seccomp filters,
 * inspect what a child inherits, and so on); the child's PASS/FAIL lines go
 * to the same stdout and its tally is added to ours. A child that dies or
 * exits non-zero is one more failure.
 */
void capi_in_child(const char *what, void (*fn)(void *), void *arg)
{
	struct capi_tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	if (t == MAP_FAILED) {
		capi_failf(what, "mmap: %s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		capi_failf(what, "fork: %s", strerror(errno));
		munmap(t, sizeof(*t));
		return;
	}
	if (pid == 0) {
		capi_passed = capi_failed = capi_skipped = 0;
		fn(arg);
		t->passed = capi_passed;
		t->failed = capi_failed;
		t->skipped = capi_skipped;
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		capi_failf(what, "child did not exit cleanly (status 0x%x)", status);
	} else {
		capi_passed += t->passed;
		capi_failed += t->failed;
		capi_skipped += t->skipped;
	}
	munmap(t, sizeof(*t));
}

/* ---- small helpers -------------------------------------------------- */

/* A temporary file in the current directory (or $TMPDIR), already unlinked. */
int capi_tmpfile(size_t size)
{
	char path[] = "/tmp/capi-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return -errno;
	unlink(path);
	if (size && ftruncate(fd, (off_t)size) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

void capi_fill(void *buf, size_t len, unsigned seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 131u + i * 7u + (i >> 8));
}

/*
 * Waits until the SQPOLL thread of ring has set IORING_SQ_NEED_WAKEUP (it
 * does so once it has been idle for sq_thread_idle), polling every 10 ms for
 * up to max_ms: a loaded host or a slow guest may schedule the thread much
 * later than the idle time. Returns the milliseconds waited; the caller
 * checks the flag itself.
 */
int capi_wait_sq_need_wakeup(struct io_uring *ring, int max_ms)
{
	int waited_ms = 0;

	do { /* at least one pause: a flag read at once may be a stale one */
		usleep(10000);
		waited_ms += 10;
	} while (!(IO_URING_READ_ONCE(*ring->sq.kflags) & IORING_SQ_NEED_WAKEUP) && waited_ms < max_ms);
	return waited_ms;
}

/*
 * Submit n NOPs tagged base .. base+n-1 (n at most 64, in one or more
 * submits when the SQ is smaller), reap them, and check that every tag
 * came back exactly once with res 0. Returns NULL on success or a
 * description of the first problem.
 */
const char *capi_nops(struct io_uring *ring, unsigned n, __u64 base)
{
	static char msg[160];
	uint64_t seen = 0;
	unsigned queued = 0, reaped = 0;

	if (n > 64)
		return "capi_nops: n > 64";
	while (reaped < n) {
		struct io_uring_cqe *cqe;
		int ret;

		while (queued < n) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

			if (!sqe)
				break;
			io_uring_prep_nop(sqe);
			sqe->user_data = base + queued;
			queued++;
		}
		if (queued == reaped && (ring->flags & IORING_SETUP_SQPOLL)) {
			/*
			 * Nothing in flight and no free SQE: an SQPOLL thread
			 * posts its CQEs before it moves the SQ head past the
			 * SQEs it consumed, so every CQE can be reaped while
			 * the SQ still looks full. Waiting for a CQE here would
			 * wait forever (seen in TCG guests, on upstream's
			 * library as on ours); wait for SQ space instead.
			 */
			ret = io_uring_sqring_wait(ring);
			if (ret < 0) {
				snprintf(msg, sizeof(msg), "sqring_wait: %d (%s)", ret, strerror(-ret));
				return msg;
			}
			continue;
		}
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0) {
			snprintf(msg, sizeof(msg), "submit_and_wait: %d (%s)",
				 ret, strerror(-ret));
			return msg;
		}
		while (io_uring_peek_cqe(ring, &cqe) == 0) {
			__u64 i = cqe->user_data - base;

			if (i >= n || (seen >> i) & 1 || cqe->res != 0) {
				snprintf(msg, sizeof(msg),
					 "bad cqe user_data %llu res %d",
					 (unsigned long long)cqe->user_data,
					 cqe->res);
				io_uring_cqe_seen(ring, cqe);
				return msg;
			}
			seen |= 1ULL << i;
			reaped++;
			io_uring_cqe_seen(ring, cqe);
		}
	}
	return NULL;
}

/* Reap exactly one CQE without waiting long: for cases known to be complete. */
int capi_reap_one(struct io_uring *ring, __u64 *ud, int *res)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe(ring, &cqe);

	if (ret)
		return ret;
	if (ud)
		*ud = cqe->user_data;
	if (res)
		*res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}
