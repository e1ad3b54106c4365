#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench_cli.sh - the command-line contract of eqssim-bench: an unknown or
# empty --only figure, a missing value or an unknown option exits 2 with
# one line naming it (it used to run nothing and exit 0).
# Usage: bench_cli.sh [EMULATOR...] PATH/TO/eqssim-bench
set -u
. "$(dirname "$0")/cli_common.sh"

expect_usage_error "foo" --only foo
expect_usage_error "unknown figure ''" --only ''
expect_usage_error "--only wants" --only
expect_usage_error "--bogus" --bogus
$tool --help | grep -q -- "--only" || bad "--help"
finish bench_cli
