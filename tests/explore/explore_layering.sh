#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# explore_layering.sh - the explorer's files include one another without a
# cycle, and the scheduler stays apart from what it drives:
#  - lib/explore's headers include each other in an order (no cycle);
#  - a file of lib/explore includes only its folder's headers, the machine
#    headers it may use (driver.h, error.h, coro.h, mem_port.h, clock.h, rng.h,
#    sanitizer.h) and eqssim.h;
#  - sched.c reaches the strategies and the sleep sets only through the ops
#    of strategy.h: it includes none of their headers and calls none of
#    their functions; reduce.c does not see the scheduler (not even through
#    a header it includes).
# Usage: explore_layering.sh LIB_DIR
set -u
lib=$1
dir=$lib/explore
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

includes() { sed -n 's/^#include "\(.*\)"/\1/p' "$1"; }

# Every quoted include is the folder's, an allowed machine header, or the API.
for f in "$dir"/*.c "$dir"/*.h; do
	for inc in $(includes "$f"); do
		case "$inc" in
		*/*) bad "$(basename "$f") includes $inc from another folder" ;;
		eqssim.h | driver.h | error.h | coro.h | mem_port.h | clock.h | rng.h | sanitizer.h) ;;
		*) [ -f "$dir/$inc" ] || bad "$(basename "$f") includes $inc, not a header of lib/explore nor one it may use" ;;
		esac
	done
done

# No cycle among the folder's headers: take away, again and again, the
# headers that include no header left; whatever cannot be taken is a cycle.
left=$(cd "$dir" && ls *.h)
while [ -n "$left" ]; do
	next=""
	for h in $left; do
		for inc in $(includes "$dir/$h"); do
			case " $(echo $left) " in
			*" $inc "*) next="$next $h"; break ;;
			esac
		done
	done
	next=$(echo $next)
	if [ "$next" = "$(echo $left)" ]; then
		bad "an include cycle among: $next"
		break
	fi
	left=$next
done

# The headers a file sees, directly or through the folder's headers.
closure() {
	seen="" todo=$(echo $(includes "$1"))
	while [ -n "$todo" ]; do
		set -- $todo
		h=$1
		shift
		todo="$*"
		case " $seen " in *" $h "*) continue ;; esac
		seen="$seen $h"
		[ -f "$dir/$h" ] && todo=$(echo $todo $(includes "$dir/$h"))
	done
	echo $seen
}

for h in reduce.h cache.h fingerprint.h dfs.h pct.h replay.h; do
	case " $(includes "$dir/sched.c") " in
	*" $h "*) bad "sched.c includes $h: the scheduler reaches it through strategy.h's ops" ;;
	esac
done
grep -nE '\b(reduce|dfs|pct|replay|state_cache)_[a-z_]+\(|\bexplore_(fingerprint|shared_view)' \
	"$dir/sched.c" && bad "sched.c calls a strategy's or the sleep sets' function directly"
case " $(closure "$dir/reduce.c") " in
*" scheduler.h "* | *" strategy.h "*) bad "reduce.c sees the scheduler: it takes its inputs as arguments" ;;
esac
case " $(closure "$dir/cache.c") " in
*" scheduler.h "*) bad "cache.c sees the scheduler: it is the table alone" ;;
esac

[ "$fail" -eq 0 ] && echo "explore layering: ok ($(ls "$dir" | wc -l) files)"
exit "$fail"
