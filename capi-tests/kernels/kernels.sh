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
# FAIL/TIMEOUT), after RETRIES more runs with ours. A kernel that cannot be
# fetched or a guest that does not finish fails the run.
#
# Environment:
#   KERNELS="bookworm trixie sid"   Debian suites whose kernel to boot
#   ARCH=amd64                      guest architecture (fetch-kernel.sh, run-guest.sh)
#   ACCEL=auto                      kvm, tcg or auto (probe once, with the first kernel)
#   TESTS="nop.t ..."               upstream tests to run instead of the list
#   UP_TIMEOUT=120 (smoke: 30) CAPI_TIMEOUT=300 (smoke: 60) CAPI_NOPS=200000 RETRIES=2
#                                   guest job limits
#   KERNELS_OUT=target/kernels/{run,smoke}   work and result directory
#   OUR_LIBDIR=build/lib            the liburing.so.2 / liburing-ffi.so.2 under test
#                                   (the programs stay the same; qemu runs on it too)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/capi-tests/kernels"
smoke=0
[ "${1:-}" = --smoke ] && smoke=1
ARCH=${ARCH:-amd64}
KERNELS=${KERNELS:-bookworm trixie sid}
ACCEL=${ACCEL:-auto}
if [ $smoke = 1 ]; then kind=smoke; else kind=run; fi
# The smoke has a time budget: an upstream test still running after 30 s is a
# TIMEOUT, one of our C programs (a few seconds each) is killed after 60 s.
[ $smoke = 1 ] && UP_TIMEOUT=${UP_TIMEOUT:-30} && CAPI_TIMEOUT=${CAPI_TIMEOUT:-60}
out=${KERNELS_OUT:-$top/target/kernels/$kind}
up_out=${UPSTREAM_TESTS_OUT:-$top/target/upstream-tests}
export ARCH

say() { echo "kernels: $*"; }
fail() { echo "FAIL kernels: $*"; exit 1; }
t_start=$(date +%s)
say "$kind on $KERNELS ($ARCH); load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"

# --- what runs in the guests ------------------------------------------------
ourlib=${OUR_LIBDIR:-$top/build/lib}
capiref="$top/target/capi-reference/src"
for l in liburing.so.2 liburing-ffi.so.2; do
    [ -e "$ourlib/$l" ] || fail "$ourlib/$l missing (run make lib)"
done
for form in ours ffi; do
    n=$(find "$top/build/capi-tests/$form" -maxdepth 1 -type f -perm -u+x 2>/dev/null | wc -l)
    [ "$n" -gt 0 ] || fail "no C test programs in build/capi-tests/$form (make capi-build CAPI_HEADERS=$form)"
done

cfg=$("$top/capi-tests/upstream/configured.sh") || fail "could not configure upstream's tree"
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
if [ ! -f "$cfg/src/liburing.so.2.15" ]; then
    say "building upstream's own library (the reference) in $cfg/src"
    make -C "$cfg/src" -j"${JOBS:-2}" > "$cfg/src/build.log" 2>&1 ||
        fail "upstream's own library does not build (see $cfg/src/build.log)"
fi

payload="$out/payload"
rm -rf "$payload"
mkdir -p "$payload"/lib/{ours,upstream,capi-ref} "$payload"/capi/{ours,ffi} "$payload/upstream"
cp -L "$ourlib/liburing.so.2" "$ourlib/liburing-ffi.so.2" "$payload/lib/ours/"
cp -L "$cfg/src/liburing.so.2.15" "$payload/lib/upstream/liburing.so.2"
cp -L "$cfg/src/liburing-ffi.so.2.15" "$payload/lib/upstream/liburing-ffi.so.2"
# Our C tests' reference: upstream's library built with --use-libc (mk/capi.mk).
if [ -f "$capiref/liburing.so.2.15" ] && [ -f "$capiref/liburing-ffi.so.2.15" ]; then
    cp -L "$capiref/liburing.so.2.15" "$payload/lib/capi-ref/liburing.so.2"
    cp -L "$capiref/liburing-ffi.so.2.15" "$payload/lib/capi-ref/liburing-ffi.so.2"
else
    say "no $capiref/liburing.so.2.15 (make target/capi-reference/.built): our C tests run without a reference"
fi
for form in ours ffi; do
    find "$top/build/capi-tests/$form" -maxdepth 1 -type f -perm -u+x -exec cp {} "$payload/capi/$form/" \;
done
: > "$payload/upstream/upstream.list"
for t in $list; do
    [ -x "$tdir/$t" ] && cp "$tdir/$t" "$payload/upstream/"
    echo "$t" >> "$payload/upstream/upstream.list"
done
cp "$here/guest-job.sh" "$payload/job.sh"
cat > "$payload/job.conf" <<CONF
CAPI_NOPS=${CAPI_NOPS:-200000}
UP_TIMEOUT=${UP_TIMEOUT:-120}
CAPI_TIMEOUT=${CAPI_TIMEOUT:-300}
RETRIES=${RETRIES:-2}
CONF
t_prep=$(date +%s)
say "payload ready in $((t_prep - t_start)) s: $(ls "$payload/upstream" | grep -c '\.t$') upstream tests, $(ls "$payload/capi/ours" | wc -l) C test programs per form"

# --- one guest per kernel ---------------------------------------------------
status=0
kernel_dirs=()
for suite in $KERNELS; do
    kout="$out/$suite"
    rm -rf "$kout"
    mkdir -p "$kout"
    if ! kdir=$("$here/fetch-kernel.sh" "$suite" "$ARCH" 2> "$kout/fetch.log"); then
        cat "$kout/fetch.log"
        echo "FAIL kernels: no $suite kernel image for $ARCH: $(tail -n 1 "$kout/fetch.log")"
        status=1
        echo "fetch failed: $(tail -n 1 "$kout/fetch.log")" > "$kout/failed"
        kernel_dirs+=("$kout")
        continue
    fi
    cp "$kdir/kernel.info" "$kout/kernel.info"
    if [ "$ACCEL" = auto ]; then
        # (qemu aborts under nested KVM; bash's "Aborted" note goes to a file)
        ACCEL=$("$here/run-guest.sh" --probe "$kdir" "$out/probe" 2> "$out/probe.stderr")
        say "KVM probe (20 s boot of $suite's kernel): $ACCEL; $(tr '\n' ' ' < "$out/probe/probe.txt")"
    fi
    say "$suite: booting Linux $(sed -n 's/^release //p' "$kdir/kernel.info") ($ACCEL)"
    t0=$(date +%s)
    ACCEL=$ACCEL QEMU_LIBDIR=$ourlib "$here/run-guest.sh" "$kdir" "$payload" "$kout" > "$kout/run-guest.log" 2>&1
    rc=$?
    cat "$kout/run-guest.log"
    [ -f "$out/probe/probe.txt" ] && cp "$out/probe/probe.txt" "$kout/probe.txt"
    echo "$(( $(date +%s) - t0 ))" > "$kout/wall-seconds"
    if [ $rc -ne 0 ]; then
        status=1
        echo "the guest run failed (see run-guest.log)" > "$kout/failed"
    fi
    kernel_dirs+=("$kout")
done

say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/report.py" --kind "$kind" "${kernel_dirs[@]}" || status=1
say "wall time: $(( $(date +%s) - t_start )) s (preparation $((t_prep - t_start)) s)"
exit $status
