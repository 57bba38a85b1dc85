#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
#
# Checks include/liburing.h (as installed in build/include) against the
# reference liburing 2.15 and against real programs. Run after `make all`
# (`make test-header` does both). Parts:
#
#   smoke     capi-tests/header/smoke.c as C (gnu11, gnu11 + _GNU_SOURCE),
#             C++11 and C++20, each normal and with LIBURING_FFI, all with
#             -Wall -Wextra -Werror; the normal ones are linked against
#             build/lib/liburing.so and run, the FFI ones against
#             liburing-ffi.so once it exports the helpers (else compiled only).
#   sigcheck  every function of the reference liburing.h exists in ours with
#             exactly the same type and noexcept (C++17 static_asserts), and
#             its reference prototype redeclares cleanly after ours (C), in
#             both forms.
#   addrs     the address of every reference function is taken and the
#             program linked: liburing.so must provide every extern one (and
#             liburing-ffi.so every helper in the FFI form, when it exports
#             them).
#   (the differential comparisons of the helpers' behaviour, SQE bytes and
#   ring sequences, are make test-ffi-diff's: capi-tests/ffi/diff/)
#   examples  every upstream examples/*.c, -std=gnu11 -Wall -Wextra -Werror,
#             linked against liburing.so (FFI form: against liburing-ffi.so,
#             or compiled only).
#   tests     every upstream test/*.c and *.cc compiled (-c) with upstream's
#             own flags, in both forms.
#
# A program that fails to compile with our header is a failure only if it
# compiles with the reference header and the same flags; otherwise it is
# counted as "fails with the reference too" (e.g. warnings in the program
# itself, or libbpf headers missing).
#
# Environment: LIBURING_UPSTREAM_SRC (see capi-tests/fetch-upstream.sh),
# CC, CXX, JOBS (parallel compiles, default 2), HEADER_CORPUS=0 (skip the
# examples and tests part, for make check).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/capi-tests/header"
work="$top/build/header-check"
inc="$top/build/include"
lib="$top/build/lib"
CC=${CC:-cc}
CXX=${CXX:-c++}
JOBS=${JOBS:-2}

# ---------------------------------------------------------------------------
# One compile, run by xargs in parallel: __compile FORM KIND SRC OBJ
# Prints "ok", "same" (fails with the reference header too) or "FAIL".
if [ "${1:-}" = "__compile" ]; then
    form=$2 kind=$3 src=$4 obj=$5
    case $kind in
        example) flags=(-std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror) ;;
        test-c) flags=(-D_GNU_SOURCE -D__SANE_USERSPACE_TYPES__ -include "$REF_TREE/config-host.h"
                       -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64 -O2 -Wall -Wextra
                       -Wno-unused-parameter -Wno-sign-compare -DLIBURING_BUILD_TEST) ;;
        test-cc) flags=(-D_GNU_SOURCE -D__SANE_USERSPACE_TYPES__ -include "$REF_TREE/config-host.h"
                        -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64 -O2 -Wall -Wextra
                        -Wno-unused-parameter -Wno-sign-compare -std=c++11 -DLIBURING_BUILD_TEST) ;;
    esac
    compiler=$CC
    [ "$kind" = test-cc ] && compiler=$CXX
    [ "$form" = ffi ] && flags+=(-DLIBURING_FFI)
    log="$obj.log"
    # shellcheck disable=SC2086
    if $compiler "${flags[@]}" -I"$inc" $UAPI_FALLBACK -c "$src" -o "$obj" >"$log" 2>&1; then
        echo "ok $form $kind $src"
    elif $compiler "${flags[@]}" -I"$REF_TREE/src/include" -c "$src" -o "$obj.ref" >/dev/null 2>&1; then
        echo "FAIL $form $kind $src (log: $log)"
    elif [ "$kind" = example ] &&
        $compiler "${flags[@]}" -Wno-error -I"$inc" $UAPI_FALLBACK -c "$src" -o "$obj" >"$log" 2>&1 &&
        ! grep -q "^$inc/" "$log"; then
        # Warnings of the program's own, none from our headers: keep the
        # object so that the example is still linked.
        echo "same $form $kind $src (own warnings only; built without -Werror)"
    else
        echo "same $form $kind $src"
    fi
    exit 0
fi

# ---------------------------------------------------------------------------
pass=0
fail=0
note() { echo "check-header: $*"; }
ok() { pass=$((pass + 1)); echo "  ok   $*"; }
bad() { fail=$((fail + 1)); echo "  FAIL $*"; }

[ -f "$inc/liburing.h" ] || { note "build/include/liburing.h missing: run make all first"; exit 1; }
rm -rf "$work"
mkdir -p "$work"

# The reference: upstream's tree, configured (compat.h, io_uring_version.h,
# config-host.h) once for every user by capi-tests/lib/upstream-build.sh;
# only read here.
REF_TREE=$("$top/capi-tests/lib/upstream-build.sh" --configure-only) ||
    { note "upstream's tree could not be fetched and configured (the upstream-build: lines above)"; exit 1; }
