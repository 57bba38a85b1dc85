# SPDX-License-Identifier: MIT OR LGPL-2.1-or-later
# Sourced by the drivers of capi-tests/dependents/: what building a Debian
# package on each liburing needs. The caller defines fail() first.
#
#   dependents_prepare            our build present, upstream's configured
#                                 2.15 tree with its library built ($ref,
#                                 capi-tests/lib/upstream-build.sh)
#   side_env SIDE DIR             libdir, incdir and PKG_CONFIG_PATH for SIDE
#                                 (upstream or ours); DIR/pc-SIDE holds its
#                                 liburing.pc, DIR/lib-upstream the links to
#                                 upstream's library
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
# shellcheck disable=SC2034 # used by the drivers that source this file
jobs=${JOBS:-$(nproc)}
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
