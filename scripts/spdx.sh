#!/bin/sh
# spdx.sh - the licence line every source file starts with:
#   SPDX-License-Identifier: LGPL-2.1-or-later      (the text: LICENSE)
# --check: list the source files whose first lines lack it (exit 1 if any);
# --add: write it as the first line of each of those, in the file's comment
# style: C (*.c, *.h, *.def, *.pml) "/* ... */" as line 1; shell, CMake, *.in,
# *.sbatch "# ..." as line 1, or line 2 after a shebang.
# Source files: *.c *.h *.def *.sh *.pml *.sbatch *.cmake *.in CMakeLists.txt,
# outside build*/ and tests/fuzz/corpus/.
# Usage: scripts/spdx.sh --check | --add
set -eu
cd "$(dirname "$0")/.."
id='SPDX-License-Identifier: LGPL-2.1-or-later'

sources() {
	{ git ls-files --cached --others --exclude-standard 2>/dev/null ||
		find . -name .git -prune -o -type f -print | sed 's|^\./||'; } |
		while read -r f; do
			case "$f" in
			build*/* | tests/fuzz/corpus/*) ;;
			*.c | *.h | *.def | *.sh | *.pml | *.sbatch | *.cmake | *.in | CMakeLists.txt | */CMakeLists.txt)
				[ -f "$f" ] && echo "$f" ;;
			esac
		done | sort -u
}

# The files whose first five lines do not name the licence.
missing() {
	sources | while read -r f; do
		head -n 5 "$f" | grep -qF "$id" || echo "$f"
	done
}

add() { # FILE: insert the line in the file's comment style
	f=$1
	tmp=$(mktemp)
	case "$f" in
	*.c | *.h | *.def | *.pml) { echo "/* $id */"; cat "$f"; } >"$tmp" ;;
	*)
		if head -n 1 "$f" | grep -q '^#!'; then
			{ head -n 1 "$f"; echo "# $id"; tail -n +2 "$f"; } >"$tmp"
		else
			{ echo "# $id"; cat "$f"; } >"$tmp"
		fi
		;;
	esac
	cat "$tmp" >"$f" # in place: the file keeps its mode (scripts stay executable)
	rm -f "$tmp"
}

case "${1:-}" in
--check)
	files=$(missing)
	if [ -n "$files" ]; then
		echo "$files"
		echo "spdx: $(echo "$files" | wc -l) files lack '$id' (scripts/spdx.sh --add)" >&2
		exit 1
	fi
	echo "spdx: clean"
	;;
--add)
	for f in $(missing); do
		add "$f"
		echo "spdx: $f"
	done
	;;
*)
	echo "usage: $0 --check | --add" >&2
	exit 2
	;;
esac
