#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# deps.sh - install what eqssim needs on Debian 12, only what is missing.
# Usage: scripts/deps.sh native     build tools, clang-format, clang and its libFuzzer
#                                   runtime, liburcu, cmocka, jansson (eqssim-merge),
#                                   GNU parallel (scripts/campaign.sh and its test),
#                                   slurm-wlm and munge (test_slurm_campaign starts
#                                   a single-node Slurm of its own, as root)
#        scripts/deps.sh gnuplot    gnuplot, for scripts/plot-bench.sh
#        scripts/deps.sh aarch64    the above plus the arm64 cross toolchain,
#                                   qemu-user and arm64 multiarch libraries
set -eu
want=${1:-native}

if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	as_root=""
fi

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			printf '%s ' "$p"
	done
}

pkgs="build-essential cmake pkg-config clang-format clang libclang-rt-14-dev liburcu-dev libcmocka-dev libjansson-dev parallel slurm-wlm munge"
if [ "$want" = gnuplot ]; then
	pkgs="gnuplot-nox"
elif [ "$want" = aarch64 ]; then
	pkgs="$pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user liburcu-dev:arm64 libcmocka-dev:arm64 libjansson-dev:arm64"
fi
todo=$(missing $pkgs)
[ -z "$todo" ] && exit 0

if [ -n "$as_root" ] || [ "$(id -u)" -eq 0 ]; then :; else
	echo "deps.sh: missing packages ($todo) and no root or sudo to install them" >&2
	exit 1
fi
echo "deps.sh: installing $todo"
if [ "$want" = aarch64 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$as_root dpkg --add-architecture arm64
fi
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $todo >/dev/null
