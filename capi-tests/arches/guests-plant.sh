#!/usr/bin/env bash
# guests-plant.sh [ARCH]: the planted regression of the guest runs
# (guests.sh). A throw-away copy of the tree at HEAD gets a byte-order bug
# that only a big-endian machine can see: wait_cqes_ext (src/complete.rs)
# writes io_uring_getevents_arg.ts, a 64-bit user pointer, as two 32-bit
# words, low half first. On a little-endian CPU that is the same bytes as a
# 64-bit store; on s390x the kernel reads the halves swapped, a pointer
# nowhere, and every wait with a timeout through IORING_ENTER_EXT_ARG fails.
# The copy is built for ARCH (default s390x) into its own target directory
# (the shared cargo output is untouched), and guests.sh runs a few tests on
# it (OUR_ARCH_LIBDIR): the run must fail, naming an upstream test or one of
# our C checks as worse than upstream's own library. This script passes when
# the run catches the plant, and fails when it does not.
#   PLANT_TESTS="wait-timeout.t min-timeout.t nop.t"   upstream tests to run
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/lib.sh"

main() {
	local a=${1:-s390x} w tree chome out rc
	arch_info "$a" || die "plant: unknown architecture $a"
	w="$top/target/arches-guests/plant-$a"
	tree="$w/tree"
	safe_rm "$w" || die "plant: cannot clear $w"
	mkdir -p "$tree"
	git -C "$top" archive HEAD | tar -x -C "$tree" || die "plant: git archive of HEAD failed"
	python3 - "$tree/src/complete.rs" <<'EOF' || die "plant: the code to plant into is not in src/complete.rs any more"
import sys
p = sys.argv[1]
s = open(p).read()
old = "        ts: ts as u64,\n    };\n"
new = ("        ts: 0,\n    };\n"
       "    // PLANTED (guests-plant.sh): the pointer as two 32-bit words, low half first.\n"
       "    let words = core::ptr::addr_of_mut!(arg.ts).cast::<u32>();\n"
       "    unsafe {\n"
       "        words.write(ts as u64 as u32);\n"
       "        words.add(1).write((ts as u64 >> 32) as u32);\n"
       "    }\n")
if s.count(old) != 1:
    sys.exit(1)
open(p, "w").write(s.replace(old, new))
EOF
	"$top/capi-tests/arches/cross.sh" "$a" >/dev/null || die "plant: the unplanted library does not build for $a"
	chome="$top/target/arches/cargo-home"
	say "plant: building the planted copy for $a ($rust) in $w"
	in_root CARGO_HOME="$chome" sh -c 'cd "$1" && cargo build -j2 --release --offline --quiet --target "$2" --target-dir "$3"' \
		sh "$tree" "$rust" "$w/cargo" >"$w/build.log" 2>&1 || {
		tail -20 "$w/build.log"
		die "plant: the planted copy does not build"
	}
	in_root make -C "$tree" --no-print-directory -s BUILD="build/$a" RUST_A="$w/cargo/$rust/release/liburing.a" \
		CC="$gnu-gcc" CARGO=false lib >>"$w/build.log" 2>&1 || die "plant: linking the planted copy failed (see $w/build.log)"
	out="$w/run"
	# (ARCHES_RECORD= : the planted run's verdicts are not the architecture's)
	ARCHES_RECORD= OUR_ARCH_LIBDIR="$tree/build/$a/lib" GUESTS_OUT="$out" TESTS="${PLANT_TESTS:-wait-timeout.t min-timeout.t nop.t}" \
		"$top/capi-tests/arches/guests.sh" "$a" >"$w/guests.log" 2>&1
	rc=$?
	grep -E '^(  FAIL|      FAIL|    [a-z0-9_-]+\.t: ours|kernels: )' "$w/guests.log" | head -20 | sed 's/^/    /'
	if [ $rc -ne 0 ] && grep -qE "worse on our library than on upstream's|that pass on upstream's library" "$w/guests.log"; then
		pass "$a: planted: a 64-bit getevents_arg.ts written as two 32-bit words, low first, fails the guest run (see $w/guests.log)"
	else
		fail "$a: planted: the guest run (exit $rc) did not catch getevents_arg.ts written low word first (see $w/guests.log)"
	fi
	[ "${failures:-0}" -eq 0 ]
}
main "$@"
