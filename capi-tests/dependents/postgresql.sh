#!/usr/bin/env bash
# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# PostgreSQL 18 from Debian's source package (sid, Debian's patches applied),
# built against a liburing and tested with io_method=io_uring.
#
#   postgresql.sh smoke      (make test-dependents-smoke)
#       configure once, then compile the translation unit that includes
#       liburing.h (src/backend/storage/aio/method_io_uring.c) with
#       PostgreSQL's own flags plus -Werror against upstream's 2.15 header and
#       against ours: ours must compile wherever upstream's does. Planted: our
#       header with io_uring_for_each_cqe's old parameters must still compile
#       there (PostgreSQL does not use the macro) while a copy of the TU that
#       walks the CQ with io_uring_for_each_cqe(&ring, i, cqe) must not.
#   postgresql.sh full       (make test-dependents)
#       for each side, upstream (upstream's 2.15 header and library, built
#       from its source) and ours (build/include, build/lib): configure
#       --with-liburing --enable-tap-tests, build, then as an unprivileged
#       user the regression suite (make check) with io_method=io_uring and
#       the AIO test module (src/test/modules/test_aio, TAP: io_uring, worker
#       and sync methods); the two sides' counts are compared (worse: a test
#       that passes on upstream's and fails on ours).
#       Planted: the proof on ours with the ring set-up made to fail (an
#       LD_PRELOAD shim for io_uring_queue_init_mem and _init) must fail.
# Results: target/dependents/postgresql/<side>/summary.txt; the full run's
# record (lib.sh): target/dependents/postgresql-18/record.txt.
set -uo pipefail
# shellcheck source=capi-tests/dependents/lib.sh
source "$(dirname "$0")/lib.sh"
driver postgresql "${1:-full}"

dependents_prepare
pkg_need pkg-config pkg-config || fail "pkg-config is needed by PostgreSQL's configure"
pkg_need bison bison || fail "bison is needed to build PostgreSQL (its release tarballs have no generated parsers)"
pkg_need flex flex || fail "flex is needed to build PostgreSQL"
pkg_need prove perl || fail "perl's prove is needed for the TAP tests (configure --enable-tap-tests)"
perl -MIPC::Run -e1 2>/dev/null || pkg_install libipc-run-perl ||
	fail "IPC::Run (libipc-run-perl) is needed for the TAP tests (configure --enable-tap-tests)"
src=$("$top/capi-tests/lib/debsrc.sh" postgresql-18) || fail "Debian's postgresql-18 source could not be fetched"
version=$(cut -d' ' -f2 "$src/.complete")
work="$top/target/dependents/postgresql"
mkdir -p "$work"

configure_pg() { # BUILD-DIR: configure PostgreSQL there for the current side
	mkdir -p "$1"
	(cd "$1" && "$src/configure" --with-liburing --enable-tap-tests --without-icu --without-readline \
		--without-zlib --prefix="$1/install" CFLAGS="-O2" LDFLAGS="-Wl,-rpath,$libdir") \
		>"$1/configure.log" 2>&1
}

