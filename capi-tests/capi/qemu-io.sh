#!/usr/bin/env bash
# A real binary-only consumer of liburing: Debian's qemu-io (qemu-utils),
# built against the system liburing, doing its block I/O through io_uring
# with our liburing.so.2 swapped in.
#
#   qemu-io.sh LIBDIR        (LIBDIR holds our liburing.so.2)
#
# Proves, for LD_LIBRARY_PATH and for LD_PRELOAD:
#   - the dynamic linker loaded LIBDIR/liburing.so.2 and no other liburing
#     (LD_DEBUG=libs, and /proc/PID/maps of a live qemu-io);
#   - qemu-io really used io_uring (anon_inode:[io_uring] fds while running);
#   - 4 MiB written with pattern 0x5a read back verified by qemu-io, and the
#     image bytes checked independently; a wrong pattern is caught (control).
# When qemu-io cannot be installed, or does not use liburing, it fails unless
# the caller opted out with SKIP=qemu (capi-tests/skip.sh).
set -u

libdir=$(readlink -f "${1:?usage: qemu-io.sh LIBDIR}")
skip=$(cd "$(dirname "$0")/.." && pwd)/skip.sh
lib="$libdir/liburing.so.2"
pass=0
fail=0
ok() { echo "PASS qemu-io: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL qemu-io: $*"; fail=$((fail + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

[ -e "$lib" ] || { echo "qemu-io.sh: $lib missing (run make first)"; exit 1; }

# shellcheck source=capi-tests/lib/pkg.sh
source "$(dirname "$skip")/lib/pkg.sh"
if ! pkg_need qemu-io qemu-utils; then
	"$skip" qemu test-qemu "qemu-utils (qemu-io) could not be installed (why: the 'pkg:' line above); nothing was tested"
	exit
fi
qemu_io=$(command -v qemu-io)
if ! ldd "$qemu_io" | grep -q 'liburing\.so\.2'; then
	"$skip" qemu test-qemu "$qemu_io is not linked against liburing.so.2; nothing was tested"
	exit
fi
system_lib=$(ldd "$qemu_io" | awk '$1 == "liburing.so.2" {print $3}')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
img="$work/disk.img"

# The image holds 4 MiB of 0x5a at offset 0, and only there.
image_has_pattern() {
	cmp -s <(head -c 4194304 "$img") <(head -c 4194304 /dev/zero | tr '\0' '\132') &&
	cmp -s <(tail -c +4194305 "$img") <(head -c 4194304 /dev/zero)
}

# qemu-io read the whole range and its -P check found no mismatch.
read_verified() {
	grep -q 'read 4194304/4194304 bytes at offset 0' "$1" &&
	! grep -q 'Pattern verification failed' "$1"
}

# The system library, not ours, was initialized.
loaded_system() {
	grep -q 'calling init: .*liburing' "$1" && ! grep -q "calling init: $lib\$" "$1"
}

# Only our liburing was loaded (LD_DEBUG=libs output in $1).
loaded_ours_only() {
	grep -q "calling init: $lib\$" "$1" &&
	! grep "calling init: " "$1" | grep liburing | grep -qv "calling init: $lib\$"
}

# mode: "path" (LD_LIBRARY_PATH) or "preload" (LD_PRELOAD)
run_batch() {
	local mode=$1 log="$work/$1.log" rc
	rm -f "$img"
	truncate -s 8M "$img"
	if [ "$mode" = path ]; then
		LD_LIBRARY_PATH="$libdir" LD_DEBUG=libs "$qemu_io" -f raw -i io_uring \
			-c 'write -P 0x5a 0 4M' -c 'read -P 0x5a 0 4M' "$img" > "$log" 2>&1
	else
		LD_PRELOAD="$lib" LD_DEBUG=libs "$qemu_io" -f raw -i io_uring \
			-c 'write -P 0x5a 0 4M' -c 'read -P 0x5a 0 4M' "$img" > "$log" 2>&1
	fi
	rc=$?
	check "$mode: qemu-io exit status 0" [ "$rc" -eq 0 ]
	check "$mode: LD_DEBUG shows $lib initialized, no other liburing" loaded_ours_only "$log"
	check "$mode: wrote 4194304/4194304 bytes" grep -q 'wrote 4194304/4194304 bytes at offset 0' "$log"
	check "$mode: read 4194304/4194304 bytes, pattern verified" read_verified "$log"
	check "$mode: the image holds exactly the written pattern" image_has_pattern
	if [ "$fail" -ne 0 ]; then
		echo "--- $mode log (LD_DEBUG lines omitted) ---"
		grep -v '^ *[0-9]*:' "$log" | head -20
	fi
}

# A live qemu-io, fed commands through a FIFO, inspected between commands.
run_live() {
	local mode=$1 fifo="$work/cmd" out="$work/live.out" pid n maps
	rm -f "$img" "$fifo"
	truncate -s 8M "$img"
	mkfifo "$fifo"
	if [ "$mode" = path ]; then
		LD_LIBRARY_PATH="$libdir" "$qemu_io" -f raw -i io_uring "$img" < "$fifo" > "$out" 2>&1 &
	else
		LD_PRELOAD="$lib" "$qemu_io" -f raw -i io_uring "$img" < "$fifo" > "$out" 2>&1 &
	fi
	pid=$!
	exec 3> "$fifo"
	echo 'write -P 0x5a 0 4M' >&3
	for n in $(seq 50); do grep -q 'wrote' "$out" 2>/dev/null && break; sleep 0.1; done
	maps=$(awk '$6 ~ /liburing/ {print $6}' "/proc/$pid/maps" 2>/dev/null |
		xargs -r -n1 readlink -f | sort -u)
	check "$mode live: /proc/PID/maps maps only our liburing ($maps)" \
		[ "$maps" = "$(readlink -f "$lib")" ]
	n=$(ls -l "/proc/$pid/fd" 2>/dev/null | grep -c 'anon_inode:\[io_uring\]')
	check "$mode live: qemu-io holds io_uring fds ($n)" [ "$n" -ge 1 ]
	echo 'read -P 0x5a 0 4M' >&3
	echo 'quit' >&3
	exec 3>&-
	wait "$pid"
	check "$mode live: wrote 4194304/4194304 bytes" grep -q 'wrote 4194304/4194304 bytes at offset 0' "$out"
	check "$mode live: read 4194304/4194304 bytes, pattern verified" read_verified "$out"
	check "$mode live: the image holds exactly the written pattern" image_has_pattern
}

echo "qemu-io: $qemu_io (linked against $system_lib), our library $lib"
run_batch path
run_batch preload
run_live path
run_live preload

# Controls: the checks above can fail.
LD_LIBRARY_PATH="$libdir" "$qemu_io" -f raw -i io_uring -c 'read -P 0xa5 0 4M' "$img" > "$work/neg.log" 2>&1
check "control: a wrong pattern (0xa5) is reported as a verification failure" \
	grep -q 'Pattern verification failed' "$work/neg.log"
LD_DEBUG=libs "$qemu_io" -f raw -i io_uring -c 'read -P 0x5a 0 4M' "$img" > "$work/sys.log" 2>&1
check "control: without our path the system library ($system_lib) is what loads" \
	loaded_system "$work/sys.log"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
