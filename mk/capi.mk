# C ABI tests (capi-tests/capi/): our own C programs built against a liburing
# header and linked against build/lib/liburing.so.2, plus qemu-io as a real
# binary-only consumer. The programs share capi.c (the PASS/FAIL tally,
# kernel probes, resource accounting; capi.h) and spy.c (a seccomp
# system-call spy; spy.h), compiled once per header form and linked in.
#
## test-capi: our C programs on our header and library (CAPI_HEADERS= picks another header)
## test-capi-ffi: the same programs in FFI form on liburing-ffi.so.2; every import defined there
## test-capi-valgrind: every program once under valgrind
## test-qemu: Debian's qemu-io through our liburing.so.2
## test-capi-reference: the programs on upstream's own library and ours, judged
## capi-build: builds the programs for CAPI_HEADERS
## capi-valgrind: every program under valgrind, without the loud-skip rule
## capi-our-headers: our headers built, or says clearly that they are missing (a step of the build)
## capi-upstream-tree: upstream's configured headers for CAPI_HEADERS=upstream (a step of the build)
#
#   make test-capi                        our headers (build/include)
#   make test-capi CAPI_HEADERS=upstream  upstream 2.15's headers + our library
#   make test-capi CAPI_HEADERS=installed the installed liburing-dev (pkg-config), no build
#                  (installed-ffi: its FFI form; packaging/debian/tests/capi)
#   make test-capi-ffi                    our header in FFI form + liburing-ffi.so.2, then
#                                         capi/ffi-only.sh: every function the programs
#                                         import is defined by liburing-ffi.so.2 (its plant:
#                                         a library lacking io_uring_buf_ring_head)
#   make test-qemu                        Debian's qemu-io through our library
#                                         (qemu-utils, which apt-get installs)
#   make test-capi-valgrind               every program once under valgrind (in make test)
#   make test-capi-reference              the same programs against upstream's own library
#                                         and ours, judged against
#                                         capi/reference-expectations.txt (in make test;
#                                         upstream built from source)
#
# Times here: test-capi 30 s, test-capi-ffi 29 s, test-capi-valgrind 20 s,
# test-qemu 3 s, test-capi-reference 10 s (upstream's library already built).
# Every program needs io_uring enabled in the kernel.
#
# CAPI_NOPS sets the NOP count of nops.c (default 10 million).

CAPI_DIR      := capi-tests/capi
CAPI_HEADERS  ?= ours
# The one list of the programs (capi-tests/capi/<name>.c): make builds them
# and passes the names to run-capi.sh.
CAPI_PROGS    := setup submit register buffers misc nops
CAPI_CC       ?= $(CC)
CAPI_CFLAGS   ?= -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
CAPI_LIBDIR   := $(CURDIR)/$(LIBOUT)
# CAPI_HEADERS=upstream: upstream's configured tree (capi-tests/lib/upstream-build.sh
# with CAPI_UPSTREAM_FLAGS, e.g. --arch i386), linked at CAPI_UPSTREAM.
CAPI_UPSTREAM_FLAGS ?=
CAPI_UPSTREAM := $(BUILD)/capi-tests/upstream/upstream-tree

