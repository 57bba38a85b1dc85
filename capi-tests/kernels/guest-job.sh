#!/bin/sh
# The job that capi-tests/kernels/kernels.sh runs in every guest (busybox sh),
# as /payload/job.sh RESULTS_DIR. The payload holds:
#   lib/ours/      our liburing.so.2 and liburing-ffi.so.2
#   lib/upstream/  upstream 2.15's own liburing.so.2 (the reference)
#   lib/capi-ref/  upstream 2.15 built with --use-libc (our C tests' reference)
#   capi/ours/     our C test programs, our header, linked to liburing.so.2
#   capi/ffi/      the same programs, header in FFI form, liburing-ffi.so.2
#   upstream/      upstream's test programs built in abi mode (upstream's
#                  headers, linked to liburing.so.2) and upstream.list, the
#                  tests to run in order
#   lib/planted/   (optional) our liburing.so.2 with the NO_SQARRAY fall-back
#                  taken out (plant.sh): on a kernel without NO_SQARRAY (before
#                  6.6) setup.c runs on it once more and must fail
#   job.conf       CAPI_NOPS, UP_TIMEOUT, CAPI_TIMEOUT, PAIRS, PAIR_BUDGET, CAPI_FORMS
#                  (the forms of our C tests to run), CAPI_REF (always: every
#                  C test program on upstream's library too; on-failure: only
#                  a program that did not pass on ours)
#
# The test programs' run paths name host directories that do not exist in the
# guest, and the guest has no other liburing: LD_LIBRARY_PATH alone decides
# which library a program runs on, and the loader's own report of that choice
# is kept (loader-*.txt).
#
# Every result is one "KT ..." line, printed on the serial console and kept in
# RESULTS_DIR/kt.txt, so the host can check that both channels agree:
#   KT capi FORM PROG rc=N passed=N failed=N skipped=N secs=S
#   KT capi-ref FORM PROG ...   (the same program on upstream's library)
#   KT up TEST ours=RESULT/rc/secs ref=RESULT/rc/secs first=RESULT/rc/secs pairs=N
#      oursmiss=N refmiss=N  (when ours's first run ended below upstream's:
#                             N paired runs, and how many of each library's
#                             ended below upstream's first result)
#   KT plant FORM PROG ...      (the program on the planted library)
#   KT time PART secs=S         (how long each part of the job took)
#   KT bench ID rc=N            (a callgrind run of bench/commands, if any)
# (first is ours's first run; ours the last paired run of ours that did not
# end below upstream's first result, or the first when none did).
# RESULT is PASS (exit 0), SKIP (exit 77), TIMEOUT (still running after the
# limit) or FAIL; upstream's runtests.sh conventions.
R=${1:?usage: job.sh RESULTS_DIR}
P=/payload
. "$P/job.conf"
: "${CAPI_NOPS:=200000}" "${UP_TIMEOUT:=120}" "${CAPI_TIMEOUT:=300}" "${PAIRS:=6}" "${PAIR_BUDGET:=600}"
: "${CAPI_FORMS:=ours ffi}" "${CAPI_REF:=always}" "${UP_REF:=always}"
export CAPI_NOPS

kt() { echo "KT $*"; echo "KT $*" >> "$R/kt.txt"; }
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

