#!/usr/bin/env bash
# Boot one kernel in qemu with an initramfs built now, run a job in it, and
# bring the job's results back through a raw virtio disk.
#
#   run-guest.sh KERNEL_DIR PAYLOAD_DIR OUT_DIR      run PAYLOAD_DIR/job.sh in a guest
#   run-guest.sh --probe KERNEL_DIR WORK_DIR         print "kvm" or "tcg"
#   run-guest.sh --payload-cpio PAYLOAD_DIR OUT.cpio  the payload's part of the
#        initramfs, built once; PAYLOAD_CPIO=OUT.cpio then makes each guest's
#        initramfs its kernel's modules and /init followed by that archive
#
# KERNEL_DIR is what fetch-kernel.sh prints (vmlinuz, modules/, kernel.info).
# PAYLOAD_DIR becomes /payload in the guest; job.sh runs there as
# "sh /payload/job.sh /results" in a tmpfs working directory, and what it
# leaves in /results comes back in OUT_DIR/results/. Every shared library the
# payload's ELF files need (ldd on the host) is copied to its own path, except
# liburing*: the payload brings the liburing builds it wants to test, in its
# own directories, and nothing else in the guest can stand in for them.
#
# The host side of the result channel is a raw image that qemu serves as a
# virtio disk with aio=io_uring, while qemu itself runs with
# LD_LIBRARY_PATH=$QEMU_LIBDIR (our build/lib): qemu-system-x86 is one of
# Debian's own liburing users. While the guest runs, /proc/<qemu>/maps and
# /proc/<qemu>/fd are sampled: every liburing object qemu mapped must be under
# $QEMU_LIBDIR, and qemu must hold io_uring instances (OUT_DIR/qemu-proof.txt).
# The guest prints the size and sha256 of the archive it wrote on the serial
# console; the host reads that many bytes back from the image and compares.
#
# Failures (exit 1, with the reason and the console's tail): no qemu, no kernel
# image, a guest that does not finish in GUEST_TIMEOUT seconds, results that do
# not come back intact, qemu on another liburing.
#
# Environment:
#   ARCH=amd64           Debian architecture of the guest (kernel and payload)
#   ACCEL=auto           kvm, tcg, or auto (a 20-second KVM boot probe first)
#   GUEST_MEM=2048       MiB;  GUEST_CPUS=2
#   GUEST_TIMEOUT=900    seconds for the whole boot
#   QEMU_LIBDIR=build/lib   the liburing.so.2 qemu must run on
#   RESULT_DISK_MB=64    size of the result disk
#   GUEST_BUSYBOX=       the static busybox the guest runs (default: the host's;
#                        another architecture's guest needs its own)
#   GUEST_OVERLAY=       a directory copied onto the initramfs root (another
#                        architecture's C library, which ldd here cannot see)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/capi-tests/kernels"
ARCH=${ARCH:-amd64}
ACCEL=${ACCEL:-auto}
GUEST_MEM=${GUEST_MEM:-2048}
GUEST_CPUS=${GUEST_CPUS:-2}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
QEMU_LIBDIR=${QEMU_LIBDIR:-$top/build/lib}
RESULT_DISK_MB=${RESULT_DISK_MB:-64}

say() { echo "run-guest: $*" >&2; }
fail() { echo "FAIL run-guest: $*"; exit 1; }

