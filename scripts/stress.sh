#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# stress.sh - build eqssim-stress natively and run it; arguments go to the
# tool (none: every built-in variant on the default budget).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh native
cmake --preset native >/dev/null
cmake --build --preset native >/dev/null
exec build/native/examples/eqssim-stress "$@"
