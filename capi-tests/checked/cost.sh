#!/usr/bin/env bash
# The cost of checked mode when it is off (make checked-cost).
#
#   cost.sh LIBDIR INCDIR [BASELINE_LIBDIR]
#
# Counts user-space instructions per NOP with callgrind (deterministic, unlike
# time) in benches/nop.c's timed loop, built in FFI form (every helper a call
# into liburing-ffi.so.2) and in the plain form (inline helpers, liburing.so.2),
# for the three reaping styles. With BASELINE_LIBDIR (a directory holding
# liburing-ffi.so.2 and liburing.so.2 built without checked mode, e.g. from an
# older commit), the same binaries run on both libraries and the difference
# per NOP and per hooked function is printed. LIBURING_CHECK is unset.
set -euo pipefail

libdir=${1:?usage: cost.sh LIBDIR INCDIR [BASELINE_LIBDIR]}
incdir=${2:?usage: cost.sh LIBDIR INCDIR [BASELINE_LIBDIR]}
base=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/checked/cost
cc=${CC:-cc}
ops=${COST_OPS:-100000}
mkdir -p "$out"
command -v valgrind > /dev/null || { echo "checked-cost: valgrind is needed"; exit 1; }

"$cc" -O2 -g -std=gnu11 -DLIBURING_FFI -I"$incdir" "$top/benches/nop.c" -o "$out/nop-ffi" -L"$libdir" -luring-ffi
"$cc" -O2 -g -std=gnu11 -I"$incdir" "$top/benches/nop.c" -o "$out/nop-plain" -L"$libdir" -luring

count() { # lib form reap -> "total per-function lines"
	local lib=$1 form=$2 reap=$3
	env -u LIBURING_CHECK LD_LIBRARY_PATH="$lib" valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
		--toggle-collect=bench_loop "$out/nop-$form" "$reap" 32 "$ops" > /dev/null 2> "$out/cg.err"
	callgrind_annotate "$out/cg.out" 2> /dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

per_fn() {
	callgrind_annotate --threshold=100 "$out/cg.out" 2> /dev/null |
		awk '/Auto-annotated/ {done = 1}
		     !done && /\(.*%\).*io_uring/ {gsub(",", "", $1); for (i = 2; i <= NF; i++) if ($i ~ /:/) {n = $i; sub(/.*:/, "", n); print n, $1}}'
}

printf '%-6s %-8s %14s' form reap "Ir/NOP"
[ -n "$base" ] && printf ' %14s %8s' "baseline" "diff"
echo
for form in ffi plain; do
	for reap in peek wait foreach; do
		now=$(count "$libdir" "$form" "$reap")
		per_fn > "$out/fn.now"
		printf '%-6s %-8s %14.2f' "$form" "$reap" "$(echo "$now / $ops" | bc -l)"
		if [ -n "$base" ]; then
			was=$(count "$base" "$form" "$reap")
			per_fn > "$out/fn.base"
			printf ' %14.2f %+8.2f' "$(echo "$was / $ops" | bc -l)" "$(echo "($now - $was) / $ops" | bc -l)"
			echo
			join <(sort "$out/fn.now") <(sort "$out/fn.base") |
				awk -v ops="$ops" '$2 != $3 {printf "         %-32s %+.2f Ir/NOP\n", $1, ($2 - $3) / ops}'
		else
			echo
		fi
	done
done
