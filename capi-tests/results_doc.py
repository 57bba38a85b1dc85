"""What the sections of COMPATIBILITY.md generated from committed results
share (capi-tests/kernels/kernels-doc.py, capi-tests/arches/arches-doc.py,
capi-tests/dependents/dependents-doc.py): reading a results file, finding a
section in the document, the planted regressions of its check, and the
command line.

Each generator gives section(results_dir) -> lines and check(doc, results_dir)
-> problems; the committed results are valid for HEAD only while no library
code changed since the commit they name (compat-doc.py's commit_problem).
"""
import argparse
import importlib.util
import os
import tempfile


def load(name, path):
    """The Python file at path as a module (the tools' names have dashes)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_results(results_dir, name):
    """results_dir/<name>.txt as {"header": its "# " lines without the "# ",
    "lines": its other lines that are not blank}, or None when it is not
    there."""
    path = os.path.join(results_dir, name + ".txt")
    if not os.path.exists(path):
        return None
    r = {"header": [], "lines": []}
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# "):
            r["header"].append(line[2:])
        elif line.strip():
            r["lines"].append(line)
    return r


def kv(words):
    """The words of the form KEY=VALUE as a dict (the others left out)."""
    return dict(x.split("=", 1) for x in words if "=" in x)


def doc_section(text, heading):
    """The part of text from the line heading to the next "## " heading."""
    i = text.find("\n" + heading + "\n")
    if i < 0:
        return None
    rest = text[i + 1:]
    j = rest.find("\n## ", len(heading))
    return rest if j < 0 else rest[:j + 1]


def run_commit(tool, run_dir, what, make_target):
    """The commit a complete run in run_dir tested (its run-kind.txt says
    "full", its commit.txt names the commit and no uncommitted library
    change), or None after saying why not."""
    try:
        kind = open(os.path.join(run_dir, "run-kind.txt")).read().split()
    except OSError:
        kind = []
    if kind[:1] != ["full"]:
        print(f"{tool}: {run_dir} is not {what} ({' '.join(kind) or 'no run-kind.txt'}); run make {make_target}")
        return None
    try:
        rev, *flags = open(os.path.join(run_dir, "commit.txt")).read().split()
    except (OSError, ValueError):
        print(f"{tool}: {run_dir}/commit.txt is missing: which library ran is unknown")
        return None
    if "with-local-changes" in flags:
        print(f"{tool}: the run in {run_dir} had uncommitted library changes; commit, then run again")
        return None
    return rev


def check(compat, doc, heading, want, recorded, rel_dir, hint, failures=lambda name, r: []):
    """Why doc's section under heading is not the generated want (lines), or
    the recorded results ({name: results or None}, each with its "header"
    lines, from rel_dir/<name>.txt) do not describe HEAD's library; failures
    (name, results) adds what a generator refuses in a record itself."""
    problems = []
    have = doc_section(open(doc).read(), heading)
    if have is None:
        problems.append(f"{doc} has no '{heading}' section (make compat-doc)")
    elif have.rstrip("\n") != "\n".join(want).rstrip("\n"):
        problems.append(f"{doc}'s section '{heading}' differs from {rel_dir}/ (make compat-doc)")
    for name, r in recorded.items():
        if r is None:
            problems.append(f"no {rel_dir}/{name}.txt ({hint})")
            continue
        p = compat.commit_problem(r["header"], f"{rel_dir}/{name}.txt")
        if p:
            problems.append(p)
        problems += failures(name, r)
    return problems


def control(tool, compat, make_results, section, check, edit, failure_case=False):
    """The check's planted regressions. make_results(dir, commit, failing)
    writes results of that commit into dir (with a recorded failure when
    failing); edit(text) changes one number of a generated section. The
    generated section of HEAD's results must be accepted; results from before
    the last library change, an edited number, no results (and, with
    failure_case, a recorded failure) must each be refused."""
    last = compat.git("log", "-1", "--format=%H", "--", *compat.LIBRARY_PATHS).stdout.strip()
    before = compat.git("rev-parse", last + "^").stdout.strip()
    head = compat.git("rev-parse", "HEAD").stdout.strip()
    plan = [("HEAD's results, the doc as generated", head, False, False, True),
            ("results from before the last library change", before, False, False, False),
            ("a number edited in the doc", head, True, False, False)]
    if failure_case:
        plan.append(("a recorded failure", head, False, True, False))
    cases = []
    with tempfile.TemporaryDirectory() as d:
        for n, (name, commit, do_edit, failing, ok) in enumerate(plan):
            rd = os.path.join(d, f"case{n}")
            os.makedirs(rd)
            make_results(rd, commit, failing)
            text = "# doc\n\n" + "\n".join(section(rd)) + "\n"
            doc = os.path.join(rd, "doc.md")
            with open(doc, "w") as f:
                f.write(edit(text) if do_edit else text)
            cases.append((name, check(doc, rd), ok))
        rd = os.path.join(d, "none")
        os.makedirs(rd)
        doc = os.path.join(d, "doc.md")
        with open(doc, "w") as f:
            f.write("# doc\n\n" + "\n".join(section(rd)) + "\n")
        cases.append(("no results at all", check(doc, rd), False))
    bad = 0
    for name, problems, ok in cases:
        if (not problems) != ok:
            print(f"{tool} control: {name}: {'refused' if problems else 'accepted'}"
                  + (": " + "; ".join(problems) if problems else ""))
            bad += 1
    if bad:
        return 1
    refused = ", ".join(name for name, _, ok in cases if not ok)
    print(f"{tool} control: {len(cases)} planted states judged right (the generated section of HEAD's results "
          f"accepted; refused: {refused})")
    return 0


def cli(tool, default_run, save_results, section, check, control_fn, matches):
    """The command line of a generator: --save-results [RUN_DIR], --section,
    --check FILE, --control. matches(file) is the line printed when the check
    passes."""
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save-results", nargs="?", const=default_run)
    g.add_argument("--section", action="store_true")
    g.add_argument("--check", metavar="FILE")
    g.add_argument("--control", action="store_true")
    a = ap.parse_args()
    if a.save_results:
        return save_results(a.save_results)
    if a.section:
        print("\n".join(section()))
        return 0
    if a.control:
        return control_fn()
    problems = check(a.check)
    if problems:
        print(f"{tool}: FAIL:")
        print("\n".join("  " + p for p in problems))
        return 1
    print(matches(a.check))
    return 0
