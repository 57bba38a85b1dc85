"""ctypes declarations of liburing-ffi.so.2 used by the FFI tests.

Standard library only. Every function is declared with the C types of
liburing 2.15's prototypes: restype c_uint where liburing returns
`unsigned` (io_uring_peek_batch_cqe, io_uring_cq_ready, ...), c_int where it
returns `int` (-errno), c_bool for `bool`, None for `void`. Getting these
wrong is the classic FFI trap (see docs/FFI.md and test_return_types.py).

The structs mirror liburing's layout byte for byte; the sizes are asserted
at import time.
"""

import ctypes
import os
from ctypes import (POINTER, Structure, c_bool, c_int, c_int32, c_int64, c_size_t, c_uint, c_uint8, c_uint16,
                    c_uint32, c_uint64, c_void_p)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LIB = os.path.normpath(os.path.join(HERE, "..", "..", "..", "build", "lib", "liburing-ffi.so.2"))

# Kernel uapi constants the tests use.
IORING_SETUP_CQSIZE = 1 << 3
IORING_SETUP_SQE128 = 1 << 10
IORING_SETUP_CQE32 = 1 << 11
IORING_FEAT_NODROP = 1 << 1
IORING_OP_NOP = 0
IORING_CQE_F_32 = 1 << 15


class IoUringSqe(Structure):
    _fields_ = [
        ("opcode", c_uint8),
        ("flags", c_uint8),
        ("ioprio", c_uint16),
        ("fd", c_int32),
        ("off", c_uint64),
        ("addr", c_uint64),
        ("len", c_uint32),
        ("op_flags", c_uint32),
        ("user_data", c_uint64),
        ("buf_index", c_uint16),
        ("personality", c_uint16),
        ("file_index", c_uint32),
        ("addr3", c_uint64),
        ("pad2", c_uint64),
    ]


class IoUringCqe(Structure):
    """The 16-byte CQE. On IORING_SETUP_CQE32 rings each entry is followed by
    16 more bytes (big_cqe), so entries are 32 bytes apart."""
    _fields_ = [
        ("user_data", c_uint64),
        ("res", c_int32),
        ("flags", c_uint32),
    ]


class IoUringCqe32(Structure):
    _fields_ = [
        ("user_data", c_uint64),
        ("res", c_int32),
        ("flags", c_uint32),
        ("big_cqe", c_uint64 * 2),
    ]


class IoUringSq(Structure):
    _fields_ = [
        ("khead", POINTER(c_uint32)),
        ("ktail", POINTER(c_uint32)),
        ("kring_mask", POINTER(c_uint32)),
        ("kring_entries", POINTER(c_uint32)),
        ("kflags", POINTER(c_uint32)),
        ("kdropped", POINTER(c_uint32)),
        ("array", POINTER(c_uint32)),
        ("sqes", c_void_p),
        ("sqe_head", c_uint32),
        ("sqe_tail", c_uint32),
        ("ring_sz", c_size_t),
        ("ring_ptr", c_void_p),
        ("ring_mask", c_uint32),
        ("ring_entries", c_uint32),
        ("sqes_sz", c_uint32),
        ("pad", c_uint32),
    ]


class IoUringCq(Structure):
    _fields_ = [
        ("khead", POINTER(c_uint32)),
        ("ktail", POINTER(c_uint32)),
        ("kring_mask", POINTER(c_uint32)),
        ("kring_entries", POINTER(c_uint32)),
        ("kflags", POINTER(c_uint32)),
        ("koverflow", POINTER(c_uint32)),
        ("cqes", c_void_p),
        ("ring_sz", c_size_t),
        ("ring_ptr", c_void_p),
        ("ring_mask", c_uint32),
        ("ring_entries", c_uint32),
        ("pad", c_uint32 * 2),
    ]


class IoUring(Structure):
    """struct io_uring. Allocate it once and never move it: liburing keeps
    state in it, and the pointer passed to every call must stay the same."""
    _fields_ = [
        ("sq", IoUringSq),
        ("cq", IoUringCq),
        ("flags", c_uint32),
        ("ring_fd", c_int),
        ("features", c_uint32),
        ("enter_ring_fd", c_int),
        ("int_flags", c_uint8),
        ("pad", c_uint8 * 3),
        ("pad2", c_uint32),
    ]


class IoSqringOffsets(Structure):
    _fields_ = [(n, c_uint32) for n in
                ("head", "tail", "ring_mask", "ring_entries", "flags", "dropped", "array", "resv1")] + [
                    ("user_addr", c_uint64)]


