#!/usr/bin/env bash
# Planted regressions for the judge of capi-tests/upstream/run.sh (its rules
# are capi-tests/lib/judge.py's): doctored runs (results.txt and outputs, no
# binary) that the judge must call worse, next to honest ones it must accept,
# judged through `run.sh judge`; then the judge's answers to what run.sh asks
# while running (does a result meet its expectation, skip lines, the tests
# the reference must run, expectations.txt's reading). Last, planted wrong
# rules: copies of judge.py with one rule changed (the threshold of the
# paired-run test, skipped parts not compared, ...), on each of which the
# plants, replayed, must miss one. `make test-upstream` runs it before the
# suite, so a judge that stops seeing one of these fails the target.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
judge_py="$top/capi-tests/lib/judge.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 missed=0 nplants=0

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

# A reference of REFERENCE_SCOPE=needed: the tests some mode did
# not pass cleanly, so neither nop.t nor read-write.t, and scope.txt.
honest "$work/ref-needed"
sed -i '/^nop.t \|^read-write.t /d' "$work/ref-needed/results.txt"
rm "$work/ref-needed/out/nop.t.out" "$work/ref-needed/out/read-write.t.out"
echo "needed 1 of 3" > "$work/ref-needed/scope.txt"

# A reference in which upstream's build itself ended below expectations.txt
# (read-write.t failed): what ours skips there cannot be compared.
honest "$work/ref-failed"
sed -i 's/^read-write.t PASS 0/read-write.t FAIL 1/' "$work/ref-failed/results.txt"
echo "test_io failed" > "$work/ref-failed/out/read-write.t.out"

