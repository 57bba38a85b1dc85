"""The founding bug report's workflow, done right, through ctypes.

The report: a Cython binding called io_uring_peek_batch_cqe with the address
of one `struct io_uring_cqe *` where liburing wants an array of `count`
pointers, then read the CQEs as one contiguous array. It saw counts that did
not match the entries filled, user_data 0 for NOPs tagged non-zero, and
segfaults, worst at ring wraparound and with 32-byte CQEs.

Here the same workflow with a real array of POINTER(io_uring_cqe): rings of
8 to 4096 entries, NOPs submitted in random batches with distinct non-zero
user_data, reaped with io_uring_peek_batch_cqe + io_uring_cq_advance, over a
million operations in all, so that every ring wraps many times (and the
small ones thousands of times). Every count must equal the entries filled,
every user_data be seen exactly once, never 0.

Also: the report's workaround loop (io_uring_submit, io_uring_peek_cqe,
io_uring_wait_cqe_nr and the iterator functions instead of the
io_uring_for_each_cqe macro), the same with IORING_SETUP_CQE32, and a CQ
small enough to overflow.
"""

import ctypes
import errno
import os
import unittest

import uring_ctypes as u
from nop_workload import RingWorkload, reap_with_peek_batch, reap_with_peek_cqe, reap_with_wait_nr_and_iterator

# Ring sizes and operations per ring for the peek_batch workflow; at least a
# million operations in total. FFI_TEST_SCALE (a float) scales the counts.
SCALE = float(os.environ.get("FFI_TEST_SCALE", "1"))
PEEK_BATCH_RINGS = [(8, 250_000), (32, 250_000), (128, 250_000), (512, 250_000), (4096, 1_000_000)]


def ops(n):
    return max(1000, int(n * SCALE))


