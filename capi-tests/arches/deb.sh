#!/usr/bin/env bash
# deb.sh [--build] ARCH...: Debian packages liburing2 and liburing-dev for
# each Debian architecture ARCH (`make deb ARCH=...` runs --build), built
# from the source package (packaging/debian/) by dpkg-buildpackage -a ARCH in
# the sid root (packaging/debian-build.sh cross: Debian sid's rustc, cargo
# and cross gcc), into build/deb/ARCH/: the libraries in ARCH's multiarch
# directory (/usr/lib/<multiarch>/), Multi-Arch: same.
#
# Without --build, each ARCH's packages are also installed with `dpkg -i`, no
# force option, in a throwaway copy (an overlay) of the sid root, an amd64
# system to which dpkg --add-architecture gave every ARCH and ARCH's C
# library: a foreign-architecture install as Debian's multiarch does it.
# Checked there: both packages installed, dpkg --verify clean, the library in
# /usr/lib/<multiarch>/ and in ldconfig's cache, and a program compiled by
# ARCH's gcc against the installed headers with the installed pkg-config
# file, linked against the installed library. For i386 the copy also gets
# this machine's amd64 packages of ours (the native dpkg-buildpackage of the
# same source, nocheck) in the same dpkg -i (both architectures' liburing2
# and liburing-dev side by side, as Multi-Arch: same allows), and both
# programs run, each loading its own architecture's installed liburing.so.2
# with no environment variable.
# Planted: an i386 liburing2 without Multi-Arch: same must not install next
# to the amd64 one.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

