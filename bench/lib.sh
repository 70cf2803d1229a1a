# lib.sh — helpers the bench scripts share; sourced, not run.

# q quotes words for hyperfine's command line (split like a shell, no shell).
q() {
	local a out=()
	for a in "$@"; do
		if [[ $a =~ ^[A-Za-z0-9_./=:@%+,-]+$ ]]; then
			out+=("$a")
		else
			out+=("'${a//\'/\'\\\'\'}'")
		fi
	done
	printf '%s' "${out[*]}"
}

# busy starts $BUSY busy loops (0 by default) that end with the script, so
# that a bench runs as it would beside a build: BUSY=2 takes both cores.
busy() {
	local i pids=()
	for ((i = 0; i < ${BUSY:-0}; i++)); do
		sh -c 'while :; do :; done' &
		pids+=($!)
	done
	if [ ${#pids[@]} -gt 0 ]; then
		# shellcheck disable=SC2064
		trap "kill ${pids[*]} 2>/dev/null; $(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")" EXIT
	fi
}
