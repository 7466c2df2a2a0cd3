import Foundation
import KaitoriCore
@testable import Messaging
import Testing

@Suite struct EmailMessageTests {
    let from = try! MailAddress(parsing: "まる福 宅配買取センター <kaitori@marufuku-reuse.example.jp>", field: "From")
    let to = try! MailAddress(parsing: "taro@example.jp", field: "To")

    func message(subject: String, body: String = "本文\n") -> EmailMessage {
        EmailMessage(from: from, to: to, subject: subject, body: body, date: 1_790_000_000)
    }

    /// The header block's lines (up to the blank line).
    func headerLines(_ rendered: String) -> [String] {
        Array(rendered.components(separatedBy: "\r\n").prefix { !$0.isEmpty })
    }

    /// One header field with its continuation lines, still folded.
    func field(_ name: String, in rendered: String) -> [String] {
        let lines = headerLines(rendered)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(name + ":") }) else { return [] }
        return [lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix(" ") }
    }

    /// Decodes each encoded-word on its own (as RFC 2047 requires it to be decodable) and joins
    /// them, dropping the folding whitespace between adjacent encoded-words.
    func decode(_ lines: [String]) throws -> String {
        let value = lines.joined(separator: "\r\n").drop { $0 != ":" }.dropFirst()
        var out = ""
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\r\n" }) {
            if word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") {
                let payload = word.dropFirst(10).dropLast(2)
                let bytes = try #require(Data(base64Encoded: String(payload)))
                out += try #require(String(data: bytes, encoding: .utf8), "encoded-word \(word) is not UTF-8 on its own")
            } else {
                out += (out.isEmpty ? "" : " ") + word
            }
        }
        return out
    }

    @Test func longJapaneseSubjectIsFoldedIntoSelfContainedEncodedWords() throws {
        let subject = "【まる福 宅配買取センター】査定結果のご案内（受付番号 K7QX-3M9A）お品物の査定が完了しましたのでご確認ください"
        let rendered = message(subject: subject).rendered()
        let lines = field("Subject", in: rendered)
        #expect(lines.count > 2)
        for line in lines {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
            for word in line.split(separator: " ") where word.hasPrefix("=?") {
                #expect(word.count <= 75)
            }
        }
        #expect(try decode(lines) == subject)
    }

    @Test func fourByteCharactersAreNeverSplit() throws {
        // Emoji are 4 bytes in UTF-8: any split would leave a word that does not decode alone.
        let subject = String(repeating: "📦🎁", count: 30) + "受付"
        let lines = field("Subject", in: message(subject: subject).rendered())
        #expect(try decode(lines) == subject)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func plainASCIISubjectStaysReadable() throws {
        let rendered = message(subject: "[Kaitori] New application K7QX-3M9A").rendered()
        #expect(field("Subject", in: rendered) == ["Subject: [Kaitori] New application K7QX-3M9A"])
    }

    @Test func asciiSubjectThatLooksEncodedIsEncoded() throws {
        let lines = field("Subject", in: message(subject: "=?UTF-8?B?not really?=").rendered())
        #expect(lines[0].hasPrefix("Subject: =?UTF-8?B?"))
        #expect(try decode(lines) == "=?UTF-8?B?not really?=")
    }

    @Test func fromHasAnEncodedDisplayNameAndTheAddress() throws {
        let lines = field("From", in: message(subject: "x").rendered())
        #expect(lines.joined().hasSuffix(" <kaitori@marufuku-reuse.example.jp>"))
        let name = lines.joined(separator: "\r\n").replacingOccurrences(of: " <kaitori@marufuku-reuse.example.jp>", with: "")
        #expect(try decode([name]) == "まる福 宅配買取センター")
        #expect(field("To", in: message(subject: "x").rendered()) == ["To: taro@example.jp"])
    }

    @Test func asciiDisplayNameWithSpecialsIsQuoted() throws {
        let sender = try MailAddress(parsing: "\"Marufuku, Inc.\" <shop@example.jp>", field: "From")
        #expect(sender.displayName == "Marufuku, Inc.")
        let rendered = EmailMessage(from: sender, to: to, subject: "x", body: "", date: 0).rendered()
        #expect(field("From", in: rendered) == ["From: \"Marufuku, Inc.\" <shop@example.jp>"])
    }

    @Test func bodyIsBase64OfCRLFTextInLinesOf76() throws {
        let body = "山田 太郎 様\n\nこのたびはお申し込みいただき、誠にありがとうございます。\n" + String(repeating: "長い行", count: 60) + "\n"
        let rendered = message(subject: "件名", body: body).rendered()
        let parts = rendered.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        let bodyLines = parts[1].components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(bodyLines.dropLast().allSatisfy { $0.count == 76 })
        #expect(bodyLines.last!.count <= 76)
        let decoded = try #require(Data(base64Encoded: bodyLines.joined()))
        #expect(String(decoding: decoded, as: UTF8.self) == body.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func headersAreMIMEAndEveryLineEndsWithCRLF() throws {
        let rendered = message(subject: "件名").rendered()
        let lines = headerLines(rendered)
        #expect(lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(lines.contains("Content-Transfer-Encoding: base64"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(rendered.hasSuffix("\r\n"))
        #expect(rendered.unicodeScalars.allSatisfy { $0.isASCII })
        let lf = message(subject: "件名").rendered(lineBreak: .lf)
        #expect(!lf.contains("\r"))
    }

    @Test func dateIsRFC5322InJapanTime() {
        // 1_790_000_000 is 2026-09-21 14:13:20 UTC, a Monday: 23:13:20 in Japan.
        #expect(MailDate.format(1_790_000_000) == "Mon, 21 Sep 2026 23:13:20 +0900")
        // 15:00 UTC is already the next day in Japan.
        #expect(MailDate.format(1_790_031_600) == "Tue, 22 Sep 2026 08:00:00 +0900")
        #expect(field("Date", in: message(subject: "x").rendered()) == ["Date: Mon, 21 Sep 2026 23:13:20 +0900"])
    }

    @Test func messageIDIsRandomAtTheSendersDomain() {
        let a = message(subject: "x")
        let b = message(subject: "x")
        #expect(a.messageID.hasSuffix("@marufuku-reuse.example.jp"))
        #expect(a.messageID != b.messageID)
        #expect(field("Message-ID", in: a.rendered()) == ["Message-ID: <\(a.messageID)>"])
    }

    @Test func canonicalTextTurnsEveryLineBreakIntoCRLF() {
        #expect(EmailMessage.canonicalText("a\nb\r\nc\rd\r") == "a\r\nb\r\nc\r\nd\r\n")
    }
}
