#!/usr/bin/env bash
# `make test-dropin`: every drop-in test in turn; fails when any of them fails.
# DROPIN_ONLY="swapin-qemu install-layout" runs a subset.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tests=${DROPIN_ONLY:-swapin-qemu install-layout consumers deb-root}
failed=""
start=$SECONDS
for t in $tests; do
	echo "--- dropin/$t"
	t0=$SECONDS
	if ! "$here/$t.sh"; then
		failed="$failed $t"
	fi
	echo "--- dropin/$t: $((SECONDS - t0)) s"
done
echo "dropin: total $((SECONDS - start)) s"
if [ -n "$failed" ]; then
	echo "dropin: FAILED:$failed"
	exit 1
fi
echo "dropin: all passed ($tests)"
