# Benchmarks against upstream liburing 2.15 (benches/, BENCHMARKS.md).
#
## test-bench-smoke: every workload once, briefly, in every form: results and the library loaded, not speed
## bench-smoke: the same as test-bench-smoke
## bench: every workload over several rounds, then callgrind counts: target/bench/results.*
## test-instructions: instructions per NOP at most upstream's + 1 % on x86_64 and i386; libc plant caught
## bench-build: the libraries, then every benches/*.c program in both builds
## bench-bins: the benches/*.c programs, target/bench/up/ and target/bench/ours/
## bench-upstream: upstream 2.15 built (capi-tests/lib/upstream-build.sh), linked at target/bench/upstream
#
#   make bench          build everything, run all workloads over several rounds
#                       (upstream and ours alternating; 15 rounds of every
#                       workload), then count instructions per operation with
#                       callgrind; writes target/bench/results.* (not timed
#                       here; needs valgrind)
#   make bench-smoke    build everything and run each workload once, briefly, in
#                       every form: checks results and which library got loaded,
#                       not speed (test-bench-smoke, part of `make test`: 35 s
#                       here, upstream's build included)
#   make test-instructions  instructions per NOP at batch 1 and 32, ours against
#                       upstream in the same run, callgrind (exact counts): at most
#                       upstream + 1 % on x86_64 and i386, and the planted libc system-call path must fail
#                       it on both (benches/ir-check.sh and run.py --ir-check, i386
#                       by capi-tests/arches/bench-i386.sh; part of `make test`:
#                       52 s here, the x86_64 and i386 checks and their plants).
#                       Needs valgrind, and for i386 the Debian sid root
#                       (test-arches-smoke builds it)
#
# Each benches/*.c program is built twice from the same source:
#   target/bench/up/<prog>    upstream's header, linked with upstream's liburing.so
#   target/bench/ours/<prog>  our header (build/include), linked with build/lib/liburing.so
# and the up/ build also runs on our library (LD_LIBRARY_PATH=build/lib): the
# binary drop-in form. Upstream is built from source with its own configure
# and make, default options, by capi-tests/lib/upstream-build.sh (the one
# build every user shares); target/bench/upstream links to that tree (headers
# in src/include, libraries in src/).

BENCH_DIR     := target/bench
BENCH_UP      := $(BENCH_DIR)/upstream
BENCH_NAMES   := $(notdir $(basename $(wildcard benches/*.c)))
BENCH_UP_BINS := $(addprefix $(BENCH_DIR)/up/,$(BENCH_NAMES))
BENCH_OURS_BINS := $(addprefix $(BENCH_DIR)/ours/,$(BENCH_NAMES))
BENCH_CFLAGS  ?= -O2 -g -std=gnu11 -Wall -Wextra -Werror
BENCH_ARGS    ?=
# The source form needs our header; until include/liburing.h exists only the
# upstream and binary drop-in forms are built (the runner says so).
BENCH_HAVE_HEADER := $(wildcard include/liburing.h)

TEST_TARGETS += test-bench-smoke test-instructions

.PHONY: bench bench-smoke test-bench-smoke test-instructions bench-build bench-bins bench-upstream

bench: bench-build
	python3 benches/run.py $(BENCH_ARGS)

bench-smoke test-bench-smoke: bench-build
	python3 benches/run.py --smoke

test-instructions: bench-build
	benches/ir-check.sh

bench-build: lib $(if $(BENCH_HAVE_HEADER),headers)
	@$(MAKE) --no-print-directory bench-bins

bench-bins: $(BENCH_UP_BINS) $(if $(BENCH_HAVE_HEADER),$(BENCH_OURS_BINS))

# A step, redone each time (upstream-build.sh answers at once when the tree is
# there); a directory left there by the former build script goes first.
bench-upstream:
	@t=$$(capi-tests/lib/upstream-build.sh) && mkdir -p $(BENCH_DIR) && \
	{ [ -L $(BENCH_UP) ] || rm -rf $(BENCH_UP); } && ln -sfn "$$t" $(BENCH_UP)

$(BENCH_DIR)/up/%: benches/%.c benches/bench.h | bench-upstream
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -I$(BENCH_UP)/src/include $< -o $@ -L$(BENCH_UP)/src -luring

$(BENCH_DIR)/ours/%: benches/%.c benches/bench.h $(SO) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -I$(INCOUT) $< -o $@ -L$(LIBOUT) -luring
