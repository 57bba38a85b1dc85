#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
"""Header hygiene, ours against upstream's in one run (make test-header-hygiene).

Code we have never seen names its variables as it likes and passes
expressions. A function-like macro whose parameter is spelled like a member
or a local of its own body captures it: our io_uring_for_each_cqe once named
its parameter `head' and read the iterator's `.head', so any caller whose
variable was not literally called head failed to compile. This program
generates, from both headers, calls that such a caller would write, and
judges ours only against upstream's header with the same compiler and flags:

  macro cases   every function-like macro of upstream's liburing.h and the
                headers it includes (the set is checked against the table
                below, so a new one cannot go untested), its arguments spelled
                as each candidate name (below) and as expressions with side
                effects (lvalue arguments as *(f(), &x), the others as
                (f(), x));
  helper cases  every inline helper of upstream's header (gcc -aux-info),
                called with locals of its parameter types named after the
                candidates in turn, and once with side-effect expressions;
  name cases    each candidate declared as a local and as a file-scope
                variable after the include (a macro of ours with that name
                would break it).
Candidates: i h head tail cqe sqe ring iter n nr count mask, and every
identifier in the body of a function-like macro or after `.'/`->' in either
header (members and locals), reserved names (__x, _X) and keywords left out.

Each case is compiled with gcc and clang as c99 and c11 (each also with
-D_GNU_SOURCE: alone they hide sigset_t, which both headers need), gnu17,
c++11, c++17 and c++20 with -Wall -Wextra -Werror, and again with -pedantic
(which upstream's header itself does not pass today: anonymous structs,
zero-size arrays; such a configuration is reported as not judged). A case that
compiles cleanly with upstream's header and not with ours is WORSE; a case
upstream's header rejects is not judged (counted). Cases are compiled in one
translation unit per configuration and bisected when it fails.

The macro cases with side-effect arguments are also run, in C (gnu17) and
C++17, with each header: every argument must be evaluated as many times with
ours as with upstream's.

  hygiene.py REF_INCLUDE OUR_INCLUDE WORK [--plant]

--plant runs the same (two configurations) on a copy of our headers with
io_uring_for_each_cqe's parameters spelled as they were before the fix (ring,
head, cqe) and io_uring_smp_load_acquire evaluating its argument twice: a
caller's `i' and the evaluation count must each be judged worse, or the
check fails. Exit 0 when nothing is worse (or, with
--plant, when the plant was caught).
"""

import concurrent.futures
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the aux-info parser of the header checks)

COMMON = ["i", "h", "head", "tail", "cqe", "sqe", "ring", "iter", "n", "nr", "count", "mask"]

C_KEYWORDS = set("""auto break case char const continue default do double else enum extern float
for goto if inline int long register restrict return short signed sizeof static struct switch
typedef union unsigned void volatile while bool true false _Bool _Atomic _Static_assert
asm typeof alignas alignof and and_eq bitand bitor catch char16_t char32_t char8_t class compl
concept consteval constexpr constinit const_cast co_await co_return co_yield decltype delete
dynamic_cast explicit export friend mutable namespace new noexcept not not_eq nullptr operator or
or_eq private protected public reinterpret_cast requires static_assert static_cast template this
thread_local throw try typeid typename using virtual wchar_t xor xor_eq std""".split())

