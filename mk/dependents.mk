# Debian's build-dependents of liburing-dev, built from Debian's sources on
# our header and library against upstream's 2.15 in the same run
# (capi-tests/dependents/).
#
#   make test-dependents-smoke  (in make test) the translation units of
#                               PostgreSQL 18 that include liburing.h, with its
#                               own flags and -Werror, on both headers; plant
#   make test-dependents        PostgreSQL 18 built twice (upstream's liburing,
#                               ours), its regression suite with
#                               io_method=io_uring and its AIO TAP tests on both;
#                               erofs-utils with its ublk backend, -Werror, on
#                               both (dependents/erofs-utils.sh says what of it
#                               cannot run here)

.PHONY: test-dependents test-dependents-smoke

TEST_TARGETS += test-dependents-smoke

test-dependents-smoke: all
	capi-tests/dependents/postgresql.sh smoke

test-dependents: all
	capi-tests/dependents/postgresql.sh full
	capi-tests/dependents/erofs-utils.sh
