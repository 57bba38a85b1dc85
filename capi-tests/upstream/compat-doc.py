#!/usr/bin/env python3
"""Generate COMPATIBILITY.md: one row per upstream symbol, one per upstream test.

  compat-doc.py --write COMPATIBILITY.md   regenerate the file
  compat-doc.py --check COMPATIBILITY.md   exit 1 when the file differs from
                                           a fresh generation (make test-compat-doc)
  compat-doc.py --save-results             copy the last run's per-mode results
                                           (target/upstream-tests/<mode>/results.txt)
                                           into capi-tests/upstream/results/<mode>.txt
  compat-doc.py --control                  the planted regressions of the commit check

The results are only trusted at the commit they were produced at: run.sh
writes the commit of the library it tested beside each full run's results
(commit.txt; a TESTS= subset writes subset.txt and no commit), --save-results
refuses a run without one, the committed files and COMPATIBILITY.md state it,
and --check fails unless that commit is HEAD or a commit since which no library
code (LIBRARY_PATHS) changed, with no uncommitted library change in the run.

Inputs of a generation, all deterministic:
  * upstream's version scripts (src/liburing.map, src/liburing-ffi.map) and
    test sources, from the fetched tree (capi-tests/fetch-upstream.sh);
  * what our build/lib/liburing.so.2.15 and liburing-ffi.so.2.15 export (nm);
  * capi-tests/upstream/expectations.txt (upstream's own results here);
  * the committed per-mode results in capi-tests/upstream/results/. The test
    table comes from these files, not from target/, so that the document
    does not change with every run: `make test-upstream` then
    `make compat-results compat-doc` records a new state on purpose.
"""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "capi-tests", "lib"))
import judge  # noqa: E402 (capi-tests/lib/judge.py: the rules of every judge)
RESULTS_DIR = os.path.join(TOP, "capi-tests", "upstream", "results")
EXPECT = os.path.join(TOP, "capi-tests", "upstream", "expectations.txt")
LIBDIR = os.path.join(TOP, "build", "lib")
MODES = ("abi", "source", "ffi")
# What "library code" is (run.sh has the same list).
# What "library code" is: git pathspecs, one a line (capi-tests/lib/library-code.txt).
LIBRARY_PATHS = [ln.strip() for ln in open(os.path.join(TOP, "capi-tests", "lib", "library-code.txt"))
                 if ln.strip() and not ln.startswith("#")]
MODE_TEXT = {
    "abi": "upstream's headers, our liburing.so.2 (binary drop-in)",
    "source": "our headers, our liburing.so.2 (source drop-in)",
    "ffi": "our headers with -DLIBURING_FFI, our liburing-ffi.so.2 (FFI drop-in)",
}


