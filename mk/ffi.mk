# liburing-ffi.so.2: the inline helpers as Rust exports.
#
#   make test-ffi-diff                      C inline helpers vs Rust exports,
#                                           byte for byte (capi-tests/diff/)
#   make test-ffi-diff FFI_DIFF_HEADER=upstream
#                                           the C side from upstream 2.15's
#                                           header instead of ours
#   make test-ffi-symbols                   exported symbols of both .so
#   make test-ffi-py                        Python ctypes smoke test
#
# FFI_DIFF_HEADER: ours, upstream, or auto (ours when include/liburing.h
# exists). FFI_DIFF_ITERS: random argument sets per helper (default 3000).

.PHONY: test-ffi-diff test-ffi-symbols test-ffi-py

FFI_DIFF_HEADER ?= auto
FFI_DIFF_ITERS  ?= 3000
PYTHON          ?= python3

TEST_TARGETS += test-ffi-diff test-ffi-symbols test-ffi-py

test-ffi-diff: lib
	@FFI_DIFF_ITERS=$(FFI_DIFF_ITERS) CC=$(CC) capi-tests/diff/run.sh $(FFI_DIFF_HEADER)

test-ffi-symbols: lib
	@capi-tests/diff/check-ffi-symbols.sh

test-ffi-py: lib
	@$(PYTHON) tests/ffi/smoke.py $(FFI_SO:.so.$(VERSION)=.so.$(MAJOR))
