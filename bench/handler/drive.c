/*
 * Runs a CGI program N times in a row, as a web server would for N application posts, and prints
 * the mean wall time and the mean CPU time (user + system, of the CGI processes) per request, in
 * milliseconds. CPU time barely moves when other work shares the machine; wall time includes the
 * waits for the disk (every post is an fsync'd transaction).
 *
 * Each run gets a CGI/1.1 environment for POST /apply, the body file on stdin through a pipe
 * (its `@@@@@@@@` replaced by the run number, so every post is a new submission and no run is a
 * duplicate), and must answer `Status: 303`, or the benchmark stops.
 *
 * Usage: drive N BODY_FILE SITE PROGRAM
 * Build: gcc -O2 -o drive drive.c
 */
#include "post.h"
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: drive N BODY_FILE SITE PROGRAM\n"); return 2; }
    int runs = atoi(argv[1]);
    static char body[1 << 16];
    char *slot;
    size_t length = read_body(argv[2], body, sizeof body, &slot);

    double started = seconds();
    for (int run = 0; run < runs; run++) {
        set_submission_number(slot, run);
        char who[4200];
        snprintf(who, sizeof who, "drive: run %d of %s", run, argv[4]);
        struct rusage ignored;
        if (post_once(argv[4], argv[3], body, length, who, &ignored)) return 1;
    }
    double elapsed = seconds() - started;
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_stime.tv_sec
        + ((double)usage.ru_utime.tv_usec + (double)usage.ru_stime.tv_usec) / 1e6;
    printf("%.3f %.3f\n", elapsed * 1000.0 / runs, cpu * 1000.0 / runs);
    return 0;
}
