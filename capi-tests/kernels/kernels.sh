#!/usr/bin/env bash
# Our C tests and upstream liburing 2.15's suite on Debian's kernels, each in a
# qemu guest (see run-guest.sh), with upstream's own library as the reference
# in the same boot.
#
#   kernels.sh            the full matrix: every upstream test built here
#   kernels.sh --smoke    the tests of smoke-tests.txt (about 40)
#
# In each guest (guest-job.sh): our C test programs in both forms (our header +
# liburing.so.2, our header in FFI form + liburing-ffi.so.2), then every
# upstream test built in abi mode (upstream's headers, linked to
# liburing.so.2) on our library and, right after, the same binary on upstream's
# own library. The test programs are taken from their build outputs
# (build/capi-tests/{ours,ffi}/ and the abi mode's test directory of
# capi-tests/upstream/run.sh), whatever their sources are.
#
# Judging (report.py): our C tests must pass (a skip names its reason and is
# not a pass); an upstream test is worse only when it ends worse on our library
# than on upstream's own library on that kernel in that boot (PASS > SKIP >
# FAIL/TIMEOUT) more often than chance allows, in up to PAIRS paired runs of
# both (guest-job.sh, report.py). A kernel that cannot be
# fetched or a guest that does not finish fails the run.
#
# The planted regression (plant.sh): our library built from a copy of the
# sources without the NO_SQARRAY fall-back goes into the payload, and on every
# kernel older than 6.6 (bookworm's 6.1) the guest runs setup.c on it once
# more; report.py fails the run unless setup.c fails there.
#
# The guests run KERNEL_JOBS at a time (two on this 2-core machine), the
# newest kernel first (it runs the most tests), through the guest runner that
# capi-tests/arches/guests.sh uses too (capi-tests/lib/guests.sh: the fetch,
# the launch, wall-seconds, failed, run-guest.log). The KVM probe's answer is kept
# in target/kernels/accel-probe.txt for this host kernel, qemu and /dev/kvm,
# and probed again when one of them changes (KVM_PROBE=1 forces a probe).
#
# Environment:
#   KERNELS="bookworm trixie sid"   Debian suites whose kernel to boot
#   ARCH=amd64                      guest architecture (fetch-kernel.sh, run-guest.sh)
#   ACCEL=auto                      kvm, tcg or auto (probe once, with the first kernel)
#   TESTS="nop.t ..."               upstream tests to run instead of the list
#   UP_TIMEOUT=120 (smoke: 30) CAPI_TIMEOUT=300 (smoke: 60) CAPI_NOPS=200000 PAIRS=6 PAIR_BUDGET=600
#                                   guest job limits
#   CAPI_REF=always (smoke: on-failure)   our C tests on upstream's library too:
#                                   every program, or only one that failed on ours
#   UP_REF=always                   upstream's suite on upstream's library too:
#                                   every test (on-miss: only one ours did not pass)
#   CAPI_FORMS="ours ffi"           the forms of our C tests to run in the guests
#   KERNEL_JOBS=2                   guests at once
#   GUEST_TIMEOUT=900 (full: 7200)  seconds a guest may run
#   PLANT=1                         build and run the planted regression (0: not)
#   KERNELS_OUT=target/kernels/{run,smoke}   work and result directory
#   OUR_LIBDIR=build/lib            the liburing.so.2 / liburing-ffi.so.2 under test
#                                   (the programs stay the same; qemu runs on it too)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/capi-tests/kernels"
# shellcheck source=capi-tests/kernels/payload.sh
source "$here/payload.sh"
# shellcheck source=capi-tests/lib/guests.sh
source "$top/capi-tests/lib/guests.sh"
smoke=0
[ "${1:-}" = --smoke ] && smoke=1
ARCH=${ARCH:-amd64}
KERNELS=${KERNELS:-bookworm trixie sid}
ACCEL=${ACCEL:-auto}
if [ $smoke = 1 ]; then kind=smoke; else kind=run; fi
# The smoke has a time budget: an upstream test still running after 30 s is a
# TIMEOUT, one of our C programs (a few seconds each) is killed after 60 s.
[ $smoke = 1 ] && UP_TIMEOUT=${UP_TIMEOUT:-30} && CAPI_TIMEOUT=${CAPI_TIMEOUT:-60}
# The smoke runs a C program on upstream's library only when it failed on
# ours (the judge compares failing checks); the full matrix runs every one on
# both, for COMPATIBILITY.md's tables.
[ $smoke = 1 ] && CAPI_REF=${CAPI_REF:-on-failure}
# Upstream's suite runs on both libraries in the smoke too (UP_REF=always):
# the guests' counts on upstream's library are those of the full matrix's
# form. (UP_REF=on-miss, a test on upstream's library only when ours did not
# pass it, gives the same verdicts: a pass cannot be worse; it is faster
# but leaves upstream's library's counts out.)
KERNEL_JOBS=${KERNEL_JOBS:-2}
# A guest is stopped after GUEST_TIMEOUT s (run-guest.sh): 900 fits the smoke
# (its slowest guest took 377 s at load average 15); the full matrix's 255
# upstream tests on two libraries take about 40 min per kernel under TCG.
[ $smoke = 1 ] || export GUEST_TIMEOUT=${GUEST_TIMEOUT:-7200}
out=${KERNELS_OUT:-$top/target/kernels/$kind}
up_out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
mkdir -p "$(dirname "$out")" "$up_out"
export ARCH

