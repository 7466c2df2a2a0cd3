<?php
// The PHP peer of POST /apply, for bench/run.sh: what a shop would write with php-cgi and SQLite
// to do the same job as kaitori-cgi. It reads the published settings (var/site.json, as the
// handler does), normalizes and validates the form, and stores the case in one write transaction
// with the same rows kaitori-cgi writes (case, customer, declared items, history, shop event, the
// customer's and the shop's queued e-mails rendered from the message templates), in WAL mode
// with synchronous=FULL, then answers 303 to the applied page.
//
// Run by php-cgi with KAITORI_SITE set; SCRIPT_NAME is the handler path redirects go under.
// Needs only PHP's default extensions plus pdo_sqlite (Debian: php-cgi php-sqlite3).

// Dates (the message's application date, the customer's age) are Japan's, as Kaitori's are,
// whatever the server's time zone.
date_default_timezone_set('Asia/Tokyo');

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TOKEN_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const PREFECTURES = ['北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県', '群馬県',
    '埼玉県', '千葉県', '東京都', '神奈川県', '新潟県', '富山県', '石川県', '福井県', '山梨県', '長野県', '岐阜県',
    '静岡県', '愛知県', '三重県', '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県', '鳥取県', '島根県',
    '岡山県', '広島県', '山口県', '徳島県', '香川県', '愛媛県', '高知県', '福岡県', '佐賀県', '長崎県', '熊本県',
    '大分県', '宮崎県', '鹿児島県', '沖縄県'];

function fail(int $status, string $message): never {
    error_log("apply.php: $status: $message");
    header('Content-Type: text/html; charset=utf-8', true, $status);
    echo '<!doctype html><meta charset="utf-8"><title>エラー</title><p>' . htmlspecialchars($message) . '</p>';
    exit;
}

function utf8(int $codepoint): string {
    return html_entity_decode('&#' . $codepoint . ';', ENT_QUOTES, 'UTF-8');
}

// Full-width ASCII to half-width and dash look-alikes to "-", as TextNormalizer.halfWidth does.
function half_width(string $text): string {
    static $map = null;
    if ($map === null) {
        $map = [utf8(0x3000) => ' '];
        for ($c = 0xFF01; $c <= 0xFF5E; $c++) $map[utf8($c)] = chr($c - 0xFEE0);
        foreach ([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x30FC, 0xFF70, 0x2500, 0xFE63] as $c) {
            $map[utf8($c)] = '-';
        }
    }
    return trim_all(strtr($text, $map));
}

// Hiragana to katakana and runs of spaces to one full-width space, as TextNormalizer.katakana does.
function katakana(string $text): string {
    static $map = null;
    if ($map === null) {
        $map = [];
        for ($c = 0x3041; $c <= 0x3096; $c++) $map[utf8($c)] = utf8($c + 0x60);
    }
    return preg_replace('/[ \x{3000}]+/u', utf8(0x3000), strtr(trim_all($text), $map));
}

function trim_all(string $text): string {
    return preg_replace('/^[\s\x{3000}\x{00A0}]+|[\s\x{3000}\x{00A0}]+$/u', '', $text);
}

function digits(string $text): string {
    return str_replace(['-', ' ', '(', ')'], '', half_width($text));
}

function is_katakana(string $text): bool {
    return preg_match('/^[\x{30A1}-\x{30FA}\x{30FC}\x{30FB}\x{3000} ]+$/u', $text) === 1;
}

function chars(string $text): int {
    return preg_match_all('/./su', $text);
}

