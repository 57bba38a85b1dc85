#!/usr/bin/env bash
# Planted regressions for the judge of capi-tests/upstream/run.sh: doctored
# runs (results.txt and outputs, no binary) that the judge must call worse,
# next to an honest one it must accept. Runs in a second; `make test-upstream`
# runs it before the suite, so a judge that stops seeing one of these fails
# the target.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# An honest run of three tests, and the reference run it is judged against.
# timens-abs-timer.t ends the way expectations.txt pins it.
honest() {
    local d=$1
    rm -rf "$d"; mkdir -p "$d/out"
    cat > "$d/results.txt" <<'EOF'
nop.t PASS 0 0.3 skips=0
read-write.t PASS 0 2.5 skips=1
timens-abs-timer.t FAIL 1 0.0 skips=0
EOF
    : > "$d/out/nop.t.out"
    echo "Not root, skipping test_write_efbig" > "$d/out/read-write.t.out"
    echo "IORING_TIMEOUT_ABS fired after 34435 ns, expected ~1000000000 ns. Likely missing timens_ktime_to_host() in io_parse_user_time()." \
        > "$d/out/timens-abs-timer.t.out"
}
honest "$work/ref"

# make test's reference (REFERENCE_SCOPE=needed): the tests some mode did
# not pass cleanly, so neither nop.t nor read-write.t, and scope.txt.
honest "$work/ref-needed"
sed -i '/^nop.t \|^read-write.t /d' "$work/ref-needed/results.txt"
rm "$work/ref-needed/out/nop.t.out" "$work/ref-needed/out/read-write.t.out"
echo "needed 1 of 3" > "$work/ref-needed/scope.txt"

