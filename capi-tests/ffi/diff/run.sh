#!/usr/bin/env bash
# Three-way differential test of the inline helpers, in one process (see
# ffi_diff.c for what is compared): upstream liburing 2.15's header (the
# reference, compiled in a translation unit of its own with renamed
# trampolines), our include/liburing.h, and the Rust exports of
# liburing-ffi.so.2, on the same random arguments.
#
# usage: capi-tests/ffi/diff/run.sh
# Environment: FFI_DIFF_ITERS (random argument sets per helper, default 3000),
# FFI_DIFF_SEQS (ring sequences of 200 operations, default 500),
# FFI_DIFF_SEED, CC, LIBURING_UPSTREAM_SRC (see capi-tests/fetch-upstream.sh),
# FFI_DIFF_CONTROL=0 (leave out the planted-regression controls below).
#
# capi-tests/header/gen.py's sqediff mode, on upstream's header, writes ref.c
# (ref_<name> calls upstream's inline <name>, for every inline helper of
# upstream's header), ours.c (the same on our header: our_<name>, and
# ffi_<name> when compiled in the FFI form), wrappers.h and sqediff.c (the
# SQE-writing and pure helpers, three ways). ref.c is compiled against
# upstream's configured header (capi-tests/lib/upstream-build.sh --configure-only) into
# up.o; ffi_diff.c (our header) calls the three sides through wrappers.h.
#
# The list of helpers that must be covered comes from the headers: each is
# compiled with -fkeep-inline-functions and every inline function it defines
# is listed with nm. Those in liburing-ffi.map must all be exercised by
# ffi_diff (it fails otherwise), and both headers must define the same ones.
# An inline function named like a public helper (io_uring_*) that
# liburing-ffi does not export fails the run too, unless it is one of
# upstream's own header-internal helpers below or marked private by a leading
# or trailing underscore.
#
# Planted-regression controls (every run, a few seconds): a throw-away copy of
# our header whose io_uring_prep_nop also sets IOSQE_ASYNC is compiled into a
# second ffi_diff and run on that helper alone; it must fail and name
# io_uring_prep_nop as "C differs from upstream and Rust". The same copy's
# io_uring_cq_advance moves the CQ head one further when nr > 2: the ring
# sequences alone must fail the same way. Then the nop plant
# in a copy of upstream's header, compiled into the upstream side: it must
# fail with "C and Rust differ from upstream" (which proves that the third
# party really is upstream's header). Otherwise this check fails itself.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here="$top/capi-tests/ffi/diff"
iters=${FFI_DIFF_ITERS:-3000}
seqs=${FFI_DIFF_SEQS:-500}
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

inc="$top/include"
[ -f "$inc/liburing.h" ] || die "no include/liburing.h"
cfg=$("$top/capi-tests/lib/upstream-build.sh" --configure-only) || die "could not configure upstream's tree"
upinc="$cfg/src/include"
[ -f "$upinc/liburing.h" ] || die "no $upinc/liburing.h"
[ -f "$lib/liburing-ffi.so.2" ] || die "build/lib/liburing-ffi.so.2 missing (run make)"
say "upstream: $upinc/liburing.h; C: $inc/liburing.h; Rust: $lib/liburing-ffi.so.2"

# Names of a version script's global symbols.
map_names() {
    sed -e 's/#.*//' "$1" | tr -s ' \t;' '\n\n\n' | grep -E '^[A-Za-z_][A-Za-z0-9_]*$' \
        | grep -vxE 'global|local|LIBURING_[0-9.]+' | sort -u
}
map_names "$top/liburing-ffi.map" >"$out/ffi-map.txt"

# The inline functions a header defines: inline_list INCDIR OUT
printf '#include <liburing.h>\n' >"$out/inline.c"
inline_list() {
    "$cc" -D_GNU_SOURCE -O0 -fkeep-inline-functions -c -I"$1" "$out/inline.c" -o "$out/inline.o"
    nm "$out/inline.o" | awk '$2 == "t" || $2 == "T" {print $3}' | sort -u >"$2"
}
inline_list "$inc" "$out/header-inline.txt"
inline_list "$upinc" "$out/upstream-inline.txt"

