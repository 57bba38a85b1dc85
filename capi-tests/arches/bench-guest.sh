#!/usr/bin/env bash
# bench-guest.sh ARCH (make bench-arm64): instructions per NOP on ARCH,
# counted by callgrind inside a qemu guest (TCG) booting Debian's kernel for
# ARCH, exactly as `make bench` counts them on x86_64 and bench-i386.sh on
# i386 (benches/run.py's callgrind(): --toggle-collect=bench_loop, two run
# lengths subtracted; instruction counts do not depend on emulation speed).
# benches/nop.c is built by sid's <triplet>-gcc in three forms, in one boot:
#   upstream   upstream's headers, on upstream 2.15's own liburing.so.2 for ARCH
#   ours-src   our headers, on our liburing.so.2 for ARCH (build/ARCH/lib)
#   ours-bin   the upstream binary, on our liburing.so.2
# valgrind is Debian sid's valgrind:ARCH (apt-get download in the root, its
# sha256 checked against the index). The boot is guests.sh's (GUEST_BENCH=1:
# its smoke of our C tests and upstream's suite runs too, judged as usual);
# guest-job.sh runs the callgrind commands written here. Writes
# target/arches/ARCH/bench.md (the table BENCHMARKS.md quotes).
#
# bench-guest.sh --report ARCH writes the table again from the last guest's
# counts. bench-guest.sh --lay-out ARCH BENCH_DIR UPSTREAM_TREE OUR_LIBDIR WORK is the
# part guests.sh calls while it builds the payload.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

# The runs of run.py's callgrind() for the NOP workloads, one per line:
# "ID LIB BINDIR PROG TOGGLE ARG...", and the count function that reads
# what the guest made of them (ID.out: the program's output, ID.cg:
# callgrind's file) back in the same order.
# TOGGLE is "none": in the arm64 guest (trixie's 6.12, valgrind 3.27.1 from
# sid), --toggle-collect=bench_loop collected a constant 13.6k Ir whatever
# the run length (ld.so and libc code, none of the loop), so the whole
# program is counted; the two run lengths are subtracted as on x86_64, and
# what does not grow with the length (start, setup) drops out.
PLAN_PY='
import os, re, sys
sys.path.insert(0, os.path.join(os.environ["TOP"], "benches"))
import run
FORMS = [("upstream", "up", "upstream", None), ("ours-src", "ours", "ours", None),
         ("ours-bin", "up", "ours", None)]
ONLY = os.environ.get("BENCH_GUEST_ONLY") or r"^nop-"

def run_id(form, prog, args, n):
    return "-".join([form[0], prog] + args(n))

def plan():
    lines = []
    for name, prog, args, toggle, n1, n2 in run.callgrind_workloads():
        if re.search(ONLY, name):
            for form in FORMS:
                for n in (n1, n2):
                    lines.append(" ".join([run_id(form, prog, args, n), form[2], form[1], prog, "none"] + args(n)))
    return lines

def counts(results):
    def count(form, prog, args, toggle, n):
        rid = run_id(form, prog, args, n)
        with open(os.path.join(results, rid + ".out")) as f:
            text = f.read().strip()
        m = run.LINE.match(text.splitlines()[-1] if text else "")
        if not m:
            raise run.BenchError(f"{rid}: no result line (see {results}/{rid}.err)")
        if os.path.dirname(m.group(5)) != "/payload/lib/" + form[2]:
            raise run.BenchError(f"{rid}: loaded {m.group(5)}, not a library in /payload/lib/{form[2]}")
        return int(m.group(2)), run.parse_callgrind(os.path.join(results, rid + ".cg"))
    return run.callgrind(FORMS, ONLY, count=count)
'

