#!/usr/bin/env bash
# Builds upstream liburing 2.15 (fetched by capi-tests/fetch-upstream.sh) in a
# scratch copy under target/reliability/upstream, for the differential tests
# that load upstream's library next to ours. Prints the build directory; its
# src/ holds liburing.so.2.15 and src/include the configured headers
# (configure generates liburing/compat.h and liburing/io_uring_version.h).
# Nothing built here is committed.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=$("$top/capi-tests/fetch-upstream.sh")
out="$top/target/reliability/upstream"
stamp="$out/.built"
if [ -f "$stamp" ] && [ -f "$out/src/liburing.so.2.15" ]; then
    echo "$out"
    exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cp -R "$src/." "$out/"
(
    cd "$out"
    ./configure >/dev/null
    make -C src -j2 >/dev/null
) >&2
[ -f "$out/src/liburing.so.2.15" ] || { echo "build-upstream: no liburing.so.2.15 built" >&2; exit 1; }
touch "$stamp"
echo "$out"
