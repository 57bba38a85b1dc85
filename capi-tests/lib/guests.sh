# shellcheck shell=bash
# The one guest runner (sourced by capi-tests/kernels/kernels.sh and
# capi-tests/arches/guests.sh): a Debian kernel fetched for a guest, and guests
# booted with capi-tests/kernels/run-guest.sh, at most N at a time, each timed
# and its failure marked where report.py reads it. What a guest runs (its
# payload) and how it is judged stay with the caller. Messages go through the
# caller's say (its own prefix), with the guest's name first.
#
#   guest_fetch KOUT SUITE ARCH
#       fetch-kernel.sh SUITE ARCH (KERNEL_MODULES, KERNELS_REFRESH from the
#       environment): the kernel's directory in KOUT/fetch.out, its messages
#       in KOUT/fetch.log. Several can run at once (&, then wait).
#   guest_kernel KOUT
#       after guest_fetch: sets guest_kdir to the kernel's directory and copies
#       its kernel.info to KOUT/kernel.info; returns 1 when no kernel came
#       (the reason is the last line of KOUT/fetch.log).
#   guest_add NAME KOUT KDIR PAYLOAD [VAR=VALUE...]
#       a guest to boot: run-guest.sh KDIR PAYLOAD KOUT, with VAR=VALUE in its
#       environment (ARCH, ACCEL, GUEST_CPUS, GUEST_MEM, GUEST_TIMEOUT,
#       QEMU_LIBDIR, PAYLOAD_CPIO, GUEST_BUSYBOX, GUEST_OVERLAY: run-guest.sh's
#       header). guest_out[NAME] is KOUT.
#   guests_launch [--jobs N] [--nice N] [--probe FILE] [NAME...]
#       boots the guests added (NAME...: those, in that order; none: every
#       one, in the order added), at most --jobs at a time (default 1), under
#       nice -n N with --nice. Per guest, in its KOUT:
#         run-guest.log   run-guest.sh's output
#         wall-seconds    seconds from launch to run-guest.sh's exit
#         failed          "the guest run failed (see run-guest.log)" when
#                         run-guest.sh failed
#         probe.txt       a copy of FILE (the KVM probe's answer), if it exists
#       Says "NAME: booting SUITE's Linux RELEASE (ACCEL, N vCPU)" and
#       "NAME: guest finished in N s (exit, boot seconds, the job's exit)",
#       then prints each booted guest's run-guest.log in the order added,
#       under "--- NAME: run-guest.sh". Returns 1 when a guest failed.

guests_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
guest_names=()
declare -A guest_out=() guest_kdir_of=() guest_payload=() guest_env=()

guest_fetch() {
	local kout=$1 suite=$2 arch=$3
	"$guests_lib/kernels/fetch-kernel.sh" "$suite" "$arch" >"$kout/fetch.out" 2>"$kout/fetch.log"
}

guest_kernel() {
	local kout=$1
	guest_kdir=$(grep . "$kout/fetch.out" 2>/dev/null) || return 1
	[ -f "$guest_kdir/kernel.info" ] || return 1
	cp "$guest_kdir/kernel.info" "$kout/kernel.info"
}

guest_add() {
	local name=$1
	guest_names+=("$name")
	guest_out[$name]=$2
	guest_kdir_of[$name]=$3
	guest_payload[$name]=$4
	shift 4
	# one VAR=VALUE a line (values may hold blanks: ACCEL="kvm host")
	guest_env[$name]=$(printf '%s\n' "$@")
}

# guest_run NAME NICE PROBE: one boot, in the background (guests_launch)
guest_run() {
	local name=$1 nice=$2 probe=$3 kout=${guest_out[$1]} t0 rc boot jobexit pre=() envs=()
	[ -z "$nice" ] || pre=(nice -n "$nice")
	[ -z "${guest_env[$name]}" ] || mapfile -t envs <<<"${guest_env[$name]}"
	t0=$(date +%s)
	env "${envs[@]}" "${pre[@]}" "$guests_lib/kernels/run-guest.sh" \
		"${guest_kdir_of[$name]}" "${guest_payload[$name]}" "$kout" >"$kout/run-guest.log" 2>&1
	rc=$?
	[ -z "$probe" ] || [ ! -f "$probe" ] || cp "$probe" "$kout/probe.txt"
	echo "$(($(date +%s) - t0))" >"$kout/wall-seconds"
	[ $rc -eq 0 ] || echo "the guest run failed (see run-guest.log)" >"$kout/failed"
	boot=$(grep -a -q GUEST-BOOT "$kout/console.log" 2>/dev/null && awk '/^boot seconds/ {print $3}' "$kout/qemu-proof.txt" 2>/dev/null)
	jobexit=$(grep -a -o 'GUEST-JOB-EXIT.*' "$kout/console.log" 2>/dev/null | tr -d '\r')
	say "$name: guest finished in $(cat "$kout/wall-seconds") s (exit $rc; qemu's boot seconds: ${boot:-?}; ${jobexit:-no GUEST-JOB-EXIT}); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

guests_launch() {
	local jobs=1 nice="" probe="" name info env accel cpus status=0
	while [ $# -gt 0 ]; do
		case $1 in
		--jobs) jobs=$2 && shift 2 ;;
		--nice) nice=$2 && shift 2 ;;
		--probe) probe=$2 && shift 2 ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || set -- "${guest_names[@]}"
	for name in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
		# ACCEL and GUEST_CPUS as run-guest.sh will read them (its defaults: auto, 2)
		accel=${ACCEL:-auto} cpus=${GUEST_CPUS:-2}
		while IFS= read -r env; do
			case $env in ACCEL=*) accel=${env#ACCEL=} ;; GUEST_CPUS=*) cpus=${env#GUEST_CPUS=} ;; esac
		done <<<"${guest_env[$name]}"
		info=${guest_kdir_of[$name]}/kernel.info
		say "$name: booting $(sed -n 's/^suite //p' "$info")'s Linux $(sed -n 's/^release //p' "$info") ($accel, $cpus vCPU); load average $(cut -d' ' -f1-3 /proc/loadavg)"
		guest_run "$name" "$nice" "$probe" &
	done
	wait
	for name in "${guest_names[@]}"; do
		case " $* " in *" $name "*) ;; *) continue ;; esac
		echo "--- $name: run-guest.sh"
		cat "${guest_out[$name]}/run-guest.log"
		[ ! -f "${guest_out[$name]}/failed" ] || status=1
	done
	return $status
}
