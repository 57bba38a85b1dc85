"""The two binding traps of the founding report, documented as tests.

1. Return types. io_uring_peek_batch_cqe returns `unsigned` (a count, never
   -errno); most other calls return `int` -errno. Declared with the wrong
   type in ctypes:
   - io_uring_peek_batch_cqe as c_int: harmless here, a count below 2**31
     reads the same either way;
   - an -errno function as c_uint: -EAGAIN (-11) reads 4294967285, the
     number in the report.
2. Arrays. io_uring_peek_batch_cqe writes up to `count` pointers starting at
   the address it gets. Given the address of a single pointer and count > 1,
   it writes past it (in the report: over whatever followed the variable).
   Shown here with a single pointer that sits at the start of an array we
   own, so that the stray writes land somewhere harmless and can be counted.
"""

import ctypes
import errno
import unittest
from ctypes import POINTER, byref, c_int, c_uint

import uring_ctypes as u
from nop_workload import RingWorkload


class ReturnTypes(unittest.TestCase):
    def setUp(self):
        self.lib = u.load()
        self.w = RingWorkload(self.lib, 8, tag=0x50)

    def tearDown(self):
        self.w.exit()

    def test_peek_cqe_declared_unsigned_shows_4294967285(self):
        rp = self.w.rp
        right = ctypes.CDLL(self.lib._name).io_uring_peek_cqe
        right.argtypes = [u.ring_p, POINTER(u.cqe_p)]
        right.restype = c_int
        wrong = ctypes.CDLL(self.lib._name).io_uring_peek_cqe
        wrong.argtypes = [u.ring_p, POINTER(u.cqe_p)]
        wrong.restype = c_uint
        cqe = u.cqe_p()
        # Empty CQ: -EAGAIN.
        self.assertEqual(right(rp, byref(cqe)), -errno.EAGAIN)
        self.assertEqual(wrong(rp, byref(cqe)), 4294967285)
        self.assertEqual(4294967285, (-errno.EAGAIN) & 0xFFFFFFFF)
        # Converting back needs knowing it was an int all along.
        self.assertEqual(ctypes.c_int(wrong(rp, byref(cqe))).value, -errno.EAGAIN)

    def test_wait_cqe_timeout_declared_unsigned(self):
        lib2 = ctypes.CDLL(self.lib._name)
        wrong = lib2.io_uring_wait_cqe_timeout
        wrong.argtypes = [u.ring_p, POINTER(u.cqe_p), POINTER(u.KernelTimespec)]
        wrong.restype = c_uint
        ts = u.KernelTimespec(0, 1_000_000)
        cqe = u.cqe_p()
        ret = wrong(self.w.rp, byref(cqe), byref(ts))
        self.assertEqual(ret, (-errno.ETIME) & 0xFFFFFFFF)
        self.assertGreater(ret, 2**31, "an error that looks like a huge count")
        self.assertEqual(self.lib.io_uring_wait_cqe_timeout(self.w.rp, byref(cqe), byref(ts)), -errno.ETIME)

    def test_peek_batch_declared_signed_reads_the_same(self):
        lib2 = ctypes.CDLL(self.lib._name)
        signed = lib2.io_uring_peek_batch_cqe
        signed.argtypes = [u.ring_p, POINTER(u.cqe_p), c_uint]
        signed.restype = c_int
        cqes = u.cqe_array(16)
        for batch in (0, 1, 5, 8):
            if batch:
                self.w.queue_nops(batch)
                self.assertEqual(self.lib.io_uring_submit(self.w.rp), batch)
            n_signed = signed(self.w.rp, cqes, 16)
            n_unsigned = self.lib.io_uring_peek_batch_cqe(self.w.rp, cqes, 16)
            self.assertEqual(n_signed, n_unsigned)
            self.assertEqual(n_unsigned, batch)
            for i in range(n_unsigned):
                c = cqes[i].contents
                self.w.take(c.user_data, c.res)
            self.lib.io_uring_cq_advance(self.w.rp, n_unsigned)
        self.w.all_seen()

    def test_single_pointer_with_count_above_one_writes_past_it(self):
        lib, rp = self.lib, self.w.rp
        self.w.queue_nops(8)
        self.assertEqual(lib.io_uring_submit(rp), 8)
        # The report's binding: one `struct io_uring_cqe *` variable, its
        # address passed with count 8. Here the variable is element 0 of an
        # array we own, so the writes past it land in elements 1..7.
        room = u.cqe_array(8)
        single = u.cqe_p.from_buffer(room)
        # Declared from api.json, the call is refused before it reaches the
        # library: a single pointer has room for 1 entry, count is 8.
        with self.assertRaises(ValueError):
            lib.io_uring_peek_batch_cqe(rp, byref(u.cqe_p()), 8)
        # The raw handle, declared but unguarded, as the report's binding was.
        n = lib.raw.io_uring_peek_batch_cqe(rp, byref(single), 8)
        self.assertEqual(n, 8)
        addrs = u.pointer_values(room)
        written_past = sum(1 for i in range(1, 8) if addrs[i])
        self.assertEqual(written_past, 7, "7 pointers written past the single variable")
        # Reading them right: each entry is its own pointer into the ring.
        for i in range(n):
            c = room[i].contents
            self.w.take(c.user_data, c.res)
        lib.io_uring_cq_advance(rp, n)
        self.w.all_seen()

    def test_count_one_with_a_single_pointer_is_correct(self):
        lib, rp = self.lib, self.w.rp
        self.w.queue_nops(3)
        self.assertEqual(lib.io_uring_submit(rp), 3)
        single = u.cqe_p()
        for _ in range(3):
            n = lib.io_uring_peek_batch_cqe(rp, byref(single), 1)
            self.assertEqual(n, 1)
            c = single.contents
            self.w.take(c.user_data, c.res)
            lib.io_uring_cq_advance(rp, 1)
        self.assertEqual(lib.io_uring_peek_batch_cqe(rp, byref(single), 1), 0)
        self.w.all_seen()


if __name__ == "__main__":
    unittest.main()
