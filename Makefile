# liburing-rs: build the Rust core into liburing.so.2 / liburing-ffi.so.2,
# lay out headers and pkg-config files under build/, install, and test.
#
## all: the libraries, headers and pkg-config files under build/ (lib, headers, pkgconfig)
## lib: liburing.so.2, liburing-ffi.so.2 and their static archives in build/lib/
## headers: include/ copied to build/include/
## pkgconfig: liburing.pc and liburing-ffi.pc for the build tree
## install: libraries, headers, pkg-config files and man pages under DESTDIR/PREFIX
## uninstall: removes what install put there
## clean: removes build/ and cargo's target/
## help: this list: every target with one line (T: in make test, C: in make check)
## test: every target marked T in turn, then "test targets: N passed, N failed, N skipped"
## test-disk-space: make test's first step: fails, naming both figures, when target/'s file system has less than TEST_DISK_MIB free
## check: the fast loop while changing code, the targets marked C
## test-rust: the Rust unit tests, debug profile with overflow checks (cargo test --lib)
## test-rust-release: the same unit tests optimized (cargo test --release --lib)
## ensure-deps: installs the tools the checks need (libclang-dev, ...)
## test-map: the map names every target, fragment and folder; every target has a help line
## test-skips: the loud-skip rule's planted regressions and the package installer's
#
# Each file opens with its targets, one `## target: description` line each:
# `make help` prints them, and `make test-map` (capi-tests/check-map.sh) fails
# when a .PHONY target has none. The long story of a target (what it compares,
# what it plants, its caveats, the times measured here) is in the comments of
# its file; capi-tests/README.md is the map, one short line per target.
#
# The rust rows of the map: test-rust builds in 61 s from a clean target
# directory (2 cores) and runs in 3 s; the fat-LTO release test binary of
# test-rust-release takes 2 min 31 s to build from clean. Both need libclang
# (ensure-deps installs libclang-dev) and the upstream source.

VERSION      := 2.15
MAJOR        := 2
PREFIX       ?= /usr
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
DESTDIR      ?=
CC           ?= cc
CARGO        ?= cargo

BUILD        := build
LIBOUT       := $(BUILD)/lib
INCOUT       := $(BUILD)/include
RUST_A       := target/release/liburing.a
SONAME       := liburing.so.$(MAJOR)
FFI_SONAME   := liburing-ffi.so.$(MAJOR)
SO           := $(LIBOUT)/liburing.so.$(VERSION)
FFI_SO       := $(LIBOUT)/liburing-ffi.so.$(VERSION)
HEADERS      := $(shell find include -name '*.h' 2>/dev/null)

.PHONY: all lib headers pkgconfig test check install uninstall clean test-rust test-rust-release ensure-deps test-map test-skips \
	help test-disk-space

all: lib headers pkgconfig

