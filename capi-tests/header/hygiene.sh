#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# `make test-header-hygiene`: capi-tests/header/hygiene.py on our installed
# headers (build/include) against upstream's configured liburing 2.15
# headers, then its two planted regressions (--plant), which must be caught.
# Installs clang when it is missing (capi-tests/lib/pkg.sh).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
fail() { echo "FAIL test-header-hygiene: $*"; exit 1; }
[ -f "$top/build/include/liburing.h" ] || fail "build/include/liburing.h is missing (run make first)"
pkg_need clang clang || fail "clang is needed (half of the configurations) and could not be installed"
pkg_need clang++ clang || fail "clang++ is needed and could not be installed"
ref=$("$top/capi-tests/lib/upstream-build.sh" --configure-only) || fail "upstream's configured tree could not be made"
work="$top/target/header-hygiene"
rm -rf "$work"
bad=0
python3 "$top/capi-tests/header/hygiene.py" "$ref/src/include" "$top/build/include" "$work/ours" || bad=1
python3 "$top/capi-tests/header/hygiene.py" "$ref/src/include" "$top/build/include" "$work/plant" --plant \
	>"$work.plant.log" 2>&1 || { bad=1; tail -5 "$work.plant.log"; }
grep '^hygiene: plant' "$work.plant.log"
[ $bad = 0 ] || fail "see above (work files in $work)"
echo "test-header-hygiene: no case where our header is worse than upstream's; both plants caught"
