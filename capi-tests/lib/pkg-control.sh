#!/usr/bin/env bash
# The planted situations of the package installer (capi-tests/lib/pkg.sh),
# through `make demo`'s script, without touching the machine's packages:
# qemu-io is hidden by a PATH of links to every other command, and apt-get
# (and in one case id) are stand-ins first on that PATH.
#   1. apt-get that installs qemu-utils (links the real qemu-io in): the demo
#      installs it, shows both parts and passes;
#   2. apt-get that fails (an unknown package): the demo fails, naming
#      qemu-utils and apt-get's reason, after an update and one more try;
#   3. not root (id -u says 1000): the demo fails naming qemu-utils and
#      "not root", without calling apt-get;
#   4. case 2 with SKIP=qemu: passes and records the skip (capi-tests/skip.sh);
#   5. planted: the demo with its installer call replaced by a bare
#      `command -v qemu-io` (the demo before this check) fails case 1.
# Needs build/lib (make all) and the real qemu-io, which it installs first.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
say() { echo "pkg-control: $*"; }
bad=0
no() { say "FAIL: $*"; bad=1; }

[ -e "$top/build/lib/liburing.so.2" ] || { say "FAIL: build/lib/liburing.so.2 is missing (run make first)"; exit 1; }
pkg_need qemu-io qemu-utils || {
	"$top/capi-tests/skip.sh" qemu test-skips "pkg-control: the real qemu-io (qemu-utils) is needed for case 1 and could not be installed"
	exit
}
real_qemu_io=$(command -v qemu-io)

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

# shadow_path DIR: DIR/bin holds a link to every command on PATH but qemu-io
# (the first of each name, as PATH would find it).
shadow_path() {
	local dir p f n
	mkdir -p "$1/bin"
	IFS=: read -r -a dirs <<<"$PATH"
	for dir in "${dirs[@]}"; do
		[ -d "$dir" ] || continue
		for f in "$dir"/*; do
			n=${f##*/}
			[ "$n" != qemu-io ] && [ -x "$f" ] && [ ! -e "$1/bin/$n" ] && [ ! -L "$1/bin/$n" ] || continue
			ln -s "$f" "$1/bin/$n"
		done
	done
}

# stand_in DIR KIND: DIR/bin/apt-get that logs its arguments to DIR/apt.log
# and, for KIND=installs, links the real qemu-io in on "install ... qemu-utils";
# for KIND=fails, fails the way apt-get does for a package it cannot find.
stand_in() {
	rm -f "$1/bin/apt-get"
	cat >"$1/bin/apt-get" <<EOF
#!/bin/sh
echo "\$*" >>"$1/apt.log"
case "$2 \$*" in
installs*install*qemu-utils*) ln -sf "$real_qemu_io" "$1/bin/qemu-io"; echo "Setting up qemu-utils (stand-in) ..."; exit 0 ;;
installs*update*) exit 0 ;;
fails*install*) echo "E: Unable to locate package qemu-utils (stand-in)" >&2; exit 100 ;;
fails*update*) echo "Err:1 stand-in archive unreachable" ; exit 100 ;;
esac
exit 1
EOF
	chmod +x "$1/bin/apt-get"
}

demo_sh=$top/capi-tests/demo/demo.sh
demo() { # CASE-DIR [ENV...]: make demo's script ($demo_sh) with the case's PATH
	local c=$1
	shift
	env -u SKIP "$@" PATH="$c/bin" SKIP_RECORD="$c/rec" "$demo_sh" >"$c/out" 2>&1
}

# 1. apt-get installs qemu-utils: both parts shown, exit 0.
c=$d/1
shadow_path "$c"
stand_in "$c" installs
PATH="$c/bin" command -v qemu-io >/dev/null && no "1: qemu-io is still on the shadow PATH"
demo "$c" || no "1: the demo failed with an apt-get that installs qemu-utils: $(tail -3 "$c/out")"
grep -q "install -y qemu-utils" "$c/apt.log" 2>/dev/null || no "1: apt-get was not asked for qemu-utils"
grep -q "qemu-io ran its io_uring I/O through liburing-rs" "$c/out" || no "1: part 2 was not shown: $(tail -3 "$c/out")"

