#!/usr/bin/env bash
# herd.sh DIR OUT: herd7 (Debian's herdtools7) with rc11.cat on DIR/real/*.litmus,
# then on DIR/plant/*.litmus (litmus.py --write DIR), the two outputs into OUT
# separated by a line "=== plant ===". DIR and OUT must be inside this tree.
#
# herd7 is not in Debian 12; it runs in the project's Debian sid root
# (capi-tests/arches/root.sh, target/arches/sid), where herdtools7 is
# installed under the root's lock when missing. No root (not root, or the
# root cannot be built): need_root's verdict (skip.sh: SKIP=root or
# SKIP=arches-root opts out; OUT is then not written).
# ORDERING_HERD_ROOT=DIR (development only) uses the Debian sid root DIR as
# it is, without need_root.
set -euo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/../arches/lib.sh"
dir=$(cd "$1" && pwd)
out=$2
rm -f "$out"
if [ -n "${ORDERING_HERD_ROOT:-}" ]; then
	aroot=$ORDERING_HERD_ROOT
else
	ARCHES_TARGET=test-ordering need_root
fi
mkdir -p "$top/target/arches"
(
	flock 9
	if ! in_root sh -c 'command -v herd7' >/dev/null 2>&1; then
		pkg_install --no-recommends --in "in_root" herdtools7 ||
			die "herdtools7 could not be installed in the Debian sid root ($aroot)"
	fi
) 9>"$top/target/arches/sid.lock"
{
	in_root herd7 -model rc11.cat "$dir"/real/*.litmus
	echo "=== plant ==="
	in_root herd7 -model rc11.cat "$dir"/plant/*.litmus
} >"$out.tmp" 2>&1 || { cat "$out.tmp" >&2; die "herd7 failed (output above)"; }
mv "$out.tmp" "$out"
