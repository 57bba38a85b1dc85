#!/usr/bin/env python3
"""The judge of upstream liburing's test suite run against ours: one
implementation of its rules, for every script that judges or re-judges.

Users: capi-tests/upstream/run.sh (every verdict and report of a run, and the
checks it makes while running: does a result meet its expectation, how many
skip lines, is a test needed in the reference, are paired runs settled),
capi-tests/kernels/report.py (the guests' "KT up" lines), compat-doc.py (the
recorded results). guest-job.sh keeps an awk copy of that rule (busybox has no
Python); report.py --control proves it equal to misses_beyond_chance here.

The rules (run.sh's header says why):
  * results rank PASS > SKIP > FAIL > TIMEOUT > NOTBUILT (rank); the guests
    count FAIL, TIMEOUT and NOTBUILT alike (coarse_rank).
  * capi-tests/upstream/expectations.txt says how each test ends with
    upstream's own library (read_expectations); a result meets it when it
    ranks at least as high, an expected FAIL only with the same exit status
    and a last non-empty output line the pinned regular expression matches
    whole (meets).
  * paired runs (a test that missed, then met its expectation on a retry):
    ours is worse when it missed more often than upstream's build beyond
    chance, a one-sided Fisher exact test at 5 % (misses_beyond_chance,
    paired_verdict); no pairs at all measure nothing and are worse.
  * -ENV: accepted when upstream's own build ended the same way.
  * skipped parts (output lines matching SKIP_RE) of ours that upstream's
    library ran in the reference run are worse; the other way round, better.

Command line (run.sh's; any form may start with --expectations FILE):
  judge.py judge RUN_DIR [REF_DIR]      run.sh judge: judge a finished run
  judge.py report [options] RESULTS OUTDIR
                                        judge one run and print its report
                                        (exit 1 when it has a worse test)
  judge.py summary STATE NTESTS         the closing summary of a run
  judge.py expectations                 "test how timeout run" a line ("-": none)
  judge.py meets TEST RESULT RC OUTFILE exit 0 when the result meets it
  judge.py misses RESULTS|- OUTDIR      the tests of a results file that miss
  judge.py skip-counts OUTDIR TEST...   "test n": skip lines of OUTDIR/TEST.out
  judge.py needed TESTS RESULTS...      the tests the reference must run
  judge.py chance OURS UPSTREAM N       exit 0 when beyond chance

Files are read as grep, tail and bash's read read them in run.sh's C.UTF-8
locale (a NUL byte makes grep call a file binary; a line that is not UTF-8
is not printed by grep; white space and the bracket classes are ASCII's);
regular expressions in expectations.txt are POSIX extended ones, translated
(ere_to_python) or refused.
"""
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTATIONS = os.path.join(HERE, "..", "upstream", "expectations.txt")
SKIP_RE = re.compile(r"skip|not supported|unsupported|not available|no support", re.I)
RESULTS = ("PASS", "SKIP", "FAIL")
HOWS = ("unprivileged", "netns", "loopback")
RANK = {"PASS": 4, "SKIP": 3, "FAIL": 2, "TIMEOUT": 1}
ALPHA_PCT = 5
PREFIX = "        | "


class Refused(Exception):
    """An input the judge will not read (run.sh dies with its text)."""


# ---------------------------------------------------------------- the rules

def rank(r):
    """PASS 4 > SKIP 3 > FAIL 2 > TIMEOUT 1 > anything else (NOTBUILT) 0."""
    return RANK.get(r, 0)


def coarse_rank(r):
    """The guests' rank (guest-job.sh's): PASS 2 > SKIP 1 > every other end 0."""
    return max(rank(r) - rank("FAIL"), 0)


def base(r):
    """A result without its -FLAKY, then its -ENV suffix (as run.sh strips them)."""
    for suffix in ("-FLAKY", "-ENV"):
        if r.endswith(suffix):
            r = r[:-len(suffix)]
    return r


