#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# memcached from Debian's source package (sid). The archive here serves its
# tarballs and not its .dsc, so debsrc.sh --index-dsc rebuilds the .dsc from
# the signed Sources index and dpkg-source -x still checks the tarballs and
# applies Debian's patches.
#
# What of liburing memcached uses: its proxy's io_uring option
# (configure --enable-proxy-uring) includes liburing.h in proxy.h and embeds a
# struct io_uring in each proxy event thread, but memcached 1.6.45 calls no
# liburing function (proxy_network.c aborts with "io_uring not supported
# right now" when asked for it), and Debian's rules do not enable the option.
# So this builds memcached the way Debian does (--enable-proxy) plus
# --enable-proxy-uring, against upstream's 2.15 header and static library
# (the option links vendor/liburing/src/liburing.a, pointed at each side's)
# and against ours, runs its test suite (make test: sizes, testapp, prove
# t/, without t/proxy* and t/whitespace.t as debian/rules removes them) on
# both, and records that no liburing code is linked (nm).
# Planted: our header with struct io_uring left undefined (only declared)
# must fail the build, as proxy.h embeds one.
#
#   memcached.sh             (part of make test-dependents)
#   memcached.sh smoke       (part of make test-dependents-smoke) configure
#       a copy once (autoreconf; --enable-proxy --enable-proxy-uring;
#       vendor/liburing/src/include a link), then compile the translation
#       units that include liburing.h (through proxy.h: the proxy's 16
#       memcached-*.o) with memcached's own flags (-Wall -pedantic
#       -Wmissing-prototypes ...) plus -Werror against upstream's 2.15 header
#       and ours: ours must compile wherever upstream's does. -pedantic stays
#       a warning (-Wno-error=pedantic): upstream's own uapi header fails
#       memcached's --enable-werror (zero-size arrays, an enumerator past
#       int), so the check is that ours warns of nothing upstream's does not
#       (the warnings' texts, without their places, compared). Planted: our
#       header with struct io_uring declared and not defined must fail
#       proxy_network.c's (the one plant compile, to keep the smoke short).
set -uo pipefail
# shellcheck source=capi-tests/dependents/lib.sh
source "$(dirname "$0")/lib.sh"
driver memcached "${1:-full}"

dependents_prepare
for p in libevent-dev liblua5.4-dev pkg-config autoconf automake; do
	dpkg -s "$p" >/dev/null 2>&1 || pkg_install --no-recommends "$p" || fail "$p is needed to build memcached"
done
src=$("$top/capi-tests/lib/debsrc.sh" --index-dsc memcached) || fail "Debian's memcached source could not be fetched"
version=$(cut -d' ' -f2 "$src/.complete")
how=complete
grep -q dsc-from-index "$src/.complete" && how=dsc-from-index
work="$top/target/dependents/memcached"
mkdir -p "$work"

