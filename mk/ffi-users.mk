# FFI users: the founding bug report's workflow from Python (ctypes, standard
# library only), the FFI guide's example, and checked mode (LIBURING_CHECK).
#
#   make test-ffi-python     tests/ffi/test_*.py against build/lib/liburing-ffi.so.2:
#                            peek_batch workflow (over a million NOPs, rings of 8
#                            to 4096), workaround loop, CQE32, CQ overflow,
#                            return-type traps, thread split, docs/FFI.md's
#                            example, checked mode from Python
#   make test-checked        capi-tests/checked/: C misuse programs (FFI form and
#                            plain liburing.so), correct programs under
#                            LIBURING_CHECK=1 (our capi nops, the NOP bench)
#   make checked-cost        instructions per NOP with checked mode compiled in
#                            but off, against CHECKED_BASELINE_LIB (a directory
#                            holding an older liburing-ffi.so.2 / liburing.so.2)
#
# FFI_TEST_SCALE scales the Python workloads (default 1).

.PHONY: test-ffi-python test-checked checked-cost

PYTHON ?= python3
FFI_USERS_LIB := $(CURDIR)/$(LIBOUT)/$(FFI_SONAME)

TEST_TARGETS += test-ffi-python test-checked

test-ffi-python: lib
	LIBURING_FFI_LIB=$(FFI_USERS_LIB) $(PYTHON) -m unittest discover -s tests/ffi -p 'test_*.py' -v

test-checked: lib headers
	@CC=$(CC) capi-tests/checked/run.sh $(CURDIR)/$(LIBOUT) $(CURDIR)/$(INCOUT)

checked-cost: lib headers
	@CC=$(CC) capi-tests/checked/cost.sh $(CURDIR)/$(LIBOUT) $(CURDIR)/$(INCOUT) $(CHECKED_BASELINE_LIB)