def upstream_tree():
    r = subprocess.run([os.path.join(TOP, "capi-tests", "fetch-upstream.sh")],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit("compat-doc: cannot get the upstream tree:\n" + r.stderr)
    return r.stdout.strip()


def parse_map(path):
    """{name: node} for every global name of a GNU ld version script."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"#[^\n]*", " ", text)
    out = {}
    for node, body in re.findall(r"([A-Za-z_][\w.]*)\s*\{(.*?)\}\s*[\w.]*\s*;", text, flags=re.S):
        scope = "global"
        for tok in re.findall(r"[^\s;]+:|[^\s;:]+", body):
            if tok.endswith(":"):
                scope = tok[:-1]
            elif scope == "global":
                out[tok] = node
    return out


def documented_extras():
    """{name: node} of capi-tests/abi/ffi-extra.symbols: what our liburing-ffi.so.2
    exports beyond upstream's liburing-ffi.map, on purpose."""
    out = {}
    for line in open(os.path.join(TOP, "capi-tests", "abi", "ffi-extra.symbols")):
        line = line.split("#")[0].strip()
        if line:
            name, _, node = line.partition("@@")
            out[name] = node
    return out


def exported(so):
    """{name: node} of the default-versioned defined dynamic symbols, or None."""
    if not os.path.exists(so):
        return None
    r = subprocess.run(["nm", "-D", "--defined-only", "--with-symbol-versions", so],
                       capture_output=True, text=True, check=True)
    out = {}
    for line in r.stdout.splitlines():
        w = line.split()
        if len(w) >= 3 and w[1] != "A":
            name, _, node = w[2].partition("@")
            out[name] = node.lstrip("@")
    return out


def test_sources(up):
    tdir = os.path.join(up, "test")
    srcs = {}
    for f in sorted(os.listdir(tdir)):
        if f.endswith((".c", ".cc", ".h")):
            with open(os.path.join(tdir, f), errors="replace") as fh:
                srcs[f] = fh.read()
    return srcs


def read_results(mode):
    """({test: result}, {test: {key: value}}, header lines) of a committed file.

    A line: <test> <RESULT>[-FLAKY|-ENV] <exit status> [key=value ...]; the
    keys are run.sh's (first=, upstream=, abi-ours=, retry=, skips=)."""
    path = os.path.join(RESULTS_DIR, mode + ".txt")
    res, info, header = {}, {}, []
    if os.path.exists(path):
        for line in open(path):
            if line.startswith("#"):
                header.append(line[1:].strip())
            elif line.strip():
                w = line.split()
                res[w[0]] = w[1]
                info[w[0]] = dict(x.split("=", 1) for x in w[2:] if "=" in x)
                if len(w) > 2 and "=" not in w[2]:
                    info[w[0]]["rc"] = w[2]
    return res, info, header


def read_expectations():
    """{test: judge.Expectation} from capi-tests/upstream/expectations.txt (judge.py reads it)."""
    try:
        return judge.read_expectations(EXPECT)
    except judge.Refused as err:
        sys.exit(f"compat-doc: {err}")


base = judge.base


def verdict(r, info, e):
    """worse, better, flaky, env or same: the judge's verdict (judge.py) on a
    recorded result, whose outputs are not kept (an expected FAIL is compared
    by its exit status; the skipped parts were compared by the run)."""
    rest = " ".join(f"{k}={v}" for k, v in info.items() if k != "rc")
    return judge.verdict(e, r, info.get("rc", ""), rest)


def git(*args):
    return subprocess.run(["git", "-C", TOP, *args], capture_output=True, text=True)


def results_commit(header):
    """(commit, with_local_changes) from a results file's header, or (None, False)."""
    for h in header:
        m = re.search(r"\bat commit ([0-9a-f]{7,40})\b", h)
        if m:
            return m.group(1), "local changes" in h
    return None, False


def commit_problem(header, what):
    """Why results with this header do not describe HEAD's library, or None."""
    commit, dirty = results_commit(header)
    if commit is None:
        return f"{what}: no 'at commit <sha>' line: which library produced these results is unknown"
    if dirty:
        return f"{what}: the run at {commit} had uncommitted changes to library code"
    if git("cat-file", "-e", commit + "^{commit}").returncode:
        return f"{what}: commit {commit} is not in this repository"
    d = git("diff", "--name-only", commit, "HEAD", "--", *LIBRARY_PATHS)
    if d.returncode:
        return f"{what}: git diff {commit} HEAD failed: {d.stderr.strip()}"
    changed = d.stdout.split()
    if changed:
        return (f"{what}: produced at {commit}, and library code changed since "
                f"({len(changed)} files: {', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''})")
    return None


def generate():
    up = upstream_tree()
    core = parse_map(os.path.join(up, "src", "liburing.map"))
    ffi = parse_map(os.path.join(up, "src", "liburing-ffi.map"))
    have_core = exported(os.path.join(LIBDIR, "liburing.so.2.15"))
    have_ffi = exported(os.path.join(LIBDIR, "liburing-ffi.so.2.15"))
    srcs = test_sources(up)
    exp = read_expectations()
    results = {m: read_results(m) for m in MODES}

    def state(have, name, node):
        if have is None:
            return "not built"
        if name not in have:
            return "no"
        return "yes" if have[name] == node else f"wrong version ({have[name]})"

    def users(name):
        pat = re.compile(r"\b" + re.escape(name) + r"\b")
        return [f for f, text in srcs.items() if pat.search(text)]

    L = []
    L.append("# liburing-rs compatibility with liburing 2.15")
    L.append("")
    L.append("Generated by `make compat-doc` (capi-tests/upstream/compat-doc.py); "
             "`make test-compat-doc` fails when this file is stale. Do not edit by hand.")
    L.append("")
    commits = sorted({results_commit(results[m][2])[0] or "unknown" for m in MODES if results[m][0]})
    L.append("Produced from the upstream suite's run at commit " + (", ".join(commits) or "none")
             + " (`make test-compat-doc` fails unless library code is unchanged between that commit and HEAD).")
    L.append("")
    L.append("## Summary")
    L.append("")
    doc = documented_extras()
    for label, want, have, allowed in (("liburing.so.2", core, have_core, {}),
                                       ("liburing-ffi.so.2", ffi, have_ffi, doc)):
        if have is None:
            L.append(f"- {label}: not built")
            continue
        n = sum(1 for s, node in want.items() if have.get(s) == node)
        documented = sorted(s for s in set(have) - set(want) if allowed.get(s) == have[s])
        extra = sorted(set(have) - set(want) - set(documented))
        L.append(f"- {label}: {n} of {len(want)} upstream symbols exported with upstream's version node"
                 + "".join(f", plus 1 documented extra: `{s}` at {have[s]}, one symbol upstream's {label} "
                           f"lacks (its node in liburing.so.2; upstream's FFI form of "
                           f"io_uring_buf_ring_available calls it; capi-tests/abi/ffi-extra.symbols)"
                           for s in documented)
                 + (f", {len(extra)} extra ({', '.join(extra)})" if extra else ""))
    tests = sorted(exp)
    for m in MODES:
        if not results[m][0]:
            L.append(f"- upstream tests, {m} mode ({MODE_TEXT[m]}): no recorded run")
            continue
        res, info, header = results[m]
        counts = {}
        for t in tests:
            r = base(res[t]) if t in res else "not run"
            counts[r] = counts.get(r, 0) + 1
        v = {t: verdict(res[t], info[t], exp[t]) for t in tests if t in res}
        worse = [t for t in v if v[t] == "worse"]
        env = [t for t in v if v[t] == "env"]
        flaky = [t for t in v if res[t].endswith("-FLAKY") and v[t] != "worse"]
        better = [t for t in v if v[t] == "better"]
        parts = ", ".join(f"{counts[k]} {k}" for k in sorted(counts))
        L.append(f"- upstream tests, {m} mode ({MODE_TEXT[m]}): {parts}; "
                 f"{len(worse)} worse than upstream, {len(better)} better"
                 + (f", {len(flaky)} flaky as upstream's own build in the same run ({', '.join(flaky)})"
                    if flaky else "")
                 + (f", {len(env)} environment-limited ({', '.join(env)}: upstream's own build "
                    "ended the same way in the same run)" if env else "")
                 + (f" ({'; '.join(header)})" if header else ""))
    exp_counts = {}
    for t in tests:
        exp_counts[exp[t].result] = exp_counts.get(exp[t].result, 0) + 1
    L.append("- upstream's own library on this machine: "
             + ", ".join(f"{exp_counts[k]} {k}" for k in sorted(exp_counts)))
    L.append("")

    L.append("## Symbols")
    L.append("")
    L.append("Every symbol of upstream's version scripts. *core* / *ffi*: the version node in "
             "liburing.so.2 / liburing-ffi.so.2 (— when that library does not export it); "
             "*ours*: whether our library exports it with that node (nm of build/lib). "
             "*tests*: how many upstream test sources name it, and the first few.")
    L.append("")
    L.append("| symbol | core | ours (core) | ffi | ours (ffi) | tests |")
    L.append("| --- | --- | --- | --- | --- | --- |")
    for name in sorted(set(core) | set(ffi)):
        u = users(name)
        shown = ", ".join(x for x in u[:4]) + (f", … ({len(u)})" if len(u) > 4 else f" ({len(u)})" if u else "0")
        c_node, f_node = core.get(name), ffi.get(name)
        if f_node:
            ours_ffi = state(have_ffi, name, f_node)
        elif name in doc:
            ours_ffi = f"{state(have_ffi, name, doc[name])}, at {doc[name]} (documented extra)"
        else:
            ours_ffi = "—"
        L.append(f"| `{name}` | {c_node or '—'} | {state(have_core, name, c_node) if c_node else '—'} "
                 f"| {f_node or '—'} | {ours_ffi} | {shown} |")
    L.append("")

    L.append("## Upstream tests")
    L.append("")
    L.append("Each upstream test program, built and run by capi-tests/upstream/run.sh "
             "(`make test-upstream`) in three modes; *upstream* is how it ends with "
             "upstream's own library here (capi-tests/upstream/expectations.txt). "
             "Results come from the committed capi-tests/upstream/results/<mode>.txt. "
             "A result below upstream's (PASS > SKIP > FAIL > TIMEOUT > not built; an expected FAIL "
             "must end as expectations.txt pins it) is marked **worse**, above it *better*; "
             "*flaky* marks a test that needed a retry, shown with its first result; it is "
             "accepted when, in up to 10 paired runs of upstream's build and ours, ours missed "
             "no more often than chance allows (one-sided Fisher exact test at 5 %); *env* marks a result "
             "that upstream's own build (upstream's headers and library) ended the same way in "
             "the same run (a load- or environment-sensitive test).")
    L.append("")
    shim_note = {}
    for f, text in srcs.items():
        if not f.endswith((".c", ".cc")):
            continue
        t = re.sub(r"\.cc?$", ".t", f)
        notes = []
        if '"../src/syscall.h"' in text:
            notes.append("raw syscalls through our test shim")
        if "t_io_uring_init_sqarray" in text or "io_uring_unmap_rings" in text:
            notes.append("library-internal setup helper from our test shim")
        if '"../src/lib.h"' in text:
            notes.append("tests only upstream's libc-free helpers: runs against our test shim")
        if notes:
            shim_note[t] = "; ".join(notes)
    how_note = {"unprivileged": "run as an unprivileged user", "netns": "run in an empty network namespace",
                "loopback": "run in a network namespace of its own, loopback up (its port cannot be taken)"}
    for t, e in exp.items():
        if e.how:
            shim_note[t] = "; ".join(x for x in (how_note[e.how], shim_note.get(t)) if x)
        if e.run == "alone":
            shim_note[t] = "; ".join(x for x in (shim_note.get(t), "run with no other test beside it") if x)
    L.append("| test | upstream | " + " | ".join(MODES) + " | notes |")
    L.append("| --- | --- | " + " | ".join("---" for _ in MODES) + " | --- |")
    for t in tests:
        cells = []
        for m in MODES:
            r = results[m][0].get(t)
            if r is None:
                cells.append("not run")
                continue
            info = results[m][1][t]
            v = verdict(r, info, exp[t])
            b = base(r)
            if r.endswith("-FLAKY"):
                b += (f" (flaky: first {info.get('first', '?')}; upstream's build missed "
                      f"{info.get('upstream', '?').replace('/', ' of ')} runs)")
            if v == "env":
                cells.append(f"{b} (env: upstream's build ended so in "
                             f"{info.get('upstream', '?').replace('/', ' of ')} runs)")
            elif v == "worse":
                cells.append(f"**{b}** (worse)")
            elif v == "better":
                cells.append(f"*{b}* (better)")
            else:
                cells.append(b)
        want = exp[t].result
        shown = want + (f" (exit {exp[t].rc}, as pinned)" if want == "FAIL" else "")
        L.append(f"| {t} | {shown} | " + " | ".join(cells) + f" | {shim_note.get(t, '')} |")
    L.append("")
    # Debian's kernels: the section capi-tests/kernels/kernels-doc.py writes
    # from its own committed results (make test-kernels-doc checks them).
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "kernels_doc", os.path.join(TOP, "capi-tests", "kernels", "kernels-doc.py"))
    kdoc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kdoc)
    L.extend(kdoc.section())
    # Debian's architectures: capi-tests/arches/arches-doc.py's section, from
    # its own committed results (make test-arches-doc checks them).
    spec = importlib.util.spec_from_file_location(
        "arches_doc", os.path.join(TOP, "capi-tests", "arches", "arches-doc.py"))
    adoc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(adoc)
    L.extend(adoc.section())
    # Debian's build-dependents: capi-tests/dependents/dependents-doc.py's
    # section, from its own committed results (make test-dependents-doc).
    spec = importlib.util.spec_from_file_location(
        "dependents_doc", os.path.join(TOP, "capi-tests", "dependents", "dependents-doc.py"))
    ddoc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ddoc)
    L.extend(ddoc.section())
    return "\n".join(L)


