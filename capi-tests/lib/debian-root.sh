#!/usr/bin/env bash
# debian-root.sh: the one builder of the harness's throwaway Debian roots
# (the sid root of capi-tests/arches/root.sh, the base roots of
# capi-tests/dropin/deb-root.sh), with mmdebstrap in root mode.
#
#   capi-tests/lib/debian-root.sh --suite SUITE --dest DIR [OPTION]...
#
#   --suite SUITE      the Debian release (bookworm, trixie, sid, ...)
#   --dest DIR         where the root goes
#   --arch A           a foreign architecture (dpkg --add-architecture A);
#                      repeatable. The root's own architecture is always this
#                      machine's (its programs run here through chroot).
#   --variant V        minbase (the Priority: required packages and apt, as
#                      debootstrap's minbase) or apt (Essential: yes and apt);
#                      default minbase
#   --include PKGS     packages to install as well (blank- or comma-separated,
#                      PKG:ARCH for a foreign one); repeatable
#   --hook SNIPPET     shell text run by `sh -e` chrooted in the root after
#                      the packages are installed, before apt's lists and
#                      downloaded .debs are cleaned (so apt-get download works
#                      there); repeatable, run in order
#   --merged-usr       /usr merged as debootstrap does it (directory links
#                      made before the essential set, usr-is-merged installed
#                      rather than usrmerge, which would pull perl in): where
#                      the suite has usr-is-merged, mmdebstrap's
#                      maybe-merged-usr hooks
#   --no-docs          dpkg leaves out /usr/share/{doc,man,locale,info}
#   --dpkgopt OPT      a dpkg option kept in the root (dpkg.cfg.d); repeatable
#   --mirror URI       the archive (default: the URIs: line of this machine's
#                      /etc/apt/sources.list.d/debian.sources, else the first
#                      deb line of /etc/apt/sources.list)
#   --log FILE         mmdebstrap's output (default DIR.log)
#   --name WHO         starts every message (default debian-root)
#   --print-recipe     prints the recipe and exits
#
# Always: no recommends, and the archive's Release files accepted past their
# Valid-Until date (the archive this machine reads may be a snapshot older
# than that); both stay configured in the root.
#
# The recipe (every option above that shapes the root, the hooks by their
# sha256, and this builder's own revision) is written to DIR/.complete; a
# call whose recipe is the one there returns at once, any other builds anew:
# under flock on DIR.lock (the lock the scripts that install into the sid
# root take too), into DIR.new, renamed to DIR when complete. A stale DIR or
# DIR.new is deleted first, never through a mount point (lib/mounts.sh).
# Messages go to stderr; the closing line gives the time of each phase.
# Exit status: 0 when DIR holds the recipe; 1 when it could not be built (an
# unreachable archive is named as such) and then neither DIR nor DIR.new is
# left behind; 2 for a wrong call. What a missing root means is the
# caller's to say (a failure, or a skip through capi-tests/skip.sh).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=capi-tests/lib/mounts.sh
source "$top/capi-tests/lib/mounts.sh"
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"

# Raise it when a change here changes what a root holds: every root rebuilds.
builder_revision=1

suite="" dest="" variant=minbase mirror="" log="" who=debian-root print=0 no_docs=0 merged_usr=0
arches=() includes=() hooks=() dpkgopts=()
usage() {
	echo "usage: debian-root.sh --suite SUITE --dest DIR [--arch A]... [--variant minbase|apt] [--include PKGS]... [--hook SNIPPET]... [--merged-usr] [--no-docs] [--dpkgopt OPT]... [--mirror URI] [--log FILE] [--name WHO] [--print-recipe]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--suite | --dest | --arch | --variant | --include | --hook | --dpkgopt | --mirror | --log | --name)
		[ $# -ge 2 ] || usage ;;&
	--suite) suite=$2; shift 2 ;;
	--dest) dest=$2; shift 2 ;;
	--arch) arches+=("$2"); shift 2 ;;
	--variant) variant=$2; shift 2 ;;
	--include) read -r -a p <<<"${2//,/ }"; includes+=("${p[@]}"); shift 2 ;;
	--hook) hooks+=("$2"); shift 2 ;;
	--no-docs) no_docs=1; shift ;;
	--merged-usr) merged_usr=1; shift ;;
	--dpkgopt) dpkgopts+=("$2"); shift 2 ;;
	--mirror) mirror=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--name) who=$2; shift 2 ;;
	--print-recipe) print=1; shift ;;
	*) usage ;;
	esac
