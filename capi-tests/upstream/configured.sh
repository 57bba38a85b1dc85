#!/usr/bin/env bash
# Print the path of a configured copy of upstream liburing 2.15, creating it
# on first use. Upstream's configure writes config-host.h (the machine's
# features, -include'd by upstream's tests) and the generated public headers
# liburing/compat.h and liburing/io_uring_version.h; it runs in a private copy
# under target/ so the fetched tree stays untouched. Nothing here is committed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
up=$("$top/capi-tests/fetch-upstream.sh")
cfg="$out/upstream-tree"
if [ ! -f "$cfg/.configured" ] || [ "$(cat "$cfg/.configured")" != "$up" ]; then
    echo "configured-upstream: configuring a copy of $up in $cfg" >&2
    rm -rf "$cfg"
    mkdir -p "$out"
    cp -a "$up" "$cfg"
    rm -f "$cfg/.complete"
    if ! (cd "$cfg" && ./configure > configure.log 2>&1); then
        echo "configured-upstream: upstream's configure failed, see $cfg/configure.log" >&2
        exit 1
    fi
    echo "$up" > "$cfg/.configured"
fi
echo "$cfg"