def run_flags_problem(flags):
    """Why a run whose commit.txt carries FLAGS cannot be recorded, or None.

    run.sh writes reference-needed-only when its reference ran only the tests
    the modes needed (REFERENCE_SCOPE=needed): a recorded run
    has upstream's library run on every test."""
    if "reference-needed-only" in flags:
        return ("the run's reference ran only the tests the modes needed (REFERENCE_SCOPE=needed, "
                "a shorter form): run make test-upstream, then make compat-results")
    unknown = [f for f in flags if f != "with-local-changes"]
    if unknown:
        return f"commit.txt has flags this script does not know: {' '.join(unknown)}"
    return None


def save_results():
    os.makedirs(RESULTS_DIR, exist_ok=True)
    out = os.environ.get("UPSTREAM_TESTS_OUT", os.path.join(TOP, "target", "upstream-tests"))
    saved = 0
    for m in MODES:
        src = os.path.join(out, m, "results.txt")
        if not os.path.exists(src):
            print(f"compat-doc: no results for mode {m} ({src}); keeping the committed file")
            continue
        try:
            rev, *flags = open(os.path.join(out, m, "commit.txt")).read().split()
        except (FileNotFoundError, ValueError):
            print(f"compat-doc: {m}: {src} has no commit.txt beside it (a run.sh older than the "
                  "commit check); rerun make test-upstream")
            return 1
        problem = run_flags_problem(flags)
        if problem:
            print(f"compat-doc: {m}: {problem}; keeping the committed files")
            return 1
        dirty = "with-local-changes" in flags
        when = datetime.datetime.fromtimestamp(os.path.getmtime(src)).strftime("%Y-%m-%d")
        with open(os.path.join(RESULTS_DIR, m + ".txt"), "w") as fh:
            fh.write(f"# run of {when} at commit {rev}{' (with local changes to library code)' if dirty else ''}\n")
            for line in sorted(open(src)):
                # test RESULT rc seconds key=value...: all but the seconds.
                w = line.split()
                if len(w) >= 4:
                    fh.write(" ".join([w[0], w[1], w[2]] + w[4:]) + "\n")
        saved += 1
        print(f"compat-doc: saved {m} results to capi-tests/upstream/results/{m}.txt")
    return 0 if saved else 1