done
say() { echo "$who: $*" >&2; }
fail() {
	say "$*"
	exit 1
}
{ [ -n "$suite" ] && [ -n "$dest" ]; } || usage
case $variant in minbase | apt) ;; *) usage ;; esac
case $dest in /*) ;; *) dest=$PWD/$dest ;; esac
log=${log:-$dest.log}

if [ -z "$mirror" ]; then
	mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	[ -n "$mirror" ] || fail "no archive URI in /etc/apt/sources.list.d/debian.sources (URIs:) or /etc/apt/sources.list (deb); name one with --mirror"
fi

native=$(dpkg --print-architecture)
archlist=$native
for a in "${arches[@]}"; do archlist="$archlist,$a"; done
hooks_sum=$(for h in "${hooks[@]}"; do printf '%s\n--\n' "$h"; done | sha256sum | cut -c1-16)
recipe="debian-root $builder_revision: mmdebstrap $variant $suite; architectures $archlist; include ${includes[*]}"
recipe="$recipe; merged-usr $merged_usr; no-docs $no_docs; dpkgopt ${dpkgopts[*]}; hooks ${#hooks[@]} $hooks_sum; mirror $mirror"
if [ $print = 1 ]; then
	echo "$recipe"
	exit 0
fi
built() { [ -f "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$recipe" ]; }
# The quick answer takes no lock: a caller that holds DIR.lock already (to
# install into the root) may ask for it.
built && exit 0

[ "$(id -u)" = 0 ] || fail "building the $suite root needs root (mmdebstrap --mode=root, chroot)"
mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
flock 9
built && exit 0
if ! command -v mmdebstrap >/dev/null; then
	pkg_install --no-recommends --log "$log" mmdebstrap ||
		fail "mmdebstrap is needed and could not be installed (see $log)"
fi

tmp="$dest.new"
[ ! -e "$tmp" ] || safe_rm "$tmp" || fail "cannot remove the stale $tmp"
[ ! -e "$dest" ] || safe_rm "$dest" || fail "cannot remove the stale $dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

opts=(--mode=root "--variant=$variant" "--architectures=$archlist"
	--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='APT::Install-Recommends "false"')
if [ $merged_usr = 1 ]; then
	hookdir=/usr/share/mmdebstrap/hooks/maybe-merged-usr
	[ -d "$hookdir" ] || fail "--merged-usr: this mmdebstrap has no $hookdir"
	opts+=("--hook-dir=$hookdir")
fi
if [ $no_docs = 1 ]; then
	for p in doc man locale info; do opts+=("--dpkgopt=path-exclude=/usr/share/$p/*"); done
fi
for o in "${dpkgopts[@]}"; do opts+=("--dpkgopt=$o"); done
[ ${#includes[@]} -eq 0 ] || opts+=("--include=$(IFS=,; echo "${includes[*]}")")
# Each phase's end goes to the log (the hooks' output lands there), read
# back for the closing line.
for h in extract essential customize; do opts+=("--$h-hook=echo \"debian-root-phase: $h \$(date +%s)\""); done
n=0
for h in "${hooks[@]}"; do
	n=$((n + 1))
	printf '%s\n' "$h" >"$work/hook$n.sh"
	opts+=("--customize-hook=chroot \"\$1\" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 sh -e <'$work/hook$n.sh'")
done

t0=$SECONDS start=$(date +%s)
say "mmdebstrap $variant $suite ($archlist) from $mirror (once; cached in $dest; log $log)"
if ! mmdebstrap "${opts[@]}" "$suite" "$tmp" "$mirror" >"$log" 2>&1; then
	tail -8 "$log" | sed 's/^/    /' >&2
	safe_rm "$tmp" || say "the failed $tmp could not be removed"
	# apt's own words for an archive it cannot reach, named as such.
	why=$(grep -m1 -E "Could not connect|Connection refused|Could not resolve|Temporary failure resolving|Unable to connect|Network is unreachable|No route to host|Connection timed out" "$log" || true)
	[ -z "$why" ] || fail "the archive $mirror is unreachable: $(echo "$why" | sed 's/^ *//' | cut -c1-200) (see $log)"
	fail "mmdebstrap of Debian $suite failed (see $log)"
fi
[ -z "$(mounts_under "$tmp")" ] || fail "mmdebstrap left mounts in $tmp"
echo "$recipe" >"$tmp/.complete"
mv "$tmp" "$dest"
# Phases: download (apt-get update, the .debs, the extraction of the
# essential set), essential (its dpkg run), packages (every other package's
# dpkg run), hooks (the caller's, then the cleanup).
phases=$(awk -v t0="$start" -v t1="$(date +%s)" '$1 == "debian-root-phase:" {t[$2] = $3}
	END {printf "download %d s, essential %d s, packages %d s, hooks and cleanup %d s",
		t["extract"] - t0, t["essential"] - t["extract"], t["customize"] - t["essential"], t1 - t["customize"]}' "$log")
say "$suite root built in $((SECONDS - t0)) s ($phases; $(du -sh "$dest" | cut -f1)): $dest"