if [ "$mode" = smoke ]; then
	b="$work/smoke"
	if [ ! -f "$b/.configured" ] || [ "$(cat "$b/.configured")" != "$version" ]; then
		rm -rf "$b"
		side_env ours "$work"
		configure_pg "$b" || fail "configure failed ($b/configure.log)"
		make -C "$b/src/backend" generated-headers >"$b/headers.log" 2>&1 || fail "generated headers ($b/headers.log)"
		echo "$version" >"$b/.configured"
	fi
	tu=src/backend/storage/aio/method_io_uring.c
	# compile_tu INCLUDE-DIR [SOURCE]: the TU with PostgreSQL's flags and -Werror.
	compile_tu() {
		local s=${2:-$src/$tu}
		rm -f "$b/tu.o"
		make -s -C "$b/src/backend/storage/aio" -f - tu.o LIBURING_CFLAGS="-I$1" COPT=-Werror >"$b/tu.log" 2>&1 <<MK
include Makefile
tu.o: $s
	\$(CC) \$(CFLAGS) \$(CPPFLAGS) -c \$< -o $b/tu.o
MK
	}
	smoke_setup compile_tu "$tu" "PostgreSQL $version" "PostgreSQL's flags"
	smoke_headers
	# Plant: the same TU with a CQ walk through io_uring_for_each_cqe named
	# as real code names it, against our header with the old macro.
	{ cat "$src/$tu"; printf '\nint pg_smoke_walk(struct io_uring *r);\nint pg_smoke_walk(struct io_uring *r)\n{\n\tunsigned i;\n\tstruct io_uring_cqe *cqe;\n\tint n = 0;\n\n\tio_uring_for_each_cqe(r, i, cqe)\n\t\tn += cqe->res + (int) i;\n\treturn n;\n}\n'; } >"$b/walk.c"
	compile_tu "$ref/src/include" "$b/walk.c" ||
		fail "plant: the CQ-walking copy does not compile with upstream's header: $(grep -m1 error "$b/tu.log")"
	if compile_tu "$top/build/include" "$b/walk.c"; then
		smoke_plant "the CQ-walking copy of $tu" "with the old io_uring_for_each_cqe" liburing.h \
			'/^#define io_uring_for_each_cqe/,/^$/ s/\bhead_\b/head/g' "$b/walk.c"
	else
		echo "FAIL $target: postgresql: the CQ-walking copy of $tu does not compile with our header: $(grep -m1 error "$b/tu.log")"
		bad=1
	fi
	smoke_end
fi

# The full run.
[ "$(id -u)" = 0 ] || { "$top/capi-tests/skip.sh" root "$target" "postgresql: the tests run as a dedicated unprivileged user, which needs root to create"; exit; }
pg_user=liburing-pg
id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user" ||
	fail "cannot create the user $pg_user (PostgreSQL refuses to run as root)"
as_user() { runuser -u "$pg_user" -- env PATH="$PATH" "$@"; }
record_begin postgresql-18
record "package postgresql-18 version=$version source=complete"

# uring_proof: the installed server started with io_method=io_uring on a
# fresh cluster: "method rings rows" (SHOW io_method, the io_uring fds the
# postmaster holds, the row count of a 200000-row table read back).
uring_proof() {
	local t=${proof_tag:-proof}
	local d="$b/$t" sock="$b/$t-sock" pid rings method rows
	rm -rf "$d" "$sock"
	mkdir -p "$sock"
	chown "$pg_user" "$sock"
	as_user "$b/install/bin/initdb" -D "$d" --no-sync -A trust >"$b/$t.log" 2>&1 || return 1
	printf "io_method = io_uring\nlisten_addresses = ''\nunix_socket_directories = '%s'\n" "$sock" >>"$d/postgresql.conf"
	as_user "$b/install/bin/pg_ctl" -D "$d" -l "$b/$t-server.log" -w start >>"$b/$t.log" 2>&1 || return 1
	pid=$(head -1 "$d/postmaster.pid")
	rings=$(find "/proc/$pid/fd" -lname 'anon_inode:\[io_uring\]' 2>/dev/null | wc -l)
	method=$(as_user "$b/install/bin/psql" -h "$sock" -d postgres -Atc "SHOW io_method" 2>>"$b/$t.log")
	rows=$(as_user "$b/install/bin/psql" -h "$sock" -d postgres -Atq -c \
		"CREATE TABLE t AS SELECT g, repeat('x', 500) AS pad FROM generate_series(1, 200000) g" \
		-c "CHECKPOINT" -c "SELECT count(*) FROM t" 2>>"$b/$t.log")
	as_user "$b/install/bin/pg_ctl" -D "$d" -m fast -w stop >>"$b/$t.log" 2>&1
	echo "${method:-none} $rings ${rows:-none}"
}

