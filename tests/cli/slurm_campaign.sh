#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# slurm_campaign.sh - an exploration campaign as a Slurm job array on a real
# single-node Slurm started for the test (its own munged, slurmctld and slurmd,
# configuration, ports and state in a temporary directory): each task one
# shard (scripts/slurm-campaign.sbatch), merged by eqssim-merge into the
# rows of the unsharded run.  Skips (77), saying what failed, where Slurm
# cannot start: not root, Slurm or munge not installed, a daemon that would
# not start, a node never idle.  It stops every daemon it started.
# An exploration, not stress: its verdicts do not depend on how busy the
# node is, so the merge must equal the unsharded run exactly.
# Usage: slurm_campaign.sh [EMULATOR...] PATH/TO/eqssim-explore PATH/TO/eqssim-merge
#        PATH/TO/slurm-campaign.sbatch
set -u
emu=""
while [ $# -gt 3 ]; do emu="$emu $1"; shift; done
tool_path=$1
merge="$emu $2"
sbatch_script=$3
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "not root (slurmd must run as root)"
for p in slurmctld slurmd sbatch squeue sinfo munged; do
	command -v "$p" >/dev/null 2>&1 ||
		skip "$p is not installed (apt-get install slurm-wlm munge)"
done
dir=$(mktemp -d /tmp/slurm_campaign.XXXXXX)
chmod 755 "$dir"
pids=""
cleanup() {
	for f in slurmd slurmctld munged; do
		[ -s "$dir/$f.pid" ] && kill "$(cat "$dir/$f.pid")" 2>/dev/null
	done
	sleep 1
	for f in slurmd slurmctld munged; do
		[ -s "$dir/$f.pid" ] && kill -9 "$(cat "$dir/$f.pid")" 2>/dev/null
	done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# munge: a key of our own and a socket of our own, so a munged already running is left alone.
mkdir -p "$dir/munge"
chmod 700 "$dir/munge"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$dir/munge/munge.key"
sock="$dir/munge/munge.socket"
munged --force --socket="$sock" --key-file="$dir/munge/munge.key" \
	--pid-file="$dir/munged.pid" --log-file="$dir/munged.log" \
	--seed-file="$dir/munge/munged.seed" >"$dir/munged.out" 2>&1 ||
	skip "munged would not start: $(cat "$dir/munged.out" "$dir/munged.log" 2>/dev/null | tail -n 3)"
i=0
until [ -S "$sock" ]; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || skip "munged would not start: no socket after 5 s"
	sleep 0.1
done

host=$(hostname -s)
# Ports of our own too: a Slurm on the usual 6817/6818 is not ours.
base=$((20000 + $$ % 20000))
mkdir -p "$dir/state" "$dir/spool" "$dir/out"
cat >"$dir/slurm.conf" <<CONF
ClusterName=eqssimtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=eqssim Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
SLURM_CONF="$dir/slurm.conf"
export SLURM_CONF
slurmctld -f "$SLURM_CONF" >"$dir/slurmctld.out" 2>&1 ||
	skip "slurmctld would not start: $(tail -n 3 "$dir/slurmctld.out" "$dir/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" >"$dir/slurmd.out" 2>&1 ||
	skip "slurmd would not start: $(tail -n 3 "$dir/slurmd.out" "$dir/slurmd.log" 2>/dev/null)"
i=0
until [ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = idle ]; do
	i=$((i + 1))
	[ "$i" -lt 60 ] || skip "node $host never idle in 30 s (sinfo: $(sinfo -h -n "$host" -o %T 2>&1)); slurmd.log: $(tail -n 3 "$dir/slurmd.log" 2>/dev/null)"
	sleep 0.5
done

# The campaign: a buggy variant and the review's fix under every model, 3 tasks.
args="--variant early_isb,eqs_exit_sync --paths user --preemptions 1 --quiet"
# shellcheck disable=SC2086 # the emulator and the tool, as words
$emu "$tool_path" $args --json >"$dir/full.jsonl"
want_rc=$?
# shellcheck disable=SC2086
jid=$(sbatch --parsable --array=0-2 --cpus-per-task="$(nproc)" --output="$dir/out/task-%a.log" \
	"$sbatch_script" "$dir/out" $emu "$tool_path" $args 2>"$dir/sbatch.err")
[ -n "$jid" ] || { bad "sbatch failed: $(cat "$dir/sbatch.err")"; jid=none; }
i=0
while [ "$jid" != none ] && [ -n "$(squeue -h -j "$jid" 2>/dev/null)" ]; do
	i=$((i + 1))
	[ "$i" -lt 240 ] || { bad "the array $jid did not end in 120 s: $(squeue -j "$jid")"; break; }
	sleep 0.5
done

rows() {
	sed -n 's/^{"variant":"\([^"]*\)","model":"\([^"]*\)".*"verdict":"\([^"]*\)".*"complete":\([a-z]*\),.*/\1 \2 \3 \4/p' "$@"
}
rows "$dir/full.jsonl" >"$dir/full.rows"
$merge --json "$dir"/out/shard-*.jsonl >"$dir/merged.jsonl" 2>"$dir/merge.err"
rc=$?
[ "$rc" -eq "$want_rc" ] ||
	bad "merge exited $rc, the unsharded run $want_rc: $(cat "$dir/merge.err" "$dir"/out/task-*.log)"
rows "$dir/merged.jsonl" >"$dir/merged.rows"
[ "$(wc -l <"$dir/full.rows")" -eq 6 ] && cmp -s "$dir/full.rows" "$dir/merged.rows" ||
	bad "merged rows $(cat "$dir/merged.rows") not $(cat "$dir/full.rows")"

if [ "$fail" -ne 0 ]; then
	echo "$fail failed"
	exit 1
fi
echo "slurm_campaign: all passed (array job $jid on $host)"
