#!/usr/bin/env python3
"""The Debian architectures section of COMPATIBILITY.md, from make test-arches.

  arches-doc.py --save-results [RUN_DIR]   record a complete `make test-arches`
                                           run (default target/arches-run) in
                                           capi-tests/arches/results/<arch>.txt
  arches-doc.py --section                  print the section (compat-doc.py
                                           puts it at the end of COMPATIBILITY.md)
  arches-doc.py --check COMPATIBILITY.md   exit 1 when the file's section is not
                                           what the committed results give, or
                                           when those results are not of this
                                           commit's library (make test-arches-doc)
  arches-doc.py --control                  the check's planted regressions

The run directory is what mk/arches.mk's test-arches leaves: commit.txt (the
commit and whether library code had uncommitted changes), run-kind.txt (full,
or the subset asked for), start-seconds, and verdicts.txt, every "PASS:" and
"FAIL:" line of the scripts in capi-tests/arches/ (lib.sh's pass and fail)
and a "GUEST: ARCH KIND DIR" line per guest, whose directory the kernels'
judge (capi-tests/kernels/report.py) reads again here. The commit rule is the
upstream suite's (capi-tests/upstream/compat-doc.py): the results describe
HEAD only while no library code changed since the commit they name.
"""
import datetime
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
RESULTS_DIR = os.path.join(HERE, "results")
ARCHES = ("i386", "arm64", "armhf", "s390x", "riscv64", "ppc64el")
HEADING = "## Debian's architectures"


sys.path.insert(0, os.path.join(TOP, "capi-tests"))
import results_doc  # noqa: E402 (capi-tests/results_doc.py: what the generated sections share)

load = results_doc.load


compat = load("compat_doc", os.path.join(TOP, "capi-tests", "upstream", "compat-doc.py"))
report = load("kernels_report", os.path.join(TOP, "capi-tests", "kernels", "report.py"))
kernels_doc = load("kernels_doc", os.path.join(TOP, "capi-tests", "kernels", "kernels-doc.py"))

# run.sh's per-mode summary line, as upstream-i386.sh quotes it:
# "abi 237 17 1 0 0 27s 217s worse: 0, flaky: 0, env: 0, better: 0, ..."
SUITE_LINE = re.compile(r"(abi|reference) (\d+) (\d+) (\d+) (\d+) (\d+) \S+ \S+(?: worse: (\d+), flaky: (\d+), "
                        r"env: (\d+), better: (\d+))?")


def arch_lines(a, verdicts):
    """The result lines of one architecture from a run's verdicts."""
    L = []
    for v in verdicts:
        m = re.match(r"(PASS|FAIL|SKIP): (.*)$", v)
        if not m:
            continue
        verdict, text = m.groups()
        if text.startswith(f"{a}: symbols: "):
            L.append(f"symbols {verdict} {text[len(a) + 11:]}")
        elif text.startswith(f"{a}: layout: "):
            L.append(f"layout {verdict} {text[len(a) + 10:]}")
        elif text.startswith(f"{a}: planted: "):
            L.append(f"plant {verdict} {text[len(a) + 11:]}")
        elif text.startswith(f"{a}: dpkg -i "):
            L.append(f"deb {verdict} {text[len(a) + 2:]}")
        elif a == "i386" and (c := re.match(r"i386 (\w+)/([\w-]+)(/valgrind)?: (\d+) passed, (\d+) failed", text)):
            # the kernels' record format: capi (ours), capi-ref (upstream's library); under valgrind apart
            kind = "capi-valgrind" if c.group(3) else "capi-ref" if c.group(2) == "upstream-lib" else "capi"
            L.append(f"{kind} {c.group(1)} passed={c.group(4)} failed={c.group(5)}")
        elif a == "i386" and text.startswith("i386 upstream suite"):
            for s in SUITE_LINE.finditer(text):
                side = "ours" if s.group(1) == "abi" else "ref"
                L.append(f"up {side} tests={sum(int(x) for x in s.groups()[1:6])} pass={s.group(2)} "
                         f"skip={s.group(3)} fail={int(s.group(4)) + int(s.group(5)) + int(s.group(6))}"
                         + (f" worse={s.group(7)} flaky={s.group(8)} better={s.group(10)}" if s.group(7) else ""))
        # Any verdict of this architecture that is not a pass (a symbol,
        # layout, C test or suite failure, a missed plant) is a problem too:
        # arches-doc --check refuses a record that holds one.
        if verdict != "PASS" and re.match(rf"(i386 )?{a}\b", text):
            L.append(f"problem {text}")
    return L


def guest_lines(kdir):
    """A guest's record: the kernels' (kernels-doc.py's judged_lines), under
    a line naming the guest and its kernel."""
    k = report.judge(kdir)
    return ([f"guest {os.path.basename(kdir)} release={k['release']} accel={k['accel']} wall={k['wall']}"]
            + kernels_doc.judged_lines(k) + ["problem " + p.splitlines()[0] for p in k["problems"]])


