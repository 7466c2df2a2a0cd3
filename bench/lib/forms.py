"""Request bodies the benchmarks and the reliability suite post, as a browser would send them.

    python3 forms.py apply [--submission-id ID]        urlencoded application (stdout)
    python3 forms.py kyc --mb 10 --boundary B          multipart ID + signature post (stdout),
                                                       the image being 10 MB (10,000,000 bytes)

The application is a realistic one: bank transfer, e-mail contact, three item rows, Japanese text
in every free field, so the handler normalizes, validates and stores as it would in a shop.
"""
import argparse
import sys
import urllib.parse

APPLICATION = [
    ("name", "山田 太郎"),
    ("kana", "ヤマダ タロウ"),
    ("birth_date", "1985-04-12"),
    ("occupation", "会社員"),
    ("postal_code", "330-0063"),
    ("prefecture", "埼玉県"),
    ("address", "さいたま市浦和区高砂2丁目8番14号"),
    ("building", "ハイツ高砂 203"),
    ("phone", "090-1234-5678"),
    ("email", "taro.yamada@example.jp"),
    ("contact", "email"),
    ("payout", "bank_transfer"),
    ("bank_code", "0009"),
    ("branch_code", "123"),
    ("account_type", "1"),
    ("account_number", "1234567"),
    ("account_holder", "ヤマダ タロウ"),
    ("item_category", "game"),
    ("item_description", "ニンテンドースイッチ 本体 有機ELモデル 箱・説明書あり"),
    ("item_quantity", "1"),
    ("item_category", "camera"),
    ("item_description", "ミラーレス一眼 レンズキット 2019年購入 動作確認済み"),
    ("item_quantity", "1"),
    ("item_category", "books"),
    ("item_description", "文庫本 まとめて（小説・エッセイ）"),
    ("item_quantity", "40"),
    ("boxes", "2"),
    ("kit", "yes"),
    ("notes", "平日の午後は不在がちです。"),
    ("agree", "on"),
    ("website", ""),
]


def application(submission_id=""):
    """The application as urlencoded bytes; a non-empty submission_id makes each post distinct
    for the handler's double-submit protection. An "@@@@@@@@" in it is left unescaped, for the
    drivers (bench/tools/cgi-time.c, bench/wrk/post.lua) to number each post."""
    body = urllib.parse.urlencode(APPLICATION + [("submission_id", submission_id)])
    return body.replace("%40" * 8, "@" * 8).encode()


def kyc(file_bytes, boundary):
    """A POST /kyc body: My Number card front (no back side) as a JPEG of file_bytes bytes,
    the confirmed details and a typed signature."""
    def field(name, value):
        return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()

    # JPEG magic bytes, then filler: the handler sniffs the kind from the first bytes.
    image = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(max(0, file_bytes - 11))
    return b"".join([
        field("id_type", "my_number"),
        (f"--{boundary}\r\nContent-Disposition: form-data; name=\"id_front\"; filename=\"front.jpg\"\r\n"
         "Content-Type: image/jpeg\r\n\r\n").encode(), image, b"\r\n",
        field("name", "山田 太郎"),
        field("address", "埼玉県さいたま市浦和区高砂2丁目8番14号"),
        field("birth_date", "1985-04-12"),
        field("signature_name", "山田 太郎"),
        field("agree", "on"),
        f"--{boundary}--\r\n".encode(),
    ])


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="form", required=True)
    apply_parser = sub.add_parser("apply")
    apply_parser.add_argument("--submission-id", default="")
    kyc_parser = sub.add_parser("kyc")
    kyc_parser.add_argument("--mb", type=float, required=True)
    kyc_parser.add_argument("--boundary", required=True)
    args = parser.parse_args()
    if args.form == "apply":
        sys.stdout.buffer.write(application(args.submission_id))
    else:
        sys.stdout.buffer.write(kyc(int(args.mb * 1_000_000), args.boundary))


if __name__ == "__main__":
    main()
