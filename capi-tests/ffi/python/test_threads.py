"""One submitting thread and one completing thread on one ring.

liburing lets the submission side (io_uring_get_sqe, prep, io_uring_submit)
and the completion side (wait, peek, seen, advance) each be used by one
thread, the two sides by different threads. ctypes releases the GIL for
every foreign call, so the two threads really run at the same time here.
A counting semaphore keeps what is in flight within the CQ.
"""

import ctypes
import os
import threading
import unittest
from ctypes import byref

import uring_ctypes as u
from nop_workload import RingWorkload

SCALE = float(os.environ.get("FFI_TEST_SCALE", "1"))


class SubmitterAndCompleter(unittest.TestCase):
    def run_split(self, entries, total, flags=0):
        lib = u.load()
        w = RingWorkload(lib, entries, flags=flags, tag=0x60)
        # Preallocated: the completer indexes it while the submitter runs.
        w.seen = bytearray(total)
        credits = threading.Semaphore(w.cq_entries)
        errors = []

        def submitter():
            try:
                rng = w.rng
                seq = 0
                while seq < total:
                    batch = min(rng.randint(1, w.sq_entries), total - seq)
                    for _ in range(batch):
                        credits.acquire()
                    for i in range(batch):
                        sqe = lib.io_uring_get_sqe(w.rp)
                        if not sqe:
                            raise AssertionError("io_uring_get_sqe returned NULL")
                        lib.io_uring_prep_nop(sqe)
                        lib.io_uring_sqe_set_data64(sqe, w.tag | (seq + i + 1))
                    seq += batch
                    w.next_seq = seq
                    ret = lib.io_uring_submit(w.rp)
                    if ret != batch:
                        raise AssertionError("io_uring_submit returned %d for %d" % (ret, batch))
            except BaseException as e:  # reported by the main thread
                errors.append(e)

        def completer():
            try:
                cqe = u.cqe_p()
                cqes = u.cqe_array(64)
                while w.reaped < total:
                    ret = lib.io_uring_wait_cqe(w.rp, byref(cqe))
                    if ret != 0:
                        raise AssertionError("io_uring_wait_cqe returned %d" % ret)
                    n = lib.io_uring_peek_batch_cqe(w.rp, cqes, 64)
                    if n == 0 or ctypes.cast(cqes[0], ctypes.c_void_p).value != ctypes.cast(
                            cqe, ctypes.c_void_p).value:
                        raise AssertionError("peek_batch after wait_cqe: %d, first differs" % n)
                    for i in range(n):
                        c = cqes[i].contents
                        w.take(c.user_data, c.res)
                    lib.io_uring_cq_advance(w.rp, n)
                    for _ in range(n):
                        credits.release()
            except BaseException as e:
                errors.append(e)

        threads = [threading.Thread(target=submitter), threading.Thread(target=completer)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
                self.assertFalse(t.is_alive(), "a thread is stuck")
            if errors:
                raise errors[0]
            w.all_seen()
            self.assertEqual(w.dropped(), 0)
            return w
        finally:
            w.exit()

    def test_split_small_ring(self):
        w = self.run_split(8, max(2000, int(100_000 * SCALE)))
        print("  submitter + completer threads, ring 8: %d ops, %d CQ wraps" % (w.reaped, w.wraps()))

    def test_split_cqe32(self):
        w = self.run_split(64, max(2000, int(50_000 * SCALE)), flags=u.IORING_SETUP_CQE32)
        print("  submitter + completer threads, CQE32 ring 64: %d ops" % w.reaped)


if __name__ == "__main__":
    unittest.main()
