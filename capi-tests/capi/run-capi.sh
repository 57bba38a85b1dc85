#!/usr/bin/env bash
# Run the C ABI test programs built by mk/capi.mk.
#
#   run-capi.sh BINDIR LIBDIR PROG...
#
# PROG... are the program names; mk/capi.mk passes its CAPI_PROGS, the one
# list of them.
#
# 1. Coverage: every function exported by LIBDIR/liburing.so.2 must be an
#    imported symbol of at least one test program (so each one is called).
# 2. Each program runs in turn; its last line is "N passed, N failed".
# 3. The programs must have loaded LIBDIR's liburing (each checks this
#    itself from /proc/self/maps; here ldd confirms the resolution too).
#
# CAPI_VALGRIND=1 runs every program under valgrind (memcheck, leak check),
# with a smaller NOP count for nops.
set -u

usage="usage: run-capi.sh BINDIR LIBDIR PROG..."
bindir=${1:?$usage}
libdir=${2:?$usage}
shift 2
progs=("$@")
[ ${#progs[@]} -gt 0 ] || { echo "run-capi: no programs named ($usage)"; exit 1; }
lib="$libdir/liburing.so.2"
status=0
total_pass=0
total_fail=0

[ -e "$lib" ] || { echo "run-capi: $lib missing"; exit 1; }

# --- coverage of the exported functions ----------------------------------
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u)
imported=$(for p in "${progs[@]}"; do
	[ -x "$bindir/$p" ] && nm -D --undefined-only "$bindir/$p"
done | awk '{sub(/@.*/, "", $2); print $2}' | sort -u)
missing=$(comm -23 <(echo "$exported") <(echo "$imported"))
nexp=$(echo "$exported" | grep -c .)
if [ -n "$missing" ]; then
	echo "FAIL coverage: exported functions no test program calls:"
	echo "$missing" | sed 's/^/    /'
	status=1
	total_fail=$((total_fail + 1))
else
	echo "PASS coverage: all $nexp exported functions are called by the test programs"
	total_pass=$((total_pass + 1))
fi

# --- the programs ---------------------------------------------------------
# The running kernel's version, only to judge skips (programs ask the kernel).
host_kernel=$(uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
vg=()
if [ "${CAPI_VALGRIND:-0}" = 1 ]; then
	command -v valgrind >/dev/null || { echo "run-capi: valgrind not installed"; exit 1; }
	vg=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
	    --errors-for-leak-kinds=definite,indirect --track-fds=no)
	export CAPI_NOPS=${CAPI_NOPS:-200000}
	export CAPI_UNDER_VALGRIND=1
fi

for p in "${progs[@]}"; do
	exe="$bindir/$p"
	if [ ! -x "$exe" ]; then
		echo "FAIL $p: not built ($exe)"
		status=1
		total_fail=$((total_fail + 1))
		continue
	fi
	for soname in liburing.so.2 liburing-ffi.so.2; do
		needed=$(objdump -p "$exe" | awk -v s="$soname" '$1 == "NEEDED" && $2 == s')
		[ -n "$needed" ] || continue
		resolved=$(ldd "$exe" | awk -v s="$soname" '$1 == s {print $3}')
		if [ "$(readlink -f "$resolved")" != "$(readlink -f "$libdir/$soname")" ]; then
			echo "FAIL $p: $soname resolves to '$resolved', not $libdir/$soname"
			status=1
			total_fail=$((total_fail + 1))
		fi
	done
	echo "=== $p${vg[0]:+ (valgrind)}"
	log=$(mktemp)
	start=$(date +%s.%N)
	CAPI_LIBDIR="$libdir" "${vg[@]}" "$exe" > "$log" 2>&1
	rc=$?
	end=$(date +%s.%N)
	cat "$log"
	# A skip names the first kernel with the feature; on that kernel or a
	# newer one the skip is a wrong probe hiding a check: a failure.
	while IFS= read -r line; do
		echo "FAIL $p: skipped on Linux $host_kernel, which has the feature: $line"
		status=1
		total_fail=$((total_fail + 1))
	done < <(awk -v host="$host_kernel" '
		/^SKIP / && match($0, /needs Linux [0-9]+\.[0-9]+/) {
			split(substr($0, RSTART + 12, RLENGTH - 12), w, ".")
			split(host, h, ".")
			if (h[1] + 0 > w[1] + 0 || (h[1] + 0 == w[1] + 0 && h[2] + 0 >= w[2] + 0))
				print
		}' "$log")
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	np=$(echo "$last" | awk '{print $1}')
	nf=$(echo "$last" | awk '{print $3}')
	rm -f "$log"
	if [ -z "$last" ]; then
		echo "FAIL $p: no summary line (exit status $rc)"
		status=1
		total_fail=$((total_fail + 1))
		continue
	fi
	total_pass=$((total_pass + np))
	total_fail=$((total_fail + nf))
	awk -v p="$p" -v rc="$rc" -v s="$start" -v e="$end" \
		'BEGIN {printf "=== %s: exit %d, %.1fs\n", p, rc, e - s}'
	if [ "$rc" -ne 0 ]; then
		[ "$rc" = 99 ] && echo "FAIL $p: valgrind reported errors" && total_fail=$((total_fail + 1))
		status=1
	fi
done

echo "capi: $total_pass passed, $total_fail failed"
exit $status
