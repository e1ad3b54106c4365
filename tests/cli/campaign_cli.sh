#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# campaign_cli.sh - a campaign split into shards and merged back: eqssim-stress
# --seeds 3 over 2 and over 3 shards, merged by eqssim-merge, gives the rows
# (variant, seed, verdict) and the exit status of the unsharded run; a missing
# shard, a shard cut off before its finished line, a duplicate, a mix of
# campaigns or a line that is not JSON is INCOMPLETE (exit 1, nothing on
# stdout); explore rows (hand-written shards) merge by eqssim-merge's rules.
# Usage: campaign_cli.sh [EMULATOR...] PATH/TO/eqssim-stress PATH/TO/eqssim-merge
set -u
emu=""
while [ $# -gt 2 ]; do emu="$emu $1"; shift; done
stress="$emu $1"
set -- $emu "$2"
. "$(dirname "$0")/cli_common.sh" # $tool is eqssim-merge
merge=$tool
dir=$(mktemp -d /tmp/campaign_cli.XXXXXX)
trap 'rm -rf "$dir"' EXIT

# variant seed verdict, one line per row of --json output.
rows() {
	sed -n 's/^{"variant":"\([^"]*\)".*"verdict":"\([^"]*\)".*"seed":\([0-9]*\),.*/\1 \3 \2/p' "$@"
}

# expect_incomplete WANT FILE...: exit 1, stderr says INCOMPLETE and WANT, stdout empty.
expect_incomplete() {
	want="$1"; shift
	out=$($merge "$@" 2>"$dir/err")
	rc=$?
	if [ "$rc" -ne 1 ] || [ -n "$out" ] || ! grep -q "INCOMPLETE" "$dir/err" ||
		! grep -q -- "$want" "$dir/err"; then
		bad "merge of $* gave rc=$rc, stdout '$out', stderr: $(cat "$dir/err") (wanted rc 1, INCOMPLETE, '$want')"
	fi
}

# Usage errors: exit 2.
expect_usage_error "no FILE" --json
expect_usage_error "cannot read '$dir/nosuch'" "$dir/nosuch"
expect_usage_error "--bogus" --bogus x
$merge --help | grep -q "INCOMPLETE" || bad "merge --help"

# Fast variants the stress test always judges alike: two caught at once, one correct
# whose verdict is earned in a fraction of a second (well within the budget under qemu).
args="--variant early_isb,no_sync,eqs_exit_sync --seeds 3 --duration 5 --cpus 2"
$stress $args --json >"$dir/full.jsonl"
want_rc=$?
rows "$dir/full.jsonl" >"$dir/full.rows"
[ "$(wc -l <"$dir/full.rows")" -eq 9 ] || bad "unsharded --seeds 3 run: $(cat "$dir/full.jsonl")"
for n in 2 3; do
	i=0
	while [ "$i" -lt "$n" ]; do
		$stress $args --shard "$i/$n" --json >"$dir/s$n-$i.jsonl"
		tail -n 1 "$dir/s$n-$i.jsonl" |
			grep -q "^{\"tool\":\"eqssim-stress\",\"shard\":\"$i/$n\",\"finished\":true,\"rows\":[0-9]*,\"campaign\":\"$args --json\"}$" ||
			bad "shard $i/$n's last line: $(tail -n 1 "$dir/s$n-$i.jsonl")"
		i=$((i + 1))
	done
	$merge --json "$dir"/s$n-*.jsonl >"$dir/m$n.jsonl"
	rc=$?
	[ "$rc" -eq "$want_rc" ] || bad "merge of $n shards exited $rc, the unsharded run $want_rc"
	rows "$dir/m$n.jsonl" >"$dir/m$n.rows"
	cmp -s "$dir/full.rows" "$dir/m$n.rows" ||
		bad "merge of $n shards: $(cat "$dir/m$n.rows") not $(cat "$dir/full.rows")"
	grep -q '"shard"\|"cell"' "$dir/m$n.jsonl" && bad "merged rows keep shard or cell"
	$merge "$dir"/s$n-*.jsonl | grep -q "^9 of 9 verdicts as expected$" ||
		bad "merge of $n shards: no summary line"
done
# One file holding every shard, in any order, or standard input, is as good.
cat "$dir/s3-2.jsonl" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl" >"$dir/all3.jsonl"
$merge --json - <"$dir/all3.jsonl" | rows | cmp -s "$dir/full.rows" - || bad "merge from stdin"

# Whatever is not every shard of one campaign once, finished, is no verdict.
expect_incomplete "shard 2/3: missing" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl"
head -n 1 "$dir/s3-2.jsonl" >"$dir/cut.jsonl"
expect_incomplete "shard 2/3 .*no finished line" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl" "$dir/cut.jsonl"
head -c 100 "$dir/s3-2.jsonl" >"$dir/mid.jsonl"
expect_incomplete "not a JSON object" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl" "$dir/mid.jsonl"
expect_incomplete "duplicate" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl" "$dir/s3-2.jsonl" "$dir/s3-2.jsonl"
cp "$dir/s3-1.jsonl" "$dir/again.jsonl"
expect_incomplete "shard 1/3: a duplicate" "$dir"/s3-*.jsonl "$dir/again.jsonl"
expect_incomplete "mix of campaigns" "$dir/s2-0.jsonl" "$dir/s3-1.jsonl" "$dir/s3-2.jsonl"
$stress --variant early_isb --seeds 3 --duration 5 --cpus 2 --shard 2/3 --json >"$dir/other.jsonl"
expect_incomplete "mix of campaigns" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl" "$dir/other.jsonl"
$stress --variant early_isb --duration 5 --cpus 2 --json >"$dir/plain.jsonl"
expect_incomplete "not the output of --shard" "$dir/plain.jsonl"
expect_incomplete "says 9 rows" "$dir/s3-0.jsonl" "$dir/s3-1.jsonl" \
	"$(sed 's/"rows":[0-9]*/"rows":9/' "$dir/s3-2.jsonl" >"$dir/lie.jsonl"; echo "$dir/lie.jsonl")"

# Explore rows, hand-written: every shard prints every row, having explored its own part.
# row 0, a correct variant: one shard did not complete, so inconclusive, schedules summed.
# row 1, a buggy one: the counterexample with the fewest preemptions (shard 1's) is kept.
# row 2: an error in any shard is the row's verdict.
e() { # shard row variant expected verdict schedules complete violations preemptions [message]
	cx=null
	[ "$8" -gt 0 ] && cx="{\"schedule\":\"s$1\",\"preemptions\":$9,\"path\":\"user\",\"cpu\":0,\"fetched\":0,\"synced\":1}"
	printf '{"variant":"%s","model":"sc","expected":"%s","violations":%s,"verdict":"%s","schedules":%s,"states":10,"complete":%s,"preemption_bound":2,"shard":"%s/2","row":%s,"seconds":0.5,"explorable":true,"hung":false,"counterexample":%s,"message":"%s"}\n' \
		"$3" "$4" "$8" "$5" "$6" "$7" "$1" "$2" "$cx" "${10:-m$1}"
}
fin() { printf '{"tool":"eqssim-explore","shard":"%s/2","finished":true,"rows":3,"campaign":"--preemptions 2 --json"}\n' "$1"; }
{
	e 0 0 eqs_exit_sync correct match 100 true 0 0
	e 0 1 early_isb buggy match 7 true 2 2
	e 0 2 no_sync buggy error 0 false 0 0 "it broke"
	fin 0
} >"$dir/e0.jsonl"
{
	e 1 0 eqs_exit_sync correct inconclusive 50 false 0 0
	e 1 1 early_isb buggy match 9 true 1 1
	e 1 2 no_sync buggy match 3 true 1 0
	fin 1
} >"$dir/e1.jsonl"
out=$($merge --json "$dir/e1.jsonl" "$dir/e0.jsonl")
rc=$?
[ "$rc" -eq 1 ] || bad "explore merge exited $rc, want 1 (an inconclusive and an error)"
printf '%s\n' "$out" | sed -n 1p |
	grep -q '"variant":"eqs_exit_sync".*"verdict":"inconclusive","schedules":150,"states":20,"complete":false' ||
	bad "explore row 0: $out"
printf '%s\n' "$out" | sed -n 2p |
	grep -q '"variant":"early_isb".*"violations":3,"verdict":"match","schedules":16.*"counterexample":{"schedule":"s1","preemptions":1' ||
	bad "explore row 1: $out"
printf '%s\n' "$out" | sed -n 3p | grep -q '"variant":"no_sync".*"verdict":"error".*"message":"it broke"' ||
	bad "explore row 2: $out"
printf '%s\n' "$out" | grep -q '"shard"\|"row"' && bad "merged explore rows keep shard or row"
$merge "$dir/e0.jsonl" "$dir/e1.jsonl" | grep -q "^1 of 3 verdicts as expected$" ||
	bad "explore merge summary: $($merge "$dir/e0.jsonl" "$dir/e1.jsonl")"
# n/a is as expected, as eqssim-explore's exit status has it.
{ e 0 0 eqs_exit_sync correct n/a 1 true 0 0; e 0 1 early_isb buggy match 1 true 1 1; e 0 2 x buggy match 1 true 1 1; fin 0; } >"$dir/e0.jsonl"
{ e 1 0 eqs_exit_sync correct match 1 true 0 0; e 1 1 early_isb buggy match 1 true 0 0; e 1 2 x buggy match 1 true 0 0; fin 1; } >"$dir/e1.jsonl"
$merge "$dir/e0.jsonl" "$dir/e1.jsonl" >/dev/null || bad "explore merge of n/a and match exited $?"
{ e 1 0 eqs_exit_sync correct match 1 true 0 0; e 1 1 x buggy match 1 true 0 0; fin 1; } >"$dir/e1.jsonl"
expect_incomplete "says 3 rows" "$dir/e0.jsonl" "$dir/e1.jsonl"
finish campaign_cli
