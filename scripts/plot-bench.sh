#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# plot-bench.sh - turn eqssim-bench --json output into PNG charts with gnuplot:
#   sync-latency.png   patch sync latency p50 vs CPUs, per variant (EQS share 90%),
#                      with membarrier(SYNC_CORE) as the reference
#   ipis-disturbed.png IPIs sent and EQS CPUs disturbed per patch vs EQS share,
#                      per variant, at the largest CPU count measured (counts,
#                      unlike latencies, do not suffer from oversubscription)
# Usage: scripts/plot-bench.sh BENCH.json OUTDIR
# Needs gnuplot (Debian: gnuplot-nox); installs it when run as root.
set -eu
in=$1
out=$2
command -v gnuplot >/dev/null || scripts/deps.sh gnuplot
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Flat JSON lines to "key value" lookups: field NAME of a line.
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^,\"}]*\)\"\{0,1\}[,}].*/\1/p"; }

host=$(grep '"name":"machine"' "$in" | field host_cpus)
arch=$(grep '"name":"machine"' "$in" | field arch)
variants="kick_all eqs_exit_sync special_flag ct_work urcu_qsbr"
most=$(grep '"name":"sync_latency"' "$in" | field cpus | sort -n | tail -1)

for v in $variants; do
	grep '"name":"sync_latency"' "$in" | grep "\"variant\":\"$v\"" | grep '"eqs_share":90' |
		while read -r line; do
			printf '%s %s\n' "$(echo "$line" | field cpus)" "$(echo "$line" | field ns_p50)"
		done >"$tmp/lat-$v.dat"
	grep '"name":"sync_latency"' "$in" | grep "\"variant\":\"$v\"" | grep "\"cpus\":$most," |
		while read -r line; do
			printf '%s %s %s\n' "$(echo "$line" | field eqs_share)" \
				"$(echo "$line" | field ipis_per_patch)" "$(echo "$line" | field disturbed_per_patch)"
		done >"$tmp/ipi-$v.dat"
done
grep '"name":"membarrier_sync_core"' "$in" | grep '"available":1' | while read -r line; do
	printf '%s %s\n' "$(echo "$line" | field cpus)" "$(echo "$line" | field ns_p50)"
done >"$tmp/membarrier.dat"

lat_plots=""
ipi_plots=""
dist_plots=""
for v in $variants; do
	lat_plots="$lat_plots '$tmp/lat-$v.dat' using 1:2 with linespoints title '$v',"
	ipi_plots="$ipi_plots '$tmp/ipi-$v.dat' using 1:2 with linespoints title '$v',"
	dist_plots="$dist_plots '$tmp/ipi-$v.dat' using 1:3 with linespoints title '$v',"
done

gnuplot <<GP
set terminal pngcairo size 900,560 font 'sans,10' noenhanced
set output '$out/sync-latency.png'
set title "Patch sync latency p50, 90% of the other CPUs in EQS ($arch, $host host CPUs; beyond $host oversubscribed)"
set xlabel 'CPUs (the patcher is one of them)'
set ylabel 'ns (log scale)'
set logscale y
set xtics 2
set key top left
set grid
plot $lat_plots '$tmp/membarrier.dat' using 1:2 with linespoints dashtype 2 lw 2 title 'membarrier SYNC_CORE'
GP

gnuplot <<GP
set terminal pngcairo size 1100,480 font 'sans,10' noenhanced
set output '$out/ipis-disturbed.png'
set multiplot layout 1,2 title "Per patch, $most CPUs ($arch): the patcher and $((most - 1)) others"
set xlabel 'share of the other CPUs in EQS (%)'
set xrange [-5:95]
set yrange [-0.1:*]
set offsets 0, 0, graph 0.08, 0
set grid
set key top right
set title 'IPIs sent'
plot $ipi_plots
set title 'EQS CPUs disturbed (an IPI taken in EQS)'
plot $dist_plots
unset multiplot
GP
echo "plot-bench.sh: wrote $out/sync-latency.png and $out/ipis-disturbed.png"
