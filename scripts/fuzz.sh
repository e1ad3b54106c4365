#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fuzz.sh - fuzz every string parser the command lines reach (the target in
# tests/fuzz/fuzz_parsers.c) with libFuzzer, clang, ASan and UBSan, for a
# bounded time; fails on any crash, trap, leak or hang (an input slower than
# 5 s).  New inputs go to a scratch corpus; tests/fuzz/corpus seeds it.  A
# crash leaves its input in build/fuzz/artifacts: add it to tests/fuzz/corpus
# (test_fuzz_corpus then replays it in every build) and fix the parser.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60, or EQS_FUZZ_SECONDS)
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-${EQS_FUZZ_SECONDS:-60}}
case "$seconds" in
'' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p build/fuzz/artifacts
log=build/fuzz/fuzz.log
echo "fuzz.sh: fuzzing the parsers for ${seconds} s"
if ! build/fuzz/tests/fuzz_parsers -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ \
	"$scratch" tests/fuzz/corpus >"$log" 2>&1; then
	tail -n 40 "$log"
	echo "fuzz.sh: the fuzzer found a failing input (in build/fuzz/artifacts/)" >&2
	exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
echo "fuzz.sh: ${runs:-?} inputs executed in ${seconds} s, no crash, trap or hang"
