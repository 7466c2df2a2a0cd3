import Foundation

/// A request body as a browser sends it: urlencoded, or multipart with files.
struct Form {
    var body: [UInt8]
    var contentType: String

    struct File {
        var field: String
        var name: String
        var type: String
        var bytes: [UInt8]
    }

    static func urlencoded(_ fields: [(String, String)]) -> Form {
        var allowed = CharacterSet.alphanumerics.intersection(.init(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._*")
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
        }
        let text = fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
        return Form(body: Array(text.utf8), contentType: "application/x-www-form-urlencoded")
    }

    static func multipart(_ fields: [(String, String)], files: [File] = []) -> Form {
        let boundary = "----KaitoriTestBoundary\(UUID().uuidString.prefix(8))"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return Form(body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// The application form's fields, valid, with a fresh `submission_id`; `overrides` replaces
    /// or adds fields.
    static func applicationFields(_ overrides: [String: String] = [:]) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("name", "山田 太郎"), ("kana", "やまだ たろう"), ("birth_date", "１９８５-０４-１２"), ("occupation", "会社員"),
            ("postal_code", "３３０ー００６３"), ("prefecture", "埼玉県"), ("address", "さいたま市浦和区高砂1-2-3"),
            ("building", ""), ("phone", "090-1234-5678"), ("email", "taro@example.jp"), ("contact", "email"),
            ("payout", "bank_transfer"), ("bank_code", "0005"), ("branch_code", "123"), ("account_type", "1"),
            ("account_number", "1234567"), ("account_holder", "ﾔﾏﾀﾞ ﾀﾛｳ"),
            ("item_category", "game"), ("item_description", "Nintendo Switch 本体"), ("item_quantity", "1"),
            ("item_category", "camera"), ("item_description", "Canon EOS R6 ボディ"), ("item_quantity", "2"),
            ("boxes", "1"), ("kit", "no"), ("notes", "よろしくお願いします"), ("agree", "on"),
            ("submission_id", UUID().uuidString), ("website", ""),
        ]
        for (name, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == name }) { fields[index].1 = value } else { fields.append((name, value)) }
        }
        return fields
    }

    static func application(_ overrides: [String: String] = [:]) -> Form {
        urlencoded(applicationFields(overrides))
    }

    /// Bytes that start like a file of each kind (what the handler sniffs), padded to `size`.
    static func fileBytes(_ kind: String, size: Int = 2048) -> [UInt8] {
        let head: [UInt8] = switch kind {
        case "jpeg": [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8)
        case "png": pngMagic + [0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 1, 0, 0, 0, 0, 0x80, 8, 6, 0, 0, 0]
        case "pdf": Array("%PDF-1.7\n".utf8)
        case "heic": [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)
        default: Array("just some text, not an image\n".utf8)
        }
        return head + [UInt8](repeating: 0x41, count: max(0, size - head.count))
    }

    static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The ID + signature form's text fields, valid, signed with a typed name.
    static func kycFields(_ overrides: [String: String] = [:]) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("id_type", "drivers_license"), ("name", "山田 太郎"), ("address", "埼玉県さいたま市浦和区高砂1-2-3"),
            ("birth_date", "1985-04-12"), ("signature", ""), ("signature_name", "山田 太郎"), ("agree", "on"),
        ]
        for (name, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == name }) { fields[index].1 = value } else { fields.append((name, value)) }
        }
        return fields
    }

    static func idFiles(front: String = "jpeg", back: String? = "png", frontSize: Int = 4096) -> [File] {
        var files = [File(field: "id_front", name: "front.jpg", type: "image/jpeg", bytes: fileBytes(front, size: frontSize))]
        if let back { files.append(File(field: "id_back", name: "back.png", type: "image/png", bytes: fileBytes(back))) }
        return files
    }
}
