/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * The liburing release these headers describe, for compile-time checks.
 *
 * IO_URING_CHECK_VERSION(major, minor) is true when these headers are OLDER
 * than major.minor, so that code can write
 *
 *	#if IO_URING_CHECK_VERSION(2, 15)
 *	... fallback for headers that predate 2.15 ...
 *	#endif
 *
 * io_uring_check_version() answers the same question at run time for the
 * library that the dynamic linker actually loaded.
 */
#ifndef LIBURING_VERSION_H
#define LIBURING_VERSION_H

#define IO_URING_VERSION_MAJOR 2
#define IO_URING_VERSION_MINOR 15

#ifndef IO_URING_CHECK_VERSION
#define IO_URING_CHECK_VERSION(major, minor)				\
	((major) > IO_URING_VERSION_MAJOR ||				\
	 ((major) == IO_URING_VERSION_MAJOR &&				\
	  (minor) > IO_URING_VERSION_MINOR))
#endif

#endif /* LIBURING_VERSION_H */
