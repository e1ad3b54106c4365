#!/bin/sh
# test.sh - build and run every test: natively, then the aarch64 build with
# LSE atomics and with LL/SC atomics under qemu-aarch64; after each, install
# the build and build an experiment against the installed package
# (scripts/consumer-test.sh); the native suite runs again beside two CPU
# burners (scripts/test-under-load.sh, EQS_LOAD_RUNS times, default 1).
# Installs missing Debian packages first and checks the sources' format.
# Usage: scripts/test.sh [native|aarch64-lse|aarch64-llsc]...
set -eu
cd "$(dirname "$0")/.."
presets=${*:-native aarch64-lse aarch64-llsc}

case "$presets" in
*aarch64*) scripts/deps.sh aarch64 ;;
*) scripts/deps.sh native ;;
esac
scripts/format.sh --check
for p in $presets; do
	echo "=== $p ==="
	cmake --workflow --preset "$p"
	scripts/consumer-test.sh "$p"
	if [ "$p" = native ]; then
		echo "=== native, beside two CPU burners ==="
		scripts/test-under-load.sh "${EQS_LOAD_RUNS:-1}"
	fi
done
