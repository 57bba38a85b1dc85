#!/usr/bin/env bash
# shellcheck disable=SC2016 # the sh -c scripts below take their words as $0 and $@
# upstream-build.sh: upstream liburing 2.15 (capi-tests/fetch-upstream.sh),
# configured and built by its own configure and Makefile once per set of
# options, in a cache under target/upstream-build/; prints the tree's path.
# Every test that needs upstream's configured headers or its own library gets
# them here (the harness's "each job once": one build per key in a make test).
#
#   capi-tests/lib/upstream-build.sh [OPTION...]
#     --use-libc        configure --use-libc (our C tests' reference: they
#                       free() what the library allocated)
#     --arch ARCH       for the Debian architecture ARCH, with the sid root's
#                       cross compilers (capi-tests/arches/lib.sh): --cc=<triplet>-gcc,
#                       --cxx=<triplet>-g++ (or no C++ when the root lacks it);
#                       configure and make run inside the root
#     --cc CC           the C compiler (default gcc), --cxx CXX the C++ one (g++)
#     --cflags FLAGS    appended to upstream's own compiler flags (configure's CFLAGS)
#     --prefix DIR      configure --prefix (only install paths depend on it)
#     --configure-only  configure, build nothing: src/include's generated headers
#                       (liburing/compat.h, io_uring_version.h), config-host.h/.mak
#     --install         also `make install DESTDIR=<tree>/installed`
#   Default: configure, then `make -C src` (the library, as `./configure && make
#   library` builds it).
#
# The printed tree is a copy of upstream's source with, once built, in src/:
# liburing.so.2.15, liburing-ffi.so.2.15, liburing.a, liburing-ffi.a and the
# links make install lays out (liburing.so.2, liburing.so and the same for
# liburing-ffi), so that -Lsrc -luring and LD_LIBRARY_PATH=src find the
# shared object. Callers only read it.
#
# The key: a hash of the upstream version and source path and every option
# (compiler, C++ compiler, --use-libc, CFLAGS, prefix), the directory
# target/upstream-build/<name>-<hash> (options.txt holds the full string).
# Nothing of the caller's environment reaches the build (CC, CFLAGS, a calling
# make's MAKEFLAGS): configure and make run with PATH, HOME and TMPDIR alone,
# so the key describes the build. Each step leaves a stamp (.upb-configured,
# .upb-lib, .upb-install) only when it succeeded; a tree without the stamp a
# caller needs is redone (a fresh copy when not configured; the library's
# outputs removed before make when not built), so a half-finished build is
# never used. The steps run under flock on <dir>.lock: concurrent callers of
# one key wait for the first instead of building it twice. Logs: configure.log,
# build.log, install.log in the tree.
#
# UPSTREAM_BUILD_DIR overrides target/upstream-build; JOBS the make -j (nproc).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "upstream-build: $*" >&2; }
die() {
	say "$*"
	exit 1
}

use_libc=no arch="" cc=gcc cxx=g++ cflags="" pfx="" want=lib install=no
while [ $# -gt 0 ]; do
	case $1 in
	--use-libc) use_libc=yes ;;
	--arch) arch=${2:?--arch needs an architecture}; shift ;;
	--arch=*) arch=${1#--arch=} ;;
	--cc) cc=${2:?--cc needs a compiler}; shift ;;
	--cc=*) cc=${1#--cc=} ;;
	--cxx) cxx=${2:?--cxx needs a compiler}; shift ;;
	--cxx=*) cxx=${1#--cxx=} ;;
	--cflags) cflags=${2?--cflags needs flags}; shift ;;
	--cflags=*) cflags=${1#--cflags=} ;;
	--prefix) pfx=${2:?--prefix needs a directory}; shift ;;
	--prefix=*) pfx=${1#--prefix=} ;;
	--configure-only) want=config ;;
	--install) install=yes ;;
	*) die "unknown option '$1' (see the head of $0)" ;;
	esac
	shift
done
[ $install = no ] || [ $want = lib ] || die "--install and --configure-only exclude each other"

up=$("$top/capi-tests/fetch-upstream.sh") || die "no upstream source (capi-tests/fetch-upstream.sh)"
version=$(awk '$1 == "Version:" {print $2; exit}' "$up/liburing.spec")
[ -n "$version" ] || die "no Version: in $up/liburing.spec"

