#!/usr/bin/env bash
# Fetch upstream liburing 2.15 (Debian source package liburing 2.15-1, suite sid)
# into a cache under target/, and print the path of the unpacked tree.
#
# Nothing fetched here is ever committed: upstream's sources are a test input.
# LIBURING_UPSTREAM_SRC=/path/to/unpacked/liburing-2.15 skips the download.
set -euo pipefail

want_version=2.15
debian_version=2.15-1
# sha256 of liburing_2.15.orig.tar.gz as published in the Debian archive.
orig_sha256=${LIBURING_ORIG_SHA256:-efd299ff27cde40a45efc7dbb97ebe40a0c461921cb462f1d62611642bb4ee86}

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/target/upstream"
tree="$cache/liburing-$want_version"

say() { echo "fetch-upstream: $*" >&2; }

if [ -n "${LIBURING_UPSTREAM_SRC:-}" ]; then
    if [ ! -f "$LIBURING_UPSTREAM_SRC/src/include/liburing.h" ]; then
        say "LIBURING_UPSTREAM_SRC=$LIBURING_UPSTREAM_SRC does not look like an unpacked liburing tree"
        exit 1
    fi
    echo "$LIBURING_UPSTREAM_SRC"
    exit 0
fi

if [ -f "$tree/.complete" ]; then
    echo "$tree"
    exit 0
fi

command -v apt-get >/dev/null || { say "apt-get not found; set LIBURING_UPSTREAM_SRC to an unpacked liburing $want_version tree"; exit 1; }
say "downloading liburing $debian_version"
"$top/capi-tests/lib/debsrc.sh" --download liburing "$debian_version" "$cache/dl" >/dev/null ||
    { say "liburing $debian_version could not be downloaded from sid (see the debsrc: line above)"; exit 1; }
cd "$cache/dl"

orig="liburing_$want_version.orig.tar.gz"
[ -f "$orig" ] || { say "$orig was not downloaded"; exit 1; }
got=$(sha256sum "$orig" | awk '{print $1}')
# The .dsc lists the checksum the archive signed; compare against it (and a
# pinned value when one is given).
dsc_sum=$(awk '/^Checksums-Sha256:/ {f=1; next} f && /^ / {print $1, $3} /^[^ ]/ && !/^Checksums-Sha256:/ {f=0}' liburing_"$debian_version".dsc | awk -v n="$orig" '$2==n {print $1}')
if [ "$got" != "$dsc_sum" ]; then
    say "sha256 of $orig is $got, the .dsc says $dsc_sum"
    exit 1
fi
if [ -n "$orig_sha256" ] && [ "$got" != "$orig_sha256" ]; then
    say "sha256 of $orig is $got, expected $orig_sha256"
    exit 1
fi

rm -rf "$tree" "$cache/unpack"
mkdir -p "$cache/unpack"
tar -xzf "$orig" -C "$cache/unpack"
inner=$(find "$cache/unpack" -mindepth 1 -maxdepth 1 -type d | head -1)
mv "$inner" "$tree"
rmdir "$cache/unpack"
touch "$tree/.complete"
say "upstream liburing $want_version unpacked in $tree (orig sha256 $got)"
echo "$tree"
