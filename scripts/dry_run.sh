# shellcheck shell=bash
# Shared by the deploy scripts: `run CMD...` runs a command (echoing it to stderr), or,
# when DRY_RUN=true, only prints it, one per line and shell-quoted so the output
# round-trips through Python's shlex.split (the deploy tests parse it). Source it.

# Quote like Python's shlex.quote.
quote() {
    if [[ "$1" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\"\'\"\'}"
    fi
}

print_cmd() {
    local out="" word
    for word in "$@"; do
        out+="${out:+ }$(quote "$word")"
    done
    printf '%s\n' "$out"
}

run() {
    if [[ "$DRY_RUN" == true ]]; then
        print_cmd "$@"
    else
        echo "+ $(print_cmd "$@")" >&2
        "$@"
    fi
}