class PeekBatchWorkflow(unittest.TestCase):
    lib = None

    @classmethod
    def setUpClass(cls):
        cls.lib = u.load()

    def run_ring(self, entries, total, flags=0, tag=1):
        w = RingWorkload(self.lib, entries, flags=flags, tag=tag, seed=entries * 7 + flags)
        try:
            cqes = u.cqe_array(w.cq_entries)
            rng = w.rng
            while w.reaped < total:
                # Submit a random batch, keeping what is in flight within
                # the CQ so that nothing overflows here.
                room = min(w.sq_entries, w.cq_entries - w.in_flight(), total - w.next_seq)
                if room > 0:
                    batch = rng.randint(1, room)
                    w.queue_nops(batch)
                    ret = self.lib.io_uring_submit(w.rp)
                    self.assertEqual(ret, batch, "io_uring_submit")
                # NOPs complete inside io_uring_enter: all are ready now.
                ready = self.lib.io_uring_cq_ready(w.rp)
                self.assertEqual(ready, w.in_flight(), "io_uring_cq_ready")
                # Reap with a random array size: sometimes fewer than ready,
                # sometimes more.
                count = rng.randint(1, w.cq_entries)
                n = reap_with_peek_batch(w, cqes, count)
                self.assertEqual(n, min(count, ready), "io_uring_peek_batch_cqe count")
            w.all_seen()
            self.assertEqual(self.lib.io_uring_cq_ready(w.rp), 0)
            self.assertEqual(w.dropped(), 0)
            return w
        finally:
            w.exit()

    def test_peek_batch_cqe_rings_8_to_4096(self):
        total_ops = 0
        for i, (entries, n) in enumerate(PEEK_BATCH_RINGS):
            w = self.run_ring(entries, ops(n), tag=i + 1)
            total_ops += w.reaped
            # Every ring wraps, the small ones thousands of times; and the CQ
            # wrapped inside a peek_batch result many times.
            # The SQ wraps twice as often as the CQ (it has half the entries).
            self.assertGreaterEqual(w.wraps(), 10, "ring %d" % entries)
            if SCALE >= 1:
                self.assertGreaterEqual(w.wraps(), 1000 if entries <= 32 else 100, "ring %d" % entries)
            self.assertGreater(w.split_batches, 0, "ring %d: no batch crossed the end of the CQ" % entries)
            print("  peek_batch ring %4d (CQ %4d): %7d ops, SQ wrapped %6d times, CQ %6d times, "
                  "%5d batches split by the CQ wrap" %
                  (entries, w.cq_entries, w.reaped, w.next_seq // w.sq_entries, w.wraps(), w.split_batches))
        if SCALE >= 1:
            self.assertGreaterEqual(total_ops, 1_000_000)

    def test_peek_batch_cqe_cqe32(self):
        for i, entries in enumerate((8, 256)):
            w = self.run_ring(entries, ops(60_000), flags=u.IORING_SETUP_CQE32, tag=0x20 + i)
            self.assertTrue(w.cqe32)
            self.assertGreater(w.split_batches, 0)
            print("  peek_batch CQE32 ring %3d: %6d ops, %5d CQ wraps, 32-byte stride checked" %
                  (entries, w.reaped, w.wraps()))


class WorkaroundLoop(unittest.TestCase):
    """io_uring_submit, io_uring_peek_cqe + io_uring_cqe_seen,
    io_uring_wait_cqe_nr, and io_uring_cqe_iter_init/next + cq_advance."""
    lib = None

    @classmethod
    def setUpClass(cls):
        cls.lib = u.load()

    def run_ring(self, entries, total, flags=0, tag=0x10):
        lib = self.lib
        w = RingWorkload(lib, entries, flags=flags, tag=tag, seed=entries + 1)
        try:
            rng = w.rng
            rounds = 0
            while w.reaped < total:
                batch = rng.randint(1, min(w.sq_entries, total - w.next_seq))
                w.queue_nops(batch)
                self.assertEqual(lib.io_uring_submit(w.rp), batch)
                if rounds % 2:
                    reap_with_peek_cqe(w)
                    self.assertEqual(w.in_flight(), 0, "io_uring_peek_cqe said -EAGAIN with CQEs in flight")
                else:
                    reap_with_wait_nr_and_iterator(w, rng.randint(1, batch))
                rounds += 1
            w.all_seen()
            return w
        finally:
            w.exit()

    def test_workaround_loop(self):
        for entries in (8, 64, 1024):
            w = self.run_ring(entries, ops(60_000))
            self.assertGreater(w.wraps(), 10 if SCALE >= 1 else 0)
            print("  workaround loop ring %4d: %6d ops, %5d CQ wraps" % (entries, w.reaped, w.wraps()))

    def test_workaround_loop_cqe32(self):
        for entries in (8, 128):
            w = self.run_ring(entries, ops(40_000), flags=u.IORING_SETUP_CQE32, tag=0x30)
            self.assertTrue(w.cqe32)
            print("  workaround loop CQE32 ring %3d: %6d ops, %5d CQ wraps" % (entries, w.reaped, w.wraps()))


class CqOverflow(unittest.TestCase):
    """A CQ smaller than what is in flight: the kernel keeps the excess
    (IORING_FEAT_NODROP) and hands it over as the CQ drains. Nothing may be
    lost or duplicated. io_uring_submit may fail with -EBUSY while the
    overflow cannot be flushed (io_uring_enter(2)): the application then
    reaps and submits again."""
    lib = None

    @classmethod
    def setUpClass(cls):
        cls.lib = u.load()

    def run_overflow(self, reap, flags=0, tag=0x40, rounds=40, per_round=600):
        lib = self.lib
        w = RingWorkload(lib, 8, flags=flags, cq_entries=8, tag=tag, seed=tag)
        try:
            self.assertTrue(w.ring.features & u.IORING_FEAT_NODROP, "kernel without IORING_FEAT_NODROP")
            self.assertEqual(w.cq_entries, 8)
            busy = 0
            overflowed = 0
            for _ in range(rounds):
                target = w.next_seq + per_round
                # Submit far more than the CQ holds, reaping nothing unless
                # the kernel says -EBUSY.
                spins = 0
                while w.next_seq < target or self.lib.io_uring_sq_ready(w.rp):
                    spins += 1
                    self.assertLess(spins, 100 * per_round, "submission makes no progress")
                    batch = min(w.sq_entries, target - w.next_seq)
                    if batch and self.lib.io_uring_sq_space_left(w.rp) >= batch:
                        w.queue_nops(batch)
                    ret = lib.io_uring_submit(w.rp)
                    if ret == -errno.EBUSY:
                        busy += 1
                        reap(w)
                        continue
                    self.assertGreaterEqual(ret, 0, "io_uring_submit: %s" % os.strerror(-ret) if ret < 0 else "")
                if lib.io_uring_cq_has_overflow(w.rp):
                    overflowed += 1
                while w.in_flight():
                    before = w.reaped
                    reap(w)
                    self.assertGreater(w.reaped, before, "no progress with %d in flight" % w.in_flight())
            w.all_seen()
            self.assertEqual(w.dropped(), 0, "CQEs dropped")
            self.assertGreater(overflowed, 0, "the CQ never overflowed")
            return w, busy, overflowed
        finally:
            w.exit()

    def test_overflow_peek_batch(self):
        cqes = u.cqe_array(8)

        def reap(w):
            reap_with_peek_batch(w, cqes, 8)

        w, busy, overflowed = self.run_overflow(reap)
        print("  overflow, peek_batch: %d ops through a CQ of 8, overflowed in %d rounds, -EBUSY %d times" %
              (w.reaped, overflowed, busy))

    def test_overflow_wait_and_iterate(self):
        def reap(w):
            reap_with_wait_nr_and_iterator(w, 1)

        w, busy, overflowed = self.run_overflow(reap, tag=0x41)
        print("  overflow, wait_cqe_nr + iterator: %d ops, overflowed in %d rounds, -EBUSY %d times" %
              (w.reaped, overflowed, busy))

    def test_overflow_cqe32(self):
        cqes = u.cqe_array(8)

        def reap(w):
            reap_with_peek_batch(w, cqes, 8)

        w, busy, overflowed = self.run_overflow(reap, flags=u.IORING_SETUP_CQE32, tag=0x42)
        self.assertTrue(w.cqe32)
        print("  overflow, CQE32: %d ops, overflowed in %d rounds, -EBUSY %d times" % (w.reaped, overflowed, busy))


if __name__ == "__main__":
    unittest.main()