def control():
    """Planted regressions: results from before the last library change, with
    no commit, or with local changes must be refused; HEAD's accepted."""
    head = git("rev-parse", "HEAD").stdout.strip()
    last = git("log", "-1", "--format=%H", "--", *LIBRARY_PATHS).stdout.strip()
    cases = [("HEAD", [f"run of 2026-01-01 at commit {head}"], True),
             ("HEAD, short sha", [f"run of 2026-01-01 at commit {head[:7]}"], True),
             ("the last library change", [f"run of 2026-01-01 at commit {last}"], True),
             ("no commit", ["run of 2026-01-01"], False),
             ("local changes", [f"run of 2026-01-01 at commit {head} (with local changes to library code)"], False),
             ("an unknown commit", ["run of 2026-01-01 at commit 0123456789abcdef"], False)]
    if git("rev-parse", "-q", "--verify", last + "^").returncode == 0:
        before = git("rev-parse", last + "^").stdout.strip()
        cases.append(("before the last library change", [f"run of 2026-01-01 at commit {before}"], False))
    bad = 0
    for name, header, ok in cases:
        problem = commit_problem(header, "control")
        if (problem is None) != ok:
            print(f"compat-doc control: results at {name}: {'refused' if problem else 'accepted'}"
                  f"{': ' + problem if problem else ''}")
            bad += 1
    # The flaky rule, as judge-control.sh plants it for run.sh.
    pass_exp = judge.Expectation("PASS")
    flaky = [("ours=4/10 upstream=0/10", "worse"), ("ours=6/10 upstream=1/10", "worse"),
             ("ours=4/4 upstream=0/4", "worse"), ("upstream=0/10", "worse"),
             ("ours=2/10 upstream=0/8", "worse"), ("ours=0/0 upstream=0/0", "worse"),
             ("ours=1/10 upstream=0/10", "flaky"),
             ("ours=3/10 upstream=0/10", "flaky"), ("ours=5/10 upstream=3/10", "flaky")]
    for fields, want in flaky:
        info = dict(x.split("=", 1) for x in f"first=TIMEOUT/124 retry=1 {fields}".split())
        got = verdict("PASS-FLAKY", info, pass_exp)
        if got != want:
            print(f"compat-doc control: PASS-FLAKY with {fields}: judged {got}, run.sh says {want}")
            bad += 1
    # library-code.txt names the libraries' sources and leaves out the
    # test-only Rust of src/tests/; planted: the list without its exclude line
    # must be told apart.
    def list_problems(paths):
        files = git("ls-files", "--", *paths).stdout.split()
        return [f"library-code.txt {'leaves out' if want else 'takes in'} {path}"
                for path, want in (("src/lib.rs", True), ("liburing.map", True), ("include/liburing.h", True),
                                   ("src/tests/mod.rs", False), ("capi-tests/capi/capi.c", False))
                if (path in files) != want]
    for problem in list_problems(LIBRARY_PATHS):
        print(f"compat-doc control: {problem}")
        bad += 1
    if not list_problems([p for p in LIBRARY_PATHS if not p.startswith(":(exclude)")]):
        print("compat-doc control: library-code.txt without its exclude line was not told apart")
        bad += 1
    # A run made with make test's partial reference is never recorded.
    flag_cases = [([], True), (["with-local-changes"], True), (["reference-needed-only"], False),
                  (["with-local-changes", "reference-needed-only"], False), (["something-new"], False)]
    for flags, ok in flag_cases:
        if (run_flags_problem(flags) is None) != ok:
            print(f"compat-doc control: a run with commit.txt flags {flags or 'none'}: "
                  f"{'refused' if ok else 'accepted'} for recording")
            bad += 1
    if bad:
        return 1
    print("compat-doc control: library-code.txt takes in the libraries' sources and leaves out src/tests/ "
          "(its planted copy without the exclude line told apart); "
          f"{len(flag_cases)} planted commit.txt flags judged right "
          "(a partial reference is never recorded); "
          f"{len(cases)} planted result headers judged right "
          "(accepted at HEAD or since the last library change, refused otherwise); "
          f"{len(flaky)} planted flaky results judged as run.sh judges them")
    return 0