build_only=0
[ "${1:-}" != --build ] || { build_only=1; shift; }
[ $# -gt 0 ] || set -- $ROOT_ARCHES
for a in "$@"; do arch_info "$a" || die "deb: unknown architecture $a"; done
failures=0
need_root "$@"

# build ARCH: build/deb/ARCH/*.deb by packaging/debian-build.sh cross; the
# amd64 packages (native build, nocheck) go to target/arches/amd64-deb.
build() {
	local a=$1 log
	mkdir -p "$top/target/arches/$a"
	log="$top/target/arches/$a/deb-build.log"
	if [ "$a" = amd64 ]; then
		DEB_BUILD_OPTIONS=nocheck "$top/packaging/debian-build.sh" build target/debian/amd64 >"$log" 2>&1 || return 1
		rm -rf "$top/target/arches/amd64-deb" && mkdir -p "$top/target/arches/amd64-deb" &&
			cp "$top"/target/debian/amd64/*.deb "$top/target/arches/amd64-deb/"
		return
	fi
	"$top/packaging/debian-build.sh" cross "$a" >"$log" 2>&1 || { tail -5 "$log"; return 1; }
	ls "$top"/build/deb/"$a"/liburing2_*_"$a".deb "$top"/build/deb/"$a"/liburing-dev_*_"$a".deb >/dev/null 2>&1
}

for a in "$@"; do
	if build "$a"; then
		arch_info "$a"
		say "$a: $(cd "$top" && ls build/deb/"$a"/*.deb | tr '\n' ' ')($(dpkg-deb -f "$top"/build/deb/"$a"/liburing2_*.deb Version Architecture Multi-Arch | tr '\n' ' '); $(grep -o 'built in [0-9]* s' "$top/target/arches/$a/deb-build.log"))"
	else
		fail "$a: dpkg-buildpackage -a $a failed (see target/arches/$a/deb-build.log)"
	fi
done
[ "$build_only" = 0 ] || exit "$((failures > 0))"

# The test program: one NOP through the installed library.
prog="$top/target/arches/deb-nop.c"
cat >"$prog" <<'EOF'
#include <liburing.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret = io_uring_queue_init(4, &ring, 0);

	if (ret < 0) {
		fprintf(stderr, "queue_init: %s\n", strerror(-ret));
		return 1;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 0x1122334455667788ULL);
	ret = io_uring_submit_and_wait(&ring, 1);
	if (ret != 1 || io_uring_peek_cqe(&ring, &cqe) || cqe->res != 0 || cqe->user_data != 0x1122334455667788ULL) {
		fprintf(stderr, "nop: submit %d, no or wrong completion\n", ret);
		return 1;
	}
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	printf("nop through liburing %d.%d: ok\n", io_uring_major_version(), io_uring_minor_version());
	return 0;
}
EOF

# The check run inside the copy: install, verify, build, (run).
# check.sh ARCH MULTIARCH GNU RUN DEB...
check="$top/target/arches/deb-check.sh"
cat >"$check" <<'EOF'
set -u
a=$1 ma=$2 gnu=$3 run=$4 prog=$5
shift 5
# The root leaves documentation out (root.sh's dpkg path-exclude); this copy
# installs the packages whole, so that dpkg --verify sees every file.
sed -i '/^path-exclude/d' /etc/dpkg/dpkg.cfg.d/*
dpkg -i "$@" || { echo "dpkg -i failed"; exit 1; }
for p in liburing2 liburing-dev; do
	s=$(dpkg-query -W -f '${Status} ${Version}' "$p:$a") || { echo "$p:$a is not known to dpkg"; exit 1; }
	case $s in "install ok installed "*) ;; *) echo "$p:$a: $s"; exit 1 ;; esac
done
v=$(dpkg --verify "liburing2:$a" "liburing-dev:$a")
[ -z "$v" ] || { echo "dpkg --verify: $v"; exit 1; }
[ -f "/usr/lib/$ma/liburing.so.2.15" ] && [ -L "/usr/lib/$ma/liburing.so.2" ] || { echo "no /usr/lib/$ma/liburing.so.2"; exit 1; }
# This machine's ldconfig caches the libraries it can load (amd64, i386);
# another architecture's are read by its own ld.so on its own system.
if [ "$run" = 1 ]; then
	ldconfig -p | grep -q " => /usr/lib/$ma/liburing.so.2\$" || { echo "ldconfig's cache has no /usr/lib/$ma/liburing.so.2"; exit 1; }
fi
"$gnu-readelf" -d "/usr/lib/$ma/liburing.so.2" | grep -q 'SONAME.*\[liburing.so.2\]' || { echo "/usr/lib/$ma/liburing.so.2 is not a $a liburing.so.2"; exit 1; }
flags=$(PKG_CONFIG_PATH=/usr/lib/$ma/pkgconfig pkg-config --cflags --libs liburing) || { echo "pkg-config: no liburing.pc for $a"; exit 1; }
"$gnu-gcc" -O2 -o "/tmp/nop-$a" "$prog" $flags || { echo "$gnu-gcc could not build a program against the installed liburing-dev"; exit 1; }
if [ "$run" = 1 ]; then
	so=$(ldd "/tmp/nop-$a" | awk '$1 == "liburing.so.2" {print $3}')
	[ "$so" = "/usr/lib/$ma/liburing.so.2" ] || { echo "the $a program loads liburing.so.2 from '$so'"; exit 1; }
	"/tmp/nop-$a" || { echo "the $a program failed"; exit 1; }
fi
echo "installed: $(dpkg-query -W -f '${Package}:${Architecture} ${Version} ' "liburing2:$a" "liburing-dev:$a")"
EOF

for a in "$@"; do
	arch_info "$a"
	debs=("$top"/build/deb/"$a"/liburing2_*_"$a".deb "$top"/build/deb/"$a"/liburing-dev_*_"$a".deb)
	[ -f "${debs[0]}" ] && [ -f "${debs[1]}" ] || continue
	log="$top/target/arches/$a/deb-check.log"
	mkdir -p "$(dirname "$log")"
	if [ "$a" = i386 ]; then
		if ! build amd64; then
			fail "i386: our amd64 packages (packaging/debian-build.sh build) could not be built (see target/arches/amd64/deb-build.log)"
			continue
		fi
		amd=("$top"/target/arches/amd64-deb/liburing2_*_amd64.deb "$top"/target/arches/amd64-deb/liburing-dev_*_amd64.deb)
		# Both architectures in one dpkg -i; both programs built and run.
		if in_overlay "$top/target/arches/$a/deb-root" sh -c 'sh "$1" i386 i386-linux-gnu i686-linux-gnu 1 "$2" "$3" "$4" "$5" "$6" &&
			sh "$1" amd64 x86_64-linux-gnu x86_64-linux-gnu 1 "$2" "$3" "$4" "$5" "$6"' \
			sh "$check" "$prog" "${debs[@]}" "${amd[@]}" >"$log" 2>&1; then
			pass "i386: dpkg -i of liburing2 and liburing-dev for i386 and amd64 side by side; verified, in ldconfig's cache, pkg-config builds; $(grep -h '^nop through' "$log" | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')($(grep -h '^installed:' "$log" | sed 's/installed: //' | tr '\n' ' '))"
		else
			sed 's/^/    /' "$log" | tail -15
			fail "i386: the packages do not install and work next to amd64's (see $log)"
		fi
		# Planted: liburing2:i386 without Multi-Arch: same.
		plant="$top/target/arches/$a/deb-planted"
		rm -rf "$plant" && mkdir -p "$plant"
		dpkg-deb -R "${debs[0]}" "$plant/pkg" && sed -i '/^Multi-Arch:/d' "$plant/pkg/DEBIAN/control" &&
			dpkg-deb --root-owner-group -b "$plant/pkg" "$plant/liburing2-no-multiarch_i386.deb" >/dev/null
		if in_overlay "$top/target/arches/$a/deb-root" sh "$check" i386 i386-linux-gnu i686-linux-gnu 1 "$prog" \
			"$plant/liburing2-no-multiarch_i386.deb" "${debs[1]}" "${amd[@]}" >"$plant/log" 2>&1; then
			fail "i386: planted: a liburing2:i386 without Multi-Arch: same installed next to amd64's"
		else
			pass "i386: planted: a liburing2:i386 without Multi-Arch: same does not install next to amd64's ($(grep -m1 -iE 'error|conflict|multi-arch|depends' "$plant/log" | sed 's/^ *//'))"
		fi
	else
		if in_overlay "$top/target/arches/$a/deb-root" sh "$check" "$a" "$multiarch" "$gnu" 0 "$prog" "${debs[@]}" >"$log" 2>&1; then
			pass "$a: dpkg -i of liburing2 and liburing-dev ($a, next to Debian's amd64 system); verified, $gnu-readelf reads the installed liburing.so.2, $gnu-gcc builds against them with pkg-config ($(grep -h '^installed:' "$log" | sed 's/installed: //'))"
		else
			sed 's/^/    /' "$log" | tail -15
			fail "$a: the packages do not install and build (see $log)"
		fi
	fi
	safe_rm "$top/target/arches/$a/deb-root" || true
done
[ "$failures" -eq 0 ]
