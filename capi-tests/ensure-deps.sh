#!/usr/bin/env bash
# Make sure the tools the checks need are present, installing the missing
# ones with apt-get (Debian; capi-tests/lib/pkg.sh). Other targets may call it; it is quiet when
# nothing is missing.
#
#   libclang   bindgen (a dev-dependency: src/tests/layout_check.rs) loads it
#   python3, bc, timeout, nm, readelf, gcc, g++, make   the test scripts
set -uo pipefail

say() { echo "ensure-deps: $*" >&2; }
need_pkgs=()

have_libclang() {
    # What clang-sys looks for: LIBCLANG_PATH, then the usual places. Only
    # libclang.so* / libclang-<version>.so* (libclang-cpp is another library).
    local d
    for d in ${LIBCLANG_PATH:-} /usr/lib/llvm-*/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
        [ -d "$d" ] || continue
        if find "$d" -maxdepth 1 \( -name 'libclang.so*' -o -name 'libclang-[0-9]*.so*' \) \
            | grep -q .; then
            return 0
        fi
    done
    return 1
}

have_libclang || need_pkgs+=(libclang-dev)
command -v python3 >/dev/null || need_pkgs+=(python3)
command -v bc >/dev/null || need_pkgs+=(bc)
command -v timeout >/dev/null || need_pkgs+=(coreutils)
command -v nm >/dev/null && command -v readelf >/dev/null || need_pkgs+=(binutils)
command -v gcc >/dev/null || need_pkgs+=(gcc)
command -v g++ >/dev/null || need_pkgs+=(g++)
command -v make >/dev/null || need_pkgs+=(make)

[ ${#need_pkgs[@]} -eq 0 ] && exit 0

say "missing: ${need_pkgs[*]}"
# shellcheck source=capi-tests/lib/pkg.sh
source "$(dirname "$0")/lib/pkg.sh"
if ! pkg_install "${need_pkgs[@]}"; then
    say "without ${need_pkgs[*]} the layout test (bindgen) and the C checks cannot run (for libclang, LIBCLANG_PATH may name one)"
    exit 1
fi
have_libclang || { say "libclang still not found after installing libclang-dev"; exit 1; }
say "installed ${need_pkgs[*]}"
