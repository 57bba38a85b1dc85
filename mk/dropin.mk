# Drop-in in the real world: unmodified Debian programs on our liburing.so.2,
# install layout, out-of-tree consumers, Debian packages (capi-tests/dropin/).

.PHONY: test-dropin deb

TEST_TARGETS += test-dropin

test-dropin: all
	capi-tests/dropin/run-all.sh

# Debian packages liburing2 + liburing-dev from this tree, in build/deb/.
deb: all
	packaging/deb/build-deb.sh
