#!/usr/bin/env python3
"""make test-ordering: the ordering table against the code, the checker's own
planted regressions, herd7 on the litmus tests of the C header's handshakes
(litmus.py, herd.sh) with one planted regression per acquire and release of
the header, the loom model of the real ring code, and one planted regression
per acquire, release and fence of the Rust rows.

Environment: CARGO (default cargo), LOOM_MAX_PREEMPTIONS (default 2),
ORDERING_FIGURES (where the figures go, default target/ordering/figures.txt),
ORDERING_HERD_ROOT (development only: herd.sh's Debian sid root).
Exit status 0 only when the table matches, every checker plant fails the
checker, every litmus test passes on the header and every header plant is
caught, every scenario passes on the real code and every plant is caught.
herd.sh without a root follows skip.sh (SKIP=root or SKIP=arches-root).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHECK = os.path.join(HERE, "check-table.py")
sys.path.insert(0, HERE)


def checker(root, table=None):
    cmd = [sys.executable, CHECK, "--root", root]
    if table:
        cmd += ["--table", table]
    return subprocess.run(cmd, capture_output=True, text=True)


def copy_tree(dst):
    import importlib.util
    spec = importlib.util.spec_from_file_location("check_table", CHECK)
    ct = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ct)
    for f in ct.RUST_FILES + ct.C_FILES + ["src/tests/ordering.rs", "docs/ORDERING.md"]:
        os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
        shutil.copy(os.path.join(ROOT, f), os.path.join(dst, f))


def edit(path, old, new):
    text = open(path).read()
    if old not in text:
        raise SystemExit(f"checker plant: {old!r} not found in {path}")
    open(path, "w").write(text.replace(old, new, 1))


def checker_plants():
    """Each must make check-table.py fail; returns (caught, planted)."""
    plants = [
        ("R8's Acquire turned into Relaxed (src/ring.rs load_cq_tail)",
         "src/ring.rs", "atomic_u32(self.cq.ktail) }.load(Ordering::Acquire)",
         "atomic_u32(self.cq.ktail) }.load(Ordering::Relaxed)", "relaxed in the code, acquire in the table"),
        ("an extra fence in cq_advance, not in the table",
         "src/ring.rs", "        if nr != 0 {\n", "        if nr != 0 {\n            fence(Ordering::SeqCst);\n",
         "not in the table"),
        ("row R11 removed from the table",
         "docs/ORDERING.md", "| R11 |", "| X11 |", "not in the table"),
        ("C header: C5's release store turned into WRITE_ONCE",
         "include/liburing.h", "io_uring_smp_store_release(ring->cq.khead,",
         "IO_URING_WRITE_ONCE(*ring->cq.khead,", "relaxed in the code, release in the table"),
        ("C5 made WRITE_ONCE in the header and relaxed in the table",
         "include/liburing.h", "io_uring_smp_store_release(ring->cq.khead,",
         "IO_URING_WRITE_ONCE(*ring->cq.khead,", "twin R11"),
    ]
    caught = 0
    for what, f, old, new, expect in plants:
        with tempfile.TemporaryDirectory() as d:
            copy_tree(d)
            edit(os.path.join(d, f), old, new)
            if what.startswith("C5 made WRITE_ONCE"):
                edit(os.path.join(d, "docs/ORDERING.md"), "| `cq.khead` | store | release | as R11 |",
                     "| `cq.khead` | store | relaxed | as R11 |")
            r = checker(d)
            ok = r.returncode != 0 and expect in r.stdout
            caught += ok
            first = next((l for l in r.stdout.splitlines() if l.startswith("ORDERING TABLE:")), r.stdout.strip())
            print(f"checker plant: {what}: {'caught' if ok else 'MISSED'}: {first}")
    return caught, len(plants)


def herd(failed):
    """herd7 on the header's litmus tests and their plants: the figures."""
    d = os.path.join(ROOT, "target/ordering/litmus")
    out = os.path.join(ROOT, "target/ordering/herd7.txt")
    w = subprocess.run([sys.executable, os.path.join(HERE, "litmus.py"), "--write", d],
                       capture_output=True, text=True)
    if w.returncode:
        sys.stdout.write(w.stdout + w.stderr)
        failed.append("the litmus tests could not be generated from the header")
        return None
    r = subprocess.run([os.path.join(HERE, "herd.sh"), d, out], capture_output=True, text=True)
    sys.stdout.write(r.stdout + r.stderr)
    if r.returncode:
        failed.append("herd7 did not run (herd.sh)")
        return None
    if not os.path.exists(out):
        print("herd7: skipped (no Debian sid root, opted out)")
        return None
    import importlib.util
    spec = importlib.util.spec_from_file_location("ordering_litmus", os.path.join(HERE, "litmus.py"))
    lm = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lm)
    real, _, plant = open(out).read().partition("\n=== plant ===\n")
    v = lm.judge(real, plant)
    for f in v["failed"]:
        print("FAIL herd7:", f)
        failed.append(f"herd7: {f}")
    # The generator against a header edit: a copy whose CQ head release
    # store (C5) is WRITE_ONCE must give a relaxed test that herd7 fails.
    ed = os.path.join(ROOT, "target/ordering/header-edit")
    shutil.rmtree(ed, ignore_errors=True)
    os.makedirs(os.path.join(ed, "include"))
    shutil.copy(os.path.join(ROOT, "include/liburing.h"), os.path.join(ed, "include"))
    edit(os.path.join(ed, "include/liburing.h"), "io_uring_smp_store_release(ring->cq.khead,",
         "IO_URING_WRITE_ONCE(*ring->cq.khead,")
    subprocess.run([sys.executable, os.path.join(HERE, "litmus.py"), "--root", ed, "--write",
                    os.path.join(ed, "litmus")], check=True, capture_output=True)
    eout = os.path.join(ed, "herd7.txt")
    subprocess.run([os.path.join(HERE, "herd.sh"), os.path.join(ed, "litmus"), eout], capture_output=True)
    ereal, _, eplant = open(eout).read().partition("\n=== plant ===\n") if os.path.exists(eout) else ("", "", "")
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        ev = lm.judge(ereal, eplant, ed)
    eok = bool(ev["failed"]) and all("cq_head_release" in f for f in ev["failed"])
    v["edit_caught"] = eok
    print(f"herd7 header edit: C5's release store made WRITE_ONCE in a copy of the header: "
          f"{'caught' if eok else 'MISSED'}: {ev['failed'][0] if ev['failed'] else 'every test passed'}")
    if not eok:
        failed.append("herd7: the header edit (C5 made WRITE_ONCE) did not fail cq_head_release alone")
    print(f"herd7 (rc11.cat): {v['tests']} litmus tests of {len(v['handshakes'])} handshakes "
          f"({', '.join(v['handshakes'])}), {v['pass']} pass on the header, {v['states']} states; "
          f"plants caught {v['caught']}/{v['planted']}")
    return v


