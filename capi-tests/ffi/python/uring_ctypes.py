"""ctypes declarations of liburing-ffi.so.2 used by the FFI tests.

Standard library only. Every function is declared from api.json (generated
from the header and the manual pages, see docs/man/README.md): restype c_uint
where liburing returns `unsigned` (io_uring_peek_batch_cqe, io_uring_cq_ready,
...), c_int where it returns `int` (-errno), c_bool for `bool`, None for
`void`, and array parameters checked against their length parameter. Getting
these wrong by hand is the classic FFI trap (see docs/FFI.md,
test_return_types.py and test_api_json.py).

The structs mirror liburing's layout byte for byte; the sizes are asserted
at import time.
"""

import ctypes
import json
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

# The declarations are not written here: they are derived from api.json,
# which docs/man/tools/manpages.py generates from include/liburing.h (the
# prototypes) and the manual pages (return kinds, which parameters are
# arrays and which parameter gives their length). A return type is whatever
# the header says, so `unsigned` cannot become c_int or the other way; an
# array parameter is guarded at call time (see ArrayGuard), so one pointer
# cannot be passed where `count` pointers are written.
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_API_JSON = os.path.join(REPO, "docs", "api", "api.json")

_SCALARS = {
    "int": c_int, "unsigned": c_uint, "unsigned int": c_uint, "bool": c_bool, "_Bool": c_bool,
    "__u16": c_uint16, "uint16_t": c_uint16, "unsigned short": c_uint16, "__u32": c_uint32,
    "uint32_t": c_uint32, "__u64": c_uint64, "uint64_t": c_uint64, "int64_t": c_int64, "__s32": c_int32,
    "size_t": c_size_t, "ssize_t": ctypes.c_ssize_t, "off_t": c_int64, "loff_t": c_int64, "mode_t": c_uint,
    "socklen_t": c_uint, "idtype_t": c_int, "id_t": c_uint, "char": ctypes.c_char, "void": None,
}
_STRUCTS = {
    "struct io_uring": IoUring, "struct io_uring_sqe": IoUringSqe, "struct io_uring_cqe": IoUringCqe,
    "struct io_uring_params": IoUringParams, "struct io_uring_cqe_iter": IoUringCqeIter,
    "struct __kernel_timespec": KernelTimespec,
}


class DeclarationError(TypeError):
    """A hand-written ctypes declaration that disagrees with api.json."""


def api_json_path():
    return os.environ.get("LIBURING_API_JSON", DEFAULT_API_JSON)


_API = {}


def api(path=None):
    """{name: entry} of api.json (cached per path)."""
    path = path or api_json_path()
    if path not in _API:
        with open(path) as fh:
            _API[path] = {e["name"]: e for e in json.load(fh)["functions"]}
    return _API[path]


def ctype_of(ctype):
    """The ctypes type for a C type as api.json spells it."""
    t = ctype.replace("const ", "").strip()
    if t == "char *":
        return ctypes.c_char_p
    if t.endswith("*"):
        inner = t[:-1].strip()
        if inner == "void":
            return c_void_p
        target = ctype_of(inner) if (inner.endswith("*") or inner in _SCALARS or inner in _STRUCTS) else None
        return POINTER(target) if target is not None else c_void_p
    if t in _SCALARS:
        return _SCALARS[t]
    if t in _STRUCTS:
        return _STRUCTS[t]
    raise DeclarationError("no ctypes type for C type %r" % ctype)


def declaration(name, path=None):
    """(restype, argtypes) of `name`, derived from api.json."""
    e = api(path)[name]
    return ctype_of(e["returns"]), [ctype_of(p["type"]) for p in e["params"]]


def check_declaration(name, restype, argtypes, path=None):
    """Raise DeclarationError unless (restype, argtypes) is what api.json says."""
    want_res, want_args = declaration(name, path)
    e = api(path)[name]
    if restype is not want_res:
        raise DeclarationError("%s returns %s (%s): restype must be %s, not %s"
                               % (name, e["returns"], e["return_kind"], want_res, restype))
    if len(argtypes) != len(want_args):
        raise DeclarationError("%s takes %d parameters, not %d" % (name, len(want_args), len(argtypes)))
    for i, (got, want) in enumerate(zip(argtypes, want_args)):
        if got is not want:
            p = e["params"][i]
            arr = [a for a in e["arrays"] if a["param"] == p["name"]]
            what = " (an array of `%s` elements)" % arr[0]["length"] if arr else ""
            raise DeclarationError("%s parameter %d `%s %s`%s must be %s, not %s"
                                   % (name, i, p["type"], p["name"], what, want, got))


