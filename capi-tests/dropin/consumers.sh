#!/usr/bin/env bash
# Consumers: out-of-tree programs built against a DESTDIR install of ours,
# finding it only through its pkg-config files (PKG_CONFIG_SYSROOT_DIR and
# PKG_CONFIG_LIBDIR point into the DESTDIR):
#   shared  cc ... $(pkg-config --cflags --libs liburing)
#   static  cc -static ... $(pkg-config --static --cflags --libs liburing)
#   ffi     LIBURING_FFI defined before <liburing.h>, pkg-config liburing-ffi
#   cmake   pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing)
# Each program does real io_uring work and checks it (consumer/uring_consumer.c),
# reports which liburing it has mapped (it must be the installed one), and
# every io_uring system call it makes must come from our code (strace -k).
set -euo pipefail
# shellcheck source=capi-tests/dropin/lib.sh
source "$(dirname "$0")/lib.sh"
need_built_lib
src="$top/capi-tests/dropin/consumer"

if [ ! -f "$top/include/liburing.h" ]; then
	die "consumers: include/liburing.h is missing; nothing to build against"
fi
need_cmd pkg-config pkg-config || die "consumers: pkg-config is needed and could not be installed"
need_cmd strace strace || die "consumers: strace is needed and could not be installed"
strace_has_stacks || die "consumers: this strace cannot unwind stacks (-k)"
make_work consumers
failures=0

prefix=/usr/local
root="$work/root"
make -C "$top" --no-print-directory -s install PREFIX="$prefix" DESTDIR="$root" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; die "consumers: make install failed"; }
instlib="$root$prefix/lib"
export PKG_CONFIG_SYSROOT_DIR="$root"
export PKG_CONFIG_LIBDIR="$instlib/pkgconfig"
export PKG_CONFIG_PATH="$instlib/pkgconfig"
CFLAGS_COMMON="-std=gnu11 -O2 -Wall -Wextra -Werror"

# run_consumer NAME BINARY EXPECT_MAPPED CODE_FILE [ENV...]
# EXPECT_MAPPED: the liburing file the process must have mapped ("none" for a
# static build); CODE_FILE: where its io_uring system calls must come from.
run_consumer() {
	local name=$1 bin=$2 expect=$3 code=$4
	shift 4
	local rc=0
	mkdir -p "$work/$name.trace"
	env "$@" strace -qq -ff -k -o "$work/$name.trace/st" -e trace=io_uring_setup,io_uring_enter \
		"$bin" "$work/$name.scratch" >"$work/$name.out" 2>&1 || rc=$?
	sed 's/^/    /' "$work/$name.out"
	if [ $rc -ne 0 ]; then
		fail "consumer $name: the program failed ($rc)"
		return
	fi
	local mapped
	mapped=$(sed -n 's/^mapped: //p' "$work/$name.out")
	if [ "$mapped" != "$expect" ]; then
		fail "consumer $name: mapped '$mapped', expected '$expect'"
		return
	fi
	if ! grep -qx 'liburing 2.15' "$work/$name.out"; then
		fail "consumer $name: io_uring_major/minor_version did not say 2.15"
		return
	fi
	if ! check_uring_stacks "$name" "$work/$name.trace/st" "$code"; then
		fail "consumer $name: io_uring system calls not (all) from $code"
		return
	fi
	local on
	on="on $(basename "$expect")"
	[ "$expect" = none ] && on="statically linked, no liburing.so mapped"
	pass "consumer $name: built via pkg-config from the DESTDIR install, ran $on, data verified"
}

# 1. Shared, plain pkg-config.
flags=$(pkg-config --cflags --libs liburing)
echo "dropin: pkg-config --cflags --libs liburing: $flags"
case $flags in *"$root"*) ;; *) fail "consumer shared: pkg-config flags do not point into the DESTDIR" ;; esac
# shellcheck disable=SC2086
if cc $CFLAGS_COMMON "$src/uring_consumer.c" -o "$work/shared" $flags 2>"$work/shared.cc"; then
	run_consumer shared "$work/shared" "$instlib/liburing.so.2.15" "$instlib/liburing.so.2.15" \
		LD_LIBRARY_PATH="$instlib"
