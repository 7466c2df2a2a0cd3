/*
 * The floor for one application post: a C CGI program that does the storage work of
 * `kaitori-cgi` POST /apply and nothing else. It reads CONTENT_LENGTH bytes of the urlencoded
 * body, decodes the fields, opens `$KAITORI_SITE/var/kaitori.sqlite3` the way KaitoriCore does
 * (WAL, synchronous=FULL, foreign keys, the same busy handler, the same write queue: an exclusive
 * flock on kaitori.sqlite3-writer around the transaction), and in one BEGIN IMMEDIATE transaction
 * checks the submission id and inserts the case (with its status token), its customer, its
 * declared items, the history row, the shop event and the two queued messages (customer and
 * shop), then answers 303.
 *
 * A fair floor, not a straw man: it runs only on a store Kaitori created (it refuses a store
 * whose schema version is not the one it was written for, and never creates tables itself, so
 * it pays for the same indexes and triggers), it prepares each statement once per process as
 * KaitoriCore's statement cache does, it is linked statically like the deployed handler, and it
 * stores the very rows kaitori-cgi stores for the benchmark's application: bench/run.sh diffs one
 * case of every program (bench/lib/case_rows.py). The two messages are the texts Kaitori renders
 * from the shop's templates for that application, captured by bench/run.sh into messages.h
 * (bench/handler/messages.py) with the case code and status token left as placeholders.
 *
 * No validation, templates or page writing, and only the normalization that makes the stored
 * rows the same (the phone number's digits, a full-width space in the kana names): whatever kaitori-cgi spends beyond
 * this is the price of Swift start-up and of the handler's own work.
 *
 * Like KaitoriCore, it turns SQLite's memory statistics off before opening the store
 * (SQLITE_CONFIG_MEMSTATUS): with them on, every allocation SQLite makes takes a global mutex to
 * count bytes that no one reads.
 *
 * Build: gcc -O2 -static -I DIR_WITH_MESSAGES_H -o floor floor.c -lsqlite3 -lm
 *
 * A control for the throughput comparisons, never built by bench/run.sh: with
 * -DFLOOR_EXTRA_WORK=N the floor first counts to N (a volatile add, outside the write queue and
 * before any of its work), so that a program of known extra CPU and otherwise the floor's very
 * behaviour can be run through the same tools; docs/performance.md ("What the throughput runs
 * measure") uses it to tell what a given CPU ratio costs in posts a second.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MAX_FIELDS 256

struct field { char *name; char *value; };
static struct field fields[MAX_FIELDS];
static int field_count;

static void fail(const char *what, sqlite3 *db) {
    fprintf(stderr, "floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    fputs("Status: 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n\r\nunavailable\n", stdout);
    exit(0);
}

static int hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes one urlencoded name or value in place. */
static char *decode(char *s) {
    char *out = s, *in = s;
    while (*in) {
        if (*in == '+') { *out++ = ' '; in++; }
        else if (*in == '%' && hex(in[1]) >= 0 && hex(in[2]) >= 0) { *out++ = (char)(hex(in[1]) * 16 + hex(in[2])); in += 3; }
        else *out++ = *in++;
    }
    *out = 0;
    return s;
}

static void parse(char *body) {
    for (char *pair = strtok(body, "&"); pair && field_count < MAX_FIELDS; pair = strtok(NULL, "&")) {
        char *eq = strchr(pair, '=');
        if (eq) *eq = 0;
        fields[field_count].name = decode(pair);
        fields[field_count].value = decode(eq ? eq + 1 : pair + strlen(pair));
        field_count++;
    }
}

static const char *get(const char *name) {
    for (int i = 0; i < field_count; i++) if (strcmp(fields[i].name, name) == 0) return fields[i].value;
    return "";
}

/* The phone number as Kaitori stores it: its digits. */
static const char *digits(const char *s, char *out, size_t size) {
    size_t n = 0;
    for (; *s && n + 1 < size; s++) if (*s >= '0' && *s <= '9') out[n++] = *s;
    out[n] = 0;
    return out;
}

/* A katakana name as Kaitori stores it: each run of spaces one full-width space (U+3000). */
static const char *wide_spaces(const char *s, char *out, size_t size) {
    size_t n = 0;
    while (*s && n + 4 < size) {
        if (*s != ' ') { out[n++] = *s++; continue; }
        while (*s == ' ') s++;
        memcpy(out + n, "\xe3\x80\x80", 3);
        n += 3;
    }
    out[n] = 0;
    return out;
}

/* Waits for the write lock as KaitoriCore does (Database.swift's busy handler): a retry every
 * 1-2 ms (random, so waiters do not wake in step) for up to 30 s. SQLite's own busy timeout
 * sleeps up to 100 ms between tries and starves old waiters: under 32 concurrent posts the floor
 * answered 503 where kaitori-cgi did not, a difference of waiting policy, not of work. */
