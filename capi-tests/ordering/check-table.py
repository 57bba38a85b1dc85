#!/usr/bin/env python3
"""docs/ORDERING.md against the code: every access to memory shared with the
kernel, extracted from the Rust core and from the inline code of our C header,
must have its row in the table with the same ordering, and every row must
still match an access in the code.

    check-table.py [--root DIR] [--table FILE]   check (exit 1 on a mismatch)
    check-table.py --list                         the extracted accesses
    check-table.py --plants                       JSON: one plant per Rust
                                                  acquire/release/fence, with
                                                  the scenarios its row names

What counts as an access (the extraction rules, kept deliberately literal):
- Rust (RUST_FILES): every `.load(Ordering::X)`, `.store(.., Ordering::X)`,
  `.fetch_*(.., Ordering::X)` and `fence(Ordering::X)` outside `#[cfg(test)]`
  modules, its target found from the `atomic_u32(..)`/`atomic_u16(..)` cast it
  is applied to (directly or through a `let`); plain reads of the buffer-ring
  tail (`read_app_u16`); CQE fields read through a CQE pointer (`(*cqe).f`);
  SQE fields written by `initialize_sqe`; buffer fields written with
  `addr_of_mut!((*buf).f).write`; SQ array entries (`sq.array.add(..) =`).
- C (include/liburing.h): every io_uring_smp_load_acquire,
  io_uring_smp_store_release, IO_URING_READ_ONCE, IO_URING_WRITE_ONCE and
  io_uring_smp_mb; plain reads/writes of `*ring->sq.kX`/`*ring->cq.kX` and
  `br->tail`; CQE fields read through `cqe->f`.
A header row that says "as Rn" is the same handshake as Rust row Rn, which
the model checks: when Rn is acquire, release or seq_cst, the header row must
say the same. The scenario column names src/tests/ordering.rs scenarios in
Rust rows and herd7 litmus tests (litmus.py --names) in header rows; every
acquire, release or seq_cst row must name one.
SQE field writes of the prep helpers (src/prep.rs, io_uring_prep_* in the
header) are one class, in the slots get_sqe handed out, all before the
publishing tail store: the table has one row for them, not one per field.
"""
import json
import os
import re
import sys

RUST_FILES = ["src/ring.rs", "src/buf_ring.rs", "src/submit.rs", "src/complete.rs",
              "src/cq_iter.rs", "src/setup.rs", "src/register.rs"]
C_FILES = ["include/liburing.h"]
ORDER_NAMES = {"Relaxed": "relaxed", "Acquire": "acquire", "Release": "release",
               "AcqRel": "acq_rel", "SeqCst": "seq_cst"}


