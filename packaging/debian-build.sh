#!/usr/bin/env bash
# The Debian source package and its binary packages, as a distribution builds
# them: packaging/debian/ on top of the orig tarball (make dist), built by
# dpkg-buildpackage in the Debian unstable root (capi-tests/arches/root.sh)
# with the Build-Depends installed there from the archive, then lintian on
# the result.
#
#   packaging/debian-build.sh dist          only build/dist/<source>_<upstream>.orig.tar.xz
#   packaging/debian-build.sh build [DIR]   source + binary packages into DIR
#                                           (default target/debian/build); the
#                                           .debs are copied to build/deb/
#
# DEB_BUILD_OPTIONS is passed through (nocheck, parallel=N). The orig tarball
# is `git archive` of the working tree's tracked files (git stash create, so
# uncommitted edits are in it) with every file dated at the top
# debian/changelog entry, so one tree gives one tarball.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=capi-tests/arches/lib.sh
source "$here/../capi-tests/arches/lib.sh"
cd "$top"
say() { echo "debian: $*" >&2; }
die() { say "$*"; exit 1; }

changelog=packaging/debian/changelog
source_name=$(sed -n '1s/^\([^ ]*\) .*/\1/p' "$changelog")
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$changelog")
upstream=${version%-*}
date=$(sed -n '0,/^ -- /s/^ -- .*>  //p' "$changelog")
epoch=$(date -d "$date" +%s) || die "cannot read the date of $changelog's top entry ($date)"
orig="build/dist/${source_name}_$upstream.orig.tar.xz"

dist() {
	local tree
	tree=$(git stash create)
	[ -n "$tree" ] || tree=HEAD
	mkdir -p build/dist
	git archive --format=tar --prefix="$source_name-$upstream/" --mtime="@$epoch" "$tree^{tree}" |
		xz -T1 -6 >"$orig.new"
	mv "$orig.new" "$orig"
	say "$orig ($(du -k "$orig" | cut -f1) KiB, from $(git rev-parse --short "$tree")$([ "$tree" = HEAD ] || echo ", with uncommitted changes"))"
}

# The build's own tree: the orig tarball unpacked, packaging/debian/ as
# debian/. Build-Depends are installed into the root (under its lock) by
# apt-get build-dep on that tree.
build() {
	local dir=${1:-$top/target/debian/build}
	case "$dir" in /*) ;; *) dir=$top/$dir ;; esac
	case "$dir/" in "$top"/*) ;; *) die "build: $dir is outside $top (the root sees only this tree)" ;; esac
	dist
	ARCHES_TARGET=deb-source need_root
	[ ! -e "$dir" ] || rm -rf "$dir"
	mkdir -p "$dir"
	cp "$orig" "$dir/"
	tar -C "$dir" -xf "$orig"
	local src=$dir/$source_name-$upstream
	cp -a packaging/debian "$src/debian"
	# test-debian.sh's planted regression for its reproducibility check.
	if [ "${DEBIAN_PLANT:-}" = no-remap-path-prefix ]; then
		sed -i '/^export RUSTFLAGS = --remap-path-prefix/d' "$src/debian/rules"
		! grep -q remap-path-prefix "$src/debian/rules" || die "plant: --remap-path-prefix is still in debian/rules"
	fi
	local log=$dir/build.log
	(
		flock 9
		cd "$src"
		if ! in_root apt-get build-dep -q -y --no-install-recommends ./ >"$dir/build-dep.log" 2>&1; then
			in_root apt-get -q update >>"$dir/build-dep.log" 2>&1 || true
			in_root apt-get build-dep -q -y --no-install-recommends ./ >>"$dir/build-dep.log" 2>&1 ||
				die "the Build-Depends could not be installed in the root (see $dir/build-dep.log)"
		fi
	) 9>"$top/target/arches/sid.lock"
	local t0=$SECONDS
	say "dpkg-buildpackage -us -uc in the root ($src; log $log)"
	(cd "$src" && in_root DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc) >"$log" 2>&1 || {
		tail -20 "$log"
		die "dpkg-buildpackage failed (see $log)"
	}
	say "built in $((SECONDS - t0)) s: $(cd "$dir" && ls ./*.dsc ./*.deb | tr '\n' ' ')"
	mkdir -p build/deb
	rm -f build/deb/*.deb
	cp "$dir"/*.deb build/deb/
}

case "${1:-}" in
dist) dist ;;
build) build "${2:-}" ;;
*) die "usage: packaging/debian-build.sh dist | build [DIR]" ;;
esac
