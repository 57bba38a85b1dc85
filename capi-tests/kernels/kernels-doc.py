#!/usr/bin/env python3
"""The Debian kernels section of COMPATIBILITY.md, from the full matrix's results.

  kernels-doc.py --save-results [RUN_DIR]   copy a full `make test-kernels` run
                                            (default target/kernels/run) into
                                            capi-tests/kernels/results/<suite>.txt
  kernels-doc.py --section                  print the section (compat-doc.py
                                            puts it at the end of COMPATIBILITY.md)
  kernels-doc.py --check COMPATIBILITY.md   exit 1 when the file's section is not
                                            what the committed results give, or
                                            when those results are not of this
                                            commit's library (make test-kernels-doc)
  kernels-doc.py --control                  the check's planted regressions

The committed files hold what report.py judged in each guest (counts, the
tests that were worse or better, the kernel's identity) and the commit of the
library the run tested (kernels.sh's commit.txt). As for the upstream suite's
results (capi-tests/upstream/compat-doc.py, whose commit rule this reuses),
they describe HEAD only when no library code changed since that commit; a
smoke run, a TESTS= subset or a run with uncommitted library changes is
refused by --save-results.
"""
import datetime
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
RESULTS_DIR = os.path.join(HERE, "results")
SUITES = ("bookworm", "trixie", "sid")
HEADING = "## Debian's kernels (qemu guests)"


sys.path.insert(0, os.path.join(TOP, "capi-tests"))
import results_doc  # noqa: E402 (capi-tests/results_doc.py: what the generated sections share)

load = results_doc.load


compat = load("compat_doc", os.path.join(TOP, "capi-tests", "upstream", "compat-doc.py"))
report = load("kernels_report", os.path.join(HERE, "report.py"))
judge_rules = load("judge", os.path.join(TOP, "capi-tests", "lib", "judge.py"))


def judged_lines(k):
    """The record of one guest as report.judge(kdir) judged it: our C tests
    per form (and on upstream's library), upstream's suite on both libraries,
    and the tests that were worse, better, flaky or flaky on both (also the
    guests of capi-tests/arches/arches-doc.py)."""
    L = []
    for form in ("ours", "ffi"):
        c = k["capi"].get(form)
        if not c:
            continue
        L.append(f"capi {form} passed={c['passed']} failed={c['failed']} skipped={c['skipped']} "
                 f"programs={c['programs']} worse={len(c['worse'])}")
        if c["has_ref"]:
            r = c["ref"]
            L.append(f"capi-ref {form} passed={r['passed']} failed={r['failed']} skipped={r['skipped']}")
    u = k.get("up")
    if not u or not u.get("n"):
        return L
    for side in ("ours", "ref"):
        c = u["cnt"][side]
        L.append(f"up {side} tests={u['n']} pass={c.get('PASS', 0)} skip={c.get('SKIP', 0)} "
                 f"fail={c.get('FAIL', 0) + c.get('NOTBUILT', 0)}")
    for title, xs in (("worse", u["worse"]), ("better", u["better"]), ("flaky", u["flaky"]),
                      ("both", u["both"])):
        L += [f"{title} {x.splitlines()[0]}" for x in xs]
    return L


