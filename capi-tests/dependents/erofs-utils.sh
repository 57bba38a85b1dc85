#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# erofs-utils from Debian's source package (sid): its ublk backend
# (lib/backends/ublk.c, the one file that includes liburing.h; it walks the
# CQ with io_uring_for_each_cqe) configured with --enable-ublk --enable-werror
# and built against upstream's 2.15 header and library and against ours;
# mount.erofs (the one program that links liburing) must load the side's
# library, and mkfs.erofs and fsck.erofs must round-trip a small tree.
# Not run: erofs-utils ships no test suite in its source (its tests live in
# another repository), and mount.erofs -t erofs.ublk needs the ublk_drv
# module, which this machine's kernel lacks (CONFIG_BLK_DEV_UBLK unset).
# Planted: our header with io_uring_queue_init_params given a first
# parameter more (a prototype that no longer matches ublk.c's calls) must fail
# the -Werror build of the ublk backend.
#
#   erofs-utils.sh           (part of make test-dependents)
#   erofs-utils.sh smoke     (part of make test-dependents-smoke) configure
#       once (--enable-ublk --enable-werror, its include directory a link),
#       then compile lib/backends/ublk.c alone with erofs-utils' own flags
#       (make's libtool object) against upstream's 2.15 header and ours: ours
#       must compile wherever upstream's does. Planted: our header without
#       io_uring_queue_init_params' declaration (which ublk.c calls) must
#       fail it.
set -uo pipefail
# shellcheck source=capi-tests/dependents/lib.sh
source "$(dirname "$0")/lib.sh"
driver erofs-utils "${1:-full}"

dependents_prepare
for p in autoconf automake libtool pkg-config; do
	dpkg -s "$p" >/dev/null 2>&1 || pkg_install "$p" || fail "$p is needed to build erofs-utils from its source"
done
src=$("$top/capi-tests/lib/debsrc.sh" erofs-utils) || fail "Debian's erofs-utils source could not be fetched"
version=$(cut -d' ' -f2 "$src/.complete")
work="$top/target/dependents/erofs-utils"
mkdir -p "$work"
if [ ! -x "$src/configure" ]; then
	(cd "$src" && ./autogen.sh) >"$work/autogen.log" 2>&1 || fail "autogen.sh failed ($work/autogen.log)"
fi

configure_erofs() { # BUILD-DIR [CPPFLAGS]
	(cd "$1" && "$src/configure" --enable-ublk --enable-werror --disable-fuse \
		--without-uuid --without-selinux --disable-lz4 --disable-lzma --without-zlib --without-libzstd \
		${2:+CPPFLAGS="$2"} LDFLAGS="-Wl,-rpath,$libdir") >"$1/configure.log" 2>&1
}

if [ "$mode" = smoke ]; then
	# One configured tree whose liburing include directory is a link
	# ($b/inc), pointed at each header in turn; ublk.c's object rebuilt.
	b="$work/smoke"
	if [ ! -f "$b/.configured" ] || [ "$(cat "$b/.configured")" != "$version" ]; then
		rm -rf "$b"
		mkdir -p "$b/pc"
		ln -sfn "$top/build/include" "$b/inc"
		printf 'Name: liburing\nDescription: smoke\nVersion: 2.15\nCflags: -I%s\nLibs: -L%s -luring\n' \
			"$b/inc" "$top/build/lib" >"$b/pc/liburing.pc"
		libdir="$top/build/lib"
		PKG_CONFIG_PATH="$b/pc" configure_erofs "$b" || fail "smoke: configure failed ($b/configure.log)"
		grep -q '^#define HAVE_LIBURING_H 1' "$b/config.h" || fail "smoke: configure did not find liburing.h ($b/config.log)"
		echo "$version" >"$b/.configured"
	fi
	tu=lib/backends/ublk.c
	obj=backends/liberofs_la-ublk.lo
	grep -q "^$obj:" "$b/lib/Makefile" || obj=backends/ublk.lo
	# shellcheck disable=SC2317 # called by smoke_headers and smoke_plant
	compile_tu() { # INCLUDE-DIR: ublk.c's libtool object with erofs-utils' flags (-Werror among them)
		ln -sfn "$1" "$b/inc"
		rm -f "$b/lib/${obj%.lo}".{lo,o} "$b/lib/backends/.libs/$(basename "${obj%.lo}")".o
		make -C "$b/lib" "$obj" >"$b/tu.log" 2>&1
	}
	grep -q -- '-Werror' "$b/lib/Makefile" || fail "smoke: erofs-utils' flags lack -Werror ($b/lib/Makefile)"
	smoke_setup compile_tu "$tu" "erofs-utils $version" "erofs-utils' flags"
	smoke_headers
	smoke_plant "$tu" "without io_uring_queue_init_params" liburing/liburing-api.h \
		's/^int io_uring_queue_init_params(/int io_uring_queue_init_params_planted(/'
	ln -sfn "$top/build/include" "$b/inc"
	smoke_end
