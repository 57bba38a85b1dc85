#!/usr/bin/env bash
# Builds upstream liburing 2.15's runnable examples against our headers, in the
# normal form (inline helpers, -luring) and in the FFI form (-DLIBURING_FFI,
# -luring-ffi), and runs each one with an input whose result can be checked:
#   io_uring-cp, link-cp, ucontext-cp   copy a file; the copy must equal it
#   kdigest                             a digest that must equal sha256sum's
#                                       (built only where the kernel lacks AF_ALG hashing)
#   io_uring-test, io_uring-close-test  read a file; must exit 0
#   echo-server                         echoes what a client sends, checked
#   reg-wait                            must exit 0 (or 77-like skip message)
#   poll-bench, rsrc-update-bench       10 s loops; must exit 0
# Prints "examples: N passed, N failed, N skipped" (a skip names the kernel
# feature that is missing, or EXAMPLES_QUICK=1; it is never counted as passed).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
up=$("$top/capi-tests/fetch-upstream.sh") || exit 1
inc="$top/build/include"
lib="$top/build/lib"
work="$top/target/examples"
rm -rf "$work"; mkdir -p "$work"
pass=0; fail=0; nskip=0
ok()  { echo "  ok   $*"; pass=$((pass + 1)); }
bad() { echo "  FAIL $*"; fail=$((fail + 1)); }

[ -f "$inc/liburing.h" ] || { echo "examples: build/include/liburing.h missing: run make first"; exit 1; }

head -c $((5 * 1024 * 1024 + 4321)) /dev/urandom > "$work/input"
# ucontext-cp sleeps a second between 1 KiB blocks: give it a small file.
head -c 3000 /dev/urandom > "$work/small"
export LD_LIBRARY_PATH="$lib"

build() { # form name -> binary path, or empty
    local form=$1 name=$2 exe="$work/$1/$2" flags="" libs="-luring"
    mkdir -p "$work/$form"
    if [ "$form" = ffi ]; then flags="-DLIBURING_FFI"; libs="-luring-ffi"; fi
    local extra=""
    grep -q 'helpers.h' "$up/examples/$name.c" && extra="$up/examples/helpers.c"
    # -I examples/ for helpers.h; our headers come first.
    if cc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -O2 $flags -I"$inc" -I"$up/examples" \
        -o "$exe" "$up/examples/$name.c" $extra -L"$lib" $libs -lpthread > "$exe.build.log" 2>&1; then
        echo "$exe"
    else
        # (a subshell: counted from $work/build-failures at the end)
        echo "  FAIL $form $name: build failed: $(head -3 "$exe.build.log" | tr '\n' ' ')" >&2
        echo "$form $name" >> "$work/build-failures"
    fi
}

uses_ffi() { # exe -> true if it imports a helper from liburing-ffi
    nm -D --undefined-only "$1" | grep -q 'io_uring_prep_\|io_uring_get_sqe\|io_uring_wait_cqe'
}

for form in normal ffi; do
    echo "== examples, $form form"
    for cp in io_uring-cp link-cp ucontext-cp; do
        exe=$(build $form $cp) || true
        [ -n "$exe" ] || continue
        rm -f "$work/out"
        src="$work/input"; [ $cp = ucontext-cp ] && src="$work/small"
        if timeout 60 "$exe" "$src" "$work/out" > "$exe.out" 2>&1 && cmp -s "$src" "$work/out"; then
            ok "$form $cp: copied $(stat -c %s "$work/out") bytes, identical"
        else
            bad "$form $cp: copy failed or differs ($(tail -1 "$exe.out"))"
        fi
        if [ $form = ffi ] && ! uses_ffi "$exe"; then bad "$form $cp: helpers were inlined, not taken from liburing-ffi"; fi
    done

    exe=$(build $form kdigest) || true
    if [ -n "$exe" ]; then
        want=$(sha256sum "$work/input" | cut -d' ' -f1)
        got=$(timeout 60 "$exe" sha256 "$work/input" 2>"$exe.err" | tr -d ' \n' | tr 'A-F' 'a-f')
        if [ "$got" = "$want" ]; then ok "$form kdigest: sha256 equals sha256sum's"
        elif grep -qi 'AF_ALG support not available' "$exe.err"; then
            echo "  SKIP $form kdigest: AF_ALG sha256 unavailable in this kernel ($(head -1 "$exe.err")), built only"
            nskip=$((nskip + 1))
        else bad "$form kdigest: got '$got' want '$want' ($(head -1 "$exe.err"))"; fi
    fi

    for t in io_uring-test io_uring-close-test; do
        exe=$(build $form $t) || true
        [ -n "$exe" ] || continue
        if timeout 60 "$exe" "$work/input" > "$exe.out" 2>&1; then ok "$form $t: exit 0 ($(tail -1 "$exe.out"))"
        else bad "$form $t: exit $? ($(tail -1 "$exe.out"))"; fi
    done

    exe=$(build $form reg-wait) || true
    if [ -n "$exe" ]; then
        timeout 60 "$exe" > "$exe.out" 2>&1; rc=$?
        if [ $rc -eq 0 ]; then ok "$form reg-wait: exit 0"
        else bad "$form reg-wait: exit $rc ($(tail -1 "$exe.out"))"; fi
    fi

    exe=$(build $form echo-server) || true
    if [ -n "$exe" ]; then
        port=$((20000 + RANDOM % 20000))
        "$exe" $port > "$exe.out" 2>&1 & srv=$!
        sleep 0.5
        if python3 - "$port" <<'PY'
import socket, sys, os
port = int(sys.argv[1])
for attempt in range(3):
    msgs = [os.urandom(n) for n in (1, 100, 4000, 65000)]
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    for m in msgs:
        s.sendall(m)
        got = b""
        while len(got) < len(m):
            chunk = s.recv(len(m) - len(got))
            if not chunk:
                sys.exit(1)
            got += chunk
        if got != m:
            sys.exit(1)
    s.close()
PY
        then ok "$form echo-server: 3 clients x 4 messages echoed byte for byte"
        else bad "$form echo-server: echo mismatch or no connection ($(tail -1 "$exe.out"))"; fi
        kill $srv 2>/dev/null; wait $srv 2>/dev/null
    fi

    if [ "${EXAMPLES_QUICK:-0}" = 1 ]; then
        echo "  SKIP $form poll-bench, rsrc-update-bench: EXAMPLES_QUICK=1"; nskip=$((nskip + 2))
    else
        for b in poll-bench rsrc-update-bench; do
            exe=$(build $form $b) || true
            [ -n "$exe" ] || continue
            if timeout 30 "$exe" > "$exe.out" 2>&1; then ok "$form $b: $(tail -1 "$exe.out")"
            else bad "$form $b: exit $? ($(tail -1 "$exe.out"))"; fi
        done
    fi
done
[ ! -f "$work/build-failures" ] || fail=$((fail + $(wc -l < "$work/build-failures")))
echo "examples: $pass passed, $fail failed, $nskip skipped"
[ $fail -eq 0 ]