for side in upstream ours; do
	side_env "$side" "$work"
	b="$work/$side"
	t0=$SECONDS
	# A build is reused when PostgreSQL, the side's headers and its library
	# directory are the same (the library itself is loaded at run time).
	stamp="$version $(cat "$incdir/liburing.h" "$incdir"/liburing/*.h | sha256sum | cut -c1-16) $libdir"
	if [ -f "$b/.built" ] && [ "$(cat "$b/.built")" = "$stamp" ]; then
		say "$side: reusing the build of PostgreSQL $version in $b (same header, same library directory)"
	else
		rm -rf "$b"
		say "$side: configure and build PostgreSQL $version against $incdir and $libdir"
		configure_pg "$b" || fail "$side: configure failed ($b/configure.log)"
		make -C "$b" -j"$jobs" >"$b/build.log" 2>&1 || fail "$side: build failed ($b/build.log)"
		make -C "$b/src/test/modules/test_aio" -j"$jobs" >>"$b/build.log" 2>&1 || fail "$side: test_aio build failed"
		make -C "$b" install >"$b/install.log" 2>&1 || fail "$side: make install failed ($b/install.log)"
		echo "$stamp" >"$b/.built"
	fi
	loaded=$(ldd "$b/src/backend/postgres" | awk '$1 == "liburing.so.2" {print $3}')
	[ "$(readlink -f "$loaded")" = "$(readlink -f "$libdir/liburing.so.2")" ] ||
		fail "$side: postgres loads liburing.so.2 from '$loaded', not from $libdir"
	build_s=$((SECONDS - t0))
	printf 'io_method = io_uring\n' >"$b/io_uring.conf"
	chown -R "$pg_user" "$b"
	read -r proof_method proof_rings proof_rows <<<"$(uring_proof || echo "failed 0 none")"
	t1=$SECONDS
	as_user make -C "$b/src/test/regress" check EXTRA_REGRESS_OPTS="--temp-config=$b/io_uring.conf" >"$b/check.log" 2>&1
	check_rc=$?
	check_s=$((SECONDS - t1))
	t2=$SECONDS
	as_user make -C "$b/src/test/modules/test_aio" check >"$b/test_aio.log" 2>&1
	aio_rc=$?
	aio_s=$((SECONDS - t2))
	# pg_regress ends with "# All N tests passed." or "# M of N tests failed."
	regress=$(grep -E '^# (All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)' "$b/check.log" | tail -1)
	# pg_regress's temporary instance ran with the extra config when its
	# postmaster.log shows no FATAL about io_method (a server built without
	# liburing refuses io_method=io_uring and the suite cannot start).
	tap=$(grep -E '^(Files=|Result:)' "$b/test_aio.log" | tr '\n' ' ')
	alogs="$b/src/test/modules/test_aio/tmp_check/log"
	read -r uring_ok uring_bad <<<"$(aio_subtests "$alogs" io_uring)"
	{
		echo "side=$side postgresql=$version liburing=$loaded"
		echo "build=${build_s}s"
		echo "proof: io_method=$proof_method postmaster_io_uring_fds=$proof_rings rows_read=$proof_rows"
		echo "regress rc=$check_rc time=${check_s}s: ${regress:-no summary line}"
		echo "test_aio rc=$aio_rc time=${aio_s}s: io_uring subtests ok=${uring_ok:-0} not_ok=${uring_bad:-0}; ${tap:-no summary line}"
	} >"$b/summary.txt"
	sed "s/^/postgresql: /" "$b/summary.txt"
	record "built $side ok configure --with-liburing --enable-tap-tests; make; make install; src/test/modules/test_aio"
	if [ "$proof_method $proof_rows" = "io_uring 200000" ] && [ "$proof_rings" -gt 0 ]; then
		record "proof $side ok a server started with io_method=io_uring holds $proof_rings io_uring fds in its postmaster and reads back 200000 rows"
	else
		record "proof $side FAIL io_method=$proof_method postmaster_io_uring_fds=$proof_rings rows_read=$proof_rows"
	fi
	# pg_regress: "All N tests passed." or "M of N tests failed." (no skips)
	if [[ $regress =~ All\ ([0-9]+)\ tests\ passed ]]; then
		record "suite $side regress(io_method=io_uring) pass=${BASH_REMATCH[1]} fail=0 skip=0 rc=$check_rc"
	elif [[ $regress =~ ([0-9]+)\ of\ ([0-9]+)\ tests\ failed ]]; then
		record "suite $side regress(io_method=io_uring) pass=$((BASH_REMATCH[2] - BASH_REMATCH[1])) fail=${BASH_REMATCH[1]} skip=0 rc=$check_rc"
	else
		record "suite $side regress(io_method=io_uring) pass=0 fail=1 skip=0 rc=$check_rc"
	fi
	# test_aio's TAP files: prove's totals (lib.sh's tap_totals), then the
	# io_uring subtests apart.
	read -r tap_pass tap_fail tap_skip <<<"$(tap_totals "$b/test_aio.log" "$alogs")"
	record "suite $side test_aio(TAP) pass=$tap_pass fail=$tap_fail skip=$tap_skip rc=$aio_rc"
	record "suite $side test_aio(io_uring subtests) pass=$uring_ok fail=$uring_bad skip=0"
	# The failed regression tests, by name, for the comparison.
	grep -E '^not ok' "$b/check.log" | sed -E 's/^not ok [0-9]+ +[-+] +([^ ]+).*/\1/' | sort >"$b/regress-failed.txt"
