# shellcheck shell=bash
# Shared helpers for the per-architecture scripts (sourced, not run).
# Every script here prints "arches: PASS|FAIL|SKIP: <what>: <why>" lines.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The Debian unstable root holding the cross toolchains (root.sh builds it)
# and the architectures it holds them for (Debian's names).
# ARCHES_ROOT overrides it (skip-control.sh's planted missing root only).
aroot=${ARCHES_ROOT:-$top/target/arches/sid}
# shellcheck disable=SC2034 # used by the scripts that source this file
ROOT_ARCHES="i386 arm64 armhf s390x riscv64 ppc64el"

# make test-arches sets ARCHES_RECORD: every verdict line is appended to it
# too, and arches-doc.py --save-results reads the run from there.
verdict() {
	echo "arches: $*"
	[ -z "${ARCHES_RECORD:-}" ] || echo "$*" >>"$ARCHES_RECORD"
}
pass() { verdict "PASS: $*"; }
fail() { verdict "FAIL: $*"; failures=$((${failures:-0} + 1)); }
skip() { verdict "SKIP: $*"; }
say() { echo "arches: $*" >&2; }
die() {
	verdict "FAIL: $*"
	exit 1
}
# Installing a missing Debian package, on the host or (--in in_root) in the root.
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"

# arch_info ARCH: sets gnu (gcc's triplet, binutils prefix), multiarch (the
# Debian multiarch directory name), rust (rustc's target) for a Debian
# architecture name; returns 1 for one we do not know.
arch_info() {
	case "$1" in
	amd64) gnu=x86_64-linux-gnu multiarch=x86_64-linux-gnu rust=x86_64-unknown-linux-gnu ;;
	i386) gnu=i686-linux-gnu multiarch=i386-linux-gnu rust=i686-unknown-linux-gnu ;;
	arm64) gnu=aarch64-linux-gnu multiarch=aarch64-linux-gnu rust=aarch64-unknown-linux-gnu ;;
	armhf) gnu=arm-linux-gnueabihf multiarch=arm-linux-gnueabihf rust=armv7-unknown-linux-gnueabihf ;;
	s390x) gnu=s390x-linux-gnu multiarch=s390x-linux-gnu rust=s390x-unknown-linux-gnu ;;
	riscv64) gnu=riscv64-linux-gnu multiarch=riscv64-linux-gnu rust=riscv64gc-unknown-linux-gnu ;;
	ppc64el) gnu=powerpc64le-linux-gnu multiarch=powerpc64le-linux-gnu rust=powerpc64le-unknown-linux-gnu ;;
	*) return 1 ;;
	esac
	# shellcheck disable=SC2034 # used by the scripts that source this file
	: "$gnu" "$multiarch" "$rust"
}

# mounts_under, safe_rm: never delete through a mount point.
# shellcheck source=capi-tests/lib/mounts.sh
source "$top/capi-tests/lib/mounts.sh"

# need_root ARCH...: the sid root (root.sh), or a loud skip. Without root
# (chroot) or an archive to build the root from, the calling target
# ($ARCHES_TARGET) fails naming what is missing, unless the caller opted out
# by name (SKIP=root, SKIP=arches-root; capi-tests/skip.sh): then the script
# exits 0 and make test counts the target as skipped.
need_root() {
	local target=${ARCHES_TARGET:-$(basename "$0")}
	if [ "$(id -u)" != 0 ]; then
		"$top/capi-tests/skip.sh" root "$target" "arches: not root: the Debian sid root needs mmdebstrap and chroot"
		exit
	fi
	"$top/capi-tests/arches/root.sh" "$@" && return 0
	"$top/capi-tests/skip.sh" arches-root "$target" \
		"arches: the Debian sid root with every architecture's toolchain could not be built (see target/arches/sid.log)"
	exit
}

