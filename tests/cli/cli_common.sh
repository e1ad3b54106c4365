# SPDX-License-Identifier: LGPL-2.1-or-later
# cli_common.sh - sourced by the command-line tests: the tool (with its
# emulator prefix, if any) from the arguments, and usage-error checking.
# Sets $tool and $fail; every argument but the last is the emulator prefix.
fail=0
tool_prefix=""
while [ $# -gt 1 ]; do tool_prefix="$tool_prefix $1"; shift; done
tool="$tool_prefix $1"

bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# expect_usage_error WANT ARGS...: exit 2 and one stderr line mentioning WANT.
expect_usage_error() {
	want="$1"; shift
	err=$($tool "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || ! printf '%s' "$err" | grep -q -- "$want"; then
		bad "'$*' gave rc=$rc, stderr: $err (wanted rc 2 mentioning '$want')"
	fi
}

# Print the verdict line and exit with it.
finish() {
	if [ "$fail" -ne 0 ]; then
		echo "$fail failed"
		exit 1
	fi
	echo "$1: all passed"
	exit 0
}
