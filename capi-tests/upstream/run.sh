#!/usr/bin/env bash
# Upstream liburing 2.15's own test suite, run against liburing-rs in three modes:
#
#   abi       upstream's installed-style headers (from the fetched tree, configured
#             for this machine by capi-tests/lib/upstream-build.sh), linked against our build/lib/liburing.so.2:
#             the binary drop-in.
#   source    our build/include headers, linked against our liburing.so.2:
#             the source drop-in.
#   ffi       our headers with -DLIBURING_FFI (every inline helper becomes a call),
#             linked against our build/lib/liburing-ffi.so.2: the FFI drop-in.
#
# and, in the same run, the reference: the abi-mode binaries (upstream's headers)
# run on upstream's own library (LD_LIBRARY_PATH; the binaries carry a RUNPATH,
# which it overrides). MODES=upstream runs only the reference.
#
# Tests are built in parallel (make -j$JOBS) and each is run the way upstream's
# test/runtests.sh runs it: ./name.t from the test directory (which
# holds links to everything in upstream's test/), no arguments, stdin from
# /dev/null, a $TIMEOUT second limit (SIGINT, then SIGKILL after as long again),
# exit 0 = pass, 77 = skip, anything else = fail. (runtests.sh's dmesg scan is
# not done: other work shares this kernel.) A test whose expectation names a
# way to run it (how=, below) runs that way in every mode and in the reference.
# The first pass of a mode (and of the reference) runs RUN_JOBS tests at once,
# as upstream's own `make -C test runtests-parallel` does with make -j; a test
# marked run=alone (timing-sensitive: it missed beside other tests, or under
# load with upstream's library too) runs after them with nothing beside it.
# Retries, paired runs and re-checks always run one at a time.
#
# Judging (capi-tests/lib/judge.py, the one implementation of these rules,
# which report.py and compat-doc.py use too; `run.sh judge RUN_DIR [REF_DIR]`
# judges a finished run against a reference run given as input, with no test
# run at all):
#   * capi-tests/upstream/expectations.txt says how each test ends with
#     upstream's own library here. Results rank PASS > SKIP > FAIL > TIMEOUT >
#     NOTBUILT. An expected FAIL names its exit status and the regular
#     expression its last output line matches: a FAIL that ends differently
#     (an earlier sub-test, another message), a hang or no binary is worse.
#   * skipped parts: the output lines announcing a skipped part ("not
#     supported", "skipping", ...) are compared with the reference run's for
#     the same test; a part skipped with ours and run with upstream's is worse.
#   * a test that did worse on its first run is run again (RETRIES times). If
#     a retry meets the expectation the test is flaky with ours, and a miss
#     rate is measured: FLAKY_RUNS pairs of runs, upstream's own build (abi
#     binary, upstream's library) then this mode's binary on ours, fewer pairs
#     for a slow test (FLAKY_BUDGET seconds) but never under 4. The first miss
#     and the retries are not counted (they chose the test). Ours is worse
#     when it missed more often than upstream's build beyond chance: a
#     one-sided Fisher exact test on the two counts at p <= 5 % (judge.py's
#     misses_beyond_chance; no pairs at all measure nothing: worse)
#     (4 misses of 10 against none is worse; 1 of 10 against none is not: a
#     rare flake of the test itself, which one or two misses cannot tell from
#     a library that got worse). Pairs stop once the verdict is settled.
#   * a test that stays worse is re-checked with the abi-mode binary (upstream's
#     headers) on upstream's library (the reference run, then up to ENV_RUNS
#     runs in all, until one ends as ours did) and on ours (as many runs, until
#     one meets the expectation): it is "environment-limited" (env) only when
#     upstream's own build ends the same way in one of them; otherwise worse.
# The run fails when any mode has a worse test; doing better is reported.
#
# Expectation lines: <test> <PASS|SKIP|FAIL> [how=WAY] [rc=N last=REGEX]  [# why]
#   how=unprivileged  run as the user liburing-rs-test (created when missing)
#   how=netns         run in a new, empty network namespace (unshare -n)
#   how=loopback      run in a new network namespace whose loopback is up: a
#                     port of its own choosing cannot be taken by anything else
#                     on the machine
#   timeout=N         this test's limit in seconds when it is above TIMEOUT
#   run=alone         in a first pass of RUN_JOBS > 1, run after the others,
#                     with no other test beside it
#   rc=N last=REGEX   (FAIL only) the exit status and an extended regular
#                     expression the whole last non-empty output line matches;
#                     last= takes the rest of the line up to " #".
#
# Environment:
#   MODES="abi source ffi"   which modes to run (upstream: the reference only)
#   TESTS="nop.t cq-full.t"  a subset (default: every test upstream builds here);
#                            a subset run writes subset.txt, never results.txt
#   JOBS=2                   parallel compile jobs
#   RUN_JOBS=1               tests at once in each first pass (make: 3)
#   TIMEOUT=60               per-test limit in seconds
#   RECHECK=1                0: no reference run, no retries, no re-checks
#   RETRIES=3                further runs of a test that did worse
#   FLAKY_RUNS=10            paired runs (upstream's build, ours) of a test
#                            that was flaky with ours
#   FLAKY_BUDGET=300         seconds those pairs may take, judged from the
#                            test's first run (never fewer than 4 pairs)
#   ENV_RUNS=3               runs of the abi binary on each library, env re-check
#   REFERENCE=dir            a finished reference run to judge against (its
#                            results.txt and out/); then none is run here
#   REFERENCE_SCOPE=all      all: the reference runs every test, first.
#                            needed: it runs after the modes, only
#                            the tests some mode did not pass cleanly (another
#                            result, a retry, a skipped part) and those upstream
#                            is not expected to pass; a test every mode passed
#                            with nothing skipped cannot be worse than
#                            upstream's whatever upstream's library does. What
#                            is lost: "better" for parts only upstream's
#                            library skips in tests ours passes cleanly, and the
#                            reference's own check of the other tests. The run
#                            says reference-needed-only in commit.txt and
#                            reference/scope.txt; compat-doc.py --save-results
#                            records only full-reference runs
#   UPSTREAM_TESTS_OUT=dir   work directory (default target/upstream-tests)
#   UPSTREAM_BUILD_FLAGS=... upstream's tree and library for another target
#                            (capi-tests/lib/upstream-build.sh's options,
#                            e.g. --arch i386: capi-tests/arches/upstream-i386.sh)
#   OUR_INCLUDE=dir          our headers (default build/include)
#   OUR_LIBDIR=dir           our libraries (default build/lib)
#   NO_RUN=1                 build only
#
# Layout under the work directory: <mode>/test/ the binaries of a mode (abi,
# source, ffi); <run>/results.txt and <run>/out/<test>.out per run (abi,
# source, ffi, reference). results.txt lines:
#   <test> <RESULT>[-FLAKY|-ENV] <exit status> <seconds> [key=value ...]
# with first=RESULT/rc (flaky: the first run), upstream=K/N (how many of N runs
# of upstream's build missed the expectation), ours=K/N (flaky: how many of
# the N paired runs of this mode's binary on ours missed it), abi-ours=K/N
# (env: the same for the abi binary on our library), skips=<n> (skip lines in
# the output).
# A full run also writes <run>/commit.txt: the commit of the library tested
# ("<sha> with-local-changes" when library code had uncommitted changes).
set -uo pipefail

