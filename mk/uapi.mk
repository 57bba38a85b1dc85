# io_uring uapi (capi-tests/uapi/): our C headers against upstream 2.15's and
# against src/sys.
TEST_TARGETS += test-uapi

.PHONY: test-uapi
test-uapi:
	CC="$(CC)" CXX="$(CXX)" CARGO="$(CARGO)" capi-tests/uapi/check-uapi.sh
