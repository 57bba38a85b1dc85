#!/usr/bin/env bash
# skip-control.sh: the planted regression of the missing-root path. A root
# that cannot be built (an unreachable archive, ARCHES_MIRROR, into a root
# path of its own, ARCHES_ROOT) must fail the target, naming the reason (the
# builder's line that the archive is unreachable) and SKIP=arches-root,
# leaving no root behind; with SKIP=arches-root it must be recorded as a skip
# (capi-tests/skip.sh), never pass silently. Then the builder's own planted
# situations (capi-tests/lib/debian-root-control.sh: the unreachable archive,
# a cached recipe, a changed one). A few seconds a build attempt: apt-get
# update fails at once.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	"$top/capi-tests/skip.sh" root "${ARCHES_TARGET:-skip-control}" "arches: skip-control: not root: mmdebstrap and chroot need it"
	exit
fi
d="$top/target/arches/skip-control"
rm -rf "$d"
mkdir -p "$d"
export ARCHES_ROOT="$d/root" ARCHES_MIRROR=http://127.0.0.1:9/debian ARCHES_TARGET=skip-control
bad=0
ARCHES_RECORD='' SKIP='' SKIP_RECORD="$d/rec" "$top/capi-tests/arches/static.sh" i386 >"$d/out" 2>&1 && {
	say "skip-control: the target passed with no root and no opt-out"
	bad=1
}
grep -q '^FAIL skip-control: arches: the Debian sid root .* could not be built .*(SKIP=arches-root accepts this)' "$d/out" || {
	say "skip-control: no FAIL line naming SKIP=arches-root"
	bad=1
}
grep -q "^arches: root: the archive $ARCHES_MIRROR is unreachable: " "$d/out" || {
	say "skip-control: the builder did not say that the archive is unreachable"
	bad=1
}
ARCHES_RECORD='' SKIP=arches-root SKIP_RECORD="$d/rec" "$top/capi-tests/arches/static.sh" i386 >"$d/out2" 2>&1 || {
	say "skip-control: SKIP=arches-root did not opt out"
	bad=1
}
grep -q '^SKIP skip-control: .*(opted out: SKIP=arches-root)' "$d/rec" 2>/dev/null || {
	say "skip-control: the opted-out skip was not recorded"
	bad=1
}
for r in "$d/root" "$d/root.new"; do
	[ ! -e "$r" ] || {
		say "skip-control: a root was left at $r"
		bad=1
	}
done
if [ $bad = 0 ]; then
	pass "skip-control: a root that cannot be built fails the target, and SKIP=arches-root records a skip"
else
	sed 's/^/    /' "$d/out" | tail -5
	fail "skip-control: the missing-root path is not loud"
fi
rm -rf "$d"
if "$top/capi-tests/lib/debian-root-control.sh" >"$d.builder" 2>&1; then
	pass "skip-control: $(tail -1 "$d.builder")"
else
	sed 's/^/    /' "$d.builder"
	fail "skip-control: the Debian root builder's planted situations (capi-tests/lib/debian-root-control.sh)"
	bad=1
fi
rm -f "$d.builder"
[ $bad = 0 ]
