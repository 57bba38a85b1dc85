# Debian's architectures (capi-tests/arches/): the library built by Debian
# unstable's own toolchain for each of them, under build/<arch>/.
#
## test-arches-smoke: make test's part: test-arches-static for every architecture, then i386 without valgrind
## test-arches-doc: COMPATIBILITY.md's architectures table against arches/results/; its plants first
## test-arches: everything: static, i386, upstream, deb, guests and guests-plant
## test-arches-static: symbols and struct layouts of every architecture of ARCHES (no emulation)
## test-arches-i386: our C tests as 32-bit programs, three forms, ours and upstream's i386 library
## test-arches-upstream: upstream's suite built for i386 (abi mode), judged against upstream's i386 library
## test-arches-deb: make deb ARCH=<arch> for every architecture, each installed with dpkg -i
## test-arches-guests: our C tests and the kernels' smoke list in qemu guests of five architectures
## test-arches-guests-full: the same guests with every upstream test
## test-arches-guests-plant: a byte-order bug planted in an s390x build must fail the s390x guest
## bench-i386: instructions per NOP on i386 (callgrind), ours and upstream's in the same run
## bench-guest: the same counts in a qemu guest of ARCH (default arm64)
## cross: the library for ARCH (or every one of ARCHES) into build/<arch>/
## arches-root: the Debian sid root alone (target/arches/sid)
## arches-results: records the last full make test-arches in capi-tests/arches/results/
#
#   make cross ARCH=arm64        one architecture (i386 arm64 armhf s390x riscv64 ppc64el;
#                                without ARCH, every one of ARCHES)
#   make test-arches-smoke       make test's part: test-arches-static for every architecture,
#                                then test-arches-i386 without its valgrind run
#   make test-arches             everything: test-arches-static, test-arches-i386 (with
#                                valgrind), test-arches-upstream, test-arches-deb,
#                                test-arches-guests, test-arches-guests-plant
#   make test-arches-static      symbols and layouts, every architecture of ARCHES (no emulation):
#                                symbols 83/222 plus liburing-ffi.so.2's documented extra, and
#                                every struct layout against upstream's header compiled by each
#                                architecture's gcc (i386 arm64 armhf s390x riscv64 ppc64el)
#   make test-arches-i386        our C tests as 32-bit programs on this kernel, three forms,
#                                on ours and on upstream's own i386 library, and under valgrind
#   make test-arches-upstream    upstream's suite built for i386 (abi mode) on our i386 library,
#                                judged by upstream/run.sh against upstream's own i386 library
#                                in the same run
#   make test-arches-deb         make deb ARCH=<arch> for every architecture of ARCHES, each
#                                installed with dpkg -i next to Debian's amd64 libraries (in an
#                                overlay of the root)
#   make test-arches-guests      arm64, s390x, armhf, riscv64 and ppc64el, each in one qemu TCG
#                                guest booting Debian's kernel for the arch (trixie's 6.12 for
#                                arm64, sid's 7.2 for the others): our C tests in both forms + the
#                                kernels' smoke-tests.txt of upstream's suite in abi mode, ours vs
#                                upstream's library built for that arch in the same boot, judged
#                                by kernels/report.py (ARCH=arm64 for one;
#                                test-arches-guests-full: every upstream test)
#   make test-arches-guests-plant  a byte-order bug planted in a throw-away s390x build must
#                                fail the s390x guest run (guests-plant.sh)
#   make bench-i386              instructions per NOP on i386 (callgrind), ours and upstream's
#                                own i386 library in the same run, benches/run.py's count:
#                                target/arches/i386/bench.md (the table of BENCHMARKS.md)
#   make bench-guest ARCH=arm64  the same counts in a qemu guest of ARCH booting Debian's
#                                kernel (callgrind counts are exact under TCG), in one boot
#                                with the guests' smoke: target/arches/ARCH/bench.md
#                                (bench-guest.sh; kernels/guest-job.sh makes its callgrind runs)
#   make arches-root             the Debian sid root alone (target/arches/sid)
#   make arches-results          record the last make test-arches (target/arches-run) in
#                                capi-tests/arches/results/ (a run of every architecture only,
#                                at a commit with today's library code)
#   make test-arches-doc         COMPATIBILITY.md's architectures table against those results,
#                                of this commit's library (arches-doc.py; its plants run first:
#                                `arches-doc.py --control` plants an edited number, older
#                                results, a recorded failure and no results)
# A missing root (not root; no archive) fails the target, unless SKIP=root or
# SKIP=arches-root (capi-tests/skip.sh); capi-tests/arches/skip-control.sh
# (run first by test-arches-smoke and test-arches-static) plants one, then
# runs the planted situations of the root builder, capi-tests/lib/debian-root.sh
# (capi-tests/lib/debian-root-control.sh: an unreachable archive, a cached
# recipe, a changed one; about 15 s).
#
# Needs: root; mmdebstrap (installed on the host when missing) and a Debian
# archive: a sid root (capi-tests/arches/root.sh, which has it built by
# capi-tests/lib/debian-root.sh) under target/arches/sid with Debian's rustc/cargo,
# gcc-<triplet>, libc6-dev:<arch> and libstd-rust-dev:<arch>; crates vendored
# on the host (cargo vendor) for the offline build inside. The guests:
# qemu-system-arm and qemu-system-s390x (apt-get, installed by
# kernels/run-guest.sh), g++-<triplet> in the root (added under its lock),
# busybox-static:<arch> downloaded in the root.
#
# Times here:
# - test-arches-smoke on a fresh clone: 5 min 13 s at load average 8.5 falling
#   to 5.2 (the root 176 s: download 48 s, dpkg 102 s, libstd-rust-dev 26 s;
#   one cargo run for six targets 21 s; static checks 5 s per architecture;
#   i386: 81 s), plus skip-control.sh (a planted missing root, added after that
#   run: 16 s at load 8, nearly all of it apt's retries); with the root cached
#   about 2 min.
# - test-arches-i386: 5 min 25 s at load 4-10 (its valgrind run 81 s).
# - test-arches-upstream: 22 min at load 9 falling to 3 (compiling the 255
#   tests 13 min of it).
# - test-arches-deb: 3 min 46 s at load 8-3.
# - bench-i386: 72 s. bench-guest ARCH=arm64: 1639 s for the guest (its 72
#   callgrind runs 1341 s; the rest is the arm64 smoke).
# - guests smoke on the mmdebstrap root at 08342b1+ (one TCG guest each, one
#   vCPU, nice -n 10, two or three guests at once, load average 1-4): arm64
#   and s390x 924 s for `guests.sh arm64 s390x` (guests 293 s and 446 s),
#   armhf 244-367 s, riscv64 244 s, ppc64el 265 s (with armhf: 683 s for both).
# - test-arches-guests-plant: 2 min 24 s at load average 3 (s390x, mmdebstrap
#   root).

