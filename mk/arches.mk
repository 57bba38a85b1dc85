# Debian's architectures (capi-tests/arches/): the library built by Debian
# unstable's own toolchain for each of them, under build/<arch>/.
#   make cross ARCH=i386      (arm64 armhf s390x riscv64 ppc64el)

.PHONY: cross arches-root

ARCH ?= i386

arches-root:
	capi-tests/arches/root.sh $(ARCH)

cross:
	capi-tests/arches/cross.sh $(ARCH)
