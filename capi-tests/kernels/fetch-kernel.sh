#!/usr/bin/env bash
# Fetch one of Debian's kernel images with apt, from a private source list, and
# print the directory that holds it.
#
#   fetch-kernel.sh SUITE [ARCH]       SUITE: bookworm, trixie, sid, ...
#                                      ARCH: a Debian architecture (default amd64)
#
# The archive is the one this machine's /etc/apt/sources.list.d/debian.sources
# names (read at run time; no host name is written in the repository). A
# private list per (suite, arch) under target/kernels/apt/
# (capi-tests/lib/private-apt.sh) is updated with
# Acquire::Check-Valid-Until=false (archive snapshots may be past their
# Release file's Valid-Until date); the system's own lists are never touched.
#
# The kernel is the one the suite's linux-image-FLAVOUR metapackage depends on.
# Where the image package is split (sid: vmlinuz in linux-binary-*, modules in
# linux-modules-*), both parts are fetched. Each .deb's version and sha256 are
# read from the archive's Packages index at fetch time, the downloaded file is
# checked against that sha256, and both are written to kernel.info, which every
# report prints. Only the kernel image and the modules named by $KERNEL_MODULES
# (plus the modules they depend on, minus what is built in) are kept,
# uncompressed, so that busybox's insmod can load them.
#
# Output directory: target/kernels/ARCH/SUITE/ with
#   vmlinuz       the kernel image
#   modules/      NAME.ko for each module to load, and modules.load (in order)
#   kernel.info   suite, packages, versions, sha256s, kernel release
#
# Environment: KERNEL_MODULES (default "virtio_pci virtio_blk"),
# KERNELS_REFRESH=1 (read the index again and fetch a newer kernel if there is one).
set -euo pipefail

suite=${1:?usage: fetch-kernel.sh SUITE [ARCH]}
arch=${2:-amd64}
modules_wanted=${KERNEL_MODULES:-virtio_pci virtio_blk}

top=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "fetch-kernel[$arch/$suite]: $*" >&2; }
die() { say "$*"; exit 1; }

# The image flavour Debian builds for each architecture.
case $arch in
    amd64) flavour=amd64;;
    i386) flavour=686-pae;;
    arm64) flavour=arm64;;
    armhf) flavour=armmp-lpae;;
    armel) flavour=marvell;;
    s390x) flavour=s390x;;
    ppc64el) flavour=powerpc64le;;
    riscv64) flavour=riscv64;;
    *) die "no kernel flavour known for architecture '$arch'";;
esac

out="$top/target/kernels/$arch/$suite"
aptdir="$top/target/kernels/apt/$arch-$suite"

if [ -f "$out/kernel.info" ] && [ -f "$out/vmlinuz" ] && [ -z "${KERNELS_REFRESH:-}" ]; then
    # Cached: the .debs are kept; check them against the recorded sums again.
    while read -r key pkg ver sum _; do
        [ "$key" = deb ] || continue
        f=$(ls "$aptdir/archives/${pkg}_"*.deb 2>/dev/null | head -1 || true)
        [ -n "$f" ] || die "cached $pkg .deb is gone from $aptdir/archives; run with KERNELS_REFRESH=1"
        [ "$(sha256sum "$f" | awk '{print $1}')" = "$sum" ] || die "cached $f no longer has sha256 $sum"
    done < "$out/kernel.info"
    echo "$out"
    exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: cannot fetch Debian's kernel"
# shellcheck source=capi-tests/lib/private-apt.sh
source "$top/capi-tests/lib/private-apt.sh"
private_apt "$aptdir" deb "$suite" "$arch" || die "$private_apt_why: cannot tell where Debian's archive is"
say "reading the $suite index for $arch"
apt-get "${apt_opts[@]}" -q update >&2 || die "apt-get update of the private $suite list failed (network or archive unreachable)"