.PHONY: cross arches-root test-arches test-arches-smoke test-arches-static test-arches-i386 \
	test-arches-upstream test-arches-deb bench-i386 bench-guest test-arches-guests test-arches-guests-full \
	test-arches-guests-plant arches-results test-arches-doc

ARCHES ?= i386 arm64 armhf s390x riscv64 ppc64el

TEST_TARGETS += test-arches-smoke test-arches-doc

arches-root:
	capi-tests/arches/root.sh

cross:
	capi-tests/arches/cross.sh $(or $(ARCH),$(ARCHES))

test-arches-smoke:
	@s=0; ARCHES_TARGET=$@ capi-tests/arches/skip-control.sh || s=1; \
		ARCHES_TARGET=$@ capi-tests/arches/static.sh $(ARCHES) || s=1; \
		ARCHES_TARGET=$@ I386_VALGRIND=0 capi-tests/arches/i386.sh || s=1; exit $$s

# The run is recorded in $(ARCHES_RUN): the commit (and whether library code
# had uncommitted changes), whether every architecture ran, and each verdict
# line of the scripts (lib.sh's pass/fail, guests.sh's GUEST lines), for
# `make arches-results` (capi-tests/arches/arches-doc.py).
ARCHES_RUN := $(CURDIR)/target/arches-run
LIBRARY_CODE := $(shell sed -n "/^[^\#]/s/.*/'&'/p" capi-tests/lib/library-code.txt)
all_arches_default = $(if $(filter command line environment,$(origin ARCHES) $(origin ARCH) $(origin GUEST_ARCHES)),,yes)
test-arches: export ARCHES_RECORD := $(ARCHES_RUN)/verdicts.txt
test-arches:
	@mkdir -p $(ARCHES_RUN) && : >$(ARCHES_RUN)/verdicts.txt && date +%s >$(ARCHES_RUN)/start-seconds && \
	echo "$$(git rev-parse HEAD) $$(git diff --quiet HEAD -- $(LIBRARY_CODE) || echo with-local-changes)" \
		>$(ARCHES_RUN)/commit.txt && \
	echo "$(if $(all_arches_default),full,subset ARCHES=$(ARCHES) GUEST_ARCHES=$(guest_arches))" >$(ARCHES_RUN)/run-kind.txt
	$(call run_targets,test-arches-static test-arches-i386 test-arches-upstream test-arches-deb \
		test-arches-guests test-arches-guests-plant,test-arches)

