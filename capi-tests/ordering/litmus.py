#!/usr/bin/env python3
"""herd7 litmus tests of the C header's handshakes with the kernel, generated
from the header, and their planted regressions (docs/ORDERING.md, "The C
header under herd7").

    litmus.py --write DIR     write DIR/real/*.litmus (the header as it is) and
                              DIR/plant/*.litmus (each acquire/release of the
                              header weakened to relaxed); print the tests as
                              JSON
    litmus.py --judge FILE    read herd7's output for both directories (one
                              file, the real run then the plant run, as
                              herd.sh writes it) and give the verdicts
    litmus.py --names         the test names, one a line (check-table.py
                              checks the C rows' scenario column against them)
    --root DIR                (with any of them) the header of DIR instead
                              of this tree's

The application's side of every test comes from include/liburing.h: the
ordering of its access to the shared word is the one check-table.py's
extraction (extract_c) finds in the header, one test per header function
with an atomic access to the handshake's word (a header weakened to relaxed
gets a test with relaxed, which fails); an acquire or release access of the
header that belongs to no handshake below is an error, as is a handshake
whose atomic access the header no longer has. The data accesses the ordering
protects (CQE reads, buffer writes) are taken from the header too, where the
extraction sees them. The kernel's side is written here from what the kernel
does, each with the kernel function named.

Memory model: herd7's rc11.cat (Lahav et al., PLDI 2017, repaired C11). A
test passes when its forbidden outcome is "Never" and no execution has a data
race (rc11.cat's Dr: an unordered pair of plain accesses, undefined
behaviour in C11, which herd7 reports as "Flag *undef*"). A plant is caught
when herd7 reports the forbidden outcome reachable ("Sometimes") or the race.
"""
import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MEMORY_ORDER = {"acquire": "memory_order_acquire", "release": "memory_order_release",
                "relaxed": "memory_order_relaxed", "seq_cst": "memory_order_seq_cst"}


def check_table():
    spec = importlib.util.spec_from_file_location("check_table", os.path.join(HERE, "check-table.py"))
    ct = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ct)
    return ct


def app_load(var, order, reg):
    if order == "plain":
        return f"int {reg} = *{var};"
    return f"int {reg} = atomic_load_explicit({var}, {MEMORY_ORDER[order]});"


def app_store(var, value, order):
    if order == "plain":
        return f"*{var} = {value};"
    return f"atomic_store_explicit({var}, {value}, {MEMORY_ORDER[order]});"


# Each handshake: the header's shared word and access it is about, the
# scenario it checks, and a template whose {APP} is the application's thread,
# built by app(order, data) from the header's ordering of that access and the
# header's ordering of the data accesses (data: "plain" or "relaxed").
def cqe_publication(order, data):
    app = "\n".join([
        "  int r1 = 0;",
        "  int r2 = 0;",
        "  " + app_load("ktail", order, "r0"),
        "  if (r0 == 1) {",
        "    /* the CQE's fields, read below the tail it loaded */",
        "    " + app_load("cqe_user_data", data, "x1"),
        "    " + app_load("cqe_res", data, "x2"),
        "    r1 = x1;",
        "    r2 = x2;",
        "  }",
    ])
    return f"""
/* The kernel: io_fill_cqe_req / io_get_cqe (io_uring.h) write the CQE in the
   slot below the tail, then io_commit_cqring (io_uring.h) publishes it with
   smp_store_release of rings->cq.tail. */
P0(atomic_int *ktail, {data_t(data)} *cqe_user_data, {data_t(data)} *cqe_res) {{
  {kernel_store("cqe_user_data", 7, data)}
  {kernel_store("cqe_res", 1, data)}
  atomic_store_explicit(ktail, 1, memory_order_release);
}}

/* The application: the header's load of the CQ tail, then the CQE. */
P1(atomic_int *ktail, {data_t(data)} *cqe_user_data, {data_t(data)} *cqe_res) {{
{app}
}}

exists (1:r0=1 /\\ (1:r1=0 \\/ 1:r2=0))
"""


def cq_head_release(order, data):
    app = "\n".join([
        "  /* the CQE in slot 0, read before the head moves past it */",
        "  " + app_load("cqe_user_data", data, "r0"),
        "  " + app_store("khead", 1, order),
    ])
    return f"""
/* The application: reads the CQE, then the header's store of the CQ head. */
P0(atomic_int *khead, {data_t(data)} *cqe_user_data) {{
{app}
}}

/* The kernel: io_cqe_cache_refill (io_uring.c) reads rings->cq.head
   (READ_ONCE; the control dependency orders its later stores, which C11 does
   not have: modelled as an acquire load, as the loom model does), and only
   when the slot is free does the next io_fill_cqe_req write into it. */
P1(atomic_int *khead, {data_t(data)} *cqe_user_data) {{
  int r1 = atomic_load_explicit(khead, memory_order_acquire);
  if (r1 == 1) {{
    {kernel_store("cqe_user_data", 2, data)}
  }}
}}

exists (0:r0=2 /\\ 1:r1=1)
"""


