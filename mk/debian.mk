# The Debian source package (packaging/debian/; packaging/README.md).
#
## test-debian-symbols: packaging/debian/liburing2.symbols against the version scripts; two plants
## test-debian-smoke: the package built in the sid root, lintian, a pkg-config autopkgtest, the symbols
## test-debian: the whole package check: lintian, autopkgtest (with upstream's tests), Debian's symbols, reproducible; plants
## deb: dpkg-buildpackage -us -uc in the sid root (ARCH=...: another architecture's)
## dist: the orig tarball, build/dist/liburing-rs_<upstream>.orig.tar.xz
#
#   make dist                  build/dist/liburing-rs_<upstream>.orig.tar.xz, git
#                              archive of the tracked files (uncommitted edits included)
#   make deb                   dpkg-buildpackage -us -uc in the Debian unstable root
#                              (capi-tests/arches/root.sh); the .debs in build/deb/
#   make deb ARCH=arm64        another architecture's, cross-built from the same
#                              source (dpkg-buildpackage -a; capi-tests/arches/deb.sh),
#                              in build/deb/arm64/
#   make test-debian           the source package built by dpkg-buildpackage in the sid
#                              root; lintian --pedantic with no error and no warning;
#                              autopkgtest (packaging/debian/tests/: our C programs in
#                              both forms on the installed packages, CAPI_HEADERS=installed
#                              and installed-ffi; a pkg-config build, dynamic and static;
#                              41 of upstream's own tests, capi-tests/kernels/smoke-tests.txt,
#                              built with pkg-config against the installed liburing-dev)
#                              with the null runner in an overlay of the root; Debian's
#                              own liburing2.symbols of 2.15-1 satisfied by our libraries
#                              (dpkg-gensymbols -c1); a second build in another directory
#                              byte-identical. Plants: a copyright file without a year, a
#                              liburing-dev without liburing.pc, an upstream test that
#                              fails, upstream's tree missing, Debian's symbols plus a
#                              symbol we do not export, a build without
#                              --remap-path-prefix
#   make test-debian-smoke     (in make test) the build, lintian, autopkgtest's
#                              pkg-config-build and the symbols with their plants; not
#                              upstream-tests (a minute more), not Debian's test-build,
#                              not the second builds
#   make test-debian-symbols   packaging/debian/liburing2.symbols against the version
#                              scripts; plants: a symbol dropped, a symbol under another node
#
# Times here: test-debian-symbols under 1 s; test-debian-smoke 106 s at load
# average 3-4 with the root's Build-Depends installed (the build 29 s, lintian
# 48 s, autopkgtest 25 s and its plant 30 s); test-debian 22 min 23 s, nearly
# all of it Debian's test-build waiting in upstream's ucontext-cp (a second per
# KiB copied). With upstream-tests: test-debian-smoke 99 s (unchanged: it does
# not run it), test-debian 23 min 58 s (autopkgtest 155 s, of which
# upstream-tests some 73 s; its two plants 20 s and 18 s).
# Needs (all but test-debian-symbols and dist): root (chroot), the sid root of
# capi-tests/arches/root.sh with the Build-Depends added by apt-get build-dep
# under its lock, lintian there; the Debian archive (Debian's liburing 2.15-1
# source package).

.PHONY: dist deb test-debian test-debian-smoke test-debian-symbols

TEST_TARGETS += test-debian-symbols test-debian-smoke

dist:
	@packaging/debian-build.sh dist

deb:
	$(if $(ARCH),capi-tests/arches/deb.sh --build $(ARCH),packaging/debian-build.sh build)

test-debian:
	@packaging/test-debian.sh

test-debian-smoke:
	@packaging/test-debian.sh --smoke

test-debian-symbols:
	@packaging/symbols.py check --plant
