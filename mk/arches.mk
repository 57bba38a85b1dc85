# Debian's architectures (capi-tests/arches/): the library built by Debian
# unstable's own toolchain for each of them, under build/<arch>/.
#   make cross ARCH=i386            one architecture (arm64 armhf s390x riscv64 ppc64el)
#   make test-arches-static         symbols and layouts, every architecture of ARCHES (no emulation)
#   make test-arches-i386           our C tests as 32-bit programs on this kernel
#   make test-arches-guests         arm64 and s390x in qemu guests (TCG) booting Debian's
#                                   kernel for the arch: our C tests + the kernels smoke list
#                                   of upstream's suite, ours vs upstream's library (ARCH=arm64
#                                   for one; test-arches-guests-full: every upstream test)
#   make test-arches-guests-plant   a byte-order bug planted in a throw-away s390x build
#                                   must fail the s390x guest run (guests-plant.sh)

.PHONY: cross arches-root test-arches-static test-arches-i386 test-arches-guests test-arches-guests-full test-arches-guests-plant

ARCH ?= i386
# riscv64 is not in the default list: in the archive snapshot this machine
# reads, libstd-rust-1.97:riscv64 needs libllvm22:riscv64 1:22.1.8-1+b2 while
# the root's amd64 rustc has libllvm22 1:22.1.8-3 (Multi-Arch: same wants one
# version), so libstd-rust-dev:riscv64 cannot be installed next to rustc.
# `make test-arches-static ARCHES=riscv64` tries it (and fails saying so).
ARCHES ?= i386 arm64 s390x armhf ppc64el

# Not yet in TEST_TARGETS: on a fresh clone the sid root, five architectures'
# toolchains and their cross builds take 20-25 minutes before the first check
# runs, which with the rest of make test passes its 45-minute budget. Issue 13
# stays open until the root is cached across runs or trimmed; run
# `make test-arches-static test-arches-i386` by hand meanwhile.

arches-root:
	capi-tests/arches/root.sh $(ARCH)

cross:
	capi-tests/arches/cross.sh $(ARCH)

test-arches-static:
	capi-tests/arches/static.sh $(ARCHES)

test-arches-i386:
	capi-tests/arches/i386.sh

# The guests are not in TEST_TARGETS either: each architecture's smoke is one
# TCG boot of about 10 minutes here (capi-tests/README.md has the figures),
# after the cross builds above.
# ARCH on the command line picks one architecture; otherwise GUEST_ARCHES.
GUEST_ARCHES ?= arm64 s390x
guest_arches = $(if $(filter command line environment,$(origin ARCH)),$(ARCH),$(GUEST_ARCHES))

test-arches-guests: lib
	capi-tests/arches/guests.sh $(guest_arches)

test-arches-guests-full: lib
	capi-tests/arches/guests.sh --full $(guest_arches)

test-arches-guests-plant: lib
	capi-tests/arches/guests-plant.sh s390x
