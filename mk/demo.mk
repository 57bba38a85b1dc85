# `make demo` (capi-tests/demo/): the drop-in working on what this machine
# has, an io_uring file copy built against our header and library, then
# Debian's qemu-io on our liburing.so.2. Not part of `make test`.
#
## demo: an io_uring file copy on our header and library, then Debian's qemu-io on our library
#
# 1 s here. Its second part needs qemu-utils (it says so when missing).

.PHONY: demo

demo: all
	capi-tests/demo/demo.sh
