#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# Debian's own binary postgresql-18 package (sid) on our liburing.so.2 through
# LD_LIBRARY_PATH, against the same package on Debian's liburing2.
#
# In a throwaway copy of the sid root (in_overlay, capi-tests/arches/lib.sh;
# capi-tests/arches/root.sh builds the root once), install postgresql-18
# (it pulls Debian's liburing2) and take the regression suite's regress.so
# from postgresql-server-dev-18 (unpacked, not installed: its dependencies
# are a compiler toolchain that installcheck does not need). Debian ships no
# pg_regress: it is built on the host from Debian's postgresql-18 source of
# the same version (the configured tree of postgresql.sh smoke), and the
# suite's inputs (src/test/regress: sql, expected, data, parallel_schedule)
# come from that source. Nor does it ship the AIO test module: test_aio.so is
# built from the same tree and, with its control and sql files from the
# source, installed into Debian's pkglibdir and extension directory inside
# the throwaway root only (libipc-run-perl, which the TAP tests need, is
# installed there too). Then for each side, upstream (Debian's liburing2,
# the control) and ours (LD_LIBRARY_PATH=build/lib), as user postgres: a
# fresh cluster (initdb), the server started by Debian's pg_ctl with
# io_method=io_uring, proven to have loaded the side's liburing.so.2 (the
# postmaster's /proc/PID/maps) and to use io_uring (SHOW io_method, the
# io_uring fds of the postmaster, 200000 rows written and read back), then
# the regression suite against it (pg_regress, the source's parallel
# schedule: make installcheck-parallel's run); then test_aio's TAP tests
# (t/*.pl under prove, as its make installcheck runs them: Debian's bin
# first in PATH, PERL5LIB at the source's src/test/perl, TESTDATADIR,
# TESTLOGDIR, PG_REGRESS, enable_injection_points=no as Debian's build has
# none), their postmasters' maps and io_uring fds sampled while they run
# (only the side's liburing may appear; ldd of Debian's postgres under the
# side's environment names it too); their totals and io_uring subtests
# counted by lib.sh (tap_totals, aio_subtests), as postgresql.sh full counts
# them. Compared (worse: an installcheck test, or a TAP subtest or file,
# passing on Debian's liburing2 and failing on ours; or fewer io_uring
# subtests passing on ours).
# Planted: ours with the ring set-up failing (an LD_PRELOAD shim for
# io_uring_queue_init_mem and _init) must fail the proof, and test_aio's
# t/001_aio.pl on it must pass fewer io_uring subtests than ours and fail.
#
#   postgresql-debian.sh     (part of make test-dependents; root)
# Record (lib.sh): target/dependents/postgresql-18-deb/record.txt; logs in
# target/dependents/postgresql-debian/.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/../arches/lib.sh"
# shellcheck source=capi-tests/dependents/lib.sh
source "$(dirname "$0")/lib.sh"
driver postgresql-debian

[ "$(id -u)" = 0 ] || { "$top/capi-tests/skip.sh" root test-dependents "postgresql-debian: the sid root needs chroot"; exit; }
[ -f "$top/build/lib/liburing.so.2" ] || fail "build/lib/liburing.so.2 is missing (run make first)"
"$top/capi-tests/arches/root.sh" || fail "the Debian sid root could not be built (target/arches/sid.log)"
src=$("$top/capi-tests/lib/debsrc.sh" postgresql-18) || fail "Debian's postgresql-18 source could not be fetched"
srcver=$(cut -d' ' -f2 "$src/.complete")
work="$top/target/dependents/postgresql-debian"
rm -rf "$work/out"
mkdir -p "$work/out"
# pg_regress, from the source configured by postgresql.sh smoke.
pgb="$top/target/dependents/postgresql/smoke"
if [ ! -f "$pgb/.configured" ] || [ "$(cat "$pgb/.configured")" != "$srcver" ]; then
	"$top/capi-tests/dependents/postgresql.sh" smoke >"$work/smoke.log" 2>&1 ||
		fail "postgresql.sh smoke (which configures the source pg_regress is built from) failed ($work/smoke.log)"
fi
make -C "$pgb/src/test/regress" -j"$jobs" pg_regress >"$work/pg_regress.log" 2>&1 ||
	fail "pg_regress does not build from the source ($work/pg_regress.log)"