lay_out() {
	local a=$1 bench=$2 upown=$3 ourlib=$4 w=$5 cflags="-O2 -g -std=gnu11 -Wall -Wextra -Werror" vg t
	arch_info "$a" || return 1
	rm -rf "$bench"
	mkdir -p "$bench/up" "$bench/ours" "$bench/vg/bin" "$bench/vg/lib"
	# shellcheck disable=SC2086 # the flags are words
	in_root "$gnu-gcc" $cflags -I"$upown/src/include" "$top/benches/nop.c" -o "$bench/up/nop" \
		-L"$upown/src" -luring || { say "bench: benches/nop.c does not build against upstream's headers"; return 1; }
	# shellcheck disable=SC2086
	in_root "$gnu-gcc" $cflags -I"$top/build/$a/include" "$top/benches/nop.c" -o "$bench/ours/nop" \
		-L"$ourlib" -luring || { say "bench: benches/nop.c does not build against our headers"; return 1; }
	root_deb valgrind "$a" "$w/valgrind" || { say "bench: no valgrind:$a from the root's archive (see $w/valgrind/download.log)"; return 1; }
	vg=$deb_tree/usr/libexec/valgrind
	# the launcher (Debian's valgrind is a sh wrapper around valgrind.bin that
	# adds /usr/lib/debug to LD_LIBRARY_PATH: nothing there in the guest), the
	# tool and the core's preload for ARCH, and the suppressions read at start
	cp "$deb_tree/usr/bin/valgrind.bin" "$bench/vg/bin/valgrind" || return 1
	for t in "$vg"/callgrind-*-linux "$vg"/vgpreload_core-*-linux.so "$vg/default.supp"; do
		[ -e "$t" ] || { say "bench: valgrind:$a has no $(basename "$t")"; return 1; }
		cp "$t" "$bench/vg/lib/" || return 1
	done
	echo "$deb_info" >"$bench/valgrind.txt"
	# The commit whose library the guest counts (the report says so).
	git -C "$top" describe --always --dirty >"$bench/commit.txt"
	TOP=$top python3 -c "$PLAN_PY"'
print("\n".join(plan()))' >"$bench/commands" || return 1
	say "bench: $(wc -l <"$bench/commands") callgrind runs for the guest; $deb_info"
}

if [ "${1:-}" = --lay-out ]; then
	shift
	lay_out "$@"
	exit
fi

# --report ARCH: the table again from the last guest's counts, without a boot.
# --check ARCH: the instruction-count check on the test-arches-guests boot's.
report_only=0 check=0
[ "${1:-}" = --report ] && { report_only=1; shift; }
[ "${1:-}" = --check ] && { report_only=1; check=1; shift; }
a=${1:?usage: bench-guest.sh [--report | --check] ARCH}
arch_info "$a" || die "bench-guest: unknown architecture $a"
out=$top/target/arches-guests/bench
[ $check = 0 ] || out=${GUESTS_OUT:-$top/target/arches-guests/smoke}
if [ $report_only = 0 ]; then
	GUEST_BENCH=1 GUESTS_OUT=$out GUEST_TIMEOUT=${GUEST_TIMEOUT:-5400} "$top/capi-tests/arches/guests.sh" "$a" ||
		die "bench-guest: the $a guest run failed"
fi
mkdir -p "$top/target/arches/$a"
# The newest boot of ARCH: GUEST_SUITE may have left an older one of another suite.
kout=$(ls -dt "$out/$a"-* | head -1)
results=$kout/results/bench
[ -d "$results" ] || die "bench-guest: no callgrind results came back from the $a guest"
grep -q "GUEST-JOB-EXIT" "$kout/console.log" || die "bench-guest: the $a guest did not finish its job"
if [ $check = 1 ]; then
	TOP=$top python3 -c "$PLAN_PY"'
import sys
sys.exit(run.ir_check_verdict(counts(sys.argv[1]), sys.argv[2], False))' "$results" "$a"
	exit
fi
info="$(sed -n 's/^release //p' "$kout/kernel.info") under qemu TCG; rustc $(in_root rustc --version | cut -d' ' -f2) (sid) for $rust; $(in_root "$gnu-gcc" --version | head -1); $(cat "$kout/payload/bench/valgrind.txt")"
TOP=$top python3 -c "$PLAN_PY"'
import sys
# Totals only: counted over the whole program, callgrind on arm64 charged
# part of the loop to a function it believed still running (ours: 34.5 Ir of
# nop-wait-b128 to io_uring_submit_and_wait, of 62.6), so the split by
# object is not trustworthy here; the totals are exact.
out = run.arch_callgrind_table(counts(sys.argv[1]), sys.argv[2], with_lib=False)
out.append("")
rev = open(sys.argv[6]).read().strip()
out.append(f"{sys.argv[2]} programs in a qemu guest booting Debian'"'"'s Linux {sys.argv[3]}; commit {rev}.")
text = "\n".join(out) + "\n"
open(sys.argv[5], "w").write(text)
print(text)' "$results" "$a" "$info" "$top" "$top/target/arches/$a/bench.md" "$kout/payload/bench/commit.txt" || die "bench-guest: the counts of the $a guest are incomplete"
