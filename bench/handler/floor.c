/*
 * The floor for one application post: a C CGI program that does the storage work of
 * `kaitori-cgi` POST /apply and nothing else. It reads CONTENT_LENGTH bytes of the urlencoded
 * body, decodes the fields, opens `$KAITORI_SITE/var/kaitori.sqlite3` the way KaitoriCore does
 * (WAL, synchronous=FULL, foreign keys, busy timeout), and in one BEGIN IMMEDIATE transaction
 * checks the submission id and inserts the case, its customer, its declared items, the history
 * row, the shop event and the two queued messages (customer and shop), then answers 303.
 *
 * No validation, normalization, templates or page writing: whatever kaitori-cgi spends beyond
 * this is the price of Swift start-up and of the handler's own work.
 *
 * Build: gcc -O2 -o floor floor.c -lsqlite3
 */
#include <sqlite3.h>
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

static void exec_or_fail(sqlite3 *db, const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) fail(sql, db);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) fail(sql, db);
    return stmt;
}

static void step_done(sqlite3 *db, sqlite3_stmt *stmt) {
    if (sqlite3_step(stmt) != SQLITE_DONE) fail("insert", db);
    sqlite3_finalize(stmt);
}

static void text(sqlite3_stmt *stmt, int index, const char *value) {
    sqlite3_bind_text(stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* The tables one application writes, with KaitoriCore's columns (Schema.swift, migration 1). */
static const char *schema =
    "CREATE TABLE cases (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, status TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, submission_id TEXT UNIQUE, parent_id INTEGER REFERENCES cases(id),"
    " payout_method TEXT NOT NULL DEFAULT '', bank_code TEXT NOT NULL DEFAULT '', branch_code TEXT NOT NULL DEFAULT '',"
    " account_type INTEGER NOT NULL DEFAULT 0, account_number TEXT NOT NULL DEFAULT '', account_holder TEXT NOT NULL DEFAULT '',"
    " boxes INTEGER NOT NULL DEFAULT 1, kit INTEGER NOT NULL DEFAULT 0, pickup_date TEXT NOT NULL DEFAULT '',"
    " pickup_slot TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '', tracking_number TEXT NOT NULL DEFAULT '',"
    " review_token TEXT UNIQUE, review_expires_at INTEGER, assessed_at INTEGER, decision TEXT, decided_at INTEGER,"
    " signature_name TEXT, signature_file_id INTEGER, approved_at INTEGER, purchased_at INTEGER, paid_at INTEGER, payout_batch_id INTEGER);"
    "CREATE INDEX cases_status ON cases(status, updated_at);"
    "CREATE TABLE customers (case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE, name TEXT NOT NULL,"
    " kana TEXT NOT NULL, birth_date TEXT NOT NULL, occupation TEXT NOT NULL, postal_code TEXT NOT NULL, prefecture TEXT NOT NULL,"
    " address TEXT NOT NULL, building TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL, contact TEXT);"
    "CREATE INDEX customers_phone ON customers(phone);"
    "CREATE TABLE declared_items (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL, category TEXT NOT NULL, description TEXT NOT NULL, quantity INTEGER NOT NULL);"
    "CREATE TABLE history (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    " from_status TEXT, to_status TEXT NOT NULL, at INTEGER NOT NULL, actor_kind TEXT NOT NULL, actor_name TEXT, note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX history_case ON history(case_id, id);"
    "CREATE TABLE outbox (id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL, event TEXT NOT NULL,"
    " channel TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', body TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,"
    " claimed_by TEXT, claimed_at INTEGER, last_error TEXT, sent_at INTEGER);"
    "CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
    "CREATE TABLE events (id INTEGER PRIMARY KEY, case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL, kind TEXT NOT NULL,"
    " at INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '', seen INTEGER NOT NULL DEFAULT 0);"
    "PRAGMA user_version = 1;";

static void case_code(char *out) {
    static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    unsigned char random[8];
    if (getrandom(random, sizeof random, 0) != sizeof random) fail("getrandom", NULL);
    for (int i = 0, j = 0; i < 8; i++) {
        if (i == 4) out[j++] = '-';
        out[j++] = alphabet[random[i] % 31];
        out[j] = 0;
    }
}

int main(void) {
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
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) fail("open", db);
    sqlite3_busy_timeout(db, 10000);
    exec_or_fail(db, "PRAGMA journal_mode=WAL");
    exec_or_fail(db, "PRAGMA synchronous=FULL");
    exec_or_fail(db, "PRAGMA foreign_keys=ON");
    sqlite3_stmt *version = prepare(db, "PRAGMA user_version");
    int current = sqlite3_step(version) == SQLITE_ROW ? sqlite3_column_int(version, 0) : 0;
    sqlite3_finalize(version);
    if (current == 0) {
        exec_or_fail(db, "BEGIN IMMEDIATE");
        exec_or_fail(db, schema);
        exec_or_fail(db, "COMMIT");
    }

    long long now = (long long)time(NULL);
    char code[10];
    case_code(code);
    exec_or_fail(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *existing = prepare(db, "SELECT id FROM cases WHERE submission_id = ?");
    text(existing, 1, get("submission_id"));
    int duplicate = sqlite3_step(existing) == SQLITE_ROW;
    sqlite3_finalize(existing);
    if (!duplicate) {
        sqlite3_stmt *c = prepare(db,
            "INSERT INTO cases (code, status, created_at, updated_at, submission_id, payout_method, bank_code, branch_code,"
            " account_type, account_number, account_holder, boxes, kit, pickup_date, pickup_slot, notes)"
            " VALUES (?,'received',?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        text(c, 1, code); sqlite3_bind_int64(c, 2, now); sqlite3_bind_int64(c, 3, now); text(c, 4, get("submission_id"));
        text(c, 5, get("payout")); text(c, 6, get("bank_code")); text(c, 7, get("branch_code"));
        sqlite3_bind_int(c, 8, atoi(get("account_type"))); text(c, 9, get("account_number")); text(c, 10, get("account_holder"));
        sqlite3_bind_int(c, 11, atoi(get("boxes"))); sqlite3_bind_int(c, 12, strcmp(get("kit"), "yes") == 0);
        text(c, 13, get("pickup_date")); text(c, 14, get("pickup_slot")); text(c, 15, get("notes"));
        step_done(db, c);
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);

        sqlite3_stmt *u = prepare(db,
            "INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address, building,"
            " phone, email, contact) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        sqlite3_bind_int64(u, 1, id);
        const char *names[] = {"name", "kana", "birth_date", "occupation", "postal_code", "prefecture", "address", "building",
                               "phone", "email", "contact"};
        for (int i = 0; i < 11; i++) text(u, i + 2, get(names[i]));
        step_done(db, u);

        int position = 0;
        for (int i = 0; i < field_count; i++) {
            if (strcmp(fields[i].name, "item_description") != 0 || fields[i].value[0] == 0) continue;
            sqlite3_stmt *d = prepare(db, "INSERT INTO declared_items (case_id, position, category, description, quantity) VALUES (?,?,?,?,?)");
            sqlite3_bind_int64(d, 1, id); sqlite3_bind_int(d, 2, ++position);
            text(d, 3, i > 0 ? fields[i - 1].value : ""); text(d, 4, fields[i].value);
            sqlite3_bind_int(d, 5, i + 1 < field_count ? atoi(fields[i + 1].value) : 1);
            step_done(db, d);
        }

        sqlite3_stmt *h = prepare(db, "INSERT INTO history (case_id, from_status, to_status, at, actor_kind, actor_name, note) VALUES (?,NULL,'received',?,'customer',NULL,'')");
        sqlite3_bind_int64(h, 1, id); sqlite3_bind_int64(h, 2, now);
        step_done(db, h);

        char detail[512];
        snprintf(detail, sizeof detail, "%s 様から申込", get("name"));
        sqlite3_stmt *e = prepare(db, "INSERT INTO events (case_id, kind, at, detail) VALUES (?,'application',?,?)");
        sqlite3_bind_int64(e, 1, id); sqlite3_bind_int64(e, 2, now); text(e, 3, detail);
        step_done(db, e);

        char subject[512], message[4096];
        snprintf(subject, sizeof subject, "【まる福 宅配買取センター】お申し込みを受け付けました（受付番号 %s）", code);
        snprintf(message, sizeof message,
                 "%s 様\n\nこのたびはまる福 宅配買取センターの宅配買取にお申し込みいただき、誠にありがとうございます。\n"
                 "以下の内容でお申し込みを受け付けました。\n\n受付番号：%s\nお送りいただく箱数：%s箱\n\n"
                 "お品物をお送りいただく際は、受付番号を書いたメモを箱に同封してください。\n", get("name"), code, get("boxes"));
        const char *recipients[] = {get("email"), "staff@marufuku-reuse.example.jp"};
        const char *events[] = {"application_received", "shop_application"};
        for (int i = 0; i < 2; i++) {
            sqlite3_stmt *o = prepare(db,
                "INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at) VALUES (?,?,'email',?,?,?,?,?)");
            sqlite3_bind_int64(o, 1, id); text(o, 2, events[i]); text(o, 3, recipients[i]); text(o, 4, subject);
            text(o, 5, message); sqlite3_bind_int64(o, 6, now); sqlite3_bind_int64(o, 7, now);
            step_done(db, o);
        }
    }
    exec_or_fail(db, "COMMIT");
    sqlite3_close_v2(db);

    printf("Status: 303 See Other\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n"
           "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n"
           "Content-Security-Policy: default-src 'self'\r\nLocation: /cgi-bin/kaitori/applied/%s\r\n\r\n"
           "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>303 See Other</title></head>"
           "<body><p><a href=\"/cgi-bin/kaitori/applied/%s\">/cgi-bin/kaitori/applied/%s</a></p></body></html>\n",
           code, code, code);
    return 0;
}
