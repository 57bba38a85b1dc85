# Drop-in checks: exported symbols, struct layout, upstream's test suite in
# three modes, and the COMPATIBILITY.md table built from them.
#
#   make test-symbols        symbols, versions, SONAMEs and links of both .so
#   make test-layout         sizeof/offsetof of every public struct: upstream's
#                            headers vs ours (a generated C program)
#   make test-upstream       upstream's tests; MODES="abi source ffi",
#                            TESTS="nop.t cq-full.t", JOBS=2, TIMEOUT=60
#   make compat-results      copy the last run's per-mode results into
#                            capi-tests/upstream/results/ (committed)
#   make compat-doc          regenerate COMPATIBILITY.md
#   make test-compat-doc     fail when COMPATIBILITY.md is stale
#   make ensure-deps         install what the checks need (libclang for bindgen)

.PHONY: test-symbols test-layout test-upstream compat-results compat-doc \
	test-compat-doc ensure-deps

TEST_TARGETS += test-symbols test-layout test-upstream test-compat-doc

ensure-deps:
	@capi-tests/ensure-deps.sh

# src/layout_check.rs runs bindgen, which needs libclang at test time.
test-rust: ensure-deps

test-symbols: lib
	@capi-tests/check-symbols.sh

# Our headers are copied to build/include by `make headers` once they exist.
define refresh_headers
	@if [ -f include/liburing.h ]; then $(MAKE) --no-print-directory headers pkgconfig >/dev/null; fi
endef

test-layout:
	$(refresh_headers)
	@capi-tests/check-layout.sh

# The judge's planted regressions (capi-tests/upstream/judge-control.sh) run
# first: a judge that no longer sees one of them fails the target.
test-upstream: lib
	$(refresh_headers)
	@capi-tests/upstream/judge-control.sh
	@MODES="$(or $(MODES),abi source ffi)" TESTS="$(TESTS)" JOBS="$(or $(JOBS),2)" \
		TIMEOUT="$(or $(TIMEOUT),60)" capi-tests/upstream/run.sh

compat-results:
	@capi-tests/upstream/compat-doc.py --save-results

compat-doc: lib
	@capi-tests/upstream/compat-doc.py --write COMPATIBILITY.md

test-compat-doc: lib
	@capi-tests/upstream/compat-doc.py --check COMPATIBILITY.md