CAPI_DEFS     :=
CAPI_LINK     := $(CAPI_LIBDIR)/$(SONAME)
ifeq ($(CAPI_HEADERS),upstream)
CAPI_INC      := $(CAPI_UPSTREAM)/src/include
CAPI_INC_DEP  := capi-upstream-tree
else ifeq ($(CAPI_HEADERS),ours)
CAPI_INC      := $(INCOUT)
CAPI_INC_DEP  := capi-our-headers
else ifeq ($(CAPI_HEADERS),ffi)
# Our header in FFI form: every call goes into liburing-ffi.so.2, which comes
# first (io_uring_buf_ring_head too; capi-tests/capi/ffi-only.sh checks it).
# liburing.so.2 follows only so that the same programs also run on upstream's
# liburing-ffi.so.2 (the reference runs), which lacks io_uring_buf_ring_head.
# It is linked with --no-as-needed: a toolchain that defaults to --as-needed
# (sid's gcc) would drop it, every symbol being found in liburing-ffi.so.2.
CAPI_INC      := $(INCOUT)
CAPI_INC_DEP  := capi-our-headers
CAPI_DEFS     := -DLIBURING_FFI
CAPI_LINK     := $(CAPI_LIBDIR)/$(FFI_SONAME) -Wl,--push-state,--no-as-needed $(CAPI_LIBDIR)/$(SONAME) -Wl,--pop-state
else ifneq ($(filter installed installed-ffi,$(CAPI_HEADERS)),)
# The installed packages (packaging/debian/tests/capi, an autopkgtest): the
# system's headers and libraries as pkg-config names them; nothing of this
# tree's build is made or used. installed-ffi: the header in FFI form and
# liburing-ffi.so.2.
CAPI_PC       := $(if $(filter installed-ffi,$(CAPI_HEADERS)),liburing-ffi,liburing)
CAPI_INC      := $(shell pkg-config --variable=includedir $(CAPI_PC))
CAPI_INC_DEP  :=
CAPI_LIBDIR   := $(shell pkg-config --variable=libdir $(CAPI_PC))
CAPI_DEFS     := $(if $(filter installed-ffi,$(CAPI_HEADERS)),-DLIBURING_FFI)
CAPI_LINK     := $(shell pkg-config --libs $(CAPI_PC))
CAPI_LIB_DEPS :=
ifeq ($(CAPI_LIBDIR),)
$(error CAPI_HEADERS=$(CAPI_HEADERS): pkg-config does not know $(CAPI_PC); is liburing-dev installed?)
endif
else
$(error CAPI_HEADERS must be "ours", "upstream", "ffi", "installed" or "installed-ffi", not "$(CAPI_HEADERS)")
endif
# What the programs are linked against, made first (not for installed ones).
CAPI_LIB_DEPS ?= $(SO) $(FFI_SO)

CAPI_OUT      := $(BUILD)/capi-tests/$(CAPI_HEADERS)
CAPI_BINS     := $(addprefix $(CAPI_OUT)/,$(CAPI_PROGS))

TEST_TARGETS += test-capi test-capi-ffi test-qemu test-capi-valgrind test-capi-reference

.PHONY: test-capi test-capi-ffi test-qemu capi-build capi-valgrind test-capi-valgrind capi-our-headers test-capi-reference capi-upstream-tree

# Our headers must exist: build them, and say clearly when they do not.
capi-our-headers: headers
	@test -f $(INCOUT)/liburing.h || { \
		echo "test-capi: $(INCOUT)/liburing.h is missing;" \
		     "use 'make test-capi CAPI_HEADERS=upstream' to test the library alone"; \
		exit 1; }

# Upstream's header needs two files its configure script writes
# (liburing/compat.h, liburing/io_uring_version.h): its configured tree, a link
# to the one capi-tests/lib/upstream-build.sh keeps (a step, redone each time:
# upstream-build.sh answers at once when the tree is there).
capi-upstream-tree:
	@mkdir -p $(dir $(CAPI_UPSTREAM)) && t=$$(capi-tests/lib/upstream-build.sh $(CAPI_UPSTREAM_FLAGS) --configure-only) && \
	ln -sfn "$$t" $(CAPI_UPSTREAM)

# The scaffolding (capi.c) and the system-call spy (spy.c), compiled once per
# header form (the helpers they call inline come from that form's header)
# and linked into every program. A function per section, and the unused ones
# dropped at link time: a program imports only what it calls, as when the
# scaffolding was a header of static inline functions (ffi-only.sh counts
# the imports).
CAPI_COMPILE  = $(CAPI_CC) $(CAPI_CFLAGS) $(CAPI_DEFS) -I$(CAPI_INC) -DCAPI_LIBDIR='"$(CAPI_LIBDIR)"'
CAPI_OBJS     := $(CAPI_OUT)/capi.o $(CAPI_OUT)/spy.o

