#!/usr/bin/env bash
# cross.sh ARCH...: build liburing.so.2, liburing-ffi.so.2, the .a files, the
# headers and the pkg-config files for each Debian architecture ARCH under
# build/ARCH/, with Debian unstable's own toolchain (root.sh): sid's rustc and
# cargo with libstd-rust-dev:ARCH, and gcc-<triplet> linking the shared
# objects from the static archive with our version scripts, exactly as the
# top-level Makefile does for the host (link_so).
#
# One cargo run builds every ARCH asked for (cargo build --target A --target
# B ..., -j2: the targets' fat-LTO links overlap, the build script is built
# once), then each ARCH is linked.
#
# CROSS_CFG=NAME builds with --cfg NAME into build/ARCH-NAME/ (its own cargo
# target directory): a planted variant of the library, e.g. the libc system
# call path of the instruction-count check (benches/ir-check.sh).
#
# Cargo inside the root cannot check crates.io's certificates, so the crates
# are vendored on the host (cargo vendor, into target/arches/vendor, never
# committed) and the build inside runs --offline.
set -euo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: cross.sh ARCH... (of: $ROOT_ARCHES)"
targets=()
for a in "$@"; do
	arch_info "$a" || die "cross: unknown architecture $a"
	targets+=(--target "$rust")
done
"$top/capi-tests/arches/root.sh" "$@"

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
	for x in $ROOT_ARCHES; do
		(arch_info "$x" && printf '\n[target.%s]\nlinker = "%s-gcc"\n' "$rust" "$gnu")
	done
} >"$chome/config.toml"

tdir="$top/target/arches/cargo"
rustflags=()
suffix=""
if [ -n "${CROSS_CFG:-}" ]; then
	tdir="$top/target/arches/cargo-$CROSS_CFG"
	rustflags=(RUSTFLAGS="--cfg $CROSS_CFG")
	suffix="-$CROSS_CFG"
fi
t0=$SECONDS
say "cargo build --release --offline ${targets[*]} (sid's $(in_root rustc --version))"
in_root CARGO_HOME="$chome" "${rustflags[@]}" sh -c 'cd "$1" && d=$2 && shift 2 && cargo build -j2 --release --offline --quiet --target-dir "$d" "$@"' \
	sh "$top" "$tdir" "${targets[@]}" || die "cross: cargo build for $* failed"
say "cargo build for $* in $((SECONDS - t0)) s"

for a in "$@"; do
	arch_info "$a"
	out="build/$a$suffix"
	t0=$SECONDS
	# The Makefile links the .so files from this archive; CARGO=false makes sure
	# that it never falls back to building the host's archive instead.
	in_root make -C "$top" --no-print-directory -s BUILD="$out" RUST_A="$tdir/$rust/release/liburing.a" \
		CC="$gnu-gcc" CARGO=false lib headers pkgconfig || die "cross: linking for $a failed"
	# What came out must be ARCH's code.
	h=$(in_root "$gnu-readelf" -h "$top/$out/lib/liburing.so.2")
	m=$(awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}' <<<"$h")
	c=$(awk -F: '/Class:/ {gsub(/^ +/, "", $2); print $2}' <<<"$h")
	say "$a: $out/lib: $(cd "$top/$out/lib" && ls | tr '\n' ' ')($m, $c) in $((SECONDS - t0)) s"
done