comm -12 "$out/header-inline.txt" "$out/ffi-map.txt" >"$out/required.txt"
comm -12 "$out/upstream-inline.txt" "$out/ffi-map.txt" >"$out/upstream-required.txt"
nreq=$(wc -l <"$out/required.txt")
say "$(wc -l <"$out/header-inline.txt") inline functions in our header ($(wc -l <"$out/upstream-inline.txt") in upstream's), $nreq of them exported by liburing-ffi"

bad=0
for f in $(comm -23 "$out/header-inline.txt" "$out/ffi-map.txt" | grep 'io_uring' || true); do
    case "$f" in _* | *_) continue ;; esac
    if printf '%s\n' $internal | grep -qx "$f"; then continue; fi
    echo "ffi-diff: FAIL: inline helper $f is not exported by liburing-ffi (not in liburing-ffi.map)" >&2
    bad=1
done
# Both headers must define the same exported helpers: the three-way
# comparison covers the union, so a helper only one header has fails here.
for f in $(comm -3 "$out/required.txt" "$out/upstream-required.txt" | tr -d '\t'); do
    if grep -qx "$f" "$out/required.txt"; then where="our header only"; else where="upstream's header only"; fi
    echo "ffi-diff: FAIL: exported inline helper $f is defined in $where" >&2
    bad=1
done
[ "$bad" = 0 ] || exit 1
# liburing 2.15 has 141 inline helpers in its FFI library (io_uring_get_sqe
# among them); a header that defines fewer cannot prove the rest.
[ "$nreq" -ge 141 ] || die "only $nreq exported inline helpers found in the header (expected 141)"

# Upstream's helpers as ref_<name> functions (capi-tests/header/gen.py, the
# generator of test-header's sqediff), compiled against upstream's header.
gen="$out/upstream-wrappers"
rm -rf "$gen"
mkdir -p "$gen"
echo '#include <liburing.h>' >"$gen/aux.c"
"$cc" -std=gnu11 -D_GNU_SOURCE -I"$upinc" -fsyntax-only -aux-info "$gen/ref.aux" "$gen/aux.c"     || die "gcc -aux-info on upstream's header failed"
python3 "$top/capi-tests/header/gen.py" sqediff "$gen/ref.aux" "$upinc/liburing.h" "$gen" >"$gen/gen.log"     || die "gen.py failed, see $gen/gen.log"
"$cc" -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Wno-unused-parameter -I"$gen" -I"$upinc"     -c "$gen/ref.c" -o "$out/up.o"

# build_diff INCDIR EXE [OPT] [UP_OBJ]: ffi_diff.c against a header of ours,
# with the wrappers of that header (ours.c: our_<name>, and in its FFI form
# ffi_<name>) and the generated sqediff.c, linked with up.o (or UP_OBJ); the
# control's build is -O0 (a quarter of the compile time). liburing.so.2 comes
# first, as for every program on our header; liburing-ffi.so.2 gives the FFI
# form the helpers only it exports.
build_diff() {
    local o="$2.objs" opt=${3:--O2} wflags=(-std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter)
    mkdir -p "$o"
    "$cc" "${wflags[@]}" "$opt" -I"$gen" -I"$1" -c "$gen/ours.c" -o "$o/ours.o"
    "$cc" "${wflags[@]}" "$opt" -DLIBURING_FFI -I"$gen" -I"$1" -c "$gen/ours.c" -o "$o/ours-ffi.o"
    "$cc" "${wflags[@]}" "$opt" -I"$gen" -I"$here" -I"$1" -c "$gen/sqediff.c" -o "$o/sqediff.o"
    "$cc" -std=gnu11 "$opt" -Wall -Wextra -Werror -I"$1" -I"$gen" -I"$here" "$here/ffi_diff.c" \
        "${4:-$out/up.o}" "$o/ours.o" "$o/ours-ffi.o" "$o/sqediff.o" -o "$2" \
        -L"$lib" -Wl,--push-state,--no-as-needed -luring -luring-ffi -Wl,--pop-state -Wl,-rpath,"$lib" -ldl
}
build_diff "$inc" "$out/ffi_diff"

