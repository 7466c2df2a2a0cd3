# Steal time: the CPU the hypervisor gave to other guests while this one was ready to run (sourced
# by bench/run.sh and bench/handler/together.sh, not run).
#
#   before=$(steal_ticks); ...; steal=$(steal_percent "$before" "$(steal_ticks)")

# steal_ticks: the machine's steal ticks and all its ticks so far (/proc/stat's "cpu" line, guest
# time left out: it is counted in user time already), as "steal total".
steal_ticks() {
  awk '/^cpu / { total = 0; for (i = 2; i <= 9; i++) total += $i; print $9, total; exit }' /proc/stat
}

# steal_percent BEFORE AFTER: the share of the machine's CPU stolen between two steal_ticks
# readings, in percent with one decimal.
steal_percent() {
  awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); t = y[2] - x[2]
    printf "%.1f", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }'
}
