/*
 * cgi-time: runs a CGI program N times the way a web server does (an exact environment, the
 * request body on stdin, the response read from a pipe) and records each run's wall time.
 *
 *   cgi-time -n RUNS [-w WARMUP] [-c FIRST] -e ENV_FILE -i BODY_FILE -s STATUS [-o TIMES_FILE]
 *            [-u CPU_FILE] [-l LOG] -- PROGRAM [ARG...]
 *
 * ENV_FILE holds one NAME=VALUE per line and is the child's whole environment. The body is written
 * to the child's stdin through a pipe, as web servers do; an "@@@@@@@@" in it is replaced by the
 * run's number (FIRST, FIRST+1, ..., warm-up runs included; default 0) in eight digits, so each
 * post can carry its own submission id and none is answered as a double submit. Every run must
 * answer with STATUS (a CGI "Status:" header; none means 200), or cgi-time stops with exit
 * status 1 naming the run: a benchmark of failing requests would measure the wrong thing.
 * TIMES_FILE gets one time in milliseconds per measured run, appended, so runs taken in
 * interleaved blocks (program A, B, C, A, B, C...) add up to one sample per program; stdout gets
 * "median_ms p90_ms mean_ms min_ms max_ms" of this invocation's runs. CPU_FILE gets, the same way,
 * each run's CPU time (user + system of the program, from wait4), which a busy machine disturbs
 * far less than wall time. The child's stderr goes to LOG (default /dev/null).
 *
 * A C driver rather than a shell loop or Python: their own fork and exec cost about as much as
 * the programs measured here, which would pull every ratio towards 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    fprintf(stderr, "cgi-time: %s: %s\n", what, strerror(errno));
    exit(1);
}

static char **read_environment(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die(path);
    size_t count = 0, capacity = 16;
    char **env = malloc(capacity * sizeof *env);
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    int number = 0;
    while ((length = getline(&line, &size, f)) >= 0) {
        number++;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) line[--length] = 0;
        if (length == 0) continue;
        if (!strchr(line, '=')) {
            fprintf(stderr, "cgi-time: %s:%d: not NAME=VALUE: %s\n", path, number, line);
            exit(2);
        }
        if (count + 2 > capacity) env = realloc(env, (capacity *= 2) * sizeof *env);
        env[count++] = strdup(line);
    }
    env[count] = NULL;
    free(line);
    fclose(f);
    return env;
}

/* The status a CGI response announces: its "Status:" header, else 200; -1 when the headers are
 * not terminated (the program died or wrote nonsense). */
static int response_status(const char *text, size_t length) {
    const char *end = memmem(text, length, "\r\n\r\n", 4);
    const char *lf = memmem(text, length, "\n\n", 2);
    if (!end || (lf && lf < end)) end = lf;
    if (!end) return -1;
    for (const char *p = text; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if ((size_t)(eol - p) > 7 && strncasecmp(p, "Status:", 7) == 0) return atoi(p + 7);
        p = eol + 1;
    }
    return 200;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void append(const char *path, const double *values, int count) {
    if (!path) return;
    FILE *f = fopen(path, "a");
    if (!f) die(path);
    for (int i = 0; i < count; i++) fprintf(f, "%.3f\n", values[i]);
    fclose(f);
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at quantile q of sorted values, interpolated between the two nearest ranks. */
static double quantile(const double *sorted, int n, double q) {
    double position = q * (n - 1);
    int low = (int)position;
    if (low + 1 >= n) return sorted[n - 1];
    return sorted[low] + (position - low) * (sorted[low + 1] - sorted[low]);
}

struct body {
    char *bytes;
    size_t length;
    char *slot; /* the "@@@@@@@@" to number, or NULL */
};

static struct body read_body(const char *path) {
    struct body body = {NULL, 0, NULL};
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    size_t capacity = 1 << 16;
    body.bytes = malloc(capacity);
    size_t got;
    while ((got = fread(body.bytes + body.length, 1, capacity - body.length, f)) > 0) {
        body.length += got;
        if (body.length == capacity) body.bytes = realloc(body.bytes, capacity *= 2);
    }
    fclose(f);
    body.slot = memmem(body.bytes, body.length, "@@@@@@@@", 8);
    return body;
}

static void write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return; /* the program stopped reading: its answer says what went wrong */
        bytes += n;
        length -= (size_t)n;
    }
}

