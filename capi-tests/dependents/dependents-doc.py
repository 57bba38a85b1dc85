#!/usr/bin/env python3
"""The "Debian's build-dependents" section of COMPATIBILITY.md, from
make test-dependents and the archive check (served.sh).

  dependents-doc.py --save-results [RUN_DIR]  record each driver's last
                                              complete run (RUN_DIR, default
                                              target/dependents: <package>/
                                              record.txt) in
                                              capi-tests/dependents/results/
                                              <package>.txt
  dependents-doc.py --section                 print the section (compat-doc.py
                                              puts it at the end of
                                              COMPATIBILITY.md)
  dependents-doc.py --check COMPATIBILITY.md  exit 1 when the file's section is
                                              not what the committed results
                                              give, when a driven package has no
                                              result, records a failure, or was
                                              run on a library older than the
                                              last library change
  dependents-doc.py --control                 the check's planted regressions

A record (capi-tests/dependents/lib.sh says its lines) is kept only when its
run completed ("end" line) on committed library code; results/served.txt
(served.sh) says for all twenty build-dependents what the archive serves, and
those without a driver are listed with why.
"""
import datetime
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
RESULTS_DIR = os.path.join(HERE, "results")
HEADING = "## Debian's build-dependents"
# The packages a driver of capi-tests/dependents/ builds and tests.
# postgresql-18-deb: Debian's binary postgresql-18 package, not built here
# (postgresql-debian.sh): its upstream side is Debian's liburing2.
DRIVEN = {"postgresql-18": "postgresql.sh full", "erofs-utils": "erofs-utils.sh", "memcached": "memcached.sh",
          "postgresql-18-deb": "postgresql-debian.sh"}

sys.path.insert(0, os.path.join(TOP, "capi-tests"))
import results_doc  # noqa: E402 (capi-tests/results_doc.py: what the generated sections share)

compat = results_doc.load("compat_doc", os.path.join(TOP, "capi-tests", "upstream", "compat-doc.py"))


def save_results(run_dir):
    os.makedirs(RESULTS_DIR, exist_ok=True)
    saved = 0
    for pkg in DRIVEN:
        path = os.path.join(run_dir, pkg, "record.txt")
        try:
            lines = open(path).read().splitlines()
        except OSError:
            print(f"dependents-doc: {pkg}: no record ({path}); keeping the committed result")
            continue
        words = [ln.split() for ln in lines]
        commit = next((w[1:] for w in words if w[:1] == ["commit"]), None)
        end = next((w[1] for w in words if w[:1] == ["end"] and len(w) > 1), None)
        if not commit or end is None:
            print(f"dependents-doc: {pkg}: {path} is not a complete run (no commit or no end line); "
                  f"run capi-tests/dependents/{DRIVEN[pkg]}")
            continue
        if "with-local-changes" in commit:
            print(f"dependents-doc: {pkg}: the run had uncommitted library changes; commit, then run again")
            continue
        when = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).strftime("%Y-%m-%d")
        body = [ln for ln, w in zip(lines, words) if w and w[0] not in ("commit", "end")]
        with open(os.path.join(RESULTS_DIR, pkg + ".txt"), "w") as fh:
            fh.write(f"# {DRIVEN[pkg]} of {when} at commit {commit[0]} ({end} s wall)\n"
                     + "\n".join(body) + "\n")
        saved += 1
        print(f"dependents-doc: saved {pkg} to capi-tests/dependents/results/{pkg}.txt ({len(body)} lines)")
    return 0 if saved else 1


def read_results(name, results_dir=None):
    return results_doc.read_results(results_dir or RESULTS_DIR, name)


kv_of = results_doc.kv


def summarize(r):
    s = {"package": {}, "built": {}, "suites": {"ours": [], "upstream": []}, "proof": {}, "worse": "?",
         "plants": [], "problems": []}
    for ln in r["lines"]:
        w = ln.split()
        if w[0] == "package":
            s["package"] = kv_of(w)
        elif w[0] == "built" and len(w) >= 3:
            s["built"][w[1]] = (w[2], " ".join(w[3:]))
        elif w[0] == "suite" and len(w) >= 3:
            # the suite's name: the words before its first key=value
            k = next((i for i, x in enumerate(w) if i >= 2 and re.match(r"\w+=", x)), len(w))
            s["suites"].setdefault(w[1], []).append((" ".join(w[2:k]), kv_of(w[k:])))
        elif w[0] == "proof" and len(w) >= 3:
            s["proof"][w[1]] = (w[2], " ".join(w[3:]))
        elif w[0] == "worse":
            s["worse"] = w[1] if len(w) > 1 else "?"
        elif w[0] == "plant":
            s["plants"].append((w[1] if len(w) > 1 else "?", " ".join(w[2:])))
        elif w[0] == "problem":
            s["problems"].append(ln[8:])
    return s


