#!/usr/bin/env python3
"""What a liburing source tree has that this project lacks (issue 24, part 6).

  delta.py TREE              print the list; exit 0 (a report, whatever it holds)
  delta.py --expect-empty TREE
                             exit 1 unless the list is empty (make test-upstream-delta
                             on upstream 2.15)
  delta.py --control TREE    planted regressions on a throw-away copy of TREE: a
                             symbol at a new version node, an inline helper, an
                             io_uring.h name, a man page and a test, each of which
                             must be listed

TREE is an unpacked liburing source tree (upstream's git checkout, a release
tarball, Debian's source package). Compared, each by name:

  symbols         every name@@NODE of TREE's src/liburing.map and
                  src/liburing-ffi.map that our liburing.map / liburing-ffi.map
                  do not have at that node, grouped by node;
  header          every function src/include/liburing.h declares or defines
                  (io_uring_* and __io_uring_*) that our include/liburing.h and
                  include/liburing/liburing-api.h do not;
  io_uring.h      every #define, enum constant and struct/union/enum tag of
                  src/include/liburing/io_uring.h and io_uring/*.h that ours lack;
  man pages       every file name of TREE's man/ that `make man` does not
                  produce (docs/man/tools/manpages.py list);
  tests           every test of TREE's test/Makefile (test_srcs) that
                  capi-tests/upstream/expectations.txt does not judge, and every
                  BPF test (bpf_test_srcs, built only with a BPF toolchain and not
                  run here) that upstream 2.15 did not have.

Only the standard library; names are read from the text, nothing is compiled,
so an unconfigured tree works.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

_spec = importlib.util.spec_from_file_location("compat_doc", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                                          "compat-doc.py"))
COMPAT = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(COMPAT)

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KNOWN_BPF_TESTS = {"bpf_nops.t", "bpf_cp.t"}  # upstream 2.15's; not run here


def map_symbols(path):
    """{name: node} of a GNU ld version script's global names (compat-doc.py's
    parser, the one the upstream-suite documents use)."""
    return COMPAT.parse_map(path)


def header_functions(*paths):
    """io_uring_* / __io_uring_* functions a header declares or defines: at
    brace depth 0, outside comments and preprocessor lines, the first such
    name followed by "(" in each declaration."""
    names = set()
    for path in paths:
        text = re.sub(r"/\*.*?\*/", " ", open(path).read(), flags=re.S)
        text = re.sub(r"//[^\n]*", " ", text)
        text = re.sub(r"\\\n", " ", text)
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        # C++'s extern "C" { ... } wraps the whole header: not a body
        text = re.sub(r'extern\s+"C"\s*\{', " ", text)
        top, depth = [], 0
        for c in text:
            if c == "{":
                depth += 1
                if depth == 1:
                    top.append(";")
            elif c == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                top.append(c)
        for decl in "".join(top).split(";"):
            m = re.search(r"\b((?:__)?io_uring_\w+)\s*\(", decl)
            if m:
                names.add(m.group(1))
    return names


def uapi_names(incdir):
    """#define names, enum constants and tags of liburing/io_uring.h and
    liburing/io_uring/*.h under INCDIR."""
    paths = [os.path.join(incdir, "liburing", "io_uring.h")]
    sub = os.path.join(incdir, "liburing", "io_uring")
    if os.path.isdir(sub):
        paths += [os.path.join(sub, f) for f in sorted(os.listdir(sub)) if f.endswith(".h")]
    names = set()
    for path in paths:
        text = re.sub(r"/\*.*?\*/", " ", open(path).read(), flags=re.S)
        text = re.sub(r"//[^\n]*", " ", text)
        for m in re.finditer(r"^\s*#\s*define\s+([A-Za-z_]\w*)", text, flags=re.M):
            names.add(m.group(1))
        for m in re.finditer(r"\b(?:struct|union|enum)\s+([A-Za-z_]\w*)\s*\{", text):
            names.add(m.group(1))
        for m in re.finditer(r"\benum\b[^{;]*\{(.*?)\}", text, flags=re.S):
            for item in m.group(1).split(","):
                w = re.match(r"\s*([A-Za-z_]\w*)", item)
                if w:
                    names.add(w.group(1))
    # include guards say nothing about the API
    return {n for n in names if not re.match(r"^_*LINUX_IO_URING|^LIBURING_IO_URING|_H$|_H_$", n)}


def our_man_pages():
    out = subprocess.run([sys.executable, os.path.join(TOP, "docs", "man", "tools", "manpages.py"), "list"],
                         capture_output=True, text=True, check=True).stdout
    return {os.path.basename(line) for line in out.split()}


def make_tests(tree):
    """(test_srcs, bpf_test_srcs) of TREE's test/Makefile, as NAME.t."""
    mk = open(os.path.join(tree, "test", "Makefile")).read().replace("\\\n", " ")
    tests, bpf = set(), set()
    for var, rest in re.findall(r"^\s*(test_srcs|bpf_test_srcs)\s*(?::=|\+=|=)\s*(.*)$", mk, flags=re.M):
        for w in rest.split():
            if w.endswith((".c", ".cc")):
                (bpf if var == "bpf_test_srcs" else tests).add(re.sub(r"\.cc?$", ".t", w))
    return tests, bpf


