#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Judge of make test-capi-reference: our C tests run against our library and
against upstream liburing 2.15's own library, the same binaries in the same run.

usage: reference-judge.py OURS.log UPSTREAM.log EXPECTATIONS

Each log is run-capi.sh's output: one line per check, "PASS|FAIL|SKIP <prog>:
<what>[ (<detail>)]". A check is named "<prog>: <what>" (a name that repeats
within a program, as in a loop, is told apart by its occurrence, "#2", "#3"),
and its outcome is PASS, FAIL, SKIP or MISSING (not printed by that run, as
when a program stops early).

Every check must have the same outcome with upstream's library as with ours,
unless EXPECTATIONS lists it. An expectations line is

    <prog>: <what> | <outcome with upstream's library> | <why>

and the listed check must show exactly that outcome with upstream's library
while ours passes it. The judge fails on a disagreement that is not listed,
on a listed check that no longer disagrees (or disagrees differently), on a
malformed line, and when either log holds no checks at all.
"""

import re
import sys

LINE = re.compile(r"^(PASS|FAIL|SKIP) ([A-Za-z0-9_.-]+): (.*)$")
OUTCOMES = ("PASS", "FAIL", "SKIP", "MISSING")


def parse(path, known=None):
    """Returns {name: (outcome, detail)} in the log's order.

    known: names (without the occurrence suffix) seen in the other log, used to
    split "<what> (<detail>)" where <what> itself holds parentheses."""
    checks, seen = {}, {}
    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\n"))
        if not m:
            continue
        outcome, prog, rest = m.groups()
        what, detail = rest, ""
        if outcome != "PASS":
            cands = [k for k in (known or ()) if k.startswith(prog + ": ")
                     and rest.startswith(k[len(prog) + 2:] + " (")]
            if cands:
                what = max(cands, key=len)[len(prog) + 2:]
                detail = rest[len(what) + 2:-1] if rest.endswith(")") else rest[len(what) + 1:]
            elif rest.endswith(")") and " (" in rest:
                what, detail = rest[:rest.index(" (")], rest[rest.index(" (") + 2:-1]
        base = f"{prog}: {what}"
        seen[base] = seen.get(base, 0) + 1
        name = base if seen[base] == 1 else f"{base} #{seen[base]}"
        checks[name] = (outcome, detail)
    return checks


def bases(checks):
    return {re.sub(r" #\d+$", "", n) for n in checks}


def load_expectations(path):
    exp, errors = {}, []
    for no, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) != 3 or parts[1] not in OUTCOMES or not parts[0] or not parts[2]:
            errors.append(f"{path}:{no}: not '<prog>: <what> | <outcome> | <why>': {line}")
            continue
        if parts[0] in exp:
            errors.append(f"{path}:{no}: {parts[0]} listed twice")
        exp[parts[0]] = (parts[1], parts[2])
    return exp, errors


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    ours_log, up_log, exp_path = sys.argv[1:]
    ours = parse(ours_log, None)
    ours = parse(ours_log, bases(ours))
    up = parse(up_log, bases(ours))
    exp, problems = load_expectations(exp_path)
    if not ours or not up:
        problems.append(f"no checks in {'our run' if not ours else 'upstream run'} ({ours_log if not ours else up_log})")

    names = list(ours) + [n for n in up if n not in ours]
    agree = expected = 0
    for name in names:
        o, od = ours.get(name, ("MISSING", ""))
        u, ud = up.get(name, ("MISSING", ""))
        listed = exp.get(name)
        if o == u:
            agree += 1
            if listed:
                problems.append(f"LISTED BUT AGREES {name}: {o} with both libraries, "
                                f"the expectations say upstream's is {listed[0]} ({listed[1]})")
            continue
        if listed and listed[0] == u and o == "PASS":
            expected += 1
            print(f"expected  {name}: ours PASS, upstream {u}{' (' + ud + ')' if ud else ''}: {listed[1]}")
            continue
        what = f"{name}: ours {o}{' (' + od + ')' if od else ''}, upstream {u}{' (' + ud + ')' if ud else ''}"
        if listed:
            problems.append(f"DISAGREES OTHERWISE {what}; listed as upstream {listed[0]} ({listed[1]})")
        else:
            problems.append(f"UNLISTED DISAGREEMENT {what}")
    for name, (u, why) in exp.items():
        if name not in ours and name not in up:
            problems.append(f"LISTED BUT UNKNOWN {name}: no such check in either run (listed as upstream {u}: {why})")

    for p in problems:
        print(f"capi-reference: FAIL {p}")
    print(f"capi-reference: {len(names)} checks, {agree} agree between our library and upstream's, "
          f"{expected} disagree as listed ({len(exp)} listed), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
