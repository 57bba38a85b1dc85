# Reliability (docs/RELIABILITY.md): fuzzing, bad-input table against
# upstream, sanitizers, valgrind, concurrency and fault tests.
#
## test-reliability: tour, bad-input table and setup differential against upstream; quick stress
## sanitize: our C tests under -fsanitize=address,undefined; capi judged against its exceptions
## fuzz: each fuzz target for FUZZ_SECONDS (default 20)
## fuzz-build: the fuzz targets built with the nightly toolchain (cargo fuzz)
## valgrind: C tests under valgrind --leak-check=full
## reliability-stress: the concurrency and fault tests, RUNS times (default 20)
## reliability-doc: docs/RELIABILITY.md's bad-input table from the last test-reliability run
#
#   make fuzz               each fuzz target for FUZZ_SECONDS (default 20; in fuzz/)
#   make test-reliability   the quick deterministic checks (part of make test)
#   make sanitize           C tests with -fsanitize=address,undefined
#   make valgrind           C tests under valgrind --leak-check=full
#   make reliability-stress concurrency/fault tests, RUNS times (default 20)
#
# Times here: test-reliability 52 s (read from a full make test run);
# sanitize 85 s (68 s in a full make test run); fuzz 13 min (in a full make
# test run: 5 targets x FUZZ_SECONDS=20 plus their nightly builds, 104 s from
# clean); valgrind 12 s.
# Needs: upstream built from source; fuzz: the nightly toolchain and
# cargo-fuzz (installed from crates.io on first use); sanitize: gcc's
# ASan/UBSan; valgrind: valgrind.
# capi-tests/reliability/figures.py: the figures docs/RELIABILITY.md quotes,
# recorded by these targets in target/reliability/figures.txt and checked
# against the document.

FUZZ_SECONDS ?= 20
FUZZ_TARGETS ?= cq_ring ring_corrupt sq setup prep
FUZZ_WORK    := $(CURDIR)/target/reliability/fuzz-corpus
FUZZ_HISTORY := $(CURDIR)/target/reliability/fuzz-history.txt
# Fuzzers at once (each for FUZZ_SECONDS): one per CPU by default.
FUZZ_JOBS    ?= $(shell nproc)

# CI runs every fuzz target for FUZZ_SECONDS as part of make test; the
# sanitizer run takes seconds, so it is part of it too.
TEST_TARGETS += test-reliability sanitize fuzz

.PHONY: fuzz fuzz-build test-reliability sanitize valgrind reliability-stress

# The setup target runs on the real kernel and compares /proc/self/maps
# around every input, which AddressSanitizer's allocator would disturb: it is
# built without a sanitizer, in its own target directory. The others use ASan
# on top of their guard pages.
define fuzz_opts
case $$t in setup) san="-s none --target-dir target/nosan";; *) san="";; esac
endef

# The nightly toolchain and cargo-fuzz, installed on first use; $$why says
# what is missing when they cannot be had (then the target fails, unless
# SKIP=fuzz: capi-tests/skip.sh).
define fuzz_tools
{ rustup run nightly rustc --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal \
	|| { why="the nightly toolchain (for cargo fuzz) is missing and could not be installed"; false; }; } && \
{ command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz \
	|| { why="cargo-fuzz is missing and 'cargo install cargo-fuzz' failed"; false; }; }
endef

fuzz-build:
	@$(fuzz_tools) || { capi-tests/skip.sh fuzz $@ "$$why"; exit; }; \
	cd fuzz && for t in $(FUZZ_TARGETS); do $(fuzz_opts); \
		cargo +nightly fuzz build -O $$san $$t || exit 1; done

# New inputs go to target/reliability/fuzz-corpus/<target>; the committed
# seeds in fuzz/corpus/<target> are read only. A crash leaves its input in
# fuzz/artifacts/<target>/ and fails the target.
fuzz:
	@$(fuzz_tools) || { capi-tests/skip.sh fuzz $@ "$$why"; exit; }; \
	$(MAKE) --no-print-directory fuzz-build || exit 1; \
	gen=$$(ls -t $$(find fuzz/target -name prep_dispatch.rs) | head -n 1); \
	$(FIGURES) set prep-helpers "$$(sed -n 's/.*PREP_COUNT: usize = \([0-9]*\);.*/\1/p' $$gen)" && \
	$(FIGURES) check --only prep-helpers docs/RELIABILITY.md || exit 1; \
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_WORK=$(FUZZ_WORK) FUZZ_HISTORY=$(FUZZ_HISTORY) FUZZ_JOBS=$(FUZZ_JOBS) \
		$(RELIAB_SRC)/fuzz-run.sh $(FUZZ_TARGETS)

# ---------------------------------------------------------------- C tests

