#!/usr/bin/env python3
"""Check api.json against the headers and against behaviour.

  check-api.py API_JSON OUR_INCLUDE [UPSTREAM_INCLUDE UPSTREAM_FFI_SO]
  check-api.py --schema API_JSON      (step 0 only)
  check-api.py --clang API_JSON OUR_INCLUDE   (step 1's libclang half only)

0. Format: api.json follows docs/api/api.schema.json (JSON Schema, draft
   2020-12; Debian's python3-jsonschema validates it). Every error is
   printed with the path of the element, $.functions[N].key, and the name
   of the function N is.
1. Prototypes: a C file redeclares every function with the prototype
   api.json gives, after #include <liburing.h>; the compiler rejects any
   prototype that conflicts with the header. Done against our header and,
   when given, upstream liburing 2.15's. Then, against our header as
   libclang parses it (python3-clang; -DLIBURING_FFI -D_GNU_SOURCE), each
   function's return type and parameter names and types as spelt (where
   the compiler sees through typedefs: __u32 for unsigned int passes
   there), and its "prototype" is what "returns" and "params" spell.
2. Shapes: no function is described twice; every array annotation and
   out-parameter names a parameter of its function; every array's length
   parameter is an integer parameter of the same function; every
   out-parameter is a pointer; every return kind fits the C return type.
3. Behaviour: calls that must fail, made through the ctypes declarations
   derived from api.json, return what their kind says (negative errno,
   NULL, 0, false), on our liburing-ffi.so.2 and on upstream's, with the
   same value. On ours only (upstream crashes there, see liburing-rs(7)):
   every ring function of kind negative errno / pointer-or-NULL / count
   called with a NULL ring, each in its own child process. Then each return
   kind but void by calls that succeed and fail on a real ring, on both
   libraries (kinds.py: a count is 0 on an empty ring and never more than
   there is, a negative errno comes back on a closed descriptor, a pointer
   is NULL on a full SQ ring, a boolean is true and false where it should
   be, a value is exact); kinds.py --planted is their planted regressions.
"""
import ctypes
import errno
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import manpages  # noqa: E402  (kind_fits, version_nodes)


def fail(msg):
    print("check-api: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def find_ctypes_module():
    """capi-tests/ffi/python/uring_ctypes.py, wherever the tree keeps it."""
    out = subprocess.run(["git", "-C", TOP, "ls-files", "*uring_ctypes.py"], capture_output=True, text=True).stdout
    paths = [p for p in out.split() if p.endswith("/uring_ctypes.py")]
    if not paths:
        fail("uring_ctypes.py not found in the tree")
    sys.path.insert(0, os.path.join(TOP, os.path.dirname(paths[0])))
    import uring_ctypes
    return uring_ctypes


SCHEMA = os.path.join(TOP, "docs", "api", "api.schema.json")
DEBIAN_PYTHON = "/usr/bin/python3"


def element_path(path, doc):
    """$.functions[3].versions.liburing-ffi (io_uring_get_sqe): where an error is."""
    out, node, name = "$", doc, None
    for step in path:
        out += "[%d]" % step if isinstance(step, int) else ".%s" % step
        if node is doc.get("functions") and isinstance(step, int) and isinstance(node[step], dict):
            name = node[step].get("name")
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    return out + (" (%s)" % name if name else "")


def module_or_debian(module, package, mode_args):
    """MODULE imported; or, when python3 is another Python than Debian's (a
    pyenv one, say) and only Debian's has it (PACKAGE installs it there),
    None once Debian's Python has run this script with MODE_ARGS (exiting
    when that failed); or a failure naming PACKAGE."""
    try:
        return importlib.import_module(module)
    except ImportError:
        pass
    if (os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON)
            and subprocess.run([DEBIAN_PYTHON, "-c", "import " + module], capture_output=True).returncode == 0):
        if subprocess.run([DEBIAN_PYTHON, os.path.abspath(__file__)] + mode_args).returncode != 0:
            sys.exit(1)
        return None
    fail("no Python module %s (Debian: %s; `make man-deps` installs it)" % (module, package))


