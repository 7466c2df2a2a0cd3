/*
 * One application post to a CGI program as a web server makes it, shared by drive.c and
 * interleave.c (with the body's reading and numbering, and a clock): the CGI/1.1 environment of POST /apply with KAITORI_SITE, the body on stdin
 * through a pipe, the answer read from a pipe, and the process reaped with its resource use.
 * Returns 0 when the program exited 0 and answered `Status: 303`; otherwise prints what it said,
 * naming WHO, and returns 1.
 */
#ifndef KAITORI_BENCH_POST_H
#define KAITORI_BENCH_POST_H
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Monotonic seconds. */
static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Writes N's last eight digits into SLOT, the body's submission id. */
static void set_submission_number(char *slot, int n) {
    char id[16];
    snprintf(id, sizeof id, "%08d", n % 100000000);
    memcpy(slot, id, 8);
}

/* Reads the body file into BODY (at most SIZE - 1 bytes) and sets *SLOT to its @@@@@@@@, the place
 * of the submission id; returns its length, or exits naming the file. */
static size_t read_body(const char *path, char *body, size_t size, char **slot) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(1); }
    size_t length = fread(body, 1, size - 1, file);
    fclose(file);
    body[length] = 0;
    *slot = strstr(body, "@@@@@@@@");
    if (!*slot) { fprintf(stderr, "%s has no @@@@@@@@ for the submission id\n", path); exit(1); }
    return length;
}

static int post_once(const char *program, const char *site, const char *body, size_t length,
                     const char *who, struct rusage *usage) {
    static char output[1 << 20];
    char content_length[32], site_variable[4200];
    snprintf(content_length, sizeof content_length, "CONTENT_LENGTH=%zu", length);
    snprintf(site_variable, sizeof site_variable, "KAITORI_SITE=%s", site);
    char *env[] = {
        "GATEWAY_INTERFACE=CGI/1.1", "SERVER_PROTOCOL=HTTP/1.1", "SERVER_NAME=127.0.0.1", "SERVER_PORT=80",
        "REQUEST_METHOD=POST", "SCRIPT_NAME=/cgi-bin/kaitori", "PATH_INFO=/apply", "QUERY_STRING=",
        "CONTENT_TYPE=application/x-www-form-urlencoded", content_length, "REMOTE_ADDR=127.0.0.1",
        "HTTP_HOST=127.0.0.1", "HTTP_USER_AGENT=kaitori-bench", site_variable, NULL,
    };
    char *args[] = {(char *)program, NULL};
    int in[2], out[2];
    if (pipe(in) || pipe(out)) { perror("pipe"); return 1; }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    pid_t pid;
    if (posix_spawn(&pid, program, &actions, NULL, args, env) != 0) { perror(program); return 1; }
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
    if (wait4(pid, &status, 0, usage) != pid) { perror("wait4"); return 1; }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || strncmp(output, "Status: 303", 11) != 0) {
        fprintf(stderr, "%s did not answer 303:\n%.400s\n", who, output);
        return 1;
    }
    return 0;
}

#endif
