#!/usr/bin/env bash
# `make test-map`: capi-tests/README.md, the map of the test tree, must name
# every make target declared .PHONY in the Makefile and mk/*.mk, every
# fragment mk/<area>.mk, and every folder under capi-tests/. Prints what is
# missing and fails, so that a new target or area cannot go unmapped.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
map="$top/capi-tests/README.md"
missing=0
need() { # need WHAT TEXT: TEXT must appear in the map in backquotes
	if ! grep -qF "\`$2\`" "$map"; then
		echo "check-map: $1 $2 is not in capi-tests/README.md"
		missing=$((missing + 1))
	fi
}
targets=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$top/Makefile" "$top"/mk/*.mk |
	sed -n 's/^\.PHONY:[[:space:]]*//p' | tr ' \t' '\n\n' | grep . | sort -u)
ntargets=0
for t in $targets; do need target "$t"; ntargets=$((ntargets + 1)); done
nfrags=0
for f in "$top"/mk/*.mk; do need fragment "mk/$(basename "$f")"; nfrags=$((nfrags + 1)); done
ndirs=0
for d in "$top"/capi-tests/*/; do need folder "$(basename "$d")/"; ndirs=$((ndirs + 1)); done
if [ "$missing" -gt 0 ]; then
	echo "check-map: FAIL: $missing missing"
	exit 1
fi
echo "check-map: all $ntargets targets, $nfrags fragments and $ndirs folders are in capi-tests/README.md"
