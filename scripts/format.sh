#!/bin/sh
# format.sh - format the C sources with the committed .clang-format
# (kernel style); with --check, only report files that differ.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find include lib examples tests -name '*.[ch]')
if [ "${1:-}" = --check ]; then
	clang-format --dry-run --Werror $files
	echo "format: clean"
else
	clang-format -i $files
fi
