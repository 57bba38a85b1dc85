# io_uring uapi (capi-tests/uapi/): our C headers against upstream 2.15's and
# against src/sys.
#
## test-uapi: our C headers' io_uring uapi against upstream 2.15's and against src/sys
#
# 5 s here (in a full make test run) with the release test binary built (it
# runs one unit test); 15 min when that binary had to be built from scratch.
# Needs the upstream source, gcc, g++ and cargo.

TEST_TARGETS += test-uapi

.PHONY: test-uapi
test-uapi:
	CC="$(CC)" CXX="$(CXX)" CARGO="$(CARGO)" capi-tests/uapi/check-uapi.sh
