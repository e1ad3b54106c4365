#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# stress_cli.sh - the command-line contract of eqssim-stress: bad usage
# exits 2 with a one-line error naming the bad option or value; --json
# prints one object per variant with the documented fields.
# Usage: stress_cli.sh [EMULATOR...] PATH/TO/eqssim-stress
set -u
. "$(dirname "$0")/cli_common.sh"

expect_usage_error "nosuch" --variant nosuch
expect_usage_error "nosuch" --variant early_isb,nosuch
expect_usage_error "--cpus" --cpus 0
expect_usage_error "--cpus" --cpus -3
expect_usage_error "--cpus" --cpus two
expect_usage_error "--patches" --patches 0
expect_usage_error "--duration" --duration 0
expect_usage_error "--duration" --duration -1
expect_usage_error "--min-races" --min-races 0
expect_usage_error "bogus_step" --delay bogus_step=10
expect_usage_error "STEP=NS" --delay enable_daif
expect_usage_error "enable_daif=abc" --delay enable_daif=abc
expect_usage_error "window" --delay read_dynticks=100
expect_usage_error "--frobnicate" --frobnicate
expect_usage_error "needs a value" --seed
expect_usage_error "--nohz-full" --nohz-full 1-0
expect_usage_error "--nohz-full" --nohz-full 0,x
expect_usage_error "beyond --cpus" --cpus 2 --nohz-full 0,5
expect_usage_error "unknown action" --weight nap=3
expect_usage_error "--weight" --weight idle=-1
expect_usage_error "--entry-patches" --entry-patches 101
expect_usage_error "weights are zero" --weight kernel=0 --weight syscall=0 --weight idle=0 --weight irq=0 --weight guest=0 --weight nmi=0

$tool --help | grep -q -- "--stop-on-violation" || { bad "--help"; }
$tool --help | grep -q -- "--full-budget" || { bad "--help lacks --full-budget"; }
expect_usage_error "--min-duration" --min-duration 0
# Numbers are parsed strictly: no blank, no sign, no hex, no empty list.
expect_usage_error "--patches" --patches ' -1'
expect_usage_error "--seed" --seed ' -1'
expect_usage_error "--nohz-full" --nohz-full ''
expect_usage_error "--nohz-full" --nohz-full '0,,1'
expect_usage_error "--nohz-full" --nohz-full ' 1'
expect_usage_error "--duration" --duration ' 1'
expect_usage_error "--duration" --duration 0x10
expect_usage_error "--duration" --duration inf
expect_usage_error "--delay" --delay 'exc_entry= 5'
# A campaign's matrix and its shards (eqssim-merge puts them together: campaign_cli.sh).
expect_usage_error "--shard" --shard 3/3
expect_usage_error "--shard" --shard 0/0
expect_usage_error "--shard" --shard 1
expect_usage_error "--shard" --shard ' 1/2'
expect_usage_error "--seeds" --seeds 0
expect_usage_error "--seeds" --seeds 1001
expect_usage_error "seeds run past" --seed 18446744073709551615 --seeds 2
expect_usage_error "not with --seeds" --ablate --seeds 2
# Aimed races: the spread is bounded; --no-aim takes no value.
expect_usage_error "--aim-spread" --aim-spread 1000001
expect_usage_error "--aim-spread" --aim-spread ' 5'
expect_usage_error "--aim-spread" --aim-spread -5
expect_usage_error "--no-aim" --no-aim=1
$tool --help | grep -q -- "--no-aim" || { bad "--help lacks --no-aim"; }
n=$($tool --list-variants | tail -n +2 | wc -l)
[ "$n" -eq 12 ] || { bad "--list-variants lists $n"; }

# --json: one line per variant, every required field; a caught buggy variant exits 0.
out=$($tool --variant early_isb,no_sync --json --stop-on-violation --duration 8)
rc=$?
[ "$rc" -eq 0 ] || { bad "--json run exited $rc: $out"; }
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || { bad "want 2 JSON lines: $out"; }
for f in variant model expected verdict violations violation_paths exercised_races \
	patches ipis_sent ipis_skipped ipis_deferred eqs_disturbed sync_ns_p50 sync_ns_p99 \
	entry_patches protocol_errors entry_violations \
	first_violation_ns arch cpus seed exercised_races_on_path syncs_leaving_out \
	aimed_exits aimed_in_window; do
	printf '%s\n' "$out" | head -1 | grep -q "\"$f\":" || { bad "JSON lacks $f"; }
