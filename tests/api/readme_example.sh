#!/bin/sh
# readme_example.sh - the README's worked example must compile as written
# and run: extract the C block between the example markers, build it
# against the in-tree library, run it (through the emulator when given).
# Usage: readme_example.sh README CC INCLUDE_DIR LIBEQSSIM "LIBS" [EMULATOR...]
set -eu
readme=$1 cc=$2 inc=$3 lib=$4 libs=$5
shift 5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -n '/<!-- example:begin -->/,/<!-- example:end -->/p' "$readme" |
	sed '/^<!--/d; /^```/d' >"$work/example.c"
[ -s "$work/example.c" ] || { echo "no example block in $readme"; exit 1; }
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -I"$inc" "$work/example.c" "$lib" $libs -pthread \
	-o "$work/example"
"$@" "$work/example"