# Every function-like macro of upstream's headers, as a caller uses it.
# params: (kind, C type) per parameter; kind "lv" = must be an lvalue.
# decl: how the caller declares the variable passed for parameter k ({n}
# its name); stmt: the use, {a0}.. the argument expressions, {n0}.. names.
MACROS = {
    "io_uring_for_each_cqe": {
        "params": [("rv", "struct io_uring *"), ("lv", "unsigned"), ("lv", "struct io_uring_cqe *")],
        "init": ["&hyg_ring", "0", "0"],
        "stmt": "io_uring_for_each_cqe({a0}, {a1}, {a2}) {{ hyg_sink += (unsigned long) {n2}->res + {n1}; }}",
    },
    "IO_URING_READ_ONCE": {
        "params": [("lv", "unsigned")],
        "init": ["5"],
        "stmt": "hyg_sink += IO_URING_READ_ONCE({a0});",
    },
    "IO_URING_WRITE_ONCE": {
        "params": [("lv", "unsigned"), ("rv", "unsigned")],
        "init": ["0", "7"],
        "stmt": "IO_URING_WRITE_ONCE({a0}, {a1}); hyg_sink += {n0};",
    },
    "io_uring_smp_load_acquire": {
        "params": [("rv", "unsigned *")],
        "init": ["&hyg_word"],
        "stmt": "hyg_sink += io_uring_smp_load_acquire({a0});",
    },
    "io_uring_smp_store_release": {
        "params": [("rv", "unsigned *"), ("rv", "unsigned")],
        "init": ["&hyg_word", "9"],
        "stmt": "io_uring_smp_store_release({a0}, {a1}); hyg_sink += hyg_word;",
    },
    "io_uring_smp_mb": {"params": [], "init": [], "stmt": "io_uring_smp_mb(); hyg_sink++;"},
    "uring_likely": {
        "params": [("rv", "int")],
        "init": ["1"],
        "stmt": "if (uring_likely({a0})) hyg_sink++;",
    },
    "uring_unlikely": {
        "params": [("rv", "int")],
        "init": ["0"],
        "stmt": "if (uring_unlikely({a0})) hyg_sink++;",
    },
    "IO_URING_CHECK_VERSION": {
        "params": [("rv", "int"), ("rv", "int")],
        "init": ["2", "16"],
        "stmt": "if (IO_URING_CHECK_VERSION({a0}, {a1})) hyg_sink++;",
    },
}
# Function-like macros of ours that upstream's headers do not have: internal
# names a caller does not use (our FFI switch and the C11 atomic view).
OURS_ONLY = {"LIBURING_BODY", "LIBURING_ATOMIC_PTR_"}

DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)((?:.*\\\n)*.*)$", re.M)
IDENT = re.compile(r"\b[A-Za-z_]\w*\b")

PRELUDE = r"""
#include <liburing.h>
#include <stdio.h>
#include <string.h>
unsigned long hyg_sink;
unsigned hyg_word = 3;
struct io_uring hyg_ring;
struct io_uring_cqe hyg_cqes[4];
unsigned hyg_khead, hyg_ktail;
int hyg_evals[16];
int hyg_ev(int k);
int hyg_ev(int k) { hyg_evals[k]++; return k; }
void hyg_ring_init(void);
void hyg_ring_init(void)
{
	memset(&hyg_ring, 0, sizeof(hyg_ring));
	memset(hyg_cqes, 0, sizeof(hyg_cqes));
	hyg_khead = 0;
	hyg_ktail = 3;
	hyg_ring.cq.cqes = hyg_cqes;
	hyg_ring.cq.khead = &hyg_khead;
	hyg_ring.cq.ktail = &hyg_ktail;
	hyg_ring.cq.ring_mask = 3;
	hyg_ring.cq.ring_entries = 4;
}
"""


def header_files(include):
    out = []
    for root, _, files in os.walk(include):
        out += [os.path.join(root, f) for f in files if f.endswith(".h")]
    return sorted(out)


def macros_of(include):
    """name -> (params, body) of every function-like macro in the headers."""
    found = {}
    for path in header_files(include):
        for m in DEFINE.finditer(code_of(path)):
            found[m.group(1)] = ([p.strip() for p in m.group(2).split(",") if p.strip()], m.group(3))
    return found