def failures(name, r):
    """What a record holds that the check refuses: a problem, a side that
    did not build on ours, a worse test, a plant not caught, no plant."""
    s = summarize(r)
    p = [f"capi-tests/dependents/results/{name}.txt records a failure: {x}" for x in s["problems"]]
    if s["built"].get("ours", ("?",))[0] != "ok":
        p.append(f"capi-tests/dependents/results/{name}.txt: {name} did not build on ours")
    if s["worse"] != "0":
        p.append(f"capi-tests/dependents/results/{name}.txt: worse {s['worse']}")
    if not s["plants"] or any(v != "PASS" for v, _ in s["plants"]):
        p.append(f"capi-tests/dependents/results/{name}.txt: its planted regression was not caught")
    return p


def suite_cell(suites):
    return "; ".join(f"{n} {kv.get('pass', '?')}/{kv.get('fail', '?')}/{kv.get('skip', '?')}"
                     for n, kv in suites) or "-"


def read_served(results_dir=None):
    """{package: {version, files, served, bytes, complete, missing}} and the
    check's header line, from served.txt (or None)."""
    path = os.path.join(results_dir or RESULTS_DIR, "served.txt")
    if not os.path.exists(path):
        return None, None
    header, rows = None, {}
    for line in open(path):
        if line.startswith("# "):
            header = header or line[2:].strip()
        elif line.strip():
            w = line.split()
            rows[w[0]] = kv_of(w[1:])
    return header, rows


def not_tried(pkg, kv):
    mb = int(kv.get("bytes", 0)) / 1e6
    size = f"{mb:.1f} MB of source" if mb >= 0.1 else f"{int(kv.get('bytes', 0)) // 1000} kB of source"
    if kv.get("complete") == "yes":
        return f"served complete ({size}); no driver yet"
    if kv.get("version") == "none":
        return "sid has no such source package"
    missing = [file_kind(m) for m in kv.get("missing", "").split(",") if m]
    return (f"not served: the archive answers {kv.get('served', '?')} of its {kv.get('files', '?')} files "
            f"({size}), not {', '.join(missing)}")


def file_kind(name):
    """A source package's file by its part: the .dsc, the orig tarball, ..."""
    for suffix, kind in ((".dsc", "the .dsc"), (".asc", "the orig tarball's signature"),
                         (".debian.tar", "the debian tarball"), (".orig.tar", "the orig tarball"),
                         (".diff.gz", "the diff")):
        if suffix in name:
            return kind
    return name


