#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# Which of Debian's build-dependents of liburing-dev the archive serves here:
# for each, sid's version (the private source list of capi-tests/lib/debsrc.sh)
# and, for every file of its source package (.dsc and tarballs), whether the
# archive answers it with the size the signed index names (an HTTP HEAD: a
# ceph or qemu source is not downloaded to learn that it could be). A package
# is "complete" when every file is served; only those can be built here.
#
#   served.sh [--out FILE]      writes capi-tests/dependents/results/served.txt
#                               (default), one line per package:
#     PACKAGE version=V files=N served=M bytes=B complete=yes|no [missing=F,F]
# The archive's host name is not written (debsrc.sh's rule).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$top/capi-tests/dependents/results/served.txt"
[ "${1:-}" = --out ] && out=$2
# The twenty source packages that build-depend on liburing-dev in sid
# (issue 26; `grep-dctrl -F Build-Depends liburing-dev` of sid's Sources).
packages="amd-aie-rt bfs ceph erofs-utils libdex libosmocore libsdl3 mariadb memcached mpd
ocaml-uring pgagroal plocate postgresql-18 qemu qt6-base rtpengine rust-librocksdb-sys samba seastar"
command -v curl >/dev/null || { echo "served: curl is needed"; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	echo "# archive check of $(date -u +%Y-%m-%d) (sid's source index, every file of each source package asked with HTTP HEAD)"
	for p in $packages; do
		if ! "$top/capi-tests/lib/debsrc.sh" --uris "$p" >"$tmp" 2>"$tmp.err"; then
			echo "$p version=none files=0 served=0 bytes=0 complete=no missing=source-package"
			continue
		fi
		version=$(head -1 "$tmp")
		n=0 ok=0 bytes=0 missing=()
		while read -r uri name size; do
			n=$((n + 1))
			bytes=$((bytes + size))
			got=$(curl -sS -o /dev/null -I -w '%{http_code} %header{content-length}' "$uri" 2>/dev/null)
			if [ "$got" = "200 $size" ]; then
				ok=$((ok + 1))
			else
				missing+=("$name")
			fi
		done < <(tail -n +2 "$tmp")
		complete=no
		[ "$n" -gt 0 ] && [ "$ok" = "$n" ] && complete=yes
		line="$p version=$version files=$n served=$ok bytes=$bytes complete=$complete"
		[ ${#missing[@]} -gt 0 ] && line+=" missing=$(IFS=,; echo "${missing[*]}")"
		echo "$line"
	done
} >"$out.new"
rm -f "$tmp.err"
mv "$out.new" "$out"
echo "served: $(grep -c 'complete=yes' "$out") of $(grep -vc '^#' "$out") source packages complete ($out)"
grep -v '^#' "$out" | sed 's/^/served: /'
