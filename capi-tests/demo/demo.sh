#!/usr/bin/env bash
# `make demo`: shows the drop-in working on what this machine has.
#  1. a C program built against our header and library copies a file with io_uring;
#  2. Debian's qemu-io, built against Debian's liburing, runs on ours (LD_LIBRARY_PATH);
#     qemu-utils is installed first when qemu-io is missing (capi-tests/lib/pkg.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
lib="$top/build/lib"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== 1. our header + our library: an io_uring file copy"
cc -std=gnu11 -Wall -Wextra -Werror -I"$top/build/include" "$top/capi-tests/demo/demo.c" \
	-o "$work/demo" -L"$lib" -luring
head -c $((8 * 1024 * 1024 + 12345)) /dev/urandom > "$work/src"
LD_LIBRARY_PATH="$lib" "$work/demo" "$work/src" "$work/dst"
cmp "$work/src" "$work/dst"
echo "demo: copy verified byte for byte"

echo
echo "== 2. an unmodified Debian binary (qemu-io) on our liburing.so.2"
# shellcheck source=capi-tests/lib/pkg.sh
source "$top/capi-tests/lib/pkg.sh"
if ! pkg_need qemu-io qemu-utils; then
	"$top/capi-tests/skip.sh" qemu demo "qemu-io is missing and qemu-utils could not be installed (why: the 'pkg:' line above): part 2 not shown"
	exit
fi
img="$work/disk.img"
truncate -s 16M "$img"
LD_DEBUG=libs LD_LIBRARY_PATH="$lib" qemu-io -f raw -i io_uring \
	-c 'write -P 0x5a 0 4M' -c 'read -P 0x5a 0 4M' "$img" >"$work/qemu.out" 2>"$work/qemu.libs"
grep -E 'wrote|read' "$work/qemu.out"
loaded=$(grep -o "calling init: [^ ]*liburing[^ ]*" "$work/qemu.libs" | head -1 | sed 's/calling init: //')
echo "demo: qemu-io loaded $loaded"
case "$loaded" in
	"$lib"/*) echo "demo: qemu-io ran its io_uring I/O through liburing-rs" ;;
	*) echo "demo: qemu-io did not load our library"; exit 1 ;;
esac