# --arch: the sid root's compilers; the commands run in the root unless this
# already runs there (upstream-i386.sh runs capi-tests/upstream/run.sh in it).
in_the_root=0
run_in() { "$@"; }
if [ -n "$arch" ]; then
	# shellcheck source=capi-tests/arches/lib.sh
	source "$top/capi-tests/arches/lib.sh"
	# lib.sh's die and say record verdicts: this script has its own.
	say() { echo "upstream-build: $*" >&2; }
	die() {
		echo "upstream-build: $*" >&2
		exit 1
	}
	arch_info "$arch" || die "--arch $arch: not an architecture capi-tests/arches/lib.sh knows"
	cc=$gnu-gcc
	if [ / -ef "$aroot" ]; then in_the_root=1; else run_in() { in_root "$@"; }; fi
	[ $in_the_root = 1 ] || [ -x "$aroot/usr/bin/$cc" ] || die "--arch $arch: no $cc in the sid root $aroot (capi-tests/arches/root.sh)"
	if run_in sh -c 'command -v "$1"' sh "$gnu-g++" >/dev/null 2>&1; then
		cxx=$gnu-g++
	else
		# configure then finds no C++ compiler: the tests' .cc files are left out.
		cxx=false
	fi
fi

opts="liburing $version src=$up cc=$cc cxx=$cxx libc=$use_libc cflags=$cflags prefix=${pfx:-/usr}"
hash=$(printf '%s\n' "$opts" | sha256sum | cut -c1-12)
name=${cc##*/}
[ $use_libc = no ] || name="$name-libc"
[ -z "$cflags" ] || name="$name-cflags"
[ -z "$pfx" ] || name="$name-prefix"
base=${UPSTREAM_BUILD_DIR:-$top/target/upstream-build}
d="$base/$version-$name-$hash"

ready() {
	[ -f "$d/.upb-configured" ] || return 1
	[ $want = config ] || [ -f "$d/.upb-lib" ] || return 1
	[ $install = no ] || [ -f "$d/.upb-install" ] || return 1
}
if ready; then
	echo "$d"
	exit 0
fi

mkdir -p "$base" || die "cannot create $base"
exec 9>"$d.lock" || die "cannot open $d.lock"
if ! flock -n 9; then
	say "waiting for another build of $d"
	flock 9 || die "flock $d.lock failed"
fi
# Another caller may have finished it while this one waited.
if ready; then
	echo "$d"
	exit 0
fi

# env_build CMD...: CMD in the tree with a clean environment (in the root:
# in_root's own env -i).
env_build() {
	if [ -n "$arch" ] && [ $in_the_root = 0 ]; then
		in_root sh -c 'cd "$0" && exec "$@"' "$d" "$@"
	else
		(cd "$d" && env -i PATH="$PATH" HOME="${HOME:-/root}" ${TMPDIR:+TMPDIR="$TMPDIR"} LC_ALL=C "$@")
	fi
}

t0=$SECONDS
if [ ! -f "$d/.upb-configured" ]; then
	say "configuring upstream $version ($opts) in $d"
	rm -rf "$d"
	cp -a "$up" "$d" || die "cannot copy $up to $d"
	rm -f "$d/.complete"
	cfg=(--cc="$cc" --cxx="$cxx")
	[ $use_libc = no ] || cfg+=(--use-libc)
	[ -z "$pfx" ] || cfg+=(--prefix="$pfx")
	env_build sh -c 'CFLAGS="$0" ./configure "$@" >configure.log 2>&1' "$cflags" "${cfg[@]}" ||
		{ tail -n 5 "$d/configure.log" >&2; die "upstream's configure failed (see $d/configure.log)"; }
	printf '%s\n' "$opts" >"$d/options.txt"
	printf '%s\n' "$opts" >"$d/.upb-configured"
fi

if [ $want = lib ] && [ ! -f "$d/.upb-lib" ]; then
	say "building upstream's library in $d/src"
	# What an interrupted make may have left half-written goes first.
	(cd "$d/src" && rm -f ./*.o ./*.os ./*.ol ./*.a ./*.so ./*.so.*)
	env_build sh -c 'make -C src -j"$0" >build.log 2>&1' "${JOBS:-$(nproc)}" ||
		{ tail -n 20 "$d/build.log" >&2; die "upstream's library does not build (see $d/build.log)"; }
	for l in liburing liburing-ffi; do
		{ [ -f "$d/src/$l.so.$version" ] && [ -f "$d/src/$l.a" ]; } || die "make -C src did not build $l.so.$version and $l.a (see $d/build.log)"
		ln -sfn "$l.so.$version" "$d/src/$l.so.2"
		ln -sfn "$l.so.2" "$d/src/$l.so"
	done
	touch "$d/.upb-lib"
fi

if [ $install = yes ] && [ ! -f "$d/.upb-install" ]; then
	say "installing upstream's build into $d/installed"
	rm -rf "$d/installed"
	env_build sh -c 'make install DESTDIR="$0/installed" >install.log 2>&1' "$d" ||
		{ tail -n 20 "$d/install.log" >&2; die "upstream's make install failed (see $d/install.log)"; }
	touch "$d/.upb-install"
fi
say "upstream $version ready in $d ($((SECONDS - t0)) s)"
echo "$d"
