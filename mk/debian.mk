# The Debian source package (packaging/debian/; packaging/README.md).
#
#   make dist                  build/dist/liburing-rs_<upstream>.orig.tar.xz, git
#                              archive of the tracked files (uncommitted edits included)
#   make deb                   dpkg-buildpackage -us -uc in the Debian unstable root
#                              (capi-tests/arches/root.sh); the .debs in build/deb/
#   make deb ARCH=arm64        another architecture's, cross-built from the same
#                              source (dpkg-buildpackage -a; capi-tests/arches/deb.sh),
#                              in build/deb/arm64/
#   make test-debian           lintian (no error, no warning), Debian's own
#                              liburing2.symbols against our libraries, two builds
#                              byte-identical; a planted regression for each
#   make test-debian-smoke     (in make test) the build, lintian and the symbols,
#                              without the second builds
#   make test-debian-symbols   packaging/debian/liburing2.symbols against the version
#                              scripts (and its plants)

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