# test_aio.so, the AIO test module, from the same tree (its headers: the
# backend's generated ones, which postgresql.sh smoke made). It needs only
# libc (the tree's configure LDFLAGS leave a RUNPATH in it, which applies to
# its own libc only); Debian's binary package does not ship it.
aio="$pgb/src/test/modules/test_aio"
if ! { make -C "$pgb/src/backend" generated-headers && make -C "$aio" -j"$jobs"; } >"$work/test_aio.log" 2>&1; then
	fail "test_aio does not build from the source ($work/test_aio.log)"
fi
readelf -d "$aio/test_aio.so" | grep -q 'NEEDED.*liburing' && fail "test_aio.so links liburing itself"
record_begin postgresql-18-deb

# What runs inside the throwaway root, as root there; it writes
# $work/out/<side>.txt (key=value lines) and copies its logs to $work/out.
cat >"$work/inside.sh" <<'SH'
#!/bin/bash
set -u
top=$1 src=$2 out=$3 pgr=$4 aio=$5
export DEBIAN_FRONTEND=noninteractive
log=$out/install.log
mkdir -p /etc/postgresql-common
echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
{ apt-get update -q && apt-get install -y -q -o Dpkg::Options::=--force-confold postgresql-18 libipc-run-perl; } >"$log" 2>&1 ||
	{ echo "install=FAIL" >"$out/setup.txt"; exit 1; }
dpkg-query -W -f 'version=${Version}\n' postgresql-18 >"$out/setup.txt"
dpkg-query -W -f 'liburing2=${Version}\n' liburing2 >>"$out/setup.txt"
mkdir -p /tmp/sdev && cd /tmp/sdev || exit 1
if ! { apt-get download -q postgresql-server-dev-18 && dpkg-deb -x postgresql-server-dev-18_*.deb /tmp/sdev; } >>"$log" 2>&1; then
	echo "serverdev=FAIL" >>"$out/setup.txt"
	exit 1
fi
bin=/usr/lib/postgresql/18/bin
dl=/tmp/sdev/usr/lib/postgresql/18/lib
[ -f $dl/regress.so ] || { echo "regress.so=FAIL" >>"$out/setup.txt"; exit 1; }
# The regression suite's inputs, from the source.
cp -R "$src/src/test/regress" /tmp/regress
# test_aio, built on the host from the source, installed where Debian's
# server looks for modules and extensions (in this throwaway root only).
pkglib=$($bin/pg_config --pkglibdir) ext=$($bin/pg_config --sharedir)/extension
if ! { install -m 644 "$aio/test_aio.so" "$pkglib/" && install -m 644 "$src/src/test/modules/test_aio/test_aio.control" \
	"$src/src/test/modules/test_aio/test_aio--1.0.sql" "$ext/"; }; then
	echo "test_aio=FAIL" >>"$out/setup.txt"
	exit 1
fi
echo "test_aio=$pkglib/test_aio.so" >>"$out/setup.txt"
cat >/tmp/shim.c <<'C'
#include <errno.h>
struct io_uring;
struct io_uring_params;
int io_uring_queue_init_mem(unsigned e, struct io_uring *r, struct io_uring_params *p, void *b, unsigned long s);
int io_uring_queue_init(unsigned e, struct io_uring *r, unsigned f);
int io_uring_queue_init_mem(unsigned e, struct io_uring *r, struct io_uring_params *p, void *b, unsigned long s)
{ (void) e; (void) r; (void) p; (void) b; (void) s; return -ENOMEM; }
int io_uring_queue_init(unsigned e, struct io_uring *r, unsigned f) { (void) e; (void) r; (void) f; return -ENOMEM; }
C
cc -shared -fPIC -o /tmp/shim.so /tmp/shim.c >>"$log" 2>&1 || { echo "shim=FAIL" >>"$out/setup.txt"; exit 1; }
chmod 755 /tmp/shim.so
chown -R postgres /tmp/regress
# POSIX shared memory (dynamic_shared_memory_type=posix): the root's /dev/shm
# is a plain directory of the overlay, writable by all as a tmpfs would be.
mkdir -p /dev/shm && chmod 1777 /dev/shm
echo "setup=ok" >>"$out/setup.txt"

as() { runuser -u postgres -- env "$@"; }