def section(results_dir=None):
    L = [HEADING, ""]
    L.append("Generated by capi-tests/dependents/dependents-doc.py from the committed "
             "capi-tests/dependents/results/: `make test-dependents` builds each package below from Debian "
             "sid's source (Debian's patches applied) twice, against upstream's 2.15 header and library and "
             "against ours, runs its tests on both, and `make dependents-results` records the runs; served.txt "
             "(`make dependents-served`) says which of the twenty source packages that build-depend on "
             "liburing-dev the archive serves here. Cells are pass/fail/skip; *worse*: a test passing on "
             "upstream's library and failing on ours; *plant*: the driver's planted regression, which its check "
             "must catch. *postgresql-18-deb* is no build: Debian's own binary postgresql-18 package run on Debian's "
             "liburing2 (the *upstream's* column) and on ours through LD_LIBRARY_PATH, in a throwaway sid root, "
             "installcheck and test_aio's TAP tests (test_aio.so built from its source) against each. `make test-dependents-doc` fails when this section differs from those files, when a "
             "record holds a failure, or when library code changed since the commit a record names.")
    L.append("")
    L.append("| package | version | built on both | suites on ours | on upstream's | worse | liburing code path "
             "(ours) | plant | library at commit |")
    L.append("| --- | --- | --- | --- | --- | ---: | --- | --- | --- |")
    notes = []
    for pkg in DRIVEN:
        r = read_results(pkg, results_dir)
        if r is None:
            L.append(f"| {pkg} | no recorded run |" + " |" * 7)
            continue
        s = summarize(r)
        built = {side: s["built"].get(side, ("-", ""))[0] for side in ("upstream", "ours")}
        built_cell = "yes" if set(built.values()) == {"ok"} else f"ours {built['ours']}, upstream's {built['upstream']}"
        proof = s["proof"].get("ours", ("-", ""))
        plant = ("caught" if s["plants"] and all(v == "PASS" for v, _ in s["plants"]) else "NOT caught"
                 if s["plants"] else "none")
        m = re.search(r"at commit ([0-9a-f]{7,40})", r["header"][0] if r["header"] else "")
        source = s["package"].get("source", "?")
        L.append(f"| {pkg} | {s['package'].get('version', '?')}{' (.dsc from the index)' if source == 'dsc-from-index' else ''} "
                 f"| {built_cell} | {suite_cell(s['suites'].get('ours', []))} | "
                 f"{suite_cell(s['suites'].get('upstream', []))} | {s['worse']} | "
                 f"{proof[1] + ('' if proof[0] in ('ok', 'none') else ' (FAIL)')} | {plant} | "
                 f"{m.group(1)[:12] if m else '?'} |")
        what = s["built"].get("ours", ("", ""))[1]
        when = r["header"][0].split(" at commit")[0].split(" of ")[-1] if r["header"] else "?"
        wall = re.search(r"\((\d+) s wall\)", r["header"][0]) if r["header"] else None
        extra = [f"built: {what}", f"recorded {when}, {wall.group(1) if wall else '?'} s wall"]
        extra += [f"plant: {t}" for _, t in s["plants"]]
        if s["problems"]:
            extra.append("problems: " + "; ".join(s["problems"]))
        notes.append(f"- **{pkg}**: " + "; ".join(extra) + ".")
    L.append("")
    L += notes
    L.append("")
    header, served = read_served(results_dir)
    if served is None:
        L.append("No archive check recorded (capi-tests/dependents/results/served.txt is missing).")
    else:
        rest = [p for p in served if p not in DRIVEN]
        L.append(f"Not built: {len(rest)} of the {len(served)}, from the {header.split(' (')[0]} "
                 f"({header.split(' (', 1)[1] if ' (' in header else ''}:")
        L.append("")
        for p in rest:
            L.append(f"- **{p}** {served[p].get('version', '?')}: {not_tried(p, served[p])}.")
    L.append("")
    return L


def check(path, results_dir=None):
    problems = results_doc.check(compat, path, HEADING, section(results_dir),
                                 {p: read_results(p, results_dir) for p in DRIVEN},
                                 "capi-tests/dependents/results", "make test-dependents, then make dependents-results "
                                 "compat-doc", failures)
    if read_served(results_dir)[1] is None:
        problems.append("no capi-tests/dependents/results/served.txt (make dependents-served)")
    return problems


def planted_results(results_dir, commit, failing):
    with open(os.path.join(results_dir, "served.txt"), "w") as fh:
        fh.write("# archive check of 2026-01-01\n" + "".join(
            f"{p} version=1.0-1 files=3 served=3 bytes=1000 complete=yes\n" for p in DRIVEN)
            + "ceph version=2-1 files=3 served=1 bytes=246000000 complete=no missing=ceph_2-1.dsc\n")
    for p in DRIVEN:
        with open(os.path.join(results_dir, p + ".txt"), "w") as fh:
            fh.write(f"# {DRIVEN[p]} of 2026-01-01 at commit {commit} (1 s wall)\n"
                     f"package {p} version=1.0-1 source=complete\n"
                     "built upstream ok make\nbuilt ours ok make\n"
                     "suite upstream check pass=10 fail=0 skip=2\nsuite ours check pass=10 fail=0 skip=2\n"
                     "proof ours ok rings made\nworse 0\nplant PASS caught\n"
                     + ("problem the suite did not run\n" if failing and p == "erofs-utils" else ""))


def control():
    """Planted regressions: a section edited by hand, results of a library
    older than the last library change, a recorded failure and no results
    must each fail; HEAD's results with the generated section must pass."""
    return results_doc.control("dependents-doc", compat, planted_results, section, check,
                               lambda text: text.replace("10/0/2", "11/0/2", 1), failure_case=True)


if __name__ == "__main__":
    sys.exit(results_doc.cli(
        "dependents-doc", os.path.join(TOP, "target", "dependents"), save_results, section, check, control,
        lambda doc: f"dependents-doc: {doc}'s build-dependents section matches capi-tests/dependents/results/ "
                    f"({', '.join(DRIVEN)}; served.txt), recorded from this commit's library"))
