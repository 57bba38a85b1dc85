# Upstream's examples, built against our headers in both forms and run with
# checked results (capi-tests/examples/run-examples.sh).
#
## test-examples: upstream's examples built on our headers in both forms, run, results checked
#
# 70 s here (read from a full make test run). Needs the upstream source and
# network sockets on loopback (echo-server).

TEST_TARGETS += test-examples

.PHONY: test-examples
test-examples: all
	capi-tests/examples/run-examples.sh