# The planted-regression controls (see the top of this file).
# plant_line HEADER WHAT LINE ADDED: LINE (found exactly once in HEADER) gets
# ADDED after it, marked planted.
plant_line() {
    [ "$(grep -cF "$3" "$1")" = 1 ] || die "control: $2's line not found once in $1; update the plant"
    python3 - "$1" "$3" "$4" <<'PY' || die "control: the plant of $2 was not applied to $1"
import sys
path, line, added = sys.argv[1:]
text = open(path).read()
open(path, "w").write(text.replace(line, line + " " + added + " /* planted */"))
PY
}
# plant INCDIR COPY: COPY is INCDIR with io_uring_prep_nop also setting IOSQE_ASYNC.
plant() {
    rm -rf "$2"
    cp -R "$1" "$2"
    plant_line "$2/liburing.h" io_uring_prep_nop 'io_uring_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0);' \
        'sqe->flags |= IOSQE_ASYNC;'
}
# control NAME EXE ONLY EXPECTED: EXE run on ONLY alone (FFI_DIFF_ONLY) must
# fail with a mismatch of ONLY that says EXPECTED.
control() {
    if FFI_DIFF_ONLY=$3 "$2" "$lib/liburing-ffi.so.2" /dev/null 200 20 >"$out/control-$1.log" 2>&1; then
        cat "$out/control-$1.log" >&2
        die "control ($1): a planted $3 passed the three-way diff"
    fi
    grep -q "^MISMATCH $3 .*$4" "$out/control-$1.log" || {
        cat "$out/control-$1.log" >&2
        die "control ($1): the planted $3 was not named with '$4'"
    }
    say "control ($1): caught: $(grep -m1 '^MISMATCH' "$out/control-$1.log" | cut -c1-150)"
}
if [ "${FFI_DIFF_CONTROL:-1}" != 0 ]; then
    # Our header planted: the C side must be the odd one out.
    # Its io_uring_cq_advance also moves the head one further for nr > 2:
    # the ring sequences must catch that (the FFI form calls the Rust export).
    plant "$inc" "$out/planted-include"
    plant_line "$out/planted-include/liburing.h" io_uring_cq_advance '*ring->cq.khead + nr);' \
        'if (nr > 2) io_uring_smp_store_release(ring->cq.khead, *ring->cq.khead + 1);'
    build_diff "$out/planted-include" "$out/ffi_diff-planted" -O0
    control "our header planted" "$out/ffi_diff-planted" io_uring_prep_nop "C differs from upstream and Rust"
    control "our header's cq_advance planted, ring sequences" "$out/ffi_diff-planted" sequences \
        "C differs from upstream and Rust"
    # Upstream's header planted (so its translation unit really is upstream's):
    # C and Rust must both differ from it.
    plant "$upinc" "$out/planted-upstream-include"
    "$cc" -std=gnu11 -D_GNU_SOURCE -O0 -Wall -Wextra -Wno-unused-parameter -I"$gen" \
        -I"$out/planted-upstream-include" -c "$gen/ref.c" -o "$out/up-planted.o"
    build_diff "$inc" "$out/ffi_diff-upstream-planted" -O0 "$out/up-planted.o"
    control "upstream's header planted" "$out/ffi_diff-upstream-planted" io_uring_prep_nop \
        "C and Rust differ from upstream"
else
    say "control: NOT RUN (FFI_DIFF_CONTROL=0)"
fi

"$out/ffi_diff" "$lib/liburing-ffi.so.2" "$out/required.txt" "$iters" "$seqs"