# field PKG[=VER] FIELD: one field of the package's first record in the index.
field() {
    apt-cache "${apt_opts[@]}" show "$1" 2>/dev/null | awk -v f="$2:" '$1 == f {sub(/^[^:]*: */, ""); print; exit}'
}
meta=linux-image-$flavour
meta_ver=$(field "$meta" Version)
[ -n "$meta_ver" ] || die "$meta is not in $suite's index"
image=$(field "$meta=$meta_ver" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep '^linux-image-' | head -1)
[ -n "$image" ] || die "$meta $meta_ver depends on no linux-image-* package"
image_ver=$(field "$image" Version)
deps=$(field "$image=$image_ver" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//')
binary=$(echo "$deps" | grep '^linux-binary-' | head -1 || true)
mods=$(echo "$deps" | grep '^linux-modules-' | head -1 || true)
kbase=$(echo "$deps" | grep '^linux-base-.' | head -1 || true)
pkgs=$image
[ -n "$binary" ] && pkgs=$binary
[ -n "$mods" ] && pkgs="$pkgs $mods"
[ -n "$kbase" ] && pkgs="$pkgs $kbase"   # config, modules.builtin

info="$out/kernel.info.new"
mkdir -p "$out"
{
    echo "suite $suite"
    echo "arch $arch"
    echo "meta $meta $meta_ver"
    echo "image $image $image_ver"
} > "$info"
debs=()
for p in $pkgs; do
    v=$(field "$p" Version)
    sum=$(field "$p=$v" SHA256)
    fname=$(field "$p=$v" Filename)
    [ -n "$sum" ] && [ -n "$fname" ] || die "no SHA256/Filename for $p=$v in $suite's index"
    deb="$aptdir/archives/$(basename "$fname")"
    if [ ! -f "$deb" ] || [ "$(sha256sum "$deb" | awk '{print $1}')" != "$sum" ]; then
        rm -f "$aptdir/archives/${p}_"*.deb
        say "downloading $p $v ($(field "$p=$v" Size) bytes)"
        (cd "$aptdir/archives" && apt-get "${apt_opts[@]}" -q download "$p=$v" >&2) || die "apt-get download $p=$v failed"
    fi
    [ -f "$deb" ] || die "$deb was not downloaded"
    got=$(sha256sum "$deb" | awk '{print $1}')
    [ "$got" = "$sum" ] || die "sha256 of $deb is $got; $suite's Packages index says $sum"
    echo "deb $p $v $sum" >> "$info"
    debs+=("$deb")
done

# Unpack the packages (once; the .debs stay in the cache) and pick the image
# and the wanted modules. modules.dep is not in every image package (depmod
# writes it at install time), so dependencies come from each module's own
# "depends=" string in its .modinfo section.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "${debs[@]}"; do
    dpkg-deb -x "$d" "$tmp" || die "could not unpack $d"
done
# boot/vmlinuz-RELEASE, or (split packages) usr/lib/modules/RELEASE/vmlinuz.
vml=$(ls "$tmp"/boot/vmlinu[xz]-* "$tmp"/usr/lib/modules/*/vmlinu[xz] 2>/dev/null | head -1 || true)
[ -n "$vml" ] || die "no kernel image (boot/vmlinuz-* or usr/lib/modules/*/vmlinuz) in $pkgs"
case $vml in
    */boot/*) release=${vml##*/vmlinu?-};;
    *) release=$(basename "$(dirname "$vml")");;
esac
moddir=$(ls -d "$tmp"/lib/modules/"$release" "$tmp"/usr/lib/modules/"$release" 2>/dev/null | head -1 || true)
[ -n "$moddir" ] || die "no modules directory for $release in $pkgs"

rm -rf "$out/modules" && mkdir -p "$out/modules"
: > "$out/modules/modules.load"
# resolve NAME: copy the module (uncompressed) after the modules it depends on.
resolve() {
    local name=$1 path dep ko
    grep -q "/${name//_/[_-]}\.ko" "$moddir/modules.builtin" 2>/dev/null && return 0
    grep -qx "$name" "$out/modules/modules.load" && return 0
    path=$(find "$moddir" -name "${name//_/[_-]}.ko*" | head -1)
    [ -n "$path" ] || die "module $name is neither built into $release nor shipped in $pkgs"
    ko="$out/modules/$name.ko"
    case $path in
        *.ko) cp "$path" "$ko";;
        *.ko.xz) xz -dc "$path" > "$ko";;
        *.ko.zst) zstd -qdc "$path" > "$ko";;
        *.ko.gz) gzip -dc "$path" > "$ko";;
        *) die "unknown module compression: $path";;
    esac
    for dep in $(tr '\0' '\n' < "$ko" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '); do
        resolve "${dep//-/_}"
    done
    echo "$name" >> "$out/modules/modules.load"
}
for m in $modules_wanted; do resolve "$m"; done
cp "$vml" "$out/vmlinuz"
echo "release $release" >> "$info"
echo "vmlinuz_sha256 $(sha256sum "$out/vmlinuz" | awk '{print $1}')" >> "$info"
mv "$info" "$out/kernel.info"
say "Linux $release ($image $image_ver) in $out; modules to load: $(tr '\n' ' ' < "$out/modules/modules.load")"
echo "$out"
