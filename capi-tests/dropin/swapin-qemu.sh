#!/usr/bin/env bash
# Swap-in: Debian's own qemu-io and qemu-img, unmodified binaries built against
# Debian's liburing (2.3 on bookworm, so also against an older liburing.h),
# run on our liburing.so.2, once through LD_LIBRARY_PATH and once through
# LD_PRELOAD. Each run
#  - does real I/O with aio=io_uring and verifies it (qemu-io `read -P`
#    pattern checks, qemu-img convert output compared with cmp),
#  - proves that our library was the one loaded and that every liburing
#    import of the binary was bound to it (LD_DEBUG=libs,bindings, LD_BIND_NOW),
#  - proves that io_uring system calls happened and that each one of them was
#    issued from inside our liburing.so (strace -k stack of every
#    io_uring_setup / io_uring_enter).
set -euo pipefail
# shellcheck source=capi-tests/dropin/lib.sh
source "$(dirname "$0")/lib.sh"
need_built_lib

if ! need_cmd qemu-io qemu-utils || ! need_cmd qemu-img qemu-utils; then
	"$top/capi-tests/skip.sh" qemu test-dropin "swap-in qemu: qemu-utils (qemu-io, qemu-img) could not be installed here"
	exit
fi
need_cmd strace strace || die "swap-in qemu: strace is needed to see the io_uring system calls and could not be installed"
strace_has_stacks || die "swap-in qemu: this strace cannot unwind stacks (-k); cannot attribute the system calls"
qemu_io=$(command -v qemu-io)
qemu_img=$(command -v qemu-img)
qemu_io=$(readlink -f "$qemu_io")
qemu_img=$(readlink -f "$qemu_img")
sys_uring=$(ldd "$qemu_io" | awk '$1 == "liburing.so.2" {print $3}')
echo "dropin: $(basename "$qemu_io") ($(dpkg-query -W -f '${Package} ${Version}' qemu-utils 2>/dev/null || echo '?')) normally loads ${sys_uring:-no liburing?}"
[ -n "$sys_uring" ] || die "swap-in qemu: $qemu_io does not link liburing.so.2; nothing to swap"

make_work swapin
failures=0
run_no=0

# traced MODE NAME BINARY ARGS...: run BINARY under strace with our library
# swapped in by MODE (libpath|preload), then check what was loaded and where
# the io_uring system calls came from. Output goes to $work/NAME.out.
traced() {
	local mode=$1 name=$2 bin=$3
	shift 3
	run_no=$((run_no + 1))
	local t="$work/t$run_no" swap
	mkdir -p "$t"
	case $mode in
		libpath) swap="LD_LIBRARY_PATH=$lib" ;;
		preload) swap="LD_PRELOAD=$lib/liburing.so.2" ;;
	esac
	local rc=0
	strace -qq -ff -k -o "$t/st" -e trace=io_uring_setup,io_uring_enter \
		-E "$swap" -E LD_BIND_NOW=1 -E LD_DEBUG=libs,bindings -E LD_DEBUG_OUTPUT="$t/ld" \
		"$bin" "$@" >"$work/$name.out" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		echo "dropin:   $mode/$name: $(basename "$bin") exited with $rc:"
		sed 's/^/    /' "$work/$name.out" | tail -20
		return 1
	fi
	if grep -q 'Pattern verification failed' "$work/$name.out"; then
		echo "dropin:   $mode/$name: a pattern check failed"
		return 1
	fi
	check_loaded_ours "$mode/$name" "$t/ld" "$bin" "$our_so_real" || return 1
	# qemu's block layer builds its io_uring in luring_init (block/io_uring.c):
	# seeing that frame under an io_uring_setup shows aio=io_uring really was
	# the I/O path, not only qemu's event loop.
	check_uring_stacks "$mode/$name" "$t/st" "$our_so_real" '[(]luring_init[+]' || return 1
}

