# Debian's kernels in qemu guests: our C tests (both forms) and upstream
# liburing 2.15's suite (abi mode) on Linux 6.1 (bookworm), 6.12 (trixie) and
# sid's newest, with upstream's own library as the reference in the same boot.
# The results come back through a virtio disk that qemu serves with
# aio=io_uring while qemu runs on our liburing.so.2. See capi-tests/kernels/.
#
#   make test-kernels          the full matrix (every upstream test built here)
#   make test-kernels-smoke    each kernel: our C tests + smoke-tests.txt (~40)
#   KERNELS="bookworm" ACCEL=tcg TESTS="nop.t" UP_TIMEOUT=120 narrow a run

.PHONY: test-kernels test-kernels-smoke kernels-prep

# Not yet in TEST_TARGETS: our C tests now pass or skip by name on 6.1 and
# 6.12, but the three-kernel smoke took longer than its 12-minute budget here
# (7.7 min for 6.1 + 6.12 alone), and one spy check of setup.c ("-ENOMEM means
# one call") failed once in a 6.1 guest without a cause found yet. Issue 12
# stays open until both are settled; run `make test-kernels-smoke` by hand.

kernels-prep: lib headers $(CAPI_REF)/.built
	@$(MAKE) --no-print-directory capi-build CAPI_HEADERS=ours
	@$(MAKE) --no-print-directory capi-build CAPI_HEADERS=ffi

test-kernels: kernels-prep
	@capi-tests/kernels/kernels.sh

test-kernels-smoke: kernels-prep
	@capi-tests/kernels/kernels.sh --smoke
