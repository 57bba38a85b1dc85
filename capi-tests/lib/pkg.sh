#!/usr/bin/env bash
# The one way the harness installs a Debian package that is missing.
#
# Sourced (bash):
#   pkg_install [--no-recommends] [--in PREFIX] [--log FILE] PACKAGE...
#       installs the packages; returns 0 once apt-get has installed them
#   pkg_need COMMAND PACKAGE [--static]
#       returns 0 when COMMAND is on PATH (with --static: and is not a
#       dynamic executable), installing PACKAGE first when it is not
# As a command, the same two:
#   capi-tests/lib/pkg.sh install [OPTIONS] PACKAGE...
#   capi-tests/lib/pkg.sh need COMMAND PACKAGE [--static]
#
# How: `apt-get install -y -q PACKAGE...`; when that fails, `apt-get update`
# and one more try (made even when the update fails). When a package cannot be had it says, on stderr,
#   pkg: cannot install PACKAGE...: REASON (command: apt-get install -y PACKAGE...)
# and returns 1. REASON is "not root", "apt-get not found", or apt-get's own
# last error line (an unknown package, an unreachable archive, a full disk).
# The caller says what cannot run without it.
#
# --in PREFIX runs apt-get through PREFIX, split on blanks (a function or
# command that enters a Debian root: "in_root /path/to/root"), where the
# host's apt-get and the host's packages do not matter. --log FILE appends
# apt-get's output to FILE (default: a temporary file, shown in part when
# the install fails). apt-get is whatever PATH finds: the planted checks of
# capi-tests/lib/pkg-control.sh put stand-ins there.

pkg_say() { echo "pkg: $*" >&2; }

pkg_install() {
	local recommends=() prefix=() log="" own_log=0
	while [ $# -gt 0 ]; do
		case $1 in
		--no-recommends) recommends=(--no-install-recommends); shift ;;
		--in) read -r -a prefix <<<"$2"; shift 2 ;;
		--log) log=$2; shift 2 ;;
		--) shift; break ;;
		-*) pkg_say "pkg_install: unknown option $1"; return 2 ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || { pkg_say "pkg_install: no package named"; return 2; }
	local cmd="apt-get install -y ${recommends[*]:+${recommends[*]} }$*"
	if [ "$(id -u)" != 0 ]; then
		pkg_say "cannot install $*: not root (command: $cmd)"
		return 1
	fi
	if [ ${#prefix[@]} -eq 0 ] && ! command -v apt-get >/dev/null 2>&1; then
		pkg_say "cannot install $*: apt-get not found, not a Debian machine? (command: $cmd)"
		return 1
	fi
	if [ -z "$log" ]; then
		log=$(mktemp) || return 1
		own_log=1
	fi
	local apt=("${prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q)
	pkg_say "installing $*"
	local ok=0
	if "${apt[@]}" install -y "${recommends[@]}" "$@" >>"$log" 2>&1; then
		ok=1
	else
		pkg_say "'$cmd' failed; running apt-get update and trying once more"
		# A failed update (one unreachable source) may still have refreshed
		# the lists the package is in: the second try is made either way.
		"${apt[@]}" update >>"$log" 2>&1
		if "${apt[@]}" install -y "${recommends[@]}" "$@" >>"$log" 2>&1; then
			ok=1
		fi
	fi
	if [ $ok = 0 ]; then
		local why
		why=$(grep -E '^(E|Err):' "$log" | tail -n 1)
		[ -n "$why" ] || why=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)
		pkg_say "cannot install $*: ${why:-apt-get failed and printed nothing} (command: $cmd)"
	fi
	[ $own_log = 0 ] || rm -f "$log"
	[ $ok = 1 ]
}

# pkg_has COMMAND [--static]: COMMAND is on PATH (and statically linked).
pkg_has() {
	local c
	c=$(command -v "$1" 2>/dev/null) || return 1
	[ "${2:-}" != --static ] || ! ldd "$c" >/dev/null 2>&1
}

pkg_need() {
	local cmd=${1:?pkg_need COMMAND PACKAGE [--static]} pkg=${2:?pkg_need COMMAND PACKAGE [--static]}
	pkg_has "$cmd" "${3:-}" && return 0
	pkg_say "$cmd${3:+ (static)} is missing; it comes with the package $pkg"
	pkg_install "$pkg" || return 1
	hash -r
	pkg_has "$cmd" "${3:-}" && return 0
	pkg_say "cannot install $pkg: installed, but $cmd${3:+ (static)} is still not on PATH ($PATH)"
	return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	case ${1:-} in
	install) shift; pkg_install "$@" ;;
	need) shift; pkg_need "$@" ;;
	*) pkg_say "usage: pkg.sh install [--no-recommends] [--in PREFIX] [--log FILE] PACKAGE... | pkg.sh need COMMAND PACKAGE [--static]"; exit 2 ;;
	esac
fi
