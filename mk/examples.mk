# Upstream's examples, built against our headers in both forms and run with
# checked results (capi-tests/examples/run-examples.sh).
TEST_TARGETS += test-examples

.PHONY: test-examples
test-examples: all
	capi-tests/examples/run-examples.sh