class Access:
    def __init__(self, file, func, what, access, ordering, line, op=None):
        self.file, self.func, self.what, self.access = file, func, what, access
        self.ordering, self.line, self.op = ordering, line, op

    def key(self):
        return (self.file, self.func, self.what, self.access, self.ordering)

    def __repr__(self):
        return f"{self.file}:{self.line} {self.func} {self.what} {self.access} {self.ordering}"


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def matching_paren(text, open_pos):
    depth = 0
    for i in range(open_pos, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parentheses")


def norm_target(expr):
    expr = expr.strip()
    m = re.search(r"addr_of(?:_mut)?!\(\(\*(\w+)\)\.(\w+)\)", expr)
    if m:
        return f"{m.group(1)}.{m.group(2)}"
    expr = re.sub(r"^(self|ring)\.", "", expr)
    return expr


def rust_code(text):
    """The text without `#[cfg(test)]` modules (cut at the first one)."""
    m = re.search(r"^#\[cfg\(test\)\]\s*\nmod ", text, re.M)
    return text[: m.start()] if m else text


def rust_func_at(text, pos):
    name = "?"
    for m in re.finditer(r"\bfn\s+(\w+)", text[:pos]):
        name = m.group(1)
    return name


def rust_fn_body(text, pos):
    start = 0
    for m in re.finditer(r"\bfn\s+\w+", text[:pos]):
        start = m.start()
    return text[start:pos]


def extract_rust(root):
    out = []
    for f in RUST_FILES:
        path = os.path.join(root, f)
        text = rust_code(open(path).read())
        # Atomic operations.
        for m in re.finditer(r"(\.(load|store|fetch_\w+)\(|\bfence\()", text):
            op = m.group(2) or "fence"
            open_pos = m.end() - 1
            close = matching_paren(text, open_pos)
            args = text[open_pos + 1: close]
            orders = re.findall(r"Ordering::(\w+)", args)
            if not orders:
                continue
            # The ordering of this call is its last argument's (a nested
            # load inside a store's value has its own match).
            inner = re.sub(r"\.(load|store|fetch_\w+)\((?:[^()]|\([^()]*\))*\)", "", args)
            own = re.findall(r"Ordering::(\w+)", inner)
            ordering = ORDER_NAMES[(own or orders)[-1]]
            func = rust_func_at(text, m.start())
            line = line_of(text, m.start())
            if op == "fence":
                out.append(Access(f, func, "fence", "fence", ordering, line, "fence"))
                continue
            before = text[:m.start()]
            target = None
            d = re.search(r"atomic_u(?:16|32)\(((?:[^()]|\([^()]*(?:\([^()]*\))*[^()]*\))*)\)\s*\}?\s*$", before)
            if d:
                target = norm_target(d.group(1))
            else:
                r = re.search(r"(\w+)\s*$", before)
                var = r.group(1) if r else None
                body = rust_fn_body(text, m.start())
                lets = re.findall(r"let\s+(?:mut\s+)?" + re.escape(var or "@") +
                                  r"\s*=\s*unsafe\s*\{\s*atomic_u(?:16|32)\((.*?)\)\s*\}", body)
                if lets:
                    target = norm_target(lets[-1])
            if target is None:
                continue  # not an atomic on kernel-shared memory
            access = {"load": "load", "store": "store"}.get(op, "rmw")
            out.append(Access(f, func, target, access, ordering, line, access))
        # Plain accesses.
        for m in re.finditer(r"read_app_u16\((.*?)\)\s*\}", text):
            out.append(Access(f, rust_func_at(text, m.start()), norm_target(m.group(1)), "read", "plain",
                              line_of(text, m.start())))
        for m in re.finditer(r"\(\*cqe\)\.(\w+)", text):
            out.append(Access(f, rust_func_at(text, m.start()), "CQE", "read", "plain", line_of(text, m.start())))
        for m in re.finditer(r"addr_of_mut!\(\(\*buf\)\.(\w+)\)\.write\(", text):
            out.append(Access(f, rust_func_at(text, m.start()), "buffer", "write", "plain", line_of(text, m.start())))
        for m in re.finditer(r"sq\.array\.add\([^)]*\)\s*=", text):
            out.append(Access(f, rust_func_at(text, m.start()), "sq.array", "write", "plain", line_of(text, m.start())))
        for m in re.finditer(r"^\s*sqe\.\w+(?:\[\d+\])?\s*=", text, re.M):
            func = rust_func_at(text, m.start())
            if func == "initialize_sqe":
                out.append(Access(f, func, "SQE", "write", "plain", line_of(text, m.start())))
    return out


def c_func_at(text, pos):
    name, at = "?", -1
    for m in re.finditer(r"^(?:IOURINGINLINE|_LOCAL_INLINE)\b[^(;{]*?\b(\w+)\s*\(", text[:pos], re.S | re.M):
        name, at = m.group(1), m.start()
    for m in re.finditer(r"^#define\s+(\w+)", text[:pos], re.M):
        if m.start() > at:
            name, at = m.group(1), m.start()
    return name


def strip_c_comments(text):
    # Keep line numbers: replace comment characters, not newlines.
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def extract_c(root):
    out = []
    for f in C_FILES:
        text = strip_c_comments(open(os.path.join(root, f)).read())
        spans = []
        macros = [("io_uring_smp_load_acquire", "load", "acquire"),
                  ("io_uring_smp_store_release", "store", "release"),
                  ("IO_URING_READ_ONCE", "load", "relaxed"),
                  ("IO_URING_WRITE_ONCE", "store", "relaxed")]
        for name, access, ordering in macros:
            for m in re.finditer(r"\b" + name + r"\(", text):
                if text[:m.start()].rstrip().endswith("#define"):
                    continue
                close = matching_paren(text, m.end() - 1)
                args = text[m.end(): close]
                target = args.split(",")[0] if access == "store" else args
                target = target.strip().lstrip("&*").strip()
                target = re.sub(r"^ring->", "", target).replace("->", ".")
                out.append(Access(f, c_func_at(text, m.start()), target, access, ordering, line_of(text, m.start())))
                spans.append((m.start(), m.end() + len(target) + 4))
        for m in re.finditer(r"\bio_uring_smp_mb\(\)", text):
            out.append(Access(f, c_func_at(text, m.start()), "fence", "fence", "seq_cst", line_of(text, m.start())))

        def in_macro(pos):
            return any(a <= pos < b for a, b in spans)

        for m in re.finditer(r"\*ring->((?:sq|cq)\.k\w+)(\s*=(?!=))?", text):
            if in_macro(m.start()):
                continue
            access = "write" if m.group(2) else "read"
            out.append(Access(f, c_func_at(text, m.start()), m.group(1), access, "plain", line_of(text, m.start())))
        for m in re.finditer(r"(?<![&\w])br->tail(\s*=(?!=))?", text):
            if in_macro(m.start()):
                continue
            access = "write" if m.group(1) else "read"
            out.append(Access(f, c_func_at(text, m.start()), "br.tail", access, "plain", line_of(text, m.start())))
        for m in re.finditer(r"\bcqe->(\w+)", text):
            out.append(Access(f, c_func_at(text, m.start()), "CQE", "read", "plain", line_of(text, m.start())))
    return out


ROW = re.compile(r"^\|\s*(R|C)(\d+)\s*\|(.*)\|\s*$")


def parse_table(path):
    rows = []
    for n, line in enumerate(open(path), 1):
        m = ROW.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m.group(3).split("|")]
        where, what, access, ordering, pairs, scenario = cells[:6]
        w = re.match(r"`([^`]+)`\s+`([^`]+)`", where)
        if not w:
            raise SystemExit(f"{path}:{n}: the 'where' cell must be `file` `function`")
        rows.append({"id": m.group(1) + m.group(2), "file": w.group(1), "func": w.group(2),
                     "what": what.strip("`"), "access": access, "ordering": ordering,
                     "pairs": pairs, "scenario": scenario, "line": n})
    return rows