def misses_beyond_chance(ours, upstream, n, alpha_pct=ALPHA_PCT):
    """True when `ours` misses of n runs with our library against `upstream`
    of n with upstream's are more than chance gives: a one-sided Fisher exact
    test. Of all the misses in the 2n runs, how likely is it that ours holds
    `ours` or more when both libraries miss alike? Beyond chance when that is
    at most alpha_pct %. (n is capped at 30 runs: the counts stay exact.)"""
    n = min(n, 30)
    if ours <= upstream:
        return False
    total = ours + upstream
    num = sum(math.comb(n, x) * math.comb(n, total - x) for x in range(ours, min(total, n) + 1))
    return 100 * num <= alpha_pct * math.comb(2 * n, total)


def paired_verdict(ours, upstream, n):
    """The verdict on n paired runs (upstream's build, then ours) of a test
    that missed once with ours: "unmeasured" (no pairs: worse), "worse" (ours
    missed more beyond chance), "both" (not beyond chance, and upstream's
    missed too) or "flaky" (only ours missed, not beyond chance)."""
    if n <= 0:
        return "unmeasured"
    if misses_beyond_chance(ours, upstream, n):
        return "worse"
    return "both" if upstream > 0 else "flaky"


# ------------------------------------------------------------ expectations

class Expectation:
    """One line of expectations.txt: result, how, run, timeout, rc, last (the
    regular expression as written) and last_re (compiled)."""

    def __init__(self, result):
        self.result = result
        self.how = self.timeout = self.rc = self.last = self.last_re = None
        self.run = None


def ere_to_python(ere):
    """A POSIX extended regular expression (grep -E) as a Python one: bracket
    expressions with their classes, and the GNU escapes \\w \\W \\s \\S \\b
    \\B and back-references; anything else this cannot translate exactly is
    refused (Refused)."""
    classes = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
               "space": r" \t\n\r\f\v", "blank": r" \t", "xdigit": "0-9A-Fa-f",
               "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
               "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e"}
    out, i = [], 0
    while i < len(ere):
        c = ere[i]
        if c == "\\":
            if i + 1 == len(ere):
                raise Refused("a trailing backslash")
            d = ere[i + 1]
            if (d.isalnum() and d not in "wWsSbB123456789") or d in "<>`'":
                raise Refused(f"\\{d} is not read the same by grep -E and Python")
            out.append("\\" + d)
            i += 2
        elif c == "[":
            j, body = i + 1, []
            neg = j < len(ere) and ere[j] == "^"
            if neg:
                j += 1
            first = True
            while True:
                if j >= len(ere):
                    raise Refused("a [ without its ]")
                ch = ere[j]
                if ch == "]" and not first:
                    break
                if ch == "[" and j + 1 < len(ere) and ere[j + 1] in ":=.":
                    kind = ere[j + 1]
                    end = ere.find(kind + "]", j + 2)
                    if end < 0:
                        raise Refused(f"a [{kind} without its {kind}]")
                    name = ere[j + 2:end]
                    if kind == ":" and name in classes:
                        body.append(classes[name])
                    elif kind in "=." and len(name) == 1:
                        body.append(re.escape(name))
                    else:
                        raise Refused(f"[{kind}{name}{kind}] in a bracket expression")
                    j = end + 2
                elif ch == "-" and body and not first and j + 1 < len(ere) and ere[j + 1] != "]":
                    body.append("-")
                    j += 1
                else:
                    body.append("\\" + ch if ch in "\\[]^-" else ch)
                    j += 1
                first = False
            out.append("[" + ("^" if neg else "") + "".join(body) + "]")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_expectations(path=EXPECTATIONS):
    """{test: Expectation} from expectations.txt, read as run.sh always read
    it (a line ends at " #"; fields how=, run=, rc=, timeout= are one word each,
    last= takes the rest of the line; a later line of the same test adds to
    the earlier one). Refused with run.sh's message for a line it cannot use."""
    name_of = os.path.basename(path)
    exp = {}
    with open(path, "rb") as f:
        data = f.read().decode("utf-8", "surrogateescape")
    lines = data.split("\n")[:-1]  # bash's read drops an unterminated last line
    for line in lines:
        line = line.split(" #", 1)[0]
        if line.startswith("#"):
            continue
        words = re.split(r"[ \t]+", line.strip(" \t"), maxsplit=2) if line.strip(" \t") else []
        if not words:
            continue
        name = words[0]
        res = words[1] if len(words) > 1 else ""
        rest = words[2].strip(" \t") if len(words) > 2 else ""
        if res not in RESULTS:
            raise Refused(f"{name_of}: {name}: unknown result '{res}'")
        e = exp.get(name) or Expectation(res)
        e.result = res
        exp[name] = e
        while rest:
            if rest.startswith("last="):
                e.last = rest[len("last="):].rstrip(" ")
                try:
                    e.last_re = re.compile(ere_to_python(e.last))
                except (Refused, re.error) as err:
                    raise Refused(f"{name_of}: {name}: last= is not a regular expression this judge reads "
                                  f"({err})") from None
                rest = ""
            else:
                w = rest.split(" ", 1)[0]
                key, eq, value = w.partition("=")
                if not eq or key not in ("how", "run", "rc", "timeout"):
                    raise Refused(f"{name_of}: {name}: unknown field '{w}'")
                if key == "timeout" and not re.fullmatch(r"[1-9][0-9]*", value):
                    raise Refused(f"{name_of}: {name}: timeout= wants whole seconds")
                setattr(e, key, value)
                rest = rest[len(w):]
            rest = rest.lstrip(" ")
        if e.how not in (None, "") + HOWS:
            raise Refused(f"{name_of}: {name}: unknown how={e.how}")
        if e.run not in (None, "alone"):
            raise Refused(f"{name_of}: {name}: unknown run={e.run} (alone is the one there is)")
        if res == "FAIL" and (not e.rc or not e.last):
            raise Refused(f"{name_of}: {name}: an expected FAIL needs its exact failure (rc= and last=)")
    return exp


