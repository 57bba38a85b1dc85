# Manual pages (issue 16): sources in docs/man/man{2,3,7}/*.scd, converted by
# scdoc, synopses taken from include/liburing.h. See docs/man/README.md.
#
#   make man              build/man/man{2,3,7}/ (pages and .so links)
#   make api-json         build/man/api.json (what each function returns, its arrays)
#   make man-web          regenerate docs/api/ (Markdown copies, committed)
#   make test-man         coverage + names + return kinds, lint (mandoc, man -l),
#                         api.json against header and behaviour, docs/api/ up to date,
#                         and the planted regressions of each check

MANTOOL := docs/man/tools/manpages.py
MAN_SRCS := $(wildcard docs/man/man2/*.scd docs/man/man3/*.scd docs/man/man7/*.scd)

.PHONY: man api-json man-web test-man man-deps

TEST_TARGETS += test-man

man-deps:
	@docs/man/tools/ensure-man-deps.sh

build/man/.stamp: $(MAN_SRCS) $(MANTOOL) $(HEADERS) | man-deps
	@python3 $(MANTOOL) build
	@touch $@

man: man-deps build/man/.stamp

build/man/api.json: build/man/.stamp liburing.map liburing-ffi.map
	@python3 $(MANTOOL) api $@

api-json: build/man/api.json

man-web: man api-json
	@python3 $(MANTOOL) web docs/api
	@cp build/man/api.json docs/api/api.json

test-man: lib man api-json
	@docs/man/tools/test-man.sh
