#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# library_shape.sh - the shape of libeqssim a user links against, and of lib/:
#  - libeqssim.so exports, and libeqssim.a defines as global, only eqs_
#    symbols: internals are hidden in the one and local in the other, so they
#    cannot clash with a user's own mocks of kernel functions;
#  - neither library carries test support (scripted interleavings, the
#    litmus control);
#  - lib/'s modules depend one way, in the order lib/layers.txt declares: no
#    file includes the header of a module listed after its own, no object
#    (of lib/'s object libraries, under OBJ_DIR) uses a symbol defined by
#    one, and no module uses one of a layer beside its own.  Upward uses the
#    layers file allows for now are reported, with the cycle each closes.
# Usage: library_shape.sh NM LIBEQSSIM_SO LIBEQSSIM_A LIB_DIR OBJ_DIR
set -u
nm=$1 so=$2 archive=$3 lib=$4 objdir=$5
layers=$lib/layers.txt
fail=0
exec 3>&1 # FAIL lines go to the output, even from a loop whose output is redirected
bad() { echo "FAIL: $*" >&3; fail=$((fail + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ASan's ODR indicator of an exported variable (__odr_asan.V with gcc,
# __odr_asan_gen_V with clang) is the instrumentation's, not the library's.
# None appears today: the API exports functions only, and the asan, tsan and
# fuzz builds add no other global symbol.
instrumentation='^__odr_asan'

# ---- the libraries' global symbols ------------------------------------------
exported=$("$nm" -D --defined-only "$so" | awk 'NF >= 3 { print $3 }')
[ -n "$exported" ] || bad "no exported symbols in $so"
others=$(printf '%s\n' "$exported" | grep -v '^eqs_' | grep -Ev "$instrumentation" | grep -v '^$')
[ -z "$others" ] || bad "$so exports non-eqs_ symbols: $(echo "$others" | tr "\n" " ")"
echo "$so: $(printf '%s\n' "$exported" | grep -c '^eqs_') exported eqs_ symbols"

globals=$("$nm" -g --defined-only "$archive" | awk 'NF >= 3 { print $3 }')
[ -n "$globals" ] || bad "no global symbols in $archive"
others=$(printf '%s\n' "$globals" | grep -v '^eqs_' | grep -Ev "$instrumentation" | grep -v '^$')
[ -z "$others" ] || bad "$archive defines non-eqs_ global symbols: $(echo "$others" | tr "\n" " ")"
echo "$archive: $(printf '%s\n' "$globals" | grep -c '^eqs_') global eqs_ symbols"

for sym in script_run litmus_sb; do
	"$nm" --defined-only "$so" "$archive" 2>/dev/null | grep -qw "$sym" &&
		bad "libeqssim defines $sym: test support belongs in tests/support"
done

# ---- lib/'s modules, as the layers file lists them and as the files are ------
[ -f "$layers" ] || { bad "no $layers"; exit "$fail"; }
# "MODULE LAYER", in order
awk '{ sub(/#.*/, "") }
	$1 == "layer" { layer = $2; next }
	$1 == "allow" || NF == 0 { next }
	{ print $1, layer }' "$layers" >"$work/order"
modules=" $(awk '{ print $1 }' "$work/order" | tr '\n' ' ') "
for m in $(awk '{ print $1 }' "$work/order" | sort | uniq -d); do
	bad "lib/layers.txt lists $m twice"
done
for m in $modules; do
	[ -f "$lib/$m.c" ] || [ -f "$lib/$m.h" ] ||
		bad "lib/layers.txt lists $m, but lib/ has no $m.c or $m.h"
done

module_of() { # sets mod: $lib/explore/sched.c -> explore/sched
	mod=${1#"$lib"/}
	mod=${mod%.*}
}

files=$(find "$lib" -name '*.[ch]' | sort)
for f in $files; do
	module_of "$f"
	case "$modules" in
	*" $mod "*) ;;
	*) bad "lib/${f#"$lib"/}: its module $mod is not listed in lib/layers.txt" ;;
	esac
done

# ---- what each module uses: "FROM TO EVIDENCE", one a line ----------------
# Includes: a quoted include is found beside the file, then in lib/ (the
# object libraries' include path); eqssim.h and eqssim/ are the public API.
for f in $files; do
	module_of "$f"
	m=$mod shown=lib/${f#"$lib"/}
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		case "$inc" in
		*..*)
			bad "$shown (module $m) includes $inc: name lib/'s headers from lib/, not by a relative path"
			continue
			;;
		esac
		if [ -f "${f%/*}/$inc" ]; then
			module_of "${f%/*}/$inc"
		elif [ -f "$lib/$inc" ]; then
			module_of "$lib/$inc"
		else
			case "$inc" in
			eqssim.h | eqssim/*) ;;
			*) bad "$shown (module $m) includes $inc: neither a header of lib/ nor the public API" ;;
			esac
			continue
		fi
		echo "$m $mod $shown includes $inc"
	done
done >"$work/uses"

# Symbols: what an object leaves undefined that another module's object
# defines.  An object is named after its source (CMakeFiles/eqssim_PART.dir/
# explore/sched.c.o); one whose source is gone is a stale leftover: skipped.
for o in $(find "$objdir" -path '*/CMakeFiles/eqssim_*.dir/*' -name '*.c.o' | sort); do
	rel=${o#*/CMakeFiles/eqssim_*.dir/}
	[ -f "$lib/${rel%.o}" ] && echo "$o"
done >"$work/objects"
[ -s "$work/objects" ] || { bad "no object of lib/'s object libraries under $objdir"; exit "$fail"; }
# One nm for all ("FILE:VALUE TYPE NAME"; undefined: "FILE: U NAME").
{
	xargs "$nm" -A -g --defined-only <"$work/objects" | sed 's/^/D /'
	xargs "$nm" -A -u <"$work/objects" | sed 's/^/U /'
} | awk '{
	object = $2; sub(/:.*/, "", object); sub(/.*\/CMakeFiles\/eqssim_[^\/]*\.dir\//, "", object)
	module = object; sub(/\.c\.o$/, "", module)
	if ($1 == "D" && NF >= 4) print "D", $NF, module
	else if ($1 == "U") print "U", $NF, module, object
}' >"$work/symbols"
awk 'NR == FNR { if ($1 == "D") def[$2] = $3; next }
	$1 == "U" && ($2 in def) { print $3, def[$2], "object", $4, "uses", $2 }' \
	"$work/symbols" "$work/symbols" >>"$work/uses"

echo "lib/: $(wc -l <"$work/order") modules in $(grep -c '^layer' "$layers") layers," \
	"$(echo "$files" | wc -l) files, $(wc -l <"$work/objects") objects"

# ---- judge each use against the order -------------------------------------
# Upward or sideways uses fail unless allowed; an allowed one is reported
# with the cycle it closes; an allow line that allows nothing fails.
awk -v layers="$layers" '
function cycle(from, to,    queue, head, tail, seen, prev, cur, n, next_, i, path) {
	head = tail = 0
	queue[tail++] = from
	seen[from] = 1
	while (head < tail && !(to in seen)) {
		cur = queue[head++]
		n = split(adj[cur], next_, " ")
		for (i = 1; i <= n; i++)
			if (!(next_[i] in seen)) {
				seen[next_[i]] = 1
				prev[next_[i]] = cur
				queue[tail++] = next_[i]
			}
	}
	if (!(to in seen))
		return ""
	path = to
	for (cur = to; cur != from; cur = prev[cur])
		path = prev[cur] " -> " path
	return path
}
FILENAME == layers {
	sub(/#.*/, "")
	if ($1 == "layer") {
		layer = $2
		if ($3 == "beside")
			beside[$2, $4] = beside[$4, $2] = 1
	} else if ($1 == "allow") {
		allow[$2, $4] = 1
		allows[++nallows] = $2 " -> " $4
	} else if (NF) {
		pos[$1] = ++n
		layer_of[$1] = layer
	}
	next
}
{
	from = $1; to = $2
	evidence = $3; for (i = 4; i <= NF; i++) evidence = evidence " " $i
	if (from == to || !(from in pos) || !(to in pos))
		next
	if (!((from, to) in edge)) {
		edge[from, to] = 1
		adj[from] = adj[from] " " to
	}
	if (pos[to] < pos[from] && !((layer_of[from], layer_of[to]) in beside))
		next
	why = pos[to] > pos[from] ? "listed after it in lib/layers.txt" : "a layer beside " layer_of[from]
	if ((from, to) in allow) {
		used[from, to]++
		if (used[from, to] <= 2)
			shown[from, to] = shown[from, to] (used[from, to] > 1 ? "; " : "") evidence
		next
	}
	printf "FAIL: %s: module %s (%s) uses module %s (%s), %s\n", \
		evidence, from, layer_of[from], to, layer_of[to], why
	failed++
}
END {
	for (i = 1; i <= nallows; i++) {
		split(allows[i], e, " -> ")
		if (!((e[1], e[2]) in used)) {
			printf "FAIL: lib/layers.txt: \"allow %s\" allows nothing any more: delete the line\n", allows[i]
			failed++
			continue
		}
		more = used[e[1], e[2]] > 2 ? sprintf("; %d more", used[e[1], e[2]] - 2) : ""
		loop = cycle(e[2], e[1])
		printf "allowed for now: %s (%s%s)\n", allows[i], shown[e[1], e[2]], more
		if (loop != "")
			printf "    cycle: %s -> %s\n", e[1], loop
	}
	exit (failed > 0)
}' "$layers" "$work/uses" || fail=$((fail + 1))

[ "$fail" -eq 0 ] && echo "library shape: ok"
exit "$fail"