done

# Planted: ours with ring set-up failing (an LD_PRELOAD shim in place of
# io_uring_queue_init_mem and io_uring_queue_init, PostgreSQL's two ways):
# the proof must then fail, or it could not tell a server without rings.
cat >"$work/plant-shim.c" <<'C'
#include <errno.h>
struct io_uring;
struct io_uring_params;
int io_uring_queue_init_mem(unsigned entries, struct io_uring *ring, struct io_uring_params *p,
			    void *buf, unsigned long size);
int io_uring_queue_init(unsigned entries, struct io_uring *ring, unsigned flags);
int io_uring_queue_init_mem(unsigned entries, struct io_uring *ring, struct io_uring_params *p,
			    void *buf, unsigned long size)
{
	(void) entries; (void) ring; (void) p; (void) buf; (void) size;
	return -ENOMEM;
}
int io_uring_queue_init(unsigned entries, struct io_uring *ring, unsigned flags)
{
	(void) entries; (void) ring; (void) flags;
	return -ENOMEM;
}
C
cc -shared -fPIC -o "$work/plant-shim.so" "$work/plant-shim.c" || fail "the plant's shim does not build"
chmod 755 "$work/plant-shim.so"
b="$work/ours"
as_user() { runuser -u "$pg_user" -- env PATH="$PATH" LD_PRELOAD="$work/plant-shim.so" "$@"; }
plant=$(proof_tag=plant uring_proof || echo "failed 0 none")
as_user() { runuser -u "$pg_user" -- env PATH="$PATH" "$@"; }
if [ "$plant" = "failed 0 none" ]; then
	say "PASS plant: with the ring set-up failing, the server does not come up with io_method=io_uring"
	record "plant PASS with io_uring_queue_init_mem and _init failing (LD_PRELOAD), the io_method=io_uring proof fails"
else
	echo "postgresql: plant NOT caught: with io_uring_queue_init_mem failing the proof said '$plant'"
	record "plant FAIL with io_uring_queue_init_mem failing the proof said '$plant'"
	bad=1
fi

bad=${bad:-0}
for side in upstream ours; do
	grep -qE "^proof: io_method=io_uring postmaster_io_uring_fds=[1-9][0-9]* rows_read=200000$" "$work/$side/summary.txt" ||
		{ echo "postgresql: $side: the server did not run with io_method=io_uring (see $work/$side/proof.log)"; bad=1; }
	grep -q "^regress rc=0 " "$work/$side/summary.txt" ||
		{ echo "postgresql: $side: the regression suite with io_method=io_uring did not pass"; [ $side = ours ] && bad=1; }
	grep -qE "^test_aio rc=0 .*io_uring subtests ok=[1-9][0-9]* not_ok=0; .*Result: PASS" "$work/$side/summary.txt" ||
		{ echo "postgresql: $side: test_aio did not pass with its io_uring subtests run"; [ $side = ours ] && bad=1; }
done
worse=$(comm -13 "$work/upstream/regress-failed.txt" "$work/ours/regress-failed.txt" | wc -l)
echo "postgresql: regression tests failing on ours and not on upstream's: $worse"
record "worse $worse"
[ "$worse" = 0 ] || bad=1
if [ $bad = 0 ]; then
	say "PostgreSQL $version: regression suite and test_aio with io_method=io_uring pass on ours as on upstream's (worse 0)"
else
	echo "FAIL $target: postgresql: see $work/*/summary.txt"
fi
record_end
exit $bad
