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
