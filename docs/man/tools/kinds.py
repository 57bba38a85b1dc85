#!/usr/bin/env python3
"""Each return kind of api.json checked by behaviour through ctypes (issue 24,
part 4), on calls that can be made to succeed and to fail here.

  kinds.py API_JSON LIB [LABEL]     run the checks on LIB (a liburing-ffi.so.2)
  kinds.py --planted API_JSON LIB   build one shim library per planted
                                    regression (a wrong function in front of
                                    LIB) and fail unless the checks catch each

check-api.py calls check() on our liburing-ffi.so.2 and on upstream's; the
functions are declared from API_JSON (capi-tests/ffi/python/uring_ctypes.py),
so a wrong restype there shows here too. What each kind must do:

  count            never negative (as a signed number) and never more than
                   there is: 0 on an empty ring, the number of SQEs prepared
                   or CQEs posted otherwise, at most the count asked for
  negative errno   a negative errno on a closed file descriptor (-EBADF), on a
                   descriptor that is no ring, on a bad argument; 0 or more
                   on success
  pointer-or-NULL  a pointer while there is room, NULL on a full SQ ring
  boolean          true and false each where the state says so
  value            the value itself (the user data of a CQE bit for bit,
                   the library's version, a buffer ring's mask)

Plants (each a C function of the same name, in a shim library that needs
LIB, so that ctypes finds it first): io_uring_peek_batch_cqe answering
-EAGAIN as unsigned on an empty ring (the founding report's mix-up),
io_uring_register returning a positive errno, io_uring_get_sqe handing out
a slot of its own on a full ring, io_uring_opcode_supported saying yes to
every opcode, io_uring_cqe_get_data64 dropping the high 32 bits. Each must
fail the check of its kind, naming the function.
"""
import ctypes
import errno
import os
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

IORING_OP_NOP = 0
BAD_OPCODE = 255


