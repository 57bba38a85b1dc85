#!/usr/bin/env python3
"""Misuses of liburing-ffi.so.2 from Python, one per run, for checked mode.

usage: misuse.py <scenario>

Each scenario makes one mistake that FFI bindings make, then carries on the
way a program would; it prints "continued" and exits 0 if it gets to the
end. Under LIBURING_CHECK=1 the library must stop it at the mistake with
SIGABRT and one line on stderr; under LIBURING_CHECK=warn it must print the
line and let it finish. test_checked.py runs them.
"""

import ctypes
import errno
import sys
import threading
import time
from ctypes import byref

import uring_ctypes as u

lib = u.load(guard=False)  # the scenarios pass wrong arrays on purpose


def ring(entries=8):
    r = u.IoUring()
    ret = lib.io_uring_queue_init(entries, byref(r), 0)
    if ret:
        sys.exit("io_uring_queue_init: %d" % ret)
    return r


def nops(r, n):
    for i in range(n):
        sqe = lib.io_uring_get_sqe(byref(r))
        lib.io_uring_prep_nop(sqe)
        lib.io_uring_sqe_set_data64(sqe, 0x1000 + i)
    ret = lib.io_uring_submit(byref(r))
    if ret != n:
        sys.exit("io_uring_submit: %d" % ret)


def seen_a_copy():
    """io_uring_cqe_seen with a pointer to a Python copy of the CQE."""
    r = ring()
    nops(r, 1)
    cqe = u.cqe_p()
    if lib.io_uring_wait_cqe(byref(r), byref(cqe)):
        sys.exit("io_uring_wait_cqe failed")
    copy = u.IoUringCqe.from_buffer_copy(cqe.contents)
    lib.io_uring_cqe_seen(byref(r), byref(copy))
    lib.io_uring_queue_exit(byref(r))


def seen_misaligned():
    """io_uring_cqe_seen with a pointer into the CQ array but not at an entry
    (pointer arithmetic done in bytes where entries were meant)."""
    r = ring()
    nops(r, 1)
    cqe = u.cqe_p()
    if lib.io_uring_wait_cqe(byref(r), byref(cqe)):
        sys.exit("io_uring_wait_cqe failed")
    addr = ctypes.cast(cqe, ctypes.c_void_p).value
    lib.io_uring_cqe_seen(byref(r), ctypes.cast(addr + 4, u.cqe_p))
    lib.io_uring_queue_exit(byref(r))


def advance_too_far():
    """io_uring_cq_advance by more than was reaped (the report's segfault)."""
    r = ring()
    nops(r, 2)
    cqes = u.cqe_array(8)
    n = lib.io_uring_peek_batch_cqe(byref(r), cqes, 8)
    if n != 2:
        sys.exit("peek_batch: %d" % n)
    lib.io_uring_cq_advance(byref(r), 3)
    lib.io_uring_queue_exit(byref(r))


def peek_batch_null():
    """io_uring_peek_batch_cqe without an array."""
    r = ring()
    nops(r, 1)
    n = lib.io_uring_peek_batch_cqe(byref(r), None, 8)
    print("peek_batch returned %d" % n)
    lib.io_uring_queue_exit(byref(r))


def unprepared_sqe():
    """An SQE taken, tagged, submitted, but never prepared."""
    r = ring()
    sqe = lib.io_uring_get_sqe(byref(r))
    lib.io_uring_sqe_set_data64(sqe, 0x77)
    ret = lib.io_uring_submit(byref(r))
    cqe = u.cqe_p()
    if ret == 1 and lib.io_uring_wait_cqe(byref(r), byref(cqe)) == 0:
        # In warn mode the poison reaches the kernel, which refuses it.
        print("unprepared SQE completed with res %d" % cqe.contents.res)
        lib.io_uring_cqe_seen(byref(r), cqe)
    lib.io_uring_queue_exit(byref(r))


def use_after_exit():
    r = ring()
    lib.io_uring_queue_exit(byref(r))
    ret = lib.io_uring_get_events(byref(r))
    print("io_uring_get_events after exit returned %d" % ret)


def exit_twice():
    r = ring()
    lib.io_uring_queue_exit(byref(r))
    lib.io_uring_queue_exit(byref(r))


def never_initialised():
    r = u.IoUring()
    ret = lib.io_uring_get_events(byref(r))
    print("io_uring_get_events on a zeroed ring returned %d" % ret)


def two_completers():
    """A second thread reaps while the first waits on the same ring."""
    r = ring()
    result = {}

    def waiter():
        cqe = u.cqe_p()
        result["ret"] = lib.io_uring_wait_cqe(byref(r), byref(cqe))
        if result["ret"] == 0:
            lib.io_uring_cqe_seen(byref(r), cqe)

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.3)  # the waiter is inside io_uring_wait_cqe by now
    cqe = u.cqe_p()
    ret = lib.io_uring_peek_cqe(byref(r), byref(cqe))
    if ret != -errno.EAGAIN:
        sys.exit("peek_cqe: %d" % ret)
    nops(r, 1)  # lets the waiter finish
    t.join()
    lib.io_uring_queue_exit(byref(r))


SCENARIOS = {f.__name__: f for f in (seen_a_copy, seen_misaligned, advance_too_far, peek_batch_null, unprepared_sqe,
                                     use_after_exit, exit_twice, never_initialised, two_completers)}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]]()
    print("continued")
