#!/usr/bin/env python3
"""packaging/debian/liburing2.symbols, the dpkg symbols file of liburing2,
from the version scripts (liburing.map, liburing-ffi.map).

  symbols.py write           write it
  symbols.py check           fail when the committed file differs from what
                             the version scripts give (a symbol added to a
                             .map without the file, or the reverse)
  symbols.py check --plant   the check must fail on a copy of the file with
                             one symbol dropped and on one with a symbol's
                             version node changed

Each symbol's minimal version is the release its node names (io_uring_foo
in LIBURING_2.6 needs liburing2 >= 2.6): what a program built against this
header needs of whichever liburing2 it runs on. dpkg-gensymbols compares the
file with the built libraries at package build time (check level 4 in
debian/rules: a symbol new or missing fails the build).
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "docs", "man", "tools"))
from manpages import version_nodes  # noqa: E402

OUT = os.path.join(TOP, "packaging", "debian", "liburing2.symbols")
LIBRARIES = (("liburing.so.2", "liburing.map"), ("liburing-ffi.so.2", "liburing-ffi.map"))


def node_version(node):
    return node[len("LIBURING_"):]


def render(libraries=LIBRARIES):
    lines = []
    for soname, mapfile in libraries:
        path = os.path.join(TOP, mapfile)
        nodes = version_nodes(path)
        # Every node is a version definition the library exports, also one
        # that holds no symbol (liburing.so.2's LIBURING_2.7, for one).
        defined = re.findall(r"^(LIBURING_[\d.]+)\s*\{", open(path).read(), re.M)
        entries = ["%s@%s %s" % (n, n, node_version(n)) for n in defined]
        entries += ["%s@%s %s" % (sym, node, node_version(node)) for sym, node in nodes.items()]
        lines.append("%s liburing2 #MINVER#" % soname)
        lines.append("* Build-Depends-Package: liburing-dev")
        lines += [" " + e for e in sorted(entries)]
    return "\n".join(lines) + "\n"


def differences(expected, actual):
    want, have = set(expected.splitlines()), set(actual.splitlines())
    return ["missing: " + x.strip() for x in sorted(want - have)] + \
           ["not in the version scripts: " + x.strip() for x in sorted(have - want)]


def check(text):
    diff = differences(render(), text)
    for d in diff:
        print("symbols: " + d, file=sys.stderr)
    return not diff


def plant():
    good = open(OUT).read()
    lines = good.splitlines(keepends=True)
    sym = next(i for i, line in enumerate(lines) if line.startswith(" io_uring_get_sqe@"))
    dropped = "".join(lines[:sym] + lines[sym + 1:])
    renoded = good.replace(" io_uring_submit@LIBURING_2.0 2.0", " io_uring_submit@LIBURING_2.1 2.1", 1)
    caught = 0
    for what, text in (("io_uring_get_sqe dropped", dropped), ("io_uring_submit moved to LIBURING_2.1", renoded)):
        assert text != good, what
        if check(text):
            print("symbols: FAIL plant (%s) was not caught" % what)
        else:
            print("symbols: PASS plant caught: %s" % what)
            caught += 1
    return caught == 2


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "write":
        open(OUT, "w").write(render())
        print("symbols: wrote %s" % os.path.relpath(OUT, TOP))
    elif cmd == "check":
        if not check(open(OUT).read()):
            sys.exit("symbols: %s is not what the version scripts give; run packaging/symbols.py write"
                     % os.path.relpath(OUT, TOP))
        n = sum(1 for line in open(OUT) if line.startswith(" "))
        print("symbols: %s matches the version scripts (%d entries)" % (os.path.relpath(OUT, TOP), n))
        if "--plant" in sys.argv[2:] and not plant():
            sys.exit(1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