class IoCqringOffsets(Structure):
    _fields_ = [(n, c_uint32) for n in
                ("head", "tail", "ring_mask", "ring_entries", "overflow", "cqes", "flags", "resv1")] + [
                    ("user_addr", c_uint64)]


class IoUringParams(Structure):
    _fields_ = [
        ("sq_entries", c_uint32),
        ("cq_entries", c_uint32),
        ("flags", c_uint32),
        ("sq_thread_cpu", c_uint32),
        ("sq_thread_idle", c_uint32),
        ("features", c_uint32),
        ("wq_fd", c_uint32),
        ("resv", c_uint32 * 3),
        ("sq_off", IoSqringOffsets),
        ("cq_off", IoCqringOffsets),
    ]


class IoUringCqeIter(Structure):
    _fields_ = [
        ("cqes", c_void_p),
        ("mask", c_uint32),
        ("shift", c_uint32),
        ("head", c_uint32),
        ("tail", c_uint32),
    ]


class KernelTimespec(Structure):
    _fields_ = [("tv_sec", c_int64), ("tv_nsec", c_int64)]


assert ctypes.sizeof(IoUringSqe) == 64
assert ctypes.sizeof(IoUringCqe) == 16
assert ctypes.sizeof(IoUringCqe32) == 32
assert ctypes.sizeof(IoUringSq) == 104
assert ctypes.sizeof(IoUringCq) == 88
assert ctypes.sizeof(IoUring) == 216
assert ctypes.sizeof(IoUringParams) == 120
assert ctypes.sizeof(IoUringCqeIter) == 24

ring_p = POINTER(IoUring)
sqe_p = POINTER(IoUringSqe)
cqe_p = POINTER(IoUringCqe)

# name: (restype, argtypes), as liburing 2.15 declares them.
SIGNATURES = {
    "io_uring_queue_init": (c_int, [c_uint, ring_p, c_uint]),
    "io_uring_queue_init_params": (c_int, [c_uint, ring_p, POINTER(IoUringParams)]),
    "io_uring_queue_exit": (None, [ring_p]),
    "io_uring_get_sqe": (sqe_p, [ring_p]),
    "io_uring_prep_nop": (None, [sqe_p]),
    "io_uring_sqe_set_data64": (None, [sqe_p, c_uint64]),
    "io_uring_submit": (c_int, [ring_p]),
    "io_uring_submit_and_wait": (c_int, [ring_p, c_uint]),
    "io_uring_peek_batch_cqe": (c_uint, [ring_p, POINTER(cqe_p), c_uint]),
    "io_uring_cq_advance": (None, [ring_p, c_uint]),
    "io_uring_cqe_seen": (None, [ring_p, cqe_p]),
    "io_uring_peek_cqe": (c_int, [ring_p, POINTER(cqe_p)]),
    "io_uring_wait_cqe": (c_int, [ring_p, POINTER(cqe_p)]),
    "io_uring_wait_cqe_nr": (c_int, [ring_p, POINTER(cqe_p), c_uint]),
    "io_uring_wait_cqe_timeout": (c_int, [ring_p, POINTER(cqe_p), POINTER(KernelTimespec)]),
    "io_uring_cqe_iter_init": (IoUringCqeIter, [ring_p]),
    "io_uring_cqe_iter_next": (c_bool, [POINTER(IoUringCqeIter), POINTER(cqe_p)]),
    "io_uring_cq_ready": (c_uint, [ring_p]),
    "io_uring_cq_has_overflow": (c_bool, [ring_p]),
    "io_uring_sq_space_left": (c_uint, [ring_p]),
    "io_uring_sq_ready": (c_uint, [ring_p]),
    "io_uring_get_events": (c_int, [ring_p]),
    "io_uring_cqe_get_data64": (c_uint64, [cqe_p]),
}


def lib_path():
    return os.environ.get("LIBURING_FFI_LIB", DEFAULT_LIB)


def load(path=None):
    """A fresh CDLL handle with every function of SIGNATURES declared."""
    lib = ctypes.CDLL(os.path.abspath(path or lib_path()))
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def cqe_array(n):
    """A C array of n `struct io_uring_cqe *`: what io_uring_peek_batch_cqe
    fills (one pointer per CQE, pointing into the ring)."""
    return (cqe_p * n)()


def pointer_values(arr):
    """The addresses held by a ctypes array of pointers, as ints (a view on
    the same memory, no copy)."""
    return (c_uint64 * len(arr)).from_buffer(arr)
