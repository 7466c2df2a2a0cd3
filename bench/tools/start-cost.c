/*
 * What a new process costs before it does any work, on this machine: the part of every CGI post
 * that neither the handler nor the floor can change.
 *
 *   start-cost cpuid             microseconds per CPUID instruction (leaves 2 and 4, the ones
 *                                glibc's start-up asks for its cache sizes). On bare metal a
 *                                CPUID takes well under a microsecond; a hypervisor traps every
 *                                one, and a nested one (a VM inside a VM) pays far more.
 *   start-cost spawn N PROG...   each PROG started N times (1 to 1,000,000), the programs
 *                                interleaved run by run;
 *                                prints the median CPU (user + system, from wait4's rusage) and
 *                                wall time of one run of each.
 *
 * bench/tools/start-cost.sh builds it with two programs that do nothing: one statically linked
 * against glibc (its start-up identifies the CPU with a few dozen CPUID instructions), one with no
 * C library at all (exec, one exit system call, exit); docs/performance.md ("Before main") reports
 * what it found.
 *
 * x86-64 only (CPUID). Build: gcc -O2 -o start-cost bench/tools/start-cost.c
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *values, int n) {
    qsort(values, n, sizeof *values, by_value);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Where the CPUID results go, so that no compiler drops the loop (some cpuid.h do not mark the
// instruction volatile).
static volatile unsigned sink;

static int cpuid_cost(void) {
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

static int spawn(int n, int count, char **programs) {
    double *cpu = calloc((size_t)n * count, sizeof *cpu), *wall = calloc((size_t)n * count, sizeof *wall);
    if (!cpu || !wall) { perror("calloc"); return 1; }
    for (int run = 0; run < n; run++) {
        for (int k = 0; k < count; k++) {
            // Interleaved, the order turned each run, so the machine's noise falls on all alike.
            int p = (run + k) % count;
            double t = now();
            pid_t pid = fork();
            if (pid < 0) { perror("fork"); return 1; }
            if (pid == 0) {
                execl(programs[p], programs[p], (char *)NULL);
                _exit(127);
            }
            int status;
            struct rusage usage;
            if (wait4(pid, &status, 0, &usage) != pid) { perror("wait4"); return 1; }
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "start-cost: %s did not exit with 0\n", programs[p]);
                return 1;
            }
            wall[p * n + run] = now() - t;
            cpu[p * n + run] = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
        }
    }
    printf("%-24s %12s %12s\n", "program", "CPU ms", "wall ms");
    for (int p = 0; p < count; p++) {
        const char *name = strrchr(programs[p], '/') ? strrchr(programs[p], '/') + 1 : programs[p];
        printf("%-24s %12.3f %12.3f\n", name, median(cpu + p * n, n) * 1e3, median(wall + p * n, n) * 1e3);
    }
    printf("(median of %d runs each)\n", n);
    return 0;
}

// A positive count of runs written in plain digits, or 0.
static int runs(const char *text) {
    char *end;
    long n = strtol(text, &end, 10);
    return text[0] >= '1' && text[0] <= '9' && *end == 0 && n > 0 && n <= 1000000 ? (int)n : 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "cpuid") == 0) return cpuid_cost();
    if (argc >= 4 && strcmp(argv[1], "spawn") == 0 && runs(argv[2]) > 0) return spawn(runs(argv[2]), argc - 3, argv + 3);
    fprintf(stderr, "usage: start-cost cpuid | start-cost spawn N PROGRAM...\n");
    return 2;
}