# The loader's choice for each library directory.
for lib in ours upstream; do
	probe=$(ls "$P"/upstream/*.t 2>/dev/null | head -1)
	[ -n "$probe" ] && LD_LIBRARY_PATH="$P/lib/$lib" LD_TRACE_LOADED_OBJECTS=1 "$probe" \
		> "$R/loader-$lib.txt" 2>&1
done
for form in ours ffi; do
	probe=$(ls "$P"/capi/$form/* 2>/dev/null | head -1)
	[ -n "$probe" ] && LD_LIBRARY_PATH="$P/lib/ours" LD_TRACE_LOADED_OBJECTS=1 "$probe" \
		> "$R/loader-capi-$form.txt" 2>&1
done

# --- our C test programs, both forms --------------------------------------
# Each program runs on our library, then (when the payload has it) on
# upstream's own library built with --use-libc (lib/capi-ref; our tests free()
# what the library malloc()s, as upstream's libc build allows): a check that
# fails on both is about the kernel, not about our library.
# run_capi FORM PROG EXE LIBDIR TAG
run_capi() {
	local form=$1 prog=$2 exe=$3 lib=$4 tag=$5 d t0 rc s np nf ns o
	d=/tmp/work/$tag-$form-$prog
	o="$R/$tag-$form/$prog.out"
	mkdir -p "$d" "$R/$tag-$form"
	t0=$(now)
	(cd "$d" && CAPI_LIBDIR="$lib" LD_LIBRARY_PATH="$lib" \
		timeout -s KILL "$CAPI_TIMEOUT" "$exe" < /dev/null > "$o" 2>&1)
	rc=$?
	last_rc=$rc
	s=$(elapsed "$t0")
	np=$(grep -c '^PASS ' "$o")
	nf=$(grep -c '^FAIL ' "$o")
	ns=$(grep -c '^SKIP ' "$o")
	grep -q '^[0-9]* passed, [0-9]* failed$' "$o" || nf=$((nf + 1))
	kt "$tag $form $prog rc=$rc passed=$np failed=$nf skipped=$ns secs=$s"
	rm -rf "$d"
}
for form in $CAPI_FORMS; do
	[ -d "$P/capi/$form" ] || continue
	t_part=$(now)
	for exe in "$P"/capi/$form/*; do
		prog=${exe##*/}
		run_capi "$form" "$prog" "$exe" "$P/lib/ours" capi
		grep -E '^(FAIL|SKIP) ' "$R/capi-$form/$prog.out" | head -20
		[ -e "$P/lib/capi-ref/liburing.so.2" ] || continue
		# on-failure: a program that passed on ours needs no reference
		# (the judge compares failing checks only)
		if [ "$CAPI_REF" = always ] || [ "$last_rc" != 0 ] || grep -q '^FAIL ' "$R/capi-$form/$prog.out"; then
			run_capi "$form" "$prog" "$exe" "$P/lib/capi-ref" capi-ref
		fi
	done
	kt "time capi-$form secs=$(elapsed "$t_part")"
done

# --- the planted regression (kernels without NO_SQARRAY) -------------------
# Linux 6.6 brought IORING_SETUP_NO_SQARRAY; before it the kernel answers
# -EINVAL and only the library's fall-back makes a ring.
kver=$(uname -r | awk -F. '{print $1 * 1000 + $2}')
if [ -e "$P/lib/planted/liburing.so.2" ] && [ -x "$P/capi/ours/setup" ] && [ "$kver" -lt 6006 ]; then
	run_capi ours setup "$P/capi/ours/setup" "$P/lib/planted" plant
	grep '^FAIL ' "$R/plant-ours/setup.out" | head -3
fi

# --- upstream's suite: our library, then upstream's, same binary ------------
# run_up TEST LIB -> "RESULT/rc/secs"; output in $R/up-LIB/TEST.out
run_up() {
	local t=$1 lib=$2 d t0 rc s r
	d=/tmp/work/up-$lib
	mkdir -p "$d" "$R/up-$lib"
	t0=$(now)
	(cd "$d" && LD_LIBRARY_PATH="$P/lib/$lib" \
		timeout -s INT -k "$UP_TIMEOUT" "$UP_TIMEOUT" "$P/upstream/$t" < /dev/null \
		> "$R/up-$lib/$t.out" 2>&1)
	rc=$?
	s=$(elapsed "$t0")
	case $rc in 0) r=PASS;; 77) r=SKIP;; *) r=FAIL;; esac
	if [ "$r" = FAIL ] && awk -v s="$s" -v l="$UP_TIMEOUT" 'BEGIN {exit !(s >= l)}'; then r=TIMEOUT; fi
	echo "$r/$rc/$s"
}
rank() { case ${1%%/*} in PASS) echo 2;; SKIP) echo 1;; *) echo 0;; esac; }
# beyond_chance KO KU N: true when KO misses of N runs on ours against KU of
# N on upstream's library are more than chance gives at 5 %: the one-sided
# Fisher exact test of report.py and capi-tests/upstream/run.sh.
beyond_chance() {
	awk -v ko="$1" -v ku="$2" -v n="$3" '
	function c(a, b,  r, i) { if (b < 0 || b > a) return 0; r = 1; for (i = 1; i <= b; i++) r = r * (a - b + i) / i; return r }
	BEGIN { if (ko <= ku) exit 1; t = ko + ku; s = 0
		for (x = ko; x <= t && x <= n; x++) s += c(n, x) * c(n, t - x)
		exit !(100 * s <= 5 * c(2 * n, t)) }'
}
# pairs_for OURS REF: PAIRS, or fewer when a run takes long (PAIR_BUDGET
# seconds for them all, judged by the slower first run), never under 4.
pairs_for() {
	awk -v a="${1##*/}" -v b="${2##*/}" -v p="$PAIRS" -v budget="$PAIR_BUDGET" 'BEGIN {
		s = (a > b ? a : b); if (s < 1) s = 1
		n = int(budget / (2 * s)); if (n > p) n = p; if (n < 4) n = 4; print n }'
}