say() { echo "kernels: $*"; }
fail() { echo "FAIL kernels: $*"; exit 1; }
# A piece this machine lacks (qemu, busybox, a kernel image): a failure with
# its reason, unless SKIP=kernels opts out (capi-tests/skip.sh records it).
target=test-kernels
[ $smoke = 1 ] && target=test-kernels-smoke
missing() { "$top/capi-tests/skip.sh" kernels "$target" "$1"; }
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
t_start=$(date +%s)
say "$kind on $KERNELS ($ARCH); load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"

case $ARCH in
    amd64) qemu=qemu-system-x86_64 qemu_pkg=qemu-system-x86;;
    arm64) qemu=qemu-system-aarch64 qemu_pkg=qemu-system-arm;;
    *) qemu=qemu-system-$ARCH qemu_pkg=qemu-system-misc;;
esac
if ! pkg_need "$qemu" "$qemu_pkg"; then
    missing "$qemu is missing and $qemu_pkg could not be installed (why: the 'pkg:' line above): no guest can boot"
    exit $?
fi
if ! pkg_need busybox busybox-static --static; then
    missing "no static busybox: busybox-static could not be installed (why: the 'pkg:' line above): no guest initramfs can be built"
    exit $?
fi

# The kernels are fetched all at once (each suite has its own apt lists and
# cache; on a fresh clone unpacking sid's 110 MB modules package is most of
# it), in the background while the payload below is built; a run that stops
# before they are waited for stops them too.
t_fetch=$(date +%s)
fetch_pids=()
for suite in $KERNELS; do
    kout="$out/$suite"
    rm -rf "$kout"
    mkdir -p "$kout"
    guest_fetch "$kout" "$suite" "$ARCH" &
    fetch_pids+=($!)
done
trap 'kill "${fetch_pids[@]}" 2> /dev/null' EXIT

# --- what runs in the guests ------------------------------------------------
ourlib=${OUR_LIBDIR:-$top/build/lib}
for l in liburing.so.2 liburing-ffi.so.2; do
    [ -e "$ourlib/$l" ] || fail "$ourlib/$l missing (run make lib)"
done
for form in ours ffi; do
    n=$(find "$top/build/capi-tests/$form" -maxdepth 1 -type f -perm -u+x 2>/dev/null | wc -l)
    [ "$n" -gt 0 ] || fail "no C test programs in build/capi-tests/$form (make capi-build CAPI_HEADERS=$form)"
done

