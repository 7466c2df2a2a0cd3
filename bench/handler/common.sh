# Shared by bench/handler's comparison scripts (sourced, POSIX sh): checks the argument count
# (printing the calling script's usage from its header otherwise), makes a work folder removed on
# exit and builds drive.c into it.
#
#   . "$(dirname "$0")/common.sh"; bench_setup NAME MIN_ARGS USAGE_LINES "$@"
# Sets: here (bench/handler), work (the work folder), drive (the built drive.c), measured (the
# application with submission ids of its own: drive.c numbers every invocation's posts from 0, so
# posts made with application.txt itself after fresh_shop's warm-up, or on a shop that already
# holds its first post, would repeat ids and be answered as duplicates, storing nothing).
bench_setup() {
    name=$1 min=$2 usage=$3
    shift 3
    [ $# -ge "$min" ] || { sed -n "$usage" "$0" >&2; exit 2; }
    here=$(cd "$(dirname "$0")" && pwd)
    work=$(mktemp -d "${TMPDIR:-/tmp}/kaitori-$name.XXXXXX")
    trap 'rm -rf "$work"' EXIT INT TERM
    drive=$work/drive
    gcc -O2 -Wall -o "$drive" "$here/drive.c"
    measured=$work/measured.txt
    sed 's/@@@@@@@@/m@@@@@@@@/' "$here/application.txt" > "$measured"
}

# fresh_shop SHOP DEST PROGRAM WARM: DEST becomes a copy of SHOP, on which PROGRAM then makes WARM
# posts unless WARM is 0. A program to be warmed is dropped from the page cache first, so that
# every compared program is read back from disk alike (bench/tools/drop-cached.py says why).
fresh_shop() {
    rm -rf "$2" && cp -R "$1" "$2"
    [ "$4" -eq 0 ] && return
    python3 "$here/../tools/drop-cached.py" "$3"
    "$drive" "$4" "$here/application.txt" "$2" "$3" >/dev/null
}
