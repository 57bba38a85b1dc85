#!/usr/bin/env bash
# The exported symbols of both shared objects, against the version scripts
# and (when present) the reference lists of liburing 2.15:
#   liburing-ffi.so.2  exactly the 222 name@@NODE of liburing-ffi.map, i.e.
#                      every core function plus every inline helper;
#   liburing.so.2      exactly the 83 of liburing.map: the inline helpers
#                      are in the same static archive but must stay hidden.
# Environment: ABI_FACTS (directory of liburing-2.15.symbols and
# liburing-ffi-2.15.symbols; default /work/shared/abi). Without them the
# comparison fails, unless the caller opted out with SKIP=abi-facts.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
lib="$top/build/lib"
facts=${ABI_FACTS:-/work/shared/abi}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# name@@NODE for every global name of a version script.
map_versioned() {
    awk '
        { sub(/#.*/, "") }
        /\{/ { node = $1; scope = "global"; next }
        /\}/ { node = ""; next }
        /global:/ { scope = "global"; next }
        /local:/ { scope = "local"; next }
        node != "" && scope == "global" {
            for (i = 1; i <= NF; i++) {
                name = $i; sub(/;$/, "", name)
                if (name != "") print name "@@" node
            }
        }' "$1" | sort
}

# name@@NODE for every symbol a shared object defines, without the entries
# for the version nodes themselves.
exported() {
    nm -D --defined-only --with-symbol-versions "$1" | awk '$2 != "A" && NF >= 3 {print $3}' | sort
}

check() {
    local so=$1 map=$2 facts_file=$3 want_n=$4 name
    name=$(basename "$so")
    [ -f "$so" ] || { echo "FAIL: $so missing (run make)"; status=1; return; }
    exported "$so" >"$work/have"
    map_versioned "$top/$map" >"$work/want"
    if [ -f "$facts/$facts_file" ]; then
        if ! sort "$facts/$facts_file" | cmp -s - "$work/want"; then
            echo "FAIL: $map differs from $facts/$facts_file:"
            sort "$facts/$facts_file" | diff - "$work/want" | head -20
            status=1
        fi
    else
        "$top/capi-tests/skip.sh" abi-facts test-ffi-symbols \
            "$facts/$facts_file is missing: $map not compared with liburing 2.15's list" || status=1
    fi
    if cmp -s "$work/have" "$work/want"; then
        echo "ok: $name exports exactly the $(wc -l <"$work/have") versioned symbols of $map"
    else
        echo "FAIL: $name: $(comm -23 "$work/want" "$work/have" | wc -l) missing, $(comm -13 "$work/want" "$work/have" | wc -l) unexpected"
        comm -3 "$work/want" "$work/have" | head -40
        status=1
    fi
    if [ "$(wc -l <"$work/have")" != "$want_n" ]; then
        echo "FAIL: $name exports $(wc -l <"$work/have") symbols, liburing 2.15 has $want_n"
        status=1
    fi
}

check "$lib/liburing-ffi.so.2" liburing-ffi.map liburing-ffi-2.15.symbols 222
check "$lib/liburing.so.2" liburing.map liburing-2.15.symbols 83
exit $status
