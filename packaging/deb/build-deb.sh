#!/usr/bin/env bash
# `make deb`: Debian packages liburing2 and liburing-dev built from this tree
# with dpkg-deb, laid out like Debian's own (the library in the multiarch
# directory, e.g. /usr/lib/x86_64-linux-gnu/liburing.so.2 -> liburing.so.2.15).
#
# The packages keep Debian's names and carry a higher version than any
# Debian liburing 2.15 revision (2.15-1+rsN), so `dpkg -i` installs them as an
# upgrade over Debian's liburing2 (2.3 on bookworm) and everything that
# depends on liburing2 (qemu-utils, ...) stays satisfied; no Replaces or
# Breaks are needed for a package that replaces itself. Debian's liburing-dev
# pins liburing2 to its own version, so when it is installed the two of ours
# must go in together (one dpkg -i with both files).
#
# Output: build/deb/liburing2_<ver>_<arch>.deb, build/deb/liburing-dev_<ver>_<arch>.deb
# DEB_REVISION overrides the Debian revision (default 1+rs1).
#
# Another architecture (`make deb ARCH=arm64`, capi-tests/arches/): DEB_ARCH
# names it (Debian's name), DEB_MAKE_VARS the make variables that point at
# its build (BUILD=build/<arch> ..., as capi-tests/arches/deb.sh sets them;
# the libraries are already linked there by cross.sh), DEB_OUT the output
# directory (default build/deb). The library goes to that architecture's
# multiarch directory.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

upstream_version=$(sed -n 's/^VERSION *:= *//p' Makefile)
major=${upstream_version%%.*}
version="$upstream_version-${DEB_REVISION:-1+rs1}"
if [ -n "${DEB_ARCH:-}" ]; then
	arch=$DEB_ARCH
	multiarch=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
else
	arch=$(dpkg --print-architecture)
	multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
fi
[ -n "$multiarch" ] || { echo "build-deb: no multiarch directory for $arch" >&2; exit 1; }
libdir=/usr/lib/$multiarch
out="$top/${DEB_OUT:-build/deb}"
stage="$out/stage"
read -ra make_vars <<<"${DEB_MAKE_VARS:-}"

[ -f include/liburing.h ] || { echo "build-deb: include/liburing.h is missing; liburing-dev would be empty" >&2; exit 1; }

rm -rf "$stage"
mkdir -p "$stage" "$out"
make --no-print-directory -s "${make_vars[@]}" install PREFIX=/usr LIBDIR="$libdir" INCLUDEDIR=/usr/include DESTDIR="$stage/all"

