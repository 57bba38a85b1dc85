# Debian's kernels in qemu guests: our C tests (both forms) and upstream
# liburing 2.15's suite (abi mode) on Linux 6.1 (bookworm), 6.12 (trixie) and
# sid's newest, with upstream's own library as the reference in the same boot.
# The results come back through a virtio disk that qemu serves with
# aio=io_uring while qemu runs on our liburing.so.2. See capi-tests/kernels/.
#
## test-kernels-smoke: each kernel in a guest: our C tests, the smoke list on both libraries, a plant on 6.1
## test-kernels-doc: COMPATIBILITY.md's kernel tables against kernels/results/; its plants first
## test-kernels: the full matrix: every upstream test and our C tests, both libraries, each kernel
## kernels-results: records the last full run in capi-tests/kernels/results/
## kernels-prep: what the guests run: the library, our C tests in both forms, upstream's reference
#
#   make test-kernels          the full matrix (every upstream test built here, and
#                              our C tests in both forms, on both libraries)
#   make test-kernels-smoke    each kernel: our C tests + smoke-tests.txt (~40)
#   KERNELS="bookworm" ACCEL=tcg TESTS="nop.t" UP_TIMEOUT=120 narrow a run
#
# Times here:
# - test-kernels-smoke in make test on a fresh clone at 36f5a77, nothing
#   beside it: 228 s (payload 16 s with the kernels fetched beside it, 29 s;
#   guests 7.2 128 s and 6.12 119 s at once, then 6.1 60 s; upstream's
#   library runs the smoke list too). Earlier, loaded: 5 min 37 s for the three kernels (nice -n 10, load
#   average 4-6; guests 6.1 130 s, 6.12 197 s, 7.2 227 s, two at a time);
#   10 min 2 s at load average 13-15 (the full matrix's three guests running
#   beside it); on a fresh clone first the kernel fetch (117 s, the three at
#   once, load average 6), building the 41 upstream tests (about 45 s) and the
#   planted library (16 s).
# - the full matrix on a fresh clone at 08342b1 (KERNEL_JOBS=3 UP_TIMEOUT=60
#   make test-kernels, three guests at once, load average 5-6): 2052 s for the
#   make command, guests 6.1 1385 s, 6.12 1805 s, 7.2 1903 s (255 upstream
#   tests on both libraries, our C tests in both forms on both).
# Needs: root; apt-get (qemu-system-x86, busybox-static) and a Debian archive
# for the kernel images (cached under target/kernels/); missing qemu, busybox
# or an image fails unless SKIP=kernels. KVM is probed (the answer cached per
# host kernel and qemu), TCG used when it stalls.

.PHONY: test-kernels test-kernels-smoke kernels-prep test-kernels-doc kernels-results

# The smoke is in make test: the three kernels booted two at a time, our C
# tests in both forms (each program on upstream's library only when it failed
# on ours; the full matrix runs every one on both), the planted regression
# (plant.sh: setup.c on our library without the NO_SQARRAY fall-back must fail
# on 6.1), and smoke-tests.txt on ours and on upstream's library. Missing qemu, busybox or a
# kernel image fails unless SKIP=kernels; a guest that does not finish always
# fails. test-kernels-doc checks COMPATIBILITY.md's kernel tables against
# capi-tests/kernels/results/ (recorded from a full run by kernels-results).
#
# After a library change the recorded results no longer describe HEAD and
# test-kernels-doc fails: run `make test-kernels kernels-results compat-doc`
# (about 35 min here: the three guests at once, UP_TIMEOUT=60) and commit.
TEST_TARGETS += test-kernels-smoke test-kernels-doc

kernels-prep: lib headers
	@capi-tests/lib/upstream-build.sh >/dev/null
	@capi-tests/lib/upstream-build.sh --use-libc >/dev/null
	@$(MAKE) --no-print-directory capi-build CAPI_HEADERS=ours
	@$(MAKE) --no-print-directory capi-build CAPI_HEADERS=ffi

test-kernels: kernels-prep
	@capi-tests/kernels/kernels.sh

test-kernels-smoke: kernels-prep
	@capi-tests/kernels/kernels.sh --smoke

# COMPATIBILITY.md's kernel tables: record the last full run, then regenerate
# the document with make compat-doc; commit both.
kernels-results:
	@capi-tests/kernels/kernels-doc.py --save-results

test-kernels-doc:
	@capi-tests/kernels/report.py --control
	@capi-tests/kernels/kernels-doc.py --control
	@capi-tests/kernels/kernels-doc.py --check COMPATIBILITY.md