def judged_tests():
    """The tests expectations.txt names, as the judge reads it (compat-doc.py's reading: judge.py's)."""
    return set(COMPAT.read_expectations())


def delta(tree):
    """[(section, [lines])] of what TREE has and we lack."""
    out = []
    for label, theirs, ours in (("symbols of liburing.so.2", "liburing.map", "liburing.map"),
                                ("symbols of liburing-ffi.so.2", "liburing-ffi.map", "liburing-ffi.map")):
        t = map_symbols(os.path.join(tree, "src", theirs))
        o = map_symbols(os.path.join(TOP, ours))
        by_node = {}
        for name, node in t.items():
            if o.get(name) != node:
                extra = " (ours: %s)" % o[name] if name in o else ""
                by_node.setdefault(node, []).append(name + extra)
        out.append((label, ["%s: %s" % (node, ", ".join(sorted(ns))) for node, ns in sorted(by_node.items())]))
    theirs = header_functions(os.path.join(tree, "src", "include", "liburing.h"))
    ours = header_functions(os.path.join(TOP, "include", "liburing.h"),
                            os.path.join(TOP, "include", "liburing", "liburing-api.h"))
    out.append(("functions of liburing.h", sorted(theirs - ours)))
    out.append(("names of liburing/io_uring.h",
                sorted(uapi_names(os.path.join(tree, "src", "include")) - uapi_names(os.path.join(TOP, "include")))))
    out.append(("man pages", sorted(set(os.listdir(os.path.join(tree, "man"))) - our_man_pages())))
    tests, bpf = make_tests(tree)
    out.append(("tests", sorted(tests - judged_tests())
                + ["%s (BPF, not run here)" % t for t in sorted(bpf - KNOWN_BPF_TESTS)]))
    return out


def report(tree):
    d = delta(tree)
    n = sum(len(lines) for _, lines in d)
    print("upstream-delta: %s" % tree)
    for label, lines in d:
        for line in lines:
            print("  %s: %s" % (label, line))
    if n:
        print("upstream-delta: %d lines: what that tree has and liburing-rs lacks" % n)
    else:
        print("upstream-delta: empty: that tree has no symbol, header function, io_uring.h name, man page "
              "or test that liburing-rs lacks")
    return n


def control(tree):
    """Plant one of each kind into a copy of TREE; each must be listed."""
    work = tempfile.mkdtemp()
    try:
        copy = os.path.join(work, "tree")
        os.makedirs(copy)
        for d in ("src", "man", "test"):
            shutil.copytree(os.path.join(tree, d), os.path.join(copy, d), symlinks=True)
        with open(os.path.join(copy, "src", "liburing-ffi.map"), "a") as fh:
            fh.write("\nLIBURING_2.99 {\n\tglobal:\n\t\tio_uring_prep_planted;\n} LIBURING_2.15;\n")
        h = os.path.join(copy, "src", "include", "liburing.h")
        text = open(h).read()
        anchor = "IOURINGINLINE void io_uring_prep_nop(struct io_uring_sqe *sqe)"
        if anchor not in text:
            print("upstream-delta control: FAIL: no %r in %s to plant next to" % (anchor, h))
            return 1
        text = text.replace(anchor, "IOURINGINLINE void io_uring_prep_planted(struct io_uring_sqe *sqe)\n"
                                    "{\n\tio_uring_prep_nop(sqe);\n}\n\n" + anchor, 1)
        open(h, "w").write(text)
        with open(os.path.join(copy, "src", "include", "liburing", "io_uring.h"), "a") as fh:
            fh.write("\n#define IORING_PLANTED_FLAG\t(1U << 31)\n")
        open(os.path.join(copy, "man", "io_uring_prep_planted.3"), "w").write(".so man3/io_uring_prep_nop.3\n")
        mk = os.path.join(copy, "test", "Makefile")
        text = re.sub(r"^(\s*test_srcs\s*:=\s*\\)$", r"\1\n\tplanted-test.c \\", open(mk).read(), count=1, flags=re.M)
        open(mk, "w").write(text)
        want = {"symbols of liburing-ffi.so.2": "LIBURING_2.99: io_uring_prep_planted",
                "functions of liburing.h": "io_uring_prep_planted",
                "names of liburing/io_uring.h": "IORING_PLANTED_FLAG",
                "man pages": "io_uring_prep_planted.3",
                "tests": "planted-test.t"}
        got = dict(delta(copy))
        bad = 0
        for label, lines in got.items():
            if label not in want and lines:
                print("upstream-delta control: FAIL: nothing planted in %s, listed %r" % (label, lines))
                bad = 1
        for label, line in want.items():
            if got.get(label) == [line]:
                print("upstream-delta control: planted %s %r: listed" % (label, line))
            else:
                print("upstream-delta control: FAIL: planted %s %r, listed %r" % (label, line, got.get(label)))
                bad = 1
        if not bad:
            print("upstream-delta control: %d planted additions, %d listed, nothing else" % (len(want), len(want)))
        return bad
    finally:
        shutil.rmtree(work)


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--control":
        return control(args[1])
    if len(args) == 2 and args[0] == "--expect-empty":
        return 1 if report(args[1]) else 0
    if len(args) == 1 and not args[0].startswith("-"):
        report(args[0])
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