// The {{name}} / {{#section}}…{{/section}} subset of Mustache the message templates use,
// unescaped (messages are plain text).
function render(string $template, array $context): string {
    // A section tag alone on its line takes the line with it (Mustache's standalone rule).
    $template = preg_replace('/^[ \t]*(\{\{[#^\/][^}]*\}\})[ \t]*\n/m', '$1', $template);
    $lookup = function (string $path) use ($context) {
        $value = $context;
        foreach (explode('.', trim($path)) as $key) {
            if (!is_array($value) || !array_key_exists($key, $value)) return null;
            $value = $value[$key];
        }
        return $value;
    };
    $text = preg_replace_callback('/\{\{([#^])\s*([\w.]+)\s*\}\}(.*?)\{\{\/\s*\2\s*\}\}/s',
        function ($m) use ($lookup, $context) {
            $value = $lookup($m[2]);
            $truthy = !($value === null || $value === false || $value === '' || $value === []);
            return ($m[1] === '#') === $truthy ? render($m[3], $context) : '';
        }, $template);
    return preg_replace_callback('/\{\{\{?\s*([\w.]+)\s*\}?\}\}/', function ($m) use ($lookup) {
        $value = $lookup($m[1]);
        return is_bool($value) ? ($value ? 'true' : '') : (string)$value;
    }, $text);
}

$site = getenv('KAITORI_SITE') ?: fail(503, 'KAITORI_SITE is not set');
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') fail(405, 'POST only');
$published = json_decode(@file_get_contents("$site/var/site.json") ?: 'null', true)
    ?? fail(503, "$site/var/site.json cannot be read; run kaitori build");
$settings = $published['settings'];

// Normalize and validate: every problem is collected, as the form shows them all at once.
$f = [];
foreach ($_POST as $name => $value) {
    if (is_array($value)) continue;
    $f[$name] = match ($name) {
        'kana', 'account_holder' => katakana($value),
        'birth_date', 'postal_code', 'phone', 'email', 'bank_code', 'branch_code', 'account_number', 'boxes' => half_width($value),
        default => trim_all($value),
    };
}
$get = fn(string $name) => $f[$name] ?? '';
$errors = [];
foreach (['name' => 60, 'kana' => 60, 'occupation' => 40, 'address' => 120] as $field => $max) {
    $length = chars($get($field));
    if ($length === 0 || $length > $max) $errors[] = $field;
}
if (!is_katakana($get('kana'))) $errors[] = 'kana';
$birth = DateTime::createFromFormat('!Y-m-d', $get('birth_date'));
$today = new DateTime('today');
if (!$birth || $birth >= $today || $birth->diff($today)->y < ($settings['form']['minimumAge'] ?? 18)) $errors[] = 'birth_date';
$postal = digits($get('postal_code'));
if (!preg_match('/^\d{7}$/', $postal)) $errors[] = 'postal_code';
$postal = substr($postal, 0, 3) . '-' . substr($postal, 3);
if (!in_array($get('prefecture'), PREFECTURES, true)) $errors[] = 'prefecture';
if (chars($get('building')) > 80) $errors[] = 'building';
$phone = digits($get('phone'));
if (!preg_match('/^0\d{9,10}$/', $phone)) $errors[] = 'phone';
$email = $get('email');
if ($email !== '' && !preg_match('/^[!-+\-.\/-?A-~]+@[^.@\s,][^@\s,]*\.[^@\s,]*[^.@\s,]$/', $email)) $errors[] = 'email';
$contact = $get('contact');
if ($contact !== '' && !in_array($contact, $settings['contactChannels'], true)) $errors[] = 'contact';
$payout = $get('payout');
$method_ids = array_column($settings['payoutMethods'], 'id');
if (!in_array($payout, $method_ids, true)) $errors[] = 'payout';
$bank = ['bank_code' => '', 'branch_code' => '', 'account_type' => 0, 'account_number' => '', 'account_holder' => ''];
if ($payout === 'bank_transfer') {
    $bank = ['bank_code' => digits($get('bank_code')), 'branch_code' => digits($get('branch_code')),
        'account_type' => (int)$get('account_type'), 'account_number' => digits($get('account_number')),
        'account_holder' => $get('account_holder')];
    if (!preg_match('/^\d{4}$/', $bank['bank_code'])) $errors[] = 'bank_code';
    if (!preg_match('/^\d{3}$/', $bank['branch_code'])) $errors[] = 'branch_code';
    if (!in_array($bank['account_type'], [1, 2, 4], true)) $errors[] = 'account_type';
    if (!preg_match('/^\d{7}$/', $bank['account_number'])) $errors[] = 'account_number';
    if (!is_katakana($bank['account_holder'])) $errors[] = 'account_holder';
}
// PHP keeps only the last of repeated names unless they end in [], so the item rows are read
// from the raw body, as the form sends them (item_category=…&item_category=…).
$rows = ['item_category' => [], 'item_description' => [], 'item_quantity' => []];
foreach (explode('&', file_get_contents('php://input') ?: '') as $pair) {
    [$name, $value] = array_pad(explode('=', $pair, 2), 2, '');
    $name = urldecode($name);
    if (isset($rows[$name])) $rows[$name][] = trim_all(urldecode($value));
}
$category_ids = array_column($settings['form']['categories'], 'id');
$items = [];
$count = max(count($rows['item_category']), count($rows['item_description']), count($rows['item_quantity']));
for ($i = 0; $i < $count; $i++) {
    $category = $rows['item_category'][$i] ?? '';
    $description = $rows['item_description'][$i] ?? '';
    $quantity = half_width($rows['item_quantity'][$i] ?? '');
    if ($category === '' && $description === '' && ($quantity === '' || $quantity === '1')) continue;
    if (!in_array($category, $category_ids, true)) $errors[] = 'item_category';
    if ($description === '' || chars($description) > 200) $errors[] = 'item_description';
    $q = (int)($quantity === '' ? '1' : $quantity);
    if ($q < 1 || $q > 999) $errors[] = 'item_quantity';
    $items[] = [$category, $description, max($q, 1)];
}
if (!$items || count($items) > $settings['form']['maxItems']) $errors[] = 'item_description';
$boxes = $get('boxes') === '' ? 1 : (int)$get('boxes');
if ($boxes < 1 || $boxes > $settings['form']['maxBoxes']) $errors[] = 'boxes';
$kit = $settings['form']['kitOffered'] && $get('kit') === 'yes';
if (chars($get('notes')) > 1000) $errors[] = 'notes';
if ($get('agree') !== 'on') $errors[] = 'agree';
if ($errors) fail(422, 'invalid: ' . implode(', ', array_unique($errors)));
$submission = substr($get('submission_id'), 0, 64);

