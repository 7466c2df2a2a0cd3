-- Adds @count purchased, unpaid bank-transfer cases to a shop's var/kaitori.sqlite3 in one
-- transaction: what `kaitori zengin export` turns into transfer records. Each has a customer, valid
-- account details (distinct account numbers), two accepted items (in stock) and a declined one.
--   sqlite3 DB -cmd ".parameter set @count 100000" -cmd ".parameter set @first 0" \
--       -cmd ".parameter set @now $(date +%s)" < purchased-cases.sql
BEGIN IMMEDIATE;
CREATE TEMP TABLE seq AS
  WITH RECURSIVE n(i) AS (SELECT @first UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @first + @count)
  SELECT i FROM n;
CREATE TEMP VIEW alphabet AS SELECT '23456789ABCDEFGHJKMNPQRSTUVWXYZ' AS a;

INSERT INTO cases (code, status, created_at, updated_at, payout_method, bank_code, branch_code, account_type,
                   account_number, account_holder, boxes, assessed_at, decision, decided_at, approved_at, purchased_at)
SELECT 'PAYS-' || substr(a, (i / 29791) % 31 + 1, 1) || substr(a, (i / 961) % 31 + 1, 1)
                || substr(a, (i / 31) % 31 + 1, 1) || substr(a, i % 31 + 1, 1),
       'purchased', @now - 86400 * 10, @now - 3600, 'bank_transfer',
       printf('%04d', 1 + i % 9), printf('%03d', 100 + i % 800), 1 + (i % 2), printf('%07d', i),
       CASE i % 3 WHEN 0 THEN 'ヤマダ　タロウ' WHEN 1 THEN 'サトウ　ハナコ' ELSE 'カ）マルフクショウジ' END,
       1, @now - 86400 * 5, 'part', @now - 86400 * 4, @now - 86400 * 4, @now - 86400 * 3 + i
FROM seq, alphabet;

CREATE TEMP TABLE new_cases AS SELECT id FROM cases WHERE code LIKE 'PAYS-%' AND id NOT IN (SELECT case_id FROM customers);

INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address, building,
                       phone, email, contact)
SELECT id, '山田 太郎', 'ヤマダ　タロウ', '1985-04-12', '会社員', '330-0063', '埼玉県',
       'さいたま市浦和区高砂2丁目8番14号', '', '09012345678', 'taro' || id || '@example.jp', 'email'
FROM new_cases;

INSERT INTO declared_items (case_id, position, category, description, quantity)
SELECT id, 1, 'camera', 'ミラーレス一眼 レンズキット', 1 FROM new_cases;

INSERT INTO items (case_id, position, name, quantity, unit_price, grade, declined)
SELECT id, 1, 'ミラーレス一眼 ボディ', 1, 38000, 2, 0 FROM new_cases
UNION ALL SELECT id, 2, '標準ズームレンズ', 1, 9500, 3, 0 FROM new_cases
UNION ALL SELECT id, 3, 'ストラップ', 1, 100, 4, 1 FROM new_cases;

-- The purchase put the accepted items in stock (what the ledger and stock exports list).
INSERT INTO stock (item_id, case_id, created_at)
SELECT i.id, i.case_id, c.purchased_at FROM items i JOIN cases c ON c.id = i.case_id
WHERE i.case_id IN (SELECT id FROM new_cases) AND i.declined = 0;

INSERT INTO history (case_id, from_status, to_status, at, actor_kind, actor_name, note)
SELECT id, 'approved', 'purchased', @now - 86400 * 3, 'staff', 'bench', '' FROM new_cases;
COMMIT;
