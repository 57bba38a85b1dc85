#!/usr/bin/env bash
# Compare a bad-input table just written by badinput --markdown with the
# committed one (the block between <!-- badinput:begin --> and
# <!-- badinput:end --> of docs/RELIABILITY.md).
#
#   badinput-compare.sh NEW_TABLE [DOC]     exit 1 on any difference below
#   badinput-compare.sh --control           planted regressions (doctored copies)
#   badinput-compare.sh --plants BADINPUT UPSTREAM_SO OUR_SO MAP
#                                           planted regressions in badinput itself
#                                           (BADINPUT_PLANT): set-ups that fail, a
#                                           crash with another signal
#
# Per row (function and input): the verdict must be the committed one (a row
# moving from "same" to "upstream crashes", or back, is seen), and in an
# "upstream crashes" row what ours returned must be the committed value (the
# error ours is expected to give where upstream crashes). The coverage line
# and the totals line must be the committed ones; rows may not appear or
# disappear. When the change is intended, `make reliability-doc` records the
# new table in the document.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

committed() {
    awk '/<!-- badinput:begin -->/ {f = 1; next} /<!-- badinput:end -->/ {f = 0} f' "$1"
}

# Rows as "key<TAB>upstream<TAB>ours<TAB>verdict": cells are split on " | "
# from the right, since an input may itself hold " | " (flag sets).
rows() {
    grep '^| ' "$1" | grep -v '^| function | input |\|^| --- ' | awk '{
        s = substr($0, 3, length($0) - 4); n = split(s, p, / \| /)
        key = p[1]; for (i = 2; i <= n - 3; i++) key = key " | " p[i]
        print key "\t" p[n-2] "\t" p[n-1] "\t" p[n]
    }'
}

compare() {
    local new=$1 doc=$2 old
    old=$(mktemp)
    committed "$doc" > "$old"
    if ! grep -q '^| ' "$old"; then
        echo "badinput-compare: no committed table in $doc"
        rm -f "$old"
        return 1
    fi
    awk -F'\t' -v newf=<(rows "$new") -v oldf=<(rows "$old") \
        -v newtot="$(grep -E '^[0-9]+ cases:' "$new")" -v oldtot="$(grep -E '^[0-9]+ cases:' "$old")" \
        -v newcov="$(grep -E 'exported functions' "$new")" -v oldcov="$(grep -E 'exported functions' "$old")" '
    BEGIN {
        while ((getline l < oldf) > 0) { split(l, c, "\t"); if (c[1] in ov) dup = dup " " c[1]; ou[c[1]] = c[2]; oo[c[1]] = c[3]; ov[c[1]] = c[4]; order[++n] = c[1] }
        bad = 0
        if (dup != "") { print "badinput-compare: the committed table repeats a row:" dup; bad = 1 }
        while ((getline l < newf) > 0) {
            split(l, c, "\t"); k = c[1]; seen[k] = 1
            if (!(k in ov)) { print "badinput-compare: new row, not in the committed table: " k " -> " c[4]; bad = 1; continue }
            if (c[4] != ov[k]) { print "badinput-compare: " k ": verdict moved from \"" ov[k] "\" to \"" c[4] "\" (upstream " c[2] ", ours " c[3] ")"; bad = 1; continue }
            if (c[4] == "upstream crashes" && c[3] != oo[k]) { print "badinput-compare: " k ": upstream crashes, ours returned " c[3] " where the committed table expects " oo[k]; bad = 1 }
        }
        for (i = 1; i <= n; i++) if (!(order[i] in seen)) { print "badinput-compare: row gone: " order[i]; bad = 1 }
        if (newtot != oldtot) { print "badinput-compare: totals differ:\n  committed: " oldtot "\n  this run:  " newtot; bad = 1 }
        if (newcov != oldcov) { print "badinput-compare: coverage differs:\n  committed: " oldcov "\n  this run:  " newcov; bad = 1 }
        if (!bad) print "badinput-compare: the table matches the committed one: " newtot
        exit bad
    }'
    local rc=$?
    rm -f "$old"
    return $rc
}

control() {
    local work ok=0 doc=$top/docs/RELIABILITY.md
    work=$(mktemp -d)
    committed "$doc" > "$work/table"
    expect() {
        local what=$1 want=$2 out rc
        out=$(compare "$work/new" "$doc" 2>&1); rc=$?
        if { [ "$want" = pass ] && [ $rc -eq 0 ]; } || { [ "$want" = fail ] && [ $rc -ne 0 ]; }; then
            echo "badinput-control: ok: $what: the comparison says $want ($(head -n 1 <<< "$out"))"
        else
            echo "badinput-control: FAILED: $what: expected the comparison to $want, it said:"
            sed 's/^/    /' <<< "$out"
            ok=1
        fi
    }
    cp "$work/table" "$work/new"; expect "the committed table itself" pass
    # A "same" row turning into "upstream crashes", the totals moving with it.
    cp "$work/table" "$work/new"
    sed -i '0,/ | same |$/s/| \([^|]*\) | \([^|]*\) | same |$/| crash (SEGV) | \2 | upstream crashes |/' "$work/new"
    expect "a row moving from same to upstream crashes" fail
    # Ours returning something else where upstream crashes.
    cp "$work/table" "$work/new"
    sed -i '0,/ | -EINVAL | upstream crashes |$/s// | -EFAULT | upstream crashes |/' "$work/new"
    expect "ours returning another error where upstream crashes" fail
    # Totals alone.
    cp "$work/table" "$work/new"
    sed -i -E 's/^([0-9]+) cases: ([0-9]+) same/\1 cases: 999 same/' "$work/new"
    expect "totals that disagree" fail
    # A row that disappears.
    cp "$work/table" "$work/new"
    sed -i '0,/^| io_uring_queue_init | /{/^| io_uring_queue_init | /d}' "$work/new"
    expect "a row gone" fail
    rm -rf "$work"
    [ $ok -eq 0 ] && echo "badinput-control: every planted regression was caught"
    return $ok
}

# badinput's own planted regressions, on the cases of one function.
plants() {
    local bin=$1 up=$2 ours=$3 map=$4 ok=0 p want out rc
    for p in setup signal; do
        case $p in
            setup)  want="FAIL: ring state set-up failed";;
            signal) want="FAIL: crashes differently";;
        esac
        out=$(BADINPUT_PLANT=$p BADINPUT_ONLY=io_uring_submit_and_wait_timeout "$bin" "$up" "$ours" "$map" 2>&1); rc=$?
        if [ $rc -ne 0 ] && grep -qF "$want" <<< "$out"; then
            echo "badinput-control: ok: BADINPUT_PLANT=$p: $(grep -cF "$want" <<< "$out") rows \"$want\", exit $rc"
        else
            echo "badinput-control: FAILED: BADINPUT_PLANT=$p: expected rows \"$want\" and a failing exit, got (exit $rc):"
            sed 's/^/    /' <<< "$out"
            ok=1
        fi
    done
    return $ok
}

case ${1:-} in
    --control) control;;
    --plants) [ $# -eq 5 ] || { echo "usage: badinput-compare.sh --plants BADINPUT UPSTREAM_SO OUR_SO MAP" >&2; exit 2; }
              plants "$2" "$3" "$4" "$5";;
    '') echo "usage: badinput-compare.sh NEW_TABLE [DOC] | --control" >&2; exit 2;;
    *) compare "$1" "${2:-$top/docs/RELIABILITY.md}";;
esac
