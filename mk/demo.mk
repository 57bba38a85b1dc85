# `make demo` (capi-tests/demo/): the drop-in working on what this machine
# has, an io_uring file copy built against our header and library, then
# Debian's qemu-io on our liburing.so.2. Not part of `make test`.

.PHONY: demo

demo: all
	capi-tests/demo/demo.sh
