"""The ctypes declarations come from api.json, and the founding report's two
mistakes cannot be made through them.

The report's binding (1) declared a function's return type by hand with the
wrong signedness (an `unsigned` count as int, or an `int` -errno as
unsigned), and (2) passed the address of one `struct io_uring_cqe *` where
io_uring_peek_batch_cqe writes an array of `count` of them. Here:

- the declaration of every function is derived from api.json (prototype from
  the header, arrays and their length parameters from the man pages), and
  the one for io_uring_peek_batch_cqe is exactly (c_uint, [ring *,
  POINTER(POINTER(cqe)), c_uint]) with `cqes` an array of `count`;
- a hand-written declaration with either mistake is rejected by
  check_declaration();
- a call through the derived declaration with a single pointer and count > 1
  (or anything that is not an array of CQE pointers) raises before it
  reaches the library.
"""

import ctypes
import os
import unittest
from ctypes import POINTER, byref, c_int, c_uint

import uring_ctypes as u


class DerivedDeclarations(unittest.TestCase):
    def test_peek_batch_cqe_declaration(self):
        restype, argtypes = u.declaration("io_uring_peek_batch_cqe")
        self.assertIs(restype, c_uint)
        self.assertEqual(argtypes, [POINTER(u.IoUring), POINTER(POINTER(u.IoUringCqe)), c_uint])
        e = u.api()["io_uring_peek_batch_cqe"]
        self.assertEqual(e["arrays"], [{"param": "cqes", "length": "count"}])
        self.assertEqual(e["return_kind"], "count")

    def test_version_node_per_library(self):
        # liburing-ffi.map puts 53 functions at another node than liburing.map
        e = u.api()["io_uring_get_sqe"]
        self.assertEqual(e["versions"], {"liburing": "LIBURING_2.0", "liburing-ffi": "LIBURING_2.4"})
        e = u.api()["io_uring_buf_ring_head"]
        self.assertEqual(e["versions"], {"liburing": "LIBURING_2.6", "liburing-ffi": "LIBURING_2.6"})
        self.assertEqual(u.api()["io_uring_prep_nop"]["versions"], {"liburing-ffi": "LIBURING_2.4"})

    def test_buffer_lengths(self):
        # a void * buffer and the parameter that gives its size in bytes
        for name, param, length in (("io_uring_buf_ring_add", "addr", "len"),
                                    ("io_uring_recvmsg_validate", "buf", "buf_len"),
                                    ("io_uring_queue_init_mem", "buf", "buf_size"),
                                    ("io_uring_prep_madvise", "addr", "length"),
                                    ("io_uring_prep_cmd_sock", "optval", "optlen"),
                                    ("io_uring_enter2", "arg", "sz")):
            self.assertIn({"param": param, "length": length}, u.api()[name]["arrays"], name)

    def test_short_buffer_refused(self):
        lib = u.load()
        msgh = ctypes.create_string_buffer(64)  # stands in for a struct msghdr
        with self.assertRaisesRegex(ValueError, "holds 8 bytes but `buf_len` is 64"):
            lib.io_uring_recvmsg_validate(ctypes.create_string_buffer(8), 64, msgh)

    def test_probe_is_one_struct(self):
        # nr counts operation slots inside the one struct io_uring_probe
        self.assertEqual(u.api()["io_uring_register_probe"]["arrays"], [])

    def test_int_functions_are_int(self):
        for name in ("io_uring_peek_cqe", "io_uring_wait_cqe_timeout", "io_uring_submit", "io_uring_queue_init"):
            self.assertIs(u.declaration(name)[0], c_int, name)
            self.assertEqual(u.api()[name]["return_kind"], "negative errno", name)

    def test_every_function_has_a_declaration(self):
        # Every function of the header is callable through liburing-ffi.so.2
        # alone: liburing 2.15's 222 and io_uring_buf_ring_head, which
        # upstream's liburing-ffi.so.2 lacks (test_buf_ring_head.py).
        lib = u.load()
        n = 0
        for name, e in u.api().items():
            restype, argtypes = u.declaration(name)
            self.assertEqual(len(argtypes), len(e["params"]))
            self.assertIn("liburing-ffi", e["libraries"], name)
            self.assertTrue(hasattr(lib, name), name)
            n += 1
        self.assertGreaterEqual(n, 223)


class HandWrittenMistakesRejected(unittest.TestCase):
    ring_p = POINTER(u.IoUring)
    cqe_p = POINTER(u.IoUringCqe)

    def test_right_declaration_accepted(self):
        u.check_declaration("io_uring_peek_batch_cqe", c_uint, [self.ring_p, POINTER(self.cqe_p), c_uint])

    def test_peek_batch_declared_int_rejected(self):
        with self.assertRaisesRegex(u.DeclarationError, "restype must be"):
            u.check_declaration("io_uring_peek_batch_cqe", c_int, [self.ring_p, POINTER(self.cqe_p), c_uint])

    def test_peek_cqe_declared_unsigned_rejected(self):
        with self.assertRaisesRegex(u.DeclarationError, "negative errno"):
            u.check_declaration("io_uring_peek_cqe", c_uint, [self.ring_p, POINTER(self.cqe_p)])

    def test_single_cqe_pointer_for_the_array_rejected(self):
        # `struct io_uring_cqe *cqes` instead of `struct io_uring_cqe **cqes`
        with self.assertRaisesRegex(u.DeclarationError, "an array of `count` elements"):
            u.check_declaration("io_uring_peek_batch_cqe", c_uint, [self.ring_p, self.cqe_p, c_uint])


class ArrayGuard(unittest.TestCase):
    def setUp(self):
        self.lib = u.load()
        self.ring = u.IoUring()
        self.assertEqual(self.lib.io_uring_queue_init(8, byref(self.ring), 0), 0)

    def tearDown(self):
        self.lib.io_uring_queue_exit(byref(self.ring))

    def test_single_pointer_with_count_8_refused(self):
        one = u.cqe_p()
        with self.assertRaisesRegex(ValueError, "holds 1 elements but `count` is 8"):
            self.lib.io_uring_peek_batch_cqe(byref(self.ring), byref(one), 8)

    def test_not_an_array_of_cqe_pointers_refused(self):
        with self.assertRaises(TypeError):
            self.lib.io_uring_peek_batch_cqe(byref(self.ring), (ctypes.c_uint64 * 8)(), 8)
        with self.assertRaises(ValueError):
            self.lib.io_uring_peek_batch_cqe(byref(self.ring), None, 8)

    def test_byte_buffer_shorter_than_its_length_refused(self):
        sqe = u.IoUringSqe()
        buf = (ctypes.c_char * 16)()
        with self.assertRaisesRegex(ValueError, "holds 16 bytes but `nbytes` is 64"):
            self.lib.io_uring_prep_read(byref(sqe), 0, buf, 64, 0)
        self.lib.io_uring_prep_read(byref(sqe), 0, buf, 16, 0)
        self.assertEqual((sqe.opcode, sqe.len, sqe.addr), (22, 16, ctypes.addressof(buf)))  # IORING_OP_READ

    def test_arrays_of_count_accepted(self):
        self.assertEqual(self.lib.io_uring_peek_batch_cqe(byref(self.ring), u.cqe_array(8), 8), 0)
        self.assertEqual(self.lib.io_uring_peek_batch_cqe(byref(self.ring), byref(u.cqe_p()), 1), 0)
        self.assertEqual(self.lib.io_uring_peek_batch_cqe(byref(self.ring), None, 0), 0)


if __name__ == "__main__":
    unittest.main()
