/* SPDX-License-Identifier: MIT */
/*
 * A system call spy for the C ABI tests (spy.h): seccomp user notification
 * on one system call. Compiled once per header form (mk/capi.mk) and linked
 * into every program; setup.c and submit.c use it.
 */
#include "spy.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>

static void *capi_spy_thread(void *arg)
{
	struct capi_spy *spy = arg;

	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		int n, err = 0;

		memset(&req, 0, sizeof(req));
		if (ioctl(spy->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		n = __atomic_load_n(&spy->ncalls, __ATOMIC_RELAXED);
		if (n < CAPI_SPY_MAX) {
			int i;

			for (i = 0; i < 6; i++)
				spy->args[n][i] = req.data.args[i];
		}
		if (spy->decide)
			err = spy->decide(spy, req.data.args);
		__atomic_store_n(&spy->ncalls, n + 1, __ATOMIC_RELEASE);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (err)
			resp.error = -err;
		else
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(spy->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno == ENOENT) {
			/*
			 * The kernel withdrew the notification: the caller was
			 * interrupted while it waited for this answer, and the
			 * system call restarts and is notified again. One call
			 * of the program, not two. (io_uring's ring-exit work
			 * interrupts a task that used the ring with task work,
			 * so a setup right after io_uring_queue_exit can be seen
			 * twice; under TCG about 1 in 300.) The restarted call
			 * fills the same slot.
			 */
			__atomic_store_n(&spy->ncalls, n, __ATOMIC_RELEASE);
			__atomic_add_fetch(&spy->withdrawn, 1, __ATOMIC_RELAXED);
		}
	}
}

/* The seccomp audit architecture of the ABI this program is built for (an
 * i386 program on an x86_64 kernel is AUDIT_ARCH_I386). */
#if defined(__x86_64__) && defined(__ILP32__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_X86_64 /* x32 calls carry __X32_SYSCALL_BIT */
#elif defined(__x86_64__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__s390x__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_S390X
#elif defined(__riscv) && __riscv_xlen == 64
#define CAPI_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CAPI_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__powerpc64__)
#define CAPI_AUDIT_ARCH AUDIT_ARCH_PPC64
#else
#error "spy.c: no seccomp audit architecture known for this target"
#endif

#ifdef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define CAPI_SECCOMP_WAIT_KILLABLE_RECV SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#else
#define CAPI_SECCOMP_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* Returns 0, or -errno when seccomp user notification is unavailable. */
int capi_spy_install(struct capi_spy *spy, long nr)
{
	struct sock_filter filt[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CAPI_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(filt) / sizeof(filt[0]),
		.filter = filt,
	};
	pthread_t th;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	/*
	 * WAIT_KILLABLE_RECV (Linux 5.19): once the spy has received a call,
	 * only a fatal signal interrupts the caller's wait for the answer, so
	 * task work cannot restart a call the spy has already counted. Older
	 * kernels refuse the flag; there the spy uncounts a withdrawn
	 * notification instead (see capi_spy_thread).
	 */
	spy->listener = (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
				     SECCOMP_FILTER_FLAG_NEW_LISTENER | CAPI_SECCOMP_WAIT_KILLABLE_RECV, &prog);
	if (spy->listener < 0 && errno == EINVAL)
		spy->listener = (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
					     SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (spy->listener < 0)
		return -errno;
	if (pthread_create(&th, NULL, capi_spy_thread, spy))
		return -EAGAIN;
	pthread_detach(th);
	return 0;
}

int capi_spy_calls(struct capi_spy *spy)
{
	return __atomic_load_n(&spy->ncalls, __ATOMIC_ACQUIRE);
}

/*
 * Before a spied call: on 32-bit Arm, first let the task work of a ring
 * closed just before reach this thread. Closing a ring that this thread
 * submitted to makes the kernel's exit work (a kworker) queue task work to
 * the thread with a signal-like interruption. If that interruption lands
 * while a spied call waits for the spy to receive it, the call restarts;
 * Debian's armhf 7.2 kernel (under qemu TCG) then let the restarted call
 * return its first argument unexecuted, unseen by the spy (setup.c's
 * fallback checks: "returned 90112, ring fd 1024"), on upstream's library
 * as on ours, about one guest boot in four. The pause runs that task work
 * while the thread sleeps, outside any spied call. The other architectures
 * restart such a call correctly and the spy counts it once.
 */
void capi_spy_reset(struct capi_spy *spy)
{
#if defined(__arm__)
	usleep(50000);
#endif
	__atomic_store_n(&spy->ncalls, 0, __ATOMIC_RELEASE);
}
