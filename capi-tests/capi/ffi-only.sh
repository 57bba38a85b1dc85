#!/usr/bin/env bash
# The C tests in FFI form need nothing from liburing.so.2: every io_uring
# function a program built with -DLIBURING_FFI imports (buffers calls
# io_uring_buf_ring_head and io_uring_buf_ring_available among them) is
# defined by LIBDIR/liburing-ffi.so.2, and liburing-ffi.so.2 comes first among
# the libraries it needs, so the dynamic linker binds every call there.
# (mk/capi.mk still links liburing.so.2 after it, so that the same programs
# run on upstream's liburing-ffi.so.2, which lacks io_uring_buf_ring_head.)
#
#   ffi-only.sh BINDIR LIBDIR PROG...
#
# Then a planted regression: a liburing-ffi.so.2 linked from the same static
# archive (RUST_A) without io_uring_buf_ring_head must fail the check and name
# that function for the buffers program.
set -u

usage="usage: ffi-only.sh BINDIR LIBDIR PROG..."
bindir=${1:?$usage}
libdir=${2:?$usage}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)

# check LIBDIR: 0 when every program passes, listing what it found.
check() {
	local so="$1/liburing-ffi.so.2" p exe first missing rc=0
	[ -e "$so" ] || { echo "FAIL ffi-only: $so missing"; return 1; }
	nm -D --defined-only "$so" | awk '{sub(/@.*/, "", $3); print $3}' | sort -u >"$work/defined"
	for p in "${progs[@]}"; do
		exe="$bindir/$p"
		[ -x "$exe" ] || { echo "FAIL ffi-only $p: not built"; rc=1; continue; }
		first=$(objdump -p "$exe" | awk '$1 == "NEEDED" && $2 ~ /^liburing/ {print $2; exit}')
		if [ "$first" != liburing-ffi.so.2 ]; then
			echo "FAIL ffi-only $p: the first liburing it needs is '${first:-none}', not liburing-ffi.so.2"
			rc=1
		fi
		missing=$(nm -D --undefined-only "$exe" | awk '{sub(/@.*/, "", $2); print $2}' |
			grep -E '^_*io_uring' | sort -u | comm -23 - "$work/defined")
		if [ -n "$missing" ]; then
			echo "FAIL ffi-only $p: not defined by liburing-ffi.so.2: $(tr "\n" " " <<<"$missing" | sed "s/ $//")"
			rc=1
		fi
	done
	return $rc
}

progs=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if check "$libdir"; then
	n=$(for p in "${progs[@]}"; do nm -D --undefined-only "$bindir/$p"; done |
		awk '{sub(/@.*/, "", $2); print $2}' | grep -cE '^_*io_uring' || true)
	echo "PASS ffi-only: the ${#progs[@]} FFI-form programs import $n io_uring functions, all defined by liburing-ffi.so.2"
	status=0
else
	status=1
fi

# --- control: liburing-ffi.so.2 without io_uring_buf_ring_head -------------
archive=${RUST_A:-$top/target/release/liburing.a}
plant="$work/plant"
mkdir -p "$plant"
grep -v '^[[:space:]]*io_uring_buf_ring_head;' "$top/liburing-ffi.map" >"$plant/ffi.map"
if ! "${CC:-cc}" -shared -o "$plant/liburing-ffi.so.2" -Wl,--whole-archive "$archive" -Wl,--no-whole-archive \
	-Wl,--version-script="$plant/ffi.map" -Wl,-soname,liburing-ffi.so.2 -Wl,--gc-sections -lc >"$plant/link.log" 2>&1; then
	echo "FAIL ffi-only control: the planted library does not link: $(tail -2 "$plant/link.log")"
	exit 1
fi
out=$(check "$plant")
case $out in
*"FAIL ffi-only buffers: not defined by liburing-ffi.so.2: "*io_uring_buf_ring_head*)
	echo "PASS ffi-only control: a liburing-ffi.so.2 without io_uring_buf_ring_head is caught" ;;
*)
	echo "FAIL ffi-only control: a liburing-ffi.so.2 without io_uring_buf_ring_head was not caught: $out"
	status=1 ;;
esac
exit $status
