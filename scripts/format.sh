#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# format.sh - format the C sources with the committed .clang-format
# (kernel style); with --check, only report files that differ, and files
# without the licence line (scripts/spdx.sh --check).
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find include lib examples tests -name '*.[ch]')
if [ "${1:-}" = --check ]; then
	clang-format --dry-run --Werror $files
	echo "format: clean"
	scripts/spdx.sh --check
else
	clang-format -i $files
fi
