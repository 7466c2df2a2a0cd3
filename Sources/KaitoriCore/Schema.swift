/// Versioned migrations, one list for both engines. Each runs once, in order, inside a write
/// transaction that first re-reads the version, so several processes opening a fresh database at
/// once apply each exactly once: on SQLite the version is `user_version` and the transaction's
/// write lock serializes them; on PostgreSQL it is the one row of `kaitori_schema`, and the store's
/// advisory transaction lock (`Database.transaction`) serializes them across hosts.
/// The migrations are written in SQLite's dialect; `postgresSQL` turns the few differences
/// (integer and blob types, identity keys, the status-token trigger) into PostgreSQL's.
enum Schema {
    /// How many migrations there are: the version a migrated store reports. Written out so that
    /// opening a store that is up to date — what every post the handler answers does — need not
    /// build `migrations` (with the status-token SQL it interpolates, 35 K instructions a process);
    /// `SchemaTests` holds it to the list's length.
    static let count = 10

    static let migrations: [String] = [
        """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            submission_id TEXT UNIQUE,
            parent_id INTEGER REFERENCES cases(id),
            payout_method TEXT NOT NULL DEFAULT '',
            bank_code TEXT NOT NULL DEFAULT '',
            branch_code TEXT NOT NULL DEFAULT '',
            account_type INTEGER NOT NULL DEFAULT 0,
            account_number TEXT NOT NULL DEFAULT '',
            account_holder TEXT NOT NULL DEFAULT '',
            boxes INTEGER NOT NULL DEFAULT 1,
            kit INTEGER NOT NULL DEFAULT 0,
            pickup_date TEXT NOT NULL DEFAULT '',
            pickup_slot TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            tracking_number TEXT NOT NULL DEFAULT '',
            review_token TEXT UNIQUE,
            review_expires_at INTEGER,
            assessed_at INTEGER,
            decision TEXT,
            decided_at INTEGER,
            signature_name TEXT,
            signature_file_id INTEGER,
            approved_at INTEGER,
            purchased_at INTEGER,
            paid_at INTEGER,
            payout_batch_id INTEGER
        );
        CREATE INDEX cases_status ON cases(status, updated_at);
        CREATE TABLE customers (
            case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
            name TEXT NOT NULL, kana TEXT NOT NULL, birth_date TEXT NOT NULL, occupation TEXT NOT NULL,
            postal_code TEXT NOT NULL, prefecture TEXT NOT NULL, address TEXT NOT NULL,
            building TEXT NOT NULL, phone TEXT NOT NULL, email TEXT NOT NULL, contact TEXT
        );
        CREATE INDEX customers_phone ON customers(phone);
        CREATE TABLE declared_items (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            category TEXT NOT NULL, description TEXT NOT NULL, quantity INTEGER NOT NULL
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            product_code TEXT NOT NULL DEFAULT '', jan TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
            quantity INTEGER NOT NULL CHECK (quantity >= 1),
            unit_price INTEGER NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
            sale_price INTEGER NOT NULL DEFAULT 0 CHECK (sale_price >= 0),
            grade INTEGER NOT NULL DEFAULT 3 CHECK (grade BETWEEN 1 AND 6),
            shelf TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '', condition TEXT NOT NULL DEFAULT '',
            staff_memo TEXT NOT NULL DEFAULT '', buyer_comment TEXT NOT NULL DEFAULT '',
            weight TEXT NOT NULL DEFAULT '',
            declined INTEGER NOT NULL DEFAULT 0,
            return_carrier TEXT, return_tracking TEXT, returned_at INTEGER
        );
        CREATE INDEX items_case ON items(case_id, position);
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            from_status TEXT, to_status TEXT NOT NULL,
            at INTEGER NOT NULL, actor_kind TEXT NOT NULL, actor_name TEXT, note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX history_case ON history(case_id, id);
        CREATE TABLE id_checks (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            token TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'open',
            id_type TEXT, confirm_name TEXT, confirm_address TEXT, confirm_birth_date TEXT,
            submitted_at INTEGER,
            reviewed_by TEXT, reviewed_at INTEGER, address_confirmation TEXT, note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX id_checks_case ON id_checks(case_id, id);
        CREATE TABLE stored_files (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            id_check_id INTEGER REFERENCES id_checks(id),
            kind TEXT NOT NULL, path TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            at INTEGER NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
            event TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '', body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            claimed_by TEXT, claimed_at INTEGER,
            last_error TEXT, sent_at INTEGER
        );
        CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
            kind TEXT NOT NULL, at INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '',
            seen INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE stock (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL UNIQUE REFERENCES items(id),
            case_id INTEGER NOT NULL REFERENCES cases(id),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE payout_batches (
            id INTEGER PRIMARY KEY,
            created_at INTEGER NOT NULL,
            transfer_date TEXT NOT NULL,
            file_name TEXT NOT NULL DEFAULT '',
            record_count INTEGER NOT NULL,
            total INTEGER NOT NULL
        );
        """,
        // How staff verified an ID (`upload`, `ekyc`, `face_to_face`, … an open list), for the ledger.
        """
        ALTER TABLE id_checks ADD COLUMN method TEXT;
        """,
        // Every case load reads its declared items, and every ID check its files, by parent id:
        // without these, each load scanned the whole table and builds, exports and posts slowed
        // quadratically with the number of cases.
        """
        CREATE INDEX declared_items_case ON declared_items(case_id, position);
        CREATE INDEX stored_files_check ON stored_files(id_check_id);
        """,
        // Staff console accounts (StaffAccountStore.swift): Argon2id password hashes, sessions
        // stored only as the SHA-256 of their id, and failed logins per name and per address.
        """
        CREATE TABLE staff_accounts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
            password_hash TEXT NOT NULL,
            totp_secret TEXT,
            totp_last_step INTEGER,
            created_at INTEGER NOT NULL,
            password_changed_at INTEGER NOT NULL,
            disabled_at INTEGER,
            last_login_at INTEGER
        );
        CREATE TABLE staff_sessions (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            address TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX staff_sessions_account ON staff_sessions(account_id);
        CREATE TABLE staff_login_failures (
            kind TEXT NOT NULL CHECK (kind IN ('name', 'address')),
            key TEXT NOT NULL,
            failures INTEGER NOT NULL,
            last_failure_at INTEGER NOT NULL,
            PRIMARY KEY (kind, key)
        );
        """,
        // The customer's status page link, for every case from the application on (a trigger gives
        // one to rows inserted without it, e.g. by a renegotiation copy), and the kit and pickup
        // steps staff record.
        """
        ALTER TABLE cases ADD COLUMN status_token TEXT;
        ALTER TABLE cases ADD COLUMN kit_sent_at INTEGER;
        ALTER TABLE cases ADD COLUMN kit_carrier TEXT;
        ALTER TABLE cases ADD COLUMN kit_tracking TEXT;
        ALTER TABLE cases ADD COLUMN pickup_arranged_at INTEGER;
        ALTER TABLE cases ADD COLUMN pickup_reference TEXT;
        UPDATE cases SET status_token = \(randomTokenSQL) WHERE status_token IS NULL;
        CREATE UNIQUE INDEX cases_status_token ON cases(status_token);
        CREATE TRIGGER cases_status_token AFTER INSERT ON cases WHEN NEW.status_token IS NULL
        BEGIN UPDATE cases SET status_token = \(randomTokenSQL) WHERE id = NEW.id; END;
        """,
        // Compliance (docs/compliance.md): item categories for the ID rule and the ledger's 古物
        // class; why a purchase needed no ID; the verification method by the law's item; the
        // tracked address check; which key sealed a stored file; files waiting to be deleted
        // (crash-safe: the row goes with the change that orphaned the file); deleted cases'
        // tombstones; and the log of privacy operations.
        """
        ALTER TABLE items ADD COLUMN category TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN id_exemption TEXT;
        ALTER TABLE cases ADD COLUMN deleted_at INTEGER;
        ALTER TABLE cases ADD COLUMN held_until TEXT;
        ALTER TABLE id_checks ADD COLUMN method_item INTEGER;
        ALTER TABLE id_checks ADD COLUMN method_label TEXT;
        ALTER TABLE stored_files ADD COLUMN key_id TEXT;
        CREATE TABLE address_checks (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            id_check_id INTEGER REFERENCES id_checks(id) ON DELETE CASCADE,
            sent_on TEXT NOT NULL, carrier TEXT NOT NULL, tracking TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'sent',
            created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
            settled_at INTEGER, settled_by TEXT, note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX address_checks_case ON address_checks(case_id, id);
        CREATE TABLE pending_deletions (
            id INTEGER PRIMARY KEY, path TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL
        );
        CREATE TABLE privacy_log (
            id INTEGER PRIMARY KEY, at INTEGER NOT NULL, case_code TEXT NOT NULL, action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL
        );
        """,
        // Stored files' contents in the database (PostgreSQL stores: every host's console reads
        // the same uploads). SQLite stores keep them as files under var/uploads and leave it empty.
        """
        CREATE TABLE stored_file_data (
            file_id INTEGER PRIMARY KEY REFERENCES stored_files(id) ON DELETE CASCADE,
            bytes BLOB NOT NULL
        );
        """,
        // Spam and abuse (CaseStore+Abuse.swift): posts per address and customer route in a fixed
        // window; the daily caps count applications by email and phone; the secret that signs
        // the application's confirmation page (outside public/, made here once).
        """
        CREATE TABLE post_counts (
            route TEXT NOT NULL, address TEXT NOT NULL,
            window_start INTEGER NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY (route, address)
        );
        CREATE INDEX customers_email ON customers(email);
        CREATE TABLE shop_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO shop_secrets (name, value) VALUES ('confirm_page', lower(hex(randomblob(32))));
        """,
        // The exports read the case list and the stock a page at a time in this order
        // (`KeysetPage`): each page is a seek in the index, not a scan and sort of every row. The
        // case list asks of every case whether a renegotiation copy exists (`parent_id`): without
        // an index that scanned every case for each one listed (14 s for 10,000 cases).
        """
        CREATE INDEX cases_created ON cases(created_at, id);
        CREATE INDEX stock_created ON stock(created_at, id);
        CREATE INDEX cases_parent ON cases(parent_id);
        """,
        // The bank-transfer export reads the due cases a page at a time in the file's order
        // (purchase time, then id): with this index each page is a seek, where without it every
        // page scanned and sorted every due case left (100,000 due cases: 144 µs a case, against
        // 55 µs with 10,000; docs/performance.md).
        """
        CREATE INDEX cases_payout_due ON cases(payout_method, (COALESCE(purchased_at, 0)), id)
            WHERE status = 'purchased' AND paid_at IS NULL;
        """,
    ]