# Upstream's tree with its own library (the suite's reference), and the same
# built with --use-libc (our C tests' reference, as test-capi-reference's):
# capi-tests/lib/upstream-build.sh, built once for every user.
cfg=$("$top/capi-tests/lib/upstream-build.sh") || fail "upstream's own library could not be configured and built (the upstream-build: lines above)"
capiref=$("$top/capi-tests/lib/upstream-build.sh" --use-libc) || fail "upstream's --use-libc library could not be built (the upstream-build: lines above)"
capiref="$capiref/src"
if [ -n "${TESTS:-}" ]; then
    list=$TESTS
elif [ $smoke = 1 ]; then
    list=$(grep -v '^#' "$here/smoke-tests.txt" | grep .)
else
    list=$(cd "$cfg/test" && printf 'include Makefile\nkernels-print-tests:\n\t@echo $(test_targets)\n' |
        make -s --no-print-directory -f - kernels-print-tests) || fail "could not read upstream's test list"
fi
list=$(echo $list)
say "building $(echo $list | wc -w) upstream tests in abi mode (if not built yet)"
MODES=abi NO_RUN=1 TESTS="$list" JOBS=${JOBS:-2} UPSTREAM_TESTS_OUT="$up_out" \
    "$top/capi-tests/upstream/run.sh" > "$out.build.log" 2>&1 ||
    { tail -n 20 "$out.build.log"; fail "building upstream's tests failed (see $out.build.log)"; }
tdir="$up_out/abi/test"

payload="$out/payload"
# Our C tests' reference: upstream's library built with --use-libc ($capiref).
# shellcheck disable=SC2086 # the list is words
payload_lay_out "$payload" "$ourlib" "$cfg/src" "$capiref" "$top/build/capi-tests" "$tdir" $list ||
    fail "could not lay out the guest payload in $payload"
plant_note=
if [ "${PLANT:-1}" = 1 ]; then
    plantlib=$("$here/plant.sh" "$top/target/kernels/plant" 2> "$out.plant.log") ||
        { cat "$out.plant.log"; fail "the planted library does not build (see $out.plant.log)"; }
    mkdir -p "$payload/lib/planted"
    cp -L "$plantlib/liburing.so.2" "$payload/lib/planted/"
    plant_note=--plant
fi
cat > "$payload/job.conf" <<CONF
CAPI_NOPS=${CAPI_NOPS:-200000}
UP_TIMEOUT=${UP_TIMEOUT:-120}
CAPI_TIMEOUT=${CAPI_TIMEOUT:-300}
PAIRS=${PAIRS:-6}
PAIR_BUDGET=${PAIR_BUDGET:-600}
CAPI_FORMS="${CAPI_FORMS:-ours ffi}"
CAPI_REF=${CAPI_REF:-always}
UP_REF=${UP_REF:-always}
CONF
# Which library the run tested (COMPATIBILITY.md's tables name it; see
# kernels-doc.py): HEAD, and whether library code had uncommitted changes.
commit=$(git -C "$top" rev-parse HEAD 2>/dev/null || echo unknown)
dirty=
mapfile -t lib_paths < <(grep -v '^#' "$top/capi-tests/lib/library-code.txt")
git -C "$top" diff --quiet HEAD -- "${lib_paths[@]}" 2>/dev/null ||
    dirty=with-local-changes
echo "$commit $dirty" > "$out/commit.txt"
if [ $smoke = 1 ]; then echo smoke; elif [ -n "${TESTS:-}" ]; then echo "subset TESTS=$TESTS"
elif [ "$KERNELS" != "bookworm trixie sid" ]; then echo "subset KERNELS=$KERNELS"; else echo full; fi > "$out/run-kind.txt"
# The payload's part of every guest's initramfs, built once.
"$here/run-guest.sh" --payload-cpio "$payload" "$out/payload.cpio" 2>&1 ||
    fail "could not build the payload's initramfs archive"
