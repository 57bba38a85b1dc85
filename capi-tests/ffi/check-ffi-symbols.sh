#!/usr/bin/env bash
# The exported symbols of both shared objects, against the version scripts
# and (when present) the reference lists of liburing 2.15:
#   liburing-ffi.so.2  exactly the name@@NODE of liburing-ffi.map: liburing
#                      2.15's 222 (every core function plus every inline
#                      helper) and the documented extra of
#                      capi-tests/abi/ffi-extra.symbols (io_uring_buf_ring_head
#                      at LIBURING_2.6), and nothing else;
#   liburing.so.2      exactly the 83 of liburing.map: the inline helpers
#                      are in the same static archive but must stay hidden.
# Then completeness: every function declared in include/liburing.h, in either
# form (plain, and -DLIBURING_FFI where the inline helpers become
# declarations; gcc -aux-info lists them, static ones left out), is exported by
# liburing-ffi.so.2: "declared" minus "exported" must be empty.
# Planted regressions, every run: a copy of the header declaring one more
# function, and a liburing-ffi.so.2 linked without io_uring_buf_ring_head, must
# each make the completeness check fail and name the function; a version
# script with one more symbol than documented must fail the list comparison.
# Environment: ABI_FACTS (directory of liburing-2.15.symbols and
# liburing-ffi-2.15.symbols; default /work/shared/abi). Without them the
# comparison fails, unless the caller opted out with SKIP=abi-facts.
# CC, RUST_A (the static archive the planted library is linked from).
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

extras_file="$top/capi-tests/abi/ffi-extra.symbols"
documented_extras() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$extras_file" | grep . | sort
}

# check SO MAP FACTS_FILE N [EXTRAS]: SO exports exactly MAP's name@@NODE,
# which are FACTS_FILE's plus EXTRAS (a file of documented extras), N of them
# liburing 2.15's.
check() {
    local so=$1 map=$2 facts_file=$3 want_n=$4 extras=${5:-/dev/null} name ndoc
    name=$(basename "$so")
    [ -f "$so" ] || { echo "FAIL: $so missing (run make)"; status=1; return; }
    exported "$so" >"$work/have"
    map_versioned "$map" >"$work/want"
    ndoc=$(grep -c . "$extras" || true)
    if [ -f "$facts/$facts_file" ]; then
        if ! sort -u "$facts/$facts_file" "$extras" | cmp -s - "$work/want"; then
            echo "FAIL: $(basename "$map") differs from $facts/$facts_file plus the $ndoc documented extra:"
            sort -u "$facts/$facts_file" "$extras" | diff - "$work/want" | head -20
            status=1
        fi
    else
        "$top/capi-tests/skip.sh" abi-facts test-ffi-symbols \
            "$facts/$facts_file is missing: $map not compared with liburing 2.15's list" || status=1
    fi
    if cmp -s "$work/have" "$work/want"; then
        echo "ok: $name exports exactly the $(wc -l <"$work/have") versioned symbols of $(basename "$map")"
    else
        echo "FAIL: $name: $(comm -23 "$work/want" "$work/have" | wc -l) missing, $(comm -13 "$work/want" "$work/have" | wc -l) unexpected"
        comm -3 "$work/want" "$work/have" | head -40
        status=1
    fi
    if [ "$(wc -l <"$work/have")" != "$((want_n + ndoc))" ]; then
        echo "FAIL: $name exports $(wc -l <"$work/have") symbols: liburing 2.15 has $want_n, plus $ndoc documented"
        status=1
    elif [ "$ndoc" -gt 0 ]; then
        echo "ok: $name: liburing 2.15's $want_n plus $ndoc documented extra ($(tr '\n' ' ' <"$extras" | sed 's/ $//'))"
    fi
}

