# Header checks: include/liburing.h (normal and LIBURING_FFI forms) against
# the reference liburing 2.15 header and against upstream's examples and
# tests; see capi-tests/header/check-header.sh for what each part proves.
# The helpers' behaviour against upstream's (SQE bytes, ring sequences) is
# compared by test-ffi-diff (capi-tests/ffi/diff/), three ways.
# The generated include/liburing/liburing-api.h is checked by the Rust unit
# test src/tests/header_check.rs (part of test-rust); `make headers-update`
# regenerates it after a change to the C ABI in src/capi/ or src/ring.rs.
#
## test-header: our header in both forms against upstream's, and upstream's examples and tests on it
## test-header-quick: test-header without compiling upstream's examples and tests (make check's form)
## test-header-hygiene: every macro and inline helper called as unseen code would, gcc and clang; plants
## headers-update: regenerates include/liburing/liburing-api.h after a C ABI change
#
# Times here: test-header 380 s (408 s in a full make test run; all but about
# a minute of it compiling upstream's examples and tests in two forms),
# test-header-quick 49 s, test-header-hygiene 25 s. They need the upstream
# source, gcc and g++; test-header-hygiene also clang (installed when
# missing). test-header-hygiene runs header/hygiene.py, judged against
# upstream's header, with two plants (more below, above its rule).

.PHONY: test-header test-header-quick headers-update test-header-hygiene

TEST_TARGETS += test-header test-header-hygiene

test-header: all
	capi-tests/header/check-header.sh

# make check's form: every part but the compile of upstream's examples and
# tests (the slow one; test-header, in make test, runs it).
test-header-quick: all
	HEADER_CORPUS=0 capi-tests/header/check-header.sh

headers-update:
	UPDATE_HEADERS=1 $(CARGO) test --quiet header_check

# Header hygiene against upstream's header in one run: every function-like
# macro and inline helper called as code we have never seen would (arguments
# named like the bodies' members and locals, common names, side effects),
# gcc and clang, C99 to C++20, -Wall -Wextra -Werror (and -pedantic); and
# the macros' argument evaluation counts. capi-tests/header/hygiene.py.
test-header-hygiene: all
	capi-tests/header/hygiene.sh
