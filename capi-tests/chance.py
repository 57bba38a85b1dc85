#!/usr/bin/env python3
"""Did our library miss more often than upstream's beyond chance?

The paired-run rule of every judge (a one-sided Fisher exact test at 5 %)
lives in capi-tests/lib/judge.py (misses_beyond_chance), with the judge's
other rules; this is its old command line and import name, kept for any
script that still calls it (guest-job.sh carries an awk copy, as busybox has
no Python; report.py --control proves the two equal).

    chance.py OURS UPSTREAM N     exit 0 when beyond chance, 1 when not
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from judge import misses_beyond_chance  # noqa: E402,F401 (the one rule)

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: chance.py OURS UPSTREAM N")
    sys.exit(0 if misses_beyond_chance(*map(int, sys.argv[1:])) else 1)