# Per-architecture qemu: binary, Debian package, machine options, console.
case $ARCH in
    # no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer
    # test can miss its window and panic ("IO-APIC + timer doesn't work!",
    # seen booting sid's 7.2 with two guests at once); skip that test.
    amd64) qemu=qemu-system-x86_64; qemu_pkg=qemu-system-x86; machine=(); console=ttyS0; kvm_ok=1
        kargs=no_timer_check;;
    arm64) qemu=qemu-system-aarch64; qemu_pkg=qemu-system-arm; machine=(-M virt); console=ttyAMA0; kvm_ok=0
        kargs=;;
    # -serial is the SCLP console; if=virtio is virtio-blk-ccw.
    s390x) qemu=qemu-system-s390x; qemu_pkg=qemu-system-s390x; machine=(-M s390-ccw-virtio); console=ttysclp0; kvm_ok=0
        kargs=;;
    # armmp-lpae needs LPAE: "max" is a Cortex-A15-class CPU with it.
    armhf) qemu=qemu-system-arm; qemu_pkg=qemu-system-arm; machine=(-M virt); console=ttyAMA0; kvm_ok=0
        kargs=;;
    # -M virt loads qemu's own OpenSBI firmware (-bios default). Debian 12's
    # qemu (7.2) has no "max" CPU for riscv64: rv64, its generic RV64GC.
    riscv64) qemu=qemu-system-riscv64; qemu_pkg=qemu-system-misc; machine=(-M virt); console=ttyS0; kvm_ok=0
        kargs=; tcg_cpu=rv64;;
    # pseries boots through qemu's SLOF; -serial is the hypervisor console.
    # TCG has no "max" CPU for ppc64: POWER9 (Debian's ppc64el baseline is
    # POWER8).
    ppc64el) qemu=qemu-system-ppc64; qemu_pkg=qemu-system-ppc; machine=(-M pseries); console=hvc0; kvm_ok=0
        kargs=; tcg_cpu=power9;;
    *) fail "no qemu set-up known for architecture '$ARCH'";;
esac

# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
ensure_qemu() {
    pkg_need "$qemu" "$qemu_pkg" || fail "$qemu is missing and $qemu_pkg could not be installed"
}
ensure_busybox() {
    pkg_need busybox busybox-static --static || fail "no static busybox: busybox-static could not be installed"
    busybox=$(command -v busybox)
}

accel_opts() { # "kvm CPU" or "tcg" -> qemu options
    case $1 in
        kvm*) set -- $1; echo "-accel kvm -cpu ${2:-host}";;
        tcg) echo "-accel tcg,thread=multi -cpu ${tcg_cpu:-max}";;
        *) fail "ACCEL must be kvm, tcg or auto, not '$1'";;
    esac
}

# make_initramfs ROOT OUT.cpio
make_initramfs() {
    (cd "$1" && find . | "$busybox" cpio -o -H newc 2>/dev/null) > "$2"
}