RELIAB_SRC    := capi-tests/reliability
RELIAB_OUT    := $(CURDIR)/target/reliability
RELIAB_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
RUNS          ?= 20
# Headers are only needed (and only built) once include/ exists.
RELIAB_HDRS   := $(if $(wildcard include/liburing.h),headers)
STRESS_QUICK  := "overflow 20000" eintr dontfork "mt-nop 200000" "mt-nop 200000 sqpoll"
STRESS_FULL   := "overflow 100000" eintr dontfork "mt-nop 10000000" "mt-nop 10000000 sqpoll"

# Shell prelude of every recipe below: upstream 2.15 configured and built once
# for every user ($$up, capi-tests/lib/upstream-build.sh), and
# picks the header ($$inc): ours once include/liburing.h exists, upstream's
# configured one until then (the C tests use only the documented API).
reliab_env = set -e; mkdir -p $(RELIAB_OUT)/upstream-lib; \
	up=$$(capi-tests/lib/upstream-build.sh); \
	ln -sf $$up/src/liburing.so.2.15 $(RELIAB_OUT)/upstream-lib/liburing.so.2; \
	if [ -f include/liburing.h ]; then inc=$(CURDIR)/$(INCOUT); else inc=$$up/src/include; fi

# Figures docs/RELIABILITY.md quotes, recorded by the targets that measure
# them (target/reliability/figures.txt) and checked against the document's
# marked numbers right away (capi-tests/reliability/figures.py).
FIGURES := $(RELIAB_SRC)/figures.py
# $(call reliab_tour,COMMAND,NAME,KEY): run the tour, record its count as
# KEY and check it (under ASan the tour leaves its mappings check out).
reliab_tour = $(1) > $(RELIAB_OUT)/$(2).out; cat $(RELIAB_OUT)/$(2).out; \
	$(FIGURES) set $(3) "$$(sed -n 's/^tour: \([0-9]*\) checks passed.*/\1/p' $(RELIAB_OUT)/$(2).out)"; \
	$(FIGURES) check --only $(3) docs/RELIABILITY.md

# stress.c against whichever liburing.so.2 LD_LIBRARY_PATH finds.
reliab_stress = $(CC) $(RELIAB_CFLAGS) -I$$inc $(RELIAB_SRC)/stress.c -o $(RELIAB_OUT)/stress \
	-L$(CURDIR)/$(LIBOUT) -luring -lpthread

test-reliability: lib $(RELIAB_HDRS)
	@$(reliab_env); \
	$(CC) $(RELIAB_CFLAGS) -I$$inc $(RELIAB_SRC)/badinput.c -o $(RELIAB_OUT)/badinput -ldl; \
	$(CC) $(RELIAB_CFLAGS) -I$$inc $(RELIAB_SRC)/setup_diff.c -o $(RELIAB_OUT)/setup_diff -ldl; \
	$(reliab_stress); \
	$(CC) $(RELIAB_CFLAGS) -I$$inc $(RELIAB_SRC)/tour.c -o $(RELIAB_OUT)/tour -L$(CURDIR)/$(LIBOUT) -luring; \
	echo "== tour of the success paths, upstream 2.15 then ours"; \
	LD_LIBRARY_PATH=$(RELIAB_OUT)/upstream-lib $(RELIAB_OUT)/tour; \
	$(call reliab_tour,LD_LIBRARY_PATH=$(CURDIR)/$(LIBOUT) $(RELIAB_OUT)/tour,tour,tour-checks); \
	$(FIGURES) --control; \
	echo "== bad-input table against upstream 2.15 ($(RELIAB_OUT)/badinput.md)"; \
	rc=0; $(RELIAB_OUT)/badinput $$up/src/liburing.so.2.15 $(CURDIR)/$(SO) liburing.map --markdown \
		> $(RELIAB_OUT)/badinput.md || rc=$$?; \
	grep -E "FAIL|without a case|cases:" $(RELIAB_OUT)/badinput.md || true; \
	[ $$rc -eq 0 ]; \
	$(RELIAB_SRC)/badinput-compare.sh --control; \
	$(RELIAB_SRC)/badinput-compare.sh --plants $(RELIAB_OUT)/badinput $$up/src/liburing.so.2.15 $(CURDIR)/$(SO) liburing.map; \
	$(RELIAB_SRC)/badinput-compare.sh $(RELIAB_OUT)/badinput.md docs/RELIABILITY.md; \
	echo "== setup differential against upstream 2.15"; \
	$(RELIAB_OUT)/setup_diff $$up/src/liburing.so.2.15 $(CURDIR)/$(SO) 2000 fuzz/corpus/setup; \
	echo "== concurrency and faults (quick)"; \
	for m in $(STRESS_QUICK); do LD_LIBRARY_PATH=$(CURDIR)/$(LIBOUT) $(RELIAB_OUT)/stress $$m; done