def buf_ring_tail(order, data):
    app = "\n".join([
        "  /* io_uring_buf_ring_add: the entry's address and length */",
        "  " + app_store("buf_addr", 4096, data),
        "  " + app_store("buf_len", 64, data),
        "  " + app_store("tail", 1, order),
    ])
    return f"""
/* The application: io_uring_buf_ring_add's writes, then the header's store
   of the tail (io_uring_buf_ring_advance). */
P0(atomic_int *tail, {data_t(data)} *buf_addr, {data_t(data)} *buf_len) {{
{app}
}}

/* The kernel: io_ring_buffer_select / io_ring_buffers_peek (kbuf.c) load the
   tail with smp_load_acquire, then read the entry's addr and len (READ_ONCE in
   the kernel: modelled as plain reads, so any unordered pair is a race). */
P1(atomic_int *tail, {data_t(data)} *buf_addr, {data_t(data)} *buf_len) {{
  int r1 = 0;
  int r2 = 0;
  int r0 = atomic_load_explicit(tail, memory_order_acquire);
  if (r0 == 1) {{
    {kernel_load("buf_addr", data, "x1")}
    {kernel_load("buf_len", data, "x2")}
    r1 = x1;
    r2 = x2;
  }}
}}

exists (1:r0=1 /\\ (1:r1=0 \\/ 1:r2=0))
"""


def sq_head_sqpoll(order, data):
    app = "\n".join([
        "  " + app_load("khead", order, "r1"),
        "  if (r1 == 1) {",
        "    /* io_uring_get_sqe hands the slot out again; a prep helper writes it */",
        "    " + app_store("sqe_opcode", 2, data),
        "  }",
    ])
    return f"""
/* The kernel's SQ thread: io_get_sqe / io_init_req (io_uring.c) read the SQE
   (READ_ONCE of each field: modelled as a plain read), then io_commit_sqring
   (io_uring.c) moves rings->sq.head past it with smp_store_release. */
P0(atomic_int *khead, {data_t(data)} *sqe_opcode) {{
  {kernel_load("sqe_opcode", data, "r0")}
  atomic_store_explicit(khead, 1, memory_order_release);
}}

/* The application (SQPOLL): the header's load of the SQ head, then the slot
   is reused. */
P1(atomic_int *khead, {data_t(data)} *sqe_opcode) {{
{app}
}}

exists (0:r0=2 /\\ 1:r1=1)
"""


def data_t(data):
    return "int" if data == "plain" else "atomic_int"


def kernel_store(var, value, data):
    return app_store(var, value, data)


def kernel_load(var, data, reg):
    return app_load(var, data, reg)


# (handshake, header word, header access, data word in the extraction or
# None, what the test forbids, the generator)
HANDSHAKES = [
    ("cqe_publication", "cq.ktail", "load", "CQE",
     "the application sees the new CQ tail but a CQE field not yet written", cqe_publication),
    ("cq_head_release", "cq.khead", "store", "CQE",
     "the kernel rewrites a CQE slot the application is still reading", cq_head_release),
    ("buf_ring_tail", "br.tail", "store", None,
     "the kernel sees the new buffer-ring tail but an entry's address or length not yet written", buf_ring_tail),
    ("sq_head_sqpoll", "sq.khead", "load", None,
     "the application rewrites an SQE slot the SQ thread is still reading", sq_head_sqpoll),
]


def data_order(accesses, word):
    """The header's ordering of the data accesses: plain unless the header
    reads them with READ_ONCE (then relaxed); the buffer entries and SQE
    fields, which the extraction does not list, are plain stores in the
    header (io_uring_buf_ring_add, the prep helpers)."""
    if word is None:
        return "plain"
    orders = {a.ordering for a in accesses if a.what == word}
    if not orders:
        raise SystemExit(f"litmus.py: the header has no {word} access any more")
    return "plain" if orders == {"plain"} else "relaxed"


def tests(root=ROOT):
    ct = check_table()
    accesses = ct.extract_c(root)
    out = []
    used = set()
    for hs, word, access, dword, forbids, gen in HANDSHAKES:
        data = data_order(accesses, dword)
        # Every atomic access of the word (relaxed ones too: a header that
        # weakened one gets a test with its own ordering, which herd7 fails).
        found = [a for a in accesses if a.what == word and a.access == access]
        if not found:
            raise SystemExit(f"litmus.py: handshake {hs}: the header has no atomic {word} {access} any more")
        for a in found:
            used.add(id(a))
            name = f"{hs}_{a.func.strip('_')}"
            out.append({"name": name, "handshake": hs, "func": a.func, "what": f"{word} {access}",
                        "ordering": a.ordering, "site": f"{a.file}:{a.line}", "forbids": forbids,
                        "data": data, "gen": gen})
    for a in accesses:
        if a.ordering in ("acquire", "release", "seq_cst") and id(a) not in used:
            raise SystemExit(f"litmus.py: {a.file}:{a.line}: {a.func}: {a.what} {a.access} {a.ordering} "
                             f"belongs to no handshake: add one")
    return out