# header_minus_ffi INCDIR SO: print every function declared (not static) in
# INCDIR's liburing.h and liburing/*.h, plain or in FFI form, that SO does
# not export.
header_minus_ffi() {
    local inc=$1 so=$2 form
    printf '#include <liburing.h>\n' >"$work/decl.c"
    : >"$work/decl.aux.all"
    for form in plain ffi; do
        local flags=(-std=gnu11 -D_GNU_SOURCE)
        [ $form = ffi ] && flags+=(-DLIBURING_FFI)
        "${CC:-cc}" "${flags[@]}" -I"$inc" -fsyntax-only -aux-info "$work/decl.aux" "$work/decl.c" || return 2
        cat "$work/decl.aux" >>"$work/decl.aux.all"
    done
    python3 - "$inc" "$work/decl.aux.all" >"$work/declared" <<'PY' || return 2
import os, re, sys
inc = os.path.realpath(sys.argv[1])
names = set()
for line in open(sys.argv[2]):
    m = re.match(r"^/\* (?P<file>[^:]+):\d+:(?:N|O)[CF] \*/ (?P<proto>.*?);", line)
    if not m or not os.path.realpath(m.group("file")).startswith(inc + os.sep):
        continue
    proto = m.group("proto")
    if proto.startswith("static "):
        continue
    n = re.match(r"^.*?\b([A-Za-z_]\w*) \(", proto)
    if n:
        names.add(n.group(1))
if len(names) < 222:
    sys.exit("only %d functions found declared in %s" % (len(names), inc))
print("\n".join(sorted(names)))
PY
    nm -D --defined-only "$so" | awk '$2 == "T" || $2 == "W" || $2 == "i" {sub(/@.*/, "", $3); print $3}' \
        | sort -u >"$work/ffi-names"
    comm -23 "$work/declared" "$work/ffi-names"
}

complete() {
    local inc=$1 so=$2 missing
    missing=$(header_minus_ffi "$inc" "$so") || { echo "FAIL: completeness: gcc -aux-info on $inc failed"; return 1; }
    if [ -n "$missing" ]; then
        echo "FAIL: declared in $inc/liburing.h but not exported by $(basename "$so"): $(tr "\n" " " <<<"$missing" | sed "s/ $//")"
        return 1
    fi
    echo "ok: all $(wc -l <"$work/declared") functions declared in $inc/liburing.h (plain and FFI form) are exported by $(basename "$so")"
}

documented_extras >"$work/documented"
check "$lib/liburing-ffi.so.2" "$top/liburing-ffi.map" liburing-ffi-2.15.symbols 222 "$work/documented"
check "$lib/liburing.so.2" "$top/liburing.map" liburing-2.15.symbols 83
complete "$top/include" "$lib/liburing-ffi.so.2" || status=1

# --- planted regressions --------------------------------------------------
cfail=0
control() { echo "FAIL: control: $*"; cfail=1; }
# 1. The header declares a function liburing-ffi does not export.
cp -R "$top/include" "$work/plant-inc"
printf '\nint io_uring_planted_decl(struct io_uring *ring);\n' >>"$work/plant-inc/liburing.h"
out=$(complete "$work/plant-inc" "$lib/liburing-ffi.so.2") && control "a declaration with no export passed: $out"
case $out in *"not exported"*io_uring_planted_decl*) echo "ok: control: a planted declaration is caught (${out#FAIL: })" ;;
    *) control "the planted declaration was not named: $out" ;; esac
# 2. liburing-ffi.so.2 linked without the documented extra (upstream's set).
archive=${RUST_A:-$top/target/release/liburing.a}
if [ -f "$archive" ]; then
    mkdir -p "$work/plant-lib"
    grep -v '^[[:space:]]*io_uring_buf_ring_head;' "$top/liburing-ffi.map" >"$work/plant-lib/ffi.map"
    if "${CC:-cc}" -shared -o "$work/plant-lib/liburing-ffi.so.2" -Wl,--whole-archive "$archive" -Wl,--no-whole-archive \
        -Wl,--version-script="$work/plant-lib/ffi.map" -Wl,-soname,liburing-ffi.so.2 -Wl,--gc-sections -lc \
        >"$work/plant-lib/link.log" 2>&1; then
        out=$(complete "$top/include" "$work/plant-lib/liburing-ffi.so.2") && control "a library without io_uring_buf_ring_head passed"
        case $out in *"not exported"*io_uring_buf_ring_head*) echo "ok: control: a library without the extra is caught (${out#FAIL: })" ;;
            *) control "the missing io_uring_buf_ring_head was not named: $out" ;; esac
    else
        control "the planted library does not link: $(tail -3 "$work/plant-lib/link.log")"
    fi
else
    control "$archive missing: the planted library cannot be linked (run make)"
fi
# 3. One more symbol in the version script than documented.
if [ -f "$facts/liburing-ffi-2.15.symbols" ]; then
    sed 's/^\([[:space:]]*\)io_uring_buf_ring_head;/&\n\1io_uring_planted_extra;/' "$top/liburing-ffi.map" >"$work/plant.map"
    out=$( (status=0; check "$lib/liburing-ffi.so.2" "$work/plant.map" liburing-ffi-2.15.symbols 222 "$work/documented"
            exit $status) ) && control "a version script with an undocumented extra passed"
    case $out in *io_uring_planted_extra*) echo "ok: control: an undocumented extra in the version script is caught" ;;
        *) control "the undocumented extra was not named: $out" ;; esac
fi
[ $cfail -eq 0 ] || status=1
exit $status