def save_results(run_dir):
    rev = results_doc.run_commit("kernels-doc", run_dir, "a full matrix run", "test-kernels")
    if rev is None:
        return 1
    report.PLANT = True
    os.makedirs(RESULTS_DIR, exist_ok=True)
    when = datetime.datetime.fromtimestamp(os.path.getmtime(os.path.join(run_dir, "commit.txt")),
                                           datetime.timezone.utc).strftime("%Y-%m-%d")
    wall = report.read(os.path.join(run_dir, "wall-seconds")).strip() or "?"
    conf = dict(ln.split("=", 1) for ln in report.read(os.path.join(run_dir, "payload", "job.conf")).splitlines()
                if "=" in ln)
    limits = (f"a test is stopped after {conf.get('UP_TIMEOUT', '?')} s, a C program after "
              f"{conf.get('CAPI_TIMEOUT', '?')} s; up to {conf.get('PAIRS', '?')} paired runs for a worse result")
    saved = 0
    for suite in SUITES:
        kdir = os.path.join(run_dir, suite)
        if not os.path.isdir(kdir):
            print(f"kernels-doc: no {suite} in {run_dir}")
            return 1
        k = report.judge(kdir)
        if "capi" not in k or not k.get("up", {}).get("n"):
            # a guest that did not finish leaves no results: its kernel keeps
            # no file (the section says so; --check fails until a complete run)
            print(f"kernels-doc: {suite}: no results came back ({'; '.join(k['problems'])}); not recorded")
            if os.path.exists(os.path.join(RESULTS_DIR, suite + ".txt")):
                os.remove(os.path.join(RESULTS_DIR, suite + ".txt"))
            continue
        L = [f"# full matrix run of {when} at commit {rev} ({k['accel']}, the whole run {wall} s wall)",
             f"# suite {suite}",
             f"# release {k['release']}",
             f"# version {k['version']}",
             f"# guest {k['wall']} s wall",
             f"# limits {limits}"]
        for p, v, sha in k["debs"]:
            L.append(f"# package {p} {v} sha256 {sha}")
        L += judged_lines(k)
        # the tests that end FAIL or TIMEOUT on both libraries (the fail column)
        for ln in report.read(os.path.join(kdir, "results", "kt.txt")).splitlines():
            w = ln.split()
            if len(w) > 3 and w[1] == "up":
                kv = dict(x.split("=", 1) for x in w[3:] if "=" in x)
                o, r = kv.get("ours", "?").split("/")[0], kv.get("ref", "?").split("/")[0]
                if judge_rules.coarse_rank(o) == 0 and judge_rules.coarse_rank(r) == 0:
                    L.append(f"bothfail {w[2]} ({o.lower()}{'' if o == r else ', upstream ' + r.lower()})")
        for p in k["problems"]:
            L.append("problem " + p.splitlines()[0])
        with open(os.path.join(RESULTS_DIR, suite + ".txt"), "w") as fh:
            fh.write("\n".join(L) + "\n")
        saved += 1
        print(f"kernels-doc: saved {suite} to capi-tests/kernels/results/{suite}.txt")
    return 0 if saved else 1


def read_results(suite, results_dir=None):
    raw = results_doc.read_results(results_dir or RESULTS_DIR, suite)
    if raw is None:
        return None
    r = {"header": raw["header"], "capi": {}, "capi-ref": {}, "up": {}, "notes": []}
    for line in raw["lines"]:
        w = line.split()
        if w[0] in ("capi", "capi-ref"):
            r[w[0]][w[1]] = dict(x.split("=", 1) for x in w[2:])
        elif w[0] == "up":
            r["up"][w[1]] = dict(x.split("=", 1) for x in w[2:])
        else:
            r["notes"].append((w[0], line[len(w[0]) + 1:]))
    return r


def field(r, key):
    for h in r["header"]:
        if h.startswith(key + " "):
            return h[len(key) + 1:]
    return "?"