one_mode() {
	local mode=$1 ok=1
	local img="$work/$mode.img" src="$work/$mode.src" q2="$work/$mode.qcow2" back="$work/$mode.back"

	# 1. qemu-io: O_DIRECT (-n) writes of patterns, sequential and in flight
	#    together (aio_write), then reads that check every byte.
	truncate -s 16M "$img"
	if traced "$mode" io "$qemu_io" -f raw -i io_uring -n \
		-c 'write -P 0x5a 0 4M' -c 'writev -P 0xa5 4M 1M 1M 2M' \
		-c 'aio_write -P 0x11 8M 512k' -c 'aio_write -P 0x22 8704k 512k' \
		-c 'aio_write -P 0x33 9M 1M' -c 'aio_flush' -c 'flush' \
		-c 'read -P 0x5a 0 4M' -c 'read -P 0xa5 4M 4M' -c 'read -P 0x11 8M 512k' \
		-c 'readv -P 0x22 8704k 256k 256k' -c 'aio_read -P 0x33 9M 1M' -c 'aio_flush' \
		-c 'read -P 0 10M 6M' "$img"; then
		local n
		n=$(grep -c -E '^(wrote|read) ' "$work/io.out" || true)
		if [ "$n" -ne 11 ]; then
			echo "dropin:   $mode/io: expected 11 completed requests, qemu-io reported $n"
			ok=0
		fi
	else
		ok=0
	fi
	# The check above must be able to fail: a wrong pattern has to be caught.
	if "$qemu_io" -f raw -i io_uring -c 'read -P 0x5b 0 4M' "$img" >"$work/neg.out" 2>&1 ||
		! grep -q 'Pattern verification failed' "$work/neg.out"; then
		echo "dropin:   $mode/io: a wrong pattern was not detected; the verification proves nothing"
		ok=0
	fi

	# 2. qemu-img bench writes 16 MiB of 0xc3 with 16 requests in flight;
	#    qemu-io reads it back through io_uring and checks every byte.
	truncate -s 16M "$img"
	traced "$mode" bench "$qemu_img" bench -q -w -f raw -i io_uring -t none \
		--pattern=0xc3 -c 64 -s 256k -d 16 "$img" || ok=0
	traced "$mode" bench-check "$qemu_io" -f raw -i io_uring -c 'read -P 0xc3 0 16M' "$img" || ok=0

	# 3. qemu-img convert raw -> qcow2 -> raw, both ends opened with
	#    aio=io_uring; the result must equal the source byte for byte.
	head -c 7M /dev/urandom >"$src"
	head -c 3M /dev/zero >>"$src"
	head -c $((6 * 1024 * 1024 + 8192)) /dev/urandom >>"$src"
	local size
	size=$(stat -c %s "$src")
	"$qemu_img" create -q -f qcow2 "$q2" "$size"
	truncate -s "$size" "$back"
	traced "$mode" convert-to-qcow2 "$qemu_img" convert -n \
		--image-opts "driver=raw,file.driver=file,file.filename=$src,file.aio=io_uring" \
		--target-image-opts "driver=qcow2,file.driver=file,file.filename=$q2,file.aio=io_uring" || ok=0
	traced "$mode" convert-to-raw "$qemu_img" convert -n \
		--image-opts "driver=qcow2,file.driver=file,file.filename=$q2,file.aio=io_uring" \
		--target-image-opts "driver=raw,file.driver=file,file.filename=$back,file.aio=io_uring" || ok=0
	if ! cmp "$src" "$back"; then
		echo "dropin:   $mode/convert: the round trip through qcow2 changed the data"
		ok=0
	fi

	if [ $ok = 1 ]; then
		pass "swap-in qemu ($mode): qemu-io, qemu-img bench and convert on our liburing.so.2, data verified"
	else
		fail "swap-in qemu ($mode)"
	fi
}

one_mode libpath
one_mode preload
[ "$failures" -eq 0 ]
