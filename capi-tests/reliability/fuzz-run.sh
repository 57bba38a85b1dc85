#!/usr/bin/env bash
# fuzz-run.sh TARGET...: each cargo-fuzz target of fuzz/ for FUZZ_SECONDS
# seconds of its own, FUZZ_JOBS of them at once (default: the CPUs here, so
# each fuzzer has a CPU as it would alone; make test's 2 cores halve the
# wall time and leave every target its full time). Each target's log is
# FUZZ_WORK/<target>.log, a line per run goes to FUZZ_HISTORY, and the
# verdicts are printed in the order given. Exit 1 when any target failed
# (a crash, a leak, a timeout: libFuzzer's own exit status).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
: "${FUZZ_SECONDS:?}" "${FUZZ_WORK:?}" "${FUZZ_HISTORY:?}"
jobs=${FUZZ_JOBS:-$(nproc)}
[ "$jobs" -ge 1 ] || jobs=1
mkdir -p "$(dirname "$FUZZ_HISTORY")"

# One target, in fuzz/: setup runs unsanitized (it maps rings the kernel
# writes, which ASan's shadow does not see), as fuzz-build builds it.
fuzz_one() {
	local t=$1 san=() log="$FUZZ_WORK/$1.log" rc runs
	case $t in setup) san=(-s none --target-dir target/nosan) ;; esac
	mkdir -p "$FUZZ_WORK/$t" "$top/fuzz/corpus/$t"
	(cd "$top/fuzz" && cargo +nightly fuzz run -O "${san[@]}" "$t" "$FUZZ_WORK/$t" "corpus/$t" -- \
		-max_total_time="$FUZZ_SECONDS" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1) >"$log" 2>&1
	rc=$?
	runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
	echo "$(date -u +%FT%TZ) $t seconds=$FUZZ_SECONDS execs=${runs:-?} rc=$rc jobs=$jobs" >>"$FUZZ_HISTORY"
	echo "$rc ${runs:-?}" >"$FUZZ_WORK/$t.rc"
}

echo "fuzz: $* for $FUZZ_SECONDS s each, $jobs at once"
running=0
for t in "$@"; do
	rm -f "$FUZZ_WORK/$t.rc"
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	fuzz_one "$t" &
	running=$((running + 1))
done
wait

failed=""
for t in "$@"; do
	read -r rc runs <"$FUZZ_WORK/$t.rc" 2>/dev/null || { rc="none"; runs="?"; }
	if [ "$rc" = 0 ]; then
		echo "fuzz: $t ok, $runs executions"
	else
		failed="$failed $t"
		echo "fuzz: $t FAILED (exit $rc)"
		grep -E "panicked|ERROR|SUMMARY|Test unit written" "$FUZZ_WORK/$t.log" | head -20
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed (logs in $FUZZ_WORK)"
	exit 1
fi
