#!/usr/bin/env bash
# Upstream liburing 2.15's own test suite, run against liburing-rs in three modes:
#
#   abi     upstream's installed-style headers (from the fetched tree, configured
#           for this machine), linked against our build/lib/liburing.so.2:
#           the binary drop-in.
#   source  our build/include headers, linked against our liburing.so.2:
#           the source drop-in.
#   ffi     our headers with -DLIBURING_FFI (every inline helper becomes a call),
#           linked against our build/lib/liburing-ffi.so.2: the FFI drop-in.
#
# Tests are built in parallel (make -j$JOBS) and run one after the other the way
# upstream's test/runtests.sh runs them: ./name.t from the test directory, no
# arguments, a $TIMEOUT second limit (SIGINT, then SIGKILL), exit 0 = pass,
# 77 = skip, anything else = fail. Each result is compared with
# capi-tests/upstream-expectations.txt (how the test ends with upstream's own
# library on this machine). The run fails when any test does worse than
# upstream; doing better is reported.
#
# Environment:
#   MODES="abi source ffi"   which modes to run
#   TESTS="nop.t cq-full.t"  a subset (default: every test upstream builds here)
#   JOBS=2                   parallel compile jobs
#   TIMEOUT=60               per-test limit in seconds
#   UPSTREAM_TESTS_OUT=dir   work directory (default target/upstream-tests)
#   NO_RUN=1                 build only
#   OUR_INCLUDE=dir          our headers (default build/include)
set -uo pipefail

main() {

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/capi-tests/upstream"
MODES=${MODES:-abi source ffi}
TESTS=${TESTS:-}
JOBS=${JOBS:-2}
TIMEOUT=${TIMEOUT:-60}
out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
expect_file="$top/capi-tests/upstream-expectations.txt"
libdir="$top/build/lib"
our_inc=${OUR_INCLUDE:-$top/build/include}

say() { echo "upstream-tests: $*"; }
die() { echo "upstream-tests: $*" >&2; exit 2; }

for m in $MODES; do
    case $m in abi|source|ffi) ;; *) die "unknown mode '$m' (abi, source, ffi)";; esac
done

[ -f "$libdir/liburing.so.2" ] || die "$libdir/liburing.so.2 missing: run make first"

# --- 1. a configured copy of upstream's tree (config-host.h, compat.h) ---
cfg=$("$here/configured.sh") || die "could not configure upstream's tree"

# The test list is the one upstream's test/Makefile builds for this
# configuration: ask make itself.
all_tests=$(cd "$cfg/test" && printf 'include Makefile\nliburing-rs-print-tests:\n\t@echo $(test_targets)\n' \
    | make -s --no-print-directory -f - liburing-rs-print-tests) || die "could not read upstream's test list"
if [ -n "$TESTS" ]; then
    sel=""
    for t in $TESTS; do
        t=${t%.t}.t
        case " $all_tests " in *" $t "*) sel="$sel $t";; *) die "no upstream test named $t";; esac
    done
else
    sel=$all_tests
fi
ntests=$(echo $sel | wc -w)

# --- expectations -----------------------------------------------------------
declare -A expect
while read -r name res _; do
    case $name in ''|'#'*) continue;; esac
    expect[$name]=$res
done < "$expect_file"

rank() { case $1 in PASS) echo 2;; SKIP) echo 1;; *) echo 0;; esac; }

