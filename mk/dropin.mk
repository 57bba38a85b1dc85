# Drop-in in the real world: unmodified Debian programs on our liburing.so.2,
# install layout, out-of-tree consumers, Debian packages (capi-tests/dropin/;
# its packages are the source package's, packaging/debian-build.sh ensure;
# `make deb` is in mk/debian.mk).
#
## test-dropin: unmodified Debian programs, the install layout, out-of-tree builds, our .debs
## test-dropin-suites: our .debs over Debian's liburing2 in trixie and sid roots, and back
#
# 4 min 40 s here (read from a full make test run). Needs root (chroot,
# dpkg -i), apt-get (qemu-utils, strace, pkg-config, cmake, mmdebstrap) and a
# Debian archive for the minbase root of deb-root.sh (built once by
# capi-tests/lib/debian-root.sh, reused afterwards).

# test-dropin-suites is the Debian package part (dropin/deb-root.sh) in
# trixie and sid roots too (test-dropin does this machine's release): install
# over Debian's liburing2, Debian's qemu-io/qemu-img on ours, back to Debian's.

.PHONY: test-dropin test-dropin-suites

TEST_TARGETS += test-dropin

test-dropin: all
	capi-tests/dropin/run-all.sh

test-dropin-suites: all
	@s=0; for suite in trixie sid; do \
		echo "--- dropin/deb-root ($$suite)"; \
		DROPIN_SUITE=$$suite capi-tests/dropin/deb-root.sh || s=1; \
	done; exit $$s