# 2. apt-get fails: the demo fails, naming qemu-utils and the reason, after
#    an update and a second try.
c=$d/2
shadow_path "$c"
stand_in "$c" fails
demo "$c" && no "2: the demo passed although qemu-utils could not be installed"
grep -q "^pkg: cannot install qemu-utils: E: Unable to locate package qemu-utils (stand-in) (command: apt-get install -y qemu-utils)" "$c/out" ||
	no "2: no line naming qemu-utils, apt-get's reason and the command: $(grep pkg: "$c/out" | tail -2)"
grep -q "^FAIL demo: .*qemu-utils could not be installed" "$c/out" || no "2: no FAIL line for the demo: $(tail -2 "$c/out")"
[ "$(grep -c install "$c/apt.log" 2>/dev/null)" = 2 ] && grep -q update "$c/apt.log" ||
	no "2: not install, update, install: $(tr '\n' ';' <"$c/apt.log" 2>/dev/null)"

# 3. not root: fails naming the package and why, apt-get never called.
c=$d/3
shadow_path "$c"
stand_in "$c" installs
rm -f "$c/bin/id"
printf '#!/bin/sh\n[ "$1" = -u ] && { echo 1000; exit 0; }\nexec %s "$@"\n' "$(command -v id)" >"$c/bin/id"
chmod +x "$c/bin/id"
demo "$c" && no "3: the demo passed as a user that cannot install"
grep -q "^pkg: cannot install qemu-utils: not root" "$c/out" || no "3: no line naming qemu-utils and root: $(grep pkg: "$c/out" | tail -2)"
[ ! -e "$c/apt.log" ] || no "3: apt-get was called without root"

# 4. as 2, with SKIP=qemu: exit 0, the skip recorded.
c=$d/4
shadow_path "$c"
stand_in "$c" fails
demo "$c" SKIP=qemu || no "4: SKIP=qemu did not let the demo off: $(tail -2 "$c/out")"
grep -q "^SKIP demo: .*qemu-utils could not be installed.*(opted out: SKIP=qemu)" "$c/rec" 2>/dev/null ||
	no "4: the skip was not recorded"

# 5. planted: the demo as it was before the installer (a missing qemu-io only
#    reported), in a tree of links to ours: case 1 must fail.
p=$d/plant
mkdir -p "$p/capi-tests/demo"
ln -s "$top/build" "$p/build"
ln -s "$top/capi-tests/lib" "$top/capi-tests/skip.sh" "$p/capi-tests/"
ln -s "$top/capi-tests/demo/demo.c" "$p/capi-tests/demo/"
sed 's/^if ! pkg_need qemu-io qemu-utils; then/if ! command -v qemu-io >\/dev\/null; then/' "$top/capi-tests/demo/demo.sh" >"$p/capi-tests/demo/demo.sh"
chmod +x "$p/capi-tests/demo/demo.sh"
if cmp -s "$top/capi-tests/demo/demo.sh" "$p/capi-tests/demo/demo.sh"; then
	no "5: the plant did not apply (demo.sh no longer calls pkg_need qemu-io qemu-utils)"
else
	c=$d/5
	shadow_path "$c"
	stand_in "$c" installs
	demo_sh=$p/capi-tests/demo/demo.sh demo "$c" && no "5: the planted demo (no installer) passed case 1"
	grep -q "^FAIL demo: qemu-io is missing" "$c/out" || no "5: the planted demo did not fail for qemu-io: $(tail -2 "$c/out")"
fi

[ $bad = 0 ] && say "make demo installs a missing qemu-utils (stand-in apt-get) and shows both parts (the demo without the installer, planted, does not); a failing apt-get (after update and a retry) or no root fails it naming qemu-utils and why; SKIP=qemu records the skip"
exit $bad
