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
#   packaging/debian-build.sh ensure        build/deb/ as `build` makes it,
#                                           unless build/deb/.tree says it was
#                                           made from this very tree already
#   packaging/debian-build.sh cross ARCH [DIR]
#                                           the binary packages for Debian
#                                           architecture ARCH, cross-built
#                                           (dpkg-buildpackage -a ARCH) into
#                                           DIR (default target/debian/cross-ARCH);
#                                           copied to build/deb/ARCH/
#
# A cross build runs with -d (no build-dependency check) and the nocheck and
# cross profiles: the root has the build architecture's Build-Depends
# installed by `build`, each architecture's cross gcc, and ARCH's Rust
# standard library unpacked rather than installed (capi-tests/arches/root.sh
# says why: libstd-rust-dev:ARCH depends on rustc's own driver for ARCH and
# its LLVM, which cannot be installed next to the amd64 one). The crates
# are source (/usr/share/cargo/registry), the same for every architecture.
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

# source_tree: the commit `dist` archives (HEAD, or a stash commit holding the
# uncommitted edits of tracked files).
source_tree() {
	local tree
	tree=$(git stash create)
	echo "${tree:-HEAD}"
}

dist() {
	local tree
	tree=$(source_tree)
	mkdir -p build/dist
	git archive --format=tar --prefix="$source_name-$upstream/" --mtime="@$epoch" "$tree^{tree}" |
		xz -T1 -6 >"$orig.new"
	mv "$orig.new" "$orig"
	say "$orig ($(du -k "$orig" | cut -f1) KiB, from $(git rev-parse --short "$tree")$([ "$tree" = HEAD ] || echo ", with uncommitted changes"))"
}

# install_build_deps SRC LOG: the Build-Depends of the tree SRC installed in
# the root (for the build architecture), under the root's lock.
install_build_deps() {
	(
		flock 9
		cd "$1"
		if ! in_root apt-get build-dep -q -y --no-install-recommends ./ >"$2" 2>&1; then
			in_root apt-get -q update >>"$2" 2>&1 || true
			in_root apt-get build-dep -q -y --no-install-recommends ./ >>"$2" 2>&1 ||
				die "the Build-Depends could not be installed in the root (see $2)"
		fi
	) 9>"$top/target/arches/sid.lock"
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
	install_build_deps "$src" "$dir/build-dep.log"
	local t0=$SECONDS
	say "dpkg-buildpackage -us -uc in the root ($src; log $log)"
	(cd "$src" && in_root DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc) >"$log" 2>&1 || {
		tail -20 "$log"
		die "dpkg-buildpackage failed (see $log)"
	}
	say "built in $((SECONDS - t0)) s: $(cd "$dir" && ls ./*.dsc ./*.deb | tr '\n' ' ')"
	mkdir -p build/deb
	rm -f build/deb/*.deb build/deb/.tree
	cp "$dir"/*.deb build/deb/
	# A planted build (test-debian.sh) is never taken for this tree's.
	[ -n "${DEBIAN_PLANT:-}" ] || git rev-parse "$(source_tree)^{tree}" >build/deb/.tree
}

# ensure: build/deb/*.deb of this tree (its content: git's tree hash).
ensure() {
	if [ -f build/deb/.tree ] && [ "$(cat build/deb/.tree)" = "$(git rev-parse "$(source_tree)^{tree}")" ] &&
		ls build/deb/liburing2_*.deb build/deb/liburing-dev_*.deb >/dev/null 2>&1; then
		say "build/deb/ was built from this tree ($(cut -c1-12 build/deb/.tree)); kept"
		return
	fi
	build
}

# The tree of `build` again, for ARCH, built with dpkg-buildpackage -a.
cross() {
	local arch=$1 dir=${2:-$top/target/debian/cross-$1}
	arch_info "$arch" || die "cross: unknown architecture $arch"
	case "$dir" in /*) ;; *) dir=$top/$dir ;; esac
	case "$dir/" in "$top"/*) ;; *) die "cross: $dir is outside $top (the root sees only this tree)" ;; esac
	dist
	ARCHES_TARGET=deb-cross need_root
	in_root sh -c "test -x /usr/bin/$gnu-gcc" || die "cross: no $gnu-gcc in the root"
	[ ! -e "$dir" ] || rm -rf "$dir"
	mkdir -p "$dir"
	tar -C "$dir" -xf "$orig"
	local src=$dir/$source_name-$upstream log=$dir/build.log t0=$SECONDS
	cp -a packaging/debian "$src/debian"
	install_build_deps "$src" "$dir/build-dep.log"
	say "dpkg-buildpackage -a $arch -d -B -Pcross,nocheck in the root ($src; log $log)"
	(cd "$src" && in_root CC="$gnu-gcc" DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
		dpkg-buildpackage -a "$arch" -d -B -Pcross,nocheck -us -uc) >"$log" 2>&1 || {
		tail -20 "$log"
		die "dpkg-buildpackage -a $arch failed (see $log)"
	}
	say "$arch built in $((SECONDS - t0)) s: $(cd "$dir" && ls ./*.deb | tr '\n' ' ')"
	mkdir -p "build/deb/$arch"
	rm -f "build/deb/$arch"/*.deb
	cp "$dir"/*.deb "build/deb/$arch/"
}

case "${1:-}" in
dist) dist ;;
build) build "${2:-}" ;;
ensure) ensure ;;
cross) cross "${2:?usage: packaging/debian-build.sh cross ARCH [DIR]}" "${3:-}" ;;
*) die "usage: packaging/debian-build.sh dist | build [DIR] | ensure | cross ARCH [DIR]" ;;
esac
