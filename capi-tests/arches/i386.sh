#!/usr/bin/env bash
# i386.sh: our C test programs as 32-bit i386 programs, run natively on this
# x86_64 kernel (its compat system calls), against the library that cross.sh
# builds with Debian unstable's toolchain (build/i386/):
#   ours      our header (build/i386/include)        + our liburing.so.2
#   ffi       our header in FFI form (-DLIBURING_FFI) + our liburing-ffi.so.2
#   upstream  upstream 2.15's header, configured for i386 + our liburing.so.2
# and, as the reference in the same run, the "ours" and "upstream" programs
# again on upstream 2.15's own liburing.so.2 built for i386 by the same
# i686-linux-gnu-gcc (--use-libc, as test-capi-reference does on x86_64).
# The programs are built by mk/capi.mk's rules (CAPI_CC = sid's
# i686-linux-gnu-gcc) and run by capi-tests/capi/run-capi.sh inside the sid root,
# which has the i386 C library; the host needs no i386 package.
# The "ours" programs also run under the root's valgrind (memcheck, x86 tools).
# I386_FORMS="ours ffi" runs a subset.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

a=i386
failures=0
arch_prepare i386 "$a"
work="$top/target/arches/$a"
mkdir -p "$work"
cc=$(root_tool "$gnu-gcc" "$gnu-gcc")
libdir="$top/build/$a/lib"

# Upstream's own library built for i386 with --use-libc, for the reference
# runs (the "upstream" form's headers: mk/capi.mk, CAPI_UPSTREAM_FLAGS below;
# both capi-tests/lib/upstream-build.sh's, shared with the other scripts here).
ref=$(upstream_lib_for "$a" 1) || die "i386: building upstream's liburing for i386 failed (the upstream-build: lines above)"
say "upstream's own liburing.so.2 for i386: $(in_root "$gnu-readelf" -h "$ref/src/liburing.so.2.15" | awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}')"

# The program list is mk/capi.mk's CAPI_PROGS, the one list run-capi.sh is given.
read -ra capi_progs <<<"$(make -C "$top" -s --no-print-directory \
	--eval 'print-capi-progs: ; @echo $(CAPI_PROGS)' print-capi-progs)"
[ ${#capi_progs[@]} -gt 0 ] || die "i386: could not read CAPI_PROGS from mk/capi.mk"

# run NAME BINDIR LIBDIR [VAR=VALUE...]: run-capi.sh in the root; one result line.
run() {
	local name=$1 bindir=$2 lib=$3 log="$work/capi-${1//\//-}.log" t0=$SECONDS
	shift 3
	in_root LD_LIBRARY_PATH="$lib" "$@" bash "$top/capi-tests/capi/run-capi.sh" "$bindir" "$lib" "${capi_progs[@]}" >"$log" 2>&1
	local rc=$? last
	last=$(grep -E '^capi: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ $rc -eq 0 ] && [ -n "$last" ]; then
		pass "i386 $name: ${last#capi: } ($((SECONDS - t0)) s)"
	else
		grep -E '^(FAIL|not ok|.*FAIL)' "$log" | head -20 | sed 's/^/    /'
		fail "i386 $name: ${last:-no summary} (exit $rc; $log)"
	fi
}

for form in ${I386_FORMS:-ours ffi upstream}; do
	t0=$SECONDS
	extra=()
	[ "$form" != upstream ] || extra=(CAPI_UPSTREAM_FLAGS="--arch $a")
	if ! make -C "$top" --no-print-directory -s BUILD="build/$a" CC="$cc" CARGO=false \
		RUST_A="$top/target/arches/cargo/$rust/release/liburing.a" \
		CAPI_CC="$cc" CAPI_HEADERS="$form" "${extra[@]}" capi-build >"$work/build-$form.log" 2>&1; then
		tail -20 "$work/build-$form.log" | sed 's/^/    /'
		fail "i386 $form: the C tests do not build with $gnu-gcc"
		continue
	fi
	bindir="$top/build/$a/capi-tests/$form"
	say "i386 $form: the C tests built with $gnu-gcc in $((SECONDS - t0)) s"
	file -b "$bindir/setup" | grep 'ELF 32-bit LSB.*Intel 80386' >/dev/null ||
		{ fail "i386 $form: $bindir/setup is not an i386 program: $(file -b "$bindir/setup")"; continue; }
	run "$form/ours" "$bindir" "$libdir"
	# The reference: the same programs on upstream's own library (the
	# programs are linked with an rpath to ours: LD_LIBRARY_PATH wins).
	run "$form/upstream-lib" "$bindir" "$ref/src"
	# Memcheck on the 32-bit programs and our 32-bit library (run-capi.sh's
	# valgrind mode, as make test-capi-valgrind on x86_64).
	# I386_VALGRIND=0 leaves it out (make test's smoke run: make test-arches
	# runs it).
	[ "$form" != ours ] || [ "${I386_VALGRIND:-1}" = 0 ] || run "$form/ours/valgrind" "$bindir" "$libdir" CAPI_VALGRIND=1
done
[ "$failures" -eq 0 ]
