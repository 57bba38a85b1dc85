#!/usr/bin/env bash
# Install: `make install PREFIX=/usr/local DESTDIR=...` must lay out exactly
# what upstream liburing 2.15's own `make install` lays out (built here from
# upstream's source into a scratch DESTDIR: same paths, same file kinds, same
# symlink targets, same modes; man pages are compared by name, since upstream
# installs them under $prefix/man and we under $prefix/share/man as Debian
# does), the installed
# pkg-config files must answer like upstream's, and `make uninstall` must
# leave nothing behind.
set -euo pipefail
# shellcheck source=capi-tests/dropin/lib.sh
source "$(dirname "$0")/lib.sh"
need_built_lib
need_cmd pkg-config pkg-config || die "install: pkg-config is needed and could not be installed"
make_work install
failures=0
prefix=/usr/local

# listing DIR: one line per path under DIR (upstream's man pages excluded):
# kind, mode, path, and for a symlink its literal target.
listing() {
	(cd "$1" && find . -mindepth 1 -path "./${prefix#/}/man" -prune -o -path "./${prefix#/}/share/man" -prune -o -printf '%y %m %p %l\n') |
		sed 's/ $//' | sort -k3
}

# Upstream's layout: configure --prefix=/usr/local, build and make install
# DESTDIR=<tree>/installed, by capi-tests/lib/upstream-build.sh (cached under
# target/upstream-build/, a couple of seconds the first time).
up_tree=$("$top/capi-tests/lib/upstream-build.sh" --prefix "$prefix" --install) ||
	die "install: upstream's build/install failed (the upstream-build: lines above)"
up_root="$up_tree/installed"
listing "$up_root" >"$work/upstream.list"

# Ours.
dest="$work/root"
make -C "$top" --no-print-directory -s install PREFIX="$prefix" DESTDIR="$dest" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; die "install: make install failed"; }
listing "$dest" >"$work/ours.all"

# Files we install that upstream does not, each for a stated reason. Anything
# else extra, and anything of upstream's missing, is a failure.
#   liburing/liburing-api.h: the declarations cbindgen writes from the Rust
#   definitions; liburing.h includes it (see DESIGN.md, Headers).
#   share/liburing-rs/api.json: the API description for binding generators
#   (issue 16, liburing-rs(7)).
allowed_extra=(
	"include/liburing/liburing-api.h"
	"share"
	"share/liburing-rs"
	"share/liburing-rs/api.json"
)
cp "$work/ours.all" "$work/ours.list"
for x in "${allowed_extra[@]}"; do
	line=$(awk -v p="./${prefix#/}/$x" '$3 == p' "$work/ours.list")
	if [ -n "$line" ] && ! awk -v p="./${prefix#/}/$x" '$3 == p {f = 1} END {exit !f}' "$work/upstream.list"; then
		echo "dropin:   extra, allowed: $line"
		awk -v p="./${prefix#/}/$x" '$3 != p' "$work/ours.list" >"$work/ours.tmp" && mv "$work/ours.tmp" "$work/ours.list"
	fi
done

if diff -u "$work/upstream.list" "$work/ours.list" >"$work/layout.diff"; then
	pass "install layout: $(wc -l <"$work/ours.list") paths (kind, mode, symlink target) identical to upstream 2.15's make install"
else
	echo "dropin:   layout differences (- upstream, + ours):"
	sed -n '3,$p' "$work/layout.diff" | grep '^[-+]' | sed 's/^/    /'
	fail "install layout differs from upstream's"
fi

# Man pages: every page name upstream installs is installed here too, in
# $prefix/share/man, and man finds and renders the pages there.
# (A page's other names are symbolic links to it here, as in Debian's package.)
up_pages=$(cd "$up_root$prefix" && { find man share/man \( -type f -o -type l \) 2>/dev/null || true; } | sed "s|^share/||" | sort)
our_pages=$(cd "$dest$prefix/share" && find man \( -type f -o -type l \) | sort)
missing=$(comm -23 <(echo "$up_pages") <(echo "$our_pages"))
if [ -z "$up_pages" ]; then
	fail "install man pages: upstream's install has no man pages to compare with"
elif [ -n "$missing" ]; then
	echo "$missing" | sed 's/^/    missing: /'
	fail "install man pages: upstream installs pages we do not"
elif ! MANPATH="$dest$prefix/share/man" MANWIDTH=80 man io_uring_prep_recv 2>/dev/null | grep -q 'io_uring_prep_recv_multishot'; then
	fail "install man pages: man io_uring_prep_recv does not find the installed page"
else
	pass "install man pages: all $(echo "$up_pages" | wc -l) of upstream's page names installed ($(echo "$our_pages" | wc -l) here), man io_uring_prep_recv renders"
fi

# What was installed is what was built.
ok=1
libd="$dest$prefix/lib"
incd="$dest$prefix/include"
for f in liburing.so.2.15 liburing-ffi.so.2.15 liburing.a liburing-ffi.a; do
	cmp -s "$lib/$f" "$libd/$f" || { echo "dropin:   installed $f differs from build/lib/$f"; ok=0; }
done
while IFS= read -r h; do
	cmp -s "$top/include/$h" "$incd/$h" || { echo "dropin:   installed header $h differs from include/$h"; ok=0; }
done < <(cd "$top/include" && find . -name '*.h' | sed 's|^\./||')
for f in liburing.so.2.15 liburing-ffi.so.2.15; do
	ours=$(readelf -d "$libd/$f" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	theirs=$(readelf -d "$up_root$prefix/lib/$f" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$ours" = "$theirs" ] || { echo "dropin:   $f: soname $ours, upstream's $theirs"; ok=0; }
done
if [ $ok = 1 ]; then
	pass "install contents: libraries and headers are the built ones, sonames as upstream's"
else
	fail "install contents"
fi

# pkg-config answers the same questions the same way for both installs.
pc_answers() {
	local pcdir=$1 m q
	for m in liburing liburing-ffi; do
		for q in --modversion --cflags --libs "--static --libs" --variable=prefix \
			--variable=libdir --variable=includedir; do
			# shellcheck disable=SC2086
			echo "$m $q: $(PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_LIBDIR="$pcdir" pkg-config $q "$m" 2>&1)"
		done
	done
}
pc_answers "$up_root$prefix/lib/pkgconfig" >"$work/upstream.pc"
pc_answers "$libd/pkgconfig" >"$work/ours.pc"
if diff -u "$work/upstream.pc" "$work/ours.pc" >"$work/pc.diff"; then
	pass "install pkg-config: $(wc -l <"$work/ours.pc") answers (version, flags, static flags, variables) identical to upstream's .pc files"
else
	sed -n '3,$p' "$work/pc.diff" | grep '^[-+]' | sed 's/^/    /'
	fail "install pkg-config answers differ from upstream's"
fi

# Uninstall removes every file and link, and the liburing directories.
make -C "$top" --no-print-directory -s uninstall PREFIX="$prefix" DESTDIR="$dest" >"$work/uninstall.log" 2>&1 ||
	{ cat "$work/uninstall.log"; fail "install: make uninstall failed"; }
left=$(cd "$dest" && find . -mindepth 1 \( -not -type d -o -name '*uring*' \) | sort)
if [ -z "$left" ]; then
	pass "uninstall: no file, link or liburing directory left ($(cd "$dest" && find . -mindepth 1 -type d | wc -l) generic directories remain, as with upstream)"
else
	echo "$left" | sed 's/^/    left: /'
	fail "uninstall left files behind"
fi
[ "$failures" -eq 0 ]
