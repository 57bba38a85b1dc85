# shellcheck shell=bash
# The guest payload's layout (sourced by kernels.sh and arches/guests.sh): the
# one place that knows where guest-job.sh finds each library and program. The
# layout itself is described at the top of guest-job.sh.

# payload_lay_out PAYLOAD OUR_LIBDIR UPSTREAM_SRC CAPI_REF_SRC CAPI_BUILD TEST_DIR TEST...
#   OUR_LIBDIR    our liburing.so.2 and liburing-ffi.so.2
#   UPSTREAM_SRC  upstream's src/ with its own library (liburing*.so.2.15):
#                 the upstream suite's reference
#   CAPI_REF_SRC  the same built with --use-libc (our C tests' reference);
#                 when it holds no library, our C tests run without one (said)
#   CAPI_BUILD    holds ours/ and ffi/, our C test programs in both forms
#   TEST_DIR      upstream's tests built in abi mode; each TEST is listed in
#                 upstream.list in order, and copied when it was built (one
#                 that was not is reported by the guest, not lost)
# Empties PAYLOAD first; job.sh is guest-job.sh; job.conf is the caller's.
# upstream.list ends with PLANTED_UP_TEST, a script that fails on our library
# only (the upstream-suite judge's planted regression; report.py).
PLANTED_UP_TEST=planted-ours-only.t
payload_lay_out() {
    local p=$1 ourlib=$2 upsrc=$3 refsrc=$4 capibuild=$5 tdir=$6 form t
    shift 6
    rm -rf "$p"
    mkdir -p "$p"/lib/{ours,upstream,capi-ref} "$p"/capi/{ours,ffi} "$p/upstream" || return 1
    cp -L "$ourlib/liburing.so.2" "$ourlib/liburing-ffi.so.2" "$p/lib/ours/" || return 1
    cp -L "$upsrc/liburing.so.2.15" "$p/lib/upstream/liburing.so.2" || return 1
    cp -L "$upsrc/liburing-ffi.so.2.15" "$p/lib/upstream/liburing-ffi.so.2" || return 1
    if [ -f "$refsrc/liburing.so.2.15" ] && [ -f "$refsrc/liburing-ffi.so.2.15" ]; then
        cp -L "$refsrc/liburing.so.2.15" "$p/lib/capi-ref/liburing.so.2" || return 1
        cp -L "$refsrc/liburing-ffi.so.2.15" "$p/lib/capi-ref/liburing-ffi.so.2" || return 1
    else
        echo "payload: no $refsrc/liburing.so.2.15: our C tests run without a reference" >&2
    fi
    for form in ours ffi; do
        find "$capibuild/$form" -maxdepth 1 -type f -perm -u+x -exec cp {} "$p/capi/$form/" \; || return 1
    done
    : >"$p/upstream/upstream.list"
    for t in "$@"; do
        if [ -x "$tdir/$t" ]; then cp "$tdir/$t" "$p/upstream/" || return 1; fi
        echo "$t" >>"$p/upstream/upstream.list"
    done
    # The judge's planted regression, last in the list: a "test" that fails
    # on our library only. report.py must call it worse (and counts it apart).
    cat >"$p/upstream/$PLANTED_UP_TEST" <<'PLANTED'
#!/bin/sh
# Planted by payload.sh: fails on the library in /payload/lib/ours only.
case ":$LD_LIBRARY_PATH:" in
*:/payload/lib/ours:*) echo "planted: fails on our library only"; exit 1;;
esac
exit 0
PLANTED
    chmod +x "$p/upstream/$PLANTED_UP_TEST"
    echo "$PLANTED_UP_TEST" >>"$p/upstream/upstream.list"
    cp "$(dirname "${BASH_SOURCE[0]}")/guest-job.sh" "$p/job.sh"
}
