# Drop-in in the real world: unmodified Debian programs on our liburing.so.2,
# install layout, out-of-tree consumers, Debian packages (capi-tests/dropin/;
# `make deb` is in mk/debian.mk).

.PHONY: test-dropin

TEST_TARGETS += test-dropin

test-dropin: all
	capi-tests/dropin/run-all.sh