# verdict NAME OK|FAIL WHAT [LOG]: show one plant's outcome, count a miss.
verdict() {
    if [ "$2" = OK ]; then
        echo "judge-control: ok: $1: $3"
    else
        missed=$((missed + 1))
        echo "judge-control: FAILED: $1: $3"
        sed 's/^/    /' <<< "${4:-}"
    fi
}
# keep KIND WANT PATTERN ARGS...: keep a plant in $work/plants/N for the
# replay below: what judge.py is asked (its files copied, as the plants go
# on changing them) and what it must answer.
keep() {
    local d="$work/plants/$nplants" a i=0
    nplants=$((nplants + 1))
    mkdir -p "$d"
    printf '%s\n' "$1" "$2" "$3" "${TIMEOUT:-}" > "$d/want"
    shift 3
    for a in "$@"; do
        if [ -e "$a" ]; then cp -a "$a" "$d/arg$i"; a="$d/arg$i"; fi
        printf '%s\0' "$a" >> "$d/argv"
        i=$((i + 1))
    done
}
# expect NAME OK|WORSE PATTERN [REF]: judge $work/run against $work/ref (or
# REF) with `run.sh judge`: OK is accepted (and its report has a line
# matching PATTERN, when given), WORSE is refused with a line matching it.
expect() {
    local name=$1 want=$2 pat=$3 ref=${4:-$work/ref} log rc
    keep expect "$want" "$pat" judge "$work/run" "$ref"
    log=$("$here/run.sh" judge "$work/run" "$ref" 2>&1); rc=$?
    if [ "$want" = OK ] && [ $rc -eq 0 ] && { [ -z "$pat" ] || grep -qE -- "$pat" <<< "$log"; }; then
        verdict "$name" OK "accepted${pat:+ ($(grep -m1 -E -- "$pat" <<< "$log" | sed 's/^ *//'))}"
    elif [ "$want" = WORSE ] && [ $rc -ne 0 ] && grep -qE -- "$pat" <<< "$log"; then
        verdict "$name" OK "worse ($(grep -m1 -E -- "$pat" <<< "$log" | sed 's/^ *//'))"
    else
        verdict "$name" FAIL "expected $want${pat:+ matching /$pat/}, the judge said (exit $rc):" "$log"
    fi
}
# plant SED_ON_RESULTS [FILE CONTENT]: an honest run with one doctored part.
plant() {
    honest "$work/run"
    [ -z "$1" ] || sed -i "$1" "$work/run/results.txt"
    [ $# -lt 3 ] || printf '%s\n' "$3" > "$work/run/out/$2"
}
# asks NAME WANT ARGS...: judge.py's command line (run.sh's questions while
# running) must print WANT (its lines joined by spaces) and exit 0.
asks() {
    local name=$1 want=$2 got rc; shift 2
    keep asks "$want" "" "$@"
    got=$(python3 "$judge_py" "$@" 2>&1 | tr '\n' ' '); rc=${PIPESTATUS[0]}
    got=${got% }
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then
        verdict "$name" OK "${want:-nothing}"
    else
        verdict "$name" FAIL "expected '$want', the judge said (exit $rc):" "$got"
    fi
}
# refuses NAME LINE PATTERN: expectations.txt with LINE added must be refused
# with a message matching PATTERN (exit 2), as run.sh dies on it.
refuses() {
    local got rc
    { cat "$here/expectations.txt"; printf '%s\n' "$2"; } > "$work/expectations.txt"
    keep refuses "" "$3" --expectations "$work/expectations.txt" expectations
    got=$(python3 "$judge_py" --expectations "$work/expectations.txt" expectations 2>&1 > /dev/null); rc=$?
    if [ $rc -eq 2 ] && grep -qE -- "$3" <<< "$got"; then
        verdict "$1" OK "refused ($got)"
    else
        verdict "$1" FAIL "expected a refusal matching /$3/, the judge said (exit $rc):" "$got"
    fi
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
plant 's/^nop.t PASS 0/nop.t TIMEOUT 124/'
TIMEOUT=60 expect "a PASS that hangs (TIMEOUT=60 names the limit)" WORSE '^  nop.t: TIMEOUT .* - timed out after 60s'
plant 's/^nop.t PASS 0/nop.t SKIP 77/'
expect "a PASS that skips" WORSE '^  nop.t: SKIP'
plant 's/^nop.t PASS 0/nop.t PASS 0/; $ a\
nosuch.t PASS 0 0.1 skips=0'
expect "a test expectations.txt has no line for" WORSE '^  nosuch.t: PASS, and expectations.txt has no line'
# 2. env only when upstream's own build ended the same way.
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t FAIL-ENV 1 0.3 skips=0 upstream=0\/3 abi-ours=3\/3/'
expect "env without upstream's build failing" WORSE '^  nop.t: FAIL marked env'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t FAIL-ENV 1 0.3 skips=0 upstream=unmeasured/'
expect "env where upstream's build was not measured" WORSE '^  nop.t: FAIL marked env'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t TIMEOUT-ENV 124 60 skips=0 upstream=1\/3 abi-ours=1\/3/'
expect "env where upstream's build hung too" OK '^environment-limited.*\(1\):'
# 3. flaky: worse when ours missed more often than upstream's build beyond
#    chance in the paired runs (one-sided Fisher exact test at 5 %).
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=4\/10 upstream=0\/10/'
expect "flaky, ours 4 of 10 paired runs missed, upstream's build 0" WORSE '^  nop.t: flaky with ours, and ours missed 4 of 10'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=6\/10 upstream=1\/10/'
expect "flaky, ours 6 of 10 paired runs missed, upstream's build 1" WORSE '^  nop.t: flaky with ours, and ours missed 6 of 10'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=5\/6 upstream=1\/6/'
expect "flaky, ours 5 of 6 missed, upstream's build 1 (p = 0.040)" WORSE '^  nop.t: flaky with ours, and ours missed 5 of 6'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=3\/4 upstream=0\/4/'
expect "flaky, ours 3 of 4 missed, upstream's build 0 (p = 0.071)" OK '^flaky: .*\(1\):'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=4\/4 upstream=0\/4/'
expect "flaky, slow test: ours 4 of 4 missed, upstream's build 0" WORSE '^  nop.t: flaky with ours, and ours missed 4 of 4'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 upstream=0\/10/'
expect "flaky with no paired runs of ours" WORSE '^  nop.t: flaky with ours .*no paired runs'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=2\/10 upstream=0\/8/'
expect "flaky with pair counts that disagree" WORSE '^  nop.t: flaky with ours .*no paired runs'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=0\/0 upstream=0\/0/'
expect "flaky with 0 paired runs" WORSE '^  nop.t: flaky with ours .*no paired runs'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=1\/10 upstream=0\/10/'
expect "flaky, ours 1 of 10 missed, upstream's build 0 (a rare flake)" OK '^flaky: .*\(1\):'
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=3\/10 upstream=0\/10/'
expect "flaky, ours 3 of 10 missed, upstream's build 0 (p = 0.105)" OK ""
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS-FLAKY 0 0.3 skips=0 first=TIMEOUT\/124 retry=1 ours=5\/10 upstream=3\/10/'
expect "flaky on both, ours 5 of 10, upstream's build 3" OK ""
plant 's/^nop.t PASS 0 0.3 skips=0/nop.t PASS 0 0.3 skips=0 first=FAIL\/1 retry=1/'
expect "a retry of the reference run, listed" OK "^  nop.t: PASS on retry 1, first FAIL/1 retry=1 \(upstream's build, reference run\)"
# 4. a part skipped with ours and run with upstream's library.
plant "" nop.t.out "IORING_OP_NOP128 not supported, skipping"
expect "a part skipped with ours only" WORSE '^  nop.t: PASS, but skips a part'
plant "" nop.t.out "IORING_OP_NOP128: Not Supported  "
expect "a part skipped with ours only, in capitals" WORSE '^  nop.t: PASS, but skips a part'
plant "" read-write.t.out ""
expect "a part skipped with upstream's only" OK '^better than upstream \(1\):'
plant "" read-write.t.out "test_write_efbig not available"
expect "a part skipped with ours only, upstream's build below its expectation" OK \
    "^NOT COMPARED with upstream's library \(1\):" "$work/ref-failed"

# 5. a reference of the needed tests only: a clean PASS needs none; a
#    skipped part without upstream's run to compare it with is worse.
plant "" read-write.t.out ""
expect "a partial reference, every test it left out clean" OK "" "$work/ref-needed"
plant ""
expect "a partial reference without a test whose part ours skips" WORSE '^  read-write.t: no reference run' "$work/ref-needed"
mv "$work/ref-needed/scope.txt" "$work/ref-needed/scope.off"
plant "" read-write.t.out ""
expect "a reference with tests missing and no scope.txt" WORSE '^  nop.t: no reference run' "$work/ref-needed"
mv "$work/ref-needed/scope.off" "$work/ref-needed/scope.txt"

# 6. what run.sh asks the judge while running (judge.py's command line).
plant "" timens-abs-timer.t.out "queue_init: -12"
asks "misses: the results that do not meet their expectation" "timens-abs-timer.t" \
    misses "$work/run/results.txt" "$work/run/out"
printf 'nop.t SKIP 77\nread-write.t PASS 0\ntimens-abs-timer.t FAIL 1\n' > "$work/lines"
asks "misses: a PASS that skipped, and an expected FAIL ending otherwise" "nop.t timens-abs-timer.t" \
    misses "$work/lines" "$work/run/out"
printf 'Not root, skipping x\nsomething unsupported\nNOT AVAILABLE: y  \nNot root, skipping x\nran z\n' > "$work/run/out/nop.t.out"
asks "skip-counts: distinct skip lines of each output" "nop.t 3 read-write.t 1 cq-full.t 0" \
    skip-counts "$work/run/out" nop.t read-write.t cq-full.t
honest "$work/run"
honest "$work/run2"
sed -i 's/^read-write.t PASS 0 2.5 skips=1/read-write.t PASS 0 2.5 skips=0/' "$work/run/results.txt"
sed -i 's/^read-write.t PASS 0 2.5 skips=1/read-write.t PASS 0 2.5 skips=2/' "$work/run2/results.txt"
asks "needed: what the reference must run for two modes" "read-write.t timens-abs-timer.t cbpf_filter.t" \
    needed "nop.t read-write.t timens-abs-timer.t cbpf_filter.t" "$work/run/results.txt" "$work/run2/results.txt"
sed -i 's/^nop.t PASS 0 0.3 skips=0.*/nop.t PASS-FLAKY 0 0.3 skips=0 ours=1\/4 upstream=1\/4/' "$work/run2/results.txt"
asks "needed: a test one mode passed only on a retry" "nop.t read-write.t" \
    needed "nop.t read-write.t" "$work/run/results.txt" "$work/run2/results.txt"
asks "chance: ours 4 of 10, upstream's build 0, is beyond chance" "" chance 4 0 10
refuses "expectations: an unknown result" "x.t MAYBE" "x.t: unknown result 'MAYBE'"
refuses "expectations: an expected FAIL without its exact failure" "x.t FAIL rc=1" "x.t: an expected FAIL needs"
refuses "expectations: a timeout that is not whole seconds" "x.t PASS timeout=0" "x.t: timeout= wants whole seconds"
refuses "expectations: a regular expression grep -E would read otherwise" 'x.t FAIL rc=1 last=a\<b' "x.t: last= is not"
refuses "expectations: an unknown way to run among others" "x.t PASS run=together" "x.t: unknown run=together"

[ $missed -eq 0 ] || failed=1

# Planted wrong rules: judge.py with one rule changed must miss at least one
# plant above. Each is a sed on a copy (it must still apply). replay.py runs
# every kept plant on a judge.py (its main, in one process: as run.sh and the
# plants above ran it) and prints how many it missed.
cat > "$work/replay.py" <<'EOF'
import contextlib, importlib.util, io, os, re, sys
spec = importlib.util.spec_from_file_location("judge_planted", sys.argv[1])
judge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(judge)
missed = 0
for n in sorted(os.listdir(sys.argv[2]), key=int):
    d = os.path.join(sys.argv[2], n)
    kind, want, pat, timeout = open(os.path.join(d, "want")).read().split("\n")[:4]
    argv = open(os.path.join(d, "argv")).read().split("\0")[:-1]
    os.environ.pop("TIMEOUT", None)
    if timeout:
        os.environ["TIMEOUT"] = timeout
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape"), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = judge.main(argv)
        except Exception as e:  # a planted rule may break the judge outright
            rc = f"exception {e!r}"
    out.flush()
    log = out.buffer.getvalue().decode("utf-8", "surrogateescape") + err.getvalue()
    hit = any(re.search(pat, ln) for ln in log.splitlines()) if pat else True
    if kind == "expect":
        ok = hit and (rc == 0 if want == "OK" else rc not in (0, None))
    elif kind == "asks":
        ok = rc == 0 and " ".join(log.split()) == want
    else:
        ok = rc == 2 and hit
    missed += not ok
print(missed)
EOF
replay() { python3 -S "$work/replay.py" "$1" "$work/plants" 2>&1; }
mutants=(
    's/^ALPHA_PCT = 5$/ALPHA_PCT = 10/'                                    # the paired runs' threshold
    's/^    n = min(n, 30)$/    n = min(n, 30) + 1/'                        # the paired runs' count
    's/^    if n <= 0:$/    if n < 0:/'                                      # no pairs measure nothing
    's/^    ours_only = \[x for x in ours if x not in theirs\]$/    ours_only = []/'  # skips not compared
    's/, re.I)$/)/'                                                          # skip lines in capitals
    's/^        return last is not None and e.last_re.fullmatch(last) is not None$/        return True/'  # the pinned last line
    's/^        if rc != e.rc:$/        if False:/'                          # the pinned exit status
    's/"FAIL": 2, "TIMEOUT": 1/"FAIL": 1, "TIMEOUT": 2/'                     # the rank
    's/and int(up_k) > 0:$/and int(up_k) >= 0:/'                             # env without upstream's miss
    's/^        if not (ref.partial and not skip_lines(out)):$/        if not ref.partial:/'  # a partial reference
    's/^        j.worse.append(f"{t}: {b}, and expectations.txt has no line for it")$/        pass/'  # no expectation
    's/^        j.unchecked.append(/        j.better.append(/'                    # not compared
    's/^            if not meets(exp.get(t), r, rc, f"{args\[1\]}\/{t}.out"):$/            if False:/'  # misses
    's/== "skips=0"$/!= "skips=1"/'                                            # needed: skipped parts
)
caught=0
for m in "${mutants[@]}"; do
    sed "$m" "$judge_py" > "$work/judge.py"
    if cmp -s "$work/judge.py" "$judge_py"; then
        echo "judge-control: FAILED: the planted wrong rule $m no longer applies to judge.py"
        failed=1
    elif ! n=$(replay "$work/judge.py") || [[ ! $n =~ ^[0-9]+$ ]]; then
        echo "judge-control: FAILED: the replay of the plants broke on the planted wrong rule $m: $n"
        failed=1
    elif [ "$n" -eq 0 ]; then
        echo "judge-control: FAILED: judge.py with the planted wrong rule $m passed every plant"
        failed=1
    else
        caught=$((caught + 1))
    fi
done
# The replay itself must agree with the plants above on judge.py as it is.
n=$(replay "$judge_py")
[ "$n" = 0 ] || { echo "judge-control: FAILED: the replay of the $nplants plants on judge.py itself missed $n"; failed=1; }
echo "judge-control: $caught of ${#mutants[@]} planted wrong rules of judge.py caught by the $nplants plants"

# 8. a build only (NO_RUN=1, as kernels.sh asks for while a whole run may be
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

# 9. the first pass runs RUN_JOBS tests at once and a test marked run=alone
#    with nothing beside it: five planted tests (a shell script each, logging
#    when it starts and ends; b.t takes 0.9 s, the others 0.2 s, so that e.t
#    would start beside b.t) through run.sh's first_pass. Planted:
#    a first_pass that does not wait for a free slot (nowait: four at once) and
#    one that does not read run=alone (noalone: e.t beside b.t).
mkdir -p "$work/first"
printf '%s\n' '#!/bin/sh' \
    'case $0 in *b.t) s=0.9;; *) s=0.2;; esac' \
    'echo "+ $(basename "$0") $(date +%s%N)" >> "$FIRST_LOG"; sleep $s' \
    'echo "- $(basename "$0") $(date +%s%N)" >> "$FIRST_LOG"' > "$work/first/fake.t"
chmod +x "$work/first/fake.t"
for t in a b c d e; do ln -sf fake.t "$work/first/$t.t"; done
# first_overlaps RUN_SH JOBS: "MOST HIT" of one pass: the most tests running
# at once, and 1 when e.t ran beside another test
first_overlaps() {
    : > "$work/first.log"
    ( RUN_SH_LIB=1 source "$1"
      declare -A exp_how=() exp_timeout=() exp_run=([e.t]=alone)
      TIMEOUT=20 RUN_JOBS=$2 FIRST_LOG="$work/first.log"; export FIRST_LOG
      first_pass "$work/first" /nonexistent "$work/first" a.t b.t c.t d.t e.t > /dev/null )
    sort -k3,3n "$work/first.log" | awk '
        $1 == "+" { n++; if (n > most) most = n; if ($2 == "e.t") inside = 1
                    if (n > 1 && inside) hit = 1 }
        $1 == "-" { n--; if ($2 == "e.t") inside = 0 }
        END { print most + 0, hit + 0 }'
}
# first_gives RUN_SH JOBS WANT: true when one pass gives WANT ("MOST HIT":
# the most tests at once, 1 when e.t ran beside another); $first_got is what
# it gave
first_gives() { first_got=$(first_overlaps "$1" "$2"); [ "$first_got" = "$3" ]; }
for jobs in 2 1; do
    if first_gives "$here/run.sh" "$jobs" "$jobs 0"; then
        echo "judge-control: ok: first pass: RUN_JOBS=$jobs: most at once, e.t beside another = $first_got"
    else
        echo "judge-control: FAIL: first pass: RUN_JOBS=$jobs: most at once, e.t beside another = '$first_got', expected '$jobs 0'"
        failed=$((failed + 1))
    fi
done
sed 's/if \[ \$running -ge "\$RUN_JOBS" \]; then wait -n; running=\$((running - 1)); fi/:/' \
    "$here/run.sh" > "$work/run-nowait.sh"
sed 's/\[ "\${exp_run\[\$t\]:-}" = alone \]/false/' "$here/run.sh" > "$work/run-noalone.sh"
for plant in nowait noalone; do
    if cmp -s "$here/run.sh" "$work/run-$plant.sh"; then
        echo "judge-control: FAIL: first pass: the $plant plant no longer applies to run.sh"; failed=$((failed + 1))
    elif first_gives "$work/run-$plant.sh" 2 "2 0"; then
        echo "judge-control: FAIL: first pass: the planted runner ($plant) was not caught"; failed=$((failed + 1))
    else
        echo "judge-control: ok: first pass: planted runner ($plant) caught: most at once, e.t beside another = $first_got"
    fi
done

[ "$failed" -eq 0 ] && echo "judge-control: every planted regression was caught"
exit $failed
