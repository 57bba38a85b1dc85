# Manual pages (issue 16): sources in docs/man/man{2,3,7}/*.scd, converted by
# scdoc, synopses taken from include/liburing.h. See docs/man/README.md.
#
## test-man: the pages' coverage, names, return kinds, lint, api.json, header, docs/api/; plants
## man: build/man/man{2,3,7}/, the pages and symbolic links to them
## api-json: build/man/api.json, what each function returns and its arrays
## man-web: regenerates docs/api/ (Markdown copies, committed)
## man-deps: scdoc and python3, what building the pages takes
## man-check-deps: the checkers (mandoc, man-db) and the system pages too
## install-man: the pages and api.json under DESTDIR/PREFIX (run by install)
## uninstall-man: removes them (run by uninstall)
#
#   make man              build/man/man{2,3,7}/ (pages and symbolic links to them)
#   make api-json         build/man/api.json (what each function returns, its arrays)
#   make man-web          regenerate docs/api/ (Markdown copies, committed)
#   make test-man         coverage + names + return kinds, lint (mandoc, man -l),
#                         api.json against its schema (docs/api/api.schema.json), the
#                         header (compiler, libclang) and behaviour, docs/api/ up to date,
#                         and the planted regressions of each check
#
# test-man takes 2-3 min here (the first run also builds upstream's library
# under target/man/). Needs apt-get (scdoc, mandoc, man-db, groff-base:
# docs/man/tools/ensure-man-deps.sh) and the upstream source. The tools and
# the checks are in docs/man/tools/.

MANTOOL := docs/man/tools/manpages.py
MAN_SRCS := $(wildcard docs/man/man2/*.scd docs/man/man3/*.scd docs/man/man7/*.scd)

.PHONY: man api-json man-web test-man man-deps man-check-deps

TEST_TARGETS += test-man

# Building the pages needs scdoc and python3 (a package build has no more);
# checking them and the HTML copies need mandoc, man-db and the system pages.
man-deps:
	@docs/man/tools/ensure-man-deps.sh --build

man-check-deps:
	@docs/man/tools/ensure-man-deps.sh

build/man/.stamp: $(MAN_SRCS) $(MANTOOL) $(HEADERS) | man-deps
	@python3 $(MANTOOL) build
	@touch $@

man: man-deps build/man/.stamp

build/man/api.json: build/man/.stamp liburing.map liburing-ffi.map
	@python3 $(MANTOOL) api $@

api-json: build/man/api.json

man-web: man api-json man-check-deps
	@python3 $(MANTOOL) web docs/api
	@cp build/man/api.json docs/api/api.json

test-man: lib man api-json man-check-deps
	@docs/man/tools/test-man.sh
	@python3 docs/man/tools/constants.py --planted

# Installed with the libraries: the pages under $(MANDIR) (man-db finds them
# by the same names as liburing-dev's), api.json under $(DATADIR)/liburing-rs.
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share

.PHONY: install-man uninstall-man
install: install-man
uninstall: uninstall-man

install-man: man api-json
	install -d $(DESTDIR)$(MANDIR)/man2 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DATADIR)/liburing-rs
	for s in 2 3 7; do for f in build/man/man$$s/*.$$s; do \
		if [ -L $$f ]; then ln -sfn $$(readlink $$f) $(DESTDIR)$(MANDIR)/man$$s/$$(basename $$f); \
		else install -m 644 $$f $(DESTDIR)$(MANDIR)/man$$s/; fi; done; done
	install -m 644 build/man/api.json $(DESTDIR)$(DATADIR)/liburing-rs/api.json

uninstall-man:
	for f in $$(python3 $(MANTOOL) list); do rm -f $(DESTDIR)$(MANDIR)/$$f $(DESTDIR)$(MANDIR)/$$f.gz; done
	rm -f $(DESTDIR)$(DATADIR)/liburing-rs/api.json
	-rmdir $(DESTDIR)$(DATADIR)/liburing-rs
