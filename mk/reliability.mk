# Reliability (docs/RELIABILITY.md): fuzzing, bad-input table against
# upstream, sanitizers, valgrind, concurrency and fault tests.
#
#   make fuzz               each fuzz target for FUZZ_SECONDS (default 30)
#   make test-reliability   the quick deterministic checks (part of make test)
#   make sanitize           C tests with -fsanitize=address,undefined
#   make valgrind           C tests under valgrind --leak-check=full
#   make reliability-stress concurrency/fault tests, RUNS times (default 20)

FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= cq_ring ring_corrupt sq setup
FUZZ_WORK    := $(CURDIR)/target/reliability/fuzz-corpus
FUZZ_HISTORY := $(CURDIR)/target/reliability/fuzz-history.txt

# CI runs every fuzz target for FUZZ_SECONDS as part of make test.
TEST_TARGETS += test-reliability fuzz

.PHONY: fuzz fuzz-build test-reliability sanitize valgrind reliability-stress

# The setup target runs on the real kernel and compares /proc/self/maps
# around every input, which AddressSanitizer's allocator would disturb: it is
# built without a sanitizer, in its own target directory. The others use ASan
# on top of their guard pages.
define fuzz_opts
case $$t in setup) san="-s none --target-dir target/nosan";; *) san="";; esac
endef

fuzz-build:
	@command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz missing (cargo install cargo-fuzz)"; exit 1; }
	@cd fuzz && for t in $(FUZZ_TARGETS); do $(fuzz_opts); \
		cargo +nightly fuzz build -O $$san $$t || exit 1; done

# New inputs go to target/reliability/fuzz-corpus/<target>; the committed
# seeds in fuzz/corpus/<target> are read only. A crash leaves its input in
# fuzz/artifacts/<target>/ and fails the target.
fuzz: fuzz-build
	@mkdir -p $(dir $(FUZZ_HISTORY)); failed=""; \
	cd fuzz && for t in $(FUZZ_TARGETS); do $(fuzz_opts); \
		mkdir -p $(FUZZ_WORK)/$$t corpus/$$t; log=$(FUZZ_WORK)/$$t.log; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		cargo +nightly fuzz run -O $$san $$t $(FUZZ_WORK)/$$t corpus/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=4096 \
			-print_final_stats=1 >$$log 2>&1; rc=$$?; \
		runs=$$(awk '/stat::number_of_executed_units/ {print $$2}' $$log); \
		echo "$$(date -u +%FT%TZ) $$t seconds=$(FUZZ_SECONDS) execs=$${runs:-?} rc=$$rc" >> $(FUZZ_HISTORY); \
		if [ $$rc -ne 0 ]; then failed="$$failed $$t"; \
			grep -E "panicked|ERROR|SUMMARY|Test unit written" $$log | head -20; \
		else echo "fuzz: $$t ok, $$runs executions"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: FAILED:$$failed (logs in $(FUZZ_WORK))"; exit 1; fi