def save_results(run_dir):
    rev = results_doc.run_commit("arches-doc", run_dir, "a run of every architecture", "test-arches")
    if rev is None:
        return 1
    vpath = os.path.join(run_dir, "verdicts.txt")
    verdicts = report.read(vpath).splitlines()
    start = report.read(os.path.join(run_dir, "start-seconds")).strip()
    wall = int(os.path.getmtime(vpath) - int(start)) if start.isdigit() and verdicts else "?"
    when = datetime.datetime.fromtimestamp(os.path.getmtime(vpath), datetime.timezone.utc).strftime("%Y-%m-%d")
    guests = {}
    for v in verdicts:
        w = v.split()
        if w[:1] == ["GUEST:"] and len(w) == 4:
            guests[w[1]] = w[3]
    os.makedirs(RESULTS_DIR, exist_ok=True)
    for a in ARCHES:
        L = [f"# make test-arches of {when} at commit {rev} (the whole run {wall} s wall)", f"# arch {a}"]
        L += arch_lines(a, verdicts)
        if a in guests:
            L += guest_lines(guests[a])
        elif a != "i386":
            L.append("problem no guest ran for this architecture")
        with open(os.path.join(RESULTS_DIR, a + ".txt"), "w") as fh:
            fh.write("\n".join(L) + "\n")
        print(f"arches-doc: saved {a} to capi-tests/arches/results/{a}.txt ({len(L) - 2} lines)")
    return 0


def read_results(a, results_dir=None):
    return results_doc.read_results(results_dir or RESULTS_DIR, a)


kv_of = results_doc.kv


def summarize(r):
    """The table row's cells and the notes under the table for one arch."""
    s = {"symbols": "-", "layout": "-", "capi": [], "capi_ref": [], "capi_valgrind": [], "up": {}, "notes": [],
         "problems": [],
         "plants": [0, 0], "deb": "-", "where": "-"}
    for ln in r["lines"]:
        w = ln.split()
        if w[0] == "symbols":
            nums = re.findall(r"(\d+) of (\d+)", ln)
            s["symbols"] = " and ".join(f"{x}/{y}" for x, y in nums) + ("" if w[1] == "PASS" else " (FAIL)")
        elif w[0] == "layout":
            m = re.search(r"(\d+) structs, (\d+) fields, (.*?) \(", ln)
            s["layout"] = (f"{m.group(1)} structs, {m.group(2)} fields, {m.group(3)}" if m else ln[7:]) + \
                ("" if w[1] == "PASS" else " (FAIL)")
        elif w[0] == "plant":
            s["plants"][0 if w[1] == "PASS" else 1] += 1
        elif w[0] == "deb":
            s["deb"] = "installs" if w[1] == "PASS" else "FAIL"
        elif w[0] in ("capi", "capi-ref", "capi-valgrind"):
            kv = kv_of(w)
            cell = f"{kv['passed']}/{kv.get('skipped', '-')}/{kv['failed']}"
            s[w[0].replace("-", "_")].append((w[1], cell, int(kv.get("worse", 0))))
        elif w[0] == "up":
            s["up"][w[1]] = kv_of(w)
        elif w[0] == "guest":
            kv = kv_of(w)
            s["where"] = f"qemu ({kv['accel']}), Debian's Linux {kv['release']}"
        elif w[0] in ("worse", "better", "flaky", "both"):
            s["notes"].append((w[0], ln[len(w[0]) + 1:]))
        elif w[0] == "problem":
            s["problems"].append(ln[8:])
    if s["where"] == "-" and s["capi"]:
        s["where"] = "native (32-bit programs on this x86_64 kernel)"
    return s


