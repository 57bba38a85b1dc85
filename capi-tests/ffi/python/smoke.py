#!/usr/bin/env python3
"""Smoke test of liburing-ffi.so.2 from Python (ctypes, standard library only).

The workflow of a language that cannot use liburing's static inline helpers:
set up a ring, get an SQE, prepare a NOP, tag it, submit, wait for the CQE,
check it, mark it seen, tear down. Every call goes to a real symbol of
liburing-ffi.so.2. Also checks the return-type conventions that FFI users
trip over (io_uring_peek_batch_cqe returns an unsigned count, not -errno).

usage: capi-tests/ffi/python/smoke.py [path/to/liburing-ffi.so.2]
"""

import ctypes
import errno
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LIB = os.path.join(HERE, "..", "..", "..", "build", "lib", "liburing-ffi.so.2")

IORING_OP_NOP = 0
SIZEOF_IO_URING = 216  # struct io_uring, fixed by the ABI


class IoUringSqe(ctypes.Structure):
    _fields_ = [
        ("opcode", ctypes.c_uint8),
        ("flags", ctypes.c_uint8),
        ("ioprio", ctypes.c_uint16),
        ("fd", ctypes.c_int32),
        ("off", ctypes.c_uint64),
        ("addr", ctypes.c_uint64),
        ("len", ctypes.c_uint32),
        ("op_flags", ctypes.c_uint32),
        ("user_data", ctypes.c_uint64),
        ("buf_index", ctypes.c_uint16),
        ("personality", ctypes.c_uint16),
        ("file_index", ctypes.c_uint32),
        ("addr3", ctypes.c_uint64),
        ("pad2", ctypes.c_uint64),
    ]


class IoUringCqe(ctypes.Structure):
    _fields_ = [
        ("user_data", ctypes.c_uint64),
        ("res", ctypes.c_int32),
        ("flags", ctypes.c_uint32),
    ]


