#!/usr/bin/env bash
# Replaces the bad-input table in docs/RELIABILITY.md (between the
# "badinput:begin" and "badinput:end" markers) with the one the last
# `make test-reliability` wrote to target/reliability/badinput.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
doc="$top/docs/RELIABILITY.md"
table="$top/target/reliability/badinput.md"
[ -f "$table" ] || { echo "update-doc: $table missing; run make test-reliability" >&2; exit 1; }
tmp=$(mktemp)
awk -v table="$table" '
	/<!-- badinput:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
	/<!-- badinput:end -->/ { skip = 0 }
	!skip { print }
' "$doc" > "$tmp"
mv "$tmp" "$doc"
echo "update-doc: bad-input table in $doc updated"
