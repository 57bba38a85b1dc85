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
# this machine reads is older than that). The root is built by
# capi-tests/lib/debian-root.sh (mmdebstrap, installed on the host if
# missing) from this machine's archive, or ARCHES_MIRROR (an unreachable one
# is how skip-control.sh plants the missing root); nothing here touches the
# real system's packages.
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
i386_pkgs="libc6-dbg:i386 valgrind g++-i686-linux-gnu bc iproute2 passwd"
cross_pkgs="" std_pkgs="" foreign=()
for a in $ROOT_ARCHES; do
	arch_info "$a"
	cross_pkgs="$cross_pkgs gcc-$gnu libc6-dev:$a"
	std_pkgs="$std_pkgs libstd-rust-dev:$a"
	foreign+=(--arch "$a")
done
# Run in the root after the installation, before the package lists are
# cleaned: libstd-rust-dev for every architecture, at the version of the
# root's rustc, fetched and unpacked.
hook="std='$std_pkgs'
$(cat <<'EOF'
v=$(dpkg-query -W -f '${Version}' rustc)
mkdir -p /tmp/std
cd /tmp/std
pkgs=
for p in $std; do pkgs="$pkgs $p=$v"; done
apt-get download -q $pkgs
for f in *.deb; do dpkg-deb -x "$f" /; done
cd /
rm -rf /tmp/std
EOF
)"
mirror=()
[ -z "${ARCHES_MIRROR:-}" ] || mirror=(--mirror "$ARCHES_MIRROR")
log="$aroot.log"
"$top/capi-tests/lib/debian-root.sh" --name "arches: root" --suite sid --dest "$aroot" --log "$log" \
	--variant apt "${foreign[@]}" --include "$build_pkgs$cross_pkgs $i386_pkgs" --hook "$hook" \
	--no-docs --dpkgopt force-unsafe-io "${mirror[@]}" ||
	die "root: the Debian sid root could not be built (see $log)"
