#!/usr/bin/env bash
# upstream-i386.sh: upstream liburing 2.15's own test suite as 32-bit i386
# programs on this x86_64 kernel (its compat system calls), run and judged by
# capi-tests/upstream/run.sh itself, inside the sid root (which has the i386
# C library), in its abi mode:
#   abi        upstream's tests compiled against upstream's headers, configured
#              for i386 (configure --cc=i686-linux-gnu-gcc
#              --cxx=i686-linux-gnu-g++: capi-tests/lib/upstream-build.sh
#              --arch i386), linked against and run on our i386
#              liburing.so.2 (build/i386/lib, cross.sh)
#   reference  the same binaries on upstream's own liburing.so.2, built for
#              i386 by upstream's Makefile with the same compiler, in the same
#              run
# The judge, its expectations (capi-tests/upstream/expectations.txt) and its
# re-checks are run.sh's, unchanged: a test that ends worse with ours than
# expected is re-run, and accepted only when upstream's own i386 build ends
# the same way here. Worse must be 0.
#   UPSTREAM_I386_TESTS="nop.t ..."  a subset; TIMEOUT (60) as run.sh's
# Results: target/arches/i386/upstream-tests/{abi,reference}/results.txt
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

a=i386
arch_prepare upstream-i386 "$a"
work="$top/target/arches/$a"
out="$work/upstream-tests"
mkdir -p "$out"
# The upstream source as seen from inside the root (only this tree is
# bind-mounted there): a copy under target/ when it lives elsewhere.
case "$up/" in
"$top"/*) src=$up ;;
*)
	src="$work/upstream-src"
	if [ ! -f "$src/.copied" ] || [ "$(cat "$src/.copied")" != "$up" ]; then
		rm -rf "$src"
		cp -a "$up" "$src"
		echo "$up" >"$src/.copied"
	fi
	;;
esac

# The judge's own planted regressions first, as make test-upstream runs them.
"$top/capi-tests/upstream/judge-control.sh" >"$work/judge-control.log" 2>&1 || {
	tail -5 "$work/judge-control.log"
	die "upstream-i386: the judge missed one of its planted regressions (capi-tests/upstream/judge-control.sh)"
}
t0=$SECONDS
# /dev and /sys of the host in the root (in_root's private mount namespace),
# as the suite has them when it runs on the host.
# Upstream's tree for i386 is capi-tests/lib/upstream-build.sh --arch i386's,
# the one the other scripts here use (ARCHES_ROOT=/: run.sh already runs in
# the root, so upstream-build.sh configures and builds right there).
in_root --dev LIBURING_UPSTREAM_SRC="$src" UPSTREAM_TESTS_OUT="$out" \
	UPSTREAM_BUILD_FLAGS="--arch $a" ARCHES_ROOT=/ CC="$gnu-gcc" CXX="$gnu-g++" \
	OUR_LIBDIR="$top/build/$a/lib" OUR_INCLUDE="$top/build/$a/include" \
	MODES=abi TESTS="${UPSTREAM_I386_TESTS:-}" JOBS=2 TIMEOUT="${TIMEOUT:-60}" \
	bash "$top/capi-tests/upstream/run.sh" 2>&1 | tee "$work/upstream-tests.log"
rc=${PIPESTATUS[0]}
# The binaries really are i386 programs.
probe=$(find "$out/abi/test" -name 'nop.t' -type f 2>/dev/null | head -1)
if [ -z "$probe" ] || ! file -b "$probe" | grep -q 'ELF 32-bit LSB.*Intel 80386'; then
	fail "upstream-i386: $out/abi/test/nop.t is not an i386 program: $( [ -n "$probe" ] && file -b "$probe")"
	rc=1
fi
summary=$(grep -E '^(abi|reference) ' "$work/upstream-tests.log" | tail -2 | tr -s ' ' | tr '\n' ';')
if [ "$rc" -eq 0 ]; then
	pass "i386 upstream suite (abi mode on our library; reference: upstream's own i386 library) in $((SECONDS - t0)) s: $summary"
else
	fail "i386 upstream suite: worse than upstream's own i386 library, or could not run (exit $rc; $work/upstream-tests.log): $summary"
fi
[ "$rc" -eq 0 ]