def check_schema(api_path, doc):
    """api.json against docs/api/api.schema.json, every error with its path."""
    jsonschema = module_or_debian("jsonschema", "python3-jsonschema", ["--schema", api_path])
    if jsonschema is None:
        return
    schema = json.load(open(SCHEMA))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: [str(s) for s in e.absolute_path])
    if errors:
        lines = ["%s: %s" % (element_path(e.absolute_path, doc), e.message) for e in errors]
        more = ["... and %d more" % (len(lines) - 40)] if len(lines) > 40 else []
        fail("%s does not follow %s (%d errors):\n  %s" % (api_path, os.path.relpath(SCHEMA, TOP), len(errors),
                                                            "\n  ".join(lines[:40] + more)))
    print("check-api: %s follows %s (%s, jsonschema %s): %d functions, every object closed" % (
        api_path, os.path.relpath(SCHEMA, TOP), schema["$schema"].split("/")[-2], jsonschema_version(),
        len(doc["functions"])))


def jsonschema_version():
    try:
        from importlib.metadata import version
        return version("jsonschema")
    except Exception:
        return "?"


CLANG_ARGS = ["-x", "c", "-std=gnu11", "-DLIBURING_FFI", "-D_GNU_SOURCE"]


def c_spelling(t):
    """One spelling per C type: libclang says `unsigned int` and `_Bool`
    where the header may say `unsigned` and `bool`."""
    t = " ".join(t.replace("*", " * ").split()).replace("* *", "**").replace("* *", "**")
    t = re.sub(r"\bunsigned(?! (int|short|long|char)\b)", "unsigned int", t)
    return re.sub(r"\bbool\b", "_Bool", t)


def typed(t, n):
    """`struct io_uring *ring`, `unsigned nr`."""
    return t + n if t.endswith("*") else t + " " + n


def declaration(returns, name, params):
    """The prototype api.json's fields spell: `int f(struct io_uring *ring, unsigned nr);`."""
    return "%s(%s);" % (typed(returns, name), ", ".join(typed(p["type"], p["name"]) for p in params) or "void")


def check_clang(api_path, funcs, include):
    """Each function's return type, parameter names and parameter types are
    the ones libclang parses from INCLUDE/liburing.h (as spelt, typedef names
    kept: the compiler check above sees through typedefs and names), and its
    "prototype" is the declaration they spell."""
    cindex = module_or_debian("clang.cindex", "python3-clang-NN, NN that of the installed libclang1-NN",
                              ["--clang", api_path, include])
    if cindex is None:
        return
    header = os.path.join(include, "liburing.h")
    args = CLANG_ARGS + ["-I" + include]
    tu = cindex.Index.create().parse(header, args=args)
    errors = [str(d) for d in tu.diagnostics if d.severity >= cindex.Diagnostic.Error]
    if errors:
        fail("libclang cannot parse %s (%s):\n  %s" % (header, " ".join(args), "\n  ".join(errors[:20])))
    decls = {}
    for c in tu.cursor.get_children():
        if c.kind == cindex.CursorKind.FUNCTION_DECL:
            decls.setdefault(c.spelling, c)
    problems = []
    for f in funcs:
        n = f["name"]
        c = decls.get(n)
        if c is None:
            problems.append("%s: %s does not declare it" % (n, header))
            continue
        if c_spelling(c.result_type.spelling) != c_spelling(f["returns"]):
            problems.append("%s: returns %s, the header %s" % (n, f["returns"], c.result_type.spelling))
        got = [(a.spelling, a.type.spelling) for a in c.get_arguments()]
        want = [(p["name"], p["type"]) for p in f["params"]]
        if len(got) != len(want):
            problems.append("%s: %d parameters, the header %d" % (n, len(want), len(got)))
        for i, ((gn, gt), (wn, wt)) in enumerate(zip(got, want)):
            if gn != wn or c_spelling(gt) != c_spelling(wt):
                problems.append("%s: parameter %d is %s, the header says %s" % (n, i + 1, typed(wt, wn), typed(gt, gn)))
        if " ".join(f["prototype"].split()) != declaration(f["returns"], n, f["params"]):
            problems.append("%s: prototype %r is not %r, what returns and params spell" % (
                n, f["prototype"], declaration(f["returns"], n, f["params"])))
    if problems:
        fail("%s against %s as libclang parses it:\n  %s" % (api_path, header, "\n  ".join(problems)))
    print("check-api: %d functions: return types, parameter names and types are those libclang (%s) parses "
          "from %s (%s), and each prototype is what they spell" % (
              len(funcs), os.path.basename(cindex.conf.get_filename()), header, " ".join(args)))