base_root() { # ROOT KERNEL_DIR INIT
    local root=$1 kdir=$2
    rm -rf "$root"
    mkdir -p "$root"/{bin,proc,sys,dev,tmp,modules,payload}
    [ -x "${GUEST_BUSYBOX:-$busybox}" ] || fail "GUEST_BUSYBOX=$GUEST_BUSYBOX is not an executable"
    cp "${GUEST_BUSYBOX:-$busybox}" "$root/bin/busybox"
    if [ -n "${GUEST_OVERLAY:-}" ]; then
        [ -d "$GUEST_OVERLAY" ] || fail "GUEST_OVERLAY=$GUEST_OVERLAY is not a directory"
        cp -a "$GUEST_OVERLAY"/. "$root/"
    fi
    ln -s busybox "$root/bin/sh"
    cp "$3" "$root/init"
    chmod +x "$root/init"
    if [ -d "$kdir/modules" ]; then cp "$kdir"/modules/* "$root/modules/"; fi
}

# probe: boot the kernel with KVM and an initramfs that only says hello, in at
# most 20 seconds. "-cpu host" first; nested KVM here rejects the host's
# IA32_ARCH_CAPABILITIES MSR (qemu aborts at once), so the same CPU without
# that MSR is tried for the rest of the 20 seconds. Prints "kvm CPU" or "tcg",
# and the reason to $work/probe.txt.
probe() {
    local kdir=$1 work=$2 pid cpu deadline died
    mkdir -p "$work"
    : > "$work/probe.txt"
    if [ "$kvm_ok" != 1 ] || [ ! -w /dev/kvm ]; then
        echo "no KVM for $ARCH guests here (/dev/kvm missing or another architecture)" > "$work/probe.txt"
        echo tcg; return
    fi
    printf '#!/bin/sh\n/bin/busybox echo KVM-PROBE-OK\n/bin/busybox poweroff -f\n' > "$work/probe-init"
    base_root "$work/probe-root" "$kdir" "$work/probe-init"
    rm -rf "$work/probe-root/modules"
    make_initramfs "$work/probe-root" "$work/probe.cpio"
    deadline=$(( $(date +%s) + 20 ))
    for cpu in host host,-arch-capabilities; do
        : > "$work/probe-console.log"
        "$qemu" "${machine[@]}" -accel kvm -cpu "$cpu" -m 256 -smp 1 -kernel "$kdir/vmlinuz" \
            -initrd "$work/probe.cpio" -append "console=$console panic=-1 quiet" -display none -monitor none \
            -no-reboot -serial "file:$work/probe-console.log" > "$work/probe-qemu.log" 2>&1 &
        pid=$!
        died=0
        while [ "$(date +%s)" -lt "$deadline" ]; do
            grep -q KVM-PROBE-OK "$work/probe-console.log" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || { died=1; break; }
            sleep 0.5
        done
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        if grep -q KVM-PROBE-OK "$work/probe-console.log"; then
            echo "KVM booted the kernel with -cpu $cpu" >> "$work/probe.txt"
            echo "kvm $cpu"; return
        fi
        if [ "$died" = 1 ]; then
            echo "KVM -cpu $cpu: qemu failed: $(grep -v '^$' "$work/probe-qemu.log" | head -1)" >> "$work/probe.txt"
        else
            echo "KVM -cpu $cpu: no KVM-PROBE-OK by the 20 s mark (the guest stalled; console: $(wc -c < "$work/probe-console.log") bytes)" >> "$work/probe.txt"
        fi
        [ "$(date +%s)" -lt "$deadline" ] || break
    done
    echo "tcg"
}

# add_payload ROOT PAYLOAD_DIR: the payload as ROOT/payload, and every shared
# library its ELF files need (ldd on the host) at its own path; sets $libs.
add_payload() {
    local root=$1 lddout missing
    mkdir -p "$root/payload"
    cp -a "$2"/. "$root/payload/"
    lddout=$(find "$root/payload" -type f -perm -u+x -print0 | xargs -0 -r file -N --mime-type 2>/dev/null |
        awk -F': ' '$2 ~ /x-(pie-)?(executable|sharedlib)/ {print $1}' |
        while read -r f; do ldd "$f" 2>/dev/null | sed "s|^|${f#"$root"} |"; done)
    missing=$(echo "$lddout" | awk '/not found/ && $2 !~ /^liburing/ {print $1 ": " $2}')
    [ -z "$missing" ] || fail "libraries not found for the payload: $missing"
    libs=$(echo "$lddout" | awk '$3 == "=>" && $4 ~ /^\// {print $4} $2 ~ /^\// && $3 ~ /^\(/ {print $2}' |
        grep -v '/liburing' | sort -u)
    for l in $libs; do
        mkdir -p "$root$(dirname "$l")"
        cp -L "$l" "$root$l"
    done
}

if [ "${1:-}" = --payload-cpio ]; then
    # run-guest.sh --payload-cpio PAYLOAD_DIR OUT.cpio: the payload's part of
    # the initramfs, for PAYLOAD_CPIO=OUT.cpio run-guest.sh KERNEL_DIR PAYLOAD_DIR OUT_DIR
    [ -f "${2:?usage: run-guest.sh --payload-cpio PAYLOAD_DIR OUT.cpio}/job.sh" ] || fail "no $2/job.sh"
    ensure_busybox
    tmp=$(mktemp -d)
    add_payload "$tmp" "$2"
    make_initramfs "$tmp" "${3:?usage: run-guest.sh --payload-cpio PAYLOAD_DIR OUT.cpio}"
    rm -rf "$tmp"
    say "payload archive $3: $(du -m "$3" | cut -f1) MiB, $(echo "$libs" | grep -c .) shared libraries from the host"
    exit 0
fi

if [ "${1:-}" = --probe ]; then
    kdir=${2:?usage: run-guest.sh --probe KERNEL_DIR WORK_DIR}
    ensure_qemu; ensure_busybox
    [ -f "$kdir/vmlinuz" ] || fail "no kernel image $kdir/vmlinuz"
    probe "$kdir" "${3:?usage: run-guest.sh --probe KERNEL_DIR WORK_DIR}"
    exit 0
fi

kdir=${1:?usage: run-guest.sh KERNEL_DIR PAYLOAD_DIR OUT_DIR}
payload=${2:?usage: run-guest.sh KERNEL_DIR PAYLOAD_DIR OUT_DIR}
out=${3:?usage: run-guest.sh KERNEL_DIR PAYLOAD_DIR OUT_DIR}
[ -f "$kdir/vmlinuz" ] || fail "no kernel image $kdir/vmlinuz (run fetch-kernel.sh)"
[ -f "$payload/job.sh" ] || fail "no $payload/job.sh"
[ -e "$QEMU_LIBDIR/liburing.so.2" ] || fail "no $QEMU_LIBDIR/liburing.so.2 for qemu to run on (run make)"
ensure_qemu
ensure_busybox
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "$ACCEL" = auto ]; then
    ACCEL=$(probe "$kdir" "$out/probe")
    say "KVM probe (20 s boot): $ACCEL; $(tr '\n' ' ' < "$out/probe/probe.txt")"
else
    rm -rf "$out/probe"
fi

# --- initramfs ------------------------------------------------------------
t_ir=$(date +%s)
root="$out/root"
base_root "$root" "$kdir" "$here/guest-init.sh"
if [ -n "${PAYLOAD_CPIO:-}" ]; then
    # the payload's part, built once for several guests (--payload-cpio):
    # the kernel unpacks the two archives one after the other
    [ -f "$PAYLOAD_CPIO" ] || fail "no $PAYLOAD_CPIO (PAYLOAD_CPIO)"
    make_initramfs "$root" "$out/base.cpio"
    cat "$out/base.cpio" "$PAYLOAD_CPIO" > "$out/initramfs.cpio"
    rm -f "$out/base.cpio"
    libs="(those of $PAYLOAD_CPIO)"
else
    add_payload "$root" "$payload"
    make_initramfs "$root" "$out/initramfs.cpio"
fi
say "initramfs: $(du -m "$out/initramfs.cpio" | cut -f1) MiB, $(echo "$libs" | grep -c .) shared libraries from the host, in $(( $(date +%s) - t_ir )) s"

# --- boot -----------------------------------------------------------------
disk="$out/results.img"
rm -f "$disk"
truncate -s "${RESULT_DISK_MB}M" "$disk"
console_log="$out/console.log"
: > "$console_log"
read -r -a accel <<< "$(accel_opts "$ACCEL")"
cmd=("$qemu" "${machine[@]}" "${accel[@]}" -m "$GUEST_MEM" -smp "$GUEST_CPUS"
    -kernel "$kdir/vmlinuz" -initrd "$out/initramfs.cpio"
    -append "console=$console panic=-1 quiet${kargs:+ $kargs}"
    -display none -monitor none -no-reboot -serial "file:$console_log"
    -drive "file=$disk,format=raw,if=virtio,aio=io_uring,cache=writeback")
echo "LD_LIBRARY_PATH=$QEMU_LIBDIR ${cmd[*]}" > "$out/qemu-cmd.txt"
t0=$(date +%s)
LD_LIBRARY_PATH=$QEMU_LIBDIR "${cmd[@]}" > "$out/qemu.log" 2>&1 &
qpid=$!

# Sample what qemu mapped and which io_uring instances it holds.
want_lib=$(readlink -f "$QEMU_LIBDIR")
: > "$out/qemu-maps.txt"
max_rings=0
timed_out=0
while kill -0 "$qpid" 2>/dev/null; do
    if [ -r "/proc/$qpid/maps" ]; then
        awk '$6 ~ /liburing/ {print $6}' "/proc/$qpid/maps" 2>/dev/null >> "$out/qemu-maps.txt"
        n=$(ls -l "/proc/$qpid/fd" 2>/dev/null | grep -c 'io_uring')
        [ "$n" -gt "$max_rings" ] && max_rings=$n
    fi
    if [ $(( $(date +%s) - t0 )) -ge "$GUEST_TIMEOUT" ]; then
        timed_out=1
        kill "$qpid" 2>/dev/null; sleep 1; kill -9 "$qpid" 2>/dev/null
        break
    fi
    sleep 1
done
wait "$qpid" 2>/dev/null
qrc=$?
secs=$(( $(date +%s) - t0 ))
sort -u -o "$out/qemu-maps.txt" "$out/qemu-maps.txt"

tail_console() { echo "--- console tail ($console_log) ---"; tail -n 30 "$console_log" | tr -d '\r'; echo "---"; }
problems=()
[ "$timed_out" = 0 ] || problems+=("the guest did not finish in ${GUEST_TIMEOUT}s")
grep -q GUEST-DONE "$console_log" || problems+=("the guest never reached the end of its init (qemu exit $qrc; $(tail -n 3 "$out/qemu.log" | tr '\n' ' '))")

# qemu ran on our library: every liburing object it mapped is ours.
stray=$(grep -v "^$want_lib/" "$out/qemu-maps.txt" || true)
if ! grep -q "^$want_lib/liburing" "$out/qemu-maps.txt"; then
    problems+=("qemu never mapped a liburing from $want_lib")
elif [ -n "$stray" ]; then
    problems+=("qemu mapped another liburing: $stray")
fi
[ "$max_rings" -gt 0 ] || problems+=("qemu held no io_uring instance while the guest ran")
{
    echo "qemu: $("$qemu" --version | head -1)"
    if [ -f "$out/probe/probe.txt" ]; then
        echo "accel: $ACCEL ($(tr '\n' ' ' < "$out/probe/probe.txt"))"
    else
        echo "accel: $ACCEL (set by ACCEL; no probe in this run)"
    fi
    echo "liburing objects qemu mapped: $(tr '\n' ' ' < "$out/qemu-maps.txt")"
    echo "most io_uring instances qemu held at once: $max_rings"
    echo "boot seconds: $secs"
} > "$out/qemu-proof.txt"

# The results came back intact.
line=$(grep -a 'GUEST-RESULTS' "$console_log" | tail -1 | tr -d '\r')
rm -rf "$out/results"
if [ -n "$line" ]; then
    bytes=$(echo "$line" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
    sum=$(echo "$line" | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p')
    got=$(head -c "$bytes" "$disk" | sha256sum | cut -d' ' -f1)
    if [ "$got" = "$sum" ]; then
        mkdir -p "$out/results"
        head -c "$bytes" "$disk" | tar -x -C "$out/results" || problems+=("the result archive does not unpack")
        echo "result disk: $bytes bytes, sha256 $sum on the console and on the disk" >> "$out/qemu-proof.txt"
    else
        problems+=("the result disk holds sha256 $got over $bytes bytes; the guest printed $sum")
    fi
else
    problems+=("the guest printed no GUEST-RESULTS line: $(grep -a GUEST-ERROR "$console_log" | tr -d '\r' | tr '\n' ' ')")
fi

sed 's/^/  /' "$out/qemu-proof.txt"
if [ ${#problems[@]} -gt 0 ]; then
    for p in "${problems[@]}"; do echo "FAIL run-guest ($(sed -n 's/^release //p' "$kdir/kernel.info")): $p"; done
    tail_console
    exit 1
fi
exit 0