try {
    $db = new PDO("sqlite:$site/var/kaitori.sqlite3", null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    $db->exec('PRAGMA busy_timeout = 30000'); // Kaitori's limit too (PDO offers no other busy handler)
    $db->exec('PRAGMA journal_mode = WAL');
    $db->exec('PRAGMA synchronous = FULL');
    $db->exec('PRAGMA foreign_keys = ON');
    $now = time();
    $db->exec('BEGIN IMMEDIATE');
    $existing = null;
    if ($submission !== '') {
        $find = $db->prepare('SELECT code FROM cases WHERE submission_id = ?');
        $find->execute([$submission]);
        $existing = $find->fetchColumn() ?: null;
    }
    if ($existing !== null) {
        $db->exec('COMMIT');
        $code = $existing;
    } else {
        // The status page's token, as Identifiers.token makes it: its link is in the first message.
        $status_token = '';
        for ($i = 0; $i < 32; $i++) $status_token .= TOKEN_ALPHABET[random_int(0, 31)];
        $insert = $db->prepare('INSERT INTO cases (code, status_token, status, created_at, updated_at, submission_id, payout_method,
            bank_code, branch_code, account_type, account_number, account_holder, boxes, kit, pickup_date, pickup_slot, notes)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
        for ($attempt = 0; ; $attempt++) {
            $code = '';
            for ($i = 0; $i < 8; $i++) {
                if ($i === 4) $code .= '-';
                $code .= CODE_ALPHABET[random_int(0, strlen(CODE_ALPHABET) - 1)];
            }
            try {
                $insert->execute([$code, $status_token, 'received', $now, $now, $submission === '' ? null : $submission, $payout,
                    $bank['bank_code'], $bank['branch_code'], $bank['account_type'], $bank['account_number'],
                    $bank['account_holder'], $boxes, $kit ? 1 : 0, '', '', $get('notes')]);
                break;
            } catch (PDOException $e) {
                if ($attempt >= 20 || !str_contains($e->getMessage(), 'cases.code')) throw $e;
            }
        }
        $case_id = (int)$db->lastInsertId();
        $db->prepare('INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address,
            building, phone, email, contact) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)')
            ->execute([$case_id, $get('name'), $get('kana'), $get('birth_date'), $get('occupation'), $postal,
                $get('prefecture'), $get('address'), $get('building'), $phone, $email, $contact === '' ? null : $contact]);
        $item = $db->prepare('INSERT INTO declared_items (case_id, position, category, description, quantity) VALUES (?,?,?,?,?)');
        foreach ($items as $position => [$category, $description, $quantity]) {
            $item->execute([$case_id, $position + 1, $category, $description, $quantity]);
        }
        $db->prepare("INSERT INTO history (case_id, from_status, to_status, at, actor_kind, actor_name, note)
            VALUES (?, NULL, 'received', ?, 'customer', NULL, '')")->execute([$case_id, $now]);
        $db->prepare("INSERT INTO events (case_id, kind, at, detail) VALUES (?, 'application', ?, ?)")
            ->execute([$case_id, $now, $get('name') . ' 様から申込']);

        $shop = $settings['shop'];
        $base_url = rtrim($settings['site']['baseURL'], '/');
        $contact_url = $settings['site']['contactURL'];
        $context = [
            'shop' => ['name' => $shop['name'], 'company' => $shop['company'], 'phone' => $shop['phone'],
                'email' => $shop['email'], 'hours' => $shop['hours'], 'address' => $shop['address'],
                'postal_code' => $shop['postalCode'], 'license_number' => $shop['licenseNumber'],
                'license_commission' => $shop['licenseCommission'],
                'contact_url' => str_starts_with($contact_url, '/') ? $base_url . $contact_url : $contact_url],
            'status_url' => $base_url . '/status/' . $status_token . '/',
            'case' => ['code' => $code, 'status' => 'received', 'created_date' => date('Y年n月j日', $now),
                'boxes' => $boxes, 'kit' => $kit, 'pickup' => ''],
            'customer' => ['name' => $get('name'), 'kana' => $get('kana'), 'phone' => $phone, 'email' => $email],
        ];
        $outbox = $db->prepare('INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at)
            VALUES (?,?,?,?,?,?,?,?)');
        $queue = function (string $event, string $channel, string $recipient) use ($settings, $context, $outbox, $case_id, $now) {
            $template = $settings['messages'][$event] ?? null;
            if ($template === null) return;
            $body = $channel === 'sms' ? $template['sms'] : $template['emailBody'];
            if ($body === '') return;
            $subject = $channel === 'sms' ? '' : trim(str_replace(["\r", "\n"], ' ', render($template['emailSubject'], $context)));
            $outbox->execute([$case_id, $event, $channel, $recipient, $subject, render($body, $context), $now, $now]);
        };
        if ($contact === 'sms' || ($contact !== 'email' && $email === '')) {
            $queue('application_received', 'sms', $phone);
        } elseif ($email !== '') {
            $queue('application_received', 'email', $email);
        }
        $notify = $settings['shopNotifyEmail'] ?? '';
        if ($notify !== '') $queue('shop_application', 'email', $notify);
        $db->exec('COMMIT');
    }
} catch (PDOException $e) {
    fail(503, 'the case store is unavailable: ' . $e->getMessage());
}

$base = rtrim($_SERVER['SCRIPT_NAME'] ?? '', '/');
header('Location: ' . $base . '/applied/' . $code, true, 303);
header('Cache-Control: no-store');
