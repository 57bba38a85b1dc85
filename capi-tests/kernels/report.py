#!/usr/bin/env python3
"""Judge and print the results of capi-tests/kernels/kernels.sh.

    report.py [--kind run|smoke] [--qemu-libdir DIR] [--markdown FILE] KERNEL_OUT_DIR...

Each KERNEL_OUT_DIR is one guest's directory (kernel.info, qemu-proof.txt,
console.log, results/ read back from the virtio disk). For each kernel:

  * the kernel: suite, package, version and sha256 from the archive's index;
  * the two result channels agree: the "KT" lines on the serial console are
    the lines of results/kt.txt read back from the disk;
  * the guest's loader put each program on the intended library;
  * our C tests (both forms): every program ends with "N passed, 0 failed"
    and exit 0; skips are listed with their reasons and never count as passes;
  * upstream's suite: ours against upstream's own library, same binary, same
    boot (PASS > SKIP > FAIL/TIMEOUT/NOTBUILT). A test whose first run on
    ours ends below upstream's gets paired runs in the guest (upstream's
    library, then ours); it is worse when ours ended below more often than
    upstream's library beyond chance (one-sided Fisher exact test at 5 %,
    as capi-tests/upstream/run.sh judges a flaky test), else it is listed as
    flaky, or flaky on both libraries when upstream's missed too. These
    verdicts are capi-tests/lib/judge.py's (judge_guest_up), the judge of
    run.sh too;
  * the planted regression (--plant): on a kernel before 6.6, setup.c on our
    library without the NO_SQARRAY fall-back must fail.

Exit status 1 when any kernel fails any of these.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import judge as judge_rules  # noqa: E402 (capi-tests/lib/judge.py: the rules of every judge)
from judge import misses_beyond_chance  # noqa: E402

PLANTED_UP_TEST = "planted-ours-only.t"  # capi-tests/kernels/payload.sh's
PLANT = False
FORMS = ("ours", "ffi")



def read(path, default=""):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return default


def judge(kdir):
    k = {"dir": kdir, "problems": [], "suite": os.path.basename(kdir)}
    info = read(os.path.join(kdir, "kernel.info"))
    k["release"] = "?"
    k["debs"] = []
    for line in info.splitlines():
        f = line.split()
        if not f:
            continue
        if f[0] == "release":
            k["release"] = f[1]
        elif f[0] == "deb":
            k["debs"].append((f[1], f[2], f[3]))
    failed = read(os.path.join(kdir, "failed")).strip()
    if failed:
        k["problems"].append(failed)
    proof = read(os.path.join(kdir, "qemu-proof.txt"))
    k["proof"] = proof.strip()
    m = re.search(r"^accel: (\S+(?: \S+)?)", proof, re.M)
    k["accel"] = m.group(1).split(" (")[0] if m else "?"
    k["wall"] = read(os.path.join(kdir, "wall-seconds"), "?").strip()
    # (tty-write-dpoll.t writes NUL bytes to its tty, the serial console,
    # in front of the job's next line)
    console = read(os.path.join(kdir, "console.log")).replace("\r", "").replace("\0", "")
    m = re.search(r"GUEST-BOOT release=(\S+) version=(\S+)", console)
    k["version"] = m.group(2).replace("_", " ") if m else "?"
    if m and m.group(1) != k["release"]:
        k["problems"].append(f"the guest ran {m.group(1)}, not {k['release']}")
    res = os.path.join(kdir, "results")
    kt_disk = [ln for ln in read(os.path.join(res, "kt.txt")).splitlines() if ln.startswith("KT ")]
    kt_cons = [ln.strip() for ln in console.splitlines() if ln.startswith("KT ")]
    if not os.path.isdir(res):
        if not failed:
            k["problems"].append("no results came back from the guest")
    elif kt_disk != kt_cons:
        k["problems"].append(
            f"the console's {len(kt_cons)} result lines differ from the disk's {len(kt_disk)}")
    k["channels_agree"] = os.path.isdir(res) and kt_disk == kt_cons and bool(kt_disk)

    # The guest loader's choices.
    for name, lib, want in (("loader-ours.txt", "liburing.so.2", "/payload/lib/ours/"),
                            ("loader-upstream.txt", "liburing.so.2", "/payload/lib/upstream/"),
                            ("loader-capi-ours.txt", "liburing.so.2", "/payload/lib/ours/"),
                            ("loader-capi-ffi.txt", "liburing-ffi.so.2", "/payload/lib/ours/")):
        text = read(os.path.join(res, name))
        if not os.path.isdir(res):
            continue
        m = re.search(re.escape(lib) + r" => (\S+)", text)
        if not m or not m.group(1).startswith(want):
            k["problems"].append(f"{name}: {lib} resolved to {m.group(1) if m else 'nothing'}, not {want}")

    capi = {}
    ups = []
    k["plant"] = []
    k["times"] = {}
    for ln in kt_disk:
        f = ln.split()
        if f[1] == "plant":
            kv = dict(x.split("=", 1) for x in f[4:])
            k["plant"].append((f[2], f[3], kv))
        elif f[1] == "time":
            k["times"][f[2]] = f[3].split("=", 1)[1]
        elif f[1] in ("capi", "capi-ref"):
            form, prog = f[2], f[3]
            kv = dict(x.split("=", 1) for x in f[4:])
            capi.setdefault((f[1], form), []).append((prog, kv))
        elif f[1] == "up":
            kv = dict(x.split("=", 1) for x in f[3:])
            ups.append((f[2], kv))
    k["capi"] = {}
    rel = re.match(r"(\d+)\.(\d+)", k.get("release", ""))
    for form in ("ours", "ffi"):
        progs = capi.get(("capi", form), [])
        refs = dict(capi.get(("capi-ref", form), []))
        if os.path.isdir(res) and not progs:
            if form in FORMS:
                k["problems"].append(f"our C tests ({form} form) did not run")
            continue
        tot = {"passed": 0, "failed": 0, "skipped": 0, "programs": len(progs), "has_ref": bool(refs),
               "ref": {"passed": 0, "failed": 0, "skipped": 0}, "worse": [], "kernel": []}
        skips = []
        for prog, kv in progs:
            for key in ("passed", "failed", "skipped"):
                tot[key] += int(kv.get(key, 0))
                if prog in refs:
                    tot["ref"][key] += int(refs[prog].get(key, 0))
            out = read(os.path.join(res, f"capi-{form}", prog + ".out")).splitlines()
            ref_pass = [ln[5:] for ln in read(os.path.join(res, f"capi-ref-{form}", prog + ".out")).splitlines()
                        if ln.startswith("PASS ")]
            fails = [ln for ln in out if ln.startswith("FAIL ")]
            for ln in fails:
                # "FAIL prog: what (detail)": the same check passed on upstream's library?
                if any(ln[5:].startswith(x + " (") or ln[5:] == x for x in ref_pass):
                    tot["worse"].append(ln)
                else:
                    tot["kernel"].append(ln)
            if not any(re.match(r"^\d+ passed, \d+ failed$", ln) for ln in out):
                # It never got to its summary: a crash or a hang (killed after CAPI_TIMEOUT).
                last = [ln for ln in out if ln.startswith(("PASS ", "FAIL ", "SKIP "))][-1:]
                how = "killed after the time limit (hung)" if kv.get("rc") == "137" else f"exit {kv.get('rc')}"
                ref_kv = refs.get(prog)
                ref_note = (f"; on upstream's library it finished (exit {ref_kv.get('rc')}, {ref_kv.get('secs')} s)"
                            if ref_kv else "")
                tot["worse"].append(f"FAIL {prog}: {how} before its summary, after {kv.get('passed')} passed "
                                    f"checks, {kv.get('secs')} s{ref_note}; last line: {last[0] if last else '-'}")
            elif kv.get("rc") != "0" and not fails:
                tot["worse"].append(f"FAIL {prog}: exit {kv.get('rc')} with no FAIL line")
            skips += [ln for ln in out if ln.startswith("SKIP ")]
            # A skip names the first kernel with the feature; on that kernel or a newer one it hides a check.
            for ln in out:
                m = re.search(r"needs Linux (\d+)\.(\d+)", ln) if ln.startswith("SKIP ") else None
                if m and rel and (int(rel.group(1)), int(rel.group(2))) >= (int(m.group(1)), int(m.group(2))):
                    tot["worse"].append(f"FAIL {prog}: skipped on Linux {k['release']}, which has the feature: {ln}")
        tot["skips"] = skips
        k["capi"][form] = tot
        if tot["worse"]:
            k["problems"].append(f"our C tests ({form} form): {len(tot['worse'])} failing check(s) that pass on "
                                 "upstream's library on this kernel" +
                                 "".join("\n      " + x for x in tot["worse"][:12]))
        if tot["kernel"]:
            k["problems"].append(f"our C tests ({form} form): {len(tot['kernel'])} failing check(s) that fail on "
                                 "upstream's library too (the test expects a newer kernel; it must skip "
                                 "naming the feature)" + "".join("\n      " + x for x in tot["kernel"][:12]))

    def ours_output(t):
        return (read(os.path.join(res, "up-ours", t + ".miss.out"))
                or read(os.path.join(res, "up-ours", t + ".out")))
    # The judge's planted regression (payload.sh's PLANTED_UP_TEST, a script
    # that fails on our library only) is judged apart and must be worse.
    planted = [(t, kv) for t, kv in ups if t == PLANTED_UP_TEST]
    ups = [(t, kv) for t, kv in ups if t != PLANTED_UP_TEST]
    if ups:
        caught = judge_rules.judge_guest_up(planted, ours_output)["worse"] if planted else []
        k["up_plant"] = caught[0].splitlines()[0] if caught else None
        if not caught:
            k["problems"].append(f"the upstream-suite judge's planted regression ({PLANTED_UP_TEST}, which fails "
                                 "on our library only) was not judged worse: "
                                 + (" ".join(f"{a}={b}" for a, b in planted[0][1].items()) if planted
                                    else "the guest reported no result for it"))
    k["up"] = judge_rules.judge_guest_up(ups, ours_output)
    worse = k["up"]["worse"]
    k["up_secs"] = (sum(float(judge_rules.parse_res(kv.get("ours", ""))[2] or 0) for _, kv in ups),
                    sum(float(judge_rules.parse_res(kv.get("ref", ""))[2] or 0) for _, kv in ups))
    if worse:
        k["problems"].append(f"{len(worse)} upstream test(s) worse on our library than on upstream's")
    # The planted regression: on a kernel without NO_SQARRAY (before 6.6)
    # setup.c must fail on the library without the fall-back.
    k["plant_expected"] = bool(PLANT and rel and (int(rel.group(1)), int(rel.group(2))) < (6, 6)
                               and os.path.isdir(res))
    if k["plant_expected"]:
        if not k["plant"]:
            k["problems"].append("the planted regression did not run: setup.c on the library without the "
                                 "NO_SQARRAY fall-back (lib/planted) left no result")
        for form, prog, kv in k["plant"]:
            if kv.get("rc") == "0" or kv.get("failed", "0") == "0":
                k["problems"].append(f"the planted regression was not caught: {prog} ({form} form) on the library "
                                     f"without the NO_SQARRAY fall-back ended rc={kv.get('rc')} with "
                                     f"{kv.get('failed')} failed checks on Linux {k['release']}")
    return k


def counts(c):
    return f"{c.get('PASS', 0)} pass, {c.get('SKIP', 0)} skip, {c.get('FAIL', 0)} fail" + (
        f", {c['NOTBUILT']} not built" if c.get("NOTBUILT") else "") + (
        f", {c['NOTRUN']} not run (ours passed them: UP_REF=on-miss)" if c.get("NOTRUN") else "")


def guest_copy_disagrees(guest_job, max_n=10):
    """Where guest-job.sh's awk copy of the paired-run rule (busybox has no
    Python) and judge.py disagree: [(ours, upstream, n, awk, python)] for
    every count up to max_n runs, the copy run by busybox's sh and awk as in
    the guests (the host's when busybox is missing)."""
    import shutil
    import subprocess
    import tempfile
    m = re.search(r"^beyond_chance\(\) \{\n.*?^\}\n", guest_job, re.M | re.S)
    if not m:
        return [("no beyond_chance() in guest-job.sh", "", "", "", "")]
    triples = [(ko, ku, n) for n in range(1, max_n + 1) for ko in range(n + 1) for ku in range(n + 1)]
    script = m.group(0) + 'while read -r ko ku n; do beyond_chance "$ko" "$ku" "$n"; echo "$ko $ku $n $?"; done\n'
    bb = shutil.which("busybox")
    with tempfile.TemporaryDirectory() as d:
        path = os.environ.get("PATH", "")
        sh = ["sh", "-c", script]
        if bb:
            os.symlink(bb, os.path.join(d, "awk"))
            path = d + os.pathsep + path
            sh = [bb, "sh", "-c", script]
        out = subprocess.run(sh, input="".join(f"{ko} {ku} {n}\n" for ko, ku, n in triples),
                             capture_output=True, text=True, env=dict(os.environ, PATH=path)).stdout
    got = {tuple(map(int, ln.split()[:3])): ln.split()[3] == "0" for ln in out.splitlines() if len(ln.split()) == 4}
    return [(ko, ku, n, got.get((ko, ku, n)), misses_beyond_chance(ko, ku, n))
            for ko, ku, n in triples if got.get((ko, ku, n)) != misses_beyond_chance(ko, ku, n)]


def control():
    """Planted KT up lines the judge must call worse, next to ones it must accept."""
    cases = [
        ("ours fails every paired run, upstream's never", "ours=FAIL/1/1 ref=PASS/0/1 first=FAIL/1/1 pairs=6 oursmiss=6 refmiss=0", "worse"),
        ("ours misses 4 of 6 paired runs, upstream's none", "ours=PASS/0/1 ref=PASS/0/1 first=FAIL/1/1 pairs=6 oursmiss=4 refmiss=0", "worse"),
        ("slow test: ours 4 of 4, upstream's none", "ours=TIMEOUT/124/60 ref=PASS/0/9 first=TIMEOUT/124/60 pairs=4 oursmiss=4 refmiss=0", "worse"),
        ("ours below with no paired runs", "ours=FAIL/1/1 ref=PASS/0/1 first=FAIL/1/1 pairs=0 oursmiss=0 refmiss=0", "worse"),
        ("a skip where upstream's passes, every run", "ours=SKIP/77/0 ref=PASS/0/1 first=SKIP/77/0 pairs=6 oursmiss=6 refmiss=0", "worse"),
        ("a guest job without pairs", "ours=FAIL/1/1 ref=PASS/0/1 first=FAIL/1/1 retries=2 refruns=2 refmiss=2", "worse"),
        ("ours missed the first run only", "ours=PASS/0/1 ref=PASS/0/1 first=FAIL/1/1 pairs=3 oursmiss=0 refmiss=0", "flaky"),
        ("ours 3 of 6, upstream's 0 (p = 0.09)", "ours=PASS/0/1 ref=PASS/0/1 first=FAIL/1/1 pairs=6 oursmiss=3 refmiss=0", "flaky"),
        ("both miss alike", "ours=FAIL/1/1 ref=PASS/0/1 first=FAIL/1/1 pairs=6 oursmiss=6 refmiss=4", "both"),
        ("equal on the first run", "ours=PASS/0/1 ref=PASS/0/1 first=PASS/0/1 pairs=0 oursmiss=0 refmiss=0", "same"),
        ("on-miss: ours passed, upstream's not run", "ours=PASS/0/1 ref=NOTRUN/-/0 first=PASS/0/1 pairs=0 oursmiss=0 refmiss=0", "same"),
        ("on-miss: ours failed, upstream's not run", "ours=FAIL/1/1 ref=NOTRUN/-/0 first=FAIL/1/1 pairs=0 oursmiss=0 refmiss=0", "worse"),
        ("on-miss: ours skipped, upstream's not run", "ours=SKIP/77/0 ref=NOTRUN/-/0 first=SKIP/77/0 pairs=0 oursmiss=0 refmiss=0", "worse"),
    ]
    bad = 0
    for name, line, want in cases:
        u = judge_rules.judge_guest_up([("x.t", dict(w.split("=", 1) for w in line.split()))], lambda t: "planted miss")
        got = next((k for k in ("worse", "both", "flaky", "better") if u[k]), "same")
        if got != want:
            print(f"report control: {name}: judged {got}, wanted {want}")
            bad += 1
    # The guests' awk copy of the rule agrees with judge.py on every count
    # up to 10 paired runs; a copy with another threshold must not.
    guest_job = read(os.path.join(os.path.dirname(os.path.abspath(__file__)), "guest-job.sh"))
    differ = guest_copy_disagrees(guest_job)
    if differ:
        print(f"report control: guest-job.sh's beyond_chance and judge.py disagree on {len(differ)} counts, "
              f"first (ours, upstream, n, awk, python): {differ[:3]}")
        bad += 1
    if not guest_copy_disagrees(guest_job.replace("100 * s <= 5 *", "100 * s <= 10 *")):
        print("report control: a guest-job.sh copy of the rule at 10 % instead of 5 % was not told apart")
        bad += 1
    if bad:
        return 1
    print(f"report control: {len(cases)} planted upstream-suite results judged right; guest-job.sh's awk copy "
          "of the paired-run rule agrees with judge.py on every count up to 10 runs (busybox sh and awk), "
          "and its planted 10 % copy is told apart")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", default="run")
    ap.add_argument("--qemu-libdir", default="")
    ap.add_argument("--markdown")
    ap.add_argument("--plant", action="store_true",
                    help="the payload had the planted library: kernels before 6.6 must catch it")
    ap.add_argument("--forms", default="ours ffi", help="the forms of our C tests the guests ran")
    ap.add_argument("--control", action="store_true",
                    help="judge planted KT up lines (no guest) and exit")
    ap.add_argument("dirs", nargs="*")
    a = ap.parse_args()
    if a.control:
        return control()
    if not a.dirs:
        ap.error("no KERNEL_OUT_DIR")
    global PLANT, FORMS
    PLANT = a.plant
    FORMS = tuple(a.forms.split())
    ks = [judge(d) for d in a.dirs]
    bad = 0
    print(f"\n=== kernels ({a.kind}): our C tests and upstream's suite, ours vs upstream's own library ===")
    for k in ks:
        print(f"\n--- {k['suite']}: Linux {k['release']} ({k['version']})")
        for p, v, s in k["debs"]:
            print(f"  package {p} {v} sha256 {s}")
        print(f"  accelerator: {k['accel']}; guest wall time {k['wall']} s")
        probe = read(os.path.join(k["dir"], "probe.txt")).strip()
        if probe:
            print("  KVM probe: " + probe.replace("\n", "; "))
        for ln in k["proof"].splitlines():
            if ln.startswith(("liburing objects", "most io_uring", "result disk")):
                print(f"  {ln}")
        m = re.search(r"GUEST-BOOT .*uptime=([\d.]+)", read(os.path.join(k["dir"], "console.log")))
        parts = [f"qemu start to the job {float(m.group(1)):.0f} s" if m else None]
        ir = re.search(r"initramfs: .* in (\d+) s", read(os.path.join(k["dir"], "run-guest.log")))
        if ir:
            parts.insert(0, f"initramfs {ir.group(1)} s")
        for name, secs in k.get("times", {}).items():
            parts.append(f"{name} {float(secs):.0f} s")
        if k.get("up_secs"):
            parts.append(f"(upstream tests: {k['up_secs'][0]:.0f} s on ours, {k['up_secs'][1]:.0f} s on upstream's, "
                         "retries included)")
        if any(parts):
            print("  time: " + ", ".join(x for x in parts if x))
        if "capi" in k and os.path.isdir(os.path.join(k["dir"], "results")):
            for form in ("ours", "ffi"):
                if form not in k["capi"]:
                    print(f"  our C tests, {form} form: not run in this {a.kind} (CAPI_FORMS)")
                    continue
                c = k["capi"][form]
                print(f"  our C tests, {form} form: {c['passed']} passed, {c['failed']} failed, "
                      f"{c['skipped']} skipped ({c['programs']} programs)" +
                      (f"; on upstream's library: {c['ref']['passed']} passed, {c['ref']['failed']} failed, "
                       f"{c['ref']['skipped']} skipped; failing checks worse than upstream's: {len(c['worse'])}"
                       if c["has_ref"] else "; every program passed, so none ran on upstream's library"
                       " (CAPI_REF=on-failure)"))
                for s in c["skips"]:
                    print(f"      {s}")
            for form, prog, kv in k.get("plant", []):
                fails = [ln for ln in read(os.path.join(k["dir"], "results", f"plant-{form}", prog + ".out"))
                         .splitlines() if ln.startswith("FAIL ")]
                print(f"  planted regression (our library without the NO_SQARRAY fall-back): {prog}.c, {form} form: "
                      f"{kv.get('passed')} passed, {kv.get('failed')} failed, exit {kv.get('rc')}"
                      + (" - caught" if kv.get("rc") != "0" and kv.get("failed", "0") != "0" else " - NOT caught"))
                for ln in fails[:3]:
                    print(f"      {ln}")
            u = k["up"]
            print(f"  upstream 2.15 suite, abi mode ({u['n']} tests): ours {counts(u['cnt']['ours'])}; "
                  f"upstream's library {counts(u['cnt']['ref'])}; worse {len(u['worse'])}, "
                  f"better {len(u['better'])}, flaky {len(u['flaky'])}, flaky on both libraries {len(u['both'])}")
            if k.get("up_plant"):
                print(f"  planted regression for the suite's judge ({PLANTED_UP_TEST}, fails on ours only): "
                      f"judged worse - caught ({k['up_plant'].split(': ', 1)[1]})")
            for title, xs in (("worse", u["worse"]), ("better", u["better"]),
                              ("flaky (ours missed, then no more often than chance allows)", u["flaky"]),
                              ("flaky on both libraries (upstream's missed too in this boot)", u["both"])):
                if xs:
                    print(f"  {title}:")
                    for x in xs:
                        print(f"    {x}")
        if k["problems"]:
            bad = 1
            for p in k["problems"]:
                print(f"  FAIL {k['suite']}: {p}")
        else:
            print(f"  PASS {k['suite']}: C tests pass in both forms, no upstream test worse than on upstream's "
                  f"library, results intact on both channels, qemu on our liburing")
    if a.markdown:
        with open(a.markdown, "w") as f:
            for k in ks:
                u = k.get("up")
                if not u:
                    continue
                f.write(f"#### Linux {k['release']} ({k['suite']}; `{k['version']}`)\n\n")
                f.write("| | pass | skip | fail | worse |\n|---|---:|---:|---:|---:|\n")
                for form in ("ours", "ffi"):
                    if form not in k["capi"]:
                        continue
                    c = k["capi"][form]
                    f.write(f"| our C tests, {form} form | {c['passed']} | {c['skipped']} | {c['failed']} | "
                            f"{len(c['worse'])} |\n")
                    if c["has_ref"]:
                        r = c["ref"]
                        f.write(f"| our C tests, {form} form, on upstream's library | {r['passed']} | "
                                f"{r['skipped']} | {r['failed']} | - |\n")
                for side, label in (("ours", "upstream suite on our liburing.so.2"),
                                    ("ref", "upstream suite on upstream's liburing.so.2")):
                    c = u["cnt"][side]
                    w = len(u["worse"]) if side == "ours" else "-"
                    f.write(f"| {label} | {c.get('PASS', 0)} | {c.get('SKIP', 0)} | "
                            f"{c.get('FAIL', 0) + c.get('NOTBUILT', 0)} | {w} |\n")
                f.write("\n")
    print()
    # each guest under its own verdict (one failing guest fails the run)
    verdicts = []
    for verdict, group in (("FAIL", [k for k in ks if k["problems"]]), ("PASS", [k for k in ks if not k["problems"]])):
        if group:
            verdicts.append(f"{verdict} on " + ", ".join(f"{k['suite']} ({k['release']})" for k in group))
    for k in ks:
        for p in k["problems"]:
            print(f"  FAIL {k['suite']}: {p}")
    print("kernels: " + "; ".join(verdicts))
    return bad


if __name__ == "__main__":
    sys.exit(main())
