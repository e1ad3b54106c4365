#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# first-violation.sh - time to first violation of a variant over N seeds,
# with the stress defaults: prints each run and the median / worst.
# Usage: scripts/first-violation.sh VARIANT [RUNS] [TOOL...]
#   TOOL defaults to build/native/examples/eqssim-stress; for the aarch64
#   build: qemu-aarch64 -L / build/aarch64-lse/examples/eqssim-stress
set -eu
variant=$1
runs=${2:-20}
shift $(( $# >= 2 ? 2 : 1 ))
tool=${*:-build/native/examples/eqssim-stress}

seed=1
while [ "$seed" -le "$runs" ]; do
	line=$($tool --variant "$variant" --seed "$seed" --stop-on-violation --duration 10 --json || true)
	ns=$(printf '%s' "$line" | sed -n 's/.*"first_violation_ns":\([0-9a-z]*\).*/\1/p')
	echo "seed $seed: ${ns:-none}"
	seed=$((seed + 1))
done | tee /dev/stderr | awk -v v="$variant" '
	/none|null/ { missed++; next }
	{ t[n++] = $3 / 1e6 }
	END {
		if (!n) { printf "SUMMARY variant=%s caught=0/%d\n", v, n + missed; exit 1 }
		asort_n = n
		for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (t[j] < t[i]) { x = t[i]; t[i] = t[j]; t[j] = x }
		med = n % 2 ? t[int(n / 2)] : (t[n / 2 - 1] + t[n / 2]) / 2
		printf "SUMMARY variant=%s caught=%d/%d median_ms=%.2f worst_ms=%.2f\n", v, n, n + missed, med, t[n - 1]
	}'
