#!/usr/bin/env bash
# Peak memory of the exports at two store sizes: does it grow with the number of cases?
#
#   bench/memory/run.sh [SIZES...]      (default: 10000 100000)
#
# For each size: a fresh sample shop (`kaitori init --sample`, `kaitori build`), SIZE purchased,
# unpaid bank-transfer cases added with bench/sql/purchased-cases.sql (one SQL transaction, as
# `kaitori` would leave them), then each export run once under `/usr/bin/time -v`, its peak
# resident set size ("Maximum resident set size") and wall time printed as a markdown table:
#   zengin export   kaitori zengin export --date 1225 -o FILE   (records a batch: run last)
#   ledger export   kaitori ledger export -o FILE.csv           (ledger-xlsx: -o FILE.xlsx)
#   stock export    kaitori stock export -o FILE.csv            (stock-xlsx: -o FILE.xlsx)
#   case list       kaitori case list -o FILE                   (caselist-xlsx: -o FILE.xlsx)
# The ratio column is the peak at SIZE over the peak at the first size. Memory that does not grow
# with the number of cases shows as a ratio near 1.0.
#
# KAITORI: the kaitori binary (default: the debug build of this checkout, .build/debug/kaitori).
# MEMORY_WORK: the work folder (default: a new /tmp/kaitori-memory.XXXXXX).
# MEMORY_EXPORTS: which exports (default: "ledger ledger-xlsx stock stock-xlsx caselist caselist-xlsx zengin").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KAITORI=${KAITORI:-$ROOT/.build/debug/kaitori}
WORK=${MEMORY_WORK:-$(mktemp -d /tmp/kaitori-memory.XXXXXX)}
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(10000 100000)
[[ -x $KAITORI ]] || { echo "no kaitori at $KAITORI (swift build --product kaitori)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time (Debian package time)" >&2; exit 1; }

# peak LOG: "KB seconds" from a /usr/bin/time -v log.
peak() {
  awk -F': ' '/Maximum resident set size/ {kb = $2} /Elapsed \(wall clock\)/ {split($2, t, ":"); s = (length(t) == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]} END {print kb, s}' "$1"
}

declare -A first
echo "| export | cases | peak RSS (MB) | ratio to ${SIZES[0]} cases | wall (s) |"
echo "|---|---:|---:|---:|---:|"
for size in "${SIZES[@]}"; do
  shop=$WORK/shop-$size
  rm -rf "$shop"
  "$KAITORI" init "$shop" --sample "$ROOT" >/dev/null
  "$KAITORI" build --site "$shop" >/dev/null
  "$KAITORI" case list --site "$shop" >/dev/null
  sqlite3 -batch "$shop/var/kaitori.sqlite3" -cmd ".parameter set @count $size" -cmd ".parameter set @first 0" \
    -cmd ".parameter set @now $(date +%s)" <"$ROOT/bench/sql/purchased-cases.sql" >/dev/null
  declare -A runs=(
    [ledger]="ledger export --site $shop -o $WORK/ledger-$size.csv"
    [stock]="stock export --site $shop -o $WORK/stock-$size.csv"
    [caselist]="case list --site $shop -o $WORK/cases-$size.txt"
    [ledger-xlsx]="ledger export --site $shop -o $WORK/ledger-$size.xlsx"
    [stock-xlsx]="stock export --site $shop -o $WORK/stock-$size.xlsx"
    [caselist-xlsx]="case list --site $shop -o $WORK/cases-$size.xlsx"
    [zengin]="zengin export --site $shop --date 1225 -o $WORK/zengin-$size.txt"
  )
  for name in ${MEMORY_EXPORTS:-ledger ledger-xlsx stock stock-xlsx caselist caselist-xlsx zengin}; do
    log=$WORK/$name-$size.time
    # shellcheck disable=SC2086
    if ! /usr/bin/time -v -o "$log" "$KAITORI" ${runs[$name]} >/dev/null 2>"$WORK/$name-$size.err"; then
      echo "| $name | $size | failed: $(head -c 200 "$WORK/$name-$size.err") | | |"
      continue
    fi
    read -r kb seconds < <(peak "$log")
    [[ -n ${first[$name]:-} ]] || first[$name]=$kb
    printf '| %s | %d | %.1f | %.2f | %.1f |\n' "$name" "$size" "$(echo "$kb / 1024" | bc -l)" \
      "$(echo "$kb / ${first[$name]}" | bc -l)" "$seconds"
  done
done
echo
echo "work folder: $WORK"
