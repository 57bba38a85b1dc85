#!/usr/bin/env python3
"""Did our library miss more often than upstream's beyond chance?

The one rule every judge of paired runs applies (capi-tests/upstream/run.sh
and compat-doc.py for the host's upstream suite, capi-tests/kernels/report.py
for the guests; guest-job.sh carries an awk copy, as busybox has no Python):
a one-sided Fisher exact test. Of all the misses in n runs with ours and n
with upstream's, how likely is it that ours holds `ours` or more when both
libraries miss alike? Beyond chance when that is at most alpha_pct %.

    chance.py OURS UPSTREAM N     exit 0 when beyond chance, 1 when not
"""
import math
import sys


def misses_beyond_chance(ours, upstream, n, alpha_pct=5):
    n = min(n, 30)
    if ours <= upstream:
        return False
    total = ours + upstream
    num = sum(math.comb(n, x) * math.comb(n, total - x) for x in range(ours, min(total, n) + 1))
    return 100 * num <= alpha_pct * math.comb(2 * n, total)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: chance.py OURS UPSTREAM N")
    sys.exit(0 if misses_beyond_chance(*map(int, sys.argv[1:])) else 1)