TEST_USER=liburing-rs-test

main() {
    top=$(cd "$(dirname "$0")/../.." && pwd)
    here="$top/capi-tests/upstream"
    expect_file="$here/expectations.txt"
    command -v python3 > /dev/null || die "python3 is needed: it runs the judge (capi-tests/lib/judge.py)"

    if [ "${1:-}" = judge ]; then
        [ $# -ge 2 ] || die "usage: run.sh judge RUN_DIR [REFERENCE_DIR]"
        # (TIMEOUT, when set, names the limit of a timed-out test)
        judge judge "$2" ${3:+"$3"}
        return
    fi
    read_expectations

    MODES=${MODES:-abi source ffi}
    TESTS=${TESTS:-}
    JOBS=${JOBS:-2}
    RUN_JOBS=${RUN_JOBS:-1}
    case $RUN_JOBS in [1-9]|[1-9][0-9]) ;; *) die "RUN_JOBS=$RUN_JOBS: a number of tests at once, 1 to 99";; esac
    TIMEOUT=${TIMEOUT:-60}
    RECHECK=${RECHECK:-1}
    RETRIES=${RETRIES:-3}
    FLAKY_RUNS=${FLAKY_RUNS:-10}
    FLAKY_BUDGET=${FLAKY_BUDGET:-300}
    ENV_RUNS=${ENV_RUNS:-3}
    REFERENCE=${REFERENCE:-}
    REFERENCE_SCOPE=${REFERENCE_SCOPE:-all}
    case $REFERENCE_SCOPE in all|needed) ;; *) die "REFERENCE_SCOPE=$REFERENCE_SCOPE: all or needed";; esac
    # MODES=upstream is the reference alone: all of it. NO_RUN=1 (a build
    # only, as kernels.sh and the guests ask for) runs no test at all.
    [ "$(echo $MODES)" != upstream ] || REFERENCE_SCOPE=all
    [ -z "${NO_RUN:-}" ] || REFERENCE_SCOPE=all
    out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
    # The commit the library under test was built from, written beside each
    # full run's results.txt (commit.txt); compat-doc.py --save-results copies
    # it into the committed results and --check compares it with HEAD.
    run_commit=$(git -C "$top" rev-parse HEAD 2>/dev/null || echo unknown)
    # What "library code" is: capi-tests/lib/library-code.txt.
    local lib_paths
    mapfile -t lib_paths < <(grep -v '^#' "$top/capi-tests/lib/library-code.txt")
    if [ -n "$(git -C "$top" status --porcelain --untracked-files=no -- "${lib_paths[@]}" 2>/dev/null)" ]; then
        run_commit="$run_commit with-local-changes"
    fi
    our_libdir=${OUR_LIBDIR:-$top/build/lib}
    our_inc=${OUR_INCLUDE:-$top/build/include}
    up_libdir="$out/upstream-lib"

    local m
    for m in $MODES; do
        case $m in abi|source|ffi|upstream) ;; *) die "unknown mode '$m' (abi, source, ffi, upstream)";; esac
    done

    # Upstream's configured tree (config-host.h, compat.h), its library built
    # by ensure_upstream_lib when the reference runs: capi-tests/lib/upstream-build.sh,
    # with UPSTREAM_BUILD_FLAGS (upstream-i386.sh: --arch i386).
    # shellcheck disable=SC2086 # the flags are words
    cfg=$("$top/capi-tests/lib/upstream-build.sh" ${UPSTREAM_BUILD_FLAGS:-} --configure-only) || die "could not configure upstream's tree"

    # The test list is the one upstream's test/Makefile builds for this
    # configuration: ask make itself.
    all_tests=$(cd "$cfg/test" && printf 'include Makefile\nliburing-rs-print-tests:\n\t@echo $(test_targets)\n' \
        | make -s --no-print-directory -f - liburing-rs-print-tests) || die "could not read upstream's test list"
    local t
    if [ -n "$TESTS" ]; then
        sel=""
        for t in $TESTS; do
            t=${t%.t}.t
            case " $all_tests " in *" $t "*) sel="$sel $t";; *) die "no upstream test named $t";; esac
        done
        resname=subset.txt
    else
        sel=$all_tests
        resname=results.txt
    fi
    ntests=$(echo $sel | wc -w)
    for t in $sel; do
        case ${exp_how[$t]:-} in
            unprivileged) ensure_test_user || die "cannot create user $TEST_USER";;
            loopback) ensure_ip;;
        esac
    done

    # Each judged run's line of the summary and its worse tests (judge.py
    # report --state), for the summary at the end.
    overall=0
    judge_state=$(mktemp)
    trap 'rm -f "$judge_state"' EXIT
    local want_ref=0
    [ "$RECHECK" = 1 ] && want_ref=1
    case " $MODES " in *" upstream "*) want_ref=1;; esac
    # A build only (NO_RUN=1: kernels.sh, the guests) leaves the reference
    # alone: clearing its outputs would take them from a run of the whole
    # suite in the same work directory (seen: test-kernels beside
    # test-upstream judged every test "no reference run").
    [ -z "${NO_RUN:-}" ] || want_ref=0
    # The abi binaries: a mode of their own, and the reference and the
    # re-checks run them.
    if [ $want_ref = 1 ] || [[ " $MODES " = *" abi "* ]]; then
        build_mode abi
    fi
    ref_scope_flag=""; ref_partial=0
    if [ -n "$REFERENCE" ]; then
        [ -f "$REFERENCE/results.txt" ] || die "REFERENCE=$REFERENCE has no results.txt"
        ref_res="$REFERENCE/results.txt"; ref_out="$REFERENCE/out"
        [ ! -f "$REFERENCE/scope.txt" ] || ref_partial=1
        REFERENCE_SCOPE=all
    elif [ $want_ref = 1 ] && [ "$REFERENCE_SCOPE" = all ]; then
        run_reference "$sel"
        ref_res="$out/reference/$resname"; ref_out="$out/reference/out"
    else
        # REFERENCE_SCOPE=needed: the reference runs after the modes, on
        # what they need (needed_by_modes).
        ref_res=""; ref_out=""
        [ $want_ref = 1 ] || REFERENCE_SCOPE=all
    fi
    [ "$REFERENCE_SCOPE" = all ] || ref_scope_flag=reference-needed-only
    for m in $MODES; do
        [ "$m" = upstream ] && continue
        run_mode "$m"
    done
    if [ "$REFERENCE_SCOPE" = needed ]; then
        run_reference "$(needed_by_modes | tr '\n' ' ')"
        ref_res="$out/reference/$resname"; ref_out="$out/reference/out"; ref_partial=1
        for m in $MODES; do
            [ "$m" = upstream ] || judge_mode "$m"
        done
    fi

    # The summary; the worse tests again, last: a log cut short still names
    # them (judge.py summary: its status is 1 when a mode had a worse test).
    judge summary "$judge_state" "$ntests" || overall=1
    return $overall
}