done
printf '%s\n' "$out" | grep -q '"variant":"early_isb".*"verdict":"match"' ||
	{ bad "early_isb not matched: $out"; }

# With no nohz_full CPU and only syscalls, user mode is never an EQS: no exits at all.
out=$($tool --variant eqs_exit_sync --nohz-full none --weight kernel=0 --weight idle=0 \
	--weight irq=0 --weight guest=0 --weight nmi=0 --duration 0.3 --json)
printf '%s\n' "$out" | grep -q '"eqs_exits":0,' ||
	{ bad "user mode counted as EQS without nohz_full: $out"; }

# Nor is guest mode without context tracking: guest_enter_irqoff() is an EQS only on nohz_full.
out=$($tool --variant eqs_exit_sync --nohz-full none --weight kernel=0 --weight idle=0 \
	--weight irq=0 --weight syscall=0 --weight nmi=0 --duration 0.3 --json)
printf '%s\n' "$out" | grep -q '"eqs_exits":0,' ||
	{ bad "guest mode counted as EQS without nohz_full: $out"; }

# An interrupt taken in user mode is the full user exit (uirq) on nohz_full, and none elsewhere.
out=$($tool --variant eqs_exit_sync --nohz-full none --weight kernel=0 --weight idle=0 \
	--weight syscall=0 --weight guest=0 --weight nmi=0 --duration 0.3 --json)
printf '%s\n' "$out" | grep -q '"eqs_exits":0,' ||
	{ bad "user-mode interrupt counted as EQS exit without nohz_full: $out"; }
out=$($tool --variant eqs_exit_sync --weight kernel=0 --weight idle=0 \
	--weight syscall=0 --weight guest=0 --weight nmi=0 --duration 0.3 --json)
printf '%s\n' "$out" | grep -q '"exercised_races_on_path":{"user":[0-9]*,"idle":0,"irq":[0-9]*,"guest":0,"uirq":[1-9]' ||
	{ bad "user-mode interrupts did not leave EQS by the uirq path: $out"; }

# Entry-code patches under a deferring sync: a protocol error, exit 1.
out=$($tool --variant eqs_exit_sync --entry-patches 30 --duration 0.5 --json)
rc=$?
[ "$rc" -eq 1 ] || { bad "protocol error run exited $rc, want 1"; }
printf '%s\n' "$out" | grep -q '"protocol_errors":[1-9]' ||
	{ bad "no protocol error reported: $out"; }

# A correct variant's run ends once its verdict is earned, well before the maximum.
out=$($tool --variant eqs_exit_sync --duration 60 --json)
secs=$(printf '%s\n' "$out" | sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p')
printf '%s\n' "$out" | grep -q '"verdict":"match"' || { bad "eqs_exit_sync not matched: $out"; }
awk -v s="$secs" 'BEGIN { exit !(s < 30) }' || { bad "earned verdict took $secs s of 60"; }

# Aimed by default, and the header says so; with --no-aim no exit is aimed.
out=$($tool --variant eqs_exit_sync --duration 5)
printf '%s\n' "$out" | grep -q "^aimed races: .* +-100 ns" || { bad "header lacks the aim: $out"; }
out=$($tool --variant eqs_exit_sync --duration 5 --no-aim --json)
printf '%s\n' "$out" | grep -q '"aimed_exits":0,"aimed_in_window":0' ||
	{ bad "--no-aim still aimed: $out"; }
printf '%s\n' "$out" | grep -q '"verdict":"match"' || { bad "--no-aim eqs_exit_sync: $out"; }
$tool --variant eqs_exit_sync --duration 5 --no-aim | grep -q "^races not aimed" ||
	bad "--no-aim header"

# A run whose verdict does not match exits 1: too many races to reach.
$tool --variant kick_all --duration 0.2 --min-races 1000000000 >/dev/null
rc=$?
[ "$rc" -eq 1 ] || { bad "inconclusive run exited $rc, want 1"; }

# --ablate: each ordering point removed in turn on the host; without the hook's isb the
# fix is caught at once.  --edit takes the words it prints.
out=$($tool --ablate --variant eqs_exit_sync_dsb --duration 2 --cpus 2)
printf '%s\n' "$out" | grep -q "user exit: isb #1 removed  *NEEDED" || bad "stress --ablate: $out"
expect_usage_error "POINT=remove" --edit bogus
expect_usage_error "own edits" --ablate --edit user.exit.isb.1=remove
finish stress_cli
