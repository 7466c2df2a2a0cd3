/*
 * Microseconds per CPUID instruction on this machine, for leaves 2 and 4: the ones glibc's
 * static start-up asks, again and again, for the processor's cache sizes before any program's
 * main. On bare metal a CPUID takes well under a microsecond; a hypervisor traps every one, and a
 * nested one (a VM inside a VM) pays far more. bench/tools/start-cost.sh runs it before timing
 * the start of a process; docs/performance.md ("Before main") reports what it found.
 *
 * x86-64 only. Build and run: gcc -O2 -o cpuid-cost bench/tools/cpuid-cost.c && ./cpuid-cost
 */
#include <cpuid.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// Where the CPUID results go, so that no compiler drops the loop (some cpuid.h do not mark the
// instruction volatile).
static volatile unsigned sink;

int main(void) {
    const int reps = 2000;
    unsigned a, b, c, d;
    for (int leaf = 2; leaf <= 4; leaf += 2) {
        double t = now();
        for (int i = 0; i < reps; i++) {
            if (leaf == 2) __cpuid(2, a, b, c, d);
            else __cpuid_count(4, i & 3, a, b, c, d);
            sink = a ^ b ^ c ^ d;
        }
        printf("CPUID leaf %d: %.2f us each (%d calls)\n", leaf, (now() - t) / reps * 1e6, reps);
    }
    return 0;
}