def as_signed(v, bits=32):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def check(u, lib, label):
    """Runs every case; returns (cases per kind, failures)."""
    per_kind = {}
    bad = []

    def case(kind, what, ok, got):
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if not ok:
            bad.append("%s (%s): %s, got %r" % (what, kind, "wrong" if got is not None else "no value", got))

    ring = u.IoUring()
    rp = ctypes.byref(ring)
    # negative errno: a bad descriptor (a closed one: -1 means "no ring" to
    # a kernel's io_uring_register since 6.13), one that is no ring, a bad
    # argument
    closed = os.dup(0)
    os.close(closed)
    for name, args in (("io_uring_enter", (closed, 0, 0, 0, None)),
                       ("io_uring_register", (closed, 0, None, 0))):
        v = getattr(lib, name)(*args)
        case("negative errno", "%s on a closed fd gives -EBADF" % name, v == -errno.EBADF, v)
    r_fd, w_fd = os.pipe()
    try:
        v = lib.io_uring_enter(r_fd, 0, 0, 0, None)
        case("negative errno", "io_uring_enter on a pipe gives a negative errno", v < 0 and -v in errno.errorcode, v)
        v = lib.io_uring_register(r_fd, 0, None, 0)
        case("negative errno", "io_uring_register on a pipe gives a negative errno",
             v < 0 and -v in errno.errorcode, v)
    finally:
        os.close(r_fd)
        os.close(w_fd)
    v = lib.io_uring_queue_init(0, rp, 0)
    case("negative errno", "io_uring_queue_init(0 entries) gives -EINVAL", v == -errno.EINVAL, v)
    v = lib.io_uring_queue_init(8, rp, 0)
    case("negative errno", "io_uring_queue_init(8) succeeds with 0", v == 0, v)
    if v != 0:
        return per_kind, bad + ["cannot set up a ring (%d): the ring cases did not run" % v]
    try:
        v = lib.io_uring_register_eventfd(rp, -1)
        case("negative errno", "io_uring_register_eventfd(-1) gives -EBADF", v == -errno.EBADF, v)
        # count and pointer-or-NULL on an empty ring
        cqes = u.cqe_array(8)
        for name, args, want in (("io_uring_cq_ready", (rp,), 0), ("io_uring_sq_ready", (rp,), 0),
                                 ("io_uring_sq_space_left", (rp,), 8),
                                 ("io_uring_peek_batch_cqe", (rp, cqes, 8), 0)):
            v = getattr(lib, name)(*args)
            case("count", "%s on an empty ring of 8 is %d" % (name, want), v == want and as_signed(v) >= 0, v)
        v = lib.io_uring_cq_has_overflow(rp)
        case("boolean", "io_uring_cq_has_overflow on a new ring is false", not v, v)
        v = lib.io_uring_cq_eventfd_enabled(rp)
        case("boolean", "io_uring_cq_eventfd_enabled without the disable flag is true", bool(v), v)
        sqes = []
        for i in range(8):
            s = lib.io_uring_get_sqe(rp)
            case("pointer-or-NULL", "io_uring_get_sqe %d of 8 is a pointer" % (i + 1), bool(s), s)
            if not s:
                break
            sqes.append(s)
        s = lib.io_uring_get_sqe(rp)
        case("pointer-or-NULL", "io_uring_get_sqe on a full SQ ring is NULL", not s,
             None if not s else ctypes.cast(s, ctypes.c_void_p).value)
        v = lib.io_uring_sq_ready(rp)
        case("count", "io_uring_sq_ready after 8 SQEs is 8", v == 8, v)
        v = lib.io_uring_sq_space_left(rp)
        case("count", "io_uring_sq_space_left on a full ring is 0", v == 0, v)
        data = 0x8123456789abcdef
        for i, s in enumerate(sqes[:3]):
            lib.io_uring_prep_nop(s)
            lib.io_uring_sqe_set_data64(s, data + i)
        for s in sqes[3:]:
            lib.io_uring_prep_nop(s)
            lib.io_uring_sqe_set_data64(s, 0)
        v = lib.io_uring_submit_and_wait(rp, 8)
        case("negative errno", "io_uring_submit_and_wait of 8 NOPs gives 8", v == 8, v)
        v = lib.io_uring_cq_ready(rp)
        case("count", "io_uring_cq_ready after 8 NOPs is 8", v == 8, v)
        v = lib.io_uring_peek_batch_cqe(rp, cqes, 3)
        case("count", "io_uring_peek_batch_cqe asked for 3 of 8 is 3", v == 3, v)
        got = [cqes[i].contents for i in range(3)] if v == 3 else []
        for i, c in enumerate(got):
            w = lib.io_uring_cqe_get_data64(ctypes.pointer(c))
            case("value", "io_uring_cqe_get_data64 is the user data set (%#x)" % (data + i), w == data + i, w)
            n = lib.io_uring_cqe_nr(ctypes.pointer(c))
            case("count", "io_uring_cqe_nr of a 16-byte CQE is 1", n == 1, n)
        lib.io_uring_cq_advance(rp, 8)
        v = lib.io_uring_peek_batch_cqe(rp, cqes, 8)
        case("count", "io_uring_peek_batch_cqe on a drained ring is 0", v == 0 and as_signed(v) >= 0, v)
        probe = lib.io_uring_get_probe_ring(rp)
        case("pointer-or-NULL", "io_uring_get_probe_ring on a ring is a pointer", bool(probe), None)
        if probe:
            v = lib.io_uring_opcode_supported(probe, IORING_OP_NOP)
            case("boolean", "io_uring_opcode_supported(IORING_OP_NOP) is true", bool(v), v)
            v = lib.io_uring_opcode_supported(probe, BAD_OPCODE)
            case("boolean", "io_uring_opcode_supported(255) is false", not v, v)
            lib.io_uring_free_probe(probe)
    finally:
        lib.io_uring_queue_exit(rp)
    major, minor = lib.io_uring_major_version(), lib.io_uring_minor_version()
    case("value", "io_uring_major_version() is 2", major == 2, major)
    case("value", "io_uring_minor_version() is 15", minor == 15, minor)
    v = lib.io_uring_check_version(major, minor)
    case("boolean", "io_uring_check_version(its own version) is false", not v, v)
    v = lib.io_uring_check_version(99, 0)
    case("boolean", "io_uring_check_version(99, 0) is true", bool(v), v)
    v = lib.io_uring_buf_ring_mask(8)
    case("value", "io_uring_buf_ring_mask(8) is 7", v == 7, v)
    return per_kind, bad


def run(u, lib_path, label, absent=()):
    per_kind, bad = check(u, u.load(lib_path, absent=absent), label)
    return per_kind, bad