def check_prototypes(funcs, include, label, extra_flags=()):
    """The prototypes redeclare the header's functions without conflict, and
    "returns" and each parameter's "type" are exactly the types of the
    header's function (a function pointer type built from them must be
    compatible with the function's own)."""
    src = ["#define _GNU_SOURCE", "#include <liburing.h>", ""]
    for f in funcs:
        src.append(f["prototype"])
    for f in funcs:
        params = ", ".join(p["type"] for p in f["params"]) or "void"
        src.append("_Static_assert(__builtin_types_compatible_p(__typeof__(&%s), %s (*)(%s)), "
                   "\"api.json returns/params of %s\");" % (f["name"], f["returns"], params, f["name"]))
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, "api_protos.c")
        with open(c, "w") as fh:
            fh.write("\n".join(src) + "\n")
        cc = os.environ.get("CC", "cc")
        r = subprocess.run([cc, "-std=gnu11", "-fsyntax-only", "-Werror", "-I" + include] + list(extra_flags) + [c],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("api.json prototypes conflict with %s's header:\n%s" % (label, r.stderr[:4000]))
    print("check-api: %d prototypes of api.json compile against %s header (%s), and their returns and "
          "parameter types are the header's" % (len(funcs), label, include))


INTS = ("int", "unsigned", "unsigned int", "__u32", "uint32_t", "size_t", "unsigned short", "__u16", "int64_t",
        "socklen_t", "off_t")


# A pointer parameter directly followed by an integer named like a length
# (nr, nr_*, *_nr, len, *len, *_len, size, *_size, sz, count, nbytes,
# nentries) is an array or buffer annotation waiting to happen: it must be
# annotated (@array in its page) or listed here with the reason it is not.
LENGTH_NAME = re.compile(r"^(nr|nr_\w+|\w+_nr|len|\w+len|\w+_len|size|\w+_size|sz|count|nbytes|nentries)$")
HANDLES = ("struct io_uring *", "const struct io_uring *", "struct io_uring_sqe *", "struct io_uring_buf_ring *")
NOT_ARRAYS = {
    ("io_uring_prep_bind", "addr"): "a struct sockaddr of addrlen bytes: a byte length of a struct, which "
                                    "@array cannot say yet",
    ("io_uring_prep_connect", "addr"): "the same",
    ("io_uring_prep_sendto", "addr"): "the same",
    ("io_uring_prep_send_set_addr", "dest_addr"): "the same",
    ("io_uring_prep_getxattr", "path"): "a string; len is the size of value",
    ("io_uring_prep_provide_buffers", "addr"): "nr buffers of len bytes each",
    ("io_uring_prep_recv_multishot", "buf"): "a multishot receive takes its buffers from a buffer group: "
                                             "buf and len are NULL and 0",
    ("io_uring_prep_rw", "addr"): "what addr and len mean depends on the opcode",
    ("io_uring_prep_timeout", "ts"): "one timespec; count is a number of completions",
    ("io_uring_recvmsg_payload_length", "o"): "one struct in the buffer; buf_len is the buffer's size",
    ("io_uring_register", "arg"): "what arg and nr_args mean depends on the opcode",
    ("io_uring_register_probe", "p"): "one struct io_uring_probe; nr counts the operation slots inside it",
    ("io_uring_submit_and_wait_min_timeout", "cqe_ptr"): "the address of one CQE pointer; wait_nr counts "
                                                         "completions",
    ("io_uring_submit_and_wait_reg", "cqe_ptr"): "the same",
    ("io_uring_submit_and_wait_timeout", "cqe_ptr"): "the same",
    ("io_uring_wait_cqe_nr", "cqe_ptr"): "the same",
    ("io_uring_wait_cqes", "cqe_ptr"): "the same",
    ("io_uring_wait_cqes_min_timeout", "cqe_ptr"): "the same",
}


def check_lengths(funcs):
    """Every pointer-and-length pair is annotated or listed in NOT_ARRAYS."""
    problems, pairs, seen = [], 0, set()
    for f in funcs:
        ps = f["params"]
        annotated = {a["param"] for a in f["arrays"]}
        for p, q in zip(ps, ps[1:]):
            if not p["type"].endswith("*") or p["type"] in HANDLES:
                continue
            if q["type"] not in INTS or not LENGTH_NAME.match(q["name"]):
                continue
            pairs += 1
            key = (f["name"], p["name"])
            seen.add(key)
            if p["name"] not in annotated and key not in NOT_ARRAYS:
                problems.append("%s: %s %s is followed by %s %s but is no array: annotate it (@array %s %s %s) "
                                "or list it in NOT_ARRAYS with the reason" % (f["name"], p["type"], p["name"],
                                                                             q["type"], q["name"], f["name"],
                                                                             p["name"], q["name"]))
            elif p["name"] in annotated and key in NOT_ARRAYS:
                problems.append("%s: %s is annotated as an array and listed in NOT_ARRAYS" % key)
    for key in sorted(set(NOT_ARRAYS) - seen):
        problems.append("NOT_ARRAYS lists %s %s, which is no pointer-and-length pair" % key)
    if problems:
        fail("\n".join(problems))
    print("check-api: %d pointer-and-length pairs: %d annotated as arrays or buffers, %d listed as no array "
          "with the reason" % (pairs, pairs - len(NOT_ARRAYS), len(NOT_ARRAYS)))


def check_shapes(funcs):
    maps = {"liburing": manpages.version_nodes(os.path.join(TOP, "liburing.map")),
            "liburing-ffi": manpages.version_nodes(os.path.join(TOP, "liburing-ffi.map"))}
    problems = []
    names = [f["name"] for f in funcs]
    problems += ["%s is described %d times" % (n, names.count(n)) for n in sorted(set(names)) if names.count(n) > 1]
    for f in funcs:
        types = {p["name"]: p["type"] for p in f["params"]}
        named = [("array", a["param"]) for a in f["arrays"]] + [("array length", a["length"]) for a in f["arrays"]]
        named += [("out-parameter", o) for o in f["out_params"]]
        problems += ["%s: the %s annotation names %s, which is no parameter of %s" % (f["name"], what, p, f["name"])
                     for what, p in named if p not in types]
        for a in f["arrays"]:
            if a["param"] in types and not types[a["param"]].endswith("*"):
                problems.append("%s: array %s is not a pointer" % (f["name"], a["param"]))
            if a["length"] in types and types[a["length"]] not in INTS:
                problems.append("%s: length %s of %s is not an integer parameter" % (f["name"], a["length"],
                                                                                    a["param"]))
        for o in f["out_params"]:
            if o in types and (not types[o].endswith("*") or types[o].startswith("const ")):
                problems.append("%s: out-parameter %s is not a writable pointer" % (f["name"], o))
        if not manpages.kind_fits(f["return_kind"], f["returns"]):
            problems.append("%s: returns %s, which cannot be a %s" % (f["name"], f["returns"], f["return_kind"]))
        if not f["version"] or not f["version"].startswith("LIBURING_"):
            problems.append("%s: no version node" % f["name"])
        # one node per library, as that library's version script gives it
        want = {lib: maps[lib][f["name"]] for lib in maps if f["name"] in maps[lib]}
        if f.get("versions") != want:
            problems.append("%s: versions %r, the version scripts say %r" % (f["name"], f.get("versions"), want))
        if sorted(f["libraries"]) != sorted(want):
            problems.append("%s: libraries %r, the version scripts say %r" % (f["name"], f["libraries"], sorted(want)))
        if f["version"] != want.get("liburing", want.get("liburing-ffi")):
            problems.append("%s: version %s is neither its liburing.so.2 node nor, without one, its liburing-ffi "
                            "node" % (f["name"], f["version"]))
    if problems:
        fail("\n".join(problems))
    nboth = sum(1 for f in funcs if len(set(f["versions"].values())) == 2)
    print("check-api: arrays, out-parameters and version nodes of %d functions are consistent; per library, "
          "as the version scripts say (%d functions have one node in liburing.so.2 and another in "
          "liburing-ffi.so.2)" % (len(funcs), nboth))


def failing_calls(u, lib):
    """(name, kind, result) of calls that must fail, on a real ring where one is needed."""
    res = []
    ring = u.IoUring()
    rp = ctypes.byref(ring)

    def call(name, *args):
        return getattr(lib, name)(*args)

    res.append(("io_uring_queue_init", call("io_uring_queue_init", 0, rp, 0)))
    p = u.IoUringParams()
    res.append(("io_uring_queue_init_params", call("io_uring_queue_init_params", 0, rp, ctypes.byref(p))))
    res.append(("io_uring_mlock_size", call("io_uring_mlock_size", 0, 0)))
    res.append(("io_uring_memory_size", call("io_uring_memory_size", 0, 0)))
    res.append(("io_uring_check_version", call("io_uring_check_version", 99, 0)))
    ret = call("io_uring_queue_init", 8, rp, 0)
    if ret != 0:
        fail("io_uring_queue_init(8) = %d: cannot run the ring cases" % ret)
    try:
        cqe = u.cqe_p()
        res.append(("io_uring_peek_cqe", call("io_uring_peek_cqe", rp, ctypes.byref(cqe))))
        ts = u.KernelTimespec(0, 1000000)
        res.append(("io_uring_wait_cqe_timeout", call("io_uring_wait_cqe_timeout", rp, ctypes.byref(cqe),
                                                       ctypes.byref(ts))))
        res.append(("io_uring_peek_batch_cqe", call("io_uring_peek_batch_cqe", rp, u.cqe_array(8), 8)))
        res.append(("io_uring_cq_ready", call("io_uring_cq_ready", rp)))
        res.append(("io_uring_cq_has_overflow", call("io_uring_cq_has_overflow", rp)))
        res.append(("io_uring_unregister_files", call("io_uring_unregister_files", rp)))
        res.append(("io_uring_unregister_buffers", call("io_uring_unregister_buffers", rp)))
        res.append(("io_uring_unregister_eventfd", call("io_uring_unregister_eventfd", rp)))
        res.append(("io_uring_register_eventfd", call("io_uring_register_eventfd", rp, -1)))
        res.append(("io_uring_unregister_personality", call("io_uring_unregister_personality", rp, 9999)))
        res.append(("io_uring_enable_rings", call("io_uring_enable_rings", rp)))
        res.append(("io_uring_unregister_ring_fd", call("io_uring_unregister_ring_fd", rp)))
        bad = (ctypes.c_int * 1)(-5)
        res.append(("io_uring_register_files", call("io_uring_register_files", rp, bad, 1)))
        res.append(("io_uring_register_files_update", call("io_uring_register_files_update", rp, 0, bad, 1)))
        res.append(("io_uring_unregister_buf_ring", call("io_uring_unregister_buf_ring", rp, 4242)))
        err = ctypes.c_int(0)
        br = call("io_uring_setup_buf_ring", rp, 3, 1, 0, ctypes.byref(err))
        res.append(("io_uring_setup_buf_ring", br))
        res.append(("io_uring_setup_buf_ring err", err.value))
        probe = call("io_uring_get_probe_ring", rp)
        if probe:
            res.append(("io_uring_opcode_supported", call("io_uring_opcode_supported", probe, 255)))
            call("io_uring_free_probe", probe)
    finally:
        call("io_uring_queue_exit", rp)
    return res


def expect_failure(kind, value):
    if kind == "negative errno":
        return isinstance(value, int) and value < 0
    if kind == "pointer-or-NULL":
        return value is None or value == 0
    if kind == "count":
        return value == 0
    return True


# The booleans among the failing calls: what each must answer.
BOOLEANS = {
    "io_uring_check_version": True,  # true: the library is older than 99.0
    "io_uring_opcode_supported": False,
    "io_uring_cq_has_overflow": False,
}


def check_behaviour(u, api, lib_path, label, absent=()):
    lib = u.load(lib_path, absent=absent)
    results = failing_calls(u, lib)
    for name, value in results:
        base = name.split()[0]
        kind = api[base]["return_kind"] if " " not in name else "negative errno"
        if kind == "boolean" and bool(value) != BOOLEANS[base]:
            fail("%s on %s: %r, expected %r" % (name, label, value, BOOLEANS[base]))
        if not expect_failure(kind, value):
            fail("%s on %s: %r is not a failure of kind %s" % (name, label, value, kind))
    print("check-api: %d failing calls on %s return what their kind says" % (len(results), label))
    return results


def null_ring_sweep(u, api, lib_path):
    """Every ring function with a failure value, called with a NULL ring."""
    lib = u.load(lib_path, guard=False)
    n = 0
    bad = []
    for name, e in sorted(api.items()):
        if "liburing-ffi" not in e["libraries"] or not e["params"]:
            continue
        if e["params"][0]["type"] not in ("struct io_uring *", "const struct io_uring *"):
            continue
        kind = e["return_kind"]
        # (a boolean has no failure value: io_uring_cq_eventfd_enabled says true)
        if kind not in ("negative errno", "pointer-or-NULL", "count"):
            continue
        fn = getattr(lib, name)
        args = [None] + [None if t in (ctypes.c_void_p, ctypes.c_char_p) or hasattr(t, "contents") else 0
                         for t in fn.argtypes[1:]]
        r_fd, w_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r_fd)
            try:
                v = fn(*args)
                # a pointer restype gives None or a POINTER object, false when NULL
                v = int(v) if isinstance(v, (int, bool)) else int(bool(v))
                os.write(w_fd, str(int(v)).encode())
            finally:
                os._exit(0)
        os.close(w_fd)
        out = os.read(r_fd, 64).decode()
        os.close(r_fd)
        _, status = os.waitpid(pid, 0)
        n += 1
        if os.WIFSIGNALED(status) or not out:
            bad.append("%s(NULL, ...) crashed (signal %d)" % (name, os.WTERMSIG(status) if os.WIFSIGNALED(status)
                                                              else 0))
            continue
        v = int(out)
        ok = {"negative errno": v < 0, "pointer-or-NULL": v == 0, "count": v == 0}[kind]
        if not ok:
            bad.append("%s(NULL, ...) returned %d, not a %s failure" % (name, v, kind))
    if bad:
        fail("NULL-ring sweep on our library:\n  " + "\n  ".join(bad))
    print("check-api: %d ring functions called with a NULL ring on our library fail as their kind says" % n)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--schema":
        check_schema(sys.argv[2], json.load(open(sys.argv[2])))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--clang":
        check_clang(sys.argv[2], json.load(open(sys.argv[2]))["functions"], sys.argv[3])
        return
    if len(sys.argv) not in (3, 5):
        fail(__doc__)
    api_path, ours_inc = sys.argv[1], sys.argv[2]
    doc = json.load(open(api_path))
    check_schema(api_path, doc)
    funcs = doc["functions"]
    os.environ["LIBURING_API_JSON"] = os.path.abspath(api_path)
    check_prototypes(funcs, ours_inc, "our")
    check_clang(api_path, funcs, ours_inc)
    check_shapes(funcs)
    check_lengths(funcs)
    u = find_ctypes_module()
    api = u.api()
    ours = os.path.join(TOP, "build", "lib", "liburing-ffi.so.2")
    got = check_behaviour(u, api, ours, "our liburing-ffi")
    null_ring_sweep(u, api, ours)
    kinds = importlib.import_module("kinds")
    if kinds.report(*kinds.run(u, ours, "our liburing-ffi"), "our liburing-ffi"):
        sys.exit(1)
    if len(sys.argv) == 5:
        up_inc, up_so = sys.argv[3], sys.argv[4]
        check_prototypes(funcs, up_inc, "upstream 2.15's")
        # Upstream's liburing-ffi.so.2 lacks the documented extra
        # (io_uring_buf_ring_head), and only that.
        want = check_behaviour(u, api, up_so, "upstream liburing-ffi", absent=u.ffi_extra_symbols())
        if kinds.report(*kinds.run(u, up_so, "upstream liburing-ffi", absent=u.ffi_extra_symbols()),
                        "upstream liburing-ffi"):
            sys.exit(1)
        norm = lambda rs: [(n, (0 if v is None else v)) for n, v in rs]
        diff = [(a, b) for a, b in zip(norm(got), norm(want)) if a != b]
        if diff:
            fail("our results differ from upstream's: %s" % diff)
        print("check-api: the %d failing calls return the same values on both libraries" % len(got))
    else:
        print("check-api: SKIP upstream comparison: no upstream header/library given")


if __name__ == "__main__":
    main()
