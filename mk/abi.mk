# ABI checks (capi-tests/abi/): the exported symbols and the struct layout of
# our build against upstream liburing 2.15's.
#
#   make test-symbols        symbols, versions, SONAMEs and links of both .so
#                            (liburing-ffi.so.2: upstream's 222 plus the one
#                            documented extra, capi-tests/abi/ffi-extra.symbols),
#                            then three planted regressions of that extra
#   make test-layout         sizeof/offsetof of every public struct: upstream's
#                            headers vs ours (a generated C program)

.PHONY: test-symbols test-layout

TEST_TARGETS += test-symbols test-layout

test-symbols: lib
	@capi-tests/abi/check-symbols.sh
	@CC=$(CC) RUST_A=$(RUST_A) capi-tests/abi/check-symbols.sh --control

test-layout:
	$(refresh_headers)
	@capi-tests/abi/check-layout.sh
