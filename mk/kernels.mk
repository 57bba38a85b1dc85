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

# Not yet in TEST_TARGETS: on 6.1 and 6.12 our C tests still count the checks
# of newer-kernel features as failures (upstream's library fails them the same
# way) instead of skips that name the feature, and the smoke takes longer than
# its 12-minute budget here. Issue 12 stays open until both are fixed; run
# `make test-kernels-smoke` by hand meanwhile.

kernels-prep: lib headers $(CAPI_REF)/.built
	@$(MAKE) --no-print-directory capi-build CAPI_HEADERS=ours
	@$(MAKE) --no-print-directory capi-build CAPI_HEADERS=ffi

test-kernels: kernels-prep
	@capi-tests/kernels/kernels.sh

test-kernels-smoke: kernels-prep
	@capi-tests/kernels/kernels.sh --smoke