def litmus(t, order):
    head = (f"C {t['name']}\n\n"
            f"(* Generated by capi-tests/ordering/litmus.py from {t['site']} ({t['func']}:\n"
            f"   {t['what']} {order}{'' if order == t['ordering'] else ', planted: the header says ' + t['ordering']}).\n"
            f"   Forbidden: {t['forbids']}. *)\n\n{{}}\n")
    return head + t["gen"](order, t["data"])


def write(d, root=ROOT):
    ts = tests(root)
    for sub in ("real", "plant"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
        for f in os.listdir(os.path.join(d, sub)):
            os.remove(os.path.join(d, sub, f))
    for t in ts:
        with open(os.path.join(d, "real", t["name"] + ".litmus"), "w") as f:
            f.write(litmus(t, t["ordering"]))
        if t["ordering"] != "relaxed":
            with open(os.path.join(d, "plant", t["name"] + ".litmus"), "w") as f:
                f.write(litmus(t, "relaxed"))
    return ts


def parse_herd(text):
    """herd7's output: {test: {"observation", "states", "positive", "negative", "undef"}}."""
    res = {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"Test (\S+) ", line)
        if m:
            cur = res.setdefault(m.group(1), {"undef": False})
            continue
        if cur is None:
            continue
        if line.startswith("States "):
            cur["states"] = int(line.split()[1])
        elif line.strip() == "Undef" or "*undef*" in line:
            cur["undef"] = True
        elif line.startswith("Positive:"):
            m = re.match(r"Positive: (\d+) Negative: (\d+)", line)
            cur["positive"], cur["negative"] = int(m.group(1)), int(m.group(2))
        elif line.startswith("Observation "):
            cur["observation"] = line.split()[2]
    return res


def judge(real_out, plant_out, root=ROOT):
    ts = tests(root)
    real, plant = parse_herd(real_out), parse_herd(plant_out)
    failed, caught, states, planted = [], 0, 0, 0
    for t in ts:
        r = real.get(t["name"])
        if not r or "observation" not in r:
            failed.append(f"{t['name']}: herd7 gave no verdict on the real code")
            print(f"herd7 {t['name']} ({t['handshake']}, {t['site']}): NO VERDICT")
            continue
        states += r.get("states", 0)
        ok = r["observation"] == "Never" and not r["undef"]
        print(f"herd7 {t['name']} ({t['handshake']}, {t['site']} {t['ordering']}): "
              f"{'pass' if ok else 'FAIL'}: forbidden outcome {r['observation']}, "
              f"{r.get('states', '?')} states, {'a data race' if r['undef'] else 'no data race'}")
        if not ok:
            failed.append(f"handshake {t['handshake']} ({t['name']}, {t['site']} {t['ordering']}): herd7 finds "
                          f"the forbidden outcome ({t['forbids']}) {r['observation']}"
                          f"{', with a data race' if r['undef'] else ''} on the header")
        if t["ordering"] == "relaxed":
            continue
        planted += 1
        p = plant.get(t["name"])
        hit = bool(p) and (p.get("observation") in ("Sometimes", "Always") or p["undef"])
        caught += hit
        how = (f"forbidden outcome {p.get('observation')}, {p.get('states', '?')} states, "
               f"{'a data race' if p['undef'] else 'no data race'}") if p else "no verdict"
        print(f"herd7 plant {t['name']} ({t['what']} {t['ordering']} -> relaxed): "
              f"{'caught' if hit else 'MISSED'}: {how}")
        if not hit:
            failed.append(f"handshake {t['handshake']} ({t['name']}): weakened to relaxed, herd7 still "
                          f"reports it safe: the test no longer sees the ordering")
    return {"tests": len(ts), "pass": len(ts) - len([f for f in failed if "on the header" in f or "no verdict" in f]),
            "states": states, "planted": planted, "caught": caught,
            "handshakes": sorted({t["handshake"] for t in ts}), "failed": failed}


def main():
    args = sys.argv[1:]
    root = ROOT
    if "--root" in args:
        i = args.index("--root")
        root = args[i + 1]
        del args[i:i + 2]
    if args[:1] == ["--write"]:
        ts = write(args[1], root)
        print(json.dumps([{k: v for k, v in t.items() if k != "gen"} for t in ts], indent=1))
        return 0
    if args[:1] == ["--names"]:
        for t in tests():
            print(t["name"])
        return 0
    if args[:1] == ["--judge"]:
        text = open(args[1]).read()
        real, _, plant = text.partition("\n=== plant ===\n")
        v = judge(real, plant, root)
        for f in v["failed"]:
            print("FAIL herd7:", f)
        print(f"herd7: {v['tests']} tests ({len(v['handshakes'])} handshakes), {v['pass']} pass on the real "
              f"header, {v['states']} states; plants caught {v['caught']}/{v['planted']}")
        return 1 if v["failed"] else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