$(CAPI_OUT)/capi.o: $(CAPI_DIR)/capi.c $(CAPI_DIR)/capi.h | $(CAPI_INC_DEP)
	@mkdir -p $(CAPI_OUT)
	$(CAPI_COMPILE) -ffunction-sections -c -o $@ $<

$(CAPI_OUT)/spy.o: $(CAPI_DIR)/spy.c $(CAPI_DIR)/spy.h $(CAPI_DIR)/capi.h | $(CAPI_INC_DEP)
	@mkdir -p $(CAPI_OUT)
	$(CAPI_COMPILE) -ffunction-sections -c -o $@ $<

$(CAPI_OUT)/%: $(CAPI_DIR)/%.c $(CAPI_DIR)/capi.h $(CAPI_DIR)/spy.h $(CAPI_OBJS) $(CAPI_LIB_DEPS) | $(CAPI_INC_DEP)
	@mkdir -p $(CAPI_OUT)
	$(CAPI_COMPILE) -o $@ $< $(CAPI_OBJS) -Wl,--gc-sections $(CAPI_LINK) -Wl,-rpath,$(CAPI_LIBDIR) -lpthread

capi-build: $(CAPI_BINS)

test-capi: capi-build
	$(CAPI_DIR)/run-capi.sh $(CAPI_OUT) $(CAPI_LIBDIR) $(CAPI_PROGS)

# The same programs with the header in FFI form, against liburing-ffi.so.2;
# then every function they import must be liburing-ffi.so.2's (ffi-only.sh).
test-capi-ffi:
	$(MAKE) --no-print-directory test-capi CAPI_HEADERS=ffi
	@CC=$(CC) RUST_A=$(RUST_A) $(CAPI_DIR)/ffi-only.sh $(BUILD)/capi-tests/ffi $(CAPI_LIBDIR) $(CAPI_PROGS)

capi-valgrind: capi-build
	CAPI_VALGRIND=1 $(CAPI_DIR)/run-capi.sh $(CAPI_OUT) $(CAPI_LIBDIR) $(CAPI_PROGS)

# In `make test`: the whole valgrind pass takes a few seconds (200k NOPs).
# valgrind is installed when missing (capi-tests/lib/pkg.sh); when it cannot
# be, the target fails, unless SKIP=valgrind (then make test counts it as
# skipped; capi-tests/skip.sh). CAPI_VALGRIND_BIN names the program looked for
# (the control in capi-tests/skip-control.sh points it at a missing one).
CAPI_VALGRIND_BIN ?= valgrind
test-capi-valgrind: capi-build
	@if capi-tests/lib/pkg.sh need $(CAPI_VALGRIND_BIN) valgrind; then \
		CAPI_VALGRIND=1 $(CAPI_DIR)/run-capi.sh $(CAPI_OUT) $(CAPI_LIBDIR) $(CAPI_PROGS); \
	else \
		capi-tests/skip.sh valgrind test-capi-valgrind "$(CAPI_VALGRIND_BIN) is not installed and the package valgrind could not provide it"; \
	fi

test-qemu: $(SO)
	$(CAPI_DIR)/qemu-io.sh $(CAPI_LIBDIR)

# Validate the tests themselves: run them against upstream 2.15's own
# liburing.so.2, built from the fetched source, and against ours in the same
# run; every check must agree unless capi-tests/capi/reference-expectations.txt
# lists it with the reason (run-reference.sh, reference-judge.py).
# --use-libc: our library allocates probes with malloc() (callers free() them),
# and the tests check that; upstream's no-libc build would crash there.
# Upstream's library: capi-tests/lib/upstream-build.sh --use-libc (built once
# for every user: kernels.sh takes the same).
test-capi-reference: capi-build
	@ref=$$(capi-tests/lib/upstream-build.sh --use-libc) && \
	echo "$(CAPI_DIR)/run-reference.sh $(CAPI_OUT) $(CAPI_LIBDIR) $$ref/src $(CAPI_PROGS)" && \
	$(CAPI_DIR)/run-reference.sh $(CAPI_OUT) $(CAPI_LIBDIR) "$$ref/src" $(CAPI_PROGS)
