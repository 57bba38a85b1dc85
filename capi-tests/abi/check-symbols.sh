#!/usr/bin/env bash
# Symbol check of the two shared objects against upstream liburing 2.15.
#
# The expected symbol sets are computed now, from the version scripts of the
# fetched upstream tree (src/liburing.map, src/liburing-ffi.map): every name in
# a node's global: section, as name@@NODE. They are compared with what our
# build/lib/liburing.so.2.15 and build/lib/liburing-ffi.so.2.15 export
# (nm -D --defined-only --with-symbol-versions). Any missing, extra or
# wrongly versioned symbol fails the check, as does a wrong SONAME or a
# missing/misdirected .so.2 or .so link.
#
# The sets read from upstream's scripts are also compared with the project's
# fact files (/work/shared/abi/*.symbols, or ABI_FACTS=dir) when present, so a
# parsing mistake here cannot hide a difference.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
libdir=${LIBDIR:-$top/build/lib}
# NM/READELF: another architecture's binutils (capi-tests/arches/).
nm=${NM:-nm}
readelf=${READELF:-readelf}
facts=${ABI_FACTS:-/work/shared/abi}
up=$("$top/capi-tests/fetch-upstream.sh") || { echo "check-symbols: no upstream tree" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Print "name@@NODE" for every global name of a GNU ld version script.
parse_map() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)   # block comments
text = re.sub(r'#[^\n]*', ' ', text)                  # line comments
out = []
# NODE { body } [PARENT] ;
for node, body in re.findall(r'([A-Za-z_][\w.]*)\s*\{(.*?)\}\s*[\w.]*\s*;', text, flags=re.S):
    scope = 'global'
    for tok in re.findall(r'[^\s;]+:|[^\s;:]+', body):
        if tok.endswith(':'):
            scope = tok[:-1]
        elif scope == 'global':
            out.append(f'{tok}@@{node}')
for s in sorted(out):
    print(s)
PY
}

# Print "name@@NODE" / "name@NODE" for every defined dynamic symbol, without
# the version-definition entries (absolute symbols named after the node).
exported() {
    "$nm" -D --defined-only --with-symbol-versions "$1" \
        | awk '$2 != "A" && NF >= 3 {print $3}' | sort
}

status=0
check_lib() {
    local label=$1 map=$2 file=$3 soname=$4 factfile=$5 want_n
    parse_map "$up/src/$map" > "$work/want"
    want_n=$(wc -l < "$work/want")
    if [ -f "$facts/$factfile" ]; then
        if ! diff <(sort "$facts/$factfile") "$work/want" > "$work/factdiff"; then
            echo "$label: the set read from upstream's $map differs from $facts/$factfile:"
            sed 's/^/    /' "$work/factdiff"
            status=1
        fi
    fi
    local so="$libdir/$file.$VERSION"
    if [ ! -f "$so" ]; then
        echo "$label: $so missing: 0 of $want_n present"
        status=1
        return
    fi
    exported "$so" > "$work/have"
    local present missing extra
    present=$(comm -12 "$work/want" "$work/have" | wc -l)
    comm -23 "$work/want" "$work/have" > "$work/missing"
    comm -13 "$work/want" "$work/have" > "$work/extra"
    missing=$(wc -l < "$work/missing"); extra=$(wc -l < "$work/extra")
    echo "$label: $present of $want_n present, $extra extra"
    if [ "$missing" -gt 0 ]; then
        echo "  missing ($missing):"
        while read -r s; do
            local name=${s%%@*} other
            other=$(grep -m1 -E "^$name@" "$work/have" || true)
            if [ -n "$other" ]; then echo "    $s (exported as $other)"; else echo "    $s"; fi
        done < "$work/missing"
    fi
    if [ "$extra" -gt 0 ]; then
        echo "  extra ($extra):"
        sed 's/^/    /' "$work/extra"
    fi
    [ "$missing" -eq 0 ] && [ "$extra" -eq 0 ] || status=1

    local got_soname
    got_soname=$("$readelf" -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    if [ "$got_soname" != "$soname" ]; then
        echo "  SONAME is '${got_soname:-none}', expected $soname"
        status=1
    else
        echo "  SONAME $soname"
    fi
    local link target
    for link in "$libdir/$soname" "$libdir/$file"; do
        if [ ! -L "$link" ]; then
            echo "  $link: not a symbolic link"
            status=1
            continue
        fi
        target=$(readlink -f "$link")
        if [ "$target" != "$(readlink -f "$so")" ]; then
            echo "  $link resolves to $target, not $so"
            status=1
        else
            echo "  $(basename "$link") -> $(readlink "$link") ok"
        fi
    done
}

VERSION=2.15
check_lib liburing.so liburing.map liburing.so liburing.so.2 liburing-2.15.symbols
check_lib liburing-ffi.so liburing-ffi.map liburing-ffi.so liburing-ffi.so.2 liburing-ffi-2.15.symbols
if [ $status -eq 0 ]; then echo "symbols: all equal"; else echo "symbols: differences found"; fi
exit $status
