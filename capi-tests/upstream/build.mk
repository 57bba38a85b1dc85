# Builds upstream liburing's test programs in one mode of the drop-in check.
# Invoked by capi-tests/upstream/run.sh inside target/upstream-tests/<mode>/test,
# a directory of links to the upstream test sources, with:
#   INCDIR    header directory the tests compile against
#   LIBDIR    directory holding the library they link against
#   LIBNAME   uring or uring-ffi
#   CONFIG_H  config-host.h written by upstream's configure for this machine
#   MODE_CPPFLAGS  extra preprocessor flags (-DLIBURING_FFI for the ffi mode)
#   MODE_LDLIBS    extra libraries after LIBNAME (see run.sh for the ffi mode)
#   SHIMDIR   capi-tests/upstream/shims
#   TARGETS   the .t programs to build
# Compiler flags follow upstream's test/Makefile for this configuration
# (gcc with -Wstringop-overflow and -Warray-bounds known to configure).
# Each program's compiler output is kept in <name>.build.log.

CC  ?= cc
CXX ?= c++

T_CPPFLAGS := -D_GNU_SOURCE -D__SANE_USERSPACE_TYPES__ -I$(INCDIR) \
	-include $(CONFIG_H) -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64 \
	$(MODE_CPPFLAGS)
T_WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wstringop-overflow=0 -Warray-bounds=0
T_CFLAGS   := -g -O3 $(T_WARN) -DLIBURING_BUILD_TEST -MMD -MP
T_CXXFLAGS := -g -O3 $(T_WARN) -std=c++11 -DLIBURING_BUILD_TEST -MMD -MP
T_LDLIBS   := -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -l$(LIBNAME) $(MODE_LDLIBS) -lpthread
LIBFILE    := $(LIBDIR)/lib$(LIBNAME).so
SUPPORT    := helpers.o shim-internal.o

.PHONY: all
all: $(TARGETS)

helpers.o: helpers.c
	@$(CC) $(T_CPPFLAGS) $(T_CFLAGS) -c -o $@ $< > helpers.build.log 2>&1 \
		|| { cat helpers.build.log; exit 1; }

shim-internal.o: $(SHIMDIR)/internal.c
	@$(CC) $(T_CPPFLAGS) $(T_CFLAGS) -c -o $@ $< > shim-internal.build.log 2>&1 \
		|| { cat shim-internal.build.log; exit 1; }

%.t: %.c $(SUPPORT) $(LIBFILE)
	@rm -f $@; $(CC) $(T_CPPFLAGS) $(T_CFLAGS) -o $@ $< $(SUPPORT) $(T_LDLIBS) \
		> $*.build.log 2>&1 || { echo "  not built: $@ (see $*.build.log)"; exit 1; }

%.t: %.cc $(SUPPORT) $(LIBFILE)
	@rm -f $@; $(CXX) $(T_CPPFLAGS) $(T_CXXFLAGS) -o $@ $< $(SUPPORT) $(T_LDLIBS) \
		> $*.build.log 2>&1 || { echo "  not built: $@ (see $*.build.log)"; exit 1; }

-include $(wildcard *.d)
