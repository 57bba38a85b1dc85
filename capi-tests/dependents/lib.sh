# shellcheck shell=bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# Sourced by the drivers of capi-tests/dependents/: what building a Debian
# package on each liburing needs. A driver calls driver() right after.
#
#   driver NAME [MODE]            say and fail for the driver NAME; MODE (full,
#                                 the default, or smoke) sets $mode and the
#                                 make target ($target) its failures name
#   dependents_prepare            our build present, upstream's configured
#                                 2.15 tree with its library built ($ref,
#                                 capi-tests/lib/upstream-build.sh)
#   side_env SIDE DIR             libdir, incdir and PKG_CONFIG_PATH for SIDE
#                                 (upstream or ours); DIR/pc-SIDE holds its
#                                 liburing.pc, DIR/lib-upstream the links to
#                                 upstream's library
#   smoke_setup ... smoke_end     the smoke mode's header check (below)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
# shellcheck disable=SC2034 # used by the drivers that source this file
jobs=${JOBS:-$(nproc)}

# shellcheck disable=SC2317 # say and fail are called by the drivers
driver() {
	driver_name=$1
	mode=${2:-full}
	target=test-dependents
	[ "$mode" = smoke ] && target=test-dependents-smoke
	say() { echo "$driver_name: $*"; }
	# A failure ends the driver, and its open record with it.
	fail() {
		echo "FAIL $target: $driver_name: $*"
		[ -z "${rec:-}" ] || { record "problem $*"; record_end; }
		exit 1
	}
}
# The packages' own builds run as top-level makes, as Debian runs them:
# under `make test-dependents`, MAKELEVEL=1 would tell PostgreSQL's
# Makefile.global it is a sub-make, which then skips its generated headers
# (utils/errcodes.h missing), and MAKEFLAGS would hand over the outer -j.
unset MAKELEVEL MAKEFLAGS MFLAGS

dependents_prepare() {
	[ -f "$top/build/lib/liburing.so.2" ] || fail "build/lib/liburing.so.2 is missing (run make first)"
	ref=$("$top/capi-tests/lib/upstream-build.sh") || fail "upstream's liburing could not be configured and built (the upstream-build: lines above)"
}

side_env() {
	local pc="$2/pc-$1"
	rm -rf "$pc"
	mkdir -p "$pc"
	case $1 in
	ours)
		libdir="$top/build/lib"
		incdir="$top/build/include"
		;;
	upstream)
		libdir="$2/lib-upstream"
		incdir="$ref/src/include"
		rm -rf "$libdir"
		mkdir -p "$libdir"
		ln -s "$ref/src/liburing.so.2.15" "$libdir/liburing.so.2"
		ln -s liburing.so.2 "$libdir/liburing.so"
		;;
	*) fail "side_env: no side '$1'" ;;
	esac
	printf 'Name: liburing\nDescription: io_uring library (%s side)\nVersion: 2.15\nCflags: -I%s\nLibs: -L%s -luring\n' \
		"$1" "$incdir" "$libdir" >"$pc/liburing.pc"
	export PKG_CONFIG_PATH="$pc"
}

# The smoke mode's header check: what includes liburing.h in a package
# compiled with the package's own flags and -Werror on upstream's header, on
# ours, and on a planted copy of ours that must fail it. The driver's
# COMPILE INCLUDE-DIR [ARG...] compiles it (its output in $b/tu.log).
#   smoke_setup COMPILE WHAT PACKAGE FLAGS [CHECK]
#       WHAT is what COMPILE compiles, as a singular subject
#       ("lib/backends/ublk.c"); PACKAGE the package and its version; FLAGS
#       whose flags they are ("erofs-utils' flags"). CHECK SIDE, when given,
#       runs after each side's compile of smoke_headers passed; for ours it
#       prints what to add to the PASS line, or prints why ours fails and
#       returns 1. Sets bad=0.
#   smoke_headers
#       COMPILE with upstream's header ($ref/src/include) must pass (else
#       fail); with ours (build/include): "PASS WHAT compiles with our header,
#       FLAGS and -Werror", else a FAIL line and bad=1.
#   smoke_plant SUBJECT HOW FILE SED [ARG...]
#       the plant: build/include copied to $work/smoke-planted-include, sed
#       SED applied to FILE there, which must change it; COMPILE COPY ARG...
#       must then fail: "PASS plant: SUBJECT fails on our header HOW (its
#       first error)", else a FAIL line and bad=1.
#   smoke_end
#       "smoke: WHAT of PACKAGE: ours compiles wherever upstream's does; plant
#       caught" when nothing failed; exits with bad.
smoke_setup() {
	smoke_compile=$1 smoke_what=$2 smoke_package=$3 smoke_flags=$4 smoke_check=${5:-}
	bad=0
}
# shellcheck disable=SC2154 # b is the driver's
smoke_headers() {
	local note=
	"$smoke_compile" "$ref/src/include" ||
		fail "$smoke_what does not compile with upstream's header: $(grep -m1 error "$b/tu.log")"
	say "$smoke_what compiles with upstream's header, $smoke_flags and -Werror ($smoke_package)"
	[ -z "$smoke_check" ] || "$smoke_check" upstream
	if ! "$smoke_compile" "$top/build/include"; then
		echo "FAIL $target: $driver_name: $smoke_what does not compile with our header: $(grep -m1 error "$b/tu.log")"
		bad=1
	elif [ -n "$smoke_check" ] && ! note=$("$smoke_check" ours); then
		echo "FAIL $target: $driver_name: $smoke_what $note"
		bad=1
	else
		say "PASS $smoke_what compiles with our header, $smoke_flags and -Werror$note"
	fi
}
# shellcheck disable=SC2154 # b and work are the driver's
smoke_plant() { # SUBJECT HOW FILE SED [ARG...]
	local subject=$1 how=$2 file=$3 expr=$4 planted="$work/smoke-planted-include"
	shift 4
	rm -rf "$planted"
	cp -R "$top/build/include" "$planted"
	sed -i "$expr" "$planted/$file"
	if cmp -s "$top/build/include/$file" "$planted/$file"; then
		echo "FAIL $target: $driver_name: plant: sed '$expr' left our $file unchanged (our header $how was not made)"
		bad=1
	elif "$smoke_compile" "$planted" "$@"; then
		echo "FAIL $target: $driver_name: plant: $subject compiled on our header $how"
		bad=1
	else
		say "PASS plant: $subject fails on our header $how ($(grep -m1 -oE 'error: [^[]*' "$b/tu.log"))"
	fi
}
smoke_end() {
	[ "$bad" = 0 ] && say "smoke: $smoke_what of $smoke_package: ours compiles wherever upstream's does; plant caught"
	exit "$bad"
}

