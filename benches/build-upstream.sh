#!/usr/bin/env bash
# Builds upstream liburing 2.15, library only, with its own ./configure and
# make, from the source package that capi-tests/fetch-upstream.sh unpacks, and
# installs headers and libraries into <dest>/inst (include/ and lib/).
#
# The build happens in a copy of the tree (<dest>/src), because upstream's
# configure writes its results into the source tree. Nothing here is committed.
#
# usage: benches/build-upstream.sh <dest>
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:?usage: build-upstream.sh <dest>}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
inst="$dest/inst"

tree=$("$top/capi-tests/fetch-upstream.sh")

rm -rf "$dest/src" "$inst"
cp -a "$tree" "$dest/src"
rm -f "$dest/src/.complete"
cd "$dest/src"
# Upstream's defaults (compiler flags, libc or not) are left alone: this is
# the library a user gets from `./configure && make`.
./configure --prefix="$inst" --libdir="$inst/lib" --libdevdir="$inst/lib" \
	--includedir="$inst/include" >"$dest/configure.log" 2>&1 ||
	{ cat "$dest/configure.log" >&2; echo "build-upstream: configure failed" >&2; exit 1; }
make -C src >"$dest/make.log" 2>&1 ||
	{ tail -30 "$dest/make.log" >&2; echo "build-upstream: make -C src failed" >&2; exit 1; }
make -C src install prefix="$inst" libdir="$inst/lib" libdevdir="$inst/lib" \
	includedir="$inst/include" >>"$dest/make.log" 2>&1 ||
	{ tail -30 "$dest/make.log" >&2; echo "build-upstream: install failed" >&2; exit 1; }
test -f "$inst/lib/liburing.so.2.15" && test -e "$inst/lib/liburing.so.2" &&
	test -f "$inst/include/liburing.h" ||
	{ echo "build-upstream: expected files missing under $inst" >&2; exit 1; }
echo "build-upstream: liburing 2.15 built from $tree into $inst" >&2