ref_header="$REF_TREE/src/include/liburing.h"

# Until our own <liburing/io_uring.h> exists, borrow the reference uapi
# headers from a directory searched after ours.
UAPI_FALLBACK=
if [ ! -f "$inc/liburing/io_uring.h" ]; then
    mkdir -p "$work/uapi-fallback/liburing"
    cp -R "$REF_TREE/src/include/liburing/io_uring.h" "$REF_TREE/src/include/liburing/io_uring" \
        "$work/uapi-fallback/liburing/"
    UAPI_FALLBACK="-I$work/uapi-fallback"
    note "NOTE: build/include/liburing/io_uring.h missing; using upstream's uapi headers as a fallback"
fi
export REF_TREE UAPI_FALLBACK inc CC CXX

ffi_has_helpers=no
if nm -D --defined-only "$lib/liburing-ffi.so" 2>/dev/null | grep -w io_uring_prep_nop >/dev/null; then
    ffi_has_helpers=yes
fi
note "liburing-ffi.so exports the inline helpers: $ffi_has_helpers"
# The ffi form's link and run steps below need them: without them those parts
# do not run, and that is a failure, not a skip.
[ $ffi_has_helpers = yes ] || bad "liburing-ffi.so does not export the inline helpers: the ffi form is not linked or run"

rpath=(-L"$lib" -Wl,-rpath,"$lib")

# ---------------------------------------------------------------------------
echo "== smoke"
smoke="$here/smoke.c"
for form in normal ffi; do
    fflag=()
    [ $form = ffi ] && fflag=(-DLIBURING_FFI)
    for lang in gnu11 gnu11-gnu c++11 c++20; do
        case $lang in
            gnu11) cmd=("$CC" -std=gnu11 -Wall -Wextra -Werror) ;;
            gnu11-gnu) cmd=("$CC" -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror) ;;
            c++*) cmd=("$CXX" -x c++ -std="$lang" -Wall -Wextra -Werror) ;;
        esac
        exe="$work/smoke-$form-$lang"
        # shellcheck disable=SC2086
        if ! "${cmd[@]}" "${fflag[@]}" -I"$inc" $UAPI_FALLBACK -c "$smoke" -o "$exe.o" >"$exe.log" 2>&1; then
            bad "smoke $form $lang: compile (see $exe.log)"; continue
        fi
        if [ $form = ffi ] && [ $ffi_has_helpers = no ]; then
            ok "smoke $form $lang: compiled (not linked: liburing-ffi.so lacks the helpers)"; continue
        fi
        libname=-luring
        [ $form = ffi ] && libname=-luring-ffi
        if ! "${cmd[0]}" -o "$exe" "$exe.o" "${rpath[@]}" $libname >>"$exe.log" 2>&1; then
            bad "smoke $form $lang: link (see $exe.log)"; continue
        fi
        if "$exe" >>"$exe.log" 2>&1; then
            ok "smoke $form $lang: compiled, linked, ran"
        else
            bad "smoke $form $lang: run: $(tail -1 "$exe.log")"
        fi
    done
done

# ---------------------------------------------------------------------------
echo "== sigcheck, addrs"
echo '#include <liburing.h>' >"$work/ref.c"
"$CC" -std=gnu11 -D_GNU_SOURCE -I"$REF_TREE/src/include" -fsyntax-only \
    -aux-info "$work/ref.aux" "$work/ref.c" || { note "gcc -aux-info failed"; exit 1; }
gen() { python3 "$here/gen.py" "$@"; }
gen sigcheck "$work/ref.aux" "$ref_header" "$work/sigcheck.cc" || exit 1
gen redecl "$work/ref.aux" "$ref_header" "$work/redecl.c" || exit 1
gen addrs "$work/ref.aux" "$ref_header" "$work/addrs.c" "$top/liburing-ffi.map" || exit 1
nfuncs=$(grep -c static_assert "$work/sigcheck.cc")

for form in normal ffi; do
    fflag=()
    [ $form = ffi ] && fflag=(-DLIBURING_FFI)
    # shellcheck disable=SC2086
    if "$CXX" -std=c++17 -D_GNU_SOURCE -Wall -Werror "${fflag[@]}" -I"$inc" $UAPI_FALLBACK \
        -fsyntax-only "$work/sigcheck.cc" >"$work/sigcheck-$form.log" 2>&1; then
        ok "sigcheck $form: $nfuncs functions have liburing 2.15's exact C++ type, noexcept"
    else
        bad "sigcheck $form: $(grep -c 'static assertion failed' "$work/sigcheck-$form.log") differ (see $work/sigcheck-$form.log)"
    fi
    # shellcheck disable=SC2086
    if "$CC" -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror "${fflag[@]}" -I"$inc" $UAPI_FALLBACK \
        -fsyntax-only "$work/redecl.c" >"$work/redecl-$form.log" 2>&1; then
        ok "redecl $form: $nfuncs reference prototypes agree with ours in C"
    else
        bad "redecl $form: see $work/redecl-$form.log"
    fi
