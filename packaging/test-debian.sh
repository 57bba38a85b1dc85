#!/usr/bin/env bash
# make test-debian: the Debian source package (packaging/debian/) built by
# dpkg-buildpackage in the Debian unstable root, then judged:
#   lintian        the source and binary packages, --pedantic: no error and
#                  no warning; the other tags are listed (packaging/README.md
#                  says why each stays)
#   symbols        Debian's own liburing2.symbols (its liburing 2.15-1 source
#                  package, fetched at test time) against our libraries with
#                  dpkg-gensymbols: no symbol of Debian's missing or under
#                  another version node
#   autopkgtest    packaging/debian/tests/ on the installed packages (the
#                  null runner in a throwaway overlay of the root): our C
#                  programs in both forms, a pkg-config build (dynamic and
#                  static) that runs a NOP, 41 of upstream's own tests built
#                  with pkg-config (upstream's tree copied in first); then
#                  Debian's own test-build (upstream's examples built with
#                  pkg-config and run)
#   reproducible   a second build of the same orig tarball, in another
#                  directory and later, gives byte-identical .debs
# each with a planted regression that must fail it: a copyright file without
# a year (lintian), a liburing-dev without liburing.pc (autopkgtest), an
# upstream test that exits 1 and upstream's tree missing (upstream-tests), a
# liburing-dev without liburing.a (Debian's test-build), Debian's symbols plus one symbol
# we do not export (symbols), a build whose debian/rules loses its
# --remap-path-prefix (reproducible). Sizes against Debian's liburing2 and
# liburing-dev are printed for the record.
#
# --smoke (make test-debian-smoke, in make test): one build, lintian,
# autopkgtest's pkg-config-build and the symbols with their plants; upstream-tests
# and its plants, Debian's test-build and the two further builds of the
# reproducibility check are left to make test-debian (said in the output, not
# counted).
set -uo pipefail
smoke=0
[ "${1:-}" != --smoke ] || smoke=1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=capi-tests/arches/lib.sh
source "$here/../capi-tests/arches/lib.sh"
cd "$top" || exit 1
failures=0
# Each verdict ends with the seconds since the one before it.
mark=$SECONDS
ok() { echo "debian: PASS: $* [$((SECONDS - mark)) s]"; mark=$SECONDS; }
bad() { echo "debian: FAIL: $* [$((SECONDS - mark)) s]"; mark=$SECONDS; failures=$((failures + 1)); }
info() { echo "debian: INFO: $*"; }

