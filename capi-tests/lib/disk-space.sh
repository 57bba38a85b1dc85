#!/usr/bin/env bash
# Free space before a long run: `disk-space.sh NEED_MIB DIR WHAT` prints the
# free space of DIR's file system and fails, naming both figures, when it is
# below NEED_MIB. `make test` calls it first: a disk that fills halfway makes
# every later target fail on "No space left on device" (a CI run did), where
# this says once what is short.
#
#   disk-space.sh --control   its planted situations: a need above the free
#                             space must fail with the message, a need of
#                             1 MiB must pass
set -uo pipefail

free_mib() { df -Pm "$1" | awk 'NR == 2 { print $4 }'; }

check() {
    local need=$1 dir=$2 what=$3 free
    mkdir -p "$dir" || return 1
    free=$(free_mib "$dir")
    if ! [ "$free" -ge 0 ] 2>/dev/null; then
        echo "disk: df gave no free space for $dir" >&2
        return 1
    fi
    if [ "$free" -lt "$need" ]; then
        echo "disk: FAIL: $what needs about $need MiB free on the file system of $dir; it has $free MiB." >&2
        echo "disk: free some space there (or clone elsewhere) and run it again" >&2
        return 1
    fi
    echo "disk: $free MiB free on the file system of $dir ($what needs about $need MiB)"
}

control() {
    local d out free bad=0
    d=$(mktemp -d) || return 1
    free=$(free_mib "$d")
    if out=$(check $((free + 1024)) "$d" planted 2>&1); then
        echo "disk-space: control FAIL: a need 1 GiB above the free space passed"; bad=1
    elif ! grep -q "^disk: FAIL: planted needs about $((free + 1024)) MiB free" <<<"$out"; then
        echo "disk-space: control FAIL: the shortfall was not named: $out"; bad=1
    fi
    check 1 "$d" planted >/dev/null 2>&1 || { echo "disk-space: control FAIL: a need of 1 MiB failed"; bad=1; }
    rmdir "$d"
    [ $bad = 0 ] && echo "disk-space: control PASS (a shortfall fails and is named; enough space passes)"
    return $bad
}

if [ "${1:-}" = --control ]; then
    control
else
    [ $# = 3 ] || { echo "usage: disk-space.sh NEED_MIB DIR WHAT | --control" >&2; exit 2; }
    check "$@"
fi
