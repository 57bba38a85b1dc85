# Debian's architectures (capi-tests/arches/): the library built by Debian
# unstable's own toolchain for each of them, under build/<arch>/.
#   make cross ARCH=arm64        one architecture (i386 arm64 armhf s390x riscv64 ppc64el;
#                                without ARCH, every one of ARCHES)
#   make test-arches-smoke       make test's part: test-arches-static for every architecture,
#                                then test-arches-i386 without its valgrind run
#   make test-arches             everything: test-arches-static, test-arches-i386 (with
#                                valgrind), test-arches-upstream, test-arches-deb,
#                                test-arches-guests, test-arches-guests-plant
#   make test-arches-static      symbols and layouts, every architecture of ARCHES (no emulation)
#   make test-arches-i386        our C tests as 32-bit programs on this kernel, three forms,
#                                on ours and on upstream's own i386 library, and under valgrind
#   make test-arches-upstream    upstream's suite built for i386 (abi mode) on our i386 library,
#                                judged against upstream's own i386 library in the same run
#   make test-arches-deb         make deb ARCH=<arch> for every architecture of ARCHES, each
#                                installed with dpkg -i next to Debian's amd64 libraries
#   make test-arches-guests      arm64, s390x, armhf, riscv64 and ppc64el in qemu guests (TCG)
#                                booting Debian's kernel for the arch: our C tests + the kernels
#                                smoke list of upstream's suite, ours vs upstream's library
#                                (ARCH=arm64 for one; test-arches-guests-full: every upstream test)
#   make test-arches-guests-plant  a byte-order bug planted in a throw-away s390x build must
#                                fail the s390x guest run (guests-plant.sh)
#   make bench-i386              instructions per NOP on i386 (callgrind), ours and upstream's
#                                own i386 library in the same run: target/arches/i386/bench.md
#   make bench-guest ARCH=arm64  the same counts in a qemu guest of ARCH booting Debian's
#                                kernel (callgrind counts are exact under TCG), in one boot
#                                with the guests' smoke: target/arches/ARCH/bench.md
#   make arches-root             the Debian sid root alone (target/arches/sid)
#   make arches-results          record the last make test-arches (target/arches-run) in
#                                capi-tests/arches/results/ (a run of every architecture only)
#   make test-arches-doc         COMPATIBILITY.md's architectures table against those results,
#                                of this commit's library (arches-doc.py; its plants run first)
# A missing root (not root; no archive) fails the target, unless SKIP=root or
# SKIP=arches-root (capi-tests/skip.sh); capi-tests/arches/skip-control.sh
# (run first by test-arches-smoke and test-arches-static) plants one.

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
LIBRARY_CODE := src include Cargo.toml Cargo.lock build.rs '*.map'
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
# TCG boot of 4 to 8 minutes here (capi-tests/README.md has the figures),
# after the cross builds above. arm64 and s390x (big-endian) first: the
# issue requires those two.
# ARCH on the command line picks one architecture; otherwise GUEST_ARCHES.
GUEST_ARCHES ?= arm64 s390x armhf riscv64 ppc64el
guest_arches = $(if $(filter command line environment,$(origin ARCH)),$(ARCH),$(GUEST_ARCHES))

test-arches-guests: lib
	capi-tests/arches/guests.sh $(guest_arches)

test-arches-guests-full: lib
	capi-tests/arches/guests.sh --full $(guest_arches)

test-arches-guests-plant: lib
	capi-tests/arches/guests-plant.sh s390x

arches-results:
	@capi-tests/arches/arches-doc.py --save-results

test-arches-doc:
	@capi-tests/arches/arches-doc.py --control
	@capi-tests/arches/arches-doc.py --check COMPATIBILITY.md