static double run_once(char **argv, char **env, struct body *body, long number, const char *log, int expected,
                       int index, double *cpu) {
    if (body->slot) {
        char digits[16];
        snprintf(digits, sizeof digits, "%08ld", number % 100000000);
        memcpy(body->slot, digits, 8);
    }
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) die("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0644);

    double start = now_ms();
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, env);
    if (rc != 0) {
        errno = rc;
        die(argv[0]);
    }
    close(in[0]);
    close(out[1]);
    write_all(in[1], body->bytes, body->length);
    close(in[1]);
    size_t capacity = 1 << 16, length = 0;
    char *response = malloc(capacity);
    for (;;) {
        if (length == capacity) response = realloc(response, capacity *= 2);
        ssize_t got = read(out[0], response + length, capacity - length);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) die("reading the response");
        if (got == 0) break;
        length += (size_t)got;
    }
    int wstatus;
    struct rusage usage;
    while (wait4(pid, &wstatus, 0, &usage) < 0)
        if (errno != EINTR) die("wait4");
    double elapsed = now_ms() - start;
    *cpu = (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    close(out[0]);
    posix_spawn_file_actions_destroy(&actions);

    int status = response_status(response, length);
    if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0 || status != expected) {
        fprintf(stderr, "cgi-time: run %d of %s: exit %d, status %d (expected %d); response starts:\n%.*s\n",
                index, argv[0], WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus), status,
                expected, (int)(length < 600 ? length : 600), response);
        exit(1);
    }
    free(response);
    return elapsed;
}

int main(int argc, char **argv) {
    int runs = 0, warmup = 3, expected = 0;
    long first = 0;
    const char *env_file = NULL, *body_file = NULL, *times_file = NULL, *cpu_file = NULL, *log = "/dev/null";
    int opt;
    while ((opt = getopt(argc, argv, "+n:w:c:e:i:s:o:u:l:")) != -1) {
        switch (opt) {
        case 'n': runs = atoi(optarg); break;
        case 'w': warmup = atoi(optarg); break;
        case 'c': first = atol(optarg); break;
        case 'e': env_file = optarg; break;
        case 'i': body_file = optarg; break;
        case 's': expected = atoi(optarg); break;
        case 'o': times_file = optarg; break;
        case 'u': cpu_file = optarg; break;
        case 'l': log = optarg; break;
        default: goto usage;
        }
    }
    if (runs < 1 || warmup < 0 || first < 0 || !env_file || !body_file || expected < 100 || optind >= argc) goto usage;

    signal(SIGPIPE, SIG_IGN);
    char **env = read_environment(env_file);
    struct body body = read_body(body_file);
    char **program = argv + optind;
    long number = first;
    double cpu_unused;
    for (int i = 0; i < warmup; i++) run_once(program, env, &body, number++, log, expected, -(i + 1), &cpu_unused);
    double *times = malloc((size_t)runs * sizeof *times), *cpu = malloc((size_t)runs * sizeof *cpu);
    for (int i = 0; i < runs; i++) times[i] = run_once(program, env, &body, number++, log, expected, i + 1, &cpu[i]);

    append(times_file, times, runs);
    append(cpu_file, cpu, runs);
    double sum = 0;
    for (int i = 0; i < runs; i++) sum += times[i];
    qsort(times, (size_t)runs, sizeof *times, compare);
    printf("%.3f %.3f %.3f %.3f %.3f\n", quantile(times, runs, 0.5), quantile(times, runs, 0.9), sum / runs, times[0],
           times[runs - 1]);
    return 0;

usage:
    fprintf(stderr, "usage: cgi-time -n RUNS [-w WARMUP] [-c FIRST] -e ENV_FILE -i BODY_FILE -s STATUS [-o TIMES_FILE] "
                    "[-u CPU_FILE] [-l LOG] -- PROGRAM [ARG...]\n");
    return 2;
}
