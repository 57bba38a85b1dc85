#!/usr/bin/env bash
# static.sh ARCH...: the per-architecture checks that need no emulation, for
# the library that cross.sh builds with Debian unstable's toolchain:
#  1. symbols: build/ARCH/lib/liburing.so.2 and liburing-ffi.so.2 export
#     exactly upstream 2.15's names and versions (83 and 222, read from
#     upstream's version scripts; liburing-ffi.so.2 plus the one documented
#     extra of capi-tests/abi/ffi-extra.symbols), with the right SONAMEs
#     (capi-tests/abi/check-symbols.sh, with ARCH's nm and readelf);
#  2. layout: every public struct and member, sizeof/alignof/offsetof, of
#     upstream 2.15's header against ours, both compiled by ARCH's gcc
#     (capi-tests/abi/layout.py; the values are read back from an object
#     file, so nothing runs). Upstream's tree is configured for ARCH in the
#     root first (its generated compat.h is ARCH's; capi-tests/lib/upstream-build.sh
#     --arch ARCH --configure-only).
# The Rust side of each layout is checked at compile time for ARCH
# (assert_layout!, by_width in src/sys/mod.rs): a wrong value stops cross.sh.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- $ROOT_ARCHES
failures=0
up=$("$top/capi-tests/fetch-upstream.sh") || die "static: no upstream tree"
for a in "$@"; do arch_info "$a" || die "static: unknown architecture $a"; done
need_root "$@"
# One cargo run for every architecture (cross.sh).
"$top/capi-tests/arches/cross.sh" "$@" || die "static: the library does not build for every one of: $*"

for a in "$@"; do
	arch_info "$a"
	t0=$SECONDS
	work="$top/target/arches/$a"
	mkdir -p "$work"

	# 1. Symbols.
	nm=$(root_tool "$gnu-nm" "$gnu-nm")
	readelf=$(root_tool "$gnu-readelf" "$gnu-readelf")
	if NM=$nm READELF=$readelf LIBDIR="$top/build/$a/lib" "$top/capi-tests/abi/check-symbols.sh" >"$work/symbols.log" 2>&1; then
		pass "$a: symbols: $(grep -E '^liburing(-ffi)?\.so: ' "$work/symbols.log" | sed 's/, 0 extra//' | tr '\n' ';' | sed 's/;$//; s/;/; /')"
	else
		sed 's/^/    /' "$work/symbols.log" | tail -30
		fail "$a: symbols differ from upstream's"
	fi

	# 2. Layout, against upstream's header configured for this architecture.
	# (capi-tests/lib/upstream-build.sh, shared with the other scripts here)
	if ! cfg=$("$top/capi-tests/lib/upstream-build.sh" --arch "$a" --configure-only); then
		fail "$a: upstream's configure --cc=$gnu-gcc failed (the upstream-build: lines above)"
		continue
	fi
	facts=(--facts "${ABI_FACTS:-/work/shared/abi}/liburing-2.15.layout")
	# The facts' sizes are x86_64's: on a 32-bit target only their names count.
	[ "$(in_root "$gnu-gcc" -dM -E -x c /dev/null | awk '$2 == "__SIZEOF_POINTER__" {print $3}')" = 8 ] ||
		facts+=(--facts-names-only)
	if CC=$(root_tool "$gnu-gcc" "$gnu-gcc") OBJCOPY=$(root_tool "$gnu-objcopy" "$gnu-objcopy") \
		python3 "$top/capi-tests/abi/layout.py" --upstream-inc "$cfg/src/include" \
		--our-inc "$top/build/$a/include" "${facts[@]}" --work "$work/layout" >"$work/layout.log" 2>&1; then
		pass "$a: $(tail -1 "$work/layout.log") ($gnu-gcc; $(grep -c . "$work/layout/upstream.c") lines of values)"
	else
		sed 's/^/    /' "$work/layout.log" | tail -30
		fail "$a: layout differs from upstream's header"
	fi

	# 3. Planted regressions: each check must fail on a copy that is wrong
	#    for this architecture only where it can be.
	plant="$work/planted"
	rm -rf "$plant"
	mkdir -p "$plant/lib"
	# A liburing-ffi.so.2 that is really liburing.so.2: 139 names missing.
	cp "$top/build/$a/lib/liburing.so.2.15" "$plant/lib/liburing.so.2.15"
	cp "$top/build/$a/lib/liburing.so.2.15" "$plant/lib/liburing-ffi.so.2.15"
	ln -s liburing.so.2.15 "$plant/lib/liburing.so.2"
	ln -s liburing.so.2 "$plant/lib/liburing.so"
	ln -s liburing-ffi.so.2.15 "$plant/lib/liburing-ffi.so.2"
	ln -s liburing-ffi.so.2 "$plant/lib/liburing-ffi.so"
	if NM=$nm READELF=$readelf LIBDIR="$plant/lib" "$top/capi-tests/abi/check-symbols.sh" >"$plant/symbols.log" 2>&1; then
		fail "$a: planted: the symbol check passed a liburing-ffi.so.2 that is liburing.so.2"
	else
		pass "$a: planted: the symbol check fails on a wrong liburing-ffi.so.2 ($(grep -m1 '^liburing-ffi.so: ' "$plant/symbols.log"))"
	fi
	# io_uring_sq.ring_sz of a type as wide as size_t on the other pointer
	# width only: a difference that only this architecture's gcc can see.
	cp -a "$top/build/$a/include" "$plant/include"
	if [ "${facts[*]}" = "${facts[*]/--facts-names-only/}" ]; then wrong="unsigned int"; else wrong="unsigned long long"; fi
	sed -i "0,/size_t ring_sz;/s//$wrong ring_sz;/" "$plant/include/liburing/liburing-api.h"
	if CC=$(root_tool "$gnu-gcc" "$gnu-gcc") OBJCOPY=$(root_tool "$gnu-objcopy" "$gnu-objcopy") \
		python3 "$top/capi-tests/abi/layout.py" --upstream-inc "$cfg/src/include" \
		--our-inc "$plant/include" "${facts[@]}" --work "$plant/layout" >"$plant/layout.log" 2>&1; then
		fail "$a: planted: the layout check passed io_uring_sq.ring_sz as $wrong"
	else
		pass "$a: planted: the layout check fails on io_uring_sq.ring_sz as $wrong ($(grep -m1 'different' "$plant/layout.log" | sed 's/^layout: //'))"
	fi
	say "$a: static checks in $((SECONDS - t0)) s"
done
[ "$failures" -eq 0 ]
