#!/usr/bin/env bash
# Fetch a Debian source package from sid and unpack it with Debian's patches
# applied (dpkg-source -x), cached under target/debsrc/; print the tree's path.
#
#   capi-tests/lib/debsrc.sh PACKAGE [VERSION]
#   capi-tests/lib/debsrc.sh --download PACKAGE VERSION DIR
#       only download the source package's files (.dsc, tarballs) into DIR,
#       checked against the archive's signed index (fetch-upstream.sh)
#   capi-tests/lib/debsrc.sh --index-dsc PACKAGE [VERSION]
#       as the first form, but when the archive serves every tarball and not
#       the .dsc (memcached here), the .dsc is rebuilt from the package's
#       stanza in the signed Sources index (the same fields: Format, Version,
#       the tarballs' Files and Checksums-Sha256), so that dpkg-source -x
#       still checks each tarball and applies Debian's patches; the tree's
#       .complete then says "dsc-from-index"
#   capi-tests/lib/debsrc.sh --uris PACKAGE
#       download nothing: print sid's version, then one line per file of the
#       source package, "URI NAME SIZE" (apt-get source --print-uris)
#
# The archive is the one this machine's apt uses: the URIs: line of
# /etc/apt/sources.list.d/debian.sources, through a private source list
# (sid, main) and private apt state under target/debsrc/apt/
# (capi-tests/lib/private-apt.sh), so the machine's own lists are untouched
# and no host name is written anywhere. Without VERSION, sid's current one.
# Exits 1 with a "debsrc:" line saying why when it cannot.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
say() { echo "debsrc: $*" >&2; }
download_to=
uris_only=0
index_dsc=0
if [ "${1:-}" = --index-dsc ]; then
	index_dsc=1
	shift
elif [ "${1:-}" = --uris ]; then
	uris_only=1
	shift
elif [ "${1:-}" = --download ]; then
	download_to=${4:?usage: debsrc.sh --download PACKAGE VERSION DIR}
	shift
fi
pkg=${1:?usage: debsrc.sh PACKAGE [VERSION]}
want=${2:-}
cache="$top/target/debsrc"
aptdir="$cache/apt"

# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
pkg_need dpkg-source dpkg-dev || { say "dpkg-source is needed to unpack $pkg"; exit 1; }

# shellcheck source=capi-tests/lib/private-apt.sh
source "$top/capi-tests/lib/private-apt.sh"
private_apt "$aptdir" deb-src sid || { say "$private_apt_why: no archive to fetch $pkg from"; exit 1; }
mkdir -p "$cache/dl"
# The index is read at most once an hour.
stamp="$aptdir/updated"
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +60)" ]; then
	apt-get "${apt_opts[@]}" -q update >"$aptdir/update.log" 2>&1 ||
		{ say "apt-get update of the private sid source list failed: $(grep -E '^(E|Err)' "$aptdir/update.log" | tail -1)"; exit 1; }
	touch "$stamp"
fi
version=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V | tail -1)
[ -n "$version" ] || { say "sid has no source package $pkg"; exit 1; }
if [ -n "$want" ] && [ "$want" != "$version" ]; then
	say "sid has $pkg $version, not $want"
	exit 1
fi
if [ $uris_only = 1 ]; then
	echo "$version"
	apt-get "${apt_opts[@]}" -q source --print-uris "$pkg=$version" 2>/dev/null |
		awk "/^'/ {gsub(/'/, \"\", \$1); print \$1, \$2, \$3}"
	exit 0
fi
if [ -n "$download_to" ]; then
	mkdir -p "$download_to"
	(cd "$download_to" && apt-get "${apt_opts[@]}" -q source --download-only "$pkg=$version") \
		>"$download_to/download.log" 2>&1 ||
		{ say "apt-get source $pkg=$version failed: $(grep -E '^(E|Err)' "$download_to/download.log" | tail -1)"; exit 1; }
	echo "$download_to"
	exit 0
fi
tree="$cache/$pkg-$version"
if [ -f "$tree/.complete" ]; then
	echo "$tree"
	exit 0
fi
dl="$cache/dl/$pkg-$version"
rm -rf "$dl" "$tree"
mkdir -p "$dl"
say "downloading $pkg $version"
how=
if ! (cd "$dl" && apt-get "${apt_opts[@]}" -q source --download-only "$pkg=$version") >"$dl.log" 2>&1; then
	why=$(grep -E '^(E|Err)' "$dl.log" | tail -1)
	# apt keeps the files it fetched and checked; with --index-dsc, a
	# missing .dsc alone is rebuilt from the index's stanza.
	stanza=$(apt-cache "${apt_opts[@]}" showsrc --only-source "$pkg" 2>/dev/null |
		awk -v v="$version" 'BEGIN {RS = ""} $0 ~ ("\nVersion: " v "\n") {print; exit}')
	tarballs=$(printf '%s\n' "$stanza" | awk '/^Checksums-Sha256:/ {f = 1; next} /^[^ ]/ {f = 0} f && $3 !~ /\.dsc$/ {print $3}')
	have_all=1
	for t in $tarballs; do [ -f "$dl/$t" ] || have_all=0; done
	if [ $index_dsc = 1 ] && [ -n "$tarballs" ] && [ $have_all = 1 ] && ! ls "$dl"/*.dsc >/dev/null 2>&1; then
		printf '%s\n' "$stanza" | awk -v pkg="$pkg" '
			/^Package:/ {print "Source: " pkg; next}
			/^(Files|Checksums-Sha256):/ {print; f = 1; next}
			/^[^ ]/ {f = 0}
			f && $3 ~ /\.dsc$/ {next}
			f || /^(Binary|Version|Maintainer|Architecture|Standards-Version|Format|Build-Depends):/ {print}
		' >"$dl/${pkg}_${version#*:}.dsc"
		how=" dsc-from-index"
		say "$pkg $version: the archive does not serve its .dsc; rebuilt it from the signed index's stanza"
	else
		say "apt-get source $pkg=$version failed: $why"
		exit 1
	fi
fi
# apt checked the downloads against the signed index; dpkg-source checks
# them against the .dsc's checksums again (it only warns that the uploader's
# key is not in this machine's keyring).
dsc=$(ls "$dl"/*.dsc)
dpkg-source -x "$dsc" "$tree" >"$dl.unpack.log" 2>&1 ||
	{ say "dpkg-source -x $dsc failed (see $dl.unpack.log)"; exit 1; }
rm -rf "$dl"
echo "$pkg $version$how" >"$tree/.complete"
say "$pkg $version unpacked in $tree"
echo "$tree"
