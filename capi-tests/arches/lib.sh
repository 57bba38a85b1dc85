# Shared helpers for the per-architecture scripts (sourced, not run).
# Every script here prints "arches: PASS|FAIL|SKIP: <what>: <why>" lines.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The Debian unstable root holding the cross toolchains (root.sh builds it).
aroot="$top/target/arches/root"

pass() { echo "arches: PASS: $*"; }
fail() { echo "arches: FAIL: $*"; failures=$((${failures:-0} + 1)); }
skip() { echo "arches: SKIP: $*"; }
say() { echo "arches: $*" >&2; }
die() {
	echo "arches: FAIL: $*"
	exit 1
}

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

# mounts_under DIR: mount points at or below DIR (never delete through one).
mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r
}
safe_rm() {
	local m
	for m in $(mounts_under "$1"); do umount -l "$m" || true; done
	if [ -n "$(mounts_under "$1")" ]; then
		say "refusing to delete $1: something is still mounted below it"
		return 1
	fi
	rm -rf "$1"
}

# in_root CMD...: run CMD in the root with an empty environment, in a private
# mount namespace where /proc is mounted and this tree is bind-mounted at its
# own path (so that paths printed inside are host paths); the command starts
# in the current directory when that is inside this tree. The mounts vanish
# with the command.
# When target/arches is a symbolic link out of this tree (a root shared by
# several work trees), its real directory is bind-mounted at its own path too.
in_root() {
	mkdir -p "$aroot$top"
	local dir=/ ta
	case "$PWD/" in "$top"/*) dir=$PWD ;; esac
	ta=$(readlink -f "$top/target/arches")
	case "$ta/" in "$top"/*) ta="" ;; *) mkdir -p "$aroot$ta" ;; esac
	unshare --mount --propagation private sh -c '
		r=$1; t=$2; d=$3; ta=$4; shift 4
		mount -t proc proc "$r/proc" || exit 99
		mount --bind "$t" "$r$t" || exit 99
		[ -z "$ta" ] || mount --bind "$ta" "$r$ta" || exit 99
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
			/bin/sh -c "cd \"\$0\" && exec /usr/bin/env \"\$@\"" "$d" "$@"' \
		sh "$aroot" "$top" "$dir" "$ta" "$@"
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