# in_root [--dev] CMD...: run CMD in the root with an empty environment, in a
# private mount namespace where /proc is mounted and this tree is bind-mounted
# at its own path (so that paths printed inside are host paths); --dev also
# binds the host's /dev and /sys there. The command starts in the current
# directory when that is inside this tree. The mounts vanish with the command.
in_root() {
	local dev=0
	[ "${1:-}" != --dev ] || { dev=1; shift; }
	mkdir -p "$aroot$top"
	local dir=/
	case "$PWD/" in "$top"/*) dir=$PWD ;; esac
	unshare --mount --propagation private sh -c '
		r=$1; t=$2; d=$3; dev=$4; shift 4
		mount -t proc proc "$r/proc" || exit 99
		mount --bind "$t" "$r$t" || exit 99
		if [ "$dev" = 1 ]; then
			mount --rbind /dev "$r/dev" && mount --rbind /sys "$r/sys" || exit 99
		fi
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
			/bin/sh -c "cd \"\$0\" && exec /usr/bin/env \"\$@\"" "$d" "$@"' \
		sh "$aroot" "$top" "$dir" "$dev" "$@"
}

# in_overlay DIR CMD...: as in_root, in a throwaway copy of the root: an
# overlay whose lower layer is the root and whose upper layer is DIR/upper
# (emptied first), so that dpkg -i and the like change nothing in the root.
in_overlay() {
	local d=$1
	shift
	[ ! -e "$d" ] || safe_rm "$d" || return 99
	mkdir -p "$d/upper" "$d/work" "$d/merged"
	mkdir -p "$aroot$top"
	local dir=/
	case "$PWD/" in "$top"/*) dir=$PWD ;; esac
	unshare --mount --propagation private sh -c '
		r=$1; t=$2; d=$3; o=$4; shift 4
		mount -t overlay overlay -o "lowerdir=$r,upperdir=$o/upper,workdir=$o/work" "$o/merged" || exit 99
		mount -t proc proc "$o/merged/proc" || exit 99
		mount --bind "$t" "$o/merged$t" || exit 99
		exec chroot "$o/merged" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
			/bin/sh -c "cd \"\$0\" && exec /usr/bin/env \"\$@\"" "$d" "$@"' \
		sh "$aroot" "$top" "$dir" "$d" "$@"
}

# root_tool NAME TOOL: writes an executable target/arches/bin/NAME that runs
# TOOL (a program of the root) through in_root, so that host scripts can be
# handed the root's cross compiler or binutils as $CC, $NM, $OBJCOPY ...;
# prints its path.
root_tool() {
	local f="$top/target/arches/bin/$1"
	mkdir -p "$top/target/arches/bin"
	printf '#!/usr/bin/env bash\nsource %q\nin_root %q "$@"\n' "$top/capi-tests/arches/lib.sh" "$2" >"$f"
	chmod +x "$f"
	echo "$f"
}

# arch_prepare NAME ARCH: what a script about one architecture needs first:
# its names (arch_info: $gnu, $multiarch, $rust), the root (need_root), our
# library built for it (cross.sh: build/ARCH/) and upstream's tree in $up.
# NAME starts the failure messages.
arch_prepare() {
	arch_info "$2" || die "$1: $2 is not an architecture we know"
	need_root "$2"
	"$top/capi-tests/arches/cross.sh" "$2" || die "$1: the library does not build for $2"
	# shellcheck disable=SC2034 # used by the scripts that source this file
	up=$("$top/capi-tests/fetch-upstream.sh") || die "$1: no upstream tree"
}

# upstream_lib_for ARCH USE_LIBC: prints upstream's tree configured for ARCH
# with the root's cross compilers and its own library built in src/, with the
# links make install would lay out (liburing.so.2, liburing-ffi.so.2, and
# liburing.so so that -luring finds the shared object, not liburing.a):
# capi-tests/lib/upstream-build.sh --arch ARCH, built once for every user.
# USE_LIBC=1 configures --use-libc (our C tests' reference: they free() what
# the library allocated). On failure its upstream-build: lines say why.
upstream_lib_for() {
	local extra=()
	[ "$2" = 1 ] && extra=(--use-libc)
	"$top/capi-tests/lib/upstream-build.sh" --arch "$1" "${extra[@]}"
}

# root_deb PACKAGE ARCH DIR: Debian sid's PACKAGE for ARCH, downloaded in the
# root into DIR (kept while its sha256 matches the index) and unpacked in
# DIR/x; sets deb_tree (that directory) and deb_info ("PACKAGE:ARCH VERSION
# sha256 SUM"). DIR/download.log says why when it fails.
root_deb() {
	local pkg=$1 arch=$2 d=$3 ver sum f got
	mkdir -p "$d"
	ver=$(in_root apt-cache show "$pkg:$arch" | awk '$1 == "Version:" {print $2; exit}')
	sum=$(in_root apt-cache show "$pkg:$arch=$ver" | awk '$1 == "SHA256:" {print $2; exit}')
	[ -n "$ver" ] && [ -n "$sum" ] || return 1
	f=$(ls "$d"/"${pkg}"_*_"$arch".deb 2>/dev/null | head -1)
	if [ -z "$f" ] || [ "$(sha256sum "$f" | cut -d' ' -f1)" != "$sum" ]; then
		rm -f "$d"/"${pkg}"_*_"$arch".deb
		in_root sh -c 'cd "$1" && apt-get download -q "$2"' sh "$d" "$pkg:$arch=$ver" >"$d/download.log" 2>&1 || return 1
		f=$(ls "$d"/"${pkg}"_*_"$arch".deb 2>/dev/null | head -1)
	fi
	[ -n "$f" ] || return 1
	got=$(sha256sum "$f" | cut -d' ' -f1)
	[ "$got" = "$sum" ] || {
		say "$pkg:$arch $ver: sha256 $got, the index says $sum"
		return 1
	}
	rm -rf "$d/x" && dpkg-deb -x "$f" "$d/x" || return 1
	# shellcheck disable=SC2034 # read by the callers
	deb_tree="$d/x" deb_info="$pkg:$arch $ver sha256 $sum"
}
