#!/usr/bin/env bash
# Checks the io_uring uapi headers under include/liburing/ three ways:
#
#  1. They compile cleanly: each header alone and all together, as C
#     (gnu11, -Wall -Wextra -Werror) and C++ (c++11 and c++20, same
#     warnings), next to the system's <linux/io_uring.h> in either order,
#     and with liburing's compat.h convention of defining struct
#     __kernel_timespec itself. A small program uses the members upstream's
#     tests use through the anonymous unions (sqe->addr2, sqe->cmd_op, ...);
#     it is compiled against upstream's headers too.
#  2. They match upstream liburing 2.15's headers: capi-tests/uapi/uapi-dump.py
#     inventories each header tree (every #define, enumerator, enum tag,
#     struct and field) and writes a C program printing every value with its
#     C type, every struct's size and alignment, and every field's offset,
#     size and declared type, with the header it lives in. The sorted outputs
#     for upstream's tree and ours must be identical.
#  3. The Rust module src/sys agrees with our headers: the unit test
#     sys::tests::uapi_tables_dump writes every Rust constant and struct
#     layout (see uapi_consts!/uapi_layout! in src/sys/mod.rs); every C
#     constant must exist in Rust with the same value, every Rust constant in
#     C, every C struct in Rust with the same size, every Rust field at the
#     offset of its C namesake (uapi-dump.py compare-rust).
#
# Environment: CC (gcc), CXX (g++), CARGO (cargo), LIBURING_UPSTREAM_SRC
# (else capi-tests/fetch-upstream.sh finds or fetches upstream).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
CC=${CC:-gcc}
CXX=${CXX:-g++}
CARGO=${CARGO:-cargo}
PYTHON=${PYTHON:-python3}
out="$top/target/uapi-check"
rm -rf "$out"
mkdir -p "$out"
headers="liburing/io_uring.h liburing/io_uring/query.h liburing/io_uring/bpf_filter.h"
fail=0
say() { echo "check-uapi: $*"; }
bad() { echo "check-uapi: FAIL: $*"; fail=1; }

# --- 1. compile checks -------------------------------------------------------

# Uses the union members by the names upstream's tests and examples use, and
# pins a few offsets so that a wrong union nesting cannot compile.
cat > "$out/usage.c" <<'EOF'
#include <stddef.h>
#include <liburing/io_uring.h>
#include <liburing/io_uring/query.h>
#include <liburing/io_uring/bpf_filter.h>

#ifdef __cplusplus
#define CHECK(c) static_assert(c, #c)
#else
#define CHECK(c) _Static_assert(c, #c)
#endif

CHECK(sizeof(struct io_uring_sqe) == 64);
CHECK(sizeof(struct io_uring_cqe) == 16);
CHECK(offsetof(struct io_uring_sqe, addr2) == 8);
CHECK(offsetof(struct io_uring_sqe, cmd_op) == 8);
CHECK(offsetof(struct io_uring_sqe, level) == 16);
CHECK(offsetof(struct io_uring_sqe, optname) == 20);
CHECK(offsetof(struct io_uring_sqe, poll32_events) == 28);
CHECK(offsetof(struct io_uring_sqe, buf_group) == 40);
CHECK(offsetof(struct io_uring_sqe, addr_len) == 44);
CHECK(offsetof(struct io_uring_sqe, attr_type_mask) == 56);
CHECK(offsetof(struct io_uring_sqe, cmd) == 48);
CHECK(offsetof(struct io_uring_buf_ring, tail) == 14);
CHECK(offsetof(struct zcrx_ctrl, zc_flush) == 24);
CHECK(offsetof(struct io_uring_bpf_ctx, open.resolve) == 32);
CHECK(offsetof(struct io_uring_bpf, filter) == 8);

unsigned long long use_sqe(struct io_uring_sqe *sqe, struct io_uring_cqe *cqe,
			   struct io_uring_buf_ring *br, struct io_uring_restriction *r)
{
	sqe->off = 1;
	sqe->addr2 = 2;
	sqe->cmd_op = SOCKET_URING_OP_GETSOCKOPT;
	sqe->__pad1 = 0;
	sqe->splice_off_in = 3;
	sqe->level = 1;
	sqe->optname = 2;
	sqe->rw_flags = 0;
	sqe->fsync_flags = IORING_FSYNC_DATASYNC;
	sqe->poll_events = 1;
	sqe->msg_ring_flags = IORING_MSG_RING_CQE_SKIP;
	sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
	sqe->install_fd_flags = IORING_FIXED_FD_NO_CLOEXEC;
	sqe->nop_flags = IORING_NOP_INJECT_RESULT;
	sqe->timeout_flags = IORING_TIMEOUT_ABS | IORING_TIMEOUT_MULTISHOT;
	sqe->buf_group = 7;
	sqe->buf_index = 7;
	sqe->splice_fd_in = -1;
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	sqe->zcrx_ifq_idx = 0;
	sqe->optlen = 4;
	sqe->addr_len = 16;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
	sqe->attr_ptr = 0;
	sqe->attr_type_mask = IORING_RW_ATTR_FLAG_PI;
	sqe->optval = 0;
	sqe->cmd[0] = 0;
	sqe->flags = IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS;
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST | IORING_RECV_MULTISHOT;
	sqe->opcode = IORING_OP_URING_CMD128;
	r->register_op = IORING_REGISTER_PROBE;
	r->sqe_op = IORING_OP_NOP;
	r->sqe_flags = IOSQE_ASYNC;
	br->tail = 1;
	return cqe->big_cqe[0] + br->bufs[0].addr + (unsigned long long)IORING_ZCRX_AREA_MASK
		+ IORING_OFF_SQES + (unsigned)IORING_REGISTER_USE_REGISTERED_RING;
}
EOF

