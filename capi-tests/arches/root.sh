#!/usr/bin/env bash
# root.sh [ARCH...]: the toolchain as Debian builds liburing for each of its
# architectures. A Debian unstable (sid) root, debootstrap'ed once under
# target/arches/root (minbase + rustc + cargo), gains for each ARCH (Debian's
# names: i386 arm64 armhf s390x riscv64 ppc64el):
#   dpkg --add-architecture ARCH, libstd-rust-dev:ARCH, gcc-<triplet>,
#   libc6-dev:ARCH
# so that ARCH's code is built by sid's own rustc and gcc, as a Debian build
# of a Rust liburing would be. Each step is done once and recorded in the
# root (.complete, .arch-ARCH); a change of the package lists redoes it.
# The archive comes from this machine's apt configuration, read at run time.
# Nothing here touches the real system's packages.
set -euo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "root: needs root (debootstrap, chroot)"
mkdir -p "$top/target/arches"
log="$top/target/arches/root.log"
base_packages="rustc cargo libc6-dev ca-certificates make pkg-config"

# want_for ARCH: the packages ARCH adds to the root (sets gnu, rust, ...).
want_for() {
	arch_info "$1" || die "root: unknown architecture $1 (known: i386 arm64 armhf s390x riscv64 ppc64el)"
	want="libstd-rust-dev:$1 gcc-$gnu libc6-dev:$1"
	[ "$1" != amd64 ] || want="libstd-rust-dev gcc libc6-dev"
	# i386 programs run here natively: Debian's amd64 valgrind has the x86 tools.
	[ "$1" != i386 ] || want="$want valgrind libc6-dbg:i386"
}
# ready ARCH...: is everything already there? (checked before the lock, so
# that a build never waits behind another architecture being installed)
ready() {
	[ -f "$aroot/.complete" ] && [ "$(cat "$aroot/.complete")" = "$base_packages" ] || return 1
	for a in "$@"; do
		want_for "$a"
		[ -f "$aroot/.arch-$a" ] && [ "$(cat "$aroot/.arch-$a")" = "$want" ] || return 1
	done
}
ready "$@" && exit 0

exec 9>"$top/target/arches/root.lock"
flock 9

build_base() {
	local mirror tmp t0=$SECONDS
	mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	[ -n "$mirror" ] || {
		say "no archive URI in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
		return 1
	}
	command -v debootstrap >/dev/null || apt-get install -y -q --no-install-recommends debootstrap >&2 || return 1
	tmp="$aroot.new"
	[ ! -e "$tmp" ] || safe_rm "$tmp" || return 1
	say "debootstrap --variant=minbase sid from $mirror (once; cached in $aroot; log $log)"
	if ! debootstrap --variant=minbase sid "$tmp" "$mirror" >"$log" 2>&1; then
		tail -5 "$log"
		safe_rm "$tmp" || true
		return 1
	fi
	# The archive's snapshot may be older than its Release file's Valid-Until:
	# accepted in this root only, never on the host.
	echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/99arches-no-valid-until"
	echo 'APT::Install-Recommends "false";' >"$tmp/etc/apt/apt.conf.d/99arches-no-recommends"
	aroot=$tmp in_root DEBIAN_FRONTEND=noninteractive sh -c \
		"apt-get update -q && apt-get install -y -q $base_packages && apt-get clean" >>"$log" 2>&1 || {
		tail -5 "$log"
		safe_rm "$tmp" || true
		return 1
	}
	[ -z "$(mounts_under "$tmp")" ] || {
		say "debootstrap left mounts in $tmp"
		return 1
	}
	echo "$base_packages" >"$tmp/.complete"
	mv "$tmp" "$aroot"
	say "sid root built in $((SECONDS - t0)) s: $(in_root dpkg-query -W -f '${Package} ${Version}\n' rustc cargo | tr '\n' ' ')"
}

if [ ! -f "$aroot/.complete" ] || [ "$(cat "$aroot/.complete")" != "$base_packages" ]; then
	[ ! -e "$aroot" ] || safe_rm "$aroot" || die "root: cannot remove the stale $aroot"
	build_base || die "root: could not debootstrap Debian sid (see $log)"
fi

for a in "$@"; do
	want_for "$a"
	[ -f "$aroot/.arch-$a" ] && [ "$(cat "$aroot/.arch-$a")" = "$want" ] && continue
	say "adding $a to the root: $want"
	t0=$SECONDS
	# shellcheck disable=SC2016
	if ! in_root DEBIAN_FRONTEND=noninteractive sh -c \
		'a=$1; shift; dpkg --add-architecture "$a" && apt-get update -q && apt-get install -y -q "$@" && apt-get clean' \
		sh "$a" $want >>"$log" 2>&1; then
		tail -8 "$log"
		die "root: installing $want failed (see $log)"
	fi
	echo "$want" >"$aroot/.arch-$a"
	say "$a added in $((SECONDS - t0)) s: $(in_root dpkg-query -W -f '${Package}:${Architecture} ${Version}\n' "libstd-rust-dev:$a" "gcc-$gnu" | tr '\n' ' ')"
done