# Split the install between the two packages the way Debian does.
lib_pkg="$stage/liburing$major"
dev_pkg="$stage/liburing-dev"
mkdir -p "$lib_pkg$libdir" "$dev_pkg$libdir" "$dev_pkg/usr"
for f in "$stage/all$libdir"/*.so."$major" "$stage/all$libdir"/*.so."$upstream_version"; do
	mv "$f" "$lib_pkg$libdir/"
done
mv "$stage/all/usr/include" "$dev_pkg/usr/"
# The manual pages (gzip -9n, as Debian ships them; a page's other names are
# symbolic links, NAME.3.gz -> PAGE.3.gz, as dh_installman makes them) and
# api.json go with the headers, as in Debian's liburing-dev.
mkdir -p "$dev_pkg/usr/share"
mv "$stage/all/usr/share/man" "$stage/all/usr/share/liburing-rs" "$dev_pkg/usr/share/"
find "$dev_pkg/usr/share/man" -type f -name '*.[237]' -exec gzip -9n {} +
find "$dev_pkg/usr/share/man" -type l -name '*.[237]' | while read -r l; do
	ln -s "$(readlink "$l").gz" "$l.gz" && rm "$l"
done
dangling=$(find "$dev_pkg/usr/share/man" -xtype l)
[ -z "$dangling" ] || { echo "build-deb: man page links to nothing: $dangling" >&2; exit 1; }
mv "$stage/all$libdir"/* "$dev_pkg$libdir/"
leftover=$(find "$stage/all" -mindepth 1 -not -type d)
[ -z "$leftover" ] || { echo "build-deb: installed files in no package: $leftover" >&2; exit 1; }

for p in "$lib_pkg" "$dev_pkg"; do
	name=$(basename "$p")
	install -D -m 644 packaging/debian/copyright "$p/usr/share/doc/$name/copyright"
	printf '%s (%s) unstable; urgency=medium\n\n  * Built from liburing-rs (%s).\n\n -- liburing-rs <liburing-rs@localhost>  %s\n' \
		"liburing-rs" "$version" "$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)" \
		"$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)}")" |
		gzip -9n >"$p/usr/share/doc/$name/changelog.Debian.gz"
	chmod 644 "$p/usr/share/doc/$name/changelog.Debian.gz"
done

# Run-time dependencies: dpkg-shlibdeps when it is there (dpkg-dev) and the
# packages are this machine's architecture, else the highest GLIBC_x.y
# symbol version the libraries ask for (readelf reads any architecture).
lib_depends=""
if [ -z "${DEB_ARCH:-}" ] && command -v dpkg-shlibdeps >/dev/null; then
	mkdir -p "$stage/shlibdeps/debian"
	printf 'Source: liburing-rs\n\nPackage: liburing%s\nArchitecture: any\n' "$major" >"$stage/shlibdeps/debian/control"
	lib_depends=$(cd "$stage/shlibdeps" && dpkg-shlibdeps -O "$lib_pkg$libdir"/*.so."$upstream_version" 2>/dev/null |
		sed -n 's/^shlibs:Depends=//p')
fi
if [ -z "$lib_depends" ]; then
	glibc=$(readelf -W --dyn-syms "$lib_pkg$libdir"/*.so."$upstream_version" | grep -o 'GLIBC_[0-9.]*[0-9]' | sed 's/GLIBC_//' | sort -V | tail -1)
	[ -n "$glibc" ] || { echo "build-deb: no GLIBC symbol version in the libraries" >&2; exit 1; }
	lib_depends="libc6 (>= $glibc)"
fi
dev_depends="liburing$major (= $version), libc6-dev | libc-dev"
if grep -rq '#include <linux/' include; then
	dev_depends="$dev_depends, linux-libc-dev"
fi

size_kb() { du -sk --exclude=DEBIAN "$1" | cut -f1; }

write_control() { # dir package section depends extra description...
	local dir=$1 pkg=$2 section=$3 depends=$4
	shift 4
	mkdir -p "$dir/DEBIAN"
	{
		echo "Package: $pkg"
		echo "Source: liburing-rs"
		echo "Version: $version"
		echo "Architecture: $arch"
		echo "Multi-Arch: same"
		echo "Maintainer: liburing-rs <liburing-rs@localhost>"
		echo "Installed-Size: $(size_kb "$dir")"
		echo "Depends: $depends"
		echo "Section: $section"
		echo "Priority: optional"
		printf '%s\n' "$@"
	} >"$dir/DEBIAN/control"
	(cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$dir/DEBIAN/md5sums"
}

write_control "$lib_pkg" "liburing$major" libs "$lib_depends" \
	"Description: userspace library for io_uring (liburing-rs, in Rust)" \
	" liburing-rs is a drop-in replacement for liburing $upstream_version, the" \
	" userspace library for the Linux io_uring interface, written in Rust and" \
	" exported through liburing's C ABI: same soname, same versioned symbols," \
	" same struct layouts, so programs built against Debian's liburing run on it." \
	" ." \
	" This package contains the shared libraries liburing.so.$major and liburing-ffi.so.$major."
echo "liburing $major liburing$major (>= $upstream_version)" >"$lib_pkg/DEBIAN/shlibs"
echo "liburing-ffi $major liburing$major (>= $upstream_version)" >>"$lib_pkg/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$lib_pkg/DEBIAN/triggers"

write_control "$dev_pkg" liburing-dev libdevel "$dev_depends" \
	"Description: userspace library for io_uring (liburing-rs, in Rust) - development files" \
	" liburing-rs is a drop-in replacement for liburing $upstream_version, the" \
	" userspace library for the Linux io_uring interface, written in Rust and" \
	" exported through liburing's C ABI." \
	" ." \
	" This package contains the headers, the static libraries, the" \
	" pkg-config files (liburing, liburing-ffi), the manual pages and" \
	" api.json, a machine-readable description of the API for binding generators."

rm -f "$out"/*.deb
for p in "$lib_pkg" "$dev_pkg"; do
	name=$(basename "$p")
	dpkg-deb --root-owner-group -Zxz --build "$p" "$out/${name}_${version}_${arch}.deb" >/dev/null
	echo "build-deb: $out/${name}_${version}_${arch}.deb"
done
rm -rf "$stage"
