"""io_uring_buf_ring_head through liburing-ffi.so.2 alone.

Upstream's liburing-ffi.so.2 does not export io_uring_buf_ring_head (it is in
liburing.so.2 only), though its FFI form of io_uring_buf_ring_available calls
it. Ours exports it at LIBURING_2.6, its node in liburing.so.2 (the one
documented extra, capi-tests/abi/ffi-extra.symbols). This test loads
liburing-ffi.so.2 and nothing else, sets up a provided-buffer ring, receives
three messages into its buffers, and reads the kernel's head (0, then 3) and
the available count (8, then 5) from Python.
"""

import ctypes
import os
import socket
import unittest
from ctypes import POINTER, byref, c_int, c_uint16, c_void_p

import uring_ctypes as u

IOSQE_BUFFER_SELECT = 1 << 5
IORING_CQE_F_BUFFER = 1 << 0
IORING_CQE_BUFFER_SHIFT = 16
NBUF, BUF_LEN, BGID = 8, 64, 7


def loaded_liburings():
    """The liburing shared objects mapped into this process."""
    with open("/proc/self/maps") as fh:
        return sorted({os.path.basename(line.split()[-1]) for line in fh
                       if "/liburing" in line and ".so" in line})


class BufRingHeadThroughFfi(unittest.TestCase):
    def setUp(self):
        self.lib = u.load()
        self.ring = u.IoUring()
        self.assertEqual(self.lib.io_uring_queue_init(8, byref(self.ring), 0), 0)
        self.addCleanup(self.lib.io_uring_queue_exit, byref(self.ring))

    def test_only_liburing_ffi_is_loaded(self):
        self.assertEqual([n for n in loaded_liburings() if not n.startswith("liburing-ffi.so")], [],
                         "this process must use liburing-ffi.so.2 alone")

    def test_declared_from_api_json_as_a_liburing_ffi_function(self):
        e = u.api()["io_uring_buf_ring_head"]
        self.assertIn("liburing-ffi", e["libraries"])
        self.assertEqual(e["version"], "LIBURING_2.6")
        self.assertEqual(e["return_kind"], "negative errno")
        self.assertEqual(u.declaration("io_uring_buf_ring_head"), (c_int, [POINTER(u.IoUring), c_int, POINTER(c_uint16)]))

    def test_hand_declared_on_the_raw_library(self):
        fn = self.lib.raw.io_uring_buf_ring_head  # AttributeError if not exported
        fn.restype, fn.argtypes = c_int, [POINTER(u.IoUring), c_int, POINTER(c_uint16)]
        head = c_uint16(0xffff)
        # No group registered: the kernel answers -ENOENT (or -EINVAL before 6.8).
        self.assertLess(fn(byref(self.ring), 99, byref(head)), 0)

    def test_head_and_available_follow_receives(self):
        lib, ring = self.lib, byref(self.ring)
        err = c_int(1)
        br = lib.io_uring_setup_buf_ring(ring, NBUF, BGID, 0, byref(err))
        if not br:
            self.skipTest("io_uring_setup_buf_ring: %s (needs Linux 5.19)" % os.strerror(-err.value))
        self.addCleanup(lib.io_uring_free_buf_ring, ring, br, NBUF, BGID)
        head = c_uint16(0xffff)
        ret = lib.io_uring_buf_ring_head(ring, BGID, byref(head))
        if ret == -22:
            self.skipTest("IORING_REGISTER_PBUF_STATUS: -EINVAL (needs Linux 6.8)")
        self.assertEqual((ret, head.value), (0, 0))

        pool = ctypes.create_string_buffer(NBUF * BUF_LEN)
        base = ctypes.addressof(pool)
        mask = lib.io_uring_buf_ring_mask(NBUF)
        for i in range(NBUF):
            lib.io_uring_buf_ring_add(br, c_void_p(base + i * BUF_LEN), BUF_LEN, 100 + i, mask, i)
        lib.io_uring_buf_ring_advance(br, NBUF)
        self.assertEqual(lib.io_uring_buf_ring_available(ring, br, BGID), NBUF)

        a, b = socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        for i in range(3):
            msg = b"message %d" % i
            a.send(msg)
            sqe = lib.io_uring_get_sqe(ring)
            self.assertTrue(sqe)
            lib.io_uring_prep_recv(sqe, b.fileno(), None, 0, 0)
            lib.io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT)
            lib.io_uring_sqe_set_buf_group(sqe, BGID)
            self.assertEqual(lib.io_uring_submit(ring), 1)
            cqe = POINTER(u.IoUringCqe)()
            self.assertEqual(lib.io_uring_wait_cqe(ring, byref(cqe)), 0)
            res, flags = cqe.contents.res, cqe.contents.flags
            lib.io_uring_cqe_seen(ring, cqe)
            self.assertEqual(res, len(msg))
            self.assertTrue(flags & IORING_CQE_F_BUFFER)
            bid = flags >> IORING_CQE_BUFFER_SHIFT
            self.assertEqual(bid, 100 + i)
            self.assertEqual(pool.raw[i * BUF_LEN:i * BUF_LEN + len(msg)], msg)

        self.assertEqual(lib.io_uring_buf_ring_head(ring, BGID, byref(head)), 0)
        self.assertEqual(head.value, 3)
        self.assertEqual(lib.io_uring_buf_ring_available(ring, br, BGID), NBUF - 3)
        self.assertEqual([n for n in loaded_liburings() if not n.startswith("liburing-ffi.so")], [])


if __name__ == "__main__":
    unittest.main()
