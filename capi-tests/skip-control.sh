#!/usr/bin/env bash
# `make test-skips`: the planted regressions of the loud-skip rule
# (capi-tests/skip.sh, run_targets in the Makefile). valgrind is made
# "missing" by pointing test-capi-valgrind at a program that does not exist
# (CAPI_VALGRIND_BIN), then:
#   1. no opt-out: test-capi-valgrind fails and names what is missing;
#   2. SKIP names something else: it still fails;
#   3. SKIP=valgrind through run_targets (make test with TEST_TARGETS set to
#      it): the summary line counts it as skipped, not passed, and the reason
#      is listed above it;
#   4. the same without SKIP: the summary counts it as failed;
#   5. test-qemu's script with a fake qemu-io (not linked against liburing):
#      fails, and with SKIP=qemu records the skip;
#   6. test-dropin's deb root run as an unprivileged user: fails naming root,
#      and with SKIP=root records the skip;
#   7. the package installer's planted situations through `make demo`'s
#      script (capi-tests/lib/pkg-control.sh): a stand-in apt-get that
#      installs qemu-utils, one that fails, no root, SKIP=qemu;
#   8. make test's free-space check (capi-tests/lib/disk-space.sh): a need
#      above the free space fails naming both figures, and so does make test
#      with TEST_DISK_MIB set above it, before any target runs.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
make=${MAKE:-make}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
bad=0
no() { echo "skip-control: FAIL: $*"; bad=1; }
missing=valgrind-planted-missing
vg=(CAPI_VALGRIND_BIN=$missing SKIP_RECORD=$d/rec)

capi-tests/skip.sh --control || bad=1

$make --no-print-directory test-capi-valgrind "${vg[@]}" SKIP= >"$d/1" 2>&1 &&
	no "1: test-capi-valgrind passed without valgrind"
grep -q "^FAIL test-capi-valgrind: $missing is not installed" "$d/1" ||
	no "1: test-capi-valgrind did not name the missing valgrind: $(tail -3 "$d/1")"

$make --no-print-directory test-capi-valgrind "${vg[@]}" SKIP=qemu,root >"$d/2" 2>&1 &&
	no "2: SKIP=qemu,root let test-capi-valgrind off"

$make --no-print-directory test TEST_TARGETS=test-capi-valgrind "${vg[@]}" SKIP=valgrind >"$d/3" 2>&1 ||
	no "3: make test with SKIP=valgrind failed: $(tail -3 "$d/3")"
[ "$(tail -1 "$d/3")" = "test targets: 0 passed, 0 failed, 1 skipped" ] ||
	no "3: summary line is '$(tail -1 "$d/3")'"
grep -q "^  SKIP test-capi-valgrind: $missing is not installed .*(opted out: SKIP=valgrind)" "$d/3" ||
	no "3: the skipped target and its reason are not listed"

$make --no-print-directory test TEST_TARGETS=test-capi-valgrind "${vg[@]}" SKIP= >"$d/4" 2>&1 &&
	no "4: make test passed with a target that could not run"
grep -qx "test targets: 0 passed, 1 failed, 0 skipped" "$d/4" ||
	no "4: no summary line counting it failed: $(grep "test targets" "$d/4")"

# 5. test-qemu's script with a qemu-io that is not linked against liburing:
#    fails; with SKIP=qemu it records the skip.
mkdir -p "$d/bin"
printf '#!/bin/sh\nexit 0\n' >"$d/bin/qemu-io"
chmod +x "$d/bin/qemu-io"
PATH="$d/bin:$PATH" SKIP= capi-tests/capi/qemu-io.sh build/lib >"$d/5" 2>&1 &&
	no "5: qemu-io.sh passed with a qemu-io that does not use liburing"
grep -q "^FAIL test-qemu: .*not linked against liburing" "$d/5" || no "5: no FAIL line naming why: $(tail -2 "$d/5")"
rm -f "$d/rec"
PATH="$d/bin:$PATH" SKIP=qemu SKIP_RECORD=$d/rec capi-tests/capi/qemu-io.sh build/lib >"$d/5b" 2>&1 ||
	no "5: SKIP=qemu did not let qemu-io.sh off"
grep -q "^SKIP test-qemu: .*(opted out: SKIP=qemu)" "$d/rec" 2>/dev/null || no "5: the qemu skip was not recorded"

# 6. test-dropin's deb root as an unprivileged user (when we are root and
#    have setpriv): fails naming root; SKIP=root records the skip.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 777 "$d"; rm -f "$d/rec"
	nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups capi-tests/dropin/deb-root.sh; }
	SKIP= nobody >"$d/6" 2>&1 && no "6: deb-root.sh passed as an unprivileged user"
	grep -q "^FAIL test-dropin: deb root: needs root" "$d/6" || no "6: no FAIL line naming root: $(tail -2 "$d/6")"
	SKIP=root SKIP_RECORD=$d/rec nobody >"$d/6b" 2>&1 || no "6: SKIP=root did not let deb-root.sh off"
	grep -q "^SKIP test-dropin: deb root: needs root .*(opted out: SKIP=root)" "$d/rec" 2>/dev/null ||
		no "6: the root skip was not recorded"
else
	"$top/capi-tests/skip.sh" root test-skips "case 6 (deb root as an unprivileged user) needs root and setpriv" || bad=1
fi

# 7. Installing what is missing: make demo with qemu-io hidden.
capi-tests/lib/pkg-control.sh || bad=1

# 8. Too little disk for make test: it stops before its first target.
capi-tests/lib/disk-space.sh --control || bad=1
$make --no-print-directory test TEST_DISK_MIB=$((1 << 40)) TEST_TARGETS=test-layout >"$d/8" 2>&1 &&
	no "8: make test passed with a free-space need of 1 EiB"
grep -q "^disk: FAIL: make test needs about $((1 << 40)) MiB free" "$d/8" || no "8: no line naming the shortfall: $(tail -2 "$d/8")"
grep -q "=== make test-layout" "$d/8" && no "8: a target ran after the free-space check failed"

[ $bad = 0 ] && echo "skip-control: a missing valgrind fails test-capi-valgrind; SKIP=valgrind makes make test count it skipped, with the reason; the same for qemu-io and for deb root without root; make demo installs a missing qemu-utils or fails naming it; make test stops naming a disk too small for it"
exit $bad