static int retry_while_busy(void *context, int attempts) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long nanoseconds = (long long)now.tv_sec * 1000000000LL + now.tv_nsec, *since = context;
    if (attempts == 0) *since = nanoseconds;
    if (nanoseconds - *since >= 30000000000LL) return 0;
    unsigned int random;
    if (getrandom(&random, sizeof random, 0) != sizeof random) random = 0;
    struct timespec pause = {0, 1000000 + (long)(random % 1000000)};
    nanosleep(&pause, NULL);
    return 1;
}

static void exec_or_fail(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) fail(sql, db);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) fail(sql, db);
    return stmt;
}

/* Runs an insert, then readies the statement for its next use (prepared once per process). */
static void step_done(sqlite3 *db, sqlite3_stmt *stmt) {
    if (sqlite3_step(stmt) != SQLITE_DONE) fail("insert", db);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

static void text(sqlite3_stmt *stmt, int index, const char *value) {
    sqlite3_bind_text(stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* The schema version this floor was written for (Schema.swift's migrations.count). */
#define SCHEMA_VERSION 9

#include "messages.h"

static void random_text(char *out, const char *alphabet, int modulus, int length, int dash_at) {
    unsigned char random[64];
    if (getrandom(random, (size_t)length, 0) != length) fail("getrandom", NULL);
    for (int i = 0, j = 0; i < length; i++) {
        if (i == dash_at) out[j++] = '-';
        out[j++] = alphabet[random[i] % modulus];
        out[j] = 0;
    }
}

/* A message text with \x01 replaced by the case code and \x02 by the status token. */
static void fill(char *out, size_t size, const char *template, const char *code, const char *token) {
    size_t n = 0;
    for (const char *t = template; *t && n + 1 < size; t++) {
        const char *value = *t == 1 ? code : *t == 2 ? token : NULL;
        if (!value) { out[n++] = *t; continue; }
        for (; *value && n + 1 < size; value++) out[n++] = *value;
    }
    out[n] = 0;
}

#ifdef FLOOR_EXTRA_WORK
static void extra_work(void) {
    volatile unsigned long sum = 0;
    for (unsigned long i = 0; i < (unsigned long)(FLOOR_EXTRA_WORK); i++) sum += i;
}
#endif

int main(void) {
#ifdef FLOOR_EXTRA_WORK
    extra_work();
#endif
    const char *site = getenv("KAITORI_SITE"), *length_text = getenv("CONTENT_LENGTH");
    if (!site || !length_text) fail("KAITORI_SITE and CONTENT_LENGTH are required", NULL);
    long length = strtol(length_text, NULL, 10);
    if (length <= 0 || length > (1 << 20)) fail("CONTENT_LENGTH out of range", NULL);
    char *body = malloc((size_t)length + 1);
    for (long got = 0; got < length;) {
        ssize_t n = read(0, body + got, (size_t)(length - got));
        if (n <= 0) fail("short body", NULL);
        got += n;
    }
    body[length] = 0;
    parse(body);

    char path[4096];
    snprintf(path, sizeof path, "%s/var/kaitori.sqlite3", site);
    sqlite3 *db;
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    /* READWRITE without CREATE: the store is Kaitori's. */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) fail("open", db);
    static long long busy_since;
    sqlite3_busy_handler(db, retry_while_busy, &busy_since);
    exec_or_fail(db, "PRAGMA journal_mode=WAL");
    exec_or_fail(db, "PRAGMA synchronous=FULL");
    exec_or_fail(db, "PRAGMA foreign_keys=ON");
    sqlite3_stmt *version = prepare(db, "PRAGMA user_version");
    int current = sqlite3_step(version) == SQLITE_ROW ? sqlite3_column_int(version, 0) : 0;
    sqlite3_finalize(version);
    if (current < SCHEMA_VERSION) fail("not a store Kaitori created (schema version too old)", db);

    /* Each statement prepared once, as KaitoriCore's statement cache does. */
    sqlite3_stmt *existing = prepare(db, "SELECT id FROM cases WHERE submission_id = ?");
    sqlite3_stmt *c = prepare(db,
        "INSERT INTO cases (code, status_token, status, created_at, updated_at, submission_id, parent_id, payout_method,"
        " bank_code, branch_code, account_type, account_number, account_holder, boxes, kit, pickup_date, pickup_slot, notes)"
        " VALUES (?,?,'received',?,?,?,NULL,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *u = prepare(db,
        "INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address, building,"
        " phone, email, contact) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *d = prepare(db, "INSERT INTO declared_items (case_id, position, category, description, quantity) VALUES (?,?,?,?,?)");
    sqlite3_stmt *h = prepare(db,
        "INSERT INTO history (case_id, from_status, to_status, at, actor_kind, actor_name, note) VALUES (?,NULL,'received',?,'customer',NULL,'')");
    sqlite3_stmt *e = prepare(db, "INSERT INTO events (case_id, kind, at, detail) VALUES (?,'application',?,?)");
    sqlite3_stmt *o = prepare(db,
        "INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?,?)");

    long long now = (long long)time(NULL);
    char code[10], token[33];
    random_text(code, "23456789ABCDEFGHJKMNPQRSTUVWXYZ", 31, 8, 4);
    random_text(token, "abcdefghijkmnpqrstuvwxyz23456789", 32, 32, -1);
    /* KaitoriCore's write queue (WriteQueue.swift): writers wait in the kernel's flock queue. */
    char queue_path[4200];
    snprintf(queue_path, sizeof queue_path, "%s-writer", path);
    int queue = open(queue_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (queue < 0 || flock(queue, LOCK_EX) != 0) fail("write queue", db);
    exec_or_fail(db, "BEGIN IMMEDIATE");
    text(existing, 1, get("submission_id"));
    int duplicate = sqlite3_step(existing) == SQLITE_ROW;
    sqlite3_reset(existing);
    if (!duplicate) {
        text(c, 1, code); text(c, 2, token); sqlite3_bind_int64(c, 3, now); sqlite3_bind_int64(c, 4, now);
        char holder[1024], kana[1024], phone[64];
        text(c, 5, get("submission_id")); text(c, 6, get("payout")); text(c, 7, get("bank_code")); text(c, 8, get("branch_code"));
        sqlite3_bind_int(c, 9, atoi(get("account_type"))); text(c, 10, get("account_number"));
        text(c, 11, wide_spaces(get("account_holder"), holder, sizeof holder));
        sqlite3_bind_int(c, 12, atoi(get("boxes"))); sqlite3_bind_int(c, 13, strcmp(get("kit"), "yes") == 0);
        text(c, 14, get("pickup_date")); text(c, 15, get("pickup_slot")); text(c, 16, get("notes"));
        step_done(db, c);
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);

        sqlite3_bind_int64(u, 1, id);
        const char *names[] = {"name", "kana", "birth_date", "occupation", "postal_code", "prefecture", "address", "building",
                               "phone", "email", "contact"};
        for (int i = 0; i < 11; i++) text(u, i + 2, get(names[i]));
        text(u, 3, wide_spaces(get("kana"), kana, sizeof kana));
        text(u, 10, digits(get("phone"), phone, sizeof phone));
        step_done(db, u);

        int position = 0;
        for (int i = 0; i < field_count; i++) {
            if (strcmp(fields[i].name, "item_description") != 0 || fields[i].value[0] == 0) continue;
            sqlite3_bind_int64(d, 1, id); sqlite3_bind_int(d, 2, ++position);
            text(d, 3, i > 0 ? fields[i - 1].value : ""); text(d, 4, fields[i].value);
            sqlite3_bind_int(d, 5, i + 1 < field_count ? atoi(fields[i + 1].value) : 1);
            step_done(db, d);
        }

        sqlite3_bind_int64(h, 1, id); sqlite3_bind_int64(h, 2, now);
        step_done(db, h);

        char detail[512];
        snprintf(detail, sizeof detail, "%s 様から申込", get("name"));
        sqlite3_bind_int64(e, 1, id); sqlite3_bind_int64(e, 2, now); text(e, 3, detail);
        step_done(db, e);

        for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
            static char subject[1024], message[16384];
            fill(subject, sizeof subject, messages[i].subject, code, token);
            fill(message, sizeof message, messages[i].body, code, token);
            sqlite3_bind_int64(o, 1, id); text(o, 2, messages[i].event); text(o, 3, messages[i].channel);
            text(o, 4, messages[i].recipient[0] ? messages[i].recipient : get("email")); text(o, 5, subject);
            text(o, 6, message); sqlite3_bind_int64(o, 7, now); sqlite3_bind_int64(o, 8, now);
            step_done(db, o);
        }
    }
    exec_or_fail(db, "COMMIT");
    flock(queue, LOCK_UN);
    close(queue);
    sqlite3_stmt *all[] = {existing, c, u, d, h, e, o};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sqlite3_finalize(all[i]);
    sqlite3_close_v2(db);

    printf("Status: 303 See Other\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
           "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
           "Content-Security-Policy: default-src 'self'\r\nLocation: /cgi-bin/kaitori/applied/%s\r\n\r\n"
           "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>303 See Other</title></head>"
           "<body><p><a href=\"/cgi-bin/kaitori/applied/%s\">/cgi-bin/kaitori/applied/%s</a></p></body></html>\n",
           code, code, code);
    return 0;
}
