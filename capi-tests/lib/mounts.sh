# shellcheck shell=bash
# Deleting a directory tree that a root or an overlay may still have
# mounts in (sourced): never delete through a mount point.
#
#   mounts_under DIR   mount points at or below DIR, deepest first
#   safe_rm DIR        unmounts (lazily) what is mounted below DIR, then
#                      deletes it; refuses, on stderr with status 1, while
#                      something is still mounted there

mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r
}

safe_rm() {
	local m
	for m in $(mounts_under "$1"); do umount -l "$m" || true; done
	if [ -n "$(mounts_under "$1")" ]; then
		echo "$(basename "$0"): refusing to delete $1: something is still mounted below it" >&2
		return 1
	fi
	rm -rf "$1"
}
