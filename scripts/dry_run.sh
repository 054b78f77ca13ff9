# shellcheck shell=bash
# Shared by the deploy scripts (source it): `parse_args "$@"` takes --dry-run and
# --help (which prints the calling script's header comment); `run CMD...` runs a
# command (echoing it to stderr), or, with --dry-run, only prints it, one per line and
# shell-quoted so the output round-trips through Python's shlex.split (the deploy tests
# parse it); `die MESSAGE` stops with exit code 2.

DRY_RUN=false

parse_args() {
    local arg
    for arg in "$@"; do
        case "$arg" in
            --dry-run) DRY_RUN=true ;;
            -h | --help)
                sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
                exit 0
                ;;
            *)
                echo "$(basename "$0"): unknown argument: $arg (try --help)" >&2
                exit 2
                ;;
        esac
    done
}

die() {
    echo "$(basename "$0"): $*" >&2
    exit 2
}

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
