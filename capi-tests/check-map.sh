#!/usr/bin/env bash
# `make test-map`: capi-tests/README.md, the map of the test tree, must name
# every make target declared .PHONY in the Makefile and mk/*.mk, every
# fragment mk/<area>.mk, and every folder under capi-tests/; each target has a
# row of its own (first cell `target`), marked T when it is in TEST_TARGETS
# and C when it is in CHECK_TARGETS, and no row of the map is over 300
# characters. Every target has exactly one `## target: description` line in
# the Makefile or a fragment (what `make help` prints, capi-tests/make-help.sh),
# and every such line names a .PHONY target. Prints what is wrong and fails,
# so that a new target or area cannot go unmapped or unexplained.
#
#   check-map.sh [TOP]      check the tree at TOP (default: this checkout)
#   check-map.sh --control  plant each regression in a copy of the Makefile,
#                           mk/ and the map; fails unless every plant is caught
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
maxrow=300

check() { # check TOP: prints one line per problem, returns 1 if any
	local top=$1 map=$1/capi-tests/README.md missing=0 t f d n
	local targets lists tests checks rows help
	# needs WHAT < TEXTS: each TEXT must appear in the map in backquotes
	needs() {
		local out
		out=$(awk -v what="$1" 'NR == FNR { map = map $0 "\n"; next }
			$0 != "" && !index(map, "`" $0 "`") {
				print "check-map: " what " " $0 " is not in capi-tests/README.md" }' "$map" -)
		if [ -n "$out" ]; then echo "$out"; missing=$((missing + $(wc -l <<<"$out"))); fi
	}
	targets=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$top/Makefile" "$top"/mk/*.mk |
		sed -n 's/^\.PHONY:[[:space:]]*//p' | tr ' \t' '\n\n' | grep . | sort -u)
	# The two lists as make computes them (the fragments add to them).
	lists=$(printf 'check-map-lists:\n\t@echo "T $(TEST_TARGETS)"; echo "C $(CHECK_TARGETS)"\n' |
		env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory -C "$top" -f Makefile -f - check-map-lists) || {
		echo "check-map: make could not print TEST_TARGETS and CHECK_TARGETS"; return 1; }
	tests=" $(sed -n 's/^T //p' <<<"$lists") "
	checks=" $(sed -n 's/^C //p' <<<"$lists") "
	# The map's rows: `target` and its marks (the second cell, spaces squeezed).
	rows=$(sed -n 's/^| `\([^`]*\)` |\([^|]*\)|.*/\1\t\2/p' "$map" | sed 's/\t */\t/; s/ *$//')
	help=$(sed -n 's/^## \([^: ]*\):.*/\1/p' "$top/Makefile" "$top"/mk/*.mk)
	# One awk pass over the targets: row count and marks, help line count.
	n=$(wc -w <<<"$targets")
	local bad w
	w=$(mktemp -d)
	echo "$rows" >"$w/rows"; echo "$help" >"$w/help"; echo "$targets" >"$w/targets"
	bad=$(cd "$w" && awk -F'\t' -v tests="$tests" -v checks="$checks" '
		FILENAME == "rows" { nrow[$1]++; mark[$1] = $2; next }
		FILENAME == "help" { nhelp[$1]++; next }
		{
			t = $1; want = ""
			if (index(tests, " " t " ")) want = "T"
			if (index(checks, " " t " ")) want = want (want == "" ? "" : " ") "C"
			if (nrow[t] + 0 != 1)
				printf "check-map: target %s has %d rows in the map (first cell `%s`), not 1\n", t, nrow[t], t
			else if (mark[t] != want)
				printf "check-map: target %s is marked \x27%s\x27 in the map, its lists say \x27%s\x27\n", t, mark[t], want
			if (nhelp[t] + 0 != 1)
				printf "check-map: target %s has %d help lines (## %s: description), not 1\n", t, nhelp[t], t
		}' rows help targets)
	rm -rf "$w"
	needs target <<<"$targets"
	if [ -n "$bad" ]; then echo "$bad"; missing=$((missing + $(wc -l <<<"$bad"))); fi
	local ghosts
	ghosts=$(comm -23 <(sort -u <<<"$help") <(echo "$targets") | grep . | sed 's/.*/check-map: help line ## &: names no .PHONY target/')
	if [ -n "$ghosts" ]; then echo "$ghosts"; missing=$((missing + $(wc -l <<<"$ghosts"))); fi
	while IFS= read -r d; do
		echo "check-map: a map row is ${#d} characters, over $maxrow: ${d:0:60}..."
		missing=$((missing + 1))
	done < <(grep '^|' "$map" | awk -v m=$maxrow 'length($0) > m')
	local nfrags=0 ndirs=0
	for f in "$top"/mk/*.mk; do echo "mk/$(basename "$f")"; nfrags=$((nfrags + 1)); done >"$w.frags"
	for d in "$top"/capi-tests/*/; do echo "$(basename "$d")/"; ndirs=$((ndirs + 1)); done >"$w.dirs"
	needs fragment <"$w.frags"; needs folder <"$w.dirs"
	nfrags=$(wc -l <"$w.frags"); ndirs=$(wc -l <"$w.dirs"); rm -f "$w.frags" "$w.dirs"
	if [ "$missing" -gt 0 ]; then
		echo "check-map: FAIL: $missing missing or wrong"
		return 1
	fi
	echo "check-map: all $n targets (each with its row and one help line), $nfrags fragments and $ndirs folders are in capi-tests/README.md"
}

if [ "${1:-}" != --control ]; then
	check "${1:-$(cd "$here/.." && pwd)}"
	exit
fi

# --control: each plant in a fresh copy must fail with its message.
top=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy() {
	rm -rf "$tmp/t" && mkdir -p "$tmp/t/capi-tests" &&
	mkdir "$tmp/t/src" && cp "$top/Makefile" "$tmp/t/" && cp -R "$top/mk" "$tmp/t/" &&
	cp "$top/capi-tests/README.md" "$tmp/t/capi-tests/" &&
	for d in "$top"/capi-tests/*/; do mkdir "$tmp/t/capi-tests/$(basename "$d")"; done
}
copy
if ! out=$(check "$tmp/t"); then
	echo "$out"; echo "check-map --control: FAIL: the unplanted copy does not pass"; exit 1
fi
row='| `planted-target` | | `abi/` | a planted target | — | — |'
caught=0 failed=0
plant() { # plant NAME EXPECTED-MESSAGE: the copy as planted must fail with it
	local out
	if out=$(check "$tmp/t"); then
		echo "check-map --control: FAIL: plant '$1' passed"; failed=$((failed + 1))
	elif ! grep -qF -- "$2" <<<"$out"; then
		echo "$out"; echo "check-map --control: FAIL: plant '$1' failed without '$2'"; failed=$((failed + 1))
	else
		echo "check-map --control: plant '$1' caught: $(grep -F -- "$2" <<<"$out" | head -n 1)"
		caught=$((caught + 1))
	fi
	copy
}
# A target with its row but no help line.
printf '.PHONY: planted-target\nplanted-target:\n' >>"$tmp/t/mk/abi.mk"
echo "$row" >>"$tmp/t/capi-tests/README.md"
plant "target without a help line" "target planted-target has 0 help lines"
# The same target with two help lines.
printf '## planted-target: one\n## planted-target: two\n.PHONY: planted-target\nplanted-target:\n' >>"$tmp/t/mk/abi.mk"
echo "$row" >>"$tmp/t/capi-tests/README.md"
plant "target with two help lines" "target planted-target has 2 help lines"
# A help line for a target that is not there.
printf '## planted-target: a target that is not there\n' >>"$tmp/t/mk/abi.mk"
echo "$row" >>"$tmp/t/capi-tests/README.md"
plant "help line without a target" "help line ## planted-target: names no .PHONY target"
# A target with its help line, not in the map.
printf '## planted-target: one\n.PHONY: planted-target\nplanted-target:\n' >>"$tmp/t/mk/abi.mk"
plant "target not in the map" "target planted-target is not in capi-tests/README.md"
# A target named in the map but without a row of its own.
printf '## planted-target: one\n.PHONY: planted-target\nplanted-target:\n' >>"$tmp/t/mk/abi.mk"
echo 'See `planted-target`.' >>"$tmp/t/capi-tests/README.md"
plant "target without a row" "target planted-target has 0 rows"
# A test target whose row lacks its T mark.
printf '## planted-target: one\n.PHONY: planted-target\nplanted-target:\nTEST_TARGETS += planted-target\n' >>"$tmp/t/mk/abi.mk"
echo "$row" >>"$tmp/t/capi-tests/README.md"
plant "row without its T mark" "target planted-target is marked '' in the map, its lists say 'T'"
# A row over the length limit.
sed -i "s/^| \`test-layout\` | T | \`abi\/\` |/&$(printf 'x%.0s' $(seq 300))/" "$tmp/t/capi-tests/README.md"
plant "row over $maxrow characters" "over $maxrow"
# A fragment the map does not name.
cp "$tmp/t/mk/uapi.mk" "$tmp/t/mk/planted.mk" && sed -i 's/^## test-uapi:.*//; s/test-uapi/planted-uapi/g' "$tmp/t/mk/planted.mk"
sed -i 's/^\.PHONY: planted-uapi/## planted-uapi: x\n&/' "$tmp/t/mk/planted.mk"
echo '| `planted-uapi` | T | `uapi/` | x | — | — |' >>"$tmp/t/capi-tests/README.md"
plant "fragment not in the map" "fragment mk/planted.mk is not in"
# A folder the map does not name.
mkdir "$tmp/t/capi-tests/planted"
plant "folder not in the map" "folder planted/ is not in"
if [ "$failed" -gt 0 ]; then
	echo "check-map --control: FAIL: $failed of $((caught + failed)) plants not caught"; exit 1
fi
echo "check-map --control: all $caught plants caught"
