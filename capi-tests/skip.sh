#!/usr/bin/env bash
# A target (or a part of one) that cannot run what it exists to run calls
#
#   capi-tests/skip.sh NAME TARGET REASON
#
# NAME is what the caller opts out by (SKIP=valgrind,qemu,... on the make
# command line or in the environment), TARGET the make target, REASON what is
# missing here and why. Without that opt-out it prints
#   FAIL TARGET: REASON (SKIP=NAME accepts this)
# and exits 1: a target that cannot run its checks fails. With it, it prints
#   SKIP TARGET: REASON (opted out: SKIP=NAME)
# appends the same line to $SKIP_RECORD (default build/skipped.txt) and exits
# 0; `make test` (run_targets in the Makefile) counts a target that left a
# line there as skipped, never as passed, and lists the lines.
#
# The names in use (grep skip.sh for the callers):
#   valgrind     valgrind is not installed (test-capi-valgrind)
#   qemu         qemu-utils could not be installed, or its qemu-io does not
#                use liburing (test-qemu, test-dropin's swap-in)
#   root         not root: no chroot, no dpkg -i (test-dropin's deb root)
#   debootstrap  no Debian root could be built (test-dropin's deb root,
#                lib/debian-root.sh; the name is older than that builder)
#   debian-deb   Debian's liburing2 .deb to go back to is missing (deb root)
#   fuzz         the nightly toolchain or cargo-fuzz cannot be had (fuzz)
#   abi-facts    the reference symbol lists ($ABI_FACTS) are absent
#                (test-ffi-symbols)
#   arches-root  the Debian sid root with every architecture's toolchain
#                could not be built (capi-tests/arches/: test-arches-*);
#                not root there: SKIP=root
#   kernels      qemu-system-x86 or busybox-static cannot be installed, or a
#                Debian kernel image cannot be fetched (test-kernels-smoke,
#                test-kernels); a guest that does not finish always fails
#
#   capi-tests/skip.sh --control   checks this script itself (test-map runs it)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" = --control ]; then
	d=$(mktemp -d)
	trap 'rm -rf "$d"' EXIT
	bad=0
	SKIP='' SKIP_RECORD=$d/rec "$0" thing t "thing is missing" >"$d/out" 2>&1 && {
		echo "skip.sh control: exited 0 without an opt-out"; bad=1; }
	grep -q "^FAIL t: thing is missing" "$d/out" || { echo "skip.sh control: no FAIL line"; bad=1; }
	[ ! -e "$d/rec" ] || { echo "skip.sh control: recorded a skip without an opt-out"; bad=1; }
	SKIP=other,thing2 SKIP_RECORD=$d/rec "$0" thing t "thing is missing" >/dev/null 2>&1 && {
		echo "skip.sh control: SKIP=thing2 opted out of thing"; bad=1; }
	SKIP=other,thing SKIP_RECORD=$d/rec "$0" thing t "thing is missing" >"$d/out" 2>&1 || {
		echo "skip.sh control: SKIP=other,thing did not opt out"; bad=1; }
	grep -q "^SKIP t: thing is missing (opted out: SKIP=thing)" "$d/rec" 2>/dev/null || {
		echo "skip.sh control: the opted-out skip was not recorded"; bad=1; }
	[ $bad = 0 ] && echo "skip.sh control: a missing part fails, an opted-out one is recorded as skipped"
	exit $bad
fi

name=${1:?usage: skip.sh NAME TARGET REASON}
target=${2:?usage: skip.sh NAME TARGET REASON}
reason=${3:?usage: skip.sh NAME TARGET REASON}
record=${SKIP_RECORD:-$top/build/skipped.txt}

case ",${SKIP:-}," in
*",$name,"*)
	line="SKIP $target: $reason (opted out: SKIP=$name)"
	echo "$line"
	mkdir -p "$(dirname "$record")"
	echo "$line" >>"$record"
	exit 0
	;;
esac
echo "FAIL $target: $reason (SKIP=$name accepts this)"
exit 1