# run SIDE ENV...: a cluster, the server, the proof, then (not for the plant) pg_regress.
run() {
	local side=$1 d=/tmp/pg-$1 sock=/tmp/sock-$1 pid maps rings method rows
	shift
	local r=$out/$side.txt
	mkdir -p "$sock" && chown postgres "$sock"
	as "$@" $bin/initdb -D "$d" --no-sync -A trust -E UTF8 --locale=C >"$out/$side-initdb.log" 2>&1 ||
		{ echo "initdb=FAIL" >"$r"; return; }
	printf "io_method = io_uring\nlisten_addresses = ''\nunix_socket_directories = '%s'\n" "$sock" >>"$d/postgresql.conf"
	if ! as "$@" $bin/pg_ctl -D "$d" -l "$d.log" -w start >"$out/$side-pg_ctl.log" 2>&1; then
		echo "start=FAIL" >"$r"
		cp "$d.log" "$out/$side-server.log"
		return
	fi
	pid=$(head -1 "$d/postmaster.pid")
	maps=$(awk '$6 ~ /liburing\.so/ {print $6}' "/proc/$pid/maps" | sort -u | tr '\n' ',')
	rings=$(find "/proc/$pid/fd" -lname 'anon_inode:\[io_uring\]' 2>/dev/null | wc -l)
	method=$(as $bin/psql -h "$sock" -d postgres -Atc "SHOW io_method" 2>>"$out/$side-proof.log")
	rows=$(as $bin/psql -h "$sock" -d postgres -Atq \
		-c "CREATE TABLE t AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 200000) g" \
		-c "CHECKPOINT" -c "SELECT count(*) FROM t" 2>>"$out/$side-proof.log")
	{
		echo "start=ok"
		echo "pid=$pid"
		echo "maps=${maps%,}"
		echo "rings=$rings"
		echo "method=${method:-none}"
		echo "rows=${rows:-none}"
	} >"$r"
	if [ "$side" != plant ]; then
		mkdir -p "/tmp/out-$side" && chown postgres "/tmp/out-$side"
		local t0=$SECONDS
		as "$@" "$pgr" --inputdir=/tmp/regress --outputdir="/tmp/out-$side" \
			--bindir=$bin --dlpath=$dl --host="$sock" --port=5432 --max-concurrent-tests=20 \
			--schedule=/tmp/regress/parallel_schedule >"$out/$side-installcheck.log" 2>&1
		echo "regress_rc=$?" >>"$r"
		echo "regress_s=$((SECONDS - t0))" >>"$r"
		cp "/tmp/out-$side/regression.diffs" "$out/$side-regression.diffs" 2>/dev/null
		# the postmaster after the suite: the same process, still holding its rings
		echo "rings_after=$(find "/proc/$pid/fd" -lname 'anon_inode:\[io_uring\]' 2>/dev/null | wc -l)" >>"$r"
	fi
	as $bin/pg_ctl -D "$d" -m fast -w stop >>"$out/$side-pg_ctl.log" 2>&1
	cp "$d.log" "$out/$side-server.log"
}

