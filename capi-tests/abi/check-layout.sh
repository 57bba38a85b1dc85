#!/usr/bin/env bash
# Layout check: sizeof/alignof of every public struct and offsetof/sizeof of
# every member, upstream liburing 2.15's headers vs ours (build/include).
# See capi-tests/abi/layout.py for how the list is read from upstream's
# header and how the generated C program is built.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/capi-tests/ensure-deps.sh" || exit 2
cfg=$("$top/capi-tests/lib/upstream-build.sh" --configure-only) || exit 2
exec python3 "$top/capi-tests/abi/layout.py" \
    --upstream-inc "$cfg/src/include" \
    --our-inc "${OUR_INCLUDE:-$top/build/include}" \
    --facts "${ABI_FACTS:-/work/shared/abi}/liburing-2.15.layout" \
    --work "$top/target/layout-check"
