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
#
# One documented superset: liburing-ffi.so.2 also exports the lines of
# capi-tests/abi/ffi-extra.symbols (io_uring_buf_ring_head@@LIBURING_2.6),
# each of which must be in upstream's liburing.map at that node. Exactly those
# are accepted: an undocumented extra, or a documented one that is missing or
# at another node, fails as any other difference does.
#
# --control: the planted regressions, each a throw-away liburing-ffi.so.2
# linked from the same static archive (target/release/liburing.a) into a
# temporary LIBDIR: one more symbol than documented, the documented extra left
# out, and the documented extra at another node. Each must fail this check.
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

extras_file="$top/capi-tests/abi/ffi-extra.symbols"
# The documented extras, one name@@NODE a line.
documented_extras() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$extras_file" | grep . | sort
}

status=0
check_lib() {
    local label=$1 map=$2 file=$3 soname=$4 factfile=$5 extras=${6:-} want_n
    parse_map "$up/src/$map" > "$work/want"
    want_n=$(wc -l < "$work/want")
    : > "$work/documented"
    if [ -n "$extras" ]; then
        documented_extras > "$work/documented"
        parse_map "$up/src/liburing.map" > "$work/core"
        local s
        while read -r s; do
            if grep -qxF "$s" "$work/want"; then
                echo "$label: documented extra $s is in upstream's $map already: $extras_file is stale"
                status=1
            fi
            if ! grep -qxF "$s" "$work/core"; then
                echo "$label: documented extra $s is not name@@NODE of upstream's liburing.map"
                status=1
            fi
        done < "$work/documented"
    fi
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
    local present missing extra ndoc
    present=$(comm -12 "$work/want" "$work/have" | wc -l)
    comm -23 "$work/want" "$work/have" > "$work/missing"
    # The documented extras are expected on top of upstream's list.
    sort -u "$work/want" "$work/documented" > "$work/want+doc"
    comm -23 "$work/documented" "$work/have" >> "$work/missing"
    comm -13 "$work/want+doc" "$work/have" > "$work/extra"
    missing=$(wc -l < "$work/missing"); extra=$(wc -l < "$work/extra")
    ndoc=$(comm -12 "$work/documented" "$work/have" | wc -l)
    if [ -s "$work/documented" ]; then
        echo "$label: $present of $want_n present, $extra extra, $ndoc documented extra ($(comm -12 "$work/documented" "$work/have" | tr '\n' ' ' | sed 's/ $//'))"
    else
        echo "$label: $present of $want_n present, $extra extra"
    fi
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

# --control: plant each regression into a throw-away liburing-ffi.so.2 and
# require this script (without --control) to fail on it, naming the symbol.
if [ "${1:-}" = --control ]; then
    archive=${RUST_A:-$top/target/release/liburing.a}
    [ -f "$archive" ] || { echo "check-symbols control: $archive missing (run make)"; exit 2; }
    cc=${CC:-cc}
    cfail=0
    printf 'int io_uring_planted_extra(void) { return 0; }\n' > "$work/planted.c"
    "$cc" -c -fPIC -o "$work/planted.o" "$work/planted.c" || exit 2
    # plant NAME SED-EXPRESSION-ON-OUR-MAP WHAT-THE-FAILURE-MUST-NAME
    plant() {
        local name=$1 expr=$2 expect=$3 d="$work/plant-$1"
        mkdir -p "$d"
        cp -P "$libdir"/liburing.so* "$d/"
        sed -e "$expr" "$top/liburing-ffi.map" > "$d/ffi.map"
        rm -f "$d"/liburing-ffi.so*
        if ! "$cc" -shared -o "$d/liburing-ffi.so.$VERSION" -Wl,--whole-archive "$archive" -Wl,--no-whole-archive \
            "$work/planted.o" -Wl,--version-script="$d/ffi.map" -Wl,-soname,liburing-ffi.so.2 -Wl,--gc-sections \
            -Wl,--as-needed -lc > "$d/link.log" 2>&1; then
            echo "control FAIL $name: the planted library does not link (see $d/link.log)"; cfail=1; return
        fi
        ln -sf "liburing-ffi.so.$VERSION" "$d/liburing-ffi.so.2"
        ln -sf liburing-ffi.so.2 "$d/liburing-ffi.so"
        if LIBDIR="$d" "$0" > "$d/check.log" 2>&1; then
            echo "control FAIL $name: the check passed on the planted library"; cfail=1
        elif ! grep -qF -- "$expect" "$d/check.log"; then
            echo "control FAIL $name: the check failed without naming $expect (see $d/check.log)"; cfail=1
        else
            echo "control ok $name: caught ($(grep -m1 -F -- "$expect" "$d/check.log" | sed 's/^ *//'))"
        fi
    }
    plant undocumented-extra 's/^\([[:space:]]*\)io_uring_buf_ring_head;/&\n\1io_uring_planted_extra;/' \
        io_uring_planted_extra@@LIBURING_2.6
    plant documented-extra-missing '/^[[:space:]]*io_uring_buf_ring_head;/d' io_uring_buf_ring_head@@LIBURING_2.6
    plant documented-extra-wrong-node \
        '/^[[:space:]]*io_uring_buf_ring_head;/d; s/^\([[:space:]]*\)io_uring_buf_ring_add;/&\n\1io_uring_buf_ring_head;/' \
        "io_uring_buf_ring_head@@LIBURING_2.6 (exported as io_uring_buf_ring_head@@LIBURING_2.4)"
    if [ $cfail -eq 0 ]; then echo "symbols control: 3 planted regressions, 3 caught"; fi
    exit $cfail
fi

check_lib liburing.so liburing.map liburing.so liburing.so.2 liburing-2.15.symbols
check_lib liburing-ffi.so liburing-ffi.map liburing-ffi.so liburing-ffi.so.2 liburing-ffi-2.15.symbols documented
if [ $status -eq 0 ]; then echo "symbols: all equal, apart from the documented extra of liburing-ffi.so"; else echo "symbols: differences found"; fi
exit $status
