/* What one CGI request pays to reach PostgreSQL: a new libpq connection (login, then one query,
 * then PQfinish), COUNT times for each connection string given, as a handler process does once
 * per request. Prints one line per string: median and p90 milliseconds.
 *
 *   cc -O2 -o connect connect.c -lpq -I/usr/include/postgresql
 *   ./connect COUNT "host=/run/postgresql port=5432 dbname=kaitori user=kaitori" "host=/run/pgbouncer port=6432 ..."
 *
 * The password comes from PGPASSWORD or PGPASSFILE, as libpq reads them. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s COUNT CONNINFO...\n", argv[0]);
        return 2;
    }
    int count = atoi(argv[1]);
    double *times = calloc(count, sizeof *times);
    for (int s = 2; s < argc; s++) {
        for (int i = 0; i < count; i++) {
            double start = now_ms();
            PGconn *conn = PQconnectdb(argv[s]);
            if (PQstatus(conn) != CONNECTION_OK) {
                fprintf(stderr, "%s: %s", argv[s], PQerrorMessage(conn));
                return 1;
            }
            PGresult *result = PQexec(conn, "SELECT 1");
            if (PQresultStatus(result) != PGRES_TUPLES_OK) {
                fprintf(stderr, "%s: %s", argv[s], PQerrorMessage(conn));
                return 1;
            }
            PQclear(result);
            PQfinish(conn);
            times[i] = now_ms() - start;
        }
        qsort(times, count, sizeof *times, compare);
        printf("%s\tmedian %.3f ms\tp90 %.3f ms\n", argv[s], times[count / 2], times[count * 9 / 10]);
    }
    free(times);
    return 0;
}
