#!/usr/bin/env bash
# bench-i386.sh (make bench-i386): instructions per NOP on i386, counted by
# callgrind exactly as `make bench` counts them on x86_64 (benches/run.py's
# callgrind(): --toggle-collect=bench_loop, two run lengths subtracted), for
# benches/nop.c built as a 32-bit program by sid's i686-linux-gnu-gcc in the
# root, in three forms, in the same run:
#   upstream   upstream's i386 headers, on upstream 2.15's own liburing.so.2
#              built for i386 by its own configure and make (as Debian does)
#   ours-src   our headers, on our i386 liburing.so.2 (build/i386/lib)
#   ours-bin   the upstream binary, on our i386 liburing.so.2
# The programs run under the root's valgrind (x86 tools) on this kernel.
# Writes target/arches/i386/bench.md (the table BENCHMARKS.md quotes).
# BENCH_ONLY=REGEX counts only the workloads it matches (then no bench.md is
# written); BENCH_DETAIL=1 prints Ir/op per function (run.py --detail).
# BENCH_CHECK=1 is the instruction-count check instead (benches/run.py's
# ir_check: batch 1 and 32, ours <= upstream + 1 %), BENCH_OUR_LIB=DIR runs the ours forms on another build of our
# library and BENCH_EXPECT_OVER=1 makes the check pass only if some row is
# over (a planted regression; benches/ir-check.sh).
set -euo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

a=i386
arch_prepare bench-i386 "$a"
work="$top/target/arches/$a/bench"
mkdir -p "$work"

ourlib=${BENCH_OUR_LIB:-$top/build/$a/lib}
[ -f "$ourlib/liburing.so.2" ] || die "bench-i386: no $ourlib/liburing.so.2 (make cross ARCH=i386)"

# Upstream's own i386 library, default configure (no --use-libc).
ref=$(upstream_lib_for "$a" 0) || die "bench-i386: building upstream's liburing for i386 failed (the upstream-build: lines above)"

cflags="-O2 -g -std=gnu11 -Wall -Wextra -Werror"
mkdir -p "$work/up" "$work/ours"
# shellcheck disable=SC2086 # the flags are words
in_root "$gnu-gcc" $cflags -I"$ref/src/include" "$top/benches/nop.c" -o "$work/up/nop" -L"$ref/src" -luring ||
	die "bench-i386: benches/nop.c does not build against upstream's i386 headers"
# shellcheck disable=SC2086
in_root "$gnu-gcc" $cflags -I"$top/build/$a/include" "$top/benches/nop.c" -o "$work/ours/nop" -L"$top/build/$a/lib" -luring ||
	die "bench-i386: benches/nop.c does not build against our headers"
in_root "$gnu-readelf" -d "$work/up/nop" | grep -q 'NEEDED.*\[liburing.so.2\]' || die "bench-i386: $work/up/nop is not linked to liburing.so.2"
file -b "$work/ours/nop" | grep -q 'ELF 32-bit LSB.*Intel 80386' || die "bench-i386: $work/ours/nop is not an i386 program"

# run.py calls "valgrind" with LD_LIBRARY_PATH set: this one runs the root's,
# in the root, with that variable; its output file lives under target/
# (TMPDIR), which the root sees at the same path.
wrap="$top/target/arches/bin/valgrind-root"
mkdir -p "$(dirname "$wrap")"
printf '#!/usr/bin/env bash\nsource %q\nin_root LD_LIBRARY_PATH="$LD_LIBRARY_PATH" valgrind "$@"\n' \
	"$top/capi-tests/arches/lib.sh" >"$wrap"
chmod +x "$wrap"
ln -sf valgrind-root "$(dirname "$wrap")/valgrind"
mkdir -p "$work/tmp"

info="rustc $(in_root rustc --version | cut -d' ' -f2) (sid) for $rust; $(in_root "$gnu-gcc" --version | head -1); $(in_root valgrind --version)"
PATH="$(dirname "$wrap"):$PATH" TMPDIR="$work/tmp" python3 - "$top" "$work" "$ref" "$ourlib" "$info" <<'EOF'
import os, sys
top, work, ref, ourlib, info = sys.argv[1:6]
sys.path.insert(0, os.path.join(top, "benches"))
import run  # benches/run.py: the same callgrind count as make bench

forms = [("upstream", os.path.join(work, "up"), os.path.join(ref, "src"), None),
         ("ours-src", os.path.join(work, "ours"), ourlib, None),
         ("ours-bin", os.path.join(work, "up"), ourlib, None)]
if os.environ.get("BENCH_CHECK") == "1":
    counts = run.callgrind(forms, run.IR_CHECK_ONLY, detail=os.environ.get("BENCH_DETAIL") == "1")
    sys.exit(run.ir_check_verdict(counts, "i386", os.environ.get("BENCH_EXPECT_OVER") == "1"))
only = os.environ.get("BENCH_ONLY") or r"^nop-"
counts = run.callgrind(forms, only, detail=os.environ.get("BENCH_DETAIL") == "1")
out = run.arch_callgrind_table(counts, "i386")
out.append("")
out.append(f"i386 programs on this x86_64 kernel under the root's valgrind; {info}; "
           "commit " + os.popen(f"git -C {top} describe --always --dirty").read().strip() + ".")
text = "\n".join(out) + "\n"
if not os.environ.get("BENCH_ONLY"):
    open(os.path.join(work, "..", "bench.md"), "w").write(text)
print(text)
EOF