# tap SIDE ENV...: test_aio's TAP tests (prove t/*.pl, as make installcheck
# in src/test/modules/test_aio runs them) against Debian's binaries, first in
# PATH, with the side's environment (the plant: t/001_aio.pl only). While
# they run, every test postmaster (postmaster.pid under TESTDATADIR) is
# sampled: the liburing.so files it maps and its io_uring fds, one line per
# node and sample in $out/SIDE-test_aio-maps.txt ("NODE LIBS FDS").
tap() {
	local side=$1 t=/tmp/aio-$1 tests="t/001_aio.pl t/002_io_workers.pl" w t0 lib
	shift
	local r=$out/$side.txt
	[ "$side" = plant ] && tests=t/001_aio.pl
	rm -rf "$t" && mkdir -p "$t" && chown postgres "$t"
	lib=$(env "$@" ldd $bin/postgres | awk '$1 == "liburing.so.2" {print $3}')
	echo "aio_ldd=$(readlink -f "$lib")" >>"$r"
	(
		while [ ! -e "$t/done" ]; do
			for f in "$t"/tmp_check/t_*_data/pgdata/postmaster.pid; do
				[ -f "$f" ] || continue
				p=$(head -1 "$f" 2>/dev/null)
				n=${f#"$t"/tmp_check/t_}
				n=${n%_data/pgdata/postmaster.pid}
				l=$(awk '$6 ~ /liburing\.so/ {print $6}' "/proc/$p/maps" 2>/dev/null | sort -u | tr '\n' ,)
				[ -n "$l" ] || continue
				echo "$n ${l%,} $(find "/proc/$p/fd" -lname 'anon_inode:\[io_uring\]' 2>/dev/null | wc -l)"
			done
			sleep 0.2
		done | sort -u >"$out/$side-test_aio-maps.txt"
	) &
	w=$!
	t0=$SECONDS
	# shellcheck disable=SC2086 # $tests: the test files, split
	(cd "$src/src/test/modules/test_aio" && as "$@" PATH="$bin:/usr/bin:/bin" \
		PERL5LIB="$src/src/test/perl:$src/src/test/modules/test_aio" \
		TESTDATADIR="$t/tmp_check" TESTLOGDIR="$t/tmp_check/log" PG_REGRESS="$pgr" PGPORT=65432 \
		enable_injection_points=no prove $tests) >"$out/$side-test_aio.log" 2>&1
	echo "aio_rc=$?" >>"$r"
	echo "aio_s=$((SECONDS - t0))" >>"$r"
	touch "$t/done"
	wait "$w"
	cp -R "$t/tmp_check/log" "$out/$side-test_aio-log"
}
run upstream PATH=/usr/bin:/bin
tap upstream PATH=/usr/bin:/bin
run ours PATH=/usr/bin:/bin LD_LIBRARY_PATH="$top/build/lib"
tap ours PATH=/usr/bin:/bin LD_LIBRARY_PATH="$top/build/lib"
run plant PATH=/usr/bin:/bin LD_LIBRARY_PATH="$top/build/lib" LD_PRELOAD=/tmp/shim.so
tap plant PATH=/usr/bin:/bin LD_LIBRARY_PATH="$top/build/lib" LD_PRELOAD=/tmp/shim.so
SH
chmod 755 "$work/inside.sh"
t0=$SECONDS
# The root is only read (the overlay's lower layer): a shared hold of its
# lock keeps root.sh and the scripts that install into it waiting meanwhile.
(
	flock -s 9
	in_overlay "$work/overlay" /bin/bash "$work/inside.sh" "$top" "$src" "$work/out" "$pgb/src/test/regress/pg_regress" "$aio"
) 9>"$top/target/arches/sid.lock"
rc=$?
in_s=$((SECONDS - t0))
safe_rm "$work/overlay" || say "note: the overlay $work/overlay could not be removed"
grep -q '^setup=ok' "$work/out/setup.txt" 2>/dev/null ||
	fail "the root's postgresql-18 could not be installed or prepared (rc $rc; $work/out/setup.txt, install.log)"
version=$(sed -n 's/^version=//p' "$work/out/setup.txt")
uring2=$(sed -n 's/^liburing2=//p' "$work/out/setup.txt")
record "package postgresql-18-deb version=$version source=binary"
say "Debian's postgresql-18 $version (sid's binary package; Debian's liburing2 $uring2), regression suite from the source $srcver; $in_s s in the root"

val() { sed -n "s/^$2=//p" "$work/out/$1.txt" 2>/dev/null; }
# lib_is SIDE PATH: PATH is the side's liburing.so.2 (its real file)
ours_lib=$(readlink -f "$top/build/lib/liburing.so.2")
lib_is() {
	case $1 in
	upstream) case $2 in /usr/lib/*/liburing.so.2*) return 0 ;; esac ;;
	*) [ "$(readlink -f "$2")" = "$ours_lib" ] && return 0 ;;
	esac
	return 1
}
# tap_proof SIDE: the liburing files test_aio's postmasters mapped (sampled;
# only the side's may appear, and ldd of Debian's postgres under the side's
# environment must name it too), the nodes seen (the io_uring one among
# them) and the most io_uring fds the io_uring node's postmaster held: sets
# tlibs, tnodes, trings; returns 0 when all hold.
tap_proof() {
	local m="$work/out/$1-test_aio-maps.txt"
	tlibs=$(awk '{n = split($2, a, ","); for (i = 1; i <= n; i++) print a[i]}' "$m" 2>/dev/null | sort -u | tr '\n' ' ')
	tlibs=${tlibs% }
	tnodes=$(awk '{print $1}' "$m" 2>/dev/null | sort -u | tr '\n' ' ')
	tnodes=${tnodes% }
	trings=$(awk '$1 == "001_aio_io_uring" && $3 > n {n = $3} END {print n + 0}' "$m" 2>/dev/null)
	[ -n "$tlibs" ] && [ "${tlibs// /}" = "$tlibs" ] && lib_is "$1" "$tlibs" && lib_is "$1" "$(val "$1" aio_ldd)" &&
		[[ " $tnodes " == *" 001_aio_io_uring "* ]] && [ "${trings:-0}" -gt 0 ]
}
bad=0
for side in upstream ours; do
	maps=$(val $side maps)
	case $side in
	upstream) what="Debian's binary postgresql-18 $version installed in a sid root with Debian's liburing2 $uring2 (the control)" ;;
	ours) what="Debian's binary postgresql-18 $version on our build/lib/liburing.so.2 through LD_LIBRARY_PATH" ;;
	esac
	record "built $side ok $what; pg_regress and test_aio.so built from the source $srcver, regress.so from postgresql-server-dev-18"
	rings=$(val $side rings)
	tap_ok=1
	tap_proof $side || tap_ok=0
	if [ "$(val $side start)" = ok ] && lib_is $side "$maps" && [ "$(val $side method)" = io_uring ] &&
		[ "${rings:-0}" -gt 0 ] && [ "$(val $side rows)" = 200000 ] && [ $tap_ok = 1 ]; then
		record "proof $side ok the postmaster maps $maps, holds $rings io_uring fds with io_method=io_uring and reads back 200000 rows; test_aio's postmasters ($(wc -w <<<"$tnodes")) map it too, the io_uring node's holding $trings io_uring fds"
		say "$side: the postmaster maps $maps; io_method=io_uring, $rings io_uring fds, 200000 rows read back"
		say "$side: test_aio's postmasters ($tnodes) map $tlibs (ldd under the side's environment: $(val $side aio_ldd)); the io_uring node's holds up to $trings io_uring fds"
	else
		record "proof $side FAIL start=$(val $side start) maps=$maps method=$(val $side method) rings=$rings rows=$(val $side rows) test_aio: maps=${tlibs:-none} ldd=$(val $side aio_ldd) nodes=${tnodes:-none} io_uring_fds=$trings"
		echo "postgresql-debian: $side: the proof failed: $(tr '\n' ' ' <"$work/out/$side.txt" 2>/dev/null) test_aio's postmasters mapped '${tlibs:-none}' (nodes ${tnodes:-none}, io_uring node's fds $trings)"
		bad=1
	fi
	l="$work/out/$side-installcheck.log"
	regress=$(grep -E '^# (All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$l" 2>/dev/null | tail -1)
	rrc=$(val $side regress_rc)
	if [[ $regress =~ All\ ([0-9]+)\ tests\ passed ]]; then
		record "suite $side installcheck(io_method=io_uring) pass=${BASH_REMATCH[1]} fail=0 skip=0 rc=$rrc"
	elif [[ $regress =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed ]]; then
		record "suite $side installcheck(io_method=io_uring) pass=$((BASH_REMATCH[2] - BASH_REMATCH[1])) fail=${BASH_REMATCH[1]} skip=0 rc=$rrc"
	else
		record "suite $side installcheck(io_method=io_uring) pass=0 fail=1 skip=0 rc=${rrc:-none}"
		echo "postgresql-debian: $side: installcheck gave no summary line ($l)"
		bad=1
	fi
	say "$side: installcheck (parallel schedule) in $(val $side regress_s) s: ${regress:-no summary line}; the postmaster still holds $(val $side rings_after) io_uring fds after it"
	grep -E '^not ok' "$l" 2>/dev/null | sed -E 's/^not ok [0-9]+ +[-+] +([^ ]+).*/\1/' | sort >"$work/out/$side-failed.txt"
	[[ $regress == *"tests passed"* ]] && echo "$rrc" >"$work/out/$side-regress-summary" || echo none >"$work/out/$side-regress-summary"
	# test_aio's TAP tests (lib.sh: tap_totals, aio_subtests, tap_failed)
	tl="$work/out/$side-test_aio.log" td="$work/out/$side-test_aio-log"
	read -r tp tf ts <<<"$(tap_totals "$tl" "$td")"
	read -r uo ub <<<"$(aio_subtests "$td" io_uring)"
	arc=$(val $side aio_rc)
	record "suite $side test_aio(TAP) pass=$tp fail=$tf skip=$ts rc=${arc:-none}"
	record "suite $side test_aio(io_uring subtests) pass=$uo fail=$ub skip=0"
	say "$side: test_aio (TAP) in $(val $side aio_s) s: $tp passed, $tf failed, $ts skipped, rc ${arc:-none}; io_uring subtests $uo ok, $ub not ok; $(grep -E '^Files=' "$tl" | cut -d, -f1-2)"
	tap_failed "$tl" "$td" >"$work/out/$side-test_aio-failed.txt"
	echo "$uo ${arc:-none}" >"$work/out/$side-test_aio-summary"
	[ "$uo" -gt 0 ] || { echo "postgresql-debian: $side: test_aio ran no io_uring subtest"; bad=1; }
done
worse=$(comm -13 "$work/out/upstream-failed.txt" "$work/out/ours-failed.txt" | wc -l)
# ours with no summary line (or a nonzero exit) where the control passed is worse too
if [ "$worse" = 0 ] && [ "$(cat "$work/out/upstream-regress-summary")" = 0 ] &&
	[ "$(cat "$work/out/ours-regress-summary")" != 0 ]; then
	worse=1
fi
say "installcheck tests failing on ours and not on Debian's liburing2: $worse"
# test_aio: failed subtests and files on ours and not on upstream's; and when
# none, fewer io_uring subtests passed, or a nonzero exit where upstream's had 0.
read -r uo_up arc_up <"$work/out/upstream-test_aio-summary"
read -r uo_ours arc_ours <"$work/out/ours-test_aio-summary"
tworse=$(comm -13 "$work/out/upstream-test_aio-failed.txt" "$work/out/ours-test_aio-failed.txt" | wc -l)
if [ "$tworse" = 0 ] && { [ "$uo_ours" -lt "$uo_up" ] || { [ "$arc_up" = 0 ] && [ "$arc_ours" != 0 ]; }; }; then
	tworse=1
fi
say "test_aio subtests failing on ours and not on Debian's liburing2: $tworse"
worse=$((worse + tworse))
record "worse $worse"
[ "$worse" = 0 ] || bad=1

# The plant: ours with the ring set-up failing must fail the proof.
pm=$(val plant method) pr=$(val plant rings) prows=$(val plant rows)
if [ "$(val plant start)" = ok ] && [ "$pm" = io_uring ] && [ "${pr:-0}" -gt 0 ] && [ "$prows" = 200000 ]; then
	echo "postgresql-debian: plant NOT caught: with io_uring_queue_init_mem failing the proof passed"
	record "plant FAIL with io_uring_queue_init_mem and _init failing (LD_PRELOAD over ours), the proof still passed"
	bad=1
else
	why="start=$(val plant start)"
	[ "$(val plant start)" = ok ] && why="io_method=$pm, $pr io_uring fds, rows $prows"
	say "PASS plant: with the ring set-up failing (LD_PRELOAD shim over ours), the proof fails ($why; $(grep -m1 -oE 'FATAL: .*|could not [^.]*' "$work/out/plant-server.log" 2>/dev/null))"
	record "plant PASS with io_uring_queue_init_mem and _init failing (an LD_PRELOAD shim over ours), the server's io_method=io_uring proof fails"
fi
# ... and test_aio's io_uring subtests (t/001_aio.pl) on it: fewer pass than on ours.
read -r puo pub <<<"$(aio_subtests "$work/out/plant-test_aio-log" io_uring)"
if [ "$puo" -lt "$uo_ours" ] && [ "$(val plant aio_rc)" != 0 ]; then
	say "PASS plant: with the ring set-up failing, test_aio's t/001_aio.pl passes $puo io_uring subtests ($pub not ok; $uo_ours on ours) and exits $(val plant aio_rc) ($(grep -m1 -oE 'command "[a-z_]+ .*exited with value [0-9]+|Dubious.*' "$work/out/plant-test_aio.log" | sed -E 's/^command "([a-z_]+) [^"]*"/\1/'))"
	record "plant PASS with the same shim, test_aio's t/001_aio.pl passes $puo of the $uo_ours io_uring subtests ours passes ($pub not ok) and exits $(val plant aio_rc)"
else
	echo "postgresql-debian: plant NOT caught by test_aio: $puo io_uring subtests passed ($uo_ours on ours), rc $(val plant aio_rc)"
	record "plant FAIL with the same shim test_aio's t/001_aio.pl passed $puo io_uring subtests (ours $uo_ours), rc $(val plant aio_rc)"
	bad=1
fi
[ $bad = 0 ] && say "Debian's postgresql-18 $version: installcheck and test_aio with io_method=io_uring on ours as on Debian's liburing2 (worse 0); plants caught"
[ $bad = 0 ] || echo "FAIL test-dependents: postgresql-debian: see $work/out/"
record_end
exit $bad
