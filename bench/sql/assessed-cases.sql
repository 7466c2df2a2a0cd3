-- Adds @count assessed cases to a shop's var/kaitori.sqlite3 in one transaction, as `kaitori case
-- assess` would leave them: customer, two declared items, three priced items, history, and an open
-- review link (unique token, expiring 21 days from @now). Codes are BNCH-xxxx from @first on, in the
-- case-code alphabet, so `kaitori build --case CODE` accepts them.
--   sqlite3 DB -cmd ".parameter set @count 10000" -cmd ".parameter set @first 0" \
--       -cmd ".parameter set @now $(date +%s)" < assessed-cases.sql
BEGIN IMMEDIATE;
CREATE TEMP TABLE seq AS
  WITH RECURSIVE n(i) AS (SELECT @first UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @first + @count)
  SELECT i FROM n;
CREATE TEMP VIEW alphabet AS SELECT '23456789ABCDEFGHJKMNPQRSTUVWXYZ' AS a;

INSERT INTO cases (code, status, created_at, updated_at, payout_method, bank_code, branch_code, account_type,
                   account_number, account_holder, boxes, review_token, review_expires_at, assessed_at)
SELECT 'BNCH-' || substr(a, (i / 29791) % 31 + 1, 1) || substr(a, (i / 961) % 31 + 1, 1)
                || substr(a, (i / 31) % 31 + 1, 1) || substr(a, i % 31 + 1, 1),
       'assessed', @now - 86400 * 5, @now - 3600, 'bank_transfer', '0009', '123', 1,
       printf('%07d', i), 'ヤマダ　タロウ', 1,
       -- 128 random bits in the token alphabet (hex with 0 and 1, which it lacks, moved to g and h).
       replace(replace(lower(hex(randomblob(16))), '0', 'g'), '1', 'h'),
       @now + 21 * 86400, @now - 3600
FROM seq, alphabet;

CREATE TEMP TABLE new_cases AS SELECT id FROM cases WHERE code LIKE 'BNCH-%' AND id NOT IN (SELECT case_id FROM customers);

INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address, building,
                       phone, email, contact)
SELECT id, '山田 太郎', 'ヤマダ　タロウ', '1985-04-12', '会社員', '330-0063', '埼玉県',
       'さいたま市浦和区高砂2丁目8番14号', 'ハイツ高砂 203', '09012345678', 'taro' || id || '@example.jp', 'email'
FROM new_cases;

INSERT INTO declared_items (case_id, position, category, description, quantity)
SELECT id, 1, 'game', 'ニンテンドースイッチ 本体 有機ELモデル 箱・説明書あり', 1 FROM new_cases
UNION ALL
SELECT id, 2, 'books', '文庫本 まとめて（小説・エッセイ）', 40 FROM new_cases;

INSERT INTO items (case_id, position, name, quantity, unit_price, sale_price, grade, condition, buyer_comment)
SELECT id, 1, 'Nintendo Switch 有機ELモデル ホワイト', 1, 26500, 32800, 2, '本体に薄い擦り傷', '付属品がすべて揃っていたため査定額を上乗せしました。' FROM new_cases
UNION ALL
SELECT id, 2, '文庫本（小説）', 32, 20, 110, 3, '日焼けあり', '' FROM new_cases
UNION ALL
SELECT id, 3, '文庫本（エッセイ）', 8, 10, 110, 4, '書き込みあり', '書き込みのある本は1冊10円となります。' FROM new_cases;

INSERT INTO history (case_id, from_status, to_status, at, actor_kind, actor_name, note)
SELECT id, NULL, 'received', @now - 86400 * 5, 'customer', NULL, '' FROM new_cases
UNION ALL SELECT id, 'received', 'confirmed', @now - 86400 * 5, 'staff', 'bench', '' FROM new_cases
UNION ALL SELECT id, 'confirmed', 'arrived', @now - 86400 * 2, 'staff', 'bench', '' FROM new_cases
UNION ALL SELECT id, 'arrived', 'assessing', @now - 86400, 'staff', 'bench', '' FROM new_cases
UNION ALL SELECT id, 'assessing', 'assessed', @now - 3600, 'staff', 'bench', '' FROM new_cases;
COMMIT;
