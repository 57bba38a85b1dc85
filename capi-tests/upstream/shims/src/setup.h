/* SPDX-License-Identifier: MIT OR LGPL-2.1-or-later */
/*
 * liburing-rs test shim for the private "../src/setup.h" that upstream's
 * test/helpers.h includes. It declares the two library-internal functions
 * some tests call; ../internal.c (linked into every test) defines them on top
 * of the exported API. See that file.
 */
#ifndef LIBURING_RS_TEST_SHIM_SETUP_H
#define LIBURING_RS_TEST_SHIM_SETUP_H

#include <stddef.h>

struct io_uring;
struct io_uring_sq;
struct io_uring_cq;
struct io_uring_params;

#ifdef __cplusplus
extern "C" {
#endif

int __io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
				 struct io_uring_params *p, void *buf,
				 size_t buf_size);
void io_uring_unmap_rings(struct io_uring_sq *sq, struct io_uring_cq *cq);

#ifdef __cplusplus
}
#endif

#endif
