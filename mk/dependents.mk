# Debian's build-dependents of liburing-dev, built from Debian's sources on
# our header and library against upstream's 2.15 in the same run
# (capi-tests/dependents/).
#
## test-dependents-smoke: the liburing.h translation units of PostgreSQL 18, erofs-utils and memcached, -Werror, both headers; 3 plants
## test-dependents: PostgreSQL 18, erofs-utils and memcached built and tested on each liburing, Debian's postgresql-18 binary (installcheck, test_aio) on ours, compared
## test-dependents-doc: COMPATIBILITY.md's build-dependents section against dependents/results/; its plants first
## dependents-results: records the last test-dependents runs in capi-tests/dependents/results/
## dependents-served: asks the archive which of the 20 build-dependents' sources it serves (results/served.txt)
#
#   make test-dependents-smoke  (in make test) the translation units that
#                               include liburing.h, from Debian's sources,
#                               each with its package's own flags and
#                               -Werror, on upstream's header and ours:
#                               PostgreSQL 18's method_io_uring.c (plant: the
#                               old io_uring_for_each_cqe on a CQ-walking
#                               copy), erofs-utils' lib/backends/ublk.c
#                               (plant: no io_uring_queue_init_params
#                               declared) and memcached's 16 proxy units
#                               (-pedantic kept a warning, as upstream's
#                               header warns there: ours may warn of nothing
#                               more; plant: struct io_uring undefined).
#                               7 s here on a quiet machine (1 + 2 + 4),
#                               30 to 65 s under load; first run about
#                               150 s (fetch, autoreconf, configure)
#   make test-dependents        PostgreSQL 18 built twice (upstream's liburing,
#                               ours), its regression suite (make check) with
#                               io_method=io_uring and test_aio's TAP tests on
#                               both, compared; erofs-utils with its ublk backend,
#                               -Werror, on both, its tools run
#                               (dependents/erofs-utils.sh says what of it
#                               cannot run here); memcached with its proxy's
#                               io_uring option on both, make test on both
#                               (dependents/memcached.sh: it calls no liburing
#                               function); Debian's own binary postgresql-18
#                               (postgresql-debian.sh: in a throwaway copy of
#                               the sid root of capi-tests/arches/root.sh) with
#                               io_method=io_uring on Debian's liburing2 and on
#                               ours through LD_LIBRARY_PATH, the postmaster's
#                               maps and io_uring fds proven, installcheck and
#                               test_aio's TAP tests on both (pg_regress and
#                               test_aio.so built from the source; the tests'
#                               postmasters' maps sampled; 5 min).
#                               Each driver has a plant and leaves a record,
#                               target/dependents/<package>/record.txt.
#                               Times: COMPATIBILITY.md
#   make dependents-results     copy those records (complete runs of committed
#                               library code only) into
#                               capi-tests/dependents/results/; then
#                               make compat-doc, and commit both
#   make dependents-served      served.sh: for each of the 20 source packages
#                               that build-depend on liburing-dev, sid's version
#                               and which of its files the archive serves
#                               (HTTP HEAD, sizes from the signed index); 10 s
#   make test-dependents-doc    (in make test) dependents-doc.py --control (an
#                               edited figure, results older than the last
#                               library change, a recorded failure, no results:
#                               each refused), then --check COMPATIBILITY.md. 1 s
#
# Needs: the archive (Debian's source packages); bison, flex, libipc-run-perl,
# libevent-dev, liblua5.4-dev, autoconf, automake (installed when missing);
# root for the full run (PostgreSQL runs as an unprivileged user).

.PHONY: test-dependents test-dependents-smoke test-dependents-doc dependents-results dependents-served

TEST_TARGETS += test-dependents-smoke test-dependents-doc

test-dependents-smoke: all
	@s=0; \
	capi-tests/dependents/postgresql.sh smoke || s=1; \
	capi-tests/dependents/erofs-utils.sh smoke || s=1; \
	capi-tests/dependents/memcached.sh smoke || s=1; \
	exit $$s

test-dependents: all
	@s=0; \
	capi-tests/dependents/postgresql.sh full || s=1; \
	capi-tests/dependents/erofs-utils.sh || s=1; \
	capi-tests/dependents/memcached.sh || s=1; \
	capi-tests/dependents/postgresql-debian.sh || s=1; \
	exit $$s

test-dependents-doc:
	@capi-tests/dependents/dependents-doc.py --control
	@capi-tests/dependents/dependents-doc.py --check COMPATIBILITY.md

dependents-results:
	@capi-tests/dependents/dependents-doc.py --save-results

dependents-served:
	@capi-tests/dependents/served.sh