def scenarios(root):
    text = open(os.path.join(root, "src/tests/ordering.rs")).read()
    return set(re.findall(r'^\s*\("(\w+)",', text, re.M))


def litmus_names(root):
    """The herd7 tests litmus.py generates from this root's header."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "ordering_litmus", os.path.join(os.path.dirname(os.path.abspath(__file__)), "litmus.py"))
    lm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lm)
    return {t["name"] for t in lm.tests(root)}


def main():
    args = sys.argv[1:]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    table = None
    if "--root" in args:
        root = args[args.index("--root") + 1]
    if "--table" in args:
        table = args[args.index("--table") + 1]
    table = table or os.path.join(root, "docs/ORDERING.md")
    code = extract_rust(root) + extract_c(root)
    if "--list" in args:
        for a in code:
            print(a)
        return 0
    rows = parse_table(table)
    known = scenarios(root)
    by_key = {}
    for r in rows:
        by_key.setdefault((r["file"], r["func"], r["what"], r["access"], r["ordering"]), r)
    errors = []
    seen = set()
    for a in code:
        k = a.key()
        if k in by_key:
            seen.add(k)
            continue
        other = [r for r in rows if (r["file"], r["func"], r["what"], r["access"]) == k[:4]]
        if other:
            errors.append(f"{a.file}:{a.line}: {a.func}: {a.what} {a.access} is {a.ordering} in the code, "
                          f"{other[0]['ordering']} in the table ({other[0]['id']})")
        else:
            errors.append(f"{a.file}:{a.line}: {a.func}: {a.what} {a.access} {a.ordering}: not in the table")
    for k, r in by_key.items():
        if k not in seen:
            errors.append(f"{table}:{r['line']}: row {r['id']} ({r['func']} {r['what']} {r['access']} "
                          f"{r['ordering']}) matches no access in the code")
    try:
        litmus = litmus_names(root)
    except SystemExit as e:
        errors.append(f"the header's litmus tests cannot be generated: {e}")
        litmus = set()
    for r in rows:
        names = re.findall(r"`(\w+)`", r["scenario"])
        for s in names:
            if r["id"].startswith("R") and s not in known:
                errors.append(f"{table}:{r['line']}: row {r['id']}: no scenario {s} in src/tests/ordering.rs")
            if r["id"].startswith("C") and s not in litmus:
                errors.append(f"{table}:{r['line']}: row {r['id']}: no litmus test {s} (litmus.py --names)")
        if r["ordering"] in ("acquire", "release", "seq_cst") and not names:
            errors.append(f"{table}:{r['line']}: row {r['id']}: an ordered access with no scenario")
    # The header's handshakes are model-checked through their Rust twins: a
    # C row "as Rn" must keep Rn's ordering when Rn is ordered.
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        m = re.match(r"as (R\d+)", r["pairs"])
        if r["id"].startswith("C") and m and m.group(1) in by_id:
            twin = by_id[m.group(1)]
            if twin["ordering"] in ("acquire", "release", "seq_cst") and r["ordering"] != twin["ordering"]:
                errors.append(f"{table}:{r['line']}: row {r['id']} ({r['func']}) is {r['ordering']} where its Rust "
                              f"twin {twin['id']} ({twin['func']}, model-checked) is {twin['ordering']}")
    if "--plants" in args:
        plants = []
        for a in code:
            if a.file.endswith(".rs") and a.ordering in ("acquire", "release", "seq_cst", "acq_rel"):
                r = by_key.get(a.key())
                names = re.findall(r"`(\w+)`", r["scenario"]) if r else []
                plants.append({"id": r["id"] if r else "?", "site": f"{a.file}:{a.line}:{a.op}",
                               "what": f"{a.func}: {a.what} {a.access} {a.ordering}", "scenarios": names})
        print(json.dumps(plants, indent=1))
        return 1 if errors else 0
    for e in errors:
        print("ORDERING TABLE:", e)
    n_r = sum(1 for a in code if a.file.endswith(".rs"))
    print(f"check-table: {len(code)} accesses extracted ({n_r} Rust, {len(code) - n_r} C header), "
          f"{len(rows)} table rows, {len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
