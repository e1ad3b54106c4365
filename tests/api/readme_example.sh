#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# readme_example.sh - the README's worked example must compile as written
# and run: extract the C block between the example markers, build it
# against the in-tree library, run it (through the emulator when given).
# Usage: readme_example.sh README CC "CFLAGS" INCLUDE_DIR LIBEQSSIM "LIBS" [EMULATOR...]
# (CFLAGS: the language and the build's own flags, so that a sanitizer build links its runtime.)
set -eu
readme=$1 cc=$2 cflags=$3 inc=$4 lib=$5 libs=$6
shift 6
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -n '/<!-- example:begin -->/,/<!-- example:end -->/p' "$readme" |
	sed '/^<!--/d; /^```/d' >"$work/example.c"
[ -s "$work/example.c" ] || { echo "no example block in $readme"; exit 1; }
# shellcheck disable=SC2086
"$cc" $cflags -Wall -Wextra -Werror -I"$inc" "$work/example.c" "$lib" $libs -pthread \
	-o "$work/example"
"$@" "$work/example"
