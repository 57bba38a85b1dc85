# Checked mode (capi-tests/checked/): LIBURING_CHECK's misuse reports from C.
#
## test-checked: C misuse programs reported by checked mode; correct programs pass under it
## checked-cost: instructions per NOP with checked mode compiled in but off, against a baseline
#
#   make test-checked        C misuse programs (FFI form and plain liburing.so),
#                            correct programs under LIBURING_CHECK=1 (our capi
#                            nops, the NOP bench); the Python side of checked
#                            mode is in test-ffi-python (mk/ffi.mk). 30 s here
#   make checked-cost        instructions per NOP with checked mode compiled in
#                            but off, against CHECKED_BASELINE_LIB (a directory
#                            holding an older liburing-ffi.so.2 / liburing.so.2);
#                            needs valgrind

.PHONY: test-checked checked-cost

TEST_TARGETS += test-checked

test-checked: lib headers
	@CC=$(CC) capi-tests/checked/run.sh $(CURDIR)/$(LIBOUT) $(CURDIR)/$(INCOUT)

checked-cost: lib headers
	@CC=$(CC) capi-tests/checked/cost.sh $(CURDIR)/$(LIBOUT) $(CURDIR)/$(INCOUT) $(CHECKED_BASELINE_LIB)