test-arches-static:
	@ARCHES_TARGET=$@ capi-tests/arches/skip-control.sh
	@ARCHES_TARGET=$@ capi-tests/arches/static.sh $(ARCHES)

test-arches-i386:
	@ARCHES_TARGET=$@ capi-tests/arches/i386.sh

test-arches-upstream:
	@ARCHES_TARGET=$@ capi-tests/arches/upstream-i386.sh

test-arches-deb:
	@ARCHES_TARGET=$@ capi-tests/arches/deb.sh $(ARCHES)

bench-i386:
	@ARCHES_TARGET=$@ capi-tests/arches/bench-i386.sh

bench-guest: lib
	@ARCHES_TARGET=$@ capi-tests/arches/bench-guest.sh $(or $(ARCH),arm64)

# The guests are not in TEST_TARGETS (test-arches runs them): each architecture's smoke is one
# TCG boot of 4 to 8 minutes here (the figures are at the top of this file),
# after the cross builds above. arm64 and s390x (big-endian) first: the
# issue requires those two.
# ARCH on the command line picks one architecture; otherwise GUEST_ARCHES.
GUEST_ARCHES ?= arm64 s390x armhf riscv64 ppc64el
guest_arches = $(if $(filter command line environment,$(origin ARCH)),$(ARCH),$(GUEST_ARCHES))

# arm64's boot also counts instructions per NOP (batch 1 and 32, three forms)
# for the instruction-count check (benches/run.py's ir_check, as
# test-instructions does for x86_64 and i386), judged after the boot.
IR_GUEST_ARCHES := $(filter arm64,$(guest_arches))
test-arches-guests: lib
	@s=0; GUEST_BENCH_ARCHES="$(IR_GUEST_ARCHES)" BENCH_GUEST_ONLY='^nop-.*-b(1|32)$$' \
		capi-tests/arches/guests.sh $(guest_arches) || s=1; \
	for a in $(IR_GUEST_ARCHES); do \
		BENCH_GUEST_ONLY='^nop-.*-b(1|32)$$' capi-tests/arches/bench-guest.sh --check $$a || s=1; \
	done; exit $$s

test-arches-guests-full: lib
	capi-tests/arches/guests.sh --full $(guest_arches)

test-arches-guests-plant: lib
	capi-tests/arches/guests-plant.sh s390x

arches-results:
	@capi-tests/arches/arches-doc.py --save-results

test-arches-doc:
	@capi-tests/arches/arches-doc.py --control
	@capi-tests/arches/arches-doc.py --check COMPATIBILITY.md
