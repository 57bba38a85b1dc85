# FFI (capi-tests/ffi/): liburing-ffi.so.2, the inline helpers as Rust exports,
# as other languages use it.
#
## test-ffi-diff: upstream's inline helpers, ours and the Rust exports three ways: SQEs, rings, sequences
## test-ffi-symbols: both libraries' names and nodes against 2.15's; every header function exported
## test-ffi-py: a Python ctypes smoke test of liburing-ffi.so.2
## test-ffi-python: the founding bug report's workflow and more from Python (ctypes)
#
#   make test-ffi-diff       three-way, byte for byte, on the same random
#                            arguments: upstream 2.15's inline helpers, ours
#                            (include/liburing.h) and the Rust exports; then
#                            every SQE-writing and pure helper of upstream's
#                            header (the internal ones too; "sqediff", until
#                            Dec 2026 in test-header) and random sequences of
#                            ring-helper calls on one simulated ring
#                            ("sequences", formerly header/ringdiff.c), with
#                            our header's FFI form as the third side; three
#                            planted-regression controls (capi-tests/ffi/diff/)
#   make test-ffi-symbols    exported symbols (names and nodes) of both .so
#                            against the version scripts and liburing 2.15's
#                            lists (plus the one documented extra,
#                            capi-tests/abi/ffi-extra.symbols); every function
#                            declared in include/liburing.h, in either form, is
#                            exported by liburing-ffi.so.2; three planted
#                            regressions (capi-tests/ffi/check-ffi-symbols.sh)
#   make test-ffi-py         Python ctypes smoke test (capi-tests/ffi/python/smoke.py)
#   make test-ffi-python     capi-tests/ffi/python/test_*.py against
#                            build/lib/liburing-ffi.so.2: the founding bug
#                            report's workflow from Python (ctypes, standard
#                            library only): peek_batch workflow (over a million
#                            NOPs, rings of 8 to 4096), workaround loop, CQE32,
#                            CQ overflow, return-type traps, thread split,
#                            docs/FFI.md's example, checked mode from Python
#
# Times here: test-ffi-diff 24 s, test-ffi-symbols 1 s, test-ffi-py 1 s,
# test-ffi-python 73 s. Needs the upstream source; python3 (standard library
# only).
#
# FFI_DIFF_ITERS: random argument sets per helper (default 3000).
# FFI_DIFF_SEQS: ring sequences of 200 operations (default 500).
# FFI_TEST_SCALE scales the Python workloads of test-ffi-python (default 1).

.PHONY: test-ffi-diff test-ffi-symbols test-ffi-py test-ffi-python

FFI_DIR         := capi-tests/ffi
FFI_DIFF_ITERS  ?= 3000
FFI_DIFF_SEQS   ?= 500
PYTHON          ?= python3
FFI_USERS_LIB   := $(CURDIR)/$(LIBOUT)/$(FFI_SONAME)

TEST_TARGETS += test-ffi-diff test-ffi-symbols test-ffi-py test-ffi-python

test-ffi-diff: lib
	@FFI_DIFF_ITERS=$(FFI_DIFF_ITERS) FFI_DIFF_SEQS=$(FFI_DIFF_SEQS) CC=$(CC) $(FFI_DIR)/diff/run.sh

test-ffi-symbols: lib
	@CC=$(CC) RUST_A=$(RUST_A) $(FFI_DIR)/check-ffi-symbols.sh

test-ffi-py: lib
	@$(PYTHON) $(FFI_DIR)/python/smoke.py $(FFI_SO:.so.$(VERSION)=.so.$(MAJOR))

test-ffi-python: lib
	LIBURING_FFI_LIB=$(FFI_USERS_LIB) $(PYTHON) -m unittest discover -s $(FFI_DIR)/python -p 'test_*.py' -v
