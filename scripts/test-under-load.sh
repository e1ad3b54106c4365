#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-under-load.sh - the native test suite N times in a row (default 3)
# while two CPU-burning processes run beside it: a verdict must not depend
# on a quiet machine.  Needs a configured and built build/native.
# Usage: scripts/test-under-load.sh [N]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
burners=""
trap 'kill $burners 2>/dev/null || true' EXIT INT TERM
for i in 1 2; do
	sh -c 'while :; do :; done' &
	burners="$burners $!"
done
start=$(date +%s)
i=1
while [ "$i" -le "$runs" ]; do
	# Label "chance": on demand only (see tests/api/test_weak_exit.c), as in the presets.
	if ! ctest --test-dir build/native -LE chance --output-on-failure >"build/native/under-load-$i.log" 2>&1; then
		echo "test-under-load: run $i of $runs failed beside two CPU burners (build/native/under-load-$i.log):"
		grep -E 'Failed|\*\*\*' "build/native/under-load-$i.log" || true
		exit 1
	fi
	echo "test-under-load: run $i of $runs passed ($(($(date +%s) - start)) s so far)"
	i=$((i + 1))
done
echo "test-under-load: $runs of $runs passed beside two CPU burners in $(($(date +%s) - start)) s"