def code_of(path):
    """A header's text without its comments."""
    text = re.sub(r"/\*.*?\*/", " ", open(path).read(), flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def candidates(ref_inc, our_inc, type_names, fn_names):
    names = list(COMMON)
    for inc in (ref_inc, our_inc):
        text = "".join(code_of(p) for p in header_files(inc))
        pool = re.findall(r"(?:\.|->)\s*([A-Za-z_]\w*)", text)
        for params, body in macros_of(inc).values():
            pool += IDENT.findall(body)
        for name in pool:
            if (name in C_KEYWORDS or name.startswith("__") or re.match(r"_[A-Z_]", name)
                    or name in type_names or name in fn_names or name in MACROS
                    or name.isupper() or name.endswith("_t")
                    or name.startswith(("atomic_", "memory_order", "hyg_"))):
                continue
            if name not in names:
                names.append(name)
    return names


class Case:
    def __init__(self, ident, what, body, evals=None):
        self.ident = ident  # a C identifier, unique
        self.what = what  # for the report
        self.body = body  # statements of the case's function
        self.evals = evals  # None, or the number of hyg_ev() slots it uses


def macro_cases(names):
    cases = []
    for mac, spec in MACROS.items():
        params = spec["params"]
        if not params:
            cases.append(Case(f"m_{mac}", f"{mac}()", spec["stmt"].format()))
            continue
        # each parameter spelled as every candidate, the others fixed
        fixed = [f"hyg_arg{k}" for k in range(len(params))]
        for k in range(len(params)):
            for name in names:
                spelled = list(fixed)
                spelled[k] = name
                if len(set(spelled)) < len(spelled):
                    continue
                cases.append(macro_case(mac, spec, spelled, spelled, f"m_{mac}_{k}_{name}",
                                        f"{mac}: argument {k + 1} named {name}"))
        # side effects: every argument an expression that counts its evaluations
        exprs = []
        for k, (kind, _) in enumerate(params):
            exprs.append(f"(*(hyg_ev({k}), &hyg_arg{k}))" if kind == "lv" else f"(hyg_ev({k}), hyg_arg{k})")
        c = macro_case(mac, spec, fixed, exprs, f"m_{mac}_effects", f"{mac}: arguments with side effects")
        c.evals = len(params)
        cases.append(c)
    return cases


def macro_case(mac, spec, names, args, ident, what):
    decls = "".join(f"\t{t}{'' if t.endswith('*') else ' '}{n} = {v};\n"
                    for (_, t), n, v in zip(spec["params"], names, spec["init"]))
    fmt = {f"a{k}": a for k, a in enumerate(args)}
    fmt.update({f"n{k}": n for k, n in enumerate(names)})
    return Case(ident, what, decls + "\t" + spec["stmt"].format(**fmt) + "\n")


def helper_cases(fns, names):
    cases = []
    ni = 0
    for fn in fns:
        if fn.kind != "NF":
            continue
        params = fn.param_list()
        spelled = []
        for _ in params:
            spelled.append(names[ni % len(names)])
            ni += 1
        while len(set(spelled)) < len(spelled):
            spelled = [f"{n}_{k}" for k, n in enumerate(spelled)]
        body = "".join(f"\tstatic {decl(t, n)};\n" for (t, _), n in zip(params, spelled))
        call = f"{fn.name}({', '.join(spelled)})"
        body += f"\t(void) {call};\n" if fn.ret != "void" else f"\t{call};\n"
        cases.append(Case(f"f_{fn.name}", f"{fn.name}({', '.join(spelled)})", body))
        effects = [f"(hyg_ev(0), {n})" for n in spelled]
        body2 = "".join(f"\tstatic {decl(t, n)};\n" for (t, _), n in zip(params, spelled))
        call2 = f"{fn.name}({', '.join(effects)})"
        body2 += f"\t(void) {call2};\n" if fn.ret != "void" else f"\t{call2};\n"
        if params:
            cases.append(Case(f"f_{fn.name}_effects", f"{fn.name} with side-effect arguments", body2))
    return cases


def decl(ctype, name):
    ctype = ctype.strip()
    return f"{ctype}{'' if ctype.endswith('*') else ' '}{name}"


def name_cases(names):
    return [Case(f"n_{n}", f"a local and a file-scope variable named {n}",
                 f"\tint {n} = 1;\n\thyg_sink += (unsigned long) {n};\n", None) for n in names]


def tu(cases, lang, with_main=False):
    text = PRELUDE
    for c in cases:
        if c.ident.startswith("n_"):
            text += f"int {c.ident[2:]};\nint *hyg_p_{c.ident} = &{c.ident[2:]};\n"
    for c in cases:
        text += f"void hyg_{c.ident}(void);\nvoid hyg_{c.ident}(void)\n{{\n{c.body}}}\n"
    if with_main:
        text += "int main(void)\n{\n"
        for c in cases:
            text += (f"\thyg_ring_init();\n\tmemset(hyg_evals, 0, sizeof(hyg_evals));\n\thyg_{c.ident}();\n"
                     f"\tprintf(\"{c.ident}")
            text += "".join(f" %d" for _ in range(c.evals))
            text += "\\n\"" + "".join(f", hyg_evals[{k}]" for k in range(c.evals)) + ");\n"
        text += "\treturn 0;\n}\n"
    if lang == "c++":
        text = gen.cxx(text)
    return text


def compile_cases(cc, std, pedantic, include, cases, work, tag, link=False):
    lang = "c++" if "++" in std else "c"
    src = os.path.join(work, f"{tag}.{'cc' if lang == 'c++' else 'c'}")
    with open(src, "w") as f:
        f.write(tu(cases, lang, with_main=link))
    out = os.path.join(work, f"{tag}.{'exe' if link else 'o'}")
    cmd = [cc, f"-std={std.split()[0]}", *std.split()[1:], "-Wall", "-Wextra", "-Werror", "-I", include]
    if pedantic:
        cmd.append("-pedantic")
    cmd += ([] if link else ["-c"]) + [src, "-o", out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode == 0, r.stderr, out


def case_lines(text, cases):
    """line number -> case, for the lines of each case's function."""
    owner, current = {}, None
    by_fn = {f"hyg_{c.ident}": c for c in cases}
    for no, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^void (hyg_\w+)\(void\)$", line)
        if m:
            current = by_fn.get(m.group(1))
        elif line.startswith(("int ", "unsigned ", "struct ", "#")) and not line.startswith("int main"):
            current = None
        if current:
            owner[no] = current
    # file-scope variables of the name cases
    for no, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^int \*hyg_p_(\w+) = ", line)
        if m:
            c = next((c for c in cases if c.ident == m.group(1)), None)
            if c:
                owner[no] = owner[no - 1] = c
    return owner


def failing(cc, std, pedantic, include, cases, work, tag):
    """The cases that do not compile cleanly: the cases named by the
    diagnostics' lines are taken out and the rest compiled again; bisection
    where a diagnostic names no case's line."""
    bad = []
    rest = list(cases)
    while rest:
        ok, err, _ = compile_cases(cc, std, pedantic, include, rest, work, tag)
        if ok:
            return bad
        src = os.path.join(work, f"{tag}.{'cc' if '++' in std else 'c'}")
        owner = case_lines(open(src).read(), rest)
        hit = []
        for m in re.finditer(re.escape(os.path.basename(src)) + r":(\d+):", err):
            c = owner.get(int(m.group(1)))
            if c and c not in hit:
                hit.append(c)
        if not hit:
            break
        bad += hit
        rest = [c for c in rest if c not in hit]
    if not rest:
        return bad
    if len(rest) == 1:
        return bad + rest
    mid = len(rest) // 2
    return (bad + failing(cc, std, pedantic, include, rest[:mid], work, tag)
            + failing(cc, std, pedantic, include, rest[mid:], work, tag))


def planted_copy(our_inc, work):
    dst = os.path.join(work, "planted-include")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(our_inc, dst)
    path = os.path.join(dst, "liburing.h")
    text = open(path).read()
    m = re.search(r"#define io_uring_for_each_cqe\(ring, head_, cqe\)(?:.*\\\n)*.*\n", text)
    if not m:
        raise SystemExit("hygiene: plant: io_uring_for_each_cqe(ring, head_, cqe) not found in our liburing.h")
    old = re.sub(r"\bhead_\b", "head", m.group(0))
    open(path, "w").write(text[:m.start()] + old + text[m.end():])
    # Second plant: the C acquire load evaluates its argument twice.
    path = os.path.join(dst, "liburing", "barrier.h")
    text = open(path).read()
    good = "atomic_load_explicit(LIBURING_ATOMIC_PTR_(p), memory_order_acquire)"
    if good not in text:
        raise SystemExit("hygiene: plant: io_uring_smp_load_acquire's C body not found in our barrier.h")
    open(path, "w").write(text.replace(good, "atomic_load_explicit(((void) (p), LIBURING_ATOMIC_PTR_(p)), "
                                             "memory_order_acquire)"))
    return dst


def main():
    args = [a for a in sys.argv[1:] if a != "--plant"]
    plant = "--plant" in sys.argv[1:]
    if len(args) != 3:
        raise SystemExit(__doc__)
    ref_inc, our_inc, work = args
    os.makedirs(work, exist_ok=True)
    if plant:
        our_inc = planted_copy(our_inc, work)

    ref_macros, our_macros = macros_of(ref_inc), macros_of(our_inc)
    problems = []
    if set(ref_macros) != set(MACROS):
        problems.append(f"upstream's function-like macros {sorted(ref_macros)} differ from the table's "
                        f"{sorted(MACROS)}: add the new ones to MACROS")
    extra = set(our_macros) - set(ref_macros) - OURS_ONLY
    if extra:
        problems.append(f"function-like macros of ours that upstream lacks: {sorted(extra)}")

    aux = os.path.join(work, "ref.aux")
    probe = os.path.join(work, "aux.c")
    open(probe, "w").write("#include <liburing.h>\n")
    subprocess.run(["gcc", "-std=gnu11", "-D_GNU_SOURCE", "-I", ref_inc, "-fsyntax-only", "-aux-info", aux, probe],
                   check=True)
    fns = gen.parse(aux, os.path.join(ref_inc, "liburing.h"))
    fn_names = {f.name for f in fns}
    type_names = set()
    for inc in (ref_inc, our_inc):
        for p in header_files(inc):
            t = open(p).read()
            type_names.update(re.findall(r"\b(?:struct|union|enum)\s+(\w+)", t))
            type_names.update(re.findall(r"typedef[^;]*?\b(\w+)\s*;", t))
    names = candidates(ref_inc, our_inc, type_names, fn_names)
    cases = macro_cases(names) + helper_cases(fns, names) + name_cases(names)
    nmacro = sum(c.ident.startswith("m_") for c in cases)
    nhelper = sum(c.ident.startswith("f_") for c in cases)
    print(f"hygiene: {len(names)} candidate names, {len(cases)} cases: {nmacro} macro, "
          f"{nhelper} helper, {len(names)} name")

    compilers = [c for c in ("gcc", "clang") if shutil.which(c)]
    if "clang" not in compilers:
        problems.append("clang is not installed (capi-tests/lib/pkg.sh need clang clang)")
    # c99 and c11 alone hide POSIX types the headers need (sigset_t):
    # callers in those modes define _GNU_SOURCE, so both ways are compiled.
    stds = ["c99", "c99 -D_GNU_SOURCE", "c11", "c11 -D_GNU_SOURCE", "gnu17", "c++11", "c++17", "c++20"]
    configs = []
    for cc in compilers:
        for std in stds:
            for pedantic in (False, True):
                exe = cc if "++" not in std else {"gcc": "g++", "clang": "clang++"}[cc]
                configs.append((exe, std, pedantic))
    if plant:
        # Two configurations are enough to show the plant is caught.
        configs = [c for c in configs if c in (("gcc", "gnu17", False), ("clang++", "c++17", False))]

    def judge(config):
        """(report lines, {case what: conf}, cases judged) for one configuration."""
        exe, std, pedantic = config
        conf = f"{exe} -std={std}{' -pedantic' if pedantic else ''}"
        tag = f"{exe}-{std}{'-pedantic' if pedantic else ''}".replace("+", "x").replace(" -D", "-")
        # The header on its own first: a configuration upstream's header
        # itself fails is not judged; ours failing there is worse.
        ref_ok, ref_err, _ = compile_cases(exe, std, pedantic, ref_inc, [], work, tag + "-ref")
        if not ref_ok:
            first = next((ln for ln in ref_err.splitlines() if "error" in ln), "")
            return [f"{conf:33} not judged: upstream's header alone fails ({first.split('error: ')[-1]})"], {}, 0
        our_ok, our_err, _ = compile_cases(exe, std, pedantic, our_inc, [], work, tag + "-ours")
        if not our_ok:
            first = next((ln for ln in our_err.splitlines() if "error" in ln), "")
            return [f"{conf:33} WORSE: our header alone fails: {first}"], {"the header on its own": conf}, 0
        rejected = failing(exe, std, pedantic, ref_inc, cases, work, tag + "-ref")
        with open(os.path.join(work, tag + "-upstream-rejects.txt"), "w") as f:
            f.writelines(f"{c.what}\n" for c in rejected)
        ref_bad = {c.ident for c in rejected}
        judged = [c for c in cases if c.ident not in ref_bad]
        ours_bad = failing(exe, std, pedantic, our_inc, judged, work, tag + "-ours") if judged else []
        lines = [f"{conf:33} judged {len(judged):4}, upstream's header rejects {len(ref_bad):4}, "
                 f"worse {len(ours_bad)}"]
        for c in ours_bad[:3]:
            _, err, _ = compile_cases(exe, std, pedantic, our_inc, [c], work, tag + "-one")
            lines.append(f"  {c.what}: " + " | ".join([ln for ln in err.splitlines() if "error" in ln][:2]))
        return lines, {c.what: conf for c in ours_bad}, len(judged)

    worse = {}
    judged_total = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for lines, bad, n in pool.map(judge, configs):
            for ln in lines:
                print(f"hygiene: {ln}")
            for what, conf in bad.items():
                worse.setdefault(what, []).append(conf)
            judged_total += n

    # Evaluation counts of the macros' arguments, run with each header.
    for exe, std in (("gcc", "gnu17"), ("g++", "c++17")):
        # Cases that do not compile with one of the headers are judged above.
        evals = [c for c in cases if c.evals]
        for side, inc in (("upstream", ref_inc), ("ours", our_inc)):
            tag = f"evals-compile-{side}-{std}".replace("+", "x")
            broken = {c.ident for c in failing(exe, std, False, inc, evals, work, tag)}
            evals = [c for c in evals if c.ident not in broken]
        runs = {}
        for side, inc in (("upstream", ref_inc), ("ours", our_inc)):
            ok, err, out = compile_cases(exe, std, False, inc, evals, work, f"evals-{side}-{std}".replace("+", "x"),
                                         link=True)
            if not ok:
                problems.append(f"evaluation-count program with {side}'s header ({exe} -std={std}) "
                                f"did not build: {err.splitlines()[:2]}")
                continue
            r = subprocess.run([out], capture_output=True, text=True)
            runs[side] = dict(ln.split(" ", 1) for ln in r.stdout.splitlines())
        if len(runs) == 2:
            for c in evals:
                u, o = runs["upstream"].get(c.ident), runs["ours"].get(c.ident)
                if u != o:
                    worse.setdefault(f"{c.what}: evaluations per argument {o} (upstream's {u})", []).append(
                        f"{exe} -std={std}")
            print(f"hygiene: evaluation counts ({exe} -std={std}): {len(evals)} macros, "
                  f"{sum(runs['upstream'].get(c.ident) == runs['ours'].get(c.ident) for c in evals)} equal")

    for p in problems:
        print(f"hygiene: FAIL: {p}")
    listing = [f"WORSE: {what} ({len(confs)} configurations: {', '.join(confs[:3])}"
               f"{', ...' if len(confs) > 3 else ''})" for what, confs in sorted(worse.items())]
    with open(os.path.join(work, "worse.txt"), "w") as f:
        f.writelines(ln + "\n" for ln in listing)
    for ln in listing[:20]:
        print(f"hygiene: {ln}")
    if len(listing) > 20:
        print(f"hygiene: ... and {len(listing) - 20} more worse cases ({os.path.join(work, 'worse.txt')})")
    print(f"hygiene: {judged_total} case compilations judged over {len(configs)} configurations; "
          f"worse: {len(worse)}")
    if plant:
        plants = {
            "io_uring_for_each_cqe with parameters ring, head, cqe; a caller's `i'":
                "io_uring_for_each_cqe: argument 2 named i",
            "io_uring_smp_load_acquire evaluating its argument twice":
                "io_uring_smp_load_acquire: arguments with side effects: evaluations per argument 2",
        }
        caught = 0
        for plant_what, expect in plants.items():
            hit = any(w.startswith(expect) for w in worse)
            caught += hit
            print(f"hygiene: plant ({plant_what}): {'caught' if hit else 'NOT caught'}")
        print(f"hygiene: plants caught: {caught} of {len(plants)}")
        return 0 if caught == len(plants) else 1
    return 1 if worse or problems else 0


if __name__ == "__main__":
    sys.exit(main())
