/*
 * Posts to several CGI programs by turns: each round, one application post to every program (each
 * on its own shop), in a new random order, and prints one line per post:
 *
 *     ROUND PROGRAM_INDEX WALL_MS CPU_MS USER_MS SYSTEM_MS
 *
 * CPU is that process's own user + system time (wait4), exact in sum; the split into user and
 * system is sampled by the kernel's tick and only means something averaged over many posts.
 *
 * Why by turns: the machines these benchmarks run on drift (other guests, CPU clock) by 10-20 %
 * over a second or two. Programs timed in blocks of consecutive posts meet that drift at different
 * moments; posts taken by turns meet it together, so the ratio of two programs settles in a few
 * hundred rounds (bench/handler/interleave.sh, docs/performance.md).
 *
 * Every post carries its own submission id (the body's @@@@@@@@ becomes the round's number in
 * eight digits) and must answer `Status: 303`, or the run stops.
 *
 * Usage: interleave ROUNDS BODY_FILE SITE PROGRAM [SITE PROGRAM ...]
 * Build: gcc -O2 -o interleave interleave.c
 */
#include "post.h"
#include <stdlib.h>
#include <time.h>

static double ms(struct timeval t) { return (double)t.tv_sec * 1000.0 + (double)t.tv_usec / 1000.0; }

int main(int argc, char **argv) {
    if (argc < 5 || (argc - 3) % 2 != 0) {
        fprintf(stderr, "usage: interleave ROUNDS BODY_FILE SITE PROGRAM [SITE PROGRAM ...]\n");
        return 2;
    }
    int rounds = atoi(argv[1]), programs = (argc - 3) / 2;
    if (rounds <= 0 || programs > 16) { fprintf(stderr, "interleave: 1 or more rounds, at most 16 programs\n"); return 2; }
    static char body[1 << 16];
    char *slot;
    size_t length = read_body(argv[2], body, sizeof body, &slot);
    int order[16];
    for (int i = 0; i < programs; i++) order[i] = i;
    srand((unsigned)time(NULL));

    for (int round = 0; round < rounds; round++) {
        for (int i = programs - 1; i > 0; i--) {
            int j = rand() % (i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        set_submission_number(slot, round);
        for (int k = 0; k < programs; k++) {
            int p = order[k];
            char *site = argv[3 + 2 * p], *program = argv[4 + 2 * p];
            char who[4200];
            snprintf(who, sizeof who, "interleave: round %d of %s", round, program);
            struct rusage usage;
            double started = seconds();
            if (post_once(program, site, body, length, who, &usage)) return 1;
            double wall = seconds() - started;
            printf("%d %d %.4f %.4f %.4f %.4f\n", round, p, wall * 1000.0, ms(usage.ru_utime) + ms(usage.ru_stime),
                   ms(usage.ru_utime), ms(usage.ru_stime));
        }
    }
    return 0;
}
