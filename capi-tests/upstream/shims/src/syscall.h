/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs test shim for the private "../src/syscall.h" that some upstream
 * tests include. Upstream's own file is part of its library internals (raw
 * syscall wrappers); we do not ship it. This is our own small replacement:
 * every wrapper goes through libc's syscall(2) and turns the -1/errno
 * convention into the negative-errno convention the tests expect.
 *
 * It only exists so that those tests can be built against our library; it
 * does not stand in for any exported liburing function.
 */
#ifndef LIBURING_RS_TEST_SHIM_SYSCALL_H
#define LIBURING_RS_TEST_SHIM_SYSCALL_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <liburing.h>

/* Pointers in the top 4095 bytes of the address space encode -errno. */
static inline void *ERR_PTR(intptr_t err)
{
	return (void *)err;
}

static inline int PTR_ERR(const void *p)
{
	return (int)(intptr_t)p;
}

static inline bool IS_ERR(const void *p)
{
	return (uintptr_t)p >= (uintptr_t)-4095L;
}

static inline long shim_neg_errno(long ret)
{
	return ret == -1 ? -(long)errno : ret;
}

static inline int __sys_io_uring_setup(unsigned int entries,
				       struct io_uring_params *p)
{
	return (int)shim_neg_errno(syscall(__NR_io_uring_setup, entries, p));
}

static inline int __sys_io_uring_enter2(unsigned int fd, unsigned int to_submit,
					unsigned int min_complete,
					unsigned int flags, void *arg,
					size_t argsz)
{
	return (int)shim_neg_errno(syscall(__NR_io_uring_enter, fd, to_submit,
					   min_complete, flags, arg, argsz));
}

static inline int __sys_io_uring_enter(unsigned int fd, unsigned int to_submit,
				       unsigned int min_complete,
				       unsigned int flags, sigset_t *sig)
{
	/* The kernel wants the size of its own sigset, not glibc's. */
	return __sys_io_uring_enter2(fd, to_submit, min_complete, flags, sig,
				     _NSIG / 8);
}

static inline int __sys_io_uring_register(unsigned int fd, unsigned int opcode,
					  const void *arg, unsigned int nr_args)
{
	return (int)shim_neg_errno(syscall(__NR_io_uring_register, fd, opcode,
					   arg, nr_args));
}

static inline void *__sys_mmap(void *addr, size_t len, int prot, int flags,
			       int fd, off_t off)
{
	void *p = mmap(addr, len, prot, flags, fd, off);

	return p == MAP_FAILED ? ERR_PTR(-errno) : p;
}

static inline int __sys_munmap(void *addr, size_t len)
{
	return munmap(addr, len) ? -errno : 0;
}

static inline int __sys_close(int fd)
{
	return close(fd) ? -errno : 0;
}

#endif
