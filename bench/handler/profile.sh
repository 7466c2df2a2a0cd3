#!/bin/sh
# Where one application post's CPU time goes, per program: user space against the kernel, from
# `perf record` samples (4000 a second) over N posts on a fresh copy of SHOP, after 5 posts to
# warm the page cache (the programs dropped from it first: bench/tools/drop-cached.py). Prints
# milliseconds per post in each, and the kernel functions that took the most samples (per post, in
# ms) so two programs can be compared side by side, and (at least) the user time glibc's start-up
# spends identifying the CPU (the same code in every static glibc program; a hypervisor traps CPUID).
#
# Usage: bench/handler/profile.sh SHOP N PROGRAM...
#   SHOP  a built shop with its store (see bench/handler/compare.sh)
# Needs: gcc, perf (kernel samples need kernel.perf_event_paranoid ≤ 1, or root).
set -eu
. "$(dirname "$0")/common.sh"
bench_setup profile 3 2,10p "$@"
shop=$1 n=$2
shift 2
frequency=4000
for program in "$@"; do
    name=$(basename "$program")
    comm=$(printf '%.15s' "$name")
    fresh_shop "$shop" "$work/shop" "$program" 5
    perf record -q -F "$frequency" -o "$work/perf.data" \
        "$drive" "$n" "$measured" "$work/shop" "$program" >/dev/null 2>"$work/perf.log" \
        || { cat "$work/perf.log" >&2; exit 1; }
    perf report -i "$work/perf.data" -n --no-children --sort comm,dso --stdio 2>/dev/null \
        | awk -v n="$n" -v f="$frequency" -v name="$name" -v comm="$comm" '
            /^#/ || NF < 4 || $3 != comm { next }
            { if ($4 == "[kernel.kallsyms]") kernel += $2; else user += $2 }
            END { printf "%-16s user %.3f ms, kernel %.3f ms per post\n", name, user / f / n * 1000, kernel / f / n * 1000 }'
    perf report -i "$work/perf.data" -n --no-children --comm "$comm" --dso '[kernel.kallsyms]' --sort sym --stdio 2>/dev/null \
        | awk -v n="$n" -v f="$frequency" '/^#/ || NF < 4 { next } { printf "    %-40s %.3f\n", $4, $2 / f / n * 1000 }' | head -12
    # glibc's static start-up identifying the CPU (init_cpu_features, its cache sizes from CPUID
    # leaves 2 and 4), in the functions of its own that perf names; glibc 2.36 inlines part of it
    # into __libc_start_main (5 of its 29 CPUID sites), which is not counted, so this is a lower
    # bound. The same code in every statically linked glibc program, and dear wherever a
    # hypervisor traps CPUID (bench/tools/start-cost.sh). n/a: no such samples (a program without
    # symbols, or one linked dynamically, whose loader does this under another name).
    perf report -i "$work/perf.data" -n --no-children --comm "$comm" --sort sym --stdio 2>/dev/null \
        | awk -v n="$n" -v f="$frequency" '
            /^#/ || NF < 4 { next }
            $4 ~ /^(intel_check_word|handle_intel|handle_amd|handle_zhaoxin|get_common_cache_info|get_common_indices|get_extended_indices|update_active)([.]|$)/ { s += $2 }
            END { label = "(user) glibc start-up, CPU identification, at least"
                  if (s > 0) printf "    %-40s %.3f\n", label, s / f / n * 1000; else printf "    %-40s n/a\n", label }'
done
