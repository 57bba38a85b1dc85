# ABI checks (capi-tests/abi/): the exported symbols and the struct layout of
# our build against upstream liburing 2.15's.
#
## test-symbols: both libraries' symbols, versions and SONAMEs against upstream's 83 and 222; plants
## test-layout: sizeof/offsetof of every public struct, upstream's headers against ours
#
# test-symbols: symbols, versions, SONAMEs and links of both .so against
# upstream's version scripts (liburing.so.2: 83; liburing-ffi.so.2: upstream's
# 222 plus the one documented extra, capi-tests/abi/ffi-extra.symbols); then
# `check-symbols.sh --control` plants three regressions of that extra: an
# undocumented extra, the extra left out, the extra at another node. 6 s here.
# test-layout: a generated C program prints sizeof/offsetof of every public
# struct under upstream's headers and under ours. 6 s here.
# Both need the upstream source, nm and python3.

.PHONY: test-symbols test-layout

TEST_TARGETS += test-symbols test-layout

test-symbols: lib
	@capi-tests/abi/check-symbols.sh
	@CC=$(CC) RUST_A=$(RUST_A) capi-tests/abi/check-symbols.sh --control

test-layout:
	$(refresh_headers)
	@capi-tests/abi/check-layout.sh
