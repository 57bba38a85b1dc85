# Debian's build-dependents of liburing-dev, built from Debian's sources on
# our header and library against upstream's 2.15 in the same run
# (capi-tests/dependents/).
#
## test-dependents-smoke: PostgreSQL 18's liburing code compiled with -Werror on both headers; a plant
## test-dependents: PostgreSQL 18 and erofs-utils built and tested on each liburing, compared
#
#   make test-dependents-smoke  (in make test) the translation units of
#                               PostgreSQL 18 that include liburing.h
#                               (method_io_uring.c from Debian's source), with
#                               its own flags and -Werror, on both headers;
#                               plant: the old io_uring_for_each_cqe on a
#                               CQ-walking copy. 20 s here (first run: 60 s,
#                               fetch and configure)
#   make test-dependents        PostgreSQL 18 built twice (upstream's liburing,
#                               ours), its regression suite (make check) with
#                               io_method=io_uring and test_aio's TAP tests on
#                               both, compared; erofs-utils with its ublk backend,
#                               -Werror, on both, its tools run
#                               (dependents/erofs-utils.sh says what of it
#                               cannot run here). Times: COMPATIBILITY.md
#
# Needs: the archive (Debian's source packages); bison, flex, libipc-run-perl
# (installed when missing); root for the full run (PostgreSQL runs as an
# unprivileged user).

.PHONY: test-dependents test-dependents-smoke

TEST_TARGETS += test-dependents-smoke

test-dependents-smoke: all
	capi-tests/dependents/postgresql.sh smoke

test-dependents: all
	capi-tests/dependents/postgresql.sh full
	capi-tests/dependents/erofs-utils.sh