def fail(msg):
    print("smoke.py: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_LIB
    lib = ctypes.CDLL(os.path.abspath(path))

    ring_p = ctypes.c_void_p
    sqe_p = ctypes.POINTER(IoUringSqe)
    cqe_p = ctypes.POINTER(IoUringCqe)

    lib.io_uring_queue_init.argtypes = [ctypes.c_uint, ring_p, ctypes.c_uint]
    lib.io_uring_queue_init.restype = ctypes.c_int
    lib.io_uring_queue_exit.argtypes = [ring_p]
    lib.io_uring_queue_exit.restype = None
    lib.io_uring_get_sqe.argtypes = [ring_p]
    lib.io_uring_get_sqe.restype = sqe_p
    lib.io_uring_prep_nop.argtypes = [sqe_p]
    lib.io_uring_prep_nop.restype = None
    lib.io_uring_sqe_set_data64.argtypes = [sqe_p, ctypes.c_uint64]
    lib.io_uring_sqe_set_data64.restype = None
    lib.io_uring_submit.argtypes = [ring_p]
    lib.io_uring_submit.restype = ctypes.c_int
    lib.io_uring_wait_cqe.argtypes = [ring_p, ctypes.POINTER(cqe_p)]
    lib.io_uring_wait_cqe.restype = ctypes.c_int
    lib.io_uring_peek_cqe.argtypes = [ring_p, ctypes.POINTER(cqe_p)]
    lib.io_uring_peek_cqe.restype = ctypes.c_int
    lib.io_uring_cqe_seen.argtypes = [ring_p, cqe_p]
    lib.io_uring_cqe_seen.restype = None
    lib.io_uring_cqe_get_data64.argtypes = [cqe_p]
    lib.io_uring_cqe_get_data64.restype = ctypes.c_uint64
    lib.io_uring_cq_ready.argtypes = [ring_p]
    lib.io_uring_cq_ready.restype = ctypes.c_uint
    lib.io_uring_sq_space_left.argtypes = [ring_p]
    lib.io_uring_sq_space_left.restype = ctypes.c_uint
    lib.io_uring_peek_batch_cqe.argtypes = [ring_p, ctypes.POINTER(cqe_p), ctypes.c_uint]
    lib.io_uring_peek_batch_cqe.restype = ctypes.c_uint
    lib.io_uring_cq_advance.argtypes = [ring_p, ctypes.c_uint]
    lib.io_uring_cq_advance.restype = None

    ring = ctypes.create_string_buffer(SIZEOF_IO_URING)
    ret = lib.io_uring_queue_init(8, ring, 0)
    check(ret == 0, "io_uring_queue_init returned %d" % ret)
    try:
        check(lib.io_uring_sq_space_left(ring) == 8, "8 free SQEs after setup")

        # One NOP, tagged, submitted and reaped.
        sqe = lib.io_uring_get_sqe(ring)
        check(bool(sqe), "io_uring_get_sqe returned NULL")
        lib.io_uring_prep_nop(sqe)
        check(sqe.contents.opcode == IORING_OP_NOP and sqe.contents.fd == -1,
              "io_uring_prep_nop wrote opcode %d fd %d" % (sqe.contents.opcode, sqe.contents.fd))
        tag = 0xC0FFEE0000000000 | 42
        lib.io_uring_sqe_set_data64(sqe, tag)
        check(sqe.contents.user_data == tag, "io_uring_sqe_set_data64 did not store the tag")
        ret = lib.io_uring_submit(ring)
        check(ret == 1, "io_uring_submit returned %d, expected 1" % ret)

        cqe = cqe_p()
        ret = lib.io_uring_wait_cqe(ring, ctypes.byref(cqe))
        check(ret == 0, "io_uring_wait_cqe returned %d" % ret)
        check(bool(cqe), "io_uring_wait_cqe gave no CQE")
        check(cqe.contents.user_data == tag,
              "user_data 0x%x, expected 0x%x" % (cqe.contents.user_data, tag))
        check(lib.io_uring_cqe_get_data64(cqe) == tag, "io_uring_cqe_get_data64")
        check(cqe.contents.res == 0, "NOP completed with res %d" % cqe.contents.res)
        check(lib.io_uring_cq_ready(ring) == 1, "one CQE ready before seen")
        lib.io_uring_cqe_seen(ring, cqe)
        check(lib.io_uring_cq_ready(ring) == 0, "CQE still ready after io_uring_cqe_seen")

        # Empty CQ: peek says -EAGAIN, and peek_batch counts 0 (unsigned).
        ret = lib.io_uring_peek_cqe(ring, ctypes.byref(cqe))
        check(ret == -errno.EAGAIN, "io_uring_peek_cqe on an empty CQ returned %d" % ret)

        # A batch of NOPs reaped with peek_batch_cqe + cq_advance.
        for i in range(4):
            sqe = lib.io_uring_get_sqe(ring)
            lib.io_uring_prep_nop(sqe)
            lib.io_uring_sqe_set_data64(sqe, i)
        check(lib.io_uring_submit(ring) == 4, "batch submit")
        got = 0
        seen = set()
        batch = (cqe_p * 8)()
        for _ in range(1000):
            n = lib.io_uring_peek_batch_cqe(ring, batch, 8)
            check(n <= 8, "io_uring_peek_batch_cqe returned %d" % n)
            for j in range(n):
                seen.add(batch[j].contents.user_data)
            lib.io_uring_cq_advance(ring, n)
            got += n
            if got == 4:
                break
            if n == 0:
                cqe = cqe_p()
                check(lib.io_uring_wait_cqe(ring, ctypes.byref(cqe)) == 0, "wait in batch")
        check(seen == {0, 1, 2, 3}, "batch user_data %s" % sorted(seen))
    finally:
        lib.io_uring_queue_exit(ring)

    print("smoke.py: PASS: queue_init, get_sqe, prep_nop, sqe_set_data64, submit, wait_cqe, "
          "cqe_get_data64, cqe_seen, peek_cqe, peek_batch_cqe, cq_advance, queue_exit via %s" % path)


if __name__ == "__main__":
    main()
