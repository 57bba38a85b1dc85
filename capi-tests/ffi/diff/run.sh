#!/usr/bin/env bash
# Differential test of liburing-ffi.so.2 (Rust) against the C inline helpers
# of a liburing.h, in one process: see ffi_diff.c for what is compared.
#
# usage: capi-tests/ffi/diff/run.sh [ours|upstream|auto]
#   ours      the C side is our include/liburing.h
#   upstream  the C side is upstream liburing 2.15's header (fetched and
#             configured by this script; the reference itself)
#   auto      ours when include/liburing.h exists, else upstream (default)
# Environment: FFI_DIFF_ITERS (random argument sets per helper, default 3000),
# FFI_DIFF_SEED, CC, LIBURING_UPSTREAM_SRC (see capi-tests/fetch-upstream.sh).
#
# The list of helpers that must be covered comes from the header under test:
# it is compiled with -fkeep-inline-functions and every inline function it
# defines is listed with nm. Those in liburing-ffi.map must all be exercised
# by ffi_diff (it fails otherwise). An inline function named like a public
# helper (io_uring_*) that liburing-ffi does not export fails the run too,
# unless it is one of upstream's own header-internal helpers below or marked
# private by a leading or trailing underscore.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here="$top/capi-tests/ffi/diff"
mode=${1:-auto}
iters=${FFI_DIFF_ITERS:-3000}
cc=${CC:-cc}
lib="$top/build/lib"
out="$top/build/ffi-diff"
mkdir -p "$out"

say() { echo "ffi-diff: $*"; }
die() { echo "ffi-diff: FAIL: $*" >&2; exit 1; }

# Inline functions of upstream's header that liburing-ffi does not export
# (upstream's liburing-ffi.map leaves them out).
internal='io_uring_cqe_shift io_uring_cqe_shift_from_flags io_uring_initialize_sqe
io_uring_load_sq_head io_uring_skip_cqe io_uring_sqe_shift io_uring_sqe_shift_from_flags'

if [ "$mode" = auto ]; then
    if [ -f "$top/include/liburing.h" ]; then mode=ours; else mode=upstream; fi
fi
case "$mode" in
ours)
    inc="$top/include"
    [ -f "$inc/liburing.h" ] || die "no include/liburing.h"
    ;;
upstream)
    up=$("$top/capi-tests/fetch-upstream.sh") || die "no upstream tree"
    tree="$out/upstream-tree"
    if [ ! -f "$tree/.configured" ]; then
        rm -rf "$tree"
        cp -R "$up" "$tree"
        (cd "$tree" && ./configure >"$out/configure.log" 2>&1) || die "upstream configure failed, see $out/configure.log"
        touch "$tree/.configured"
    fi
    inc="$tree/src/include"
    ;;
*)
    die "unknown header mode '$mode' (ours, upstream or auto)"
    ;;
esac
[ -f "$lib/liburing-ffi.so.2" ] || die "build/lib/liburing-ffi.so.2 missing (run make)"
say "C side: $mode header ($inc/liburing.h); Rust side: $lib/liburing-ffi.so.2"

# Names of a version script's global symbols.
map_names() {
    sed -e 's/#.*//' "$1" | tr -s ' \t;' '\n\n\n' | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' \
        | grep -vxE 'global|local|LIBURING_[0-9.]+' | sort -u
}
map_names "$top/liburing-ffi.map" >"$out/ffi-map.txt"

printf '#include <liburing.h>\n' >"$out/inline.c"
"$cc" -D_GNU_SOURCE -O0 -fkeep-inline-functions -c -I"$inc" "$out/inline.c" -o "$out/inline.o"
nm "$out/inline.o" | awk '$2 == "t" || $2 == "T" {print $3}' | sort -u >"$out/header-inline.txt"

comm -12 "$out/header-inline.txt" "$out/ffi-map.txt" >"$out/required.txt"
nreq=$(wc -l <"$out/required.txt")
say "$(wc -l <"$out/header-inline.txt") inline functions in the header, $nreq of them exported by liburing-ffi"

bad=0
for f in $(comm -23 "$out/header-inline.txt" "$out/ffi-map.txt" | grep 'io_uring' || true); do
    case "$f" in _* | *_) continue ;; esac
    if printf '%s\n' $internal | grep -qx "$f"; then continue; fi
    echo "ffi-diff: FAIL: inline helper $f is not exported by liburing-ffi (not in liburing-ffi.map)" >&2
    bad=1
done
[ "$bad" = 0 ] || exit 1
# liburing 2.15 has 141 inline helpers in its FFI library (io_uring_get_sqe
# among them); a header that defines fewer cannot prove the rest.
[ "$nreq" -ge 141 ] || die "only $nreq exported inline helpers found in the header (expected 141)"

"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -I"$inc" "$here/ffi_diff.c" -o "$out/ffi_diff" \
    -L"$lib" -luring -Wl,-rpath,"$lib" -ldl
"$out/ffi_diff" "$lib/liburing-ffi.so.2" "$out/required.txt" "$iters"