def build_model(cargo):
    env = dict(os.environ, RUSTFLAGS="--cfg loom")
    cmd = [cargo, "test", "--release", "--lib", "--target-dir", "target/loom", "--no-run"]
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    sys.stderr.write(r.stderr[-3000:] if r.returncode else "")
    if r.returncode:
        raise SystemExit("test-ordering: the loom build failed")
    m = re.search(r"Executable unittests src/lib.rs \(([^)]+)\)", r.stderr)
    if not m:
        raise SystemExit("test-ordering: no test executable in cargo's output")
    return os.path.join(ROOT, m.group(1))


def run_model(binary, plant=None, scenarios=None):
    env = dict(os.environ)
    env.setdefault("LOOM_MAX_PREEMPTIONS", "2")
    env.pop("LOOM_PLANT", None)
    env.pop("ORDERING_SCENARIOS", None)
    if plant:
        env["LOOM_PLANT"] = plant
    if scenarios:
        env["ORDERING_SCENARIOS"] = ",".join(scenarios)
    r = subprocess.run([binary, "--exact", "tests::ordering::ordering_model", "--nocapture", "--test-threads=1"],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    # libtest prints "test NAME ... " before the test's own first line.
    lines = []
    for l in r.stdout.splitlines():
        m = re.search(r"(scenario \w+: .*|plant site executed: \w+|executions explored: \d+)$", l)
        if m:
            lines.append(m.group(1))
    return r.returncode, lines


def main():
    t0 = time.monotonic()
    cargo = os.environ.get("CARGO", "cargo")
    figures = os.environ.get("ORDERING_FIGURES", os.path.join(ROOT, "target/ordering/figures.txt"))
    failed = []

    r = checker(ROOT)
    sys.stdout.write(r.stdout)
    if r.returncode:
        failed.append("the ordering table does not match the code")
    c_caught, c_planted = checker_plants()
    if c_caught != c_planted:
        failed.append("a checker plant was missed")
    t_herd = time.monotonic()
    hv = herd(failed)
    t_herd = time.monotonic() - t_herd

    binary = build_model(cargo)
    t_build = time.monotonic() - t0
    print(f"loom model built in {t_build:.0f} s (LOOM_MAX_PREEMPTIONS={os.environ.get('LOOM_MAX_PREEMPTIONS', '2')})")

    rc, lines = run_model(binary)
    for l in lines:
        print(l)
    passes = [l for l in lines if re.match(r"scenario \w+: pass", l)]
    n_scen = len([l for l in lines if l.startswith("scenario ")])
    execs = sum(int(m.group(1)) for l in passes for m in [re.search(r"pass, (\d+) executions", l)])
    if rc or len(passes) != n_scen or n_scen == 0:
        failed.append("a scenario fails on the real code")

    p = subprocess.run([sys.executable, CHECK, "--plants"], capture_output=True, text=True)
    plants = json.loads(p.stdout)
    caught = 0
    plant_execs = 0
    for pl in plants:
        rc, lines = run_model(binary, pl["site"], pl["scenarios"])
        fails = [l for l in lines if ": FAIL" in l]
        hit = any(l == "plant site executed: true" for l in lines)
        plant_execs += sum(int(x) for l in lines for x in re.findall(r"(?:pass, |after )(\d+) executions", l))
        ok = bool(fails) and hit
        caught += ok
        how = fails[0] if fails else ("site never executed" if not hit else "every scenario passed")
        ran = len([l for l in lines if l.startswith("scenario ")])
        print(f"plant {pl['id']} {pl['site']} ({pl['what']} -> relaxed/none): {'caught' if ok else 'MISSED'} "
              f"by {len(fails)} of its {ran} scenarios; first: {how[:300]}")
    if caught != len(plants) or not plants:
        failed.append("a planted regression was not caught")

    wall = time.monotonic() - t0
    summary = (f"test-ordering: {n_scen} scenarios, {len(passes)} pass on the real code, "
               f"{execs} executions explored; plants caught {caught}/{len(plants)} "
               f"({plant_execs} executions); checker plants caught {c_caught}/{c_planted}; "
               + (f"herd7 {hv['pass']}/{hv['tests']} litmus tests pass, plants caught {hv['caught']}/{hv['planted']}, "
                  f"header edit {'caught' if hv.get('edit_caught') else 'MISSED'} ({t_herd:.0f} s); " if hv else "herd7 skipped; ")
               + f"{wall:.0f} s (build {t_build:.0f} s)")
    print(summary)
    os.makedirs(os.path.dirname(figures), exist_ok=True)
    with open(figures, "w") as f:
        f.write(f"scenarios {n_scen}\nscenarios_pass {len(passes)}\nexecutions {execs}\n"
                f"plants {len(plants)}\nplants_caught {caught}\nchecker_plants {c_planted}\n"
                f"checker_plants_caught {c_caught}\nwall_seconds {wall:.0f}\n")
        if hv:
            f.write(f"herd_tests {hv['tests']}\nherd_pass {hv['pass']}\nherd_states {hv['states']}\n"
                    f"herd_handshakes {len(hv['handshakes'])}\nherd_plants {hv['planted']}\n"
                    f"herd_plants_caught {hv['caught']}\nherd_edit_caught {int(bool(hv.get('edit_caught')))}\n"
                    f"herd_seconds {t_herd:.1f}\n")
    for x in failed:
        print("FAIL test-ordering:", x)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
