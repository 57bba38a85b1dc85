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
# come from that source. Then for each side, upstream (Debian's liburing2,
# the control) and ours (LD_LIBRARY_PATH=build/lib), as user postgres: a
# fresh cluster (initdb), the server started by Debian's pg_ctl with
# io_method=io_uring, proven to have loaded the side's liburing.so.2 (the
# postmaster's /proc/PID/maps) and to use io_uring (SHOW io_method, the
# io_uring fds of the postmaster, 200000 rows written and read back), then
# the regression suite against it (pg_regress, the source's parallel
# schedule: make installcheck-parallel's run), compared (worse: a test
# passing on Debian's liburing2 and failing on ours).
# Planted: ours with the ring set-up failing (an LD_PRELOAD shim for
# io_uring_queue_init_mem and _init) must fail the proof.
#
#   postgresql-debian.sh     (part of make test-dependents; root)
# Record (lib.sh): target/dependents/postgresql-18-deb/record.txt; logs in
# target/dependents/postgresql-debian/.
set -uo pipefail
# shellcheck source=capi-tests/arches/lib.sh
source "$(dirname "$0")/../arches/lib.sh"
say() { echo "postgresql-debian: $*"; }
fail() {
	echo "FAIL test-dependents: postgresql-debian: $*"
	[ -z "${rec:-}" ] || { record "problem $*"; record_end; }
	exit 1
}
# shellcheck source=capi-tests/dependents/lib.sh
source "$(dirname "$0")/lib.sh"

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
record_begin postgresql-18-deb

# What runs inside the throwaway root, as root there; it writes
# $work/out/<side>.txt (key=value lines) and copies its logs to $work/out.
cat >"$work/inside.sh" <<'SH'
#!/bin/bash
set -u
top=$1 src=$2 out=$3 pgr=$4
export DEBIAN_FRONTEND=noninteractive
log=$out/install.log
mkdir -p /etc/postgresql-common
echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
{ apt-get update -q && apt-get install -y -q -o Dpkg::Options::=--force-confold postgresql-18; } >"$log" 2>&1 ||
	{ echo "install=FAIL" >"$out/setup.txt"; exit 1; }
dpkg-query -W -f 'version=${Version}\n' postgresql-18 >"$out/setup.txt"
dpkg-query -W -f 'liburing2=${Version}\n' liburing2 >>"$out/setup.txt"
mkdir -p /tmp/sdev && cd /tmp/sdev || exit 1
apt-get download -q postgresql-server-dev-18 >>"$log" 2>&1 && dpkg-deb -x postgresql-server-dev-18_*.deb /tmp/sdev ||
	{ echo "serverdev=FAIL" >>"$out/setup.txt"; exit 1; }
bin=/usr/lib/postgresql/18/bin
dl=/tmp/sdev/usr/lib/postgresql/18/lib
[ -f $dl/regress.so ] || { echo "regress.so=FAIL" >>"$out/setup.txt"; exit 1; }
# The regression suite's inputs, from the source.
cp -R "$src/src/test/regress" /tmp/regress
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

# run SIDE ENV...: a cluster, the server, the proof, then (not for the plant) pg_regress.
run() {
	local side=$1 d=/tmp/pg-$1 sock=/tmp/sock-$1 pid maps rings method rows
	shift
	local r=$out/$side.txt
	mkdir -p "$sock" && chown postgres "$sock"
	as() { runuser -u postgres -- env "$@"; }
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
run upstream PATH=/usr/bin:/bin
run ours PATH=/usr/bin:/bin LD_LIBRARY_PATH="$top/build/lib"
run plant PATH=/usr/bin:/bin LD_LIBRARY_PATH="$top/build/lib" LD_PRELOAD=/tmp/shim.so
SH
chmod 755 "$work/inside.sh"
t0=$SECONDS
in_overlay "$work/overlay" /bin/bash "$work/inside.sh" "$top" "$src" "$work/out" "$pgb/src/test/regress/pg_regress"
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
bad=0
ours_lib=$(readlink -f "$top/build/lib/liburing.so.2")
for side in upstream ours; do
	maps=$(val $side maps)
	case $side in
	upstream)
		what="Debian's binary postgresql-18 $version installed in a sid root with Debian's liburing2 $uring2 (the control)"
		case $maps in /usr/lib/*/liburing.so.2*) lib_ok=1 ;; *) lib_ok=0 ;; esac
		;;
	ours)
		what="Debian's binary postgresql-18 $version on our build/lib/liburing.so.2 through LD_LIBRARY_PATH"
		[ "$(readlink -f "$maps")" = "$ours_lib" ] && lib_ok=1 || lib_ok=0
		;;
	esac
	record "built $side ok $what; pg_regress built from the source $srcver, regress.so from postgresql-server-dev-18"
	rings=$(val $side rings)
	if [ "$(val $side start)" = ok ] && [ "$lib_ok" = 1 ] && [ "$(val $side method)" = io_uring ] &&
		[ "${rings:-0}" -gt 0 ] && [ "$(val $side rows)" = 200000 ]; then
		record "proof $side ok the postmaster maps $maps, holds $rings io_uring fds with io_method=io_uring and reads back 200000 rows"
		say "$side: the postmaster maps $maps; io_method=io_uring, $rings io_uring fds, 200000 rows read back"
	else
		record "proof $side FAIL start=$(val $side start) maps=$maps method=$(val $side method) rings=$rings rows=$(val $side rows)"
		echo "postgresql-debian: $side: the proof failed: $(tr '\n' ' ' <"$work/out/$side.txt" 2>/dev/null)"
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
done
worse=$(comm -13 "$work/out/upstream-failed.txt" "$work/out/ours-failed.txt" | wc -l)
# ours with no summary line where the control has one is worse too
if [ "$worse" = 0 ] && grep -q "^suite upstream .* rc=0$" "$rec" && ! grep -q "^suite ours .* rc=0$" "$rec"; then
	worse=1
fi
record "worse $worse"
say "installcheck tests failing on ours and not on Debian's liburing2: $worse"
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
[ $bad = 0 ] && say "Debian's postgresql-18 $version: installcheck with io_method=io_uring on ours as on Debian's liburing2 (worse 0); plant caught"
[ $bad = 0 ] || echo "FAIL test-dependents: postgresql-debian: see $work/out/"
record_end
exit $bad
