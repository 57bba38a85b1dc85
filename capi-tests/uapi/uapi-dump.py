#!/usr/bin/env python3
"""Inventory of the io_uring uapi headers, for capi-tests/uapi/check-uapi.sh.

  uapi-dump.py gen  CC INCDIR HEADER...   > dump.c
      Reads the given headers (paths relative to INCDIR, e.g.
      liburing/io_uring.h), finds every object-like #define, every enum
      constant, every enum tag and every struct/union with all of its fields
      (anonymous members flattened, named nested members as a.b), and writes a
      C program that prints, one fact per line: each constant's value and C
      type, each aggregate's size and alignment, each field's offset, size and
      declared type, and which header defines it.  Running the program built
      against two header trees and diffing the sorted outputs compares them.

  uapi-dump.py compare-rust C_FACTS RUST_CONSTS RUST_LAYOUT
      Compares the facts printed by that program for OUR headers with the
      tables the Rust unit test sys::tests::uapi_tables_dump wrote: every C
      constant must exist in Rust with the same value; every Rust constant
      must exist in C unless listed in RUST_ONLY below; every C struct that
      Rust defines must have the same size, and every Rust field the same
      offset as the C field of that name (or of the alias in FIELD_ALIASES).

Only the standard library is used.  The parser understands the subset of C
that uapi headers use (no typedefs, no bitfields, no function declarations).
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from csplit import split_top_level  # noqa: E402

# ---------------------------------------------------------------------------
# Source parsing


def object_macros(path):
    """[(name, is_empty)] for every object-like #define in a header."""
    out = []
    text = open(path).read().replace("\\\n", " ")
    for line in text.splitlines():
        m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)(\(?)(.*)$", line)
        if not m:
            continue
        if m.group(2) == "(":
            raise SystemExit(f"{path}: function-like macro {m.group(1)} is not handled")
        body = re.sub(r"/\*.*?\*/", "", m.group(3)).split("//")[0].strip()
        out.append((m.group(1), body == ""))
    return out


def own_preprocessed_text(cc, incdir, headers):
    """Preprocess a TU including the headers; keep only their own lines,
    each tagged with the header it came from: [(header, text)]."""
    src = "".join(f"#include <{h}>\n" for h in headers)
    res = subprocess.run([cc, "-E", "-I", incdir, "-x", "c", "-"], input=src,
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"preprocessing failed:\n{res.stderr}")
    real = {os.path.realpath(os.path.join(incdir, h)): h for h in headers}
    chunks, cur = [], None
    for line in res.stdout.splitlines():
        m = re.match(r'#\s*\d+\s+"([^"]*)"', line)
        if m:
            cur = real.get(os.path.realpath(m.group(1))) if m.group(1)[0] != "<" else None
            continue
        if cur is not None and line.strip():
            chunks.append((cur, line))
    return chunks


TOKEN = re.compile(r"\s*(?:([A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*)|(\S))")


def tokenize(text):
    toks, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            break
        pos = m.end()
        toks.append(m.group(1) or m.group(2) or m.group(3))
    return toks


def strip_attributes(toks):
    """Drop __attribute__((...)) and __extension__."""
    out, i = [], 0
    while i < len(toks):
        if toks[i] in ("__attribute__", "__attribute"):
            i += 1
            depth = 0
            while i < len(toks):
                if toks[i] == "(":
                    depth += 1
                elif toks[i] == ")":
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                i += 1
            continue
        if toks[i] == "__extension__":
            i += 1
            continue
        out.append(toks[i])
        i += 1
    return out


class Parser:
    def __init__(self, tagged):
        # tokens carry the header they came from
        self.toks = []
        for hdr, line in tagged:
            for t in tokenize(line):
                self.toks.append((t, hdr))
        plain = strip_attributes([t for t, _ in self.toks])
        # re-attach headers after attribute stripping (walk both lists)
        hdrs, j = [], 0
        for t in plain:
            while self.toks[j][0] != t:
                j += 1
            hdrs.append(self.toks[j][1])
            j += 1
        self.toks = list(zip(plain, hdrs))
        self.i = 0
        self.aggregates = []  # (kind, tag, header, [(path, type, flex)])
        self.enum_tags = []  # (tag, header)
        self.enum_consts = []  # (name, header)

    def peek(self, k=0):
        return self.toks[self.i + k][0] if self.i + k < len(self.toks) else None

    def next(self):
        t = self.toks[self.i]
        self.i += 1
        return t[0]

    def expect(self, t):
        got = self.next()
        if got != t:
            raise SystemExit(f"parse error: expected {t!r}, got {got!r} near token {self.i}")

    def skip_balanced(self, open_, close):
        depth = 0
        while True:
            t = self.next()
            if t == open_:
                depth += 1
            elif t == close:
                depth -= 1
                if depth == 0:
                    return

    def run(self):
        while self.peek() is not None:
            t = self.peek()
            hdr = self.toks[self.i][1]
            if t in ("struct", "union") and self.peek(2) == "{":
                kind = self.next()
                tag = self.next()
                fields = self.body()
                self.expect(";")
                self.aggregates.append((kind, tag, hdr, fields))
            elif t == "enum" and (self.peek(1) == "{" or self.peek(2) == "{"):
                self.next()
                if self.peek() != "{":
                    self.enum_tags.append((self.next(), hdr))
                self.enum_body(hdr)
                self.expect(";")
            elif t == "extern" and self.peek(1) == '"':
                raise SystemExit("unexpected extern block in C preprocessing")
            else:
                raise SystemExit(f"unhandled top-level token {t!r} in {hdr}")

    def enum_body(self, hdr):
        self.expect("{")
        while True:
            t = self.next()
            if t == "}":
                return
            self.enum_consts.append((t, hdr))
            # skip "= expr" up to the next top-level comma or the closing brace
            depth = 0
            while True:
                t = self.peek()
                if t == "(":
                    depth += 1
                elif t == ")":
                    depth -= 1
                elif depth == 0 and t in (",", "}"):
                    break
                self.next()
            if self.peek() == ",":
                self.next()

    def body(self):
        """Parse '{ members }' and return [(path, type, flex)]."""
        self.expect("{")
        fields = []
        while self.peek() != "}":
            if self.peek() in ("struct", "union") and (self.peek(1) == "{" or self.peek(2) == "{"):
                self.next()
                if self.peek() != "{":
                    self.next()  # inner tag, unused
                inner = self.body()
                if self.peek() == ";":  # anonymous member: flatten
                    fields.extend(inner)
                else:
                    name = self.next()
                    fields.append((name, "<aggregate>", False))
                    fields.extend((f"{name}.{p}", ty, fl) for p, ty, fl in inner)
                self.expect(";")
                continue
            decl = []
            while self.peek() != ";":
                decl.append(self.next())
            self.expect(";")
            fields.extend(self.declarators(decl))
        self.expect("}")
        return fields

    @staticmethod
    def declarators(decl):
        # "type name[dims]" (possibly "type a, b") -> [(name, type, flex)]
        out = []
        parts = split_top_level(decl, "[", "]")
        first = parts[0]
        k = first.index("[") if "[" in first else len(first)
        base = first[: k - 1]
        for n, p in enumerate(parts):
            if n == 0:
                name, dims = first[k - 1], first[k:]
            else:
                k2 = p.index("[") if "[" in p else len(p)
                name, dims = p[k2 - 1], p[k2:]
            ty = " ".join(base) + "".join(dims)
            out.append((name, ty, dims == ["[", "]"]))
        return out


# ---------------------------------------------------------------------------
# C program generation

PRELUDE = r"""#include <stdio.h>
#include <stddef.h>
%(includes)s
#define TYPE_OF(x) _Generic((x), char: "char", signed char: "signed char", \
    unsigned char: "unsigned char", short: "short", unsigned short: "unsigned short", \
    int: "int", unsigned int: "unsigned int", long: "long", unsigned long: "unsigned long", \
    long long: "long long", unsigned long long: "unsigned long long", default: "?")
#define CONST(hdr, kind, name) do { \
    if ((name) > 0 || (name) == 0) \
        printf("%%s %%s = %%llu [%%s] in %%s\n", kind, #name, (unsigned long long)(name), TYPE_OF(name), hdr); \
    else \
        printf("%%s %%s = %%lld [%%s] in %%s\n", kind, #name, (long long)(name), TYPE_OF(name), hdr); \
} while (0)
int main(void)
{
"""


def gen(cc, incdir, headers):
    macros = []
    for h in headers:
        for name, empty in object_macros(os.path.join(incdir, h)):
            macros.append((name, empty, h))
    p = Parser(own_preprocessed_text(cc, incdir, headers))
    p.run()
    out = [PRELUDE % {"includes": "".join(f"#include <{h}>\n" for h in headers)}]
    for name, empty, h in macros:
        if empty:
            out.append(f'\tprintf("macro {name} (empty) in {h}\\n");\n')
        else:
            out.append(f'\tCONST("{h}", "macro", {name});\n')
    for name, h in p.enum_consts:
        out.append(f'\tCONST("{h}", "enumerator", {name});\n')
    for tag, h in p.enum_tags:
        out.append(f'\tprintf("enum {tag} size %zu in {h}\\n", sizeof(enum {tag}));\n')
    for kind, tag, h, fields in p.aggregates:
        t = f"{kind} {tag}"
        out.append(f'\tprintf("{t} size %zu align %zu in {h}\\n", sizeof({t}), _Alignof({t}));\n')
        for path, ty, flex in fields:
            size = "flexible" if flex else f"%zu"
            args = f"offsetof({t}, {path})"
            if not flex:
                args += f", sizeof(((({t} *)0)->{path}))"
            out.append(f'\tprintf("{t} .{path} offset %zu size {size} type {ty}\\n", {args});\n')
    out.append("\treturn 0;\n}\n")
    sys.stdout.write("".join(out))


# ---------------------------------------------------------------------------
# Rust comparison

# Rust constants that may be absent from the C headers, with the reason.
# (src/sys keeps liburing-private values such as LIBURING_UDATA_TIMEOUT out of
# its uapi tables altogether, so this is empty.)
RUST_ONLY = {}
# Rust fields that stand for a C union (or an anonymous member) under another name.
FIELD_ALIASES = {
    ("io_uring_sqe", "op_flags"): "rw_flags",
    ("io_uring_restriction", "op"): "register_op",
    ("io_uring_bpf_ctx", "args"): "socket",
}
# C structs that src/sys does not mirror, with the reason (none).
C_ONLY_STRUCTS = {}


def compare_rust(c_facts, rust_consts, rust_layout):
    errors = []
    c_vals, c_sizes, c_offsets = {}, {}, {}
    for line in open(c_facts):
        m = re.match(r"(macro|enumerator) (\w+) = (-?\d+) ", line)
        if m:
            c_vals[m.group(2)] = int(m.group(3))
            continue
        m = re.match(r"(?:struct|union) (\w+) size (\d+) ", line)
        if m:
            c_sizes[m.group(1)] = int(m.group(2))
            continue
        m = re.match(r"(?:struct|union) (\w+) \.([\w.]+) offset (\d+) ", line)
        if m:
            c_offsets[(m.group(1), m.group(2))] = int(m.group(3))
    r_vals = {}
    for line in open(rust_consts):
        name, val = line.split()
        if name in r_vals:
            errors.append(f"Rust constant {name} listed twice")
        r_vals[name] = int(val)
    for name, val in sorted(c_vals.items()):
        if name not in r_vals:
            errors.append(f"C constant {name} = {val} has no Rust counterpart")
        elif r_vals[name] != val:
            errors.append(f"{name}: C says {val}, Rust says {r_vals[name]}")
    for name in sorted(set(r_vals) - set(c_vals)):
        if name not in RUST_ONLY:
            errors.append(f"Rust constant {name} is not in the C headers")
    r_sizes, r_offsets = {}, {}
    for line in open(rust_layout):
        parts = line.split()
        if parts[0] == "struct":
            r_sizes[parts[1]] = int(parts[2])
        else:
            r_offsets[(parts[1], parts[2])] = int(parts[3])
    for s, size in sorted(c_sizes.items()):
        if s not in r_sizes:
            if s not in C_ONLY_STRUCTS:
                errors.append(f"C struct {s} has no Rust counterpart in src/sys")
        elif r_sizes[s] != size:
            errors.append(f"struct {s}: C size {size}, Rust size {r_sizes[s]}")
    for (s, f), off in sorted(r_offsets.items()):
        if s not in c_sizes:
            continue  # liburing.h structs checked by their own assert_layout!
        cf = FIELD_ALIASES.get((s, f), f)
        if (s, cf) not in c_offsets:
            errors.append(f"Rust field {s}.{f} has no C field {cf}")
        elif c_offsets[(s, cf)] != off:
            errors.append(f"{s}.{f}: C offset {c_offsets[(s, cf)]}, Rust offset {off}")
    n_fields = sum(1 for (s, _) in r_offsets if s in c_sizes)
    for e in errors:
        print("MISMATCH:", e)
    print(f"rust-vs-c: {len(c_vals)} C constants, {len(r_vals)} Rust constants, "
          f"{len(c_sizes)} C aggregates, {len(r_sizes)} Rust layouts, {n_fields} Rust fields checked, "
          f"{len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "compare-rust":
        sys.exit(compare_rust(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