say() { echo "upstream-tests: $*"; }
die() { echo "upstream-tests: $*" >&2; exit 2; }
# The judge: capi-tests/lib/judge.py's command line (its docstring).
judge() { python3 "$top/capi-tests/lib/judge.py" --expectations "$expect_file" "$@"; }
# meets TEST RESULT RC OUTFILE: 0 when the result is at least the expected
# one (an expected FAIL: the same exit status and last line), 1 otherwise.
meets() { judge meets "$@"; }

# How each test is run (how=, timeout=), from the judge's reading of
# expectations.txt (it dies there on a line it cannot use).
read_expectations() {
    declare -gA exp_how=() exp_timeout=() exp_run=()
    local lines name how tmo run
    lines=$(judge expectations) || exit 2
    while read -r name how tmo run; do
        [ "$how" = - ] || exp_how[$name]=$how
        [ "$tmo" = - ] || exp_timeout[$name]=$tmo
        [ "$run" = - ] || exp_run[$name]=$run
    done <<< "$lines"
}

# Tests marked how=loopback bring their namespace's loopback up with ip(8).
ensure_ip() {
    # shellcheck source=capi-tests/lib/pkg.sh
    source "$(dirname "$0")/../lib/pkg.sh"
    pkg_need ip iproute2 || die "ip(8) could not be had: the tests marked how=loopback cannot run"
}

