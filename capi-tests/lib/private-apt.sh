# shellcheck shell=bash
# A private apt source list on the archive this machine's apt uses, and the
# options that make apt-get and apt-cache read that list alone, with their own
# index and cache: the machine's own lists and state are never touched.
# Sourced by capi-tests/lib/debsrc.sh (sid's source packages) and
# capi-tests/kernels/fetch-kernel.sh (a suite's kernel images).
#
#   private_apt DIR deb-src SUITE
#   private_apt DIR deb SUITE ARCH
#       reads the URIs: line of /etc/apt/sources.list.d/debian.sources at run
#       time (no host name is written in the repository); writes the list
#       DIR/SUITE-src.sources (deb-src) or DIR/SUITE-ARCH.sources (deb): that
#       archive, SUITE, main, ARCH for deb, Signed-By Debian's archive keyring;
#       creates DIR/lists/partial and DIR/cache (deb: DIR/archives/partial);
#       sets the array apt_opts:
#         both   that list and no sources.list.d, index lists in DIR/lists,
#                cache in DIR/cache, APT::Get::List-Cleanup=0
#         deb    also no dpkg status (/dev/null), downloads in DIR/archives,
#                ARCH as apt's one architecture, APT::Sandbox::User=root,
#                Acquire::Check-Valid-Until=false (archive snapshots may be
#                past their Release file's Valid-Until), Acquire::Languages=none
#       Returns 1 with private_apt_why set ("no URIs: line in
#       /etc/apt/sources.list.d/debian.sources", or the list that could not be
#       written) when it cannot; the caller says what it then cannot do.
# The caller runs apt-get "${apt_opts[@]}" update when it wants the index read.

# shellcheck disable=SC2034 # apt_opts and private_apt_why are the caller's
private_apt() {
	local dir=$1 type=$2 suite=$3 arch=${4:-} sources=/etc/apt/sources.list.d/debian.sources
	local uri list dirs=("$1/lists/partial" "$1/cache")
	case $type in
	deb-src) list="$dir/$suite-src.sources" ;;
	deb)
		list="$dir/$suite-$arch.sources"
		dirs+=("$dir/archives/partial")
		[ -n "$arch" ] || { private_apt_why="private_apt: deb needs an architecture" && return 1; }
		;;
	*) private_apt_why="private_apt: no type '$type' (deb or deb-src)" && return 1 ;;
	esac
	uri=$(awk '/^URIs:/ {print $2; exit}' "$sources" 2>/dev/null || true)
	[ -n "$uri" ] || { private_apt_why="no URIs: line in $sources" && return 1; }
	if ! mkdir -p "${dirs[@]}" || ! {
		printf 'Types: %s\nURIs: %s\nSuites: %s\nComponents: main\n' "$type" "$uri" "$suite"
		[ "$type" = deb-src ] || echo "Architectures: $arch"
		echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	} >"$list"; then
		private_apt_why="cannot write the private source list $list"
		return 1
	fi
	apt_opts=(
		-o "Dir::Etc::sourcelist=$list"
		-o "Dir::Etc::sourceparts=-"
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o "APT::Get::List-Cleanup=0"
	)
	[ "$type" = deb-src ] || apt_opts+=(
		-o "Dir::State::status=/dev/null"
		-o "Dir::Cache::archives=$dir/archives"
		-o "APT::Architecture=$arch"
		-o "APT::Architectures=$arch"
		-o "APT::Sandbox::User=root"
		-o "Acquire::Check-Valid-Until=false"
		-o "Acquire::Languages=none"
	)
}
