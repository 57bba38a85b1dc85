# Memory ordering (capi-tests/ordering/): docs/ORDERING.md against the code,
# herd7 (rc11.cat) on litmus tests generated from the C header, then the loom
# model of the ring protocol over the real ring code, and one planted
# regression per acquire, release and fence (docs/ORDERING.md).
#
## test-ordering: docs/ORDERING.md against the code, herd7 on the header, loom on the ring code; plants
#
#   make test-ordering   table check (+ its 5 planted regressions), herd7 on
#                        the header's 6 litmus tests, generated from its
#                        acquires and releases (+ 6 relaxed plants, one per
#                        header acquire/release, and a header edit, all must
#                        fail; in the sid root), the loom build (RUSTFLAGS=
#                        "--cfg loom", target/loom), every scenario on the
#                        real code, every one of the 6 planted barrier bugs
#                        caught
#
# 77-80 s here from an empty target/loom (its build about 50 s), 20-31 s with
# nothing to rebuild; herd7 under 1 s. Needs crates.io (loom) on the first
# build, python3, and the Debian sid root (capi-tests/arches/root.sh) with
# herdtools7, installed there when missing (SKIP=root, SKIP=arches-root).


TEST_TARGETS += test-ordering

.PHONY: test-ordering
test-ordering:
	CARGO="$(CARGO)" capi-tests/ordering/run.py
