#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test.sh - build and run every test: natively (then once more beside two
# CPU burners: scripts/test-under-load.sh, EQS_LOAD_RUNS times, default 1);
# the sanitizer stages: the suite under ASan+UBSan, under ThreadSanitizer
# (generic C11 backend), and the parsers' fuzzer for a minute
# (scripts/fuzz.sh, EQS_FUZZ_SECONDS); then the aarch64 build with LSE
# atomics and with LL/SC atomics under qemu-aarch64.  After each build
# stage, the build is installed and an experiment built against the package
# (scripts/consumer-test.sh).  Installs missing Debian packages first and
# checks the sources' format.
# Usage: scripts/test.sh [native|asan|tsan|fuzz|aarch64-lse|aarch64-llsc]...
set -eu
cd "$(dirname "$0")/.."
stages=${*:-native asan tsan fuzz aarch64-lse aarch64-llsc}

for s in $stages; do
	case "$s" in
	native | asan | tsan | fuzz | aarch64-lse | aarch64-llsc) ;;
	*) echo "test.sh: unknown stage '$s' (native, asan, tsan, fuzz, aarch64-lse, aarch64-llsc)" >&2; exit 2 ;;
	esac
done
case "$stages" in
*aarch64*) scripts/deps.sh aarch64 ;;
*) scripts/deps.sh native ;;
esac
scripts/format.sh --check
for s in $stages; do
	echo "=== $s ==="
	case "$s" in
	fuzz)
		scripts/fuzz.sh
		continue
		;;
	esac
	cmake --workflow --preset "$s"
	case "$s" in
	native)
		scripts/consumer-test.sh native
		echo "=== native, beside two CPU burners ==="
		scripts/test-under-load.sh "${EQS_LOAD_RUNS:-1}"
		;;
	aarch64-*) scripts/consumer-test.sh "$s" ;;
	esac
done
