# Upstream's test suite (capi-tests/upstream/): liburing 2.15's own tests in
# three modes, and the COMPATIBILITY.md table built from them.
#
## test-upstream: liburing 2.15's own tests in three modes on our library, judged against upstream's
## test-compat-doc: COMPATIBILITY.md is current and its results are of today's library code; plants
## test-upstream-delta: the delta list for upstream 2.15 is empty; five planted additions listed
## compat-results: copies the last full run's results into capi-tests/upstream/results/
## compat-doc: regenerates COMPATIBILITY.md
## upstream-delta: what UPSTREAM=<liburing source tree> has that we lack
#
#   make test-upstream       upstream's tests; MODES="abi source ffi",
#                            TESTS="nop.t cq-full.t", JOBS=2 (builds),
#                            RUN_JOBS=3 (tests at once in each first pass;
#                            those marked run=alone after them), TIMEOUT=60
#                            (run.sh, its judge capi-tests/lib/judge.py,
#                            judge-control.sh, expectations.txt)
#   make compat-results      copy the last full run's per-mode results into
#                            capi-tests/upstream/results/ (committed), with the
#                            commit run.sh tested (a TESTS= subset writes only
#                            subset.txt)
#   make compat-doc          regenerate COMPATIBILITY.md
#   make test-compat-doc     fail when COMPATIBILITY.md is stale, or when the
#                            committed results were produced at a commit whose
#                            library code differs from HEAD's (its planted
#                            regressions, compat-doc.py --control, run first)
#   make upstream-delta UPSTREAM=<liburing source tree>
#                            what that tree has and we lack: symbols per version
#                            node, liburing.h functions, io_uring.h names, man
#                            pages, tests (capi-tests/upstream/delta.py)
#   make test-upstream-delta the list for upstream 2.15 must be empty; then a
#                            symbol, helper, io_uring.h name, man page and test
#                            planted in a copy must each be listed
#
# Times here: test-upstream 457 s in make test on a fresh clone at 36f5a77
# (255 tests on upstream's library, then in each of the three modes, three at
# a time: 110, 97, 97 and 98 s), 440 s on its own; one at a time it took
# 680 s with upstream's library on 21 tests only (20233e0); test-compat-doc
# 6 s. Needs the upstream source, and
# io_uring features as upstream's tests ask (each test skips itself when the
# kernel lacks one, and is compared with upstream's own result here).

.PHONY: test-upstream compat-results compat-doc test-compat-doc upstream-delta test-upstream-delta

TEST_TARGETS += test-upstream test-compat-doc test-upstream-delta

# The judge's planted regressions (capi-tests/upstream/judge-control.sh) run
# first: a judge that no longer sees one of them fails the target.
# The whole reference (upstream's library, every test) runs first, in make
# test too; REFERENCE_SCOPE=needed runs only the tests the modes need it for
# (run.sh's header), a run compat-results refuses.
test-upstream: lib
	$(refresh_headers)
	@capi-tests/upstream/judge-control.sh
	@MODES="$(or $(MODES),abi source ffi)" TESTS="$(TESTS)" JOBS="$(or $(JOBS),2)" RUN_JOBS="$(or $(RUN_JOBS),3)" \
		REFERENCE_SCOPE="$(or $(REFERENCE_SCOPE),all)" \
		TIMEOUT="$(or $(TIMEOUT),60)" capi-tests/upstream/run.sh

compat-results:
	@capi-tests/upstream/compat-doc.py --save-results

compat-doc: lib
	@capi-tests/upstream/compat-doc.py --write COMPATIBILITY.md

test-compat-doc: lib
	@capi-tests/upstream/compat-doc.py --control
	@capi-tests/upstream/compat-doc.py --check COMPATIBILITY.md

upstream-delta:
	@test -n "$(UPSTREAM)" || { echo "usage: make upstream-delta UPSTREAM=<path to a liburing source tree>" >&2; exit 2; }
	@capi-tests/upstream/delta.py $(UPSTREAM)

test-upstream-delta:
	@up=$$(capi-tests/fetch-upstream.sh) && capi-tests/upstream/delta.py --expect-empty "$$up" && \
		capi-tests/upstream/delta.py --control "$$up"