if [ "$mode" = smoke ]; then
	b="$work/smoke"
	if [ ! -f "$b/.configured" ] || [ "$(cat "$b/.configured")" != "$version" ]; then
		rm -rf "$b"
		mkdir -p "$b"
		cp -a "$src" "$b/tree"
		mkdir -p "$b/tree/vendor/liburing/src"
		ln -sfn "$top/build/include" "$b/tree/vendor/liburing/src/include"
		(cd "$b/tree" && autoreconf -fi && ./configure --enable-proxy --enable-proxy-uring) \
			>"$b/configure.log" 2>&1 || fail "smoke: configure failed ($b/configure.log)"
		grep -q '^#define HAVE_LIBURING 1' "$b/tree/config.h" || fail "smoke: configure did not define HAVE_LIBURING"
		echo "$version" >"$b/.configured"
	fi
	# The translation units that include proxy.h (which includes liburing.h
	# under HAVE_LIBURING), as memcached's objects.
	objs=$(cd "$b/tree" && grep -l '#include "proxy.h"' proxy*.c proto_proxy.c | sed 's/^/memcached-/; s/\.c$/.o/' | sort -u)
	[ -n "$objs" ] || fail "smoke: no translation unit includes proxy.h"
	n=$(echo "$objs" | wc -l)
	cflags=$(sed -n 's/^CFLAGS = //p' "$b/tree/Makefile")
	case $cflags in *-pedantic*) ;; *) fail "smoke: memcached's CFLAGS ($cflags) are not the ones this check expects" ;; esac
	# shellcheck disable=SC2317 # called by smoke_headers and smoke_plant
	compile_tus() { # INCLUDE-DIR [OBJECTS]: the objects; tu.warnings the warnings' texts
		local o=${2:-$objs}
		ln -sfn "$1" "$b/tree/vendor/liburing/src/include"
		# shellcheck disable=SC2086
		(cd "$b/tree" && rm -f $o)
		# shellcheck disable=SC2086
		make -C "$b/tree" -k -j"$jobs" CFLAGS="$cflags -Werror -Wno-error=pedantic" $o >"$b/tu.log" 2>&1
		local rc=$?
		# shellcheck disable=SC1112 # gcc quotes names in ‘ ’, dropped here
		grep -oE 'warning: .*' "$b/tu.log" | sed -E 's/‘[^’]*’//g' | sort -u >"$b/tu.warnings"
		return "$rc"
	}
	# ours may warn of nothing that upstream's does not
	# shellcheck disable=SC2317 # called by smoke_headers
	warnings() { # SIDE
		local more
		if [ "$1" = upstream ]; then
			mv "$b/tu.warnings" "$b/upstream.warnings"
			return
		fi
		more=$(comm -13 "$b/upstream.warnings" "$b/tu.warnings")
		[ -z "$more" ] || { echo "warns with our header where upstream's does not: $more"; return 1; }
		echo "; warnings: $(wc -l <"$b/tu.warnings") kinds, none that upstream's lacks"
	}
	smoke_setup compile_tus "the proxy (its $n translation units that include liburing.h)" "memcached $version" \
		"memcached's flags" warnings
	smoke_headers
	smoke_plant "the proxy" "without struct io_uring's definition" liburing/liburing-api.h \
		's/^struct io_uring {$/struct io_uring_planted {/' memcached-proxy_network.o
	ln -sfn "$top/build/include" "$b/tree/vendor/liburing/src/include"
	smoke_end
fi

record_begin memcached
record "package memcached version=$version source=$how"
grep -q 'io_uring not supported right now' "$src/proxy_network.c" ||
	say "note: proxy_network.c no longer refuses io_uring: this driver's account of memcached is out of date"

