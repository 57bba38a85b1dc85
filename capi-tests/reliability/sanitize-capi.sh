#!/usr/bin/env bash
# The C ABI tests built with -fsanitize=address,undefined, judged (make sanitize).
#
#   sanitize-capi.sh RUNNER BINDIR LIBDIR LOG PROG...   run RUNNER BINDIR LIBDIR PROG... into LOG,
#                                                     judge it (PROG...: mk/capi.mk's CAPI_PROGS)
#   sanitize-capi.sh --judge LOG                judge a log only
#   sanitize-capi.sh --control                  the planted regressions below
#
# The run passes when no sanitizer reported anything and every failing check
# is one of sanitize-exceptions.txt, by its exact name, each at most once,
# with the same count of io_uring mappings before and after (only ASan's own
# mappings moved); the runner's "capi: N passed, M failed" must count exactly
# those failures. Anything else fails, with the reason.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exceptions="$here/sanitize-exceptions.txt"

judge() {
    local log=$1 rc=${2:-} line name allowed=0 bad=0 summary nfail
    declare -A named=() seen=()
    while IFS= read -r line; do
        case $line in ''|'#'*) continue;; esac
        named[$line]=1
    done < "$exceptions"
    if grep -E "ERROR: (Address|Leak)Sanitizer|runtime error" "$log"; then
        echo "sanitize: capi-tests: sanitizer errors (see $log)"
        bad=1
    fi
    while IFS= read -r line; do
        name=${line#FAIL }; name=${name%% (*}
        if [ -z "${named[$name]:-}" ]; then
            echo "sanitize: capi-tests: a check failed that is not a named exception: $line"
            bad=1
        elif [ -n "${seen[$name]:-}" ]; then
            echo "sanitize: capi-tests: the named exception failed twice: $line"
            bad=1
        elif ! [[ $line =~ io_uring\ maps\ ([0-9]+)\ before,\ ([0-9]+)\ after ]] || \
            [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]; then
            echo "sanitize: capi-tests: an io_uring mapping moved in a named exception: $line"
            bad=1
        else
            allowed=$((allowed + 1))
        fi
        seen[$name]=1
    done < <(grep '^FAIL' "$log")
    summary=$(grep -E '^capi: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "sanitize: capi-tests: the runner printed no summary (exit status ${rc:-?}; see $log)"
        bad=1
    else
        nfail=$(awk '{print $4}' <<< "$summary")
        if [ "$nfail" -ne "$allowed" ] && [ $bad -eq 0 ]; then
            echo "sanitize: capi-tests: $nfail checks failed, $allowed of them named exceptions (see $log)"
            bad=1
        fi
    fi
    if [ -n "$rc" ] && [ "$rc" -ne 0 ] && [ "$allowed" -eq 0 ] && [ $bad -eq 0 ]; then
        echo "sanitize: capi-tests: the runner exited $rc with no failing check (see $log)"
        bad=1
    fi
    if [ $bad -ne 0 ]; then
        echo "sanitize: capi-tests FAILED under -fsanitize=address,undefined"
        return 1
    fi
    echo "sanitize: capi-tests clean under -fsanitize=address,undefined: $summary;" \
        "$allowed failed checks, all named exceptions of $(basename "$exceptions") (${#named[@]} named)"
}

control() {
    local work ok=0 n
    work=$(mktemp -d)
    # A log as the run writes it: the named exceptions fail with only ASan's
    # mappings moved.
    honest() {
        n=0
        {
            echo "PASS coverage: all 83 exported functions are called by the test programs"
            while IFS= read -r name; do
                case $name in ''|'#'*) continue;; esac
                echo "FAIL $name (maps 109 before, 113 after; io_uring maps 2 before, 2 after)"
                n=$((n + 1))
            done < "$exceptions"
            echo "PASS setup: queue_init: no mapping leaked"
            echo "capi: 871 passed, $n failed"
        } > "$work/log"
    }
    expect() {
        local what=$1 want=$2 out rc
        out=$(judge "$work/log" 1 2>&1); rc=$?
        if { [ "$want" = pass ] && [ $rc -eq 0 ]; } || { [ "$want" = fail ] && [ $rc -ne 0 ]; }; then
            echo "sanitize-control: ok: $what: the judge says $want ($(head -n 1 <<< "$out"))"
        else
            echo "sanitize-control: FAILED: $what: expected the judge to $want, it said:"
            sed 's/^/    /' <<< "$out"
            ok=1
        fi
    }
    honest; expect "the named exceptions only" pass
    honest; sed -i 's/^PASS setup: queue_init: no mapping leaked/FAIL setup: queue_init: no mapping leaked (maps 109 before, 110 after; io_uring maps 2 before, 2 after)/' "$work/log"
    sed -i "s/^capi: 871 passed, $n failed/capi: 870 passed, $((n + 1)) failed/" "$work/log"
    expect "another check fails" fail
    honest; sed -i '0,/io_uring maps 2 before, 2 after/s//io_uring maps 2 before, 3 after/' "$work/log"
    expect "a named exception leaks an io_uring mapping" fail
    honest; grep -m1 '^FAIL' "$work/log" >> "$work/log"
    expect "a named exception filtered twice" fail
    honest; sed -i "s/^capi: 871 passed, $n failed/capi: 870 passed, $((n + 1)) failed/" "$work/log"
    expect "more failures counted than named ones seen" fail
    honest; echo "==1==ERROR: AddressSanitizer: heap-use-after-free" >> "$work/log"
    expect "a sanitizer report" fail
    honest; sed -i '/^capi: /d' "$work/log"
    expect "a program that died before its summary" fail
    rm -rf "$work"
    [ $ok -eq 0 ] && echo "sanitize-control: every planted regression was caught"
    return $ok
}

case ${1:-} in
    --control) control;;
    --judge) judge "${2:?usage: sanitize-capi.sh --judge LOG}";;
    *)
        [ $# -ge 5 ] || { echo "usage: sanitize-capi.sh RUNNER BINDIR LIBDIR LOG PROG..." >&2; exit 2; }
        runner=$1 bindir=$2 libdir=$3 log=$4
        shift 4
        "$runner" "$bindir" "$libdir" "$@" > "$log" 2>&1
        judge "$log" $?;;
esac
