# io_uring uapi: our C headers against upstream 2.15's and against src/sys.
TEST_TARGETS += test-uapi

.PHONY: test-uapi
test-uapi:
	CC="$(CC)" CXX="$(CXX)" CARGO="$(CARGO)" capi-tests/check-uapi.sh