# ------------------------------------------------------ outputs, as read

def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def file_lines(data):
    """The lines of a file's bytes, as tail and grep count them."""
    if not data:
        return []
    lines = data.split(b"\n")
    return lines[:-1] if data.endswith(b"\n") else lines


def grep_lines(path):
    """The lines grep prints of a file (as str), before it selects any: a
    NUL byte in the first 96 KiB it reads makes the file binary (no line
    printed); a later one, no line from the block that holds it on; a line
    that is not UTF-8 is never printed."""
    data = read_bytes(path)
    if data is None:
        return []
    nul = data.find(b"\0")
    if nul >= 0:
        block = 96 * 1024
        data = data[:(nul // block) * block] if nul >= block else b""
        if data:
            data = data[:data.rfind(b"\n") + 1]
    out = []
    for ln in file_lines(data):
        try:
            out.append(ln.decode("utf-8"))
        except UnicodeDecodeError:
            pass
    return out


def skip_lines(path):
    """The sorted, distinct output lines announcing a skipped part (SKIP_RE),
    trailing white space cut (run.sh's skip_lines)."""
    return sorted({ln.rstrip(" \t\n\v\f\r") for ln in grep_lines(path) if SKIP_RE.search(ln)})


def last_line(path):
    """The last output line that is not empty or white space only."""
    lines = [ln for ln in grep_lines(path) if ln.strip(" \t\n\v\f\r")]
    return lines[-1] if lines else None


def tail(path, n):
    """tail -n N of a file, each line behind PREFIX (as run.sh shows outputs)."""
    data = read_bytes(path)
    lines = file_lines(data) if data else []
    return "\n".join(PREFIX + shown(ln) for ln in lines[-n:]) if n else ""


def head1(path):
    data = read_bytes(path)
    return shown(file_lines(data)[0]) if data else ""


def shown(b):
    """Bytes of an output line as bash's command substitution keeps them (no NUL)."""
    return b.replace(b"\0", b"").decode("utf-8", "surrogateescape")


def meets(e, r, rc, outfile, check_last=True):
    """True when result r (exit status rc, output in outfile) is at least the
    expectation e: the same rank or higher; an expected FAIL only with its
    exit status and its pinned last line (check_last=False: the recorded
    results of compat-doc.py, whose outputs are not kept, compare rc only)."""
    if e is None:
        return False
    if e.result == "FAIL" and r == "FAIL":
        if rc != e.rc:
            return False
        if not check_last:
            return True
        last = last_line(outfile)
        return last is not None and e.last_re.fullmatch(last) is not None
    return rank(r) >= rank(e.result)


# ---------------------------------------------------------- results files

def results_lines(path):
    """[(test, result, rc, secs, rest)] of a results file, as bash's
    `read -r t r rc secs rest` splits its lines ("-": standard input)."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        data = read_bytes(path)
    if data is None:
        return []
    out = []
    for ln in data.decode("utf-8", "surrogateescape").split("\n")[:-1]:
        if not ln.strip(" \t"):
            continue  # (run.sh's bash judge stopped at a blank line, without a word)
        w = re.split(r"[ \t]+", ln.strip(" \t"), maxsplit=4)
        w += [""] * (5 - len(w))
        out.append(tuple(w[:4]) + (w[4].strip(" \t"),))
    return out


def last_field(rest, pattern):
    """The groups of the last match of pattern (\\b-anchored as run.sh's sed)."""
    m = re.match(r".*\b" + pattern, rest)
    return m.groups() if m else None


def describe_rc(rc, timeout):
    """How an exit status ended a test, for the report ("" for none)."""
    if rc in ("124", "137"):
        # run.sh judge with no TIMEOUT set describes no timeout
        return f"timed out after {timeout}s" if timeout else ""
    if rc in ("0", "77", "-"):
        return ""
    if re.fullmatch(r"[ \t]*[+-]?[0-9]+[ \t]*", rc) and int(rc) > 128:
        return f"killed by signal {int(rc) - 128}"
    return f"exit status {rc}"


class Judgement:
    """The verdicts on a run: counts by result, and the report's entries
    (each a text; the outputs it shows on further lines behind PREFIX)."""

    def __init__(self):
        self.counts = {"PASS": 0, "SKIP": 0, "FAIL": 0, "TIMEOUT": 0, "NOTBUILT": 0}
        self.worse, self.better, self.flaky, self.envlim, self.unchecked = [], [], [], [], []


class Reference:
    """A reference run to compare skipped parts with: its results file (a
    missing one: no test of it), its outputs, and whether it ran only the
    tests the modes needed (its scope.txt)."""

    def __init__(self, results, outdir, partial=False):
        self.result, self.rc = {}, {}
        if os.path.isfile(results):
            for t, r, rc, _, _ in results_lines(results):
                self.result[t], self.rc[t] = r, rc
        self.outdir, self.partial = outdir, partial


def judge_line(j, e, t, r, rc, rest, od, ref=None, timeout="", check_last=True):
    """Judge one results line (test t ended r with exit status rc; rest: its
    key=value words) into the Judgement j, with expectation e (None: no line
    for it), outputs in od and the reference run ref (None: none compared)."""
    b = base(r)
    if b in j.counts:
        j.counts[b] += 1
    if e is None:
        j.worse.append(f"{t}: {b}, and expectations.txt has no line for it")
        return
    g = last_field(rest, r"upstream=([^ ]*)")
    up = g[0] if g else ""
    up_k = up.split("/")[0]
    if "first=" in rest and not r.endswith("-FLAKY"):
        j.flaky.append(f"{t}: {r} on retry {rest.rsplit('retry=', 1)[-1]}, first {rest.rsplit('first=', 1)[-1]} "
                       "(upstream's build, reference run)")
    if r.endswith("-FLAKY"):
        g = last_field(rest, r"ours=([0-9]*)/([0-9]*)")
        ours_k, pairs = g if g else ("", "")
        v = "unmeasured"
        if ours_k and pairs and re.fullmatch(r"[0-9]+/" + pairs, up):
            v = paired_verdict(int(ours_k), int(up_k), int(pairs))
        if v == "unmeasured":
            j.worse.append(f"{t}: flaky with ours ({rest}), and no paired runs measured how often ours and "
                           "upstream's build miss")
            return
        if v == "worse":
            j.worse.append(f"{t}: flaky with ours, and ours missed {ours_k} of {pairs} paired runs against {up_k} "
                           f"for upstream's build, more than chance at {ALPHA_PCT} % ({rest})\n"
                           + tail(f"{od}/{t}.pair-miss.out", 3))
            return
        j.flaky.append(f"{t}: {b} after a retry ({rest}): in {pairs} paired runs ours missed {ours_k}, "
                       f"upstream's build {up_k}; not more than chance")
    elif r.endswith("-ENV"):
        if up and up_k != "unmeasured" and re.fullmatch(r"[+-]?[0-9]+", up_k) and int(up_k) > 0:
            j.envlim.append(f"{t}: {b} (expected {e.result}); upstream's own build ended the same way in {up_k} "
                            f"of {up.split('/', 1)[-1]} runs ({rest})\n" + tail(f"{od}/{t}.out", 2))
        else:
            j.worse.append(f"{t}: {b} marked env, but upstream's own build never ended that way ({rest})")
        return
    out = f"{od}/{t}.out"
    if not meets(e, b, rc, out, check_last):
        w = f"{t}: {b} (upstream: {e.result}" + (f", exit {e.rc} ending /{e.last or ''}/" if e.rc else "") + ")"
        d = describe_rc(rc, timeout) if rc != "-" else ""
        w += (f" - {d}" if d else "") + (f" [{rest}]" if rest else "")
        w += f" - {head1(out)}" if b == "NOTBUILT" else "\n" + tail(out, 4)
        j.worse.append(w)
        return
    if rank(b) > rank(e.result) or (e.result == "FAIL" and b != "FAIL"):
        j.better.append(f"{t}: {b} (upstream: {e.result})")
    if ref is None:
        return
    # Parts skipped with ours and run with upstream's library.
    rout = f"{ref.outdir}/{t}.out"
    if not ref.result.get(t) or not os.path.isfile(rout):
        # A reference of the needed tests only (scope.txt): a test it left
        # out has no skipped part of ours to compare.
        if not (ref.partial and not skip_lines(out)):
            j.worse.append(f"{t}: no reference run of it to compare its skipped parts with")
        return
    if not meets(e, ref.result[t], ref.rc[t], rout):
        j.unchecked.append(f"{t}: upstream's build ended {ref.result[t]} in the reference run (and its retries): "
                           "skipped parts not compared")
        return
    ours, theirs = skip_lines(out), skip_lines(rout)
    ours_only = [x for x in ours if x not in theirs]
    ref_only = [x for x in theirs if x not in ours]
    if ours_only:
        j.worse.append(f"{t}: {b}, but skips a part that upstream's library runs (reference: {ref.result[t]}):\n"
                       + "\n".join(PREFIX + "ours only: " + x for x in ours_only))
    elif ref_only:
        j.better.append(f"{t}: runs a part that upstream's library skips:\n"
                        + "\n".join(PREFIX + "upstream only: " + x for x in ref_only))


def judge_run(exp, res, od, ref=None, timeout=""):
    """Judge every line of results file res (outputs in od) against the
    expectations exp and the Reference ref (None: no skipped parts
    compared): run.sh's judge of a mode or of the reference run."""
    j = Judgement()
    for t, r, rc, _, rest in results_lines(res):
        judge_line(j, exp.get(t), t, r, rc, rest, od, ref, timeout)
    return j


def verdict(e, r, rc, rest):
    """One word for a recorded result (compat-doc.py), by judge_line's rules
    on a results line whose outputs are not kept (an expected FAIL compared
    by its exit status; no skipped part): worse, env, better, flaky or same."""
    j = Judgement()
    judge_line(j, e, "-", r, rc, rest, "/nonexistent", check_last=False)
    if j.worse:
        return "worse"
    if j.envlim:
        return "env"
    if j.better:
        return "better"
    return "flaky" if r.endswith("-FLAKY") else "same"


# ------------------------------------------------------------------ report

TABLE_HEAD = "%-9s %6s %7s %6s %8s %9s %7s %7s" % ("mode", "passed", "skipped", "failed", "timeout", "not built",
                                                   "build", "run")
TABLE_ROW = "%-9s %6d %7d %6d %8d %9d %6ss %6ss"


def report(j, name, label="worse than upstream", run_s="0", build_s="0", results=None):
    """run.sh's report of a judged run (results: the results file, named with
    its outputs): (text, its line of the run's summary)."""
    row = TABLE_ROW % ((name,) + tuple(j.counts[k] for k in ("PASS", "SKIP", "FAIL", "TIMEOUT", "NOTBUILT"))
                       + (build_s, run_s))
    L = ["", f"=== upstream tests, {name} ===", TABLE_HEAD, row]
    for title, xs in ((label, j.worse),
                      ("flaky: missed, then met the expectation; paired runs found ours no worse than upstream's "
                       "build beyond chance", j.flaky),
                      ("environment-limited: upstream's own build ends the same way here right now", j.envlim),
                      ("better than upstream", j.better),
                      ("NOT COMPARED with upstream's library", j.unchecked)):
        if xs:
            L.append(f"{title} ({len(xs)}):")
            L += ["  " + x for x in xs]
    if results:
        L.append(f"results: {results}  (outputs: {os.path.dirname(results)}/out/)")
    summary = row + "  worse: %d, flaky: %d, env: %d, better: %d, skips not compared: %d" % tuple(
        len(x) for x in (j.worse, j.flaky, j.envlim, j.better, j.unchecked))
    return "\n".join(L) + "\n", summary


def summary(records, ntests):
    """The closing summary of a run from the reports' records (report_cmd's
    state lines): (text, exit status: 1 when a mode had a worse test)."""
    failed = any(r["fails_run"] and r["worse"] for r in records)
    L = ["", f"=== upstream tests: summary ({ntests} tests per mode) ===", TABLE_HEAD]
    L += [r["summary"] for r in records] or [""]
    worse_all = [f"{r['name']}: {w}" for r in records for w in r["worse"]]
    if failed and worse_all:
        L.append(f"worse than upstream, by mode ({len(worse_all)}):")
        L += ["  " + w for w in worse_all]
    return "\n".join(L) + "\n", int(failed)


def needed(exp, tests, results_files):
    """The tests whose judging needs upstream's library in the reference run:
    those upstream's is not expected to pass (a claim of "better" is made
    against it), and those some mode did not pass cleanly (another result, a
    retry, or a skipped part): a mode's first line "TEST PASS rc secs
    skips=0 ..." is clean, anything else (or no line) is not."""
    modes = []
    for path in results_files:
        data = read_bytes(path) or b""
        first = {}
        for ln in data.decode("utf-8", "surrogateescape").split("\n"):
            t = ln.split(" ", 1)[0]
            if t and t not in first:
                w = re.split(r"[ \t]+", ln.strip(" \t"))
                first[t] = (w + [""] * 5)[1] == "PASS" and (w + [""] * 5)[4] == "skips=0"
        modes.append(first)
    return [t for t in tests if exp.get(t) is None or exp[t].result != "PASS"
            or not all(m.get(t, False) for m in modes)]


# --------------------------------------------------------------- the guests

def judge_guest_up(ups, ours_output):
    """Judge a guest's "KT up" lines ([(test, {key: value})], guest-job.sh's;
    ours=, ref= and first= are RESULT/rc/secs), ours_output(test) the text of
    a run of ours that missed, for the report (capi-tests/kernels/report.py).

    The guests rank coarsely (coarse_rank). A test whose first run on ours
    ended below upstream's library's got paired runs in the guest (pairs=N:
    upstream's library, then ours; oursmiss=/refmiss= how many ended below
    upstream's first result): paired_verdict. ref=NOTRUN (UP_REF=on-miss):
    upstream's library ran it only when ours did not pass it first time, so
    anything but a pass is worse."""
    cnt = {"ours": {}, "ref": {}}
    worse, better, flaky, both = [], [], [], []
    for t, kv in ups:
        o = parse_res(kv.get("ours", "NOTBUILT"))
        r = parse_res(kv.get("ref", "NOTBUILT"))
        first = parse_res(kv.get("first", kv.get("ours", "NOTBUILT")))
        for side, v in (("ours", o), ("ref", r)):
            key = "FAIL" if v[0] == "TIMEOUT" else v[0]
            cnt[side][key] = cnt[side].get(key, 0) + 1
        if r[0] == "NOTRUN":
            if first[0] != "PASS" or o[0] != "PASS":
                worse.append(f"{t}: ours {first[0]} first, and upstream's library did not run it to compare with")
            continue
        if coarse_rank(first[0]) < coarse_rank(r[0]):
            n, ko, ku = int(kv.get("pairs", "0")), int(kv.get("oursmiss", "0")), int(kv.get("refmiss", "0"))
            what = (f"{t}: {first[0]} first (upstream's library {r[0]}); in {n} paired runs ours ended below "
                    f"that {ko} time(s), upstream's library {ku}")
            v = paired_verdict(ko, ku, n)
            if v in ("worse", "unmeasured"):
                shown_tail = ours_output(t).strip().splitlines()[-3:]
                worse.append(what + (f", more than chance at {ALPHA_PCT} %" if n else ", and no paired runs were made")
                             + "".join("\n      | " + x for x in shown_tail))
            else:
                (both if v == "both" else flaky).append(what + "; not more than chance")
        elif coarse_rank(o[0]) > coarse_rank(r[0]):
            better.append(f"{t}: ours {o[0]}, upstream's library {r[0]} (exit {r[1]})")
    return {"n": len(ups), "cnt": cnt, "worse": worse, "better": better, "flaky": flaky, "both": both}


def parse_res(s):
    """A guest's RESULT/rc/secs."""
    parts = s.split("/")
    return parts[0], parts[1] if len(parts) > 1 else "-", parts[2] if len(parts) > 2 else "0"


# ----------------------------------------------------------- command line

def main(argv):
    args = list(argv)
    path = EXPECTATIONS
    if args[:1] == ["--expectations"] and len(args) > 1:
        path, args = args[1], args[2:]
    if not args:
        return usage()
    cmd, args = args[0], args[1:]
    if cmd == "chance":
        if len(args) != 3:
            return usage()
        return 0 if misses_beyond_chance(*map(int, args)) else 1
    if cmd == "skip-counts" and args:
        for t in args[1:]:
            print(t, len(skip_lines(f"{args[0]}/{t}.out")))
        return 0
    try:
        exp = read_expectations(path)
    except (OSError, Refused) as err:
        print(f"upstream-tests: {err}", file=sys.stderr)
        return 2
    if cmd == "expectations":
        for t, e in exp.items():
            print(t, e.how or "-", e.timeout or "-", e.run or "-")
        return 0
    if cmd == "meets" and len(args) == 4:
        return 0 if meets(exp.get(args[0]), args[1], args[2], args[3]) else 1
    if cmd == "misses" and len(args) == 2:
        for t, r, rc, _, _ in results_lines(args[0]):
            if not meets(exp.get(t), r, rc, f"{args[1]}/{t}.out"):
                print(t)
        return 0
    if cmd == "needed" and args:
        for t in needed(exp, args[0].split(), args[1:]):
            print(t)
        return 0
    if cmd == "summary" and len(args) == 2:
        records = []
        if os.path.exists(args[0]):
            records = [json.loads(ln) for ln in open(args[0], encoding="utf-8", errors="surrogateescape")]
        text, status = summary(records, args[1])
        write(text)
        return status
    if cmd == "judge" and len(args) in (1, 2):
        return judge_cmd(exp, *args)
    if cmd == "report":
        return report_cmd(exp, args)
    return usage()


def usage():
    print(__doc__.split("Command line")[1].split("\n\n")[0], file=sys.stderr)
    return 2


def write(text):
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))
    sys.stdout.flush()


def judge_cmd(exp, rd, ref_dir=None):
    """run.sh judge RUN_DIR [REFERENCE_DIR]: a finished run (its results.txt,
    else subset.txt) against a reference run's results.txt."""
    res = f"{rd}/results.txt"
    if not os.path.isfile(res):
        res = f"{rd}/subset.txt"
    if not os.path.isfile(res):
        print(f"upstream-tests: no results.txt in {rd}", file=sys.stderr)
        return 2
    ref = None
    if ref_dir:
        ref = Reference(f"{ref_dir}/results.txt", f"{ref_dir}/out", os.path.isfile(f"{ref_dir}/scope.txt"))
    j = judge_run(exp, res, f"{rd}/out", ref, os.environ.get("TIMEOUT", ""))
    text, _ = report(j, basename(rd))
    write(text)
    return 1 if j.worse else 0


def basename(path):
    """basename(1)'s answer."""
    stripped = path.rstrip("/")
    return os.path.basename(stripped) if stripped else ("/" if path else "")


def report_cmd(exp, args):
    """report [--name N] [--label L] [--run-s S] [--build-s S] [--timeout T]
    [--ref RESULTS OUTDIR] [--ref-partial] [--problem TEXT] [--results-name]
    [--state FILE] [--no-fail] RESULTS OUTDIR: judge a run, print its report,
    append its record to FILE; exit 1 when worse (unless --no-fail)."""
    opt = {"--name": "", "--label": "worse than upstream", "--run-s": "0", "--build-s": "0", "--timeout": "",
           "--problem": "", "--state": ""}
    ref, partial, show_path, fails_run, pos = None, False, False, True, []
    while args:
        a = args.pop(0)
        if a in opt and args:
            opt[a] = args.pop(0)
        elif a == "--ref" and len(args) >= 2:
            ref = (args.pop(0), args.pop(0))
        elif a == "--ref-partial":
            partial = True
        elif a == "--results-name":
            show_path = True
        elif a == "--no-fail":
            fails_run = False
        else:
            pos.append(a)
    if len(pos) != 2:
        return usage()
    res, od = pos
    reference = Reference(ref[0], ref[1], partial) if ref and ref[0] else None
    j = judge_run(exp, res, od, reference, opt["--timeout"])
    if opt["--problem"]:
        j.worse.append(f"(mode check) {opt['--problem']}")
    text, line = report(j, opt["--name"], opt["--label"], opt["--run-s"], opt["--build-s"],
                        res if show_path else None)
    write(text)
    if opt["--state"]:
        with open(opt["--state"], "a", encoding="utf-8", errors="surrogateescape") as f:
            f.write(json.dumps({"name": opt["--name"], "summary": line, "worse": j.worse,
                                "fails_run": fails_run}) + "\n")
    return 1 if j.worse and fails_run else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
