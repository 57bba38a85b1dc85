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
#
#   erofs-utils.sh           (part of make test-dependents)
set -uo pipefail
say() { echo "erofs-utils: $*"; }
fail() { echo "FAIL test-dependents: erofs-utils: $*"; exit 1; }
# shellcheck source=capi-tests/dependents/lib.sh
source "$(dirname "$0")/lib.sh"

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

bad=0
for side in upstream ours; do
	b="$work/$side"
	rm -rf "$b"
	mkdir -p "$b"
	side_env "$side" "$b"
	(cd "$b" && "$src/configure" --enable-ublk --enable-werror --disable-fuse \
		--without-uuid --without-selinux --disable-lz4 --disable-lzma --without-zlib --without-libzstd \
		LDFLAGS="-Wl,-rpath,$libdir") >"$b/configure.log" 2>&1 ||
		fail "$side: configure failed ($b/configure.log)"
	grep -q '^#define HAVE_LIBURING_H 1' "$b/config.h" || fail "$side: configure did not find liburing.h ($b/config.log)"
	if ! make -C "$b" -j"$jobs" >"$b/build.log" 2>&1; then
		echo "erofs-utils: $side: the build failed: $(grep -m1 -E 'error' "$b/build.log")"
		[ $side = ours ] && bad=1
		continue
	fi
	grep -q 'backends/ublk' "$b/build.log" || fail "$side: ublk.c was not compiled (see $b/build.log)"
	say "$side: built with --enable-ublk --enable-werror against $incdir"
	# mount.erofs is the one program that links liburing (its ublk subtype).
	loaded=$(ldd "$b/mount/mount.erofs" | awk '$1 == "liburing.so.2" {print $3}')
	if [ "$(readlink -f "$loaded")" != "$(readlink -f "$libdir/liburing.so.2")" ]; then
		echo "erofs-utils: $side: mount.erofs loads liburing.so.2 from '$loaded', not from $libdir"
		bad=1
		continue
	fi
	# A small image made, checked and extracted by the built tools (they do
	# not use io_uring: this shows the build works, not the ublk path).
	mkdir -p "$b/tree/d"
	seq 1 20000 >"$b/tree/d/numbers"
	cp "$src/README" "$b/tree/"
	if "$b/mkfs/mkfs.erofs" "$b/img.erofs" "$b/tree" >"$b/run.log" 2>&1 &&
		"$b/fsck/fsck.erofs" --extract="$b/out" "$b/img.erofs" >>"$b/run.log" 2>&1 &&
		diff -r "$b/tree" "$b/out" >>"$b/run.log" 2>&1; then
		say "$side: mount.erofs links $loaded; mkfs.erofs and fsck.erofs --extract round trip identical"
	else
		echo "erofs-utils: $side: the image round trip failed ($b/run.log)"
		[ $side = ours ] && bad=1
	fi
done
[ $bad = 0 ] && say "erofs-utils $version: builds with -Werror and runs on ours as on upstream's"
exit $bad