else
	cat "$work/shared.cc"
	fail "consumer shared: does not compile/link"
fi

# 2. Static: pkg-config --static, a fully static executable. Our code must be
#    inside it (Rust symbols of the `uring` crate) and nothing loaded at run time.
flags=$(pkg-config --static --cflags --libs liburing)
echo "dropin: pkg-config --static --cflags --libs liburing: $flags"
# shellcheck disable=SC2086
if cc -static $CFLAGS_COMMON "$src/uring_consumer.c" -o "$work/static" $flags 2>"$work/static.cc"; then
	if readelf -d "$work/static" | grep NEEDED >/dev/null; then
		fail "consumer static: the executable still needs shared libraries"
	elif ! nm "$work/static" | grep ' _ZN5uring' >/dev/null; then
		fail "consumer static: our Rust code is not in the executable"
	else
		run_consumer static "$work/static" none "$work/static"
	fi
else
	cat "$work/static.cc"
	fail "consumer static: does not compile/link"
fi

# 3. FFI form: LIBURING_FFI before the header; the helpers must then be
#    imports resolved by liburing-ffi.so.2.
if ! grep -rq 'LIBURING_FFI' "$top/include"; then
	fail "consumer ffi: include/ has no LIBURING_FFI form"
else
	flags=$(pkg-config --cflags --libs liburing-ffi)
	echo "dropin: pkg-config --cflags --libs liburing-ffi: $flags"
	# shellcheck disable=SC2086
	if cc $CFLAGS_COMMON -I"$src" "$src/ffi_consumer.c" -o "$work/ffi" $flags 2>"$work/ffi.cc"; then
		helpers=$(nm -D --undefined-only "$work/ffi" | grep -cE ' io_uring_(prep_write|prep_readv|get_sqe|wait_cqe|cqe_seen|sqe_set_data64)@' || true)
		if readelf -d "$work/ffi" | grep 'NEEDED.*\[liburing\.so' >/dev/null; then
			fail "consumer ffi: links liburing.so, not liburing-ffi.so"
		elif [ "$helpers" -lt 6 ]; then
			fail "consumer ffi: only $helpers of 6 inline helpers became imports; LIBURING_FFI had no effect"
		else
			run_consumer ffi "$work/ffi" "$instlib/liburing-ffi.so.2.15" "$instlib/liburing-ffi.so.2.15" \
				LD_LIBRARY_PATH="$instlib"
		fi
	else
		cat "$work/ffi.cc"
		missing=$(sed -n "s/.*undefined reference to \`\([^']*\)'.*/\1/p" "$work/ffi.cc" | sort -u | tr '\n' ' ')
		if [ -n "$missing" ]; then
			fail "consumer ffi: the header's FFI form needs symbols liburing-ffi.so does not export: $missing"
		else
			fail "consumer ffi: does not compile/link against liburing-ffi"
		fi
	fi
fi

# 4. CMake with pkg_check_modules. CMake puts the library's directory in the
#    build RPATH, so this one runs with no environment variable at all.
if need_cmd cmake cmake; then
	if cmake -S "$src" -B "$work/cmake" -DCMAKE_C_FLAGS="$CFLAGS_COMMON" >"$work/cmake.log" 2>&1 &&
		cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1; then
		grep 'liburing 2.15' "$work/cmake.log" | sed 's/^/    /'
		run_consumer cmake "$work/cmake/uring_consumer" "$instlib/liburing.so.2.15" "$instlib/liburing.so.2.15"
	else
		cat "$work/cmake.log"
		fail "consumer cmake: configure/build failed"
	fi
else
	fail "consumer cmake: cmake could not be installed"
fi
[ "$failures" -eq 0 ]
