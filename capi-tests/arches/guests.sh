#!/usr/bin/env bash
# guests.sh [--full] ARCH...: our C tests and upstream liburing 2.15's suite on
# another architecture, in a qemu-system guest (TCG) booting Debian's kernel
# for that architecture, with upstream's own library built for it as the
# reference in the same boot. The guest runner is the kernels one
# (capi-tests/lib/guests.sh, and capi-tests/kernels/: fetch-kernel.sh,
# run-guest.sh, guest-init.sh, guest-job.sh, report.py); what is
# architecture-specific is here:
#
#  * the library: cross.sh ARCH (build/ARCH/lib, Debian sid's rustc and gcc);
#  * our C tests (capi-tests/capi/), both forms (our header + liburing.so.2,
#    FFI form + liburing-ffi.so.2), built by mk/capi.mk with ARCH's gcc;
#  * upstream 2.15 configured for ARCH (--cc=<triplet>-gcc --cxx=<triplet>-g++,
#    capi-tests/lib/upstream-build.sh --arch ARCH): its own
#    liburing.so.2 (the suite's reference), the same built --use-libc (our C
#    tests' reference, as on x86_64), and its test programs in abi mode
#    (upstream's headers, linked to our liburing.so.2; capi-tests/upstream/
#    build.mk, the rules run.sh uses, with ARCH's gcc and g++);
#  * the guest's userland: Debian sid's busybox-static for ARCH (apt-get
#    download in the root, version and sha256 printed) and ARCH's C library
#    from the root (every DT_NEEDED of the payload, resolved there), given to
#    run-guest.sh as GUEST_BUSYBOX and GUEST_OVERLAY;
#  * qemu itself runs here (x86_64) on our host build/lib/liburing.so.2 and
#    serves the result disk with aio=io_uring, as for the kernels.
#
# One boot per architecture, once every architecture's payload is ready
# (GUEST_JOBS at a time, default one): our C tests (both forms) on our
# library and on upstream's --use-libc build, then each upstream test on our library and
# right after on upstream's own library (guest-job.sh); report.py judges per
# test against that reference (the kernels' judge, not a second one).
#
# The tests are capi-tests/kernels/smoke-tests.txt by default, every upstream
# test with --full. Environment:
#   GUEST_SUITE       Debian suite of the kernel (default per architecture below)
#   TESTS="nop.t ..." upstream tests instead of the list
#   UP_TIMEOUT (60; --full 180) CAPI_TIMEOUT (600) CAPI_NOPS (50000) PAIRS (6) PAIR_BUDGET (600)
#   GUEST_CPUS=1 GUEST_MEM=2048 GUEST_TIMEOUT (smoke 2400, --full 14400)
#   GUEST_JOBS=1 GUEST_NICE=10   guests at once, and their nice level
#   GUESTS_OUT=target/arches/guests-<kind>   results (per host tree)
#   OUR_ARCH_LIBDIR=build/ARCH/lib   the library under test (a planted build)
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=capi-tests/kernels/payload.sh
source "$(dirname "$0")/../kernels/payload.sh"
# shellcheck source=capi-tests/lib/guests.sh
source "$(dirname "$0")/../lib/guests.sh"
# (everything below is one function, read whole before it runs: the script
# can be edited while a long guest run is using it)
main() {

full=0
[ "${1:-}" = --full ] && { full=1; shift; }
[ $# -gt 0 ] || set -- arm64 s390x
if [ $full = 1 ]; then kind=full; else kind=smoke; fi
failures=0
kdirs=()
t_all=$(date +%s)
# Kept in this tree's target/ (target/arches may be shared with other trees).
out_base=${GUESTS_OUT:-$top/target/arches-guests/$kind}
mkdir -p "$out_base"
say "guests ($kind) for $*; load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"

# The host's library: qemu runs on it and serves the result disk.
[ -e "$top/build/lib/liburing.so.2" ] || die "guests: no host build/lib/liburing.so.2 for qemu to run on (make lib)"
ARCHES_TARGET=${ARCHES_TARGET:-test-arches-guests} need_root "$@"

# Kernel per architecture: the suite whose image this archive serves.
# trixie's s390x image (linux-image-6.12.117+deb13-s390x) answered 404 here
# while sid's split image downloads, so s390x boots sid's kernel.
suite_for() {
	case $1 in
	arm64) echo "${GUEST_SUITE:-trixie}" ;;
	s390x) echo "${GUEST_SUITE:-sid}" ;;
	*) echo "${GUEST_SUITE:-sid}" ;;
	esac
}
# Modules to load for the result disk (virtio_ccw is built into s390x's).
modules_for() {
	case $1 in
	s390x) echo "virtio_blk" ;;
	*) echo "virtio_pci virtio_blk" ;;
	esac
}

