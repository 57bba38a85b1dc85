# Drop-in in the real world: unmodified Debian programs on our liburing.so.2,
# install layout, out-of-tree consumers, Debian packages (capi-tests/dropin/;
# its packages by packaging/deb/build-deb.sh; `make deb` is in mk/debian.mk).
#
## test-dropin: unmodified Debian programs, the install layout, out-of-tree builds, our .debs
#
# 4 min 40 s here (read from a full make test run). Needs root (chroot,
# dpkg -i), apt-get (qemu-utils, strace, pkg-config, cmake, debootstrap) and a
# Debian archive for the debootstrap root (reused afterwards).

.PHONY: test-dropin

TEST_TARGETS += test-dropin

test-dropin: all
	capi-tests/dropin/run-all.sh
