#!/usr/bin/env bash
# Checked mode from C (make test-checked).
#
#   run.sh LIBDIR INCDIR
#
# Builds misuse.c and clean.c in two forms into build/checked/ (misuse.c
# also in the plain form linked statically with liburing.a):
#   ffi    -DLIBURING_CHECKED (every helper a call), linked with liburing-ffi.so.2
#   plain  the usual inline helpers, linked with liburing.so.2
# plus our capi-tests/capi/nops.c in the checked FFI form and benches/nop.c in both
# forms, then runs check.py: every misuse caught (SIGABRT and one line naming
# the function and the problem; warn mode goes on), and correct programs
# silent under LIBURING_CHECK=1.
set -euo pipefail

libdir=${1:?usage: run.sh LIBDIR INCDIR}
incdir=${2:?usage: run.sh LIBDIR INCDIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/checked
cc=${CC:-cc}
cflags=(-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -I"$incdir")
mkdir -p "$out"

build() { # name source form [extra flags or sources...]
	local name=$1 src=$2 form=$3
	shift 3
	local lib=uring def=()
	if [ "$form" = ffi ]; then lib=uring-ffi; def=(-DLIBURING_CHECKED); fi
	"$cc" "${cflags[@]}" "${def[@]}" "$@" -o "$out/$name-$form" "$src" \
		-L"$libdir" -l"$lib" -Wl,-rpath,"$libdir" -lpthread
}

for form in ffi plain; do
	build misuse "$here/misuse.c" "$form"
	build clean "$here/clean.c" "$form"
	build bench-nop "$top/benches/nop.c" "$form" -std=gnu11
done
build capi-nops "$top/capi-tests/capi/nops.c" ffi -DCAPI_LIBDIR="\"$libdir\"" "$top/capi-tests/capi/capi.c"
# Plain form linked statically with liburing.a: the mode must be read there
# too (ELF constructor, or the first call), and the archive must link on its
# own (no Rust panic machinery left to resolve).
"$cc" "${cflags[@]}" -o "$out/misuse-static" "$here/misuse.c" "$libdir/liburing.a" -lpthread

# The FFI form must really call the library's helpers.
for f in misuse-ffi clean-ffi; do
	nm -D --undefined-only "$out/$f" | grep -qw io_uring_cq_advance || {
		echo "test-checked: $f does not import io_uring_cq_advance: LIBURING_CHECKED left the helpers inline"
		exit 1
	}
done
nm -D --undefined-only "$out/misuse-plain" | grep -qw io_uring_cq_advance && {
	echo "test-checked: misuse-plain imports io_uring_cq_advance: the plain form should inline it"
	exit 1
}

exec python3 "$here/check.py" "$out" "$libdir" "$top"