# The run's record, target/dependents/<package>/record.txt, which
# capi-tests/dependents/dependents-doc.py --save-results copies into
# capi-tests/dependents/results/<package>.txt (the COMPATIBILITY.md section
# is generated from those). One fact a line, first word its kind:
#   commit SHA [with-local-changes]   the library code the run tested
#   package NAME version=V source=complete|dsc-from-index
#   built SIDE ok|FAIL WHAT...        what was built on that side
#   suite SIDE NAME pass=N fail=N skip=N [rc=N]
#   proof SIDE ok|FAIL WHAT...        the liburing code path ran (or linked)
#   worse N                           passing on upstream's, failing on ours
#   plant PASS|FAIL WHAT...           the planted regression caught or not
#   problem WHAT...                   anything else that failed
#   end SECONDS                       the run completed (its wall time)
record_begin() { # PACKAGE
	rec="$top/target/dependents/$1/record.txt"
	mkdir -p "${rec%/*}"
	record_t0=$SECONDS
	local c lib_paths
	c=$(git -C "$top" rev-parse HEAD 2>/dev/null || echo unknown)
	mapfile -t lib_paths < <(grep -v '^#' "$top/capi-tests/lib/library-code.txt")
	[ -z "$(git -C "$top" status --porcelain --untracked-files=no -- "${lib_paths[@]}" 2>/dev/null)" ] ||
		c="$c with-local-changes"
	echo "commit $c" >"$rec"
}
record() { echo "$*" >>"$rec"; }
record_end() { record "end $((SECONDS - record_t0))"; }

# PostgreSQL's TAP runs (postgresql.sh full and postgresql-debian.sh run
# src/test/modules/test_aio's t/*.pl with prove): what prove's output
# (PROVE_LOG) and the TAP logs (LOG_DIR, the run's TESTLOGDIR, regress_log_*)
# say.
# tap_totals PROVE_LOG LOG_DIR: "PASS FAIL SKIP": prove's Tests=N less the
# subtests its "Failed M/N subtests" lines name and the skips (the logs'
# "ok N # skip" lines).
tap_totals() {
	local n nok skp
	n=$(grep -oE 'Tests=[0-9]+' "$1" 2>/dev/null | tail -1 | cut -d= -f2)
	nok=$(grep -oE 'Failed [0-9]+/[0-9]+ subtests' "$1" 2>/dev/null | awk '{split($2, a, "/"); n += a[1]} END {print n + 0}')
	skp=$(cat "$2"/regress_log_* 2>/dev/null | grep -ciE '\) ok [0-9]+ .*# skip')
	echo "$((${n:-0} - nok - skp)) $nok $skp"
}
# aio_subtests LOG_DIR METHOD: "OK NOT_OK", test_aio's subtests of one
# io_method (their names start "METHOD: ") in regress_log_001_aio.
aio_subtests() {
	local ok bad
	ok=$(grep -cE "\) ok [0-9]+ - $2" "$1/regress_log_001_aio" 2>/dev/null)
	bad=$(grep -cE "\) not ok [0-9]+ - $2" "$1/regress_log_001_aio" 2>/dev/null)
	echo "${ok:-0} ${bad:-0}"
}
# tap_failed PROVE_LOG LOG_DIR: what failed, one a line, sorted: "FILE: NAME"
# for each failed subtest (TODO ones left out) and "FILE" for each file that
# prove's Test Summary Report names (died, bad plan, a nonzero exit).
tap_failed() {
	local f n
	{
		for f in "$2"/regress_log_*; do
			[ -f "$f" ] || continue
			n=${f##*/regress_log_}
			grep -E '\) not ok [0-9]+' "$f" | grep -v '# TODO' | sed -E "s/^.*\) not ok [0-9]+ *-? *(.*)$/$n.pl: \1/"
		done
		sed -nE 's#^t/([^ ]+\.pl) +\(Wstat.*#\1#p' "$1" 2>/dev/null
	} | sort -u
}