t_prep=$(date +%s)
say "payload ready in $((t_prep - t_start)) s: $(ls "$payload/upstream" | grep -c '\.t$') upstream tests, $(ls "$payload/capi/ours" | wc -l) C test programs per form"

# --- one guest per kernel, KERNEL_JOBS at a time ----------------------------
# (the guest runner: capi-tests/lib/guests.sh)
status=0
kernel_dirs=()
declare -A kdirs=()
wait "${fetch_pids[@]}"
trap - EXIT
say "kernel images ready in $(( $(date +%s) - t_fetch )) s (fetched while the payload was built)"
for suite in $KERNELS; do
    kout="$out/$suite"
    kernel_dirs+=("$kout")
    if ! guest_kernel "$kout"; then
        cat "$kout/fetch.log"
        if missing "no $suite kernel image for $ARCH: $(tail -n 1 "$kout/fetch.log")"; then
            # opted out (SKIP=kernels): recorded as a skip, not judged
            kernel_dirs=("${kernel_dirs[@]:0:${#kernel_dirs[@]}-1}")
        else
            status=1
            echo "fetch failed: $(tail -n 1 "$kout/fetch.log")" > "$kout/failed"
        fi
        continue
    fi
    kdirs[$suite]=$guest_kdir
done

# The KVM probe (20 s) once per host kernel, qemu build and /dev/kvm.
if [ "$ACCEL" = auto ] && [ ${#kdirs[@]} -gt 0 ]; then
    first=$(for s in $KERNELS; do [ -n "${kdirs[$s]:-}" ] && echo "$s" && break; done)
    key="host $(uname -r); $("$qemu" --version 2>/dev/null | head -1); /dev/kvm $([ -w /dev/kvm ] && echo yes || echo no); arch $ARCH"
    cache="$top/target/kernels/accel-probe.txt"
    if [ "${KVM_PROBE:-0}" != 1 ] && [ -f "$cache" ] && [ "$(sed -n 1p "$cache")" = "$key" ]; then
        ACCEL=$(sed -n 2p "$cache")
        mkdir -p "$out/probe"
        { sed -n '4,$p' "$cache"; echo "(probed $(sed -n 3p "$cache") for this host kernel, qemu and /dev/kvm; KVM_PROBE=1 probes again)"; } > "$out/probe/probe.txt"
    else
        # (qemu aborts under nested KVM; bash's "Aborted" note goes to a file)
        ACCEL=$("$here/run-guest.sh" --probe "${kdirs[$first]}" "$out/probe" 2> "$out/probe.stderr")
        { echo "$key"; echo "$ACCEL"; date -u +"%Y-%m-%d %H:%M UTC with $first's kernel"; cat "$out/probe/probe.txt"; } > "$cache"
    fi
    say "KVM probe: $ACCEL; $(tr '\n' ' ' < "$out/probe/probe.txt")"
fi

# Newest kernel first (it runs the most tests).
launch=()
for suite in $KERNELS; do
    [ -n "${kdirs[$suite]:-}" ] || continue
    guest_add "$suite" "$out/$suite" "${kdirs[$suite]}" "$payload" \
        ACCEL="$ACCEL" QEMU_LIBDIR="$ourlib" PAYLOAD_CPIO="$out/payload.cpio"
    launch=("$suite" "${launch[@]}")
done
[ ${#launch[@]} -eq 0 ] || guests_launch --jobs "$KERNEL_JOBS" --probe "$out/probe/probe.txt" "${launch[@]}" || status=1

say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ ${#kernel_dirs[@]} -gt 0 ] || { say "no kernel left to judge (every one skipped)"; exit $status; }
python3 "$here/report.py" --kind "$kind" $plant_note --forms "${CAPI_FORMS:-ours ffi}" "${kernel_dirs[@]}" || status=1
say "wall time: $(( $(date +%s) - t_start )) s (preparation $((t_prep - t_start)) s)"
echo "$(( $(date +%s) - t_start ))" > "$out/wall-seconds"
exit $status
