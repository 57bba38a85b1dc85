#!/usr/bin/env bash
# Debian packages in a real throwaway Debian system: a minbase root of
# DROPIN_SUITE (default: this machine's release; make test-dropin-suites runs
# trixie and sid too) with qemu-utils, strace, libc6-dev, linux-libc-dev and
# man-db, built once by capi-tests/lib/debian-root.sh (mmdebstrap, /usr merged
# as debootstrap does it) under
# target/dropin/debroot-base-SUITE (~1 minute with the network, reused
# afterwards), is copied, and inside it, with chroot and no environment
# variable:
#  1. Debian's qemu-io runs on Debian's liburing2 (the control: the test can
#     tell the two libraries apart);
#  2. `dpkg -i` of our liburing2 + liburing-dev (the source package's build,
#     packaging/debian-build.sh ensure: make deb) upgrades Debian's,
#     with no --force option: dependencies of qemu-utils stay satisfied
#     (apt-get check), files are where Debian's were, Debian's
#     library is gone (or, where its file has our name, replaced by ours),
#     dpkg --verify is clean, ldconfig's cache
#     (run by the ldconfig trigger) points at ours;
#     and `man io_uring_prep_recv` shows our page (man-db is in the root);
#  3. Debian's qemu-io and qemu-img, and a program built against the
#     installed liburing-dev (pkg-config), now run on ours: data verified,
#     every io_uring system call issued from the chroot's liburing.so.2.15;
#  4. dpkg -i of Debian's own liburing2 .deb (kept from the base build) goes
#     back: the library files are Debian's again, byte for byte, and qemu-io
#     is on Debian's library again;
#  5. make install PREFIX=/usr/local + ldconfig in the same root also puts
#     qemu-io on ours, and make uninstall + ldconfig undoes it.
# Nothing here touches the real system's packages.
set -euo pipefail
# shellcheck source=capi-tests/dropin/lib.sh
source "$(dirname "$0")/lib.sh"
need_built_lib

if [ ! -f "$top/include/liburing.h" ]; then
	die "deb root: include/liburing.h is missing (liburing-dev would be empty)"
fi
[ "$(id -u)" = 0 ] || { "$top/capi-tests/skip.sh" root test-dropin "deb root: needs root (chroot, mmdebstrap)"; exit; }
need_cmd strace strace || die "deb root: strace is needed and could not be installed"
strace_has_stacks || die "deb root: this strace cannot unwind stacks (-k)"
need_cmd pkg-config pkg-config || die "deb root: pkg-config is needed and could not be installed"

failures=0
suite=${DROPIN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}
[ -n "$suite" ] || die "deb root: cannot tell this system's Debian release (set DROPIN_SUITE)"
base="$top/target/dropin/debroot-base-$suite"
# What the base root holds on top of minbase (a change rebuilds it), and
# Debian's own liburing2 .deb kept in /root/debian-debs (step 4 goes back to
# it), fetched by the hook at the installed version while apt's lists are
# still there.
base_packages="qemu-utils strace libc6-dev linux-libc-dev man-db"
keep_debian_deb=$(cat <<'EOF'
mkdir -p /root/debian-debs
cd /root/debian-debs
apt-get download -q "liburing2=$(dpkg-query -W -f '${Version}' liburing2)"
EOF
)

# safe_rm (never delete through a mount).
# shellcheck source=capi-tests/lib/mounts.sh
source "$top/capi-tests/lib/mounts.sh"