ensure_test_user() {
    id -u "$TEST_USER" > /dev/null 2>&1 && return 0
    say "creating the unprivileged user $TEST_USER (for tests marked how=unprivileged)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$TEST_USER"
}

# Build upstream's own library once and lay out liburing.so.2 /
# liburing-ffi.so.2 links for LD_LIBRARY_PATH.
ensure_upstream_lib() {
    local built
    # shellcheck disable=SC2086 # the flags are words
    built=$("$top/capi-tests/lib/upstream-build.sh" ${UPSTREAM_BUILD_FLAGS:-}) || { say "upstream's library does not build (the upstream-build: lines above)"; return 1; }
    [ "$built" = "$cfg" ] || { say "upstream-build.sh gave $built for the library, $cfg for the headers"; return 1; }
    mkdir -p "$up_libdir"
    local l
    for l in liburing liburing-ffi; do
        ln -sfn "$cfg/src/$l.so.2.15" "$up_libdir/$l.so.2"
        ln -sfn "$l.so.2" "$up_libdir/$l.so"
    done
}

# run_test DIR TEST LIBDIR OUTFILE: run one test like runtests.sh, the way
# its expectation says; prints "RESULT rc seconds".
run_test() {
    local dir=$1 t=$2 ld=$3 outf=$4 s0 rc secs r
    local -a how=()
    case ${exp_how[$t]:-} in
        unprivileged) how=(setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups --)
                      chmod 0777 "$dir";;
        netns)        how=(unshare -n --);;
        loopback)     how=(unshare -n -- sh -c 'ip link set lo up && exec "$0"');;
    esac
    # A test that needs longer than TIMEOUT on a quiet machine names its own
    # limit (timeout= in expectations.txt); the larger of the two applies.
    local lim=$TIMEOUT
    [ "${exp_timeout[$t]:-0}" -gt "$lim" ] && lim=${exp_timeout[$t]}
    s0=$(date +%s.%N)
    (cd "$dir" && LD_LIBRARY_PATH="$ld${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        timeout -s INT -k "$lim" "$lim" "${how[@]}" "./$t" < /dev/null > "$outf" 2>&1)
    rc=$?
    secs=$(echo "$(date +%s.%N) - $s0" | bc)
    case $rc in 0) r=PASS;; 77) r=SKIP;; 124|137) r=TIMEOUT;; *) r=FAIL;; esac
    printf '%s %s %.1f\n' "$r" "$rc" "$secs"
}

# first_pass DIR LIBDIR OUTDIR TEST...: the first run of each TEST (run_test),
# RUN_JOBS at a time; a test marked run=alone runs after them, with nothing
# beside it. Prints "TEST RESULT rc seconds" as each ends (completion order).
first_pass() {
    local dir=$1 ld=$2 od=$3 t running=0
    shift 3
    local -a alone=()
    for t in "$@"; do
        if [ "$RUN_JOBS" -le 1 ] || [ "${exp_run[$t]:-}" = alone ]; then
            alone+=("$t"); continue
        fi
        if [ $running -ge "$RUN_JOBS" ]; then wait -n; running=$((running - 1)); fi
        # (one short line per test, written at once: lines do not mix)
        echo "$t $(run_test "$dir" "$t" "$ld" "$od/$t.out")" &
        running=$((running + 1))
    done
    wait
    for t in "${alone[@]}"; do
        echo "$t $(run_test "$dir" "$t" "$ld" "$od/$t.out")"
    done
}