static_lib() { # SIDE: the side's liburing.a
	case $1 in
	ours) echo "$top/build/lib/liburing.a" ;;
	upstream) echo "$ref/src/liburing.a" ;;
	esac
}
# build_mc DIR INCLUDE-DIR STATIC-LIB: a copy of the tree, configured and built.
build_mc() {
	rm -rf "$1"
	mkdir -p "$1"
	cp -a "$src" "$1/tree"
	mkdir -p "$1/tree/vendor/liburing/src"
	ln -s "$2" "$1/tree/vendor/liburing/src/include"
	ln -s "$3" "$1/tree/vendor/liburing/src/liburing.a"
	# autoreconf, as Debian's dh does (its patches touch configure.ac).
	(cd "$1/tree" && autoreconf -fi && ./configure --enable-proxy --enable-proxy-uring) >"$1/configure.log" 2>&1 || return 99
	grep -q '^#define HAVE_LIBURING 1' "$1/tree/config.h" || return 99
	make -C "$1/tree" -j"$jobs" all >"$1/build.log" 2>&1
}
what="configure --enable-proxy --enable-proxy-uring (Debian's --enable-proxy plus the io_uring option); memcached and its test programs (memcached-debug, sizes, testapp, timedrun)"
bad=0
for side in upstream ours; do
	b="$work/$side"
	side_env "$side" "$work"
	[ -f "$(static_lib "$side")" ] || fail "$side: no static liburing ($(static_lib "$side"))"
	build_mc "$b" "$incdir" "$(static_lib "$side")"
	rc=$?
	[ $rc = 99 ] && fail "$side: configure failed or did not define HAVE_LIBURING ($b/configure.log)"
	if [ $rc != 0 ]; then
		echo "memcached: $side: the build failed: $(grep -m1 -E 'error' "$b/build.log")"
		record "built $side FAIL $what"
		record "suite $side make-test pass=0 fail=1 skip=0"
		continue
	fi
	grep -q 'proxy.h' "$b/tree/.deps/memcached-proxy_network.Po" 2>/dev/null ||
		say "$side: note: proxy_network.c's dependencies do not name proxy.h"
	record "built $side ok $what"
	n=$(nm "$b/tree/memcached" 2>/dev/null | grep -c ' io_uring_')
	record "proof $side none liburing.h compiled into the proxy (HAVE_LIBURING, a struct io_uring per proxy thread); $n liburing functions linked, none called: memcached $version has no io_uring code path"
	rm -f "$b/tree/t/whitespace.t" "$b/tree"/t/proxy*
	t0=$SECONDS
	make -C "$b/tree" test >"$b/test.log" 2>&1
	test_rc=$?
	# prove's totals: "Files=F, Tests=N"; "Failed M/N subtests" per failing
	# file; skipped test files ("skipped:").
	tests=$(grep -oE 'Tests=[0-9]+' "$b/test.log" | tail -1 | cut -d= -f2)
	nok=$(grep -oE 'Failed [0-9]+/[0-9]+ subtests' "$b/test.log" | awk '{split($2, a, "/"); n += a[1]} END {print n + 0}')
	skp=$(grep -cE 'skipped: ' "$b/test.log")
	record "suite $side make-test(testapp,prove-t) pass=$(( ${tests:-0} - nok )) fail=$((nok + (test_rc != 0 && nok == 0))) skip=$skp rc=$test_rc"
	say "$side: make test rc=$test_rc in $((SECONDS - t0)) s: tests=${tests:-?} failed=$nok skipped files=$skp"
	grep -E '^t/.*(Failed|Dubious)|^t/[^ ]+ +\(Wstat' "$b/test.log" | awk '{print $1}' | sort -u >"$b/failed.txt"
done
worse=0
if [ -f "$work/ours/failed.txt" ] && [ -f "$work/upstream/failed.txt" ]; then
	worse=$(comm -13 "$work/upstream/failed.txt" "$work/ours/failed.txt" | wc -l)
fi
# ours failing as a whole (rc) where upstream's passed is worse too
if [ "$worse" = 0 ] && ! grep -qE '^suite ours .* rc=0$' "$rec" && grep -qE '^suite upstream .* rc=0$' "$rec"; then
	worse=1
fi
record "worse $worse"
[ "$worse" = 0 ] || bad=1

# Planted: our header with struct io_uring declared and not defined; proxy.h
# embeds one, so the build must fail.
b="$work/plant"
rm -rf "$b"
mkdir -p "$b"
cp -R "$top/build/include" "$b/include"
sed -i 's/^struct io_uring {$/struct io_uring_planted {/' "$b/include/liburing/liburing-api.h"
if ! grep -q '^struct io_uring_planted {' "$b/include/liburing/liburing-api.h"; then
	echo "memcached: plant: struct io_uring's definition was not found in our header"
	record "plant FAIL struct io_uring's definition was not found in our header"
	bad=1
elif build_mc "$b/build" "$b/include" "$top/build/lib/liburing.a"; then
	echo "memcached: plant NOT caught: memcached built on a header without struct io_uring's definition"
	record "plant FAIL memcached built on a header without struct io_uring's definition"
	bad=1
else
	say "PASS plant: memcached's proxy does not build on a header without struct io_uring's definition ($(grep -m1 -oE 'error: [^[]*' "$b/build/build.log"))"
	record "plant PASS the proxy's build fails on a header that leaves struct io_uring undefined"
fi
[ $bad = 0 ] && say "memcached $version: builds with the io_uring option and its suite runs on ours as on upstream's (worse 0); plant caught"
record_end
exit $bad
