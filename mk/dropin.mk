# Drop-in in the real world: unmodified Debian programs on our liburing.so.2,
# install layout, out-of-tree consumers, Debian packages (capi-tests/dropin/).

.PHONY: test-dropin deb

TEST_TARGETS += test-dropin

test-dropin: all
	capi-tests/dropin/run-all.sh

# Debian packages liburing2 + liburing-dev from this tree, in build/deb/;
# `make deb ARCH=arm64`: another architecture's, in build/arm64/deb/
# (capi-tests/arches/deb.sh: built by Debian sid's toolchain, mk/arches.mk).
deb: $(if $(ARCH),,all)
	$(if $(ARCH),capi-tests/arches/deb.sh --build $(ARCH),packaging/deb/build-deb.sh)
