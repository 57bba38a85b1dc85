/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * Kernel uapi types that <liburing.h> relies on, taken from the installed
 * kernel headers where they exist and defined here (with the kernel's
 * layout) where an older set of headers lacks them.
 */
#ifndef LIBURING_COMPAT_H
#define LIBURING_COMPAT_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* struct __kernel_timespec (Linux 5.1). */
#if defined(__has_include)
#if __has_include(<linux/time_types.h>)
#include <linux/time_types.h>
#define LIBURING_HAVE_TIME_TYPES_H_ 1
#endif
#else
#include <linux/time_types.h>
#define LIBURING_HAVE_TIME_TYPES_H_ 1
#endif
#ifndef LIBURING_HAVE_TIME_TYPES_H_
struct __kernel_timespec {
	__s64		tv_sec;
	long long	tv_nsec;
};
#endif
/* Tell the uapi header that struct __kernel_timespec is settled. */
#ifndef UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H
#define UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H 1
#endif

/* struct open_how, for io_uring_prep_openat2() (Linux 5.6). */
#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define LIBURING_HAVE_OPENAT2_H_ 1
#endif
#else
#include <linux/openat2.h>
#define LIBURING_HAVE_OPENAT2_H_ 1
#endif
#ifndef LIBURING_HAVE_OPENAT2_H_
struct open_how {
	__u64	flags;
	__u64	mode;
	__u64	resolve;
};
#endif

/* The block-device discard command of io_uring_prep_cmd_discard() (6.12). */
#if defined(__has_include)
#if __has_include(<linux/blkdev.h>)
#include <linux/blkdev.h>
#endif
#endif
#ifndef BLOCK_URING_CMD_DISCARD
#define BLOCK_URING_CMD_DISCARD		_IO(0x12, 0)
#endif

#endif /* LIBURING_COMPAT_H */