# guest_tools ARCH: g++ for ARCH in the root (upstream's C++ test), under the
# root's lock; root.sh's own package lists stay as they are.
guest_tools() {
	local want="g++-$gnu"
	[ -f "$aroot/.guest-tools-$1" ] && [ "$(cat "$aroot/.guest-tools-$1")" = "$want" ] && return 0
	(
		flock 9
		pkg_install --in in_root --log "$top/target/arches/sid.log" "$want"
	) 9>"$top/target/arches/sid.lock" || return 1
	echo "$want" >"$aroot/.guest-tools-$1"
}

# busybox_for ARCH DIR: Debian sid's busybox-static for ARCH (root_deb);
# sets bb_file, bb_info.
busybox_for() {
	root_deb busybox-static "$1" "$2" || return 1
	bb_file="$deb_tree/bin/busybox"
	[ -x "$bb_file" ] || bb_file="$deb_tree/usr/bin/busybox"
	[ -x "$bb_file" ] || return 1
	bb_info=$deb_info
}

# overlay_libs OVERLAY FILE...: ARCH's shared libraries that FILE... need
# (DT_NEEDED, recursively, liburing* excepted: the payload brings those) and
# their program interpreter, copied from the root into OVERLAY at the paths
# the guest's loader looks in (/usr/lib/<multiarch>, /lib -> usr/lib).
overlay_libs() {
	local ov=$1 f n p interp todo seen=" " libdir="/usr/lib/$multiarch"
	shift
	mkdir -p "$ov$libdir"
	[ -e "$ov/lib" ] || ln -s usr/lib "$ov/lib"
	interp=$(in_root "$gnu-readelf" -lW "$@" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p' | sort -u)
	todo=$(in_root "$gnu-readelf" -dW "$@" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
	for p in $interp; do
		[ -e "$aroot$p" ] || return 1
		mkdir -p "$ov$(dirname "${p/#\/lib\//\/usr\/lib\/}")"
		cp -L "$aroot$p" "$ov${p/#\/lib\//\/usr\/lib\/}"
	done
	while [ -n "$todo" ]; do
		local next=""
		for n in $todo; do
			case $n in liburing*) continue ;; esac
			case "$seen" in *" $n "*) continue ;; esac
			seen="$seen$n "
			p=""
			for dir in "$libdir" "/lib/$multiarch"; do [ -e "$aroot$dir/$n" ] && p="$aroot$dir/$n" && break; done
			[ -n "$p" ] || {
				say "$n (needed by the payload) is not in the root's $libdir"
				return 1
			}
			cp -L "$p" "$ov$libdir/$n"
			next="$next $(in_root "$gnu-readelf" -dW "${p#"$aroot"}" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
		done
		todo=$next
	done
}

for a in "$@"; do
	arch_info "$a" || die "guests: unknown architecture $a"
	t0=$(date +%s)
	suite=$(suite_for "$a")
	work="$top/target/arches-guests/$a"
	kout="$out_base/$a-$suite"
	rm -rf "$kout"
	mkdir -p "$work" "$kout"
	kdirs+=("$kout")
	[ -z "${ARCHES_RECORD:-}" ] || echo "GUEST: $a $kind $kout" >>"$ARCHES_RECORD"
	# fail_arch REASON: this architecture fails, with the reason, in the report too.
	fail_arch() {
		fail "$a: $*"
		echo "$*" >"$kout/failed"
	}

	# --- the library, our C tests, upstream's builds -----------------------
	"$top/capi-tests/arches/cross.sh" "$a" || { fail_arch "the library does not build for $a"; continue; }
	guest_tools "$a" || { fail_arch "installing g++-$gnu in the root failed (see target/arches/sid.log)"; continue; }
	cc=$(root_tool "$gnu-gcc" "$gnu-gcc")
	libdir=${OUR_ARCH_LIBDIR:-$top/build/$a/lib}
	ok=1
	for form in ours ffi; do
		if ! make -C "$top" --no-print-directory -s BUILD="build/$a" CC="$cc" CARGO=false \
			RUST_A="$top/target/arches/cargo/$rust/release/liburing.a" \
			CAPI_CC="$cc" CAPI_HEADERS="$form" capi-build >"$work/capi-build-$form.log" 2>&1; then
			tail -20 "$work/capi-build-$form.log" | sed 's/^/    /'
			fail_arch "our C tests ($form form) do not build with $gnu-gcc"
			ok=0
		fi
	done
	[ $ok = 1 ] || continue
	upown=$(upstream_lib_for "$a" 0) || { fail_arch "upstream's liburing does not build for $a (the upstream-build: lines above)"; continue; }
	upref=$(upstream_lib_for "$a" 1) || { fail_arch "upstream's liburing --use-libc does not build for $a (the upstream-build: lines above)"; continue; }
	say "$a: upstream's own liburing.so.2: $(in_root "$gnu-readelf" -h "$upown/src/liburing.so.2.15" | awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}')"

	if [ -n "${TESTS:-}" ]; then
		list=$TESTS
	elif [ $full = 1 ]; then
		# shellcheck disable=SC2016
		list=$(cd "$upown/test" && printf 'include Makefile\nguests-print-tests:\n\t@echo $(test_targets)\n' |
			make -s --no-print-directory -f - guests-print-tests) || { fail_arch "could not read upstream's test list"; continue; }
	else
		list=$(grep -v '^#' "$top/capi-tests/kernels/smoke-tests.txt" | grep .)
	fi
	list=$(echo $list)
	# Upstream's tests in abi mode (run.sh's build_mode, with ARCH's compilers).
	tdir="$work/abi/test"
	mkdir -p "$tdir" "$work/abi/src"
	for f in "$upown"/test/*; do
		b=$(basename "$f")
		case $b in Makefile | *.t | *.o | *.d | output) ;; *) ln -sfn "$f" "$tdir/$b" ;; esac
	done
	for f in "$top"/capi-tests/upstream/shims/src/*.h; do ln -sfn "$f" "$work/abi/src/$(basename "$f")"; done
	# Linked to build/ARCH/lib; in the guest LD_LIBRARY_PATH picks the library.
	stamp="inc=$upown/src/include lib=$top/build/$a/lib cc=$gnu-gcc"
	if [ "$(cat "$tdir/.flags" 2>/dev/null)" != "$stamp" ]; then
		rm -f "$tdir"/*.t "$tdir"/*.o "$tdir"/*.d
		echo "$stamp" >"$tdir/.flags"
	fi
	say "$a: building $(echo $list | wc -w) upstream tests in abi mode with $gnu-gcc"
	in_root make -C "$tdir" -f "$top/capi-tests/upstream/build.mk" -k -j2 --no-print-directory \
		CC="$gnu-gcc" CXX="$gnu-g++" INCDIR="$upown/src/include" LIBDIR="$top/build/$a/lib" LIBNAME=uring \
		CONFIG_H="$upown/config-host.h" SHIMDIR="$top/capi-tests/upstream/shims" TARGETS="$list" \
		>"$work/abi-build.log" 2>&1
	notbuilt=$(for t in $list; do [ -x "$tdir/$t" ] || echo "$t"; done)
	if [ -n "$notbuilt" ]; then
		for t in $notbuilt; do echo "    $t: $(grep -m1 -E 'error|undefined reference' "$tdir/${t%.t}.build.log" 2>/dev/null)"; done
		fail_arch "upstream tests not built for $a: $(echo $notbuilt)"
		continue
	fi

	# --- kernel, busybox, payload -------------------------------------------
	KERNEL_MODULES=$(modules_for "$a") guest_fetch "$kout" "$suite" "$a"
	if ! guest_kernel "$kout"; then
		cat "$kout/fetch.log"
		fail_arch "no $suite kernel image for $a: $(tail -n 1 "$kout/fetch.log")"
		continue
	fi
	busybox_for "$a" "$work/busybox" || { fail_arch "no busybox-static for $a from the root's archive (see $work/busybox/download.log)"; continue; }
	echo "guest busybox: $bb_info" >"$kout/busybox.txt"

	payload="$kout/payload"
	# shellcheck disable=SC2086 # the list is words
	payload_lay_out "$payload" "$libdir" "$upown/src" "$upref/src" "$top/build/$a/capi-tests" "$tdir" $list ||
		{ fail_arch "could not lay out the guest payload in $payload"; continue; }
	if [ $full = 1 ]; then upt=${UP_TIMEOUT:-180}; else upt=${UP_TIMEOUT:-60}; fi
	cat >"$payload/job.conf" <<CONF
CAPI_NOPS=${CAPI_NOPS:-50000}
UP_TIMEOUT=$upt
CAPI_TIMEOUT=${CAPI_TIMEOUT:-600}
PAIRS=${PAIRS:-6}
PAIR_BUDGET=${PAIR_BUDGET:-600}
CONF
	# GUEST_BENCH=1 (bench-guest.sh): callgrind counts of benches/nop.c too;
	# GUEST_BENCH_ARCHES="arm64 ..." the same for those architectures only
	# (test-arches-guests: the instruction-count check of arm64).
	if [ "${GUEST_BENCH:-0}" = 1 ] || [[ " ${GUEST_BENCH_ARCHES:-} " == *" $a "* ]]; then
		"$top/capi-tests/arches/bench-guest.sh" --lay-out "$a" "$payload/bench" "$upown" "$libdir" "$work" ||
			{ fail_arch "could not lay out the callgrind runs (bench-guest.sh --lay-out)"; continue; }
	fi
	# Every payload program and library must be ARCH's.
	m=$(in_root "$gnu-readelf" -h "$payload/capi/ours/setup" "$payload/upstream/nop.t" "$payload/lib/ours/liburing.so.2" 2>/dev/null |
		awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}' | sort -u)
	[ "$(echo "$m" | wc -l)" = 1 ] || { fail_arch "payload of mixed machines: $(echo $m)"; continue; }
	overlay="$kout/overlay"
	rm -rf "$overlay"
	mapfile -t elves < <(cd "$payload" && find . -type f \( -perm -u+x -o -name '*.so*' \) | sed "s|^\.|$payload|")
	overlay_libs "$overlay" "${elves[@]}" || { fail_arch "the C library for $a's payload is incomplete in the root"; continue; }
	t_prep=$(date +%s)
	say "$a: payload ready in $((t_prep - t0)) s ($m): $(wc -l <"$payload/upstream/upstream.list") upstream tests, $(ls "$payload/capi/ours" | wc -l) C test programs per form; $bb_info; $(ls "$overlay/usr/lib/$multiarch" | tr '\n' ' ')"

	# --- its boot, once every architecture is ready ----------------------
	if [ $full = 1 ]; then gt=${GUEST_TIMEOUT:-14400}; else gt=${GUEST_TIMEOUT:-2400}; fi
	guest_add "$a" "$kout" "$guest_kdir" "$payload" ARCH="$a" ACCEL=tcg GUEST_CPUS="${GUEST_CPUS:-1}" \
		GUEST_TIMEOUT="$gt" QEMU_LIBDIR="$top/build/lib" GUEST_BUSYBOX="$bb_file" GUEST_OVERLAY="$overlay"
done

# One TCG guest per architecture, GUEST_JOBS at a time (capi-tests/lib/guests.sh).
if [ ${#guest_names[@]} -gt 0 ]; then
	guests_launch --jobs "${GUEST_JOBS:-1}" --nice "${GUEST_NICE:-10}"
	for a in "${guest_names[@]}"; do
		[ ! -f "${guest_out[$a]}/failed" ] || fail "$a: the guest run failed (see ${guest_out[$a]}/run-guest.log)"
	done
fi

say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); wall time $(($(date +%s) - t_all)) s"
if [ ${#kdirs[@]} -gt 0 ]; then
	python3 "$top/capi-tests/kernels/report.py" --kind "arches-$kind" "${kdirs[@]}" || failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && pass "guests ($kind): $*" || {
	fail "guests ($kind): $failures failure(s)"
	exit 1
}
}
main "$@"