# Test areas: each mk/<area>.mk drives the folder capi-tests/<area>/ (bench.mk
# benches/, reliability.mk fuzz/ too) and adds its targets to TEST_TARGETS;
# capi-tests/README.md is the map.
TEST_TARGETS := test-rust test-skips
-include $(sort $(wildcard mk/*.mk))

# The fast loop while changing code: unit tests, our C tests in both forms
# (plain and FFI), the header and FFI differential checks against upstream.
# test-header-quick is the quick form of make test's test-header (without
# compiling upstream's whole corpus).
# test-map: capi-tests/README.md names every target, fragment and folder.
CHECK_TARGETS := test-map test-rust test-capi test-capi-ffi test-header-quick test-ffi-diff

# $(call run_targets,TARGETS,NAME): each target in turn, then a summary line.
# A target that could not run a part and was let off by the caller's opt-out
# (SKIP=valgrind,...; capi-tests/skip.sh) leaves lines in $(SKIP_RECORD): it
# is counted as skipped, never as passed, and the lines are listed.
SKIP_RECORD ?= $(CURDIR)/$(BUILD)/skipped.txt
# Each target's output is also kept in $(TARGET_LOGS); the summary repeats
# the last lines of every failed one, so a cut-down CI log still says why.
TARGET_LOGS ?= $(CURDIR)/$(BUILD)/logs
define run_targets
	@failed=""; passed=0; nfailed=0; nskipped=0; times=""; rec=$(SKIP_RECORD); all=$(SKIP_RECORD).$(2); \
	mkdir -p $$(dirname $$rec) $(TARGET_LOGS); : > $$all; : > $$all.fail; for t in $(1); do \
		echo "=== make $$t ==="; rm -f $$rec; t0=$$(date +%s); \
		log=$(TARGET_LOGS)/$(2).$$t.log; \
		{ SKIP_RECORD=$$rec $(MAKE) --no-print-directory $$t; echo $$? > $$log.rc; } 2>&1 | tee $$log; \
		if [ "$$(cat $$log.rc)" = 0 ]; then \
			if [ -s $$rec ]; then nskipped=$$((nskipped + 1)); sed 's/^/  /' $$rec >> $$all; v=skipped; \
			else passed=$$((passed + 1)); v=passed; fi; \
		else failed="$$failed $$t"; nfailed=$$((nfailed + 1)); v=failed; \
			tail -n 12 $$log | sed "s/^/  $$t| /" >> $$all.fail; fi; \
		dt=$$(( $$(date +%s) - t0 )); times="$$times$$(printf '  %-24s %-8s %4d s' $$t $$v $$dt)\n"; \
		echo "=== make $$t: $$v in $$dt s ==="; \
	done; rm -f $$rec; \
	printf "$(2) targets, wall time each:\n$$times"; \
	if [ -s $$all ]; then echo "SKIPPED $(2) targets, and why:"; cat $$all; fi; \
	if [ -s $$all.fail ]; then echo "the last lines of each failed target (whole logs: $(TARGET_LOGS)/$(2).TARGET.log):"; cat $$all.fail; fi; \
	if [ -n "$$failed" ]; then echo "FAILED $(2) targets:$$failed"; fi; \
	echo "$(2) targets: $$passed passed, $$nfailed failed, $$nskipped skipped"; \
	[ -z "$$failed" ]
endef

# A fresh clone's make test used 9.5 GiB on this machine kind at 185c7ef:
# 8.2 GiB in the clone (5.5 of it the architectures' seven-architecture
# Debian root), most of the rest the packages it installs. It stops first,
# naming both figures, on a file system with less than TEST_DISK_MIB free (a
# CI run whose disk filled ended in a cascade of "No space left on device").
TEST_DISK_MIB ?= 12288
test-disk-space:
	@capi-tests/lib/disk-space.sh $(TEST_DISK_MIB) $(CURDIR)/target "make test"

test: test-disk-space all
	$(call run_targets,$(TEST_TARGETS),test)

check: all
	$(call run_targets,$(CHECK_TARGETS),check)

# src/tests/layout_check.rs runs bindgen, which needs libclang at test time.
# The unit tests run in the debug profile: integer overflow checks and debug
# assertions are on, and it builds in a minute where the fat-LTO release test
# binary takes two and a half (the shipped release library itself is what
# every C test target loads). test-rust-release runs them optimized.
test-rust: ensure-deps
	$(CARGO) test --lib

test-rust-release: ensure-deps
	$(CARGO) test --release --lib

ensure-deps:
	@capi-tests/ensure-deps.sh

# check-map.sh --control plants a target without a help line (and the other
# regressions it looks for) in a copy first: each must fail the check.
test-map:
	@capi-tests/check-map.sh --control
	@capi-tests/check-map.sh

help:
	@capi-tests/make-help.sh "$(TEST_TARGETS)" "$(CHECK_TARGETS)" Makefile $(sort $(wildcard mk/*.mk))

# The loud-skip rule's planted regressions (capi-tests/skip-control.sh).
test-skips: all capi-build
	@capi-tests/skip-control.sh

# Our headers are copied to build/include by `make headers` once they exist
# (used by mk/abi.mk and mk/upstream.mk).
define refresh_headers
	@if [ -f include/liburing.h ]; then $(MAKE) --no-print-directory headers pkgconfig >/dev/null; fi
endef

# src/tests/ is test-only Rust (#[cfg(any(test, fuzzing))]): cargo does not
# rebuild the archive for it, so it is no prerequisite (capi-tests/arches/
# cross.sh links with CARGO=false and would find the archive out of date).
$(RUST_A): $(shell find src -name '*.rs' -not -path 'src/tests/*') Cargo.toml build.rs
	$(CARGO) build --release --quiet

# The shared objects are linked from the static archive so that our own
# version script is the only one (rustc passes its own to a cdylib).
# LDFLAGS (empty unless given) carries a distribution's link flags.
define link_so
	@mkdir -p $(LIBOUT)
	$(CC) -shared -o $(1) -Wl,--whole-archive $(RUST_A) -Wl,--no-whole-archive \
		-Wl,--version-script=$(2) -Wl,-soname,$(3) -Wl,--gc-sections \
		-Wl,-z,relro -Wl,-z,now -Wl,--as-needed $(LDFLAGS) -lc
endef

$(SO): $(RUST_A) liburing.map
	$(call link_so,$@,liburing.map,$(SONAME))
	ln -sf liburing.so.$(VERSION) $(LIBOUT)/$(SONAME)
	ln -sf $(SONAME) $(LIBOUT)/liburing.so

$(FFI_SO): $(RUST_A) liburing-ffi.map
	$(call link_so,$@,liburing-ffi.map,$(FFI_SONAME))
	ln -sf liburing-ffi.so.$(VERSION) $(LIBOUT)/$(FFI_SONAME)
	ln -sf $(FFI_SONAME) $(LIBOUT)/liburing-ffi.so

$(LIBOUT)/liburing.a $(LIBOUT)/liburing-ffi.a: $(RUST_A)
	@mkdir -p $(LIBOUT)
	cp $(RUST_A) $@

lib: $(SO) $(FFI_SO) $(LIBOUT)/liburing.a $(LIBOUT)/liburing-ffi.a

headers: $(HEADERS)
	@mkdir -p $(INCOUT)
	cp -R include/. $(INCOUT)/

# pkg-config files for the build tree (prefix = build/) and for install.
define make_pc
	sed -e 's|@prefix@|$(2)|' -e 's|@libdir@|$(3)|' -e 's|@includedir@|$(4)|' \
		-e 's|@VERSION@|$(VERSION)|' $(1)
endef

pkgconfig: liburing.pc.in liburing-ffi.pc.in
	@mkdir -p $(LIBOUT)/pkgconfig
	$(call make_pc,liburing.pc.in,$(CURDIR)/$(BUILD),$(CURDIR)/$(LIBOUT),$(CURDIR)/$(INCOUT)) > $(LIBOUT)/pkgconfig/liburing.pc
	$(call make_pc,liburing-ffi.pc.in,$(CURDIR)/$(BUILD),$(CURDIR)/$(LIBOUT),$(CURDIR)/$(INCOUT)) > $(LIBOUT)/pkgconfig/liburing-ffi.pc

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring
	install -m 644 include/liburing.h $(DESTDIR)$(INCLUDEDIR)/liburing.h
	for h in $$(cd include && find liburing -name '*.h'); do \
		install -D -m 644 include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h; done
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/liburing.so.$(VERSION)
	ln -sf liburing.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf liburing.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liburing.so
	install -m 755 $(FFI_SO) $(DESTDIR)$(LIBDIR)/liburing-ffi.so.$(VERSION)
	ln -sf liburing-ffi.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(FFI_SONAME)
	ln -sf liburing-ffi.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liburing-ffi.so
	install -m 644 $(LIBOUT)/liburing.a $(DESTDIR)$(LIBDIR)/liburing.a
	install -m 644 $(LIBOUT)/liburing-ffi.a $(DESTDIR)$(LIBDIR)/liburing-ffi.a
	$(call make_pc,liburing.pc.in,$(PREFIX),$(LIBDIR),$(INCLUDEDIR)) > $(DESTDIR)$(LIBDIR)/pkgconfig/liburing.pc
	$(call make_pc,liburing-ffi.pc.in,$(PREFIX),$(LIBDIR),$(INCLUDEDIR)) > $(DESTDIR)$(LIBDIR)/pkgconfig/liburing-ffi.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/liburing.h
	for h in $$(cd include && find liburing -name '*.h'); do rm -f $(DESTDIR)$(INCLUDEDIR)/$$h; done
	-rmdir $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring $(DESTDIR)$(INCLUDEDIR)/liburing
	rm -f $(DESTDIR)$(LIBDIR)/liburing.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/liburing.so
	rm -f $(DESTDIR)$(LIBDIR)/liburing-ffi.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(FFI_SONAME) $(DESTDIR)$(LIBDIR)/liburing-ffi.so
	rm -f $(DESTDIR)$(LIBDIR)/liburing.a $(DESTDIR)$(LIBDIR)/liburing-ffi.a
	rm -f $(DESTDIR)$(LIBDIR)/pkgconfig/liburing.pc $(DESTDIR)$(LIBDIR)/pkgconfig/liburing-ffi.pc

clean:
	rm -rf $(BUILD)
	$(CARGO) clean