def section(results_dir=None):
    L = [HEADING, ""]
    L.append("Generated by capi-tests/arches/arches-doc.py from the committed capi-tests/arches/results/<arch>.txt, "
             "which `make test-arches` leaves in target/arches-run and `make arches-results` records. The library "
             "is built by Debian unstable's own rustc and gcc for each architecture (`make cross`). *symbols*: "
             "liburing.so.2's and liburing-ffi.so.2's exported names and versions against upstream's version "
             "scripts; *layout*: every public struct and member of upstream's header and ours, both compiled by "
             "that architecture's gcc. *C tests*: pass/skip/fail of our C tests (on i386 the three header forms, "
             "each on our library and on upstream's own i386 build; in a guest both forms, each on both "
             "libraries); *upstream's suite*: upstream 2.15's tests built for the architecture in abi mode, on "
             "our library and on upstream's own one in the same run (in a guest, the kernels' smoke list). "
             "*worse*: a test or check that ends below upstream's library in that run. `make test-arches-doc` "
             "fails when this section differs from those files or when library code changed since the commit "
             "they name.")
    L.append("")
    rows, notes = [], []
    for a in ARCHES:
        r = read_results(a, results_dir)
        if r is None:
            rows.append(f"| {a} | no recorded run |" + " |" * 8)
            continue
        s = summarize(r)
        ours = "; ".join(f"{form} {cell}" for form, cell, _ in s["capi"])
        ref = "; ".join(f"{form} {cell}" for form, cell, _ in s["capi_ref"])
        up_o, up_r = s["up"].get("ours"), s["up"].get("ref")

        def up_cell(x):
            return f"{x['pass']}/{x['skip']}/{x['fail']} of {x['tests']}" if x else "-"
        # worse and better: counted in the record (i386's run.sh summary) or
        # one note line per test (a guest's judge, as for the kernels)
        listed = {t: sum(1 for n, _ in s["notes"] if n == t) for t in ("worse", "better")}
        worse = int(up_o.get("worse", listed["worse"])) if up_o else 0
        worse += sum(w for *_, w in s["capi"])
        better = int(up_o.get("better", listed["better"])) if up_o else 0
        rows.append(f"| {a} | {s['where']} | {s['symbols']} | {s['layout']} | {ours or '-'} | {ref or '-'} | "
                    f"{up_cell(up_o)} | {up_cell(up_r)} | {worse} | {better} |")
        m = re.search(r"at commit ([0-9a-f]{7,40})", r["header"][0])
        extra = [f"library at commit {m.group(1)[:12] if m else '?'}",
                 f"planted regressions caught {s['plants'][0]}, missed {s['plants'][1]}",
                 f"packages (`make deb ARCH={a}`, `dpkg -i`): {s['deb']}"]
        if s["capi_valgrind"]:
            extra.append("our C tests under valgrind: " + "; ".join(f"{f} {c}" for f, c, _ in s["capi_valgrind"]))
        for title, label in (("worse", "worse"), ("better", "better than upstream's library"),
                             ("flaky", "passed on a retry"), ("both", "flaky on both libraries")):
            xs = [x for t, x in s["notes"] if t == title]
            if xs:
                extra.append(f"{label}: " + "; ".join(xs))
        if s["problems"]:
            extra.append("problems: " + "; ".join(s["problems"]))
        notes.append(f"- **{a}**: " + "; ".join(extra) + ".")
    L.append("| arch | where the tests ran | symbols | layout | our C tests on ours (pass/skip/fail) | "
             "on upstream's | upstream's suite on ours | on upstream's | worse | better |")
    L.append("| --- | --- | --- | --- | --- | --- | --- | --- | ---: | ---: |")
    L += rows
    L.append("")
    L += notes
    r0 = read_results(ARCHES[0], results_dir)
    if r0:
        L.append("")
        L.append(f"Recorded from {r0['header'][0].split(' (')[0].replace('make test-arches of ', 'the run of ')}"
                 f" ({r0['header'][0].split(' (')[-1].rstrip(')')}).")
    L.append("")
    return L


def check(path, results_dir=None):
    return results_doc.check(compat, path, HEADING, section(results_dir),
                             {a: read_results(a, results_dir) for a in ARCHES},
                             "capi-tests/arches/results", "make test-arches, then make arches-results compat-doc",
                             lambda a, r: [f"capi-tests/arches/results/{a}.txt records a failure: {ln[8:]}"
                                           for ln in r["lines"] if ln.startswith("problem ")])


def planted_results(results_dir, commit, failing):
    for a in ARCHES:
        with open(os.path.join(results_dir, a + ".txt"), "w") as fh:
            fh.write(f"# make test-arches of 2026-01-01 at commit {commit} (the whole run 1 s wall)\n"
                     f"# arch {a}\nsymbols PASS liburing.so: 83 of 83 present; liburing-ffi.so: 222 of 222"
                     " present\nlayout PASS 50 structs, 324 fields, all equal (gcc)\n"
                     "capi ours passed=10 failed=0 skipped=2 programs=6 worse=0\n"
                     "up ours tests=3 pass=2 skip=1 fail=0\nup ref tests=3 pass=2 skip=1 fail=0\n"
                     + ("problem arm64: the guest run failed\n" if failing and a == "arm64" else ""))


def control():
    """Planted regressions: a section edited by hand, results of a library
    older than the last library change, a recorded failure and no results
    must each fail; HEAD's results with the generated section must pass."""
    return results_doc.control("arches-doc", compat, planted_results, section, check,
                               lambda text: text.replace("10/2/0", "11/2/0", 1), failure_case=True)


if __name__ == "__main__":
    sys.exit(results_doc.cli(
        "arches-doc", os.path.join(TOP, "target", "arches-run"), save_results, section, check, control,
        lambda doc: f"arches-doc: {doc}'s architectures section matches capi-tests/arches/results/ "
                    f"({', '.join(ARCHES)}), recorded from this commit's library"))