def section(results_dir=None):
    L = [HEADING, ""]
    L.append("Generated by capi-tests/kernels/kernels-doc.py from the committed "
             "capi-tests/kernels/results/<suite>.txt, which `make test-kernels` (the full matrix: every "
             "upstream test and our C tests in both forms, in a qemu guest booting Debian's kernel, with "
             "upstream's own 2.15 library as the reference in the same boot) leaves and "
             "`make kernels-results` records. `make test-kernels-doc` fails when this section differs "
             "from those files or when library code changed since the commit they name. *worse*: a test "
             "that ends below upstream's library on that kernel in that boot (PASS > SKIP > FAIL), after the "
             "further runs each kernel's line names; for our C tests, a failing check that passes on "
             "upstream's library. "
             "A skip of our C tests names the missing feature and the first kernel that has it.")
    L.append("")
    for suite in SUITES:
        r = read_results(suite, results_dir)
        if r is None:
            L.append(f"### {suite}: no recorded full run (make test-kernels-doc fails until there is one)")
            L.append("")
            continue
        m = re.search(r"at commit ([0-9a-f]{7,40})", r["header"][0])
        L.append(f"### Linux {field(r, 'release')} ({suite})")
        L.append("")
        L.append(f"`{field(r, 'version')}`; " + "; ".join(
            "`" + h[len("package "):].split(" sha256 ")[0] + "`" for h in r["header"] if h.startswith("package "))
            + f"; library at commit {m.group(1)[:12] if m else '?'}; {r['header'][0].split(' (')[-1].rstrip(')')}"
            + f"; this guest {field(r, 'guest')}; {field(r, 'limits')}.")
        L.append("")
        L.append("| | pass | skip | fail | worse |")
        L.append("| --- | ---: | ---: | ---: | ---: |")
        for form in ("ours", "ffi"):
            c = r["capi"].get(form)
            if not c:
                continue
            label = "header and liburing.so.2" if form == "ours" else "header in FFI form, liburing-ffi.so.2"
            L.append(f"| our C tests ({label}) on our library | {c['passed']} | {c['skipped']} | "
                     f"{c['failed']} | {c['worse']} |")
            rc = r["capi-ref"].get(form)
            if rc:
                L.append(f"| the same on upstream's library (`--use-libc` build) | {rc['passed']} | "
                         f"{rc['skipped']} | {rc['failed']} | - |")
        for side, label in (("ours", "on our liburing.so.2"), ("ref", "on upstream's liburing.so.2")):
            u = r["up"].get(side)
            if not u:
                continue
            worse = sum(1 for t, _ in r["notes"] if t == "worse") if side == "ours" else "-"
            L.append(f"| upstream's suite, abi mode ({u['tests']} tests), {label} | {u['pass']} | {u['skip']} | "
                     f"{u['fail']} | {worse} |")
        L.append("")
        for title, label in (("worse", "Worse"), ("better", "Better than upstream's library"),
                             ("flaky", "Passed on a retry"),
                             ("bothfail", "Failing on both libraries"),
                             ("both", "Flaky on both libraries in this guest (not counted as worse: upstream's "
                              "library, run again, ended no better than ours)"), ("problem", "Problems")):
            xs = [x for t, x in r["notes"] if t == title]
            if xs:
                L.append(f"{label}: " + ("; " if title != "bothfail" else ", ").join(xs) + ".")
                L.append("")
    return L


def check(path, results_dir=None):
    return results_doc.check(compat, path, HEADING, section(results_dir),
                             {suite: read_results(suite, results_dir) for suite in SUITES},
                             "capi-tests/kernels/results", "make test-kernels, then make kernels-results compat-doc")


def planted_results(results_dir, commit, failing):
    for s in SUITES:
        with open(os.path.join(results_dir, s + ".txt"), "w") as fh:
            fh.write(f"# full matrix run of 2026-01-01 at commit {commit} (tcg, the whole run 1 s wall)\n"
                     f"# suite {s}\n# release 6.1.0-1-amd64\n# version #1 SMP\n# guest 1 s wall\n"
                     "capi ours passed=10 failed=0 skipped=2 programs=6 worse=0\n"
                     "up ours tests=3 pass=2 skip=1 fail=0\nup ref tests=3 pass=2 skip=1 fail=0\n")


def control():
    """Planted regressions: a section edited by hand, results of a library
    older than the last library change, and no results must each fail."""
    return results_doc.control("kernels-doc", compat, planted_results, section, check,
                               lambda text: text.replace("| 10 |", "| 11 |", 1))


if __name__ == "__main__":
    sys.exit(results_doc.cli(
        "kernels-doc", os.path.join(TOP, "target", "kernels", "run"), save_results, section, check, control,
        lambda doc: f"kernels-doc: {doc}'s kernels section matches capi-tests/kernels/results/ "
                    f"({', '.join(SUITES)}), recorded from this commit's library"))
