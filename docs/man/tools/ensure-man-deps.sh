#!/usr/bin/env bash
# Install what the manual pages need, as capi-tests/ensure-deps.sh does for
# the C checks: scdoc (converter), mandoc (lint, Markdown), man-db (man -l),
# groff-base (man's formatter), python3 (the generator), python3-jsonschema
# (api.json against docs/api/api.schema.json), python3-clang-NN (api.json
# against the header as libclang NN parses it), manpages and manpages-dev (the
# system pages SEE ALSO names). Quiet when present.
#
# --build: only what building the pages and api.json takes (scdoc, python3),
# as a package build has it (packaging/debian/control's Build-Depends); the
# checks and the HTML copies need the rest.
set -uo pipefail
say() { echo "ensure-man-deps: $*" >&2; }
need=()
command -v scdoc >/dev/null || need+=(scdoc)
command -v python3 >/dev/null || need+=(python3)
if [ "${1:-}" != --build ]; then
	command -v mandoc >/dev/null || need+=(mandoc)
	command -v man >/dev/null || need+=(man-db)
	command -v groff >/dev/null || command -v nroff >/dev/null || need+=(groff-base)
	# (check-api.py validates with Debian's Python when python3 is another one)
	python3 -c 'import jsonschema' 2>/dev/null || /usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
		need+=(python3-jsonschema)
	# the bindings of the newest libclang installed (any: python3-clang's)
	if ! python3 -c 'import clang.cindex' 2>/dev/null && ! /usr/bin/python3 -c 'import clang.cindex' 2>/dev/null; then
		v=$(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'libclang1-*' 2>/dev/null |
			awk '$1 == "ii" { sub("libclang1-", "", $2); print $2 }' | sort -n | tail -1)
		need+=("python3-clang${v:+-$v}")
	fi
	# The system pages that SEE ALSO sections name (man -w must find them).
	[ -e /usr/share/man/man2/mmap.2.gz ] || need+=(manpages-dev)
	[ -e /usr/share/man/man7/epoll.7.gz ] || need+=(manpages)
fi
[ ${#need[@]} -eq 0 ] && exit 0
say "missing: ${need[*]}"
# shellcheck source=capi-tests/lib/pkg.sh
source "$(dirname "$0")/../../../capi-tests/lib/pkg.sh"
if ! pkg_install "${need[@]}"; then
    say "without ${need[*]} the man pages cannot be built or checked"
    exit 1
fi
say "installed ${need[*]}"