ARCHES_TARGET=test-debian need_root
work=$top/target/debian
first=$work/build
"$here/debian-build.sh" build "$first" || { bad "the packages could not be built"; exit 1; }
changes=$(cd "$first" && ls ./*.changes)
src_dir=$(find "$first" -mindepth 1 -maxdepth 1 -type d)

# The checkers, in the root, under its lock.
(
	flock 9
	for tool in lintian autopkgtest; do
		in_root sh -c "command -v $tool" >/dev/null 2>&1 ||
			pkg_install --no-recommends --in "in_root" --log "$work/tools.log" "$tool" ||
			{ echo "debian: FAIL: $tool could not be installed in the root (see $work/tools.log)"; exit 1; }
	done
) 9>"$top/target/arches/sid.lock" || exit 1

# lintian on the .changes (source, binaries, dbgsym), then on a planted
# liburing2, in an overlay of the root of their own: they run alongside the
# autopkgtest runs below (which have theirs), a CPU each, and are judged
# after them.
lint() { # OUTPUT PATH...
	local out=$1 rc
	shift
	(cd "$first" && in_overlay "$work/overlay-lintian" lintian -I -E --pedantic --color never --fail-on error,warning "$@") >"$out" 2>&1
	rc=$?
	safe_rm "$work/overlay-lintian" || true
	return $rc
}
plant=$work/plant-lintian
rm -rf "$plant" && mkdir -p "$plant"
lib_deb=$(ls "$first"/liburing2_*.deb)
dpkg-deb -R "$lib_deb" "$plant/tree"
sed -i 's/^Copyright: [0-9]* /Copyright: /' "$plant/tree/usr/share/doc/liburing2/copyright"
dpkg-deb --root-owner-group -b "$plant/tree" "$first/planted_$(basename "$lib_deb")" >/dev/null
(
	t0=$SECONDS
	lint "$work/lintian.txt" "$changes"
	echo "$? $((SECONDS - t0))" >"$work/lintian.rc"
	t0=$SECONDS
	lint "$plant/lintian.txt" "planted_$(basename "$lib_deb")"
	echo "$? $((SECONDS - t0))" >"$plant/lintian.rc"
) &
lint_pid=$!
lint_verdicts() {
	local rc secs
	wait "$lint_pid"
	rm -f "$first"/planted_*.deb
	read -r rc secs <"$work/lintian.rc" || rc=none
	if [ "$rc" = 0 ]; then
		ok "lintian: no error or warning ($(grep -c '^[IPX]: ' "$work/lintian.txt") other tags: $(grep -o '^[IPX]: [^ ]* [^:]*: [^ ]*' "$work/lintian.txt" | awk '{print $4}' | sort | uniq | tr '\n' ' ')) (${secs} s, alongside autopkgtest)"
	else
		bad "lintian: $(grep -c '^E: ' "$work/lintian.txt") errors, $(grep -c '^W: ' "$work/lintian.txt") warnings (exit $rc):"
		grep '^[EW]: ' "$work/lintian.txt" | sed 's/^/  /'
	fi
	read -r rc secs <"$plant/lintian.rc" || rc=none
	if [ "$rc" = 0 ]; then
		bad "plant: lintian passed liburing2 with a copyright file without a year"
	elif grep -q 'copyright-without-copyright-notice' "$plant/lintian.txt"; then
		ok "plant: lintian fails liburing2 with a copyright file without a year (copyright-without-copyright-notice) (${secs} s)"
	else
		bad "plant: lintian failed on the planted liburing2 (exit $rc), but not with copyright-without-copyright-notice:"
		tail -n 5 "$plant/lintian.txt" | sed 's/^/  /'
	fi
}

# Upstream's source tree (Debian's liburing 2.15-1 source package, fetched at
# test time): upstream-tests builds its tests, Debian's test-build its examples.
up=$("$top/capi-tests/fetch-upstream.sh") || up=""
[ -n "$up" ] || bad "upstream's source (capi-tests/fetch-upstream.sh) could not be fetched: upstream-tests will fail"

# autopkgtest (packaging/debian/tests/) on the installed packages: the null
# runner in a throwaway overlay of the root, so the root stays as it was.
# upstream-tests builds upstream's own tests, which our packages do not ship:
# upstream's tree is copied to /usr/src/liburing-2.15 in the overlay first,
# where the test looks (as Debian's test-build below gets its examples).
lib_deb=$(cd "$first" && ls ./liburing2_*.deb)
dev_deb=$(cd "$first" && ls ./liburing-dev_*.deb)
# The smoke runs pkg-config-build alone: the capi test compiles and runs our
# C programs twice more, as make test's own targets already do, and
# upstream-tests takes a minute more (builds 41 tests, runs them for some
# 50 s, mostly their own sleeps), over the smoke's budget.
only=()
[ "$smoke" = 0 ] || only=(--test-name=pkg-config-build)
autopkgtest_run() { # OUTPUT-DIR LIBURING2-DEB LIBURING-DEV-DEB UPSTREAM-TREE|"" [AUTOPKGTEST-ARGS...] (.debs relative to $first)
	local out=$1 lib=$2 dev=$3 tree=$4
	shift 4
	rm -rf "$out"
	(cd "$first" && in_overlay "$work/overlay" sh -c '
		if [ -n "$1" ]; then mkdir -p /usr/src && cp -a "$1" /usr/src/liburing-2.15 || exit 99; fi
		shift
		exec autopkgtest "$@"' sh "$tree" -q "$@" --output-dir "$out" "$lib" "$dev" "$src_dir" -- null) \
		>"$out.log" 2>&1
	local rc=$?
	safe_rm "$work/overlay" || true
	return $rc
}
if autopkgtest_run "$work/autopkgtest" "$lib_deb" "$dev_deb" "$up" "${only[@]}"; then
	ok "autopkgtest: $(grep -c ' PASS' "$work/autopkgtest/summary") tests pass on the installed packages ($(awk '{print $1 " " $2}' "$work/autopkgtest/summary" | tr '\n' ' ')$(grep -ho 'capi: [0-9]* passed, [0-9]* failed\|upstream-tests: [0-9]* passed, [0-9]* skipped, [0-9]* failed of [0-9]* ([^)]*)' "$work/autopkgtest/log" | tr '\n' ' ')$([ "$smoke" = 0 ] || echo "; the smoke runs pkg-config-build only"))"
else
	bad "autopkgtest failed (exit $?):"
	cat "$work/autopkgtest/summary" 2>/dev/null | sed 's/^/  /'
	grep -h 'upstream-tests: .* FAIL\|upstream-tests: [0-9]* passed' "$work/autopkgtest/log" 2>/dev/null | sed 's/^/  /'
	tail -5 "$work/autopkgtest.log" | sed 's/^/  /'
fi
rm -rf "${plant:?}/dev" && dpkg-deb -R "$first/$dev_deb" "$plant/dev"
rm "$plant"/dev/usr/lib/*/pkgconfig/liburing.pc
dpkg-deb --root-owner-group -b "$plant/dev" "$first/planted-dev.deb" >/dev/null
if autopkgtest_run "$plant/autopkgtest" "$lib_deb" ./planted-dev.deb "$up" "${only[@]}"; then
	bad "plant: autopkgtest passed a liburing-dev without liburing.pc"
else
	ok "plant: autopkgtest fails a liburing-dev without liburing.pc ($(awk '$2 != "PASS" {print $1 " " $2}' "$plant/autopkgtest/summary" | tr '\n' ' '))"
fi
rm -f "$first/planted-dev.deb"
lint_verdicts
# upstream-tests' own plants (make test-debian only, as the test itself): an
# upstream test that fails (nop.c exits 1 before main) must fail it, and so
# must a run without upstream's tree.
if [ "$smoke" = 0 ] && [ -n "$up" ]; then
	rm -rf "$plant/upstream" && mkdir -p "$plant/upstream" && cp -a "$up" "$plant/upstream/liburing-2.15"
	cat >>"$plant/upstream/liburing-2.15/test/nop.c" <<'C'

/* Planted by packaging/test-debian.sh: this test must fail. */
#include <stdlib.h>
__attribute__((constructor)) static void planted_failure(void)
{
	fprintf(stderr, "planted failure\n");
	exit(1);
}
C
	if autopkgtest_run "$plant/autopkgtest-upstream" "$lib_deb" "$dev_deb" "$plant/upstream/liburing-2.15" \
		--test-name=upstream-tests "--env=UPSTREAM_TESTS=nop.t nop32.t"; then
		bad "plant: upstream-tests passed with upstream's nop.t planted to exit 1"
	elif grep -q 'upstream-tests: nop.t FAIL (exit 1)' "$plant/autopkgtest-upstream/log" &&
		grep -q 'upstream-tests: nop32.t PASS' "$plant/autopkgtest-upstream/log"; then
		ok "plant: upstream-tests fails with upstream's nop.t planted to exit 1 ($(grep -ho 'upstream-tests: nop.t FAIL[^[]*\|upstream-tests: [0-9]* passed.*of [0-9]*' "$plant/autopkgtest-upstream/log" | sed 's/upstream-tests: //; s/ *$//' | paste -sd ';' | sed 's/;/; /'))"
	else
		bad "plant: upstream-tests failed with nop.t planted to exit 1, but not as planted:"
		grep -h 'upstream-tests:' "$plant/autopkgtest-upstream/log" | sed 's/^/  /'
	fi
	if autopkgtest_run "$plant/autopkgtest-no-upstream" "$lib_deb" "$dev_deb" "" --test-name=upstream-tests; then
		bad "plant: upstream-tests passed without upstream's tree"
	elif grep -q 'upstream-tests: FAIL: no upstream liburing 2.15 source tree' "$plant/autopkgtest-no-upstream/log"; then
		ok "plant: upstream-tests fails without upstream's tree ($(awk '{print $1 " " $2}' "$plant/autopkgtest-no-upstream/summary"))"
	else
		bad "plant: upstream-tests failed without upstream's tree, but not for that reason:"
		tail -5 "$plant/autopkgtest-no-upstream/log" | sed 's/^/  /'
	fi
elif [ "$smoke" = 1 ]; then
	info "upstream-tests (41 of upstream's tests on the installed packages) and its two plants: not run by the smoke (some 75 s in autopkgtest, 2 min with the plants); make test-debian runs them"
fi

# Debian's own autopkgtest test-build (its liburing 2.15-1 source package)
# on our installed packages: it builds upstream's examples with pkg-config
# --libs and --static --libs and runs them. Debian's liburing-dev ships those
# examples in /usr/share/doc/liburing-dev/examples; ours does not ship
# upstream's files, so they are copied there from the fetched upstream tree
# in the overlay. Its exit 77 (examples missing) counts as a failure; it
# has 30 minutes (its ucontext-cp copies at a KiB a second by design).
debian_tar=""
if [ -n "$up" ] && debian_tar=$(ls "$top"/target/upstream/dl/liburing_2.15-1.debian.tar.* 2>/dev/null); then
	mkdir -p "$work/debian-2.15-1"
	tar -C "$work/debian-2.15-1" -xf "$debian_tar" debian/liburing2.symbols debian/tests/test-build
	debian_test_build() { # LOG LIBURING2-DEB LIBURING-DEV-DEB (relative to $first)
		(cd "$first" && in_overlay "$work/overlay" sh -ec '
			dpkg -i "$1" "$2" >/dev/null
			mkdir -p /usr/share/doc/liburing-dev/examples
			cp "$3"/examples/*.c /usr/share/doc/liburing-dev/examples/
			export AUTOPKGTEST_TMP=$(mktemp -d)
			timeout 1800 sh "$4"' sh "$2" "$3" "$up" "$work/debian-2.15-1/debian/tests/test-build") >"$1" 2>&1
		local rc=$?
		safe_rm "$work/overlay" || true
		return $rc
	}
	if [ "$smoke" = 1 ]; then
		info "Debian's test-build: not run by the smoke (upstream's ucontext-cp example waits a second per KiB it copies: its static build, about 900 KiB, takes some 15 minutes with either library); make test-debian runs it"
	elif debian_test_build "$work/debian-test-build.log" "$lib_deb" "$dev_deb"; then
		ok "Debian's autopkgtest test-build (2.15-1) passes on our packages: $(grep -c '^+ [a-z0-9_-]*gcc .* -o ' "$work/debian-test-build.log") builds of upstream's examples (pkg-config --libs and --static --libs), $(grep -c '^+ \./' "$work/debian-test-build.log") runs"
	else
		bad "Debian's autopkgtest test-build failed on our packages:"
		tail -6 "$work/debian-test-build.log" | sed 's/^/  /'
	fi
	if [ "$smoke" = 0 ]; then
		rm -rf "${plant:?}/dev-static" && dpkg-deb -R "$first/$dev_deb" "$plant/dev-static"
		rm "$plant"/dev-static/usr/lib/*/liburing.a
		dpkg-deb --root-owner-group -b "$plant/dev-static" "$first/planted-dev-static.deb" >/dev/null
		if debian_test_build "$plant/debian-test-build.log" "$lib_deb" ./planted-dev-static.deb; then
			bad "plant: Debian's test-build passed a liburing-dev without liburing.a"
		else
			ok "plant: Debian's test-build fails a liburing-dev without liburing.a ($(grep -m1 -o 'cannot find -luring[^ ]*' "$plant/debian-test-build.log"))"
		fi
		rm -f "$first/planted-dev-static.deb"
	fi
else
	bad "Debian's liburing 2.15-1 source package could not be fetched (capi-tests/fetch-upstream.sh; its debian.tar in target/upstream/dl/): no test-build, no symbols check"
fi

# Debian's symbols file against our libraries.
if [ -n "$debian_tar" ]; then
	debian_symbols=$work/debian-2.15-1/debian/liburing2.symbols
	gensymbols() { # SYMBOLS-FILE OUTPUT: dpkg-gensymbols -c1 (a missing symbol fails)
		(cd "$src_dir" && in_root dpkg-gensymbols -c1 -pliburing2 -Pdebian/liburing2 -I"$1" -O/dev/null \
			-e"debian/liburing2/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/liburing.so.2.15" \
			-e"debian/liburing2/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/liburing-ffi.so.2.15") >"$2" 2>&1
	}
	n=$(grep -c '^ ' "$debian_symbols")
	if gensymbols "$debian_symbols" "$work/symbols-debian.txt"; then
		ok "symbols: Debian's liburing2.symbols (2.15-1, $n entries) is satisfied by our libraries$(grep -q '^+ ' "$work/symbols-debian.txt" && echo "; ours add: $(grep '^+ ' "$work/symbols-debian.txt" | awk '{print $2}' | tr '\n' ' ')")"
	else
		bad "symbols: Debian's liburing2.symbols is not satisfied:"
		grep '^[-+] \|MISSING' "$work/symbols-debian.txt" | sed 's/^/  /'
	fi
	cp "$debian_symbols" "$work/symbols-planted"
	sed -i '/^ io_uring_get_sqe@LIBURING_2.0/a\ io_uring_not_exported@LIBURING_2.0 2.0' "$work/symbols-planted"
	if ! grep -q 'io_uring_not_exported' "$work/symbols-planted"; then
		bad "plant: could not add a symbol to a copy of Debian's liburing2.symbols"
	elif gensymbols "$work/symbols-planted" "$work/symbols-planted.txt"; then
		bad "plant: Debian's symbols plus io_uring_not_exported passed"
	else
		ok "plant: Debian's symbols plus io_uring_not_exported fail ($(grep -m1 -o '^- *io_uring_not_exported@[^ ]*' "$work/symbols-planted.txt"))"
	fi
fi

# Reproducible: the same orig tarball built again in another directory.
if [ "$smoke" = 1 ]; then
	info "reproducible: not checked by the smoke (two more builds); make test-debian checks it"
	[ "$failures" = 0 ] || { echo "debian: $failures checks failed"; exit 1; }
	echo "debian: every smoke check passed ($SECONDS s)"
	exit 0
fi
debs() { (cd "$1" && sha256sum ./*.deb | sed 's|\./||' | sort -k2); }
same_debs() { [ "$(debs "$1")" = "$(debs "$2")" ]; }
again=$work/build-again-elsewhere
if "$here/debian-build.sh" build "$again" >/dev/null 2>&1; then
	if same_debs "$first" "$again"; then
		ok "reproducible: a second build in another directory gives the same $(debs "$first" | wc -l) .debs ($(debs "$first" | awk '{print $2 " " substr($1, 1, 12)}' | tr '\n' ' '))"
	else
		bad "reproducible: the second build differs:"
		diff <(debs "$first") <(debs "$again") | sed 's/^/  /'
	fi
else
	bad "reproducible: the second build failed (see $again/build.log)"
fi
planted=$work/build-planted-no-remap
if DEBIAN_PLANT=no-remap-path-prefix "$here/debian-build.sh" build "$planted" >/dev/null 2>&1; then
	if same_debs "$first" "$planted"; then
		bad "plant: a build without --remap-path-prefix in another directory gave the same .debs"
	else
		ok "plant: a build without --remap-path-prefix differs ($(diff <(debs "$first") <(debs "$planted") | grep -c '^>') of $(debs "$first" | wc -l) .debs)"
	fi
else
	bad "plant: the build without --remap-path-prefix failed (see $planted/build.log)"
fi

# Sizes against Debian's own packages (for the record).
mkdir -p "$work/debian-debs"
if (cd "$work/debian-debs" && in_root apt-get download -q liburing2 liburing-dev >/dev/null 2>&1); then
	for p in liburing2 liburing-dev; do
		theirs=$(ls "$work/debian-debs/${p}"_*.deb | head -1)
		ours=$(ls "$first/${p}"_*.deb)
		info "$p: ours $(du -k "$ours" | cut -f1) KiB (Installed-Size $(dpkg-deb -f "$ours" Installed-Size) KiB), Debian's $(dpkg-deb -f "$theirs" Version) $(du -k "$theirs" | cut -f1) KiB (Installed-Size $(dpkg-deb -f "$theirs" Installed-Size) KiB)"
	done
else
	info "sizes: Debian's liburing2 and liburing-dev could not be downloaded in the root (apt-get download)"
fi

[ "$failures" = 0 ] || { echo "debian: $failures checks failed"; exit 1; }
echo "debian: every check passed ($SECONDS s)"
