#!/usr/bin/env bash
# `make help`: every make target with its one line, grouped by the file that
# declares it (the Makefile, then mk/<area>.mk). The lines are the files' own
# `## target: description` comments, so the list is the source; T and C mark
# the targets of TEST_TARGETS (make test) and CHECK_TARGETS (make check).
# usage: make-help.sh "TEST_TARGETS" "CHECK_TARGETS" FILE...
# (check-map.sh fails when a .PHONY target has no `##` line.)
set -euo pipefail
tests=" $1 "; checks=" $2 "; shift 2
n=0
for f in "$@"; do
	lines=$(sed -n 's/^## \([^: ]*\): *\(.*\)$/\1\t\2/p' "$f")
	[ -n "$lines" ] || continue
	echo "$f"
	while IFS=$'\t' read -r t d; do
		m=""
		case "$tests" in *" $t "*) m="T" ;; esac
		case "$checks" in *" $t "*) m="${m:+$m }C" ;; esac
		printf '  %-25s %-4s%s\n' "$t" "$m" "$d"
		n=$((n + 1))
	done <<<"$lines"
done
echo "$n targets; T: in make test, C: in make check; the map: capi-tests/README.md"
