"""Generates the Hugo site bench/run.sh builds against `kaitori build`: the shop's content pages
(content/*.md, front matter translated to Hugo's) and COUNT review pages of the same size and
make-up as Kaitori's (case code, three priced items with grades and comments, the total, the
answer form), using the layouts beside this script.

The review pages get their data as JSON front matter, which Hugo reads much faster than YAML.
Hugo 0.111 (Debian 12) cannot make pages from one data file (content adapters came in 0.126),
so each page still has a file of its own, as small as the data allows.

    python3 make_site.py COUNT CONTENT_DIR OUTPUT_DIR
"""
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

CONFIG = """baseURL = "http://127.0.0.1:8080/"
languageCode = "ja"
title = "まる福 宅配買取センター"
# Kaitori writes no feeds, taxonomies or section listings; neither does this site.
disableKinds = ["taxonomy", "term", "RSS", "section"]
enableRobotsTXT = true
[markup.goldmark.renderer]
unsafe = false
[params]
shop_name = "まる福 宅配買取センター"
company = "株式会社まる福リユース"
address = "埼玉県さいたま市浦和区高砂2丁目8番14号 まる福ビル1階"
phone = "048-555-0123"
hours = "10:00〜19:00（水曜・年末年始を除く）"
postal_code = "330-0063"
email = "kaitori@marufuku-reuse.example.jp"
license = "埼玉県公安委員会許可 第431010012345号"
handler = "/cgi-bin/kaitori"
[[params.decisions]]
id = "all"
label = "すべて売却"
hint = "すべてのお品物を査定金額でお売りいただきます。"
[[params.decisions]]
id = "part"
label = "一部売却"
hint = "売却しないお品物に印を付けてください。そのお品物は送料当店負担でご返送します。"
[[params.decisions]]
id = "cancel"
label = "すべてキャンセル"
hint = "すべてのお品物を送料当店負担でご返送します。"
"""

ITEMS = [
    {"name": "Nintendo Switch 有機ELモデル ホワイト", "grade": "中古A", "quantity": 1, "unit_price": 26500,
     "comment": "付属品がすべて揃っていたため査定額を上乗せしました。"},
    {"name": "文庫本（小説）", "grade": "中古B", "quantity": 32, "unit_price": 20, "comment": ""},
    {"name": "文庫本（エッセイ）", "grade": "中古C", "quantity": 8, "unit_price": 10,
     "comment": "書き込みのある本は1冊10円となります。"},
]


def front_matter(text):
    """Splits `---` front matter (flat `key: value` lines) from the Markdown body."""
    if not text.startswith("---\n"):
        return {}, text
    head, body = text[4:].split("\n---\n", 1)
    fields = {}
    for line in head.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields, body


def quote(value):
    return '"' + value.strip('"').replace('\\', '\\\\').replace('"', '\\"') + '"'


def copy_content(source, content):
    for name in sorted(os.listdir(source)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(source, name), encoding="utf-8") as f:
            fields, body = front_matter(f.read())
        # index.md is the home page, which Hugo calls _index.md; `menu: N` is Kaitori's menu order.
        target = "_index.md" if name == "index.md" else name
        lines = ["---", "title: " + quote(fields.get("title", name[:-3]))]
        if "description" in fields:
            lines.append("description: " + quote(fields["description"]))
        if fields.get("menu", "").isdigit():
            lines += ["menu: main", "weight: " + fields["menu"]]
        if name != "index.md":
            lines.append("url: /" + name[:-3] + "/")
        lines.append("---")
        with open(os.path.join(content, target), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n" + body)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: make_site.py COUNT CONTENT_DIR OUTPUT_DIR")
    count, source, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content")
    review = os.path.join(content, "review")
    os.makedirs(review)
    shutil.copytree(os.path.join(HERE, "layouts"), os.path.join(out, "layouts"))
    with open(os.path.join(out, "config.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    copy_content(source, content)

    rng = random.Random(1)
    for i in range(count):
        token = "".join(rng.choice(TOKEN_ALPHABET) for _ in range(32))
        code = "BNCH-" + "".join(CODE_ALPHABET[(i // 31 ** k) % 31] for k in (3, 2, 1, 0))
        page = {
            "title": f"査定結果のご確認（受付番号 {code}）", "url": f"/review/{token}/", "code": code, "token": token,
            "total": "27,220円", "assessed": "2026年11月22日", "expires": "2026年12月13日",
            "items": [dict(item, id=3 * i + n + 1) for n, item in enumerate(ITEMS)],
        }
        with open(os.path.join(review, token + ".md"), "w", encoding="utf-8") as f:
            f.write(json.dumps(page, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