# --- 2. per mode: build, run, compare ---------------------------------------
overall=0
summary=()
for mode in $MODES; do
    mdir="$out/$mode"
    tdir="$mdir/test"
    mkdir -p "$tdir" "$mdir/src"
    # Links to everything in upstream's test directory (sources, helper
    # scripts such as napi-test.sh, data); "../src/*.h" resolves to our shims.
    for f in "$cfg"/test/*; do
        b=$(basename "$f")
        case $b in Makefile|*.t|*.o|*.d|output) ;; *) ln -sfn "$f" "$tdir/$b";; esac
    done
    for f in "$here"/shims/src/*.h; do ln -sfn "$f" "$mdir/src/$(basename "$f")"; done

    lib=uring; cppf=""; ldextra=""
    case $mode in
        abi)    inc="$cfg/src/include";;
        source) inc="$our_inc";;
        # liburing-ffi.so.2 does not export io_uring_buf_ring_head (neither
        # does upstream's: its version script leaves it out), so a program in
        # FFI form that calls it also needs liburing.so.2. --as-needed keeps
        # that library off every test that takes nothing from it, and
        # liburing-ffi comes first, so every helper still resolves there.
        ffi)    inc="$our_inc"; cppf="-DLIBURING_FFI"; lib=uring-ffi
                ldextra="-Wl,--as-needed -luring -Wl,--no-as-needed";;
    esac
    missing=""
    [ -f "$inc/liburing.h" ] || missing="header $inc/liburing.h missing (our headers have not landed)"
    [ -f "$libdir/lib$lib.so" ] || missing="${missing:+$missing; }$libdir/lib$lib.so missing"

    say "mode $mode: building $ntests tests (make -j$JOBS)"
    t0=$(date +%s)
    if [ -z "$missing" ]; then
        # Rebuild everything when the flags (mode inputs) change.
        stamp="inc=$inc lib=$lib cppf=$cppf ldextra=$ldextra cfg=$cfg"
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
    build_s=$(( $(date +%s) - t0 ))

    # The mode must test what it claims: the binaries load our library, and
    # in ffi mode the inline helpers have become calls into liburing-ffi.so.2.
    mode_problem=""
    probe=$(cd "$tdir" && for t in $sel; do [ -x "$t" ] && { echo "$t"; break; }; done)
    if [ -n "$probe" ]; then
        loaded=$(cd "$tdir" && ldd "./$probe" | awk -v l="lib$lib.so.2" '$1 == l {print $3}')
        if [ "$(readlink -f "$loaded")" != "$(readlink -f "$libdir/lib$lib.so.2")" ]; then
            mode_problem="$probe loads lib$lib.so.2 from '${loaded:-nowhere}', not from $libdir"
        fi
    fi
    if [ "$mode" = ffi ] && [ -x "$tdir/nop.t" ] && \
        ! nm -D --undefined-only "$tdir/nop.t" | grep -qw io_uring_prep_nop; then
        mode_problem="${mode_problem:+$mode_problem; }nop.t does not call io_uring_prep_nop from liburing-ffi.so.2: -DLIBURING_FFI left the helpers inline"
    fi
    [ -z "$mode_problem" ] || say "mode $mode: $mode_problem"

    res="$mdir/results.txt"
    : > "$res.new"
    declare -A got=() why=()
    npass=0; nskip=0; nfail=0; nto=0; nnb=0
    t0=$(date +%s)
    for t in $sel; do
        if [ -n "$missing" ]; then
            got[$t]=NOTBUILT; why[$t]=$missing
        elif [ ! -x "$tdir/$t" ]; then
            got[$t]=NOTBUILT
            if [ ! -f "$tdir/helpers.o" ]; then
                why[$t]="test/helpers.c does not compile: $(grep -m1 'error' "$tdir/helpers.build.log" 2>/dev/null)"
            else
                why[$t]=$(grep -m1 -E 'error|undefined reference' "$tdir/${t%.t}.build.log" 2>/dev/null \
                    | sed "s|$tdir/||; s|$cfg/||")
                [ -n "${why[$t]}" ] || why[$t]="see $tdir/${t%.t}.build.log"
            fi
        elif [ -n "${NO_RUN:-}" ]; then
            continue
        else
            s0=$(date +%s.%N)
            (cd "$tdir" && LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
                timeout -s INT -k "$TIMEOUT" "$TIMEOUT" "./$t" < /dev/null > "$t.out" 2>&1)
            rc=$?
            secs=$(echo "$(date +%s.%N) - $s0" | bc)
            case $rc in
                0) got[$t]=PASS;;
                77) got[$t]=SKIP;;
                124) got[$t]=TIMEOUT; why[$t]="timed out after ${TIMEOUT}s";;
                *) got[$t]=FAIL
                   if [ $rc -gt 128 ]; then why[$t]="killed by signal $((rc - 128))"; else why[$t]="exit status $rc"; fi;;
            esac
            printf '%-36s %-8s %6.1fs\n' "$t" "${got[$t]}" "$secs"
            printf '%s %s %s %.1f\n' "$t" "${got[$t]}" "$rc" "$secs" >> "$res.new"
            continue
        fi
        printf '%-36s %-8s %s\n' "$t" "${got[$t]}" "${why[$t]}"
        printf '%s %s - 0\n' "$t" "${got[$t]}" >> "$res.new"
    done
    run_s=$(( $(date +%s) - t0 ))
    # Keep the previous results of tests not run this time (TESTS subsets).
    if [ -f "$res" ]; then
        awk 'NR==FNR {seen[$1]=1; next} !($1 in seen)' "$res.new" "$res" >> "$res.new"
    fi
    sort -o "$res" "$res.new"; rm -f "$res.new"

    worse=(); better=()
    for t in $sel; do
        g=${got[$t]:-}
        [ -n "$g" ] || continue
        case $g in PASS) npass=$((npass+1));; SKIP) nskip=$((nskip+1));; FAIL) nfail=$((nfail+1));;
            TIMEOUT) nto=$((nto+1));; NOTBUILT) nnb=$((nnb+1));; esac
        e=${expect[$t]:-}
        if [ -z "$e" ]; then
            worse+=("$t: $g, and upstream-expectations.txt has no line for it")
            continue
        fi
        if [ "$(rank "$g")" -lt "$(rank "$e")" ]; then
            w="$t: $g (upstream: $e)${why[$t]:+ - ${why[$t]}}"
            if [ -f "$tdir/$t.out" ] && [ "$g" != NOTBUILT ]; then
                w="$w"$'\n'"$(tail -n 4 "$tdir/$t.out" | sed 's/^/        | /')"
            fi
            worse+=("$w")
        elif [ "$(rank "$g")" -gt "$(rank "$e")" ]; then
            better+=("$t: $g (upstream: $e)")
        fi
    done

    echo
    echo "=== upstream tests, mode $mode ==="
    printf '%-8s %6s %7s %6s %8s %9s %7s %7s\n' mode passed skipped failed timeout "not built" build run
    printf '%-8s %6d %7d %6d %8d %9d %6ss %6ss\n' "$mode" $npass $nskip $nfail $nto $nnb $build_s $run_s
    if [ -n "$mode_problem" ]; then
        echo "MODE CHECK FAILED: $mode_problem"
        worse+=("(mode check) $mode_problem")
    fi
    if [ ${#worse[@]} -gt 0 ]; then
        echo "worse than upstream (${#worse[@]}):"
        printf '  %s\n' "${worse[@]}"
        overall=1
    fi
    if [ ${#better[@]} -gt 0 ]; then
        echo "better than upstream (${#better[@]}):"
        printf '  %s\n' "${better[@]}"
    fi
    echo "results: $res  (outputs: $tdir/*.t.out, build logs: $tdir/*.build.log)"
    summary+=("$(printf '%-8s %6d %7d %6d %8d %9d %6ss %6ss  worse: %d, better: %d' \
        "$mode" $npass $nskip $nfail $nto $nnb $build_s $run_s ${#worse[@]} ${#better[@]})")
    unset got why
done

echo
echo "=== upstream tests: summary ($ntests tests per mode) ==="
printf '%-8s %6s %7s %6s %8s %9s %7s %7s\n' mode passed skipped failed timeout "not built" build run
printf '%s\n' "${summary[@]}"
return $overall
}

main "$@"
exit $?
