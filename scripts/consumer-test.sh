#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# consumer-test.sh - install a preset's build into a scratch prefix, then
# build examples/custom_variant.c and the guide's experiments
# (examples/guide_experiments.c, docs/writing-a-variant.md) outside the tree
# against the installed package both ways (CMake find_package, shared and
# static; pkg-config) and run them: natively, or for aarch64 under qemu
# (one simulated CPU in the guide's explorations there, EQS_TEST_QUICK).
# Usage: scripts/consumer-test.sh PRESET
set -eu
cd "$(dirname "$0")/.."
preset=${1:-native}
src=$PWD/examples/custom_variant.c
guide=$PWD/examples/guide_experiments.c
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
# The example's logic bugs: its store-buffering one is a chance catch (ctest -L chance).
variants="ct_watching_gate ct_state_gate"

cmake --install "build/$preset" --prefix "$prefix" >/dev/null
case "$preset" in
native)
	toolchain=""
	run=""
	cc=${CC:-cc}
	export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
	;;
aarch64-*)
	toolchain="-DCMAKE_TOOLCHAIN_FILE=$PWD/cmake/aarch64-linux-gnu.cmake"
	run="qemu-aarch64 -L /"
	export EQS_TEST_QUICK=1
	cc=aarch64-linux-gnu-gcc
	export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig:/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig"
	;;
*)
	echo "consumer-test.sh: unknown preset '$preset'" >&2
	exit 2
	;;
esac

echo "--- $preset: find_package(eqssim)"
# shellcheck disable=SC2086
cmake -S tests/api/consumer -B "$scratch/cmake" -DCMAKE_PREFIX_PATH="$prefix" \
	-DEXAMPLE_SOURCE="$src" $toolchain >/dev/null
cmake --build "$scratch/cmake" >/dev/null
$run "$scratch/cmake/custom_variant" $variants
echo "--- $preset: find_package(eqssim), eqssim::eqssim_static"
$run "$scratch/cmake/custom_variant_static" $variants

echo "--- $preset: pkg-config eqssim"
# shellcheck disable=SC2046
$cc -std=c11 -Wall -Wextra -Werror "$src" $(pkg-config --cflags --libs eqssim) \
	-Wl,-rpath,"$prefix/lib" -o "$scratch/custom_variant_pc"
$run "$scratch/custom_variant_pc" $variants

echo "--- $preset: the guide's experiments, find_package(eqssim)"
# shellcheck disable=SC2086
cmake -S tests/api/consumer -B "$scratch/guide" -DCMAKE_PREFIX_PATH="$prefix" \
	-DEXAMPLE_SOURCE="$guide" $toolchain >/dev/null
cmake --build "$scratch/guide" >/dev/null
$run "$scratch/guide/custom_variant"
echo "--- $preset: the guide's first experiment, eqssim::eqssim_static and pkg-config"
$run "$scratch/guide/custom_variant_static" guide_stop_machine_4x
# shellcheck disable=SC2046
$cc -std=c11 -Wall -Wextra -Werror "$guide" $(pkg-config --cflags --libs eqssim) \
	-Wl,-rpath,"$prefix/lib" -o "$scratch/guide_pc"
$run "$scratch/guide_pc" guide_stop_machine_4x