fi

record_begin erofs-utils
record "package erofs-utils version=$version source=complete"
what="configure --enable-ublk --enable-werror; make (mkfs, fsck, dump, mount.erofs with the ublk backend)"
bad=0
for side in upstream ours; do
	b="$work/$side"
	rm -rf "$b"
	mkdir -p "$b"
	side_env "$side" "$b"
	configure_erofs "$b" || fail "$side: configure failed ($b/configure.log)"
	grep -q '^#define HAVE_LIBURING_H 1' "$b/config.h" || fail "$side: configure did not find liburing.h ($b/config.log)"
	if ! make -C "$b" -j"$jobs" >"$b/build.log" 2>&1; then
		echo "erofs-utils: $side: the build failed: $(grep -m1 -E 'error' "$b/build.log")"
		record "built $side FAIL $what"
		[ $side = ours ] && bad=1
		continue
	fi
	grep -q 'backends/ublk' "$b/build.log" || fail "$side: ublk.c was not compiled (see $b/build.log)"
	say "$side: built with --enable-ublk --enable-werror against $incdir"
	record "built $side ok $what"
	# mount.erofs is the one program that links liburing (its ublk subtype).
	loaded=$(ldd "$b/mount/mount.erofs" | awk '$1 == "liburing.so.2" {print $3}')
	if [ "$(readlink -f "$loaded")" != "$(readlink -f "$libdir/liburing.so.2")" ]; then
		echo "erofs-utils: $side: mount.erofs loads liburing.so.2 from '$loaded', not from $libdir"
		record "proof $side FAIL mount.erofs does not load the side's liburing.so.2"
		bad=1
		continue
	fi
	record "proof $side ok lib/backends/ublk.c compiled with -Werror; mount.erofs loads the side's liburing.so.2 (ldd); ublk_drv absent, not run"
	# A small image made, checked and extracted by the built tools (they do
	# not use io_uring: this shows the build works, not the ublk path).
	mkdir -p "$b/tree/d"
	seq 1 20000 >"$b/tree/d/numbers"
	cp "$src/README" "$b/tree/"
	if "$b/mkfs/mkfs.erofs" "$b/img.erofs" "$b/tree" >"$b/run.log" 2>&1 &&
		"$b/fsck/fsck.erofs" --extract="$b/out" "$b/img.erofs" >>"$b/run.log" 2>&1 &&
		diff -r "$b/tree" "$b/out" >>"$b/run.log" 2>&1; then
		say "$side: mount.erofs links $loaded; mkfs.erofs and fsck.erofs --extract round trip identical"
		record "suite $side mkfs-fsck-round-trip pass=1 fail=0 skip=0"
	else
		record "suite $side mkfs-fsck-round-trip pass=0 fail=1 skip=0"
		[ $side = upstream ] && up_failed=1
		echo "erofs-utils: $side: the image round trip failed ($b/run.log)"
		[ $side = ours ] && bad=1
	fi
done
worse=0
grep -q "^suite ours .* fail=0 " "$rec" || [ "${up_failed:-0}" = 1 ] || worse=1
record "worse $worse"

# Planted: ours with io_uring_queue_init_params declared with one parameter more
# than ublk.c passes; its backend's calls no longer match and -Werror's build
# must fail, or this check could not tell a header ublk.c does not build on.
b="$work/plant"
rm -rf "$b"
mkdir -p "$b"
side_env ours "$b"
cp -R "$incdir" "$b/include"
sed -i 's/^int io_uring_queue_init_params(unsigned int entries,/int io_uring_queue_init_params(int planted, unsigned int entries,/' \
	"$b/include/liburing/liburing-api.h"
if ! grep -q '(int planted, ' "$b/include/liburing/liburing-api.h"; then
	echo "erofs-utils: plant: io_uring_queue_init_params's prototype was not found in our header"
	record "plant FAIL the prototype to plant on was not found"
	bad=1
elif ! configure_erofs "$b" "-I$b/include"; then
	fail "plant: configure failed ($b/configure.log)"
elif make -C "$b" -j"$jobs" >"$b/build.log" 2>&1; then
	echo "erofs-utils: plant NOT caught: ublk.c built with io_uring_queue_init_params given one parameter more"
	record "plant FAIL ublk.c built on a header whose io_uring_queue_init_params takes one parameter more"
	bad=1
else
	say "PASS plant: the ublk backend fails to build on a header whose io_uring_queue_init_params changed ($(grep -m1 -oE 'error: [^[]*' "$b/build.log"))"
	record "plant PASS the -Werror build of ublk.c fails on a header whose io_uring_queue_init_params takes one parameter more"
fi
[ $worse = 0 ] || bad=1
[ $bad = 0 ] && say "erofs-utils $version: builds with -Werror and runs on ours as on upstream's; plant caught"
record_end
exit $bad