done

# addrs: normal form against liburing.so; FFI form against liburing-ffi.so.
for form in normal ffi; do
    fflag=() libname=-luring
    [ $form = ffi ] && fflag=(-DLIBURING_FFI) libname=-luring-ffi
    exe="$work/addrs-$form"
    # shellcheck disable=SC2086
    if ! "$CC" -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror "${fflag[@]}" -I"$inc" $UAPI_FALLBACK \
        -c "$work/addrs.c" -o "$exe.o" >"$exe.log" 2>&1; then
        bad "addrs $form: compile (see $exe.log)"; continue
    fi
    if [ $form = ffi ] && [ $ffi_has_helpers = no ]; then
        ok "addrs $form: compiled (not linked: liburing-ffi.so lacks the helpers)"; continue
    fi
    if "$CC" -o "$exe" "$exe.o" "${rpath[@]}" $libname >>"$exe.log" 2>&1 && "$exe" >>"$exe.log" 2>&1; then
        ok "addrs $form: $(tail -1 "$exe.log") through $libname"
    else
        bad "addrs $form: $(grep -m3 'undefined reference' "$exe.log" | sed 's/.*undefined/undefined/' | tr '\n' ' ')(see $exe.log)"
    fi
done

# ---------------------------------------------------------------------------
# HEADER_CORPUS=0 (make check's quick form) stops here: the parts above are the
# differential ones; compiling upstream's whole corpus is left to test-header.
if [ "${HEADER_CORPUS:-1}" = 0 ]; then
    note "NOT RUN: examples and tests (upstream's examples/*.c and test/*.c with our header), HEADER_CORPUS=0; make test-header runs them"
    echo "check-header: $pass passed, $fail failed (without examples and tests)"
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
fi

# ---------------------------------------------------------------------------
# Examples and tests: compile in parallel, then link the examples.
echo "== examples and tests"
mkdir -p "$work/ex-normal" "$work/ex-ffi" "$work/t-normal" "$work/t-ffi"
{
    for form in normal ffi; do
        for f in "$REF_TREE"/examples/*.c; do
            echo "$form example $f $work/ex-$form/$(basename "$f" .c).o"
        done
        for f in "$REF_TREE"/test/*.c; do
            echo "$form test-c $f $work/t-$form/$(basename "$f" .c).o"
        done
        for f in "$REF_TREE"/test/*.cc; do
            [ -e "$f" ] && echo "$form test-cc $f $work/t-$form/$(basename "$f" .cc).o"
        done
    done
} | xargs -P "$JOBS" -L 1 "$0" __compile >"$work/compile.txt"

for form in normal ffi; do
    for kind in example test; do
        n_ok=$(grep -c "^ok $form $kind" "$work/compile.txt")
        n_same=$(grep -c "^same $form $kind" "$work/compile.txt")
        n_fail=$(grep -c "^FAIL $form $kind" "$work/compile.txt")
        line="$kind $form: $n_ok compile, $n_same fail with the reference header too, $n_fail fail only with ours"
        if [ "$n_fail" -eq 0 ]; then ok "$line"; else bad "$line"; grep "^FAIL $form $kind" "$work/compile.txt" | sed 's/^/       /'; fi
        if [ "$n_same" -gt 0 ]; then
            grep "^same $form $kind" "$work/compile.txt" | awk '{print $4}' | xargs -n1 basename | tr '\n' ' ' | sed 's/^/       same: /'
            echo
        fi
    done
done

# Link the examples (helpers.o is linked into each, as upstream does).
for form in normal ffi; do
    dir="$work/ex-$form"
    if [ $form = ffi ] && [ $ffi_has_helpers = no ]; then
        note "examples ffi: not linked, liburing-ffi.so lacks the helpers"; continue
    fi
    libname=-luring
    [ $form = ffi ] && libname=-luring-ffi
    [ -f "$dir/helpers.o" ] || { bad "examples $form: helpers.o missing"; continue; }
    linked=0 failed_link=""
    for o in "$dir"/*.o; do
        b=$(basename "$o" .o)
        [ "$b" = helpers ] && continue
        if "$CC" -o "$dir/$b" "$o" "$dir/helpers.o" "${rpath[@]}" $libname -lpthread >"$dir/$b.link.log" 2>&1; then
            linked=$((linked + 1))
        else
            failed_link="$failed_link $b"
        fi
    done
    if [ -z "$failed_link" ]; then ok "examples $form: $linked linked against $libname"; else bad "examples $form: link failed:$failed_link"; fi
done

echo "check-header: $pass passed, $fail failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