class ArrayGuard:
    """A declared function whose array parameters are checked before the call:
    the argument must be a ctypes array (or a byref/pointer to storage) holding
    at least as many elements as the length parameter says, or NULL with a
    length of 0."""

    def __init__(self, fn, entry):
        self.fn = fn
        self.entry = entry
        names = [p["name"] for p in entry["params"]]
        self.arrays = [(names.index(a["param"]), names.index(a["length"]), a) for a in entry["arrays"]]
        self.__name__ = entry["name"]

    def __getattr__(self, attr):
        return getattr(self.fn, attr)

    def __call__(self, *args):
        for ia, il, a in self.arrays:
            arg, n = args[ia], args[il]
            n = n.value if hasattr(n, "value") else n
            argtype = self.fn.argtypes[ia]
            if not hasattr(argtype, "contents"):
                # void * / char *: a buffer of n bytes. A ctypes object is
                # measured; a raw address or bytes object is the caller's word.
                obj = getattr(arg, "_obj", arg)
                if isinstance(obj, (ctypes.Array, ctypes.Structure, ctypes.Union)):
                    if ctypes.sizeof(obj) < n:
                        raise ValueError("%s: `%s` holds %d bytes but `%s` is %d: the call would overrun it"
                                         % (self.__name__, a["param"], ctypes.sizeof(obj), a["length"], n))
                continue
            elem = argtype._type_
            room = array_room(arg, elem)
            if room is None:
                raise TypeError("%s: `%s` must be an array of `%s` %s (a ctypes array or byref to one), got %r"
                                % (self.__name__, a["param"], a["length"], elem.__name__, arg))
            if room < n:
                raise ValueError("%s: `%s` holds %d elements but `%s` is %d: the call would write past it"
                                 % (self.__name__, a["param"], room, a["length"], n))
        return self.fn(*args)


def array_room(arg, elem):
    """How many `elem` the argument has room for, or None if it is no array."""
    if arg is None:
        return 0
    obj = getattr(arg, "_obj", arg)  # byref() wraps the object
    if isinstance(obj, ctypes.Array):
        return ctypes.sizeof(obj) // ctypes.sizeof(elem) if obj._type_ is elem else None
    if isinstance(obj, elem):
        return 1
    return None


class Lib:
    """liburing-ffi.so.2 with every function of api.json declared (and the
    array parameters guarded). `raw` is the plain CDLL, for tests that show
    what goes wrong without the guard."""

    def __init__(self, path, guard=True, absent=()):
        self.raw = ctypes.CDLL(path)
        self._name = self.raw._name
        for name, e in api().items():
            if "liburing-ffi" not in e["libraries"]:
                continue
            if name in absent and not hasattr(self.raw, name):
                continue
            fn = getattr(self.raw, name)
            fn.restype, fn.argtypes = declaration(name)
            setattr(self, name, ArrayGuard(fn, e) if (guard and e["arrays"]) else fn)


def lib_path():
    return os.environ.get("LIBURING_FFI_LIB", DEFAULT_LIB)


def load(path=None, guard=True, absent=()):
    """A fresh handle on liburing-ffi with every function declared from
    api.json; guard=False leaves array parameters unchecked (for the misuse
    scenarios, which hand the library wrong arrays on purpose). Names in
    `absent` may be missing from the library (upstream's liburing-ffi.so.2
    lacks ffi_extra_symbols()); any other missing one raises."""
    return Lib(os.path.abspath(path or lib_path()), guard, absent)


def ffi_extra_symbols():
    """The names our liburing-ffi.so.2 exports beyond upstream 2.15's
    (capi-tests/abi/ffi-extra.symbols: io_uring_buf_ring_head)."""
    names = set()
    with open(os.path.join(REPO, "capi-tests", "abi", "ffi-extra.symbols")) as fh:
        for line in fh:
            line = line.split("#")[0].strip()
            if line:
                names.add(line.split("@")[0])
    return names


def cqe_array(n):
    """A C array of n `struct io_uring_cqe *`: what io_uring_peek_batch_cqe
    fills (one pointer per CQE, pointing into the ring)."""
    return (cqe_p * n)()


def pointer_values(arr):
    """The addresses held by a ctypes array of pointers, as ints (a view on
    the same memory, no copy)."""
    return (c_uint64 * len(arr)).from_buffer(arr)