    /// The migration at `index` in `dialect`.
    static func sql(_ index: Int, _ dialect: Database.Dialect) -> String {
        dialect == .sqlite ? migrations[index] : postgresSQL(index)
    }

    /// PostgreSQL's text of a migration: 64-bit integers everywhere (SQLite's INTEGER is 64-bit),
    /// identity columns for `id INTEGER PRIMARY KEY` (SQLite's rowid alias), BYTEA for BLOB, and
    /// the status token made by a BEFORE INSERT trigger function instead of SQLite's trigger.
    static func postgresSQL(_ index: Int) -> String {
        var sql = migrations[index]
        if index == 4 {
            // The columns as for SQLite (rewritten below); the token made by PostgreSQL's random()
            // and given by a BEFORE INSERT trigger function instead of SQLite's trigger.
            sql = String(sql[..<sql.firstRange(of: "CREATE TRIGGER cases_status_token")!.lowerBound])
                .replacing(randomTokenSQL, with: postgresRandomTokenSQL) + """
                CREATE FUNCTION kaitori_status_token() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    IF NEW.status_token IS NULL THEN NEW.status_token := \(postgresRandomTokenSQL); END IF;
                    RETURN NEW;
                END $body$;
                CREATE TRIGGER cases_status_token BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION kaitori_status_token();
                """
        }
        // The confirmation page's secret from PostgreSQL's strong random source (gen_random_uuid
        // is built in from version 13; pgcrypto's gen_random_bytes is an extension): 2 × 122 bits.
        sql = sql.replacing("lower(hex(randomblob(32)))",
                         with: "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')")
        sql = sql.replacingWords("id INTEGER PRIMARY KEY", with: "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
        sql = sql.replacingWords("INTEGER", with: "BIGINT")
        sql = sql.replacingWords("BLOB", with: "BYTEA")
        return sql
    }

    /// The same token shape made by PostgreSQL (`random()` is in [0, 1) there).
    static let postgresRandomTokenSQL = Array(repeating: "substr('abcdefghijkmnpqrstuvwxyz23456789', floor(random() * 32)::int + 1, 1)",
                                              count: 32).joined(separator: " || ")

    /// A token of `Identifiers.token`'s shape (32 characters of its alphabet) made by SQLite.
    static let randomTokenSQL: String = {
        // Concatenated by hand: `joined(separator:)` is reached unspecialized here and its
        // run-time type look-ups cost every handler process 0.2 M instructions on start.
        let piece = "substr('abcdefghijkmnpqrstuvwxyz23456789', (random() & 31) + 1, 1)"
        var sql = piece
        for _ in 1..<32 { sql += " || " + piece }
        return sql
    }()

    static func migrate(_ db: Database) throws {
        if try version(db) >= count { return }
        try db.transaction {
            // Re-read inside the write lock: another process may have migrated meanwhile.
            if db.dialect == .postgres {
                try db.execute("CREATE TABLE IF NOT EXISTS kaitori_schema (version BIGINT NOT NULL)")
                if try db.query("SELECT version FROM kaitori_schema").isEmpty { try db.query("INSERT INTO kaitori_schema (version) VALUES (0)") }
            }
            let current = try version(db)
            for index in current..<max(current, migrations.count) {
                try db.execute(sql(index, db.dialect))
                if db.dialect == .postgres {
                    try db.query("UPDATE kaitori_schema SET version = ?", [.int(Int64(index + 1))])
                } else {
                    try db.execute("PRAGMA user_version = \(index + 1)")
                }
            }
        }
    }

    /// The number of migrations applied (0 for a new database).
    static func version(_ db: Database) throws -> Int {
        switch db.dialect {
        case .sqlite:
            return Int(try db.query("PRAGMA user_version").first?.int("user_version") ?? 0)
        case .postgres:
            guard try db.query("SELECT to_regclass('kaitori_schema') IS NOT NULL AS present").first?.bool("present") == true else { return 0 }
            return Int(try db.query("SELECT version FROM kaitori_schema").first?.int("version") ?? 0)
        }
    }
}

extension String {
    /// Replaces whole-word occurrences of `word` (not inside a longer identifier).
    func replacingWords(_ word: String, with replacement: String) -> String {
        let text = Array(self), target = Array(word)
        func isIdentifier(_ i: Int) -> Bool {
            guard i >= 0, i < text.count else { return false }
            return text[i].isLetter || text[i].isNumber || text[i] == "_"
        }
        var out = ""
        var i = 0
        while i < text.count {
            if i + target.count <= text.count, Array(text[i..<i + target.count]) == target,
               !isIdentifier(i - 1), !isIdentifier(i + target.count) {
                out += replacement
                i += target.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }
}