# build_mode MODE: build the selected tests of a mode into $out/MODE/test;
# sets the mode's inc, lib, libdir, missing and build seconds.
declare -A m_lib=() m_libdir=() m_missing=() m_build=()
build_mode() {
    local mode=$1
    [ -n "${m_lib[$mode]+x}" ] && return 0
    local mdir="$out/$mode" tdir="$out/$mode/test" f b t0
    mkdir -p "$tdir" "$mdir/src"
    # Links to everything in upstream's test directory (sources, helper
    # scripts such as napi-test.sh, data); "../src/*.h" resolves to our shims.
    for f in "$cfg"/test/*; do
        b=$(basename "$f")
        case $b in Makefile|*.t|*.o|*.d|output) ;; *) ln -sfn "$f" "$tdir/$b";; esac
    done
    for f in "$here"/shims/src/*.h; do ln -sfn "$f" "$mdir/src/$(basename "$f")"; done

    local lib=uring cppf="" ldextra="" inc libdir=$our_libdir missing=""
    case $mode in
        abi)      inc="$cfg/src/include";;
        source)   inc="$our_inc";;
        # Our liburing-ffi.so.2 exports every function the header declares,
        # io_uring_buf_ring_head included (upstream's lacks that one; see
        # capi-tests/abi/ffi-extra.symbols): the tests link with it alone.
        ffi)      inc="$our_inc"; cppf="-DLIBURING_FFI"; lib=uring-ffi;;
    esac
    [ -f "$inc/liburing.h" ] || missing="header $inc/liburing.h missing (our headers have not landed)"
    [ -f "$libdir/lib$lib.so.2" ] || missing="${missing:+$missing; }$libdir/lib$lib.so.2 missing (run make)"

    say "mode $mode: building $ntests tests (make -j$JOBS)"
    t0=$(date +%s)
    if [ -z "$missing" ]; then
        # Rebuild everything when the mode's inputs change.
        local stamp="inc=$inc lib=$lib libdir=$libdir cppf=$cppf ldextra=$ldextra cfg=$cfg"
        if [ "$(cat "$tdir/.flags" 2>/dev/null)" != "$stamp" ]; then
            rm -f "$tdir"/*.t "$tdir"/*.o "$tdir"/*.d
            echo "$stamp" > "$tdir/.flags"
        fi
        make -C "$tdir" -f "$here/build.mk" -k -j"$JOBS" --no-print-directory \
            INCDIR="$inc" LIBDIR="$libdir" LIBNAME="$lib" CONFIG_H="$cfg/config-host.h" \
            MODE_CPPFLAGS="$cppf" MODE_LDLIBS="$ldextra" SHIMDIR="$here/shims" TARGETS="$sel" 2>&1 \
            | grep -v '^make.*Error\|^make.*Target .* not remade' | sed 's/^/  /'
    else
        say "mode $mode: $missing"
    fi
    m_lib[$mode]=$lib; m_libdir[$mode]=$libdir; m_missing[$mode]=$missing
    m_build[$mode]=$(( $(date +%s) - t0 ))
}

# Why TEST of a mode has no binary.
notbuilt_why() {
    local mode=$1 t=$2 tdir="$out/$1/test" w
    if [ -n "${m_missing[$mode]}" ]; then echo "${m_missing[$mode]}"; return; fi
    if [ ! -f "$tdir/helpers.o" ]; then
        echo "test/helpers.c does not compile: $(grep -m1 'error' "$tdir/helpers.build.log" 2>/dev/null)"
        return
    fi
    w=$(grep -m1 -E 'error|undefined reference' "$tdir/${t%.t}.build.log" 2>/dev/null | sed "s|$tdir/||; s|$cfg/||")
    echo "${w:-see $tdir/${t%.t}.build.log}"
}

# The mode must test what it claims: the binaries load the intended library
# (LIBDIR), and in ffi mode the inline helpers have become calls.
mode_check() {
    local mode=$1 bdir=$2 lib=$3 libdir=$4 probe loaded problem=""
    probe=$(cd "$bdir" && for t in $sel; do [ -x "$t" ] && { echo "$t"; break; }; done)
    if [ -n "$probe" ]; then
        loaded=$(cd "$bdir" && LD_LIBRARY_PATH="$libdir" ldd "./$probe" | awk -v l="lib$lib.so.2" '$1 == l {print $3}')
        if [ "$(readlink -f "$loaded")" != "$(readlink -f "$libdir/lib$lib.so.2")" ]; then
            problem="$probe loads lib$lib.so.2 from '${loaded:-nowhere}', not from $libdir"
        fi
    fi
    if [ "$mode" = ffi ] && [ -x "$bdir/nop.t" ] && \
        ! nm -D --undefined-only "$bdir/nop.t" | grep -qw io_uring_prep_nop; then
        problem="${problem:+$problem; }nop.t does not call io_uring_prep_nop from liburing-ffi.so.2: -DLIBURING_FFI left the helpers inline"
    fi
    echo "$problem"
}

# The reference: the abi binaries on upstream's own library.
run_reference() {
    local list=$1 rdir="$out/reference" bdir="$out/abi/test" t r rc secs t0 missing=${m_missing[abi]}
    mkdir -p "$rdir/out"
    rm -f "$rdir/out/"*.out
    ensure_upstream_lib || missing="${missing:+$missing; }upstream's library did not build"
    if [ "$REFERENCE_SCOPE" = needed ]; then
        echo "needed $(echo $list | wc -w) of $ntests" > "$rdir/scope.txt"
        say "reference: upstream's headers and upstream's library ($up_libdir), $(echo $list | wc -w) of $ntests tests: those some mode did not pass cleanly (REFERENCE_SCOPE=needed)"
    else
        rm -f "$rdir/scope.txt"
        say "reference: upstream's headers and upstream's library ($up_libdir), $ntests tests"
    fi
    ref_problem=$( [ -z "$missing" ] && mode_check reference "$bdir" uring "$up_libdir")
    [ -z "$ref_problem" ] || say "reference: $ref_problem"
    t0=$(date +%s)
    : > "$rdir/$resname.new"
    local -a ran=() ran_lines=() runnable=()
    for t in $list; do
        if [ -n "$missing" ] || [ ! -x "$bdir/$t" ]; then
            printf '%s NOTBUILT - 0\n' "$t" >> "$rdir/$resname.new"
            printf '%-36s %-8s %s\n' "$t" NOTBUILT "${missing:-$(notbuilt_why abi "$t")}"
            continue
        fi
        runnable+=("$t")
    done
    if [ -z "${NO_RUN:-}" ] && [ ${#runnable[@]} -gt 0 ]; then
        while read -r t r rc secs; do
            ran+=("$t"); ran_lines+=("$t $r $rc $secs")
            printf '%-36s %-8s %6ss\n' "$t" "$r" "$secs"
        done < <(first_pass "$bdir" "$up_libdir" "$rdir/out" "${runnable[@]}")
    fi
    skip_counts "$rdir/out" "${ran[@]}"
    for t in "${ran_lines[@]}"; do
        printf '%s skips=%d\n' "$t" "${nskips[${t%% *}]}" >> "$rdir/$resname.new"
    done
    sort -o "$rdir/$resname" "$rdir/$resname.new"; rm -f "$rdir/$resname.new"
    # A test upstream's build missed is run again (RETRIES times), so that
    # the modes' skipped parts are compared with a run that got through; a
    # miss stays on record (first=) as upstream's flakiness in this run.
    if [ "$RECHECK" = 1 ] && [ -z "${NO_RUN:-}" ]; then
        local rest try rr rrc rsecs misses
        misses=" $(judge misses "$rdir/$resname" "$rdir/out" | tr '\n' ' ')"
        while read -r t r rc secs rest; do
            [ "$r" != NOTBUILT ] || continue
            [[ $misses == *" $t "* ]] || continue
            cp "$rdir/out/$t.out" "$rdir/out/$t.first.out"
            for try in $(seq 1 "$RETRIES"); do
                read -r rr rrc rsecs < <(run_test "$bdir" "$t" "$up_libdir" "$rdir/out/$t.retry.out")
                if meets "$t" "$rr" "$rrc" "$rdir/out/$t.retry.out"; then
                    mv "$rdir/out/$t.retry.out" "$rdir/out/$t.out"
                    skip_counts "$rdir/out" "$t"
                    sed -i "s|^$t .*|$t $rr $rrc $rsecs skips=${nskips[$t]} first=$r/$rc retry=$try|" "$rdir/$resname"
                    break
                fi
            done
        done < <(cat "$rdir/$resname")
    fi
    judge_reference "$(( $(date +%s) - t0 ))"
}

# judge_reference RUN_S: judge the reference run against expectations.txt.
# It does not fail the run itself (--no-fail); a mode judged against a
# reference that could not run does (judge.py's judge_line).
judge_reference() {
    local rdir="$out/reference" args=()
    [ -z "$ref_problem" ] || args=(--problem "$ref_problem")
    judge report --name reference --label "worse than the recorded expectations" --run-s "$1" \
        --timeout "$TIMEOUT" "${args[@]}" --results-name --state "$judge_state" --no-fail \
        "$rdir/$resname" "$rdir/out"
}

# skip_counts OUTDIR TEST...: nskips[TEST] = how many lines of OUTDIR/TEST.out
# announce a skipped part (the judge's count, results.txt's skips=).
skip_counts() {
    declare -gA nskips=()
    local t n
    [ $# -gt 1 ] || return 0
    while read -r t n; do nskips[$t]=$n; done < <(judge skip-counts "$@")
}

run_mode() {
    local mode=$1
    local rdir="$out/$mode" tdir="$out/$mode/test"
    build_mode "$mode"
    local lib=${m_lib[$mode]} libdir=${m_libdir[$mode]} missing=${m_missing[$mode]}
    local mode_problem=""
    [ -z "$missing" ] && mode_problem=$(mode_check "$mode" "$tdir" "$lib" "$libdir")
    [ -z "$mode_problem" ] || say "mode $mode: $mode_problem"
    mkdir -p "$rdir/out"

    declare -A got=() rcs=() secs_=() extra=()
    local t r rc secs t0 run_s
    local -a runnable=()
    t0=$(date +%s)
    for t in $sel; do
        if [ -n "$missing" ] || [ ! -x "$tdir/$t" ]; then
            got[$t]=NOTBUILT; rcs[$t]=-; secs_[$t]=0
            printf '%-36s %-8s %s\n' "$t" NOTBUILT "$(notbuilt_why "$mode" "$t")"
            echo "not built: $(notbuilt_why "$mode" "$t")" > "$rdir/out/$t.out"
            continue
        fi
        runnable+=("$t")
    done
    [ -n "${NO_RUN:-}" ] && return 0
    if [ ${#runnable[@]} -gt 0 ]; then
        while read -r t r rc secs; do
            got[$t]=$r; rcs[$t]=$rc; secs_[$t]=$secs
            printf '%-36s %-8s %6ss\n' "$t" "$r" "$secs"
        done < <(first_pass "$tdir" "$libdir" "$rdir/out" "${runnable[@]}")
    fi

    # Second looks at what did worse (see the header of this file).
    local g try k n kk ok_runs rr rrc abi_bin="$out/abi/test" misses=" "
    if [ "$RECHECK" = 1 ]; then
        misses=" $(for t in $sel; do [ "${got[$t]}" = NOTBUILT ] || echo "$t ${got[$t]} ${rcs[$t]}"; done |
            judge misses - "$rdir/out" | tr '\n' ' ')"
    fi
    for t in $sel; do
        g=${got[$t]}
        [[ $misses == *" $t "* ]] || continue
        cp "$rdir/out/$t.out" "$rdir/out/$t.first.out"
        # Retries with our library, same binary.
        local passed_on=""
        for try in $(seq 1 "$RETRIES"); do
            read -r r rc secs < <(run_test "$tdir" "$t" "$libdir" "$rdir/out/$t.retry.out")
            if meets "$t" "$r" "$rc" "$rdir/out/$t.retry.out"; then passed_on=$try; break; fi
        done
        if [ -n "$passed_on" ]; then
            # Flaky with ours: is upstream's own build flaky on it too?
            extra[$t]="first=$g/${rcs[$t]} retry=$passed_on"
            mv "$rdir/out/$t.retry.out" "$rdir/out/$t.out"
            got[$t]="$r-FLAKY"; rcs[$t]=$rc; secs_[$t]=$secs
            if [ -x "$abi_bin/$t" ] && ensure_upstream_lib > /dev/null; then
                extra[$t]+=" $(measure_flaky "$t" "$tdir" "$abi_bin" "$rdir" "${secs_[$t]}")"
            else
                extra[$t]+=" upstream=unmeasured"
            fi
            continue
        fi
        # Still worse: environment re-check with upstream's headers, on
        # upstream's library and on ours.
        if [ -x "$abi_bin/$t" ] && ensure_upstream_lib > /dev/null; then
            # Upstream's build: the reference run's last result counts as
            # its first run; then up to ENV_RUNS runs, until one ends as
            # ours did. The abi binary on ours: as many runs (stopping at
            # the first that meets the expectation), for the report.
            k=0; kk=0; n=0; ok_runs=0
            if [ -n "$ref_res" ] && grep -q "^$t " "$ref_res"; then
                read -r _ rr _ < <(grep "^$t " "$ref_res")
                n=1; [ "$rr" = "$g" ] && k=1
            fi
            while [ $n -lt "$ENV_RUNS" ] && [ $k -eq 0 ]; do
                n=$((n + 1))
                read -r r rc secs < <(run_test "$abi_bin" "$t" "$up_libdir" "$rdir/out/$t.upstream.out")
                [ "$r" = "$g" ] && k=$((k + 1))
            done
            while [ $ok_runs -lt "$n" ]; do
                ok_runs=$((ok_runs + 1))
                read -r r rc secs < <(run_test "$abi_bin" "$t" "$our_libdir" "$rdir/out/$t.abi-ours.out")
                meets "$t" "$r" "$rc" "$rdir/out/$t.abi-ours.out" && break
                kk=$((kk + 1))
            done
            extra[$t]="upstream=$k/$n abi-ours=$kk/$ok_runs"
            [ $k -gt 0 ] && got[$t]="$g-ENV"
        else
            extra[$t]="upstream=unmeasured"
        fi
    done
    run_s=$(( $(date +%s) - t0 ))

    : > "$rdir/$resname.new"
    # shellcheck disable=SC2086 # the tests are words
    skip_counts "$rdir/out" $sel
    for t in $sel; do
        printf '%s %s %s %s skips=%d%s\n' "$t" "${got[$t]}" "${rcs[$t]}" "${secs_[$t]}" \
            "${nskips[$t]}" "${extra[$t]:+ ${extra[$t]}}" >> "$rdir/$resname.new"
    done
    sort -o "$rdir/$resname" "$rdir/$resname.new"; rm -f "$rdir/$resname.new"
    # A subset (subset.txt) says nothing about the suite: only a full run
    # records its commit.
    # A run judged against a reference of only the tests that needed one
    # says so in its commit.txt: compat-doc.py --save-results refuses it.
    if [ "$resname" = results.txt ]; then
        echo "$run_commit${ref_scope_flag:+ $ref_scope_flag}" > "$rdir/commit.txt"
    fi
    m_problem[$mode]=$mode_problem; m_run[$mode]=$run_s
    [ "$REFERENCE_SCOPE" = needed ] || judge_mode "$mode"
}

# judge_mode MODE: judge a mode's finished run against the reference.
declare -A m_problem=() m_run=()
judge_mode() {
    local mode=$1 rdir="$out/$1" args=()
    [ -z "$ref_res" ] || args+=(--ref "$ref_res" "$ref_out")
    [ "$ref_partial" != 1 ] || args+=(--ref-partial)
    [ -z "${m_problem[$mode]:-}" ] || args+=(--problem "${m_problem[$mode]}")
    judge report --name "$mode" --run-s "${m_run[$mode]}" --build-s "${m_build[$mode]}" --timeout "$TIMEOUT" \
        "${args[@]}" --results-name --state "$judge_state" "$rdir/$resname" "$rdir/out" || overall=1
}

# needed_by_modes: the tests whose judging needs upstream's library in the
# reference run: every test that some mode did not pass cleanly (another
# result, a retry, or a skipped part to compare) and every test upstream's
# library is not expected to pass (a claim of "better" is made against it).
# A test every mode passed with no skipped part cannot be worse than
# upstream's, whatever upstream's library does with it.
needed_by_modes() {
    local m files=()
    for m in $MODES; do
        [ "$m" = upstream ] || files+=("$out/$m/$resname")
    done
    judge needed "$sel" "${files[@]}"
}

# measure_flaky TEST OUR_BIN_DIR ABI_BIN_DIR RUN_DIR FIRST_SECS: the paired
# runs of a test that was flaky with ours (see the header); prints
# "ours=K/N upstream=K/N". Outputs: the last pair's in TEST.pair-ours.out and
# TEST.upstream.out, ours's last miss in TEST.pair-miss.out.
measure_flaky() {
    local t=$1 bin=$2 abi_bin=$3 rdir=$4 first_secs=$5
    local pairs=$FLAKY_RUNS per ko=0 ku=0 i=0 r rc secs
    per=$(printf '%.0f' "$first_secs"); [ "$per" -ge 1 ] || per=1
    [ $((2 * per * pairs)) -le "$FLAKY_BUDGET" ] || pairs=$((FLAKY_BUDGET / (2 * per)))
    [ "$pairs" -ge 4 ] || pairs=4
    while [ $i -lt "$pairs" ]; do
        i=$((i + 1))
        read -r r rc secs < <(run_test "$abi_bin" "$t" "$up_libdir" "$rdir/out/$t.upstream.out")
        meets "$t" "$r" "$rc" "$rdir/out/$t.upstream.out" || ku=$((ku + 1))
        read -r r rc secs < <(run_test "$bin" "$t" "$our_libdir" "$rdir/out/$t.pair-ours.out")
        if ! meets "$t" "$r" "$rc" "$rdir/out/$t.pair-ours.out"; then
            ko=$((ko + 1)); cp "$rdir/out/$t.pair-ours.out" "$rdir/out/$t.pair-miss.out"
        fi
        # Settled either way: ours missing every remaining run could not
        # make it worse, or upstream's missing every one could not save it.
        misses_beyond_chance $((ko + pairs - i)) "$ku" "$pairs" || break
        ! misses_beyond_chance "$ko" $((ku + pairs - i)) "$pairs" || break
    done
    echo "ours=$ko/$i upstream=$ku/$i"
}

# misses_beyond_chance KO KU N: true when KO misses of N runs with ours
# against KU of N with upstream's build are more than chance gives
# (judge.py's misses_beyond_chance, the rule of every judge of paired runs).
misses_beyond_chance() { judge chance "$@"; }

# RUN_SH_LIB=1: define the functions only (judge-control.sh's case 9 runs
# first_pass on planted tests).
[ "${RUN_SH_LIB:-}" = 1 ] && return 0
main "$@"
exit $?
