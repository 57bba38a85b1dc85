#!/usr/bin/env bash
# cross.sh ARCH: build liburing.so.2, liburing-ffi.so.2, the .a files, the
# headers and the pkg-config files for the Debian architecture ARCH under
# build/ARCH/, with Debian unstable's own toolchain (root.sh): sid's rustc and
# cargo with libstd-rust-dev:ARCH, and gcc-<triplet> linking the shared
# objects from the static archive with our version scripts, exactly as the
# top-level Makefile does for the host (link_so).
#
# Cargo inside the root cannot check crates.io's certificates, so the crates
# are vendored on the host (cargo vendor, into target/arches/vendor, never
# committed) and the build inside runs --offline.
set -euo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

a=${1:?usage: cross.sh ARCH}
arch_info "$a" || die "cross: unknown architecture $a"
"$top/capi-tests/arches/root.sh" "$a"

# Vendored crates, refreshed when Cargo.lock changes.
vendor="$top/target/arches/vendor"
if [ ! -f "$vendor/.lock-copy" ] || ! cmp -s "$top/Cargo.lock" "$vendor/.lock-copy"; then
	say "cargo vendor (host, once per Cargo.lock) into $vendor"
	rm -rf "$vendor"
	(cd "$top" && cargo vendor --locked --versioned-dirs "$vendor" >"$top/target/arches/vendor.log" 2>&1) || die "cross: cargo vendor failed"
	cp "$top/Cargo.lock" "$vendor/.lock-copy"
fi

# A cargo home of our own, inside target/: the vendored source and each
# target's linker (the staticlib does not link; test programs do).
chome="$top/target/arches/cargo-home"
mkdir -p "$chome"
{
	printf '[source.crates-io]\nreplace-with = "vendored-sources"\n\n'
	printf '[source.vendored-sources]\ndirectory = "%s"\n' "$vendor"
	for x in i386 arm64 armhf s390x riscv64 ppc64el; do
		(arch_info "$x" && printf '\n[target.%s]\nlinker = "%s-gcc"\n' "$rust" "$gnu")
	done
} >"$chome/config.toml"

tdir="$top/target/arches/cargo"
out="build/$a"
t0=$SECONDS
say "$a: cargo build --release --offline --target $rust (sid's $(in_root rustc --version))"
in_root CARGO_HOME="$chome" sh -c 'cd "$1" && cargo build -j2 --release --offline --quiet --target "$2" --target-dir "$3"' \
	sh "$top" "$rust" "$tdir" || die "cross: cargo build for $a ($rust) failed"
# The Makefile links the .so files from this archive; CARGO=false makes sure
# that it never falls back to building the host's archive instead.
in_root make -C "$top" --no-print-directory -s BUILD="$out" RUST_A="$tdir/$rust/release/liburing.a" \
	CC="$gnu-gcc" CARGO=false lib headers pkgconfig || die "cross: linking for $a failed"
# What came out must be ARCH's code.
m=$(in_root "$gnu-readelf" -h "$top/$out/lib/liburing.so.2" | awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}')
c=$(in_root "$gnu-readelf" -h "$top/$out/lib/liburing.so.2" | awk -F: '/Class:/ {gsub(/^ +/, "", $2); print $2}')
say "$a: $out/lib: $(cd "$top/$out/lib" && ls | tr '\n' ' ')($m, $c) in $((SECONDS - t0)) s"
