#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# campaign.sh - run one campaign as N shards under GNU parallel, on this
# machine or on ssh hosts, then merge the shards into one verdict table.
#
# Usage: scripts/campaign.sh [--shards N] [--jobs J] [--sshloginfile FILE]
#                            [--out DIR] [--merge CMD] -- TOOL ARGS...
#
#   --shards N            shards to split the campaign into (default: CPUs here)
#   --jobs J              shards run at once on each host (default: parallel's,
#                         one per CPU; eqssim-stress uses --cpus threads, so
#                         give it fewer)
#   --sshloginfile FILE   run the shards on these hosts (parallel's format: one
#                         [user@]host a line, ':' for this machine); TOOL must
#                         be at the same absolute path on every host
#   --out DIR             where shard-I.jsonl (and shard-I.jsonl.err, its
#                         stderr) go (default: a new directory under /tmp)
#   --merge CMD           the merge command, split at blanks (default:
#                         eqssim-merge beside TOOL, else the one on PATH)
#
# Shard I runs "TOOL ARGS --shard I/N --json"; TOOL is eqssim-stress or
# eqssim-explore (an emulator may come first: qemu-aarch64 -L / ./eqssim-explore).
# Exit status: eqssim-merge's (0 all as expected, 1 not or INCOMPLETE), 2 for
# bad usage.
#
# Example: scripts/campaign.sh --shards 8 --sshloginfile hosts -- \
#              /opt/eqssim/bin/eqssim-stress --seeds 64 --duration 5
set -eu

usage() {
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
	exit 0
}

shards=$(nproc 2>/dev/null || echo 2)
jobs=""
sshloginfile=""
out=""
merge=""
while [ $# -gt 0 ]; do
	case "$1" in
	--shards | --jobs | --sshloginfile | --out | --merge)
		[ $# -ge 2 ] || { echo "campaign.sh: $1 needs a value" >&2; exit 2; }
		case "$1" in
		--shards) shards=$2 ;;
		--jobs) jobs=$2 ;;
		--sshloginfile) sshloginfile=$2 ;;
		--out) out=$2 ;;
		--merge) merge=$2 ;;
		esac
		shift 2
		;;
	--) shift; break ;;
	--help | -h) usage ;;
	*) echo "campaign.sh: unknown option '$1' (want ... -- TOOL ARGS)" >&2; exit 2 ;;
	esac
done
[ $# -ge 1 ] || { echo "campaign.sh: no TOOL after --" >&2; exit 2; }
case "$shards" in
'' | *[!0-9]* | 0) echo "campaign.sh: --shards wants a number of at least 1, got '$shards'" >&2; exit 2 ;;
esac
command -v parallel >/dev/null 2>&1 ||
	{ echo "campaign.sh: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
[ -z "$sshloginfile" ] || [ -r "$sshloginfile" ] ||
	{ echo "campaign.sh: cannot read --sshloginfile '$sshloginfile'" >&2; exit 2; }

if [ -z "$merge" ]; then
	# The tool's own word is the last before its options: skip an emulator's.
	tool_path=""
	for w in "$@"; do
		case "$w" in */eqssim-stress | */eqssim-explore) tool_path=$w ;; esac
	done
	if [ -n "$tool_path" ] && [ -x "$(dirname "$tool_path")/eqssim-merge" ]; then
		merge="$(dirname "$tool_path")/eqssim-merge"
	else
		merge=eqssim-merge
	fi
fi
[ -n "$out" ] || out=$(mktemp -d /tmp/eqssim-campaign.XXXXXX)
mkdir -p "$out"
rm -f "$out"/shard-*.jsonl "$out"/shard-*.jsonl.err "$out"/shard-*.jsonl.seq

# Each shard's stdout is captured by parallel into a file here (--results),
# not written on the host that ran it and fetched back (--return): nothing to
# fetch or clean up remotely, no rsync needed there, and a shard cut off by a
# lost host or a crash leaves a file with no finished line, which
# eqssim-merge reports as INCOMPLETE rather than passing over.  -q quotes
# TOOL ARGS so each word reaches the tool as given, over ssh too.  A shard
# whose verdicts do not match exits 1, which is not a failure to run: the
# merge decides, so parallel's own status is not used.
set -- "$@" --shard "{}/$shards" --json
echo "campaign.sh: $shards shards into $out" >&2
seq 0 $((shards - 1)) |
	parallel -q ${jobs:+--jobs "$jobs"} ${sshloginfile:+--sshloginfile "$sshloginfile"} \
		--results "$out/shard-{}.jsonl" "$@" >/dev/null || true
rm -f "$out"/shard-*.jsonl.seq

files=""
i=0
while [ "$i" -lt "$shards" ]; do
	# A shard parallel could not start leaves no file: merge says it is missing.
	[ -e "$out/shard-$i.jsonl" ] && files="$files $out/shard-$i.jsonl"
	[ -s "$out/shard-$i.jsonl.err" ] && sed "s/^/shard $i: /" "$out/shard-$i.jsonl.err" >&2
	i=$((i + 1))
done
[ -n "$files" ] || { echo "campaign.sh: no shard ran" >&2; exit 1; }
# shellcheck disable=SC2086 # $merge is a command line; the files are ours (no blanks in --out)
exec $merge $files