def report(per_kind, bad, label):
    if bad:
        for b in bad:
            print("check-api: FAIL: return kind by behaviour on %s: %s" % (label, b), file=sys.stderr)
        return 1
    print("check-api: return kinds by behaviour on %s: %d kinds, %d cases (%s), all as their kind says"
          % (label, len(per_kind), sum(per_kind.values()),
             ", ".join("%s %d" % (k, n) for k, n in sorted(per_kind.items()))))
    return 0


PLANTS = [
    ("count", "io_uring_peek_batch_cqe", "io_uring_peek_batch_cqe on an empty ring of 8 is 0",
     "unsigned io_uring_peek_batch_cqe(void *ring, void **cqes, unsigned count)",
     "unsigned r = real(ring, cqes, count); return r ? r : (unsigned)-11; /* -EAGAIN, as a count */"),
    ("negative errno", "io_uring_register", "io_uring_register on a closed fd gives -EBADF",
     "int io_uring_register(unsigned fd, unsigned op, const void *arg, unsigned nr)",
     "int r = real(fd, op, arg, nr); return r < 0 ? -r : r; /* errno positive */"),
    ("pointer-or-NULL", "io_uring_get_sqe", "io_uring_get_sqe on a full SQ ring is NULL",
     "void *io_uring_get_sqe(void *ring)",
     "static char spare[128]; void *s = real(ring); return s ? s : spare; /* never NULL */"),
    ("boolean", "io_uring_opcode_supported", "io_uring_opcode_supported(255) is false",
     "int io_uring_opcode_supported(const void *probe, int op)",
     "(void)real; (void)probe; (void)op; return 1; /* yes to everything */"),
    ("value", "io_uring_cqe_get_data64", "io_uring_cqe_get_data64 is the user data set",
     "unsigned long long io_uring_cqe_get_data64(const void *cqe)",
     "return (unsigned)real(cqe); /* the high 32 bits dropped */"),
]


def shim_source(name, proto, body):
    head, _, params = proto.partition("(")
    rtype = head[:-len(name)].strip()
    return ("#define _GNU_SOURCE\n#include <dlfcn.h>\n"
            "%s\n{\n\t%s (*real)(%s = (%s (*)(%s)dlsym(RTLD_NEXT, \"%s\");\n\t%s\n}\n"
            % (proto, rtype, params, rtype, params, name, body))


def planted(u, lib_path):
    tmp = tempfile.mkdtemp()
    caught = 0
    try:
        libdir = os.path.dirname(os.path.abspath(lib_path))
        for kind, name, says, proto, body in PLANTS:
            src = os.path.join(tmp, "%s.c" % name)
            so = os.path.join(tmp, "%s.so" % name)
            open(src, "w").write(shim_source(name, proto, body))
            cc = subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", so, src, "-Wl,--no-as-needed",
                                 os.path.abspath(lib_path), "-ldl", "-Wl,-rpath," + libdir], capture_output=True, text=True)
            if cc.returncode != 0:
                print(cc.stdout + cc.stderr)
                print("check-api: FAIL: planted %s: the shim does not build" % name, file=sys.stderr)
                return 1
            # each in a child: a plant may leave the process in any state
            r = subprocess.run([sys.executable, os.path.abspath(__file__), os.environ["LIBURING_API_JSON"], so,
                                "the %s plant" % name], capture_output=True, text=True)
            said = [ln for ln in (r.stdout + r.stderr).splitlines() if "FAIL" in ln and says in ln]
            if r.returncode == 0 or not said:
                print(r.stdout + r.stderr)
                print("check-api: FAIL: planted regression not caught: %s (%s)" % (name, kind), file=sys.stderr)
                return 1
            caught += 1
            print("check-api: planted: %s wrong for its kind %s -> caught (%s)" % (name, kind, said[0][:150]))
        print("check-api: return-kind plants caught: %d of %d (one per kind: %s)"
              % (caught, len(PLANTS), ", ".join(p[0] for p in PLANTS)))
        return 0
    finally:
        subprocess.run(["rm", "-rf", tmp])


def main(argv):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import importlib
    check_api = importlib.import_module("check-api")
    plant = argv[:1] == ["--planted"]
    if plant:
        argv = argv[1:]
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    os.environ["LIBURING_API_JSON"] = os.path.abspath(argv[0])
    u = check_api.find_ctypes_module()
    if plant:
        return planted(u, argv[1])
    label = argv[2] if len(argv) == 3 else argv[1]
    return report(*run(u, argv[1], label, absent=u.ffi_extra_symbols()), label)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