def main():
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--write", metavar="FILE")
    g.add_argument("--check", metavar="FILE")
    g.add_argument("--save-results", action="store_true")
    g.add_argument("--control", action="store_true")
    a = ap.parse_args()
    if a.save_results:
        return save_results()
    if a.control:
        return control()
    text = generate()
    if a.write:
        with open(a.write, "w") as fh:
            fh.write(text)
        print(f"compat-doc: wrote {a.write}")
        return 0
    stale_results = []
    for m in MODES:
        res, _, header = read_results(m)
        if res:
            p = commit_problem(header, f"capi-tests/upstream/results/{m}.txt")
            if p:
                stale_results.append(p)
    if stale_results:
        print("compat-doc: the committed upstream-suite results do not describe this commit's library:")
        print("\n".join("  " + p for p in stale_results))
        out = os.environ.get("UPSTREAM_TESTS_OUT", os.path.join(TOP, "target", "upstream-tests"))
        here = []
        for m in MODES:
            try:
                c = open(os.path.join(out, m, "commit.txt")).read().split()
            except FileNotFoundError:
                continue
            if c and not run_flags_problem(c[1:]) and not commit_problem([f"at commit {c[0]}" + (" (with local changes)" if "with-local-changes" in c[1:] else "")], m):
                here.append(m)
        if here:
            print(f"  the last full run here ({out}) tested this library in mode(s) {', '.join(here)}: "
                  "make compat-results compat-doc records it; commit both")
        else:
            print("  run make test-upstream, then make compat-results compat-doc, and commit both")
        return 1
    try:
        old = open(a.check).read()
    except FileNotFoundError:
        print(f"compat-doc: {a.check} missing: run make compat-doc")
        return 1
    if old != text:
        import difflib
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(),
                                         a.check + " (committed)", a.check + " (fresh)", lineterm="", n=0))
        print(f"compat-doc: {a.check} is stale ({len(diff)} diff lines); run make compat-doc. First lines:")
        print("\n".join(diff[:40]))
        return 1
    print(f"compat-doc: {a.check} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