if [ -f "$P/upstream/upstream.list" ]; then
	t_part=$(now)
	for t in $(cat "$P/upstream/upstream.list"); do
		if [ ! -x "$P/upstream/$t" ]; then
			kt "up $t ours=NOTBUILT/-/0 ref=NOTBUILT/-/0"
			continue
		fi
		o=$(run_up "$t" ours)
		# UP_REF=on-miss (the smoke): a test ours passed cannot be worse
		# than upstream's library, which then does not run it.
		if [ "$UP_REF" = on-miss ] && [ "${o%%/*}" = PASS ]; then
			kt "up $t ours=$o ref=NOTRUN/-/0 first=$o pairs=0 oursmiss=0 refmiss=0"
			rm -rf /tmp/work/up-ours
			continue
		fi
		u=$(run_up "$t" upstream)
		first=$o
		# Ours ended below upstream's library: paired runs (upstream's, then
		# ours), each a miss when it ends below upstream's first result. The
		# host judges the two counts (report.py); the pairs stop once that
		# verdict is settled either way.
		pairs=0
		ko=0
		ku=0
		lvl=$(rank "$u")
		if [ "$(rank "$o")" -lt "$lvl" ]; then
			cp "$R/up-ours/$t.out" "$R/up-ours/$t.miss.out"
			np=$(pairs_for "$o" "$u")
			while [ $pairs -lt "$np" ]; do
				pairs=$((pairs + 1))
				[ "$(rank "$(run_up "$t" upstream)")" -lt "$lvl" ] && ku=$((ku + 1))
				o2=$(run_up "$t" ours)
				if [ "$(rank "$o2")" -lt "$lvl" ]; then
					ko=$((ko + 1))
					cp "$R/up-ours/$t.out" "$R/up-ours/$t.miss.out"
				else
					o=$o2
				fi
				beyond_chance $((ko + np - pairs)) $ku "$np" || break
				beyond_chance $ko $((ku + np - pairs)) "$np" && break
			done
		fi
		kt "up $t ours=$o ref=$u first=$first pairs=$pairs oursmiss=$ko refmiss=$ku"
		rm -rf /tmp/work/up-ours /tmp/work/up-upstream
	done
	kt "time upstream-suite secs=$(elapsed "$t_part")"
fi

# --- callgrind counts (capi-tests/arches/bench-guest.sh) -------------------
# bench/commands: "ID LIB BINDIR PROG TOGGLE ARG..." per run (TOGGLE: the
# function to collect in, or none for the whole program); the program's
# output and callgrind's file come back as bench/ID.out and bench/ID.cg.
if [ -f "$P/bench/commands" ]; then
	t_part=$(now)
	mkdir -p "$R/bench"
	while read -r id lib bindir prog toggle args; do
		tc=--toggle-collect=$toggle
		[ "$toggle" != none ] || tc=--collect-atstart=yes
		# shellcheck disable=SC2086 # the arguments are words
		VALGRIND_LIB="$P/bench/vg/lib" LD_LIBRARY_PATH="$P/lib/$lib" "$P/bench/vg/bin/valgrind" \
			--tool=callgrind "$tc" --callgrind-out-file="$R/bench/$id.cg" \
			"$P/bench/$bindir/$prog" $args < /dev/null > "$R/bench/$id.out" 2> "$R/bench/$id.err"
		kt "bench $id rc=$?"
	done < "$P/bench/commands"
	kt "time bench secs=$(elapsed "$t_part")"
fi
exit 0
