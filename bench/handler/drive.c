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
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: drive N BODY_FILE SITE PROGRAM\n"); return 2; }
    int runs = atoi(argv[1]);
    FILE *file = fopen(argv[2], "rb");
    if (!file) { perror(argv[2]); return 1; }
    static char body[1 << 16];
    size_t length = fread(body, 1, sizeof body - 1, file);
    fclose(file);
    char *slot = strstr(body, "@@@@@@@@");
    if (!slot) { fprintf(stderr, "drive: the body has no @@@@@@@@ for the submission id\n"); return 1; }

    char content_length[32], site[4096];
    snprintf(content_length, sizeof content_length, "CONTENT_LENGTH=%zu", length);
    snprintf(site, sizeof site, "KAITORI_SITE=%s", argv[3]);
    char *env[] = {
        "GATEWAY_INTERFACE=CGI/1.1", "SERVER_PROTOCOL=HTTP/1.1", "SERVER_NAME=127.0.0.1", "SERVER_PORT=80",
        "REQUEST_METHOD=POST", "SCRIPT_NAME=/cgi-bin/kaitori", "PATH_INFO=/apply", "QUERY_STRING=",
        "CONTENT_TYPE=application/x-www-form-urlencoded", content_length, "REMOTE_ADDR=127.0.0.1",
        "HTTP_HOST=127.0.0.1", "HTTP_USER_AGENT=kaitori-bench", site, NULL,
    };
    char *args[] = {argv[4], NULL};
    static char output[1 << 20];

    double started = seconds();
    for (int run = 0; run < runs; run++) {
        char id[16];
        snprintf(id, sizeof id, "%08d", run % 100000000);
        memcpy(slot, id, 8);
        int in[2], out[2];
        if (pipe(in) || pipe(out)) { perror("pipe"); return 1; }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addclose(&actions, in[1]);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        pid_t pid;
        if (posix_spawn(&pid, argv[4], &actions, NULL, args, env) != 0) { perror(argv[4]); return 1; }
        posix_spawn_file_actions_destroy(&actions);
        close(in[0]);
        close(out[1]);
        if (write(in[1], body, length) != (ssize_t)length) { perror("write"); return 1; }
        close(in[1]);
        size_t got = 0;
        ssize_t n;
        while ((n = read(out[0], output + got, sizeof output - 1 - got)) > 0) got += (size_t)n;
        output[got] = 0;
        close(out[0]);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || strncmp(output, "Status: 303", 11) != 0) {
            fprintf(stderr, "drive: run %d of %s did not answer 303:\n%.400s\n", run, argv[4], output);
            return 1;
        }
    }
    double elapsed = seconds() - started;
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_stime.tv_sec
        + ((double)usage.ru_utime.tv_usec + (double)usage.ru_stime.tv_usec) / 1e6;
    printf("%.3f %.3f\n", elapsed * 1000.0 / runs, cpu * 1000.0 / runs);
    return 0;
}