compile() { # label, compiler, flags...
    local label=$1; shift
    if ! "$@" -c -o /dev/null 2> "$out/cc.err"; then
        bad "$label"
        sed 's/^/    /' "$out/cc.err"
    fi
}

n_compile=0
for lang in c c++11 c++20; do
    case $lang in
        c) cc=("$CC" -x c -std=gnu11) ;;
        *) cc=("$CXX" -x c++ -std=$lang) ;;
    esac
    flags=(-Wall -Wextra -Werror -I include)
    for h in $headers; do
        echo "#include <$h>" > "$out/one.c"
        compile "$lang: <$h> alone" "${cc[@]}" "${flags[@]}" "$out/one.c"
        n_compile=$((n_compile + 1))
    done
    compile "$lang: usage" "${cc[@]}" "${flags[@]}" "$out/usage.c"
    # With the system header before or after ours: the shared include guard
    # means only the first one counts, as with upstream's header.
    printf '#include <liburing/io_uring.h>\n#include <linux/io_uring.h>\n' > "$out/sys-after.c"
    printf '#include <linux/io_uring.h>\n#include <liburing/io_uring.h>\n' > "$out/sys-before.c"
    compile "$lang: ours then <linux/io_uring.h>" "${cc[@]}" "${flags[@]}" "$out/sys-after.c"
    compile "$lang: <linux/io_uring.h> then ours" "${cc[@]}" "${flags[@]}" "$out/sys-before.c"
    # liburing's compat.h, on systems without <linux/time_types.h>, defines
    # the timespec itself and asks us not to include that header.
    cat > "$out/compat.c" <<'EOF'
#include <stdint.h>
struct __kernel_timespec { int64_t tv_sec; long long tv_nsec; };
#define UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H 1
#include <liburing/io_uring.h>
int ts_size(void) { return (int)sizeof(struct io_uring_reg_wait); }
EOF
    compile "$lang: compat.h-style timespec" "${cc[@]}" "${flags[@]}" "$out/compat.c"
    n_compile=$((n_compile + 4))
done
say "compiled $n_compile translation units (C gnu11, C++11, C++20; -Wall -Wextra -Werror)"

# --- 2. against upstream ------------------------------------------------------

upstream=$(capi-tests/fetch-upstream.sh) || { bad "no upstream liburing tree (see fetch-upstream.sh)"; exit 1; }
up_inc="$upstream/src/include"
# The usage program is a fair test only if upstream's headers pass it too.
"$CC" -x c -std=gnu11 -Wall -Wextra -Werror -I "$up_inc" -c -o /dev/null "$out/usage.c" \
    || bad "usage.c does not compile against upstream's headers (the test is wrong)"

facts() { # tree, name
    "$PYTHON" capi-tests/uapi/uapi-dump.py gen "$CC" "$1" $headers > "$out/$2.c"
    "$CC" -std=gnu11 -I "$1" -o "$out/$2" "$out/$2.c"
    "$out/$2" | LC_ALL=C sort > "$out/$2.txt"
}
facts "$up_inc" upstream
facts include ours
n_const=$(grep -cE '^(macro|enumerator) [A-Za-z_0-9]+ = ' "$out/ours.txt" || true)
n_guard=$(grep -cE '^macro [A-Za-z_0-9]+ \(empty\)' "$out/ours.txt" || true)
n_enum=$(grep -cE '^enum ' "$out/ours.txt" || true)
n_struct=$(grep -cE '^(struct|union) [a-z_0-9]+ size ' "$out/ours.txt" || true)
n_field=$(grep -cE '^(struct|union) [a-z_0-9]+ \.' "$out/ours.txt" || true)
if diff -u "$out/upstream.txt" "$out/ours.txt" > "$out/upstream.diff"; then
    say "headers match upstream 2.15: $n_const constants, $n_guard include guards, $n_enum enum tags, $n_struct structs, $n_field fields: identical"
else
    bad "headers differ from upstream 2.15 (- upstream, + ours):"
    sed 's/^/    /' "$out/upstream.diff"
fi

# --- 3. Rust against our headers ----------------------------------------------

if ! UAPI_DUMP_DIR="$out" "$CARGO" test --quiet --lib sys::tests::uapi_tables_dump \
        > "$out/cargo.log" 2>&1; then
    bad "cargo test sys::tests::uapi_tables_dump failed:"
    sed 's/^/    /' "$out/cargo.log"
elif [ ! -s "$out/rust-consts.txt" ] || [ ! -s "$out/rust-layout.txt" ]; then
    bad "the Rust test wrote no tables (was it filtered out?)"
elif ! "$PYTHON" capi-tests/uapi/uapi-dump.py compare-rust "$out/ours.txt" \
        "$out/rust-consts.txt" "$out/rust-layout.txt"; then
    bad "Rust src/sys and include/liburing disagree"
fi

if [ $fail -ne 0 ]; then
    say "FAILED"
    exit 1
fi
say "all checks passed"
