#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# explore_campaign.sh - an exploration split into 3 shards under GNU parallel
# (scripts/campaign.sh) and merged gives the verdicts, per variant and model,
# and the exit status of the unsharded run.  Skips (77) without parallel.
# Usage: explore_campaign.sh [EMULATOR...] PATH/TO/eqssim-explore PATH/TO/eqssim-merge
#        PATH/TO/campaign.sh
set -u
emu=""
while [ $# -gt 3 ]; do emu="$emu $1"; shift; done
explore="$emu $1"
merge="$emu $2"
campaign=$3
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

command -v parallel >/dev/null 2>&1 ||
	{ echo "SKIP: GNU parallel is not installed (scripts/deps.sh native installs it)"; exit 77; }
$explore --help | grep -q -- "--shard" ||
	{ echo "SKIP: this eqssim-explore has no --shard"; exit 77; }
dir=$(mktemp -d /tmp/explore_campaign.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# variant model verdict complete, one line per row of --json output.
rows() {
	sed -n 's/^{"variant":"\([^"]*\)","model":"\([^"]*\)".*"verdict":"\([^"]*\)".*"complete":\([a-z]*\),.*/\1 \2 \3 \4/p' "$@"
}

# A correct variant and a buggy one; each shard explores a third of each search tree.
args="--variant eqs_exit_sync,early_isb --preemptions 1 --model sc"
$explore $args --json >"$dir/full.jsonl"
want_rc=$?
rows "$dir/full.jsonl" >"$dir/full.rows"
[ "$(wc -l <"$dir/full.rows")" -eq 2 ] || bad "unsharded run: $(cat "$dir/full.jsonl")"

# shellcheck disable=SC2086 # $explore is the emulator and the tool, as words
sh "$campaign" --shards 3 --out "$dir/out" --merge "$merge" -- $explore $args >"$dir/table"
rc=$?
[ "$rc" -eq "$want_rc" ] || bad "campaign exited $rc, the unsharded run $want_rc: $(cat "$dir/table")"
grep -q "^2 of 2 verdicts as expected$" "$dir/table" || bad "campaign table: $(cat "$dir/table")"
$merge --json "$dir"/out/shard-*.jsonl >"$dir/merged.jsonl" || bad "merge --json exited $?"
rows "$dir/merged.jsonl" >"$dir/merged.rows"
cmp -s "$dir/full.rows" "$dir/merged.rows" ||
	bad "merged $(cat "$dir/merged.rows") not $(cat "$dir/full.rows")"

# Split by rows (each row whole in one shard), under every model: the same verdicts again.
args="--variant eqs_exit_sync,early_isb,no_sync --preemptions 1 --paths user"
$explore $args --json >"$dir/full3.jsonl"
want_rc=$?
rows "$dir/full3.jsonl" >"$dir/full3.rows"
[ "$(wc -l <"$dir/full3.rows")" -eq 9 ] || bad "unsharded run: $(cat "$dir/full3.jsonl")"
# shellcheck disable=SC2086
sh "$campaign" --shards 4 --out "$dir/rows" --merge "$merge" -- $explore $args --shard-by rows \
	>"$dir/table3"
rc=$?
[ "$rc" -eq "$want_rc" ] || bad "rows campaign exited $rc, unsharded $want_rc: $(cat "$dir/table3")"
$merge --json "$dir"/rows/shard-*.jsonl | rows >"$dir/merged3.rows"
cmp -s "$dir/full3.rows" "$dir/merged3.rows" ||
	bad "merged by rows $(cat "$dir/merged3.rows") not $(cat "$dir/full3.rows")"
# The same through --sshloginfile: ':' is this host in parallel's syntax (no ssh here, the
# option's whole path as for remote hosts otherwise).
echo ":" >"$dir/hosts"
# shellcheck disable=SC2086
sh "$campaign" --shards 4 --sshloginfile "$dir/hosts" --out "$dir/ssh" --merge "$merge" -- \
	$explore $args --shard-by rows >"$dir/table4"
rc=$?
[ "$rc" -eq "$want_rc" ] || bad "sshloginfile campaign exited $rc: $(cat "$dir/table4")"
$merge --json "$dir"/ssh/shard-*.jsonl | rows | cmp -s "$dir/full3.rows" - ||
	bad "merged over --sshloginfile: $(cat "$dir/table4")"
# Shards of a tree split and of a row split are two campaigns, never one.
$merge "$dir"/out/shard-0.jsonl "$dir"/rows/shard-1.jsonl >/dev/null 2>"$dir/err"
[ $? -eq 1 ] && grep -q INCOMPLETE "$dir/err" || bad "a tree shard and a rows shard merged"

# A shard lost on the way is no verdict.
rm "$dir/out/shard-1.jsonl"
$merge "$dir"/out/shard-*.jsonl >"$dir/table" 2>"$dir/err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "INCOMPLETE: shard 1/3: missing" "$dir/err" && [ ! -s "$dir/table" ] ||
	bad "merge without shard 1 exited $rc: $(cat "$dir/err")"

if [ "$fail" -ne 0 ]; then
	echo "$fail failed"
	exit 1
fi
echo "explore_campaign: all passed"
