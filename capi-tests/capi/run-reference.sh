#!/usr/bin/env bash
# make test-capi-reference: our C tests (built against our headers) run twice
# in the same invocation, against our library and against upstream liburing
# 2.15's own library built from source, and every check must have the same
# outcome on both unless capi-tests/capi/reference-expectations.txt lists it
# with the reason (reference-judge.py is the judge).
#
#   run-reference.sh BINDIR OURLIBDIR REFLIBDIR PROG...
#
# CAPI_NOPS (nops.c's NOP count) defaults to one million here, a tenth of
# test-capi's, to keep the two runs short; test-capi runs the full volume.
#
# Then a control, on the logs just written (no rerun): the judge must fail
# (1) when one check of upstream's log is doctored from PASS to FAIL, naming
# that check as an unlisted disagreement; (2) when the first listed entry is
# removed from a copy of the expectations (if any is listed), naming it; and
# (3) when a check that agrees is added to a copy of the expectations, naming
# it. A judge that lets any of these through fails the target.
set -u

usage="usage: run-reference.sh BINDIR OURLIBDIR REFLIBDIR PROG..."
bindir=${1:?$usage}
ourlib=${2:?$usage}
reflib=${3:?$usage}
shift 3
[ $# -gt 0 ] || { echo "capi-reference: no programs named ($usage)"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out="$top/build/capi-tests/reference"
exp="$here/reference-expectations.txt"
judge=(python3 "$here/reference-judge.py")
export CAPI_NOPS=${CAPI_NOPS:-1000000}
mkdir -p "$out"

[ -e "$reflib/liburing.so.2" ] || { echo "capi-reference: FAIL: upstream's library $reflib/liburing.so.2 missing"; exit 1; }

start=$(date +%s)
echo "capi-reference: our library ($ourlib), log $out/ours.log"
"$here/run-capi.sh" "$bindir" "$ourlib" "$@" >"$out/ours.log" 2>&1
echo "capi-reference: $(tail -1 "$out/ours.log")"
echo "capi-reference: upstream's library ($reflib), log $out/upstream.log"
LD_LIBRARY_PATH="$reflib" "$here/run-capi.sh" "$bindir" "$reflib" "$@" >"$out/upstream.log" 2>&1
echo "capi-reference: $(tail -1 "$out/upstream.log")"

"${judge[@]}" "$out/ours.log" "$out/upstream.log" "$exp"
status=$?

# --- control --------------------------------------------------------------
cfail=0
control() { echo "capi-reference: control FAIL: $*"; cfail=1; }

# (1) a doctored upstream log: the first check of the second program flips.
line=$(grep -m1 "^PASS $2: " "$out/upstream.log")
name=${line#PASS }
if [ -z "$line" ]; then
    control "no PASS line of $2 in $out/upstream.log to doctor"
else
    awk -v l="$line" '!done && $0 == l {print "FAIL " substr($0, 6) " (planted by the control)"; done = 1; next} {print}' \
        "$out/upstream.log" >"$out/control-upstream.log"
    if "${judge[@]}" "$out/ours.log" "$out/control-upstream.log" "$exp" >"$out/control-1.log" 2>&1 ||
        ! grep -qF "UNLISTED DISAGREEMENT $name: ours PASS, upstream FAIL" "$out/control-1.log"; then
        control "a check doctored to FAIL on upstream's side ($name) was not named (see $out/control-1.log)"
    else
        echo "capi-reference: control: doctored '$name' to FAIL: caught as an unlisted disagreement"
    fi
fi

# (2) the first listed entry removed.
first=$(grep -v '^[[:space:]]*\(#\|$\)' "$exp" | head -1)
if [ -n "$first" ]; then
    fname=${first%% | *}
    grep -vxF "$first" "$exp" >"$out/control-expectations-2.txt"
    if "${judge[@]}" "$out/ours.log" "$out/upstream.log" "$out/control-expectations-2.txt" >"$out/control-2.log" 2>&1 ||
        ! grep -qF "UNLISTED DISAGREEMENT $fname:" "$out/control-2.log"; then
        control "removing '$fname' from the expectations was not caught (see $out/control-2.log)"
    else
        echo "capi-reference: control: removed '$fname' from the expectations: caught"
    fi
else
    echo "capi-reference: control: the expectations list no check, so (2) removing one has nothing to remove"
fi

# (3) a check that agrees, listed as if upstream failed it.
line=$(grep -m1 "^PASS $1: " "$out/upstream.log")
name=${line#PASS }
if grep -qxF "$line" "$out/ours.log"; then
    { cat "$exp"; echo "$name | FAIL | planted by the control"; } >"$out/control-expectations-3.txt"
    if "${judge[@]}" "$out/ours.log" "$out/upstream.log" "$out/control-expectations-3.txt" >"$out/control-3.log" 2>&1 ||
        ! grep -qF "LISTED BUT AGREES $name:" "$out/control-3.log"; then
        control "listing the agreeing check '$name' was not caught (see $out/control-3.log)"
    else
        echo "capi-reference: control: listed the agreeing '$name': caught"
    fi
else
    control "no check of $1 passes on both sides to list"
fi

echo "capi-reference: $(( $(date +%s) - start )) s"
[ "$status" = 0 ] && [ "$cfail" = 0 ]