# The full concurrency/fault tests, RUNS times in a row on our library,
# after one run on upstream's that shows the tests themselves are right.
reliability-stress: lib $(RELIAB_HDRS)
	@$(reliab_env); $(reliab_stress); \
	echo "== once on upstream 2.15"; \
	for m in $(STRESS_FULL); do LD_LIBRARY_PATH=$(RELIAB_OUT)/upstream-lib $(RELIAB_OUT)/stress $$m; done; \
	for i in $$(seq $(RUNS)); do echo "== run $$i of $(RUNS) on ours"; \
		for m in $(STRESS_FULL); do LD_LIBRARY_PATH=$(CURDIR)/$(LIBOUT) $(RELIAB_OUT)/stress $$m; done; \
	done; echo "reliability-stress: $(RUNS) runs passed"

# Our C tests with AddressSanitizer and UndefinedBehaviorSanitizer on the C
# side, against our library: the demo copy and the stress modes, then the C
# ABI tests, judged by sanitize-capi.sh: only the checks named in
# sanitize-exceptions.txt may fail (mapping counts ASan's allocator moves).
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize: lib $(RELIAB_HDRS)
	@$(reliab_env); d=$(RELIAB_OUT)/san; mkdir -p $$d; \
	$(CC) $(RELIAB_CFLAGS) $(SAN_FLAGS) -I$$inc capi-tests/demo/demo.c -o $$d/demo -L$(CURDIR)/$(LIBOUT) -luring; \
	$(CC) $(RELIAB_CFLAGS) $(SAN_FLAGS) -I$$inc $(RELIAB_SRC)/stress.c -o $$d/stress \
		-L$(CURDIR)/$(LIBOUT) -luring -lpthread; \
	$(CC) $(RELIAB_CFLAGS) $(SAN_FLAGS) -I$$inc $(RELIAB_SRC)/tour.c -o $$d/tour -L$(CURDIR)/$(LIBOUT) -luring; \
	export LD_LIBRARY_PATH=$(CURDIR)/$(LIBOUT) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1; \
	head -c 3000000 /dev/urandom > $$d/src; $$d/demo $$d/src $$d/dst; cmp $$d/src $$d/dst; \
	$(call reliab_tour,$$d/tour,tour-san,tour-checks-asan); for m in $(STRESS_QUICK); do $$d/stress $$m; done; \
	echo "sanitize: demo, tour and stress clean under -fsanitize=address,undefined"; \
	$(MAKE) --no-print-directory capi-build CAPI_OUT=$$d/capi \
		CAPI_CFLAGS="$(CAPI_CFLAGS) $(SAN_FLAGS)" >/dev/null; \
	$(RELIAB_SRC)/sanitize-capi.sh --control; \
	CAPI_NOPS=1000000 $(RELIAB_SRC)/sanitize-capi.sh $(CAPI_DIR)/run-capi.sh $$d/capi $(CURDIR)/$(LIBOUT) \
		$$d/capi.log $(CAPI_PROGS); \
	sum=$$(grep -E '^capi: [0-9]+ passed, [0-9]+ failed$$' $$d/capi.log | tail -n 1); \
	$(FIGURES) set sanitize-capi-passed "$$(echo "$$sum" | awk '{print $$2}')"; \
	$(FIGURES) set sanitize-capi-failed "$$(echo "$$sum" | awk '{print $$4}')"; \
	$(FIGURES) check --only sanitize-capi-passed,sanitize-capi-failed docs/RELIABILITY.md

# Single-threaded modes only: valgrind 3.19 holds its big lock across
# io_uring_enter (it does not know the call can block), so a thread waiting
# there for another thread's submission, or for a signal, never returns
# (with upstream's library as with ours).
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect
valgrind: lib $(RELIAB_HDRS)
	@$(reliab_env); d=$(RELIAB_OUT)/vg; mkdir -p $$d; \
	$(CC) -std=gnu11 -O1 -g -Wall -I$$inc capi-tests/demo/demo.c -o $$d/demo -L$(CURDIR)/$(LIBOUT) -luring; \
	$(CC) -std=gnu11 -O1 -g -Wall -I$$inc $(RELIAB_SRC)/stress.c -o $$d/stress \
		-L$(CURDIR)/$(LIBOUT) -luring -lpthread; \
	$(CC) -std=gnu11 -O1 -g -Wall -I$$inc $(RELIAB_SRC)/tour.c -o $$d/tour -L$(CURDIR)/$(LIBOUT) -luring; \
	export LD_LIBRARY_PATH=$(CURDIR)/$(LIBOUT); \
	head -c 3000000 /dev/urandom > $$d/src; $(VALGRIND) $$d/demo $$d/src $$d/dst; cmp $$d/src $$d/dst; \
	$(call reliab_tour,$(VALGRIND) $$d/tour,tour-vg,tour-checks); \
	for m in "overflow 5000" dontfork; do \
		$(VALGRIND) $$d/stress $$m; done; \
	echo "valgrind: 0 errors, 0 bytes definitely or indirectly lost"

# docs/RELIABILITY.md's bad-input table from the last test-reliability run.
.PHONY: reliability-doc
reliability-doc:
	@$(RELIAB_SRC)/update-doc.sh
