#!/usr/bin/env bash
# Print the path of a configured copy of upstream liburing 2.15, creating it
# on first use. Upstream's configure writes config-host.h (the machine's
# features, -include'd by upstream's tests) and the generated public headers
# liburing/compat.h and liburing/io_uring_version.h; it runs in a private copy
# under target/ so the fetched tree stays untouched. Nothing here is committed.
# UPSTREAM_CONFIGURE_FLAGS (e.g. "--cc=i686-linux-gnu-gcc --cxx=i686-linux-gnu-g++",
# capi-tests/arches/upstream-i386.sh) are handed to configure and recorded.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
up=$("$top/capi-tests/fetch-upstream.sh")
cfg="$out/upstream-tree"
stamp="$up${UPSTREAM_CONFIGURE_FLAGS:+ $UPSTREAM_CONFIGURE_FLAGS}"
if [ ! -f "$cfg/.configured" ] || [ "$(cat "$cfg/.configured")" != "$stamp" ]; then
    echo "configured-upstream: configuring a copy of $up in $cfg" >&2
    rm -rf "$cfg"
    mkdir -p "$out"
    cp -a "$up" "$cfg"
    rm -f "$cfg/.complete"
    # shellcheck disable=SC2086 # the flags are words
    if ! (cd "$cfg" && ./configure ${UPSTREAM_CONFIGURE_FLAGS:-} > configure.log 2>&1); then
        echo "configured-upstream: upstream's configure failed, see $cfg/configure.log" >&2
        exit 1
    fi
    echo "$stamp" > "$cfg/.configured"
fi
echo "$cfg"
