#!/usr/bin/env bash
# root.sh [ARCH...]: the toolchain as Debian builds liburing for each of its
# architectures. A Debian unstable (sid) root under target/arches/sid, built in
# one go by mmdebstrap (one apt transaction for every architecture, so one
# download and one dpkg run), with dpkg --add-architecture for each of
# ROOT_ARCHES (Debian's names: i386 arm64 armhf s390x riscv64 ppc64el) and:
#   rustc, cargo, make, pkg-config, libc6-dev        the build machine (amd64)
#   gcc-<triplet> libc6-dev:ARCH                     each architecture's gcc,
#                                                    binutils and C library
#   libstd-rust-dev:ARCH                             each architecture's Rust
#                                                    standard library
#   libc6-dbg:i386 valgrind                          i386 programs run here
#   g++-i686-linux-gnu bc iproute2 passwd            and upstream's suite
#                                                    (its C++ test, its
#                                                    runner's tools)
# so that each architecture's code is built by sid's own rustc and gcc, as a
# Debian build of a Rust liburing would be.
#
# libstd-rust-dev:ARCH, at exactly the version of the root's rustc, is
# unpacked (dpkg-deb -x) rather than installed: its files are the .rlib and
# .rmeta of ARCH's standard library, all that rustc reads to build our
# staticlib for ARCH; its dependency libstd-rust-1.97:ARCH is rustc's own
# compiler driver built for ARCH, which pulls ARCH's LLVM and Z3 (about 300 MB
# per architecture) that a cross build never runs, and which for riscv64
# cannot be installed next to the amd64 rustc at all (Multi-Arch: same wants
# one libllvm version, and the archive's riscv64 one is another binNMU).
#
# Cuts, all local to this throwaway root: no recommends, no documentation,
# man pages or translations (dpkg path-exclude), dpkg --force-unsafe-io, and
# the archive's Release file accepted past its Valid-Until date (the snapshot
# this machine reads is older than that). The archive is read from this
# machine's apt configuration at run time. Nothing here touches the real
# system's packages; mmdebstrap is installed on the host if missing.
#
# The root is built once and recorded (.complete holds the recipe); a change
# of the recipe builds a new one. ARCH... only checks that the root has them.
set -euo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

for a in "$@"; do
	case " $ROOT_ARCHES " in *" $a "*) ;; *) die "root: $a is not one of the root's architectures ($ROOT_ARCHES)" ;; esac
done

# The recipe: what the root holds (a change rebuilds it).
build_pkgs="rustc cargo make pkg-config libc6-dev"
cross_pkgs="" std_pkgs="" foreign=""
for a in $ROOT_ARCHES; do
	arch_info "$a"
	cross_pkgs="$cross_pkgs gcc-$gnu libc6-dev:$a"
	std_pkgs="$std_pkgs libstd-rust-dev:$a"
	foreign="$foreign,$a"
done
i386_pkgs="libc6-dbg:i386 valgrind g++-i686-linux-gnu bc iproute2 passwd"
recipe="mmdebstrap sid amd64$foreign; $build_pkgs$cross_pkgs $i386_pkgs; unpacked:$std_pkgs"

[ -f "$aroot/.complete" ] && [ "$(cat "$aroot/.complete")" = "$recipe" ] && exit 0
[ "$(id -u)" = 0 ] || die "root: needs root (mmdebstrap, chroot)"
mkdir -p "$top/target/arches"
exec 9>"$top/target/arches/sid.lock"
flock 9
[ -f "$aroot/.complete" ] && [ "$(cat "$aroot/.complete")" = "$recipe" ] && exit 0

log="$top/target/arches/sid.log"
# ARCHES_MIRROR overrides it (an unreachable one is how the missing-root
# path is exercised).
mirror=${ARCHES_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || die "root: no archive URI in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
if ! command -v mmdebstrap >/dev/null; then
	pkg_install --no-recommends --log "$log" mmdebstrap ||
		die "root: mmdebstrap is needed and could not be installed (see $log)"
fi

tmp="$aroot.new"
[ ! -e "$tmp" ] || safe_rm "$tmp" || die "root: cannot remove the stale $tmp"
[ ! -e "$aroot" ] || safe_rm "$aroot" || die "root: cannot remove the stale $aroot"
t0=$SECONDS start=$(date +%s)
say "mmdebstrap sid (amd64$foreign) from $mirror (once; cached in $aroot; log $log)"
# The hook runs after the installation, before the package lists are
# cleaned: it fetches libstd-rust-dev for every architecture at the version
# of the root's rustc and unpacks it.
hook="$top/target/arches/sid-hook.sh"
cat >"$hook" <<EOF
set -e
v=\$(dpkg-query -W -f '\${Version}' rustc)
mkdir -p /tmp/std
cd /tmp/std
pkgs=
for p in$std_pkgs; do pkgs="\$pkgs \$p=\$v"; done
apt-get download -q \$pkgs
for f in *.deb; do dpkg-deb -x "\$f" /; done
cd /
rm -rf /tmp/std
EOF
# Each phase's end time goes to the log (hooks' output lands there).
stamps=()
for h in extract essential customize; do stamps+=("--$h-hook=echo \"arches-phase: $h \$(date +%s)\""); done
if ! mmdebstrap --mode=root --variant=apt --architectures="amd64$foreign" \
	--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='APT::Install-Recommends "false"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt=force-unsafe-io \
	--include="$(echo "$build_pkgs$cross_pkgs $i386_pkgs" | tr ' ' ',')" \
	"${stamps[@]}" \
	--customize-hook="chroot \"\$1\" sh <'$hook'" \
	sid "$tmp" "$mirror" >"$log" 2>&1; then
	tail -8 "$log"
	safe_rm "$tmp" || true
	die "root: mmdebstrap of Debian sid failed (see $log)"
fi
[ -z "$(mounts_under "$tmp")" ] || die "root: mmdebstrap left mounts in $tmp"
echo "$recipe" >"$tmp/.complete"
# Phases: download (apt-get update, the .debs, essential's extraction),
# essential (its dpkg run), packages (every other package's dpkg run),
# libstd-rust-dev (fetched and unpacked, then the lists cleaned).
phases=$(awk -v t0="$start" -v t1="$(date +%s)" '$1 == "arches-phase:" {t[$2] = $3}
	END {printf "download %d s, essential %d s, packages %d s, libstd-rust-dev %d s",
		t["extract"] - t0, t["essential"] - t["extract"], t["customize"] - t["essential"], t1 - t["customize"]}' "$log")
mv "$tmp" "$aroot"
say "sid root built in $((SECONDS - t0)) s ($phases; $(du -sh "$aroot" | cut -f1)): $(in_root dpkg-query -W -f '${Package} ${Version}\n' rustc cargo | tr '\n' ' ')"
