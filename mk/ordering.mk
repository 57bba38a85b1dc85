# Memory ordering (capi-tests/ordering/): docs/ORDERING.md against the code,
# herd7 (rc11.cat) on litmus tests generated from the C header, then the loom
# model of the ring protocol over the real ring code, and one planted
# regression per acquire, release and fence (docs/ORDERING.md).
#
#   make test-ordering   table check (+ its planted regressions), herd7 on
#                        the header's litmus tests (+ one relaxed plant per
#                        header acquire/release; in the sid root), the loom
#                        build (RUSTFLAGS="--cfg loom", target/loom), every
#                        scenario on the real code, every plant caught

TEST_TARGETS += test-ordering

.PHONY: test-ordering
test-ordering:
	CARGO="$(CARGO)" capi-tests/ordering/run.py