# expect NAME OK|WORSE PATTERN [REF]: judge $work/run against $work/ref (or REF).
expect() {
    local name=$1 want=$2 pat=$3 ref=${4:-$work/ref} log rc
    log=$("$here/run.sh" judge "$work/run" "$ref" 2>&1); rc=$?
    if [ "$want" = OK ] && [ $rc -eq 0 ]; then
        echo "judge-control: ok: $name: accepted"
    elif [ "$want" = WORSE ] && [ $rc -ne 0 ] && grep -qE -- "$pat" <<< "$log"; then
        echo "judge-control: ok: $name: worse ($(grep -m1 -E -- "$pat" <<< "$log" | sed 's/^ *//'))"
    else
        echo "judge-control: FAILED: $name: expected $want${pat:+ matching /$pat/}, the judge said (exit $rc):"
        sed 's/^/    /' <<< "$log"
        failed=1
    fi
}
# plant SED_ON_RESULTS [FILE CONTENT]: an honest run with one doctored part.
plant() {
    honest "$work/run"
    [ -z "$1" ] || sed -i "$1" "$work/run/results.txt"
    [ $# -lt 3 ] || printf '%s\n' "$3" > "$work/run/out/$2"
}

plant ""
expect "honest run" OK ""
# 1. An expected FAIL must end exactly as pinned.
plant "" timens-abs-timer.t.out "queue_init: -12"
expect "expected FAIL that fails in an earlier sub-test" WORSE '^  timens-abs-timer.t: FAIL'
plant 's/^timens-abs-timer.t FAIL 1/timens-abs-timer.t FAIL 2/'
expect "expected FAIL with another exit status" WORSE '^  timens-abs-timer.t: FAIL'
plant 's/^timens-abs-timer.t FAIL 1/timens-abs-timer.t TIMEOUT 124/'
expect "expected FAIL that hangs" WORSE '^  timens-abs-timer.t: TIMEOUT'
plant 's/^timens-abs-timer.t FAIL 1/timens-abs-timer.t NOTBUILT -/'
expect "expected FAIL that does not build" WORSE '^  timens-abs-timer.t: NOTBUILT'
plant 's/^nop.t PASS 0/nop.t FAIL 1/'
expect "a PASS that fails" WORSE '^  nop.t: FAIL'
# 2. env only when upstream's own build ended the same way.
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t FAIL-ENV 1 0.3 skips=0 upstream=0\/3 abi-ours=3\/3/'
expect "env without upstream's build failing" WORSE '^  nop.t: FAIL marked env'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t TIMEOUT-ENV 124 60 skips=0 upstream=1\/3 abi-ours=1\/3/'
expect "env where upstream's build hung too" OK ""
# 3. flaky: worse when ours missed more often than upstream's build beyond
#    chance in the paired runs (one-sided Fisher exact test at 5 %).
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=4\/10 upstream=0\/10/'
expect "flaky, ours 4 of 10 paired runs missed, upstream's build 0" WORSE '^  nop.t: flaky with ours, and ours missed 4 of 10'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=6\/10 upstream=1\/10/'
expect "flaky, ours 6 of 10 paired runs missed, upstream's build 1" WORSE '^  nop.t: flaky with ours, and ours missed 6 of 10'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=4\/4 upstream=0\/4/'
expect "flaky, slow test: ours 4 of 4 missed, upstream's build 0" WORSE '^  nop.t: flaky with ours, and ours missed 4 of 4'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 upstream=0\/10/'
expect "flaky with no paired runs of ours" WORSE '^  nop.t: flaky with ours .*no paired runs'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=2\/10 upstream=0\/8/'
expect "flaky with pair counts that disagree" WORSE '^  nop.t: flaky with ours .*no paired runs'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=1\/10 upstream=0\/10/'
expect "flaky, ours 1 of 10 missed, upstream's build 0 (a rare flake)" OK ""
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=3\/10 upstream=0\/10/'
expect "flaky, ours 3 of 10 missed, upstream's build 0 (p = 0.105)" OK ""
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=5\/10 upstream=3\/10/'
expect "flaky on both, ours 5 of 10, upstream's build 3" OK ""
# 4. a part skipped with ours and run with upstream's library.
plant "" nop.t.out "IORING_OP_NOP128 not supported, skipping"
expect "a part skipped with ours only" WORSE '^  nop.t: PASS, but skips a part'
plant "" read-write.t.out ""
expect "a part skipped with upstream's only" OK ""

# 5. a reference of the needed tests only: a clean PASS needs none; a
#    skipped part without upstream's run to compare it with is worse.
plant "" read-write.t.out ""
expect "a partial reference, every test it left out clean" OK "" "$work/ref-needed"
plant ""
expect "a partial reference without a test whose part ours skips" WORSE '^  read-write.t: no reference run' "$work/ref-needed"
mv "$work/ref-needed/scope.txt" "$work/ref-needed/scope.off"
plant "" read-write.t.out ""
expect "a reference with tests missing and no scope.txt" WORSE '^  nop.t: no reference run' "$work/ref-needed"

# 6. a build only (NO_RUN=1, as kernels.sh asks for while a whole run may be
#    going on in the same work directory) leaves the reference's outputs as
#    they are: a sentinel output must survive a build-only call for nop.t.
#    Planted (the run.sh before this check): the call cleared reference/out,
#    and test-kernels beside test-upstream judged every test "no reference run".
top=$(cd "$here/../.." && pwd)
up_out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
mkdir -p "$up_out/reference/out"
sentinel="$up_out/reference/out/judge-control-sentinel.t.out"
echo kept > "$sentinel"
NO_RUN=1 MODES=abi TESTS=nop.t UPSTREAM_TESTS_OUT="$up_out" "$here/run.sh" > "$work/norun.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -f "$sentinel" ]; then
    echo "judge-control: ok: a build-only call (NO_RUN=1) leaves the reference's outputs"
else
    echo "judge-control: FAIL: a build-only call (NO_RUN=1, rc $rc) cleared the reference's outputs (see its log below)"
    tail -n 5 "$work/norun.log"
    failed=$((failed + 1))
fi
rm -f "$sentinel"

[ $failed -eq 0 ] && echo "judge-control: every planted regression was caught"
exit $failed
