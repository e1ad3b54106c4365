#!/bin/sh
# library_shape.sh - the shape of libeqssim a user links against:
#  - libeqssim.so exports only eqs_-prefixed symbols (internals are hidden,
#    so they cannot clash with a user's own mocks of kernel functions);
#  - neither library carries test support (scripted interleavings, the
#    litmus control);
#  - no file of the machine (lib/*.c, lib/*.h) includes a header from a
#    driver's folder (lib/stress, lib/explore), the variants or the tests.
# Usage: library_shape.sh NM LIBEQSSIM_SO LIBEQSSIM_A LIB_DIR
set -u
nm=$1 so=$2 archive=$3 lib=$4
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

exported=$("$nm" -D --defined-only "$so" | awk 'NF >= 3 { print $3 }')
[ -n "$exported" ] || bad "no exported symbols in $so"
others=$(printf '%s\n' "$exported" | grep -v '^eqs_' | grep -v '^$')
[ -z "$others" ] || bad "$so exports non-eqs_ symbols: $(echo $others)"
echo "$so: $(printf '%s\n' "$exported" | wc -l) exported symbols, all eqs_"

for sym in script_run litmus_sb; do
	"$nm" --defined-only "$archive" 2>/dev/null | grep -qw "$sym" &&
		bad "$archive defines $sym: test support belongs in tests/support"
done

for f in "$lib"/*.c "$lib"/*.h; do
	for inc in $(sed -n 's/^#include "\(.*\)"/\1/p' "$f"); do
		case "$inc" in
		*/*) bad "$(basename "$f") includes $inc from another folder" ;;
		eqssim.h) ;;
		*) [ -f "$lib/$inc" ] || bad "$(basename "$f") includes $inc, not a machine header" ;;
		esac
	done
done
[ "$fail" -eq 0 ] && echo "library shape: ok"
exit "$fail"
