#!/usr/bin/env bash
# The planted situations of the Debian root builder (capi-tests/lib/debian-root.sh),
# none of which downloads anything (the archive is planted unreachable,
# 127.0.0.1 port 9):
#   1. a fresh root from an unreachable archive: fails, says the archive is
#      unreachable, and leaves neither DIR nor DIR.new behind;
#   2. a root whose .complete holds the call's recipe (--print-recipe): the
#      call returns 0 at once, the root untouched, the archive never asked;
#   3. the same root asked for with one more package (a changed recipe): the
#      builder rebuilds, so it fails on the archive and the stale root is gone;
#   4. planted: a copy of the builder whose recipe leaves out the packages
#      must fail case 3 (it takes the stale root as built).
# A few seconds a build attempt (apt-get update fails at once). Needs root
# and mmdebstrap (installed on the host when missing); it fails without root.
# Run by capi-tests/arches/skip-control.sh (which skips loudly when not root),
# that is by test-arches-smoke and test-arches-static.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "debian-root-control: $*"; }
bad=0
no() { say "FAIL: $*"; bad=1; }

# The caller (arches/skip-control.sh) has the loud skip for not root.
[ "$(id -u)" = 0 ] || { no "not root: mmdebstrap and chroot need it"; exit 1; }
d="$top/target/debian-root-control"
rm -rf "$d" && mkdir -p "$d" || exit 1
unreachable=http://127.0.0.1:9/debian
opts=(--name control --suite bookworm --variant minbase --mirror "$unreachable" --include hello)

# case BUILDER N [EXTRA OPTION]...: one call of BUILDER on $d/rootN; its
# status in $rc, its messages in $d/N.out.
case_run() {
	local b=$1 n=$2
	shift 2
	rc=0
	"$b" "${opts[@]}" --dest "$d/root$n" "$@" >"$d/$n.out" 2>&1 || rc=$?
}
# plant_built BUILDER N: $d/rootN as if BUILDER had built it for opts.
plant_built() {
	mkdir -p "$d/root$2"
	"$1" "${opts[@]}" --dest "$d/root$2" --print-recipe >"$d/root$2/.complete"
	touch "$d/root$2/marker"
}
# changed_recipe BUILDER N: case 3; returns 0 when the change was caught.
changed_recipe() {
	plant_built "$1" "$2"
	case_run "$1" "$2" --include strace
	[ $rc != 0 ] && [ ! -e "$d/root$2" ] && [ ! -e "$d/root$2.new" ] &&
		grep -q "the archive $unreachable is unreachable" "$d/$2.out"
}

builder="$top/capi-tests/lib/debian-root.sh"
case_run "$builder" 1
[ $rc = 1 ] || no "1: an unreachable archive gave status $rc, not 1"
grep -q "^control: the archive $unreachable is unreachable: " "$d/1.out" ||
	no "1: no message naming the unreachable archive: $(tail -2 "$d/1.out")"
{ [ ! -e "$d/root1" ] && [ ! -e "$d/root1.new" ]; } || no "1: a failed build left $(ls -d "$d"/root1 "$d"/root1.new 2>/dev/null)"

plant_built "$builder" 2
t0=$SECONDS
case_run "$builder" 2
[ $rc = 0 ] || no "2: the same recipe was not taken as built (status $rc): $(tail -2 "$d/2.out")"
[ -e "$d/root2/marker" ] || no "2: the root built with the same recipe was touched"
[ $((SECONDS - t0)) -le 2 ] || no "2: the same recipe took $((SECONDS - t0)) s"
[ ! -s "$d/2.out" ] || no "2: the cached root printed: $(head -2 "$d/2.out")"

changed_recipe "$builder" 3 || no "3: a changed recipe did not rebuild (status $rc; $(tail -1 "$d/3.out"))"

# 4. The builder with the packages left out of its recipe.
mkdir -p "$d/plant/capi-tests/lib"
ln -s "$top/capi-tests/lib/mounts.sh" "$top/capi-tests/lib/pkg.sh" "$d/plant/capi-tests/lib/"
# shellcheck disable=SC2016 # the builder's text, not ours
sed 's/; include \${includes\[\*\]}//' "$builder" >"$d/plant/capi-tests/lib/debian-root.sh"
chmod +x "$d/plant/capi-tests/lib/debian-root.sh"
if cmp -s "$builder" "$d/plant/capi-tests/lib/debian-root.sh"; then
	no "4: the plant did not apply (the recipe line changed?)"
elif changed_recipe "$d/plant/capi-tests/lib/debian-root.sh" 4; then
	no "4: a builder whose recipe ignores the packages passed case 3"
fi

if [ $bad = 0 ]; then
	say "an unreachable archive fails loudly and leaves no root; the same recipe is cached, a changed one rebuilds; 1 plant caught"
fi
rm -rf "$d"
exit $bad
