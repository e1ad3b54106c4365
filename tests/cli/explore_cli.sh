#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# explore_cli.sh - the command-line contract of eqssim-explore: usage errors
# exit 2 with one line naming the bad option or value; --json has the
# documented fields; a printed counterexample replays; exit 0 iff every
# verdict is as expected under each model; a counterexample under tso or
# arm-ifetch shows its stores becoming visible, and replays under its model only.
# Usage: explore_cli.sh [EMULATOR...] PATH/TO/eqssim-explore
set -u
. "$(dirname "$0")/cli_common.sh"

expect_usage_error "nosuch" --variant nosuch
expect_usage_error "--cpus" --cpus 5
expect_usage_error "--cpus" --cpus 0
expect_usage_error "bogus" --paths user,bogus
expect_usage_error "--patches" --patches 3
expect_usage_error "xyz" --strategy xyz
expect_usage_error "--preemptions" --preemptions 9
expect_usage_error "exactly one" --replay 0:1
expect_usage_error "--paths" --variant early_isb --replay 0:1
expect_usage_error "bad schedule" --variant early_isb --paths user --replay 0:3,Q:2
expect_usage_error "--runs" --runs 0
expect_usage_error "unknown model 'arm64'" --model arm64
expect_usage_error "given twice" --model sc,sc
expect_usage_error "--nmis" --nmis 5
expect_usage_error "one --model" --variant early_isb --paths user --model sc,tso --replay 0:1
expect_usage_error "--preemptions" --preemptions unbound
expect_usage_error "unbounded" --reduce
expect_usage_error "state cache" --preemptions unbounded --no-state-cache
expect_usage_error "--max-memory" --max-memory 0
expect_usage_error "--shard" --shard 2/2
expect_usage_error "neither tree nor rows" --shard 0/2 --shard-by diagonal
expect_usage_error "needs --shard" --shard-by rows
expect_usage_error "splits a dfs" --shard 0/2 --strategy pct
# Bad schedules are bad usage (2), not a failed verdict (1); the first one crashed once.
for sched in '0:1,0:18446744073709551615' '' ' 0:3' '0:-1' '1:3' '0:3,' '0:0' 'P:20001'; do
	expect_usage_error "bad schedule" --variant early_isb --cpus 1 --paths idle --replay "$sched"
done
for sched in 'P:1000' '0:20000'; do
	expect_usage_error "does not fit" --variant early_isb --cpus 1 --paths idle --replay "$sched"
done
expect_usage_error "--patches" --patches ' -1'
expect_usage_error "--seed" --seed ' -1'
expect_usage_error "--seed" --seed '+1'

$tool --help | grep -q -- "--preemptions" || bad "--help"

# Every built-in as expected under every model it has an expectation for.
$tool >/dev/null || bad "default exploration exited $?"

# --json: the documented fields; a counterexample that replays.
out=$($tool --variant early_isb --model sc --json)
for f in variant model expected violations verdict schedules complete preemption_bound \
	seconds counterexample; do
	printf '%s\n' "$out" | grep -q "\"$f\":" || bad "JSON lacks $f: $out"
done
printf '%s\n' "$out" | grep -q '"model":"sc"' || bad "model is not sc: $out"
sched=$(printf '%s\n' "$out" | sed -n 's/.*"schedule":"\([^"]*\)".*/\1/p')
path=$(printf '%s\n' "$out" | sed -n 's/.*"counterexample":{[^}]*"path":"\([a-z]*\)".*/\1/p')
[ -n "$sched" ] || bad "no counterexample schedule: $out"
replayed=$($tool --variant early_isb --paths "$path" --replay "$sched" --json)
printf '%s\n' "$replayed" | grep -q '"violations":[1-9]' || bad "replay of $sched on $path: $replayed"

# A correct variant whose bug needs a reordering: clean under sc, and the output says where it fails.
$tool --variant eqs_exit_sync_no_mb --model sc | grep -q "expected to fail under tso" ||
	bad "eqs_exit_sync_no_mb does not name tso"
# Under tso the store buffer shows: the patcher's text write becomes visible after the CPU's
# refetch.  The schedule replays under tso; under sc it has choices sc does not have.
out=$($tool --variant eqs_exit_sync_no_mb --model tso --paths user)
printf '%s\n' "$out" | grep -q "store_visible .*text of site 0 = generation 1" ||
	bad "tso counterexample shows no store becoming visible: $out"
sched=$(printf '%s\n' "$out" | sed -n "s/.*--replay '\([^']*\)'.*/\1/p")
$tool --variant eqs_exit_sync_no_mb --model tso --paths user --replay "$sched" --json |
	grep -q '"violations":[1-9]' || bad "tso replay of $sched"
expect_usage_error "does not fit" --variant eqs_exit_sync_no_mb --paths user --replay "$sched"

# PCT states its probability bound and the runs for 99%.
$tool --variant early_isb --paths user --strategy pct --preemptions 1 --runs 5000 |
	grep -q "runs for 99%" || bad "PCT does not print its bound"

# --emit-litmus: one variant's shape for herd7; a variant without one is refused.
$tool --variant eqs_exit_sync_dsb --emit-litmus | grep -q '^exists (0:X2=0 /\\ 1:X6=0)$' ||
	bad "--emit-litmus printed no exists clause"
$tool --variant eqs_exit_sync_dsb --paths idle --emit-litmus | grep -q 'DSB ISH  *;$' ||
	bad "--emit-litmus on idle lost the exit's dsb"
expect_usage_error "exactly one --variant" --emit-litmus
expect_usage_error "one path" --variant eqs_exit_sync --paths idle,irq --emit-litmus
expect_usage_error "no EQS-exit shape" --variant kick_all --emit-litmus

# --ablate and --suggest-fix: the table's rows, a fix, and the edits they print replay.
out=$($tool --ablate --variant eqs_exit_sync_dsb --paths user --model arm-ifetch --cpus 1)
printf '%s\n' "$out" | grep -q "user exit: dsb #1 -> dmb  *NEEDED" || bad "--ablate: $out"
out=$($tool --suggest-fix --variant eqs_exit_sync --paths user --model arm-ifetch --cpus 1)
printf '%s\n' "$out" | grep -q -- "--edit 'before:any.exit.isb.1=dsb'" || bad "--suggest-fix: $out"
$tool --variant eqs_exit_sync --paths user --model arm-ifetch --edit 'before:any.exit.isb.1=dsb' |
	grep -q "clean, complete" || bad "--edit of the suggested fix"
expect_usage_error "not both" --ablate --suggest-fix
expect_usage_error "own edits" --ablate --edit user.exit.isb.1=remove
expect_usage_error "POINT" --edit 'user.exit.isb.0=remove'
finish explore_cli