in_root() { # ROOT CMD...: run CMD chrooted in ROOT with an empty environment
	local r=$1
	shift
	chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

mkdir -p "$top/target/dropin"
if ! "$top/capi-tests/lib/debian-root.sh" --name dropin --suite "$suite" --dest "$base" --variant minbase --merged-usr \
	--include "$base_packages" --hook "$keep_debian_deb"; then
	"$top/capi-tests/skip.sh" debootstrap test-dropin \
		"deb root: could not build a Debian $suite root here (no archive access?); see target/dropin/debroot-base-$suite.log"
	exit
fi

# The packages: the source package's, built in the sid root (kept when
# build/deb/ was built from this very tree, by test-debian-smoke say).
DEB_BUILD_OPTIONS=nocheck "$top/packaging/debian-build.sh" ensure >"$top/target/dropin/deb-build.log" 2>&1 ||
	die "deb root: the source package did not build (see target/dropin/deb-build.log)"
deb_lib=$(ls "$top"/build/deb/liburing2_*.deb)
deb_dev=$(ls "$top"/build/deb/liburing-dev_*.deb)
our_version=$(dpkg-deb -f "$deb_lib" Version)
# Its library files, to compare with what lands in the root.
deb_files="$top/target/dropin/deb-files"
rm -rf "$deb_files" && dpkg-deb -x "$deb_lib" "$deb_files"

# A fresh copy of the base for this run.
mkdir -p "$top/target/dropin"
R=$(mktemp -d "$top/target/dropin/debroot.XXXXXX")
cleanup() {
	if [ "${DROPIN_KEEP:-0}" = 1 ]; then
		echo "dropin: keeping $R" >&2
	else
		safe_rm "$R"
	fi
}
trap cleanup EXIT
cp -a "$base/." "$R/"
rlib="$R/usr/lib/$arch_triplet"
deb_version=$(in_root "$R" dpkg-query -W -f '${Version}' liburing2)
qemu_version=$(in_root "$R" dpkg-query -W -f '${Version}' qemu-utils)
echo "dropin: root $(basename "$R"): liburing2 $deb_version, qemu-utils $qemu_version"

# traced_in NAME SO WANT CMD...: run CMD in the root with an empty environment,
# under the root's own strace -k (so that the paths it reports, and the files
# its unwinder opens, are the root's), with a /proc mounted in a private mount
# namespace that disappears with the command. Every io_uring system call of
# CMD must come from SO, a path inside the root (and, when WANT is not empty,
# some io_uring_setup stack must have a frame matching WANT).
run_no=0
traced_in() {
	local name=$1 so=$2 want=$3
	shift 3
	run_no=$((run_no + 1))
	local t="/tmp/trace$run_no" rc=0
	mkdir -p "$R$t"
	unshare --mount --propagation private sh -c '
		r=$1; t=$2; shift 2
		mount -t proc proc "$r/proc" || exit 99
		exec chroot "$r" /usr/bin/env -i /usr/bin/strace -qq -ff -k -o "$t/st" \
			-e trace=io_uring_setup,io_uring_enter "$@"' sh "$R" "$t" "$@" >"$R$t/out" 2>&1 || rc=$?
	local ok=1
	if [ $rc -ne 0 ] || grep -q 'Pattern verification failed' "$R$t/out"; then
		sed 's/^/    /' "$R$t/out" | tail -20
		echo "dropin:   $name: failed ($rc)"
		ok=0
	elif ! check_uring_stacks "$name" "$R$t/st" "$so" "$want"; then
		ok=0
	fi
	[ "${DROPIN_KEEP:-0}" = 1 ] || rm -rf "${R:?}$t"
	[ $ok = 1 ]
}

qemu_io_check() { # NAME SO [WANT]
	truncate -s 8M "$R/tmp/q.img"
	traced_in "$1" "$2" "${3:-}" /usr/bin/qemu-io -f raw -i io_uring -n \
		-c 'write -P 0x5a 0 2M' -c 'aio_write -P 0xa5 2M 1M' -c 'aio_write -P 0x3c 3M 1M' -c 'aio_flush' \
		-c 'read -P 0x5a 0 2M' -c 'read -P 0xa5 2M 1M' -c 'read -P 0x3c 3M 1M' -c 'read -P 0 4M 4M' /tmp/q.img
}

# 1. Control: before our packages, the root's qemu-io is on Debian's library.
debian_so=$(readlink -f "$rlib/liburing.so.2")
debian_so_in=${debian_so#"$R"}
if qemu_io_check "before/qemu-io" "$debian_so_in"; then
	pass "deb root: before the upgrade, qemu-io in the root runs on Debian's $(basename "$debian_so")"
else
	fail "deb root: control run on Debian's liburing2 failed"
fi

# 2. Install with dpkg -i, no force options.
cp "$deb_lib" "$deb_dev" "$R/tmp/"
if in_root "$R" dpkg -i "/tmp/$(basename "$deb_lib")" "/tmp/$(basename "$deb_dev")" >"$R.dpkg.log" 2>&1; then
	ok=1
	v=$(in_root "$R" dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' liburing2 liburing-dev | sed 's/ *$//' | tr '\n' ' ')
	[ "$v" = "liburing-dev $our_version ii liburing2 $our_version ii " ] || { echo "dropin:   installed state: $v"; ok=0; }
	[ "$(readlink "$rlib/liburing.so.2")" = liburing.so.2.15 ] || { echo "dropin:   liburing.so.2 -> $(readlink "$rlib/liburing.so.2")"; ok=0; }
	cmp -s "$rlib/liburing.so.2.15" "$deb_files/usr/lib/$arch_triplet/liburing.so.2.15" ||
		{ echo "dropin:   the root's liburing.so.2.15 is not the one in our package"; ok=0; }
	# Debian's file is gone, unless it has our file's name (sid's 2.15).
	[ "$(basename "$debian_so")" = liburing.so.2.15 ] || [ ! -e "$debian_so" ] ||
		{ echo "dropin:   Debian's $(basename "$debian_so") is still there"; ok=0; }
	verify=$(in_root "$R" dpkg --verify liburing2 liburing-dev 2>&1)
	[ -z "$verify" ] || { echo "dropin:   dpkg --verify: $verify"; ok=0; }
	audit=$(in_root "$R" dpkg --audit 2>&1)
	[ -z "$audit" ] || { echo "dropin:   dpkg --audit: $audit"; ok=0; }
	in_root "$R" apt-get check >"$R.check.log" 2>&1 || { cat "$R.check.log"; ok=0; }
	in_root "$R" dpkg-query -W -f '${db:Status-Abbrev}' qemu-utils | grep '^ii' >/dev/null ||
		{ echo "dropin:   qemu-utils is no longer installed"; ok=0; }
	cache=$(in_root "$R" ldconfig -p | awk '$1 == "liburing.so.2" {print $NF}')
	[ "$(readlink -f "$R$cache")" = "$rlib/liburing.so.2.15" ] || { echo "dropin:   ld.so.cache: liburing.so.2 => $cache"; ok=0; }
	if [ $ok = 1 ]; then
		pass "deb root: dpkg -i upgraded Debian's liburing2 $deb_version to $our_version; files verified, qemu-utils still satisfied, ld.so.cache points at liburing.so.2.15"
	else
		sed 's/^/    /' "$R.dpkg.log"
		fail "deb root: the installed state is not right"
	fi
else
	sed 's/^/    /' "$R.dpkg.log"
	fail "deb root: dpkg -i of our packages failed"
fi
rm -f "$R.dpkg.log" "$R.check.log"

# The manual pages of our liburing-dev, found by man-db in the root.
manpage=$(in_root "$R" man -P cat io_uring_prep_recv 2>&1 || true)
npages=$(in_root "$R" dpkg -L liburing-dev | grep -c '^/usr/share/man/man[237]/.*\.gz$' || true)
if grep -q 'io_uring_prep_recv_multishot' <<<"$manpage" && grep -q 'liburing-rs' <<<"$manpage" &&
	[ "$(in_root "$R" man -w io_uring_prep_recv)" = /usr/share/man/man3/io_uring_prep_recv.3.gz ]; then
	pass "deb root: man io_uring_prep_recv shows our page after dpkg -i ($npages pages and links in liburing-dev)"
else
	echo "$manpage" | head -5 | sed 's/^/    /'
	fail "deb root: man io_uring_prep_recv does not show our page"
fi

# 3. No environment variable: Debian's programs and a freshly built one run on ours.
ours_in_root="/usr/lib/$arch_triplet/liburing.so.2.15"
# Debian's own liburing is built without unwind tables, so only with ours can
# the stacks reach qemu: there, its block layer's ring must be one
# of those set up through our library.
# Where qemu sets that ring up: luring_init in its io_uring block driver up
# to qemu 10.0 (bookworm, trixie); from 10.1 (sid) the event loop's ring,
# which block I/O with aio=io_uring goes through, fdmon_io_uring_setup.
qemu_ring='[(](luring_init|fdmon_io_uring_setup)[+]'
if qemu_io_check "after/qemu-io" "$ours_in_root" "$qemu_ring"; then
	pass "deb root: Debian's qemu-io ($qemu_version) runs on our liburing.so.2 with no environment variable, data verified"
else
	fail "deb root: qemu-io on our installed package"
fi
head -c 5M /dev/urandom >"$R/tmp/src.raw"
head -c 1M /dev/zero >>"$R/tmp/src.raw"
head -c 2M /dev/urandom >>"$R/tmp/src.raw"
in_root "$R" qemu-img create -q -f qcow2 /tmp/mid.qcow2 8M
truncate -s 8M "$R/tmp/back.raw"
if traced_in "after/convert-to-qcow2" "$ours_in_root" "$qemu_ring" /usr/bin/qemu-img convert -n \
	--image-opts driver=raw,file.driver=file,file.filename=/tmp/src.raw,file.aio=io_uring \
	--target-image-opts driver=qcow2,file.driver=file,file.filename=/tmp/mid.qcow2,file.aio=io_uring &&
	traced_in "after/convert-to-raw" "$ours_in_root" "$qemu_ring" /usr/bin/qemu-img convert -n \
		--image-opts driver=qcow2,file.driver=file,file.filename=/tmp/mid.qcow2,file.aio=io_uring \
		--target-image-opts driver=raw,file.driver=file,file.filename=/tmp/back.raw,file.aio=io_uring &&
	cmp "$R/tmp/src.raw" "$R/tmp/back.raw"; then
	pass "deb root: qemu-img convert raw -> qcow2 -> raw with aio=io_uring on our package, output identical (cmp)"
else
	fail "deb root: qemu-img convert round trip on our package"
fi
flags=$(PKG_CONFIG_SYSROOT_DIR="$R" PKG_CONFIG_LIBDIR="$rlib/pkgconfig" pkg-config --cflags --libs liburing)
# Built on this machine but against the root only (--sysroot: its libc, its
# kernel headers, its liburing-dev).
# shellcheck disable=SC2086
if cc --sysroot="$R" -std=gnu11 -O2 -Wall -Wextra -Werror "$top/capi-tests/dropin/consumer/uring_consumer.c" \
	-o "$R/tmp/uring_consumer" $flags 2>"$R.cc.log" &&
	traced_in "after/consumer" "$ours_in_root" "" /tmp/uring_consumer /tmp/consumer.scratch; then
	pass "deb root: a program built with pkg-config against the installed liburing-dev runs on the packaged library"
else
	cat "$R.cc.log" 2>/dev/null
	fail "deb root: program built against liburing-dev"
fi
rm -f "$R.cc.log"

# 4. Back to Debian's package.
# back_is_debian DEB: every liburing file in the root's library directory is
# one of Debian's package DEB, byte for byte, and DEB's are all there.
back_is_debian() {
	local x="$R.debian-files" f ok=0
	rm -rf "$x" && dpkg-deb -x "$1" "$x" || return 1
	for f in "$rlib"/liburing*; do
		[ -e "$f" ] || continue
		if [ -L "$f" ]; then
			[ "$(readlink "$f")" = "$(readlink "$x/usr/lib/$arch_triplet/$(basename "$f")" 2>/dev/null)" ] ||
				{ echo "dropin:   $(basename "$f") is not Debian's link"; ok=1; }
		else
			cmp -s "$f" "$x/usr/lib/$arch_triplet/$(basename "$f")" ||
				{ echo "dropin:   $(basename "$f") is not Debian's file"; ok=1; }
		fi
	done
	for f in "$x/usr/lib/$arch_triplet"/liburing*; do
		[ -e "$rlib/$(basename "$f")" ] || [ -L "$rlib/$(basename "$f")" ] ||
			{ echo "dropin:   Debian's $(basename "$f") is missing"; ok=1; }
	done
	rm -rf "$x"
	return $ok
}
debian_deb=$(ls "$R"/root/debian-debs/liburing2_*.deb 2>/dev/null | head -1)
if [ -z "$debian_deb" ]; then
	not_run debian-deb "deb root: Debian's liburing2 .deb was not kept in the base; cannot test going back"
elif in_root "$R" dpkg -r liburing-dev >/dev/null 2>&1 &&
	in_root "$R" dpkg -i "/root/debian-debs/$(basename "$debian_deb")" >"$R.back.log" 2>&1 &&
	[ "$(in_root "$R" dpkg-query -W -f '${Version}' liburing2)" = "$deb_version" ] &&
	back_is_debian "$debian_deb" &&
	qemu_io_check "back/qemu-io" "$debian_so_in"; then
	pass "deb root: dpkg -i of Debian's liburing2 $deb_version goes back cleanly (the library files are Debian's again, byte for byte; qemu-io on Debian's again)"
else
	cat "$R.back.log" 2>/dev/null
	fail "deb root: going back to Debian's liburing2"
fi
rm -f "$R.back.log"

# 5. The from-source way on the same Debian system: make install into
#    /usr/local and ldconfig; Debian's ld.so.conf lists /usr/local/lib first,
#    so qemu-io takes ours over Debian's liburing2 with no environment
#    variable; make uninstall and ldconfig give Debian's back.
if make -C "$top" --no-print-directory -s install PREFIX=/usr/local DESTDIR="$R" >"$R.make.log" 2>&1 &&
	in_root "$R" ldconfig &&
	qemu_io_check "usrlocal/qemu-io" /usr/local/lib/liburing.so.2.15 "$qemu_ring" &&
	make -C "$top" --no-print-directory -s uninstall PREFIX=/usr/local DESTDIR="$R" >>"$R.make.log" 2>&1 &&
	in_root "$R" ldconfig &&
	[ -z "$(find "$R/usr/local" -name '*uring*')" ] &&
	qemu_io_check "usrlocal-gone/qemu-io" "$debian_so_in"; then
	pass "deb root: make install PREFIX=/usr/local + ldconfig puts qemu-io on ours; make uninstall + ldconfig puts it back on Debian's"
else
	cat "$R.make.log" 2>/dev/null
	fail "deb root: make install into /usr/local on a Debian system"
fi
rm -f "$R.make.log"
[ "$failures" -eq 0 ]
