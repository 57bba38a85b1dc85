#!/usr/bin/env bash
# The smoke's planted regression: our liburing.so.2 built from a copy of the
# sources with the NO_SQARRAY fall-back taken out (queue_init_params no longer
# retries without IORING_SETUP_NO_SQARRAY when the kernel answers -EINVAL), so
# every io_uring_queue_init asks the kernel for NO_SQARRAY and nothing else.
# Linux 6.1 has no NO_SQARRAY (it came in 6.6): on bookworm's kernel setup.c
# must fail on this library, and kernels.sh --smoke requires that it does
# (guest-job.sh runs it, report.py judges it). The shipped sources and
# build/lib are not touched: the copy and its build live under OUT.
#
#   plant.sh OUT      prints the directory holding the planted liburing.so.2
#
# The build is cached (OUT/stamp: a hash of the edited inputs) and made with
# a cheap profile (no LTO, opt-level 1): it is a control, not a product.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: plant.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tree=$out/tree

rm -rf "$tree.new"
mkdir -p "$tree.new"
(cd "$top" && cp -R src Cargo.toml Cargo.lock build.rs liburing.map "$tree.new/")
# The one edit, which must apply exactly once (a changed source fails here
# loudly instead of building an unplanted library).
python3 - "$tree.new/src/setup.rs" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
m = re.search(r"pub unsafe fn queue_init_params\(.*?\n}\n", s, re.S)
if not m:
    sys.exit("plant.sh: no queue_init_params in src/setup.rs")
body = m.group(0)
pat = re.compile(r"if (ret\.0 == -libc::EINVAL && asked & IORING_SETUP_NO_SQARRAY == 0) \{")
if len(pat.findall(body)) != 1:
    sys.exit("plant.sh: the NO_SQARRAY fall-back test of queue_init_params is not where it was; "
             "update the plant to the new source")
body = pat.sub(r"if false && \1 {", body)
open(p, "w").write(s[:m.start()] + body + s[m.end():])
PY
key=$(cd "$tree.new" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$key" ] && [ -e "$out/lib/liburing.so.2" ]; then
    rm -rf "$tree.new"
    echo "$out/lib"
    exit 0
fi
rm -rf "$tree"
mv "$tree.new" "$tree"
rm -f "$out/stamp"
t0=$(date +%s)
(
    cd "$tree"
    export CARGO_TARGET_DIR=$out/cargo CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_INCREMENTAL=0
    cargo build --release --quiet --lib --offline 2>/dev/null || cargo build --release --quiet --lib
) >&2
mkdir -p "$out/lib"
${CC:-cc} -shared -o "$out/lib/liburing.so.2" -Wl,--whole-archive "$out/cargo/release/liburing.a" \
    -Wl,--no-whole-archive -Wl,--version-script="$tree/liburing.map" -Wl,-soname,liburing.so.2 \
    -Wl,--gc-sections -Wl,-z,relro -Wl,-z,now -Wl,--as-needed -lc >&2
echo "plant.sh: planted library (no NO_SQARRAY fall-back) built in $(( $(date +%s) - t0 )) s" >&2
echo "$key" > "$out/stamp"
echo "$out/lib"
