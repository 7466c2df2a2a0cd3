import ArgumentParser
import Foundation
import KaitoriCore

extension Kaitori {
    struct IDCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "id",
            abstract: "Identity verification (非対面本人確認): request, review, verify or reject a customer's ID.",
            discussion: """
            A purchase needs a verified ID where the ID rule says so (id_check in shop.yml). For an ID sent by upload, \
            confirm the address separately: send a 本人限定受取郵便 or 転送不要 registered mail to the address on the ID, \
            record it with `id address-sent`, then `id address-confirmed` (or `id address-returned`, which fails the check).
            """,
            subcommands: [Request.self, Show.self, Copy.self, Verify.self, Reject.self, RejectUnmasked.self,
                          AddressSent.self, AddressConfirmed.self, AddressReturned.self])
    }
}

extension Kaitori.IDCommand {
    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a new ID request: a new link (earlier open links stop working) sent in the id_requested message.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let (record, token) = try options.store().requestID(code: code, by: options.actor, settings: settings)
                print("\(record.code): new ID request \(settings.absoluteURL("/kyc/\(token)/"))")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the case's ID requests: state, ID type, the details the customer confirmed, and the uploaded files.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                let (record, checks) = try store.idChecks(code: code)
                let methods = try checks.map { try store.verificationMethod(ofCheck: $0.id) }
                if json {
                    try printJSON(IDJSON(code: record.code, status: record.status.rawValue,
                                         checks: zip(checks, methods).map { IDJSON.Check($0, method: $1, settings: settings, site: options.siteDirectory) }))
                    return
                }
                print(IDText.render(record, checks, methods: methods, settings: settings, site: options.siteDirectory))
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a request's uploaded files to a folder for viewing (files mode 0600, a new folder 0700).",
            discussion: "Delete the copies after review: they are personal data.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "The folder to copy into.") var to: String
        @Option(help: "The request number as `id show` lists it (default: the latest request with files).") var check: Int64?

        func run() throws {
            try refusing {
                let store = try options.store()
                let (record, checks) = try store.idChecks(code: code)
                let chosen: IDCheck
                if let check {
                    guard let found = checks.first(where: { $0.id == check }) else {
                        throw CLIError("case \(record.code): no ID request #\(check) (requests: \(checks.map { "#\($0.id)" }.joined(separator: ", ")))")
                    }
                    chosen = found
                } else {
                    guard let latest = checks.last(where: { !$0.files.isEmpty }) else {
                        throw CLIError("case \(record.code): the customer has not uploaded any ID file")
                    }
                    chosen = latest
                }
                guard !chosen.files.isEmpty else { throw CLIError("case \(record.code): ID request #\(chosen.id) has no files") }
                let fm = FileManager.default
                if !fm.fileExists(atPath: to) {
                    try fm.createDirectory(atPath: to, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
                let ring = try KeysOptions.ring(options)
                for file in chosen.files {
                    let opened = try store.readStoredFile(caseID: record.id, fileID: file.id, site: options.siteDirectory, keys: ring)
                    let target = to + "/" + "\(record.code)-\(chosen.id)-\(file.kind).\(UploadPath.fileExtension(file.contentType))"
                    try OutputFile.write(Data(opened.bytes), to: target)
                    print(target)
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark the latest submitted ID verified, recording how the address was confirmed.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "How the address was confirmed, e.g. the tracking number of a 本人限定受取郵便 (required for --method upload).")
        var addressCheck: String = ""
        @Option(help: "The verification method: an id of verification_methods in shop.yml (recorded with its 施行規則 item number; a method with address mail needs the address check confirmed), or upload (default), ekyc, face_to_face, or another name your shop uses.")
        var method: String = CaseStore.defaultVerificationMethod
        @Option(help: "A note kept with the review.") var note: String = ""

        func run() throws {
            try refusing {
                let check = try options.store().verifyID(code: code, method: method, addressCheck: addressCheck, note: note,
                                                         settings: try options.settings(), by: options.actor)
                print("\(Identifiers.normalizeCode(code)): ID request #\(check.id) verified (\(method)\(check.addressConfirmation.map { ", address: \($0)" } ?? ""))")
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject the latest submitted ID (or close the open request) with the reason; ask again with `id request`.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "Why, e.g. 画像が不鮮明.") var note: String

        func run() throws {
            try refusing {
                let check = try options.store().rejectID(code: code, note: note, by: options.actor)
                let c = Identifiers.normalizeCode(code)
                print("\(c): ID request #\(check.id) rejected (\(check.note)); ask again with `kaitori id request \(c)`")
            }
        }
    }

    struct RejectUnmasked: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reject-unmasked",
            abstract: "Refuse an ID image that shows what must be masked (a health insurance card's 記号・番号 or QR code): the file is deleted, the refusal recorded, a new ID request opened and the customer asked again.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "The file number as `id show` lists it (#N after the kind).") var file: Int64

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let (record, token) = try options.store().rejectUnmaskedImage(code: code, fileID: file, by: options.actor, settings: settings)
                print("\(record.code): file #\(file) deleted as unmasked; new ID request \(settings.absoluteURL("/kyc/\(token)/"))")
            }
        }
    }

    struct AddressSent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "address-sent",
            abstract: "Record the address-check mail sent to the address on the ID (本人限定受取郵便 or 転送不要 registered mail).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "The day it was sent, YYYY-MM-DD (default: today).") var date: String?
        @Option(help: "The carrier and service, e.g. \"日本郵便 本人限定受取郵便\".") var carrier: String
        @Option(help: "The tracking number.") var tracking: String

        func run() throws {
            try refusing {
                let check = try options.store().addressCheckSent(code: code, sentOn: date ?? CivilDate(unixTime: SystemClock().now()).iso, carrier: carrier,
                                                                 tracking: tracking, by: options.actor)
                print("\(Identifiers.normalizeCode(code)): address check sent: \(check.summary)")
            }
        }
    }

    struct AddressConfirmed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "address-confirmed", abstract: "Record that the address-check mail was delivered to the customer.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "How it was confirmed, e.g. 受付票が商品と同封で返送.") var note: String = ""

        func run() throws {
            try refusing {
                let check = try options.store().addressCheckConfirmed(code: code, note: note, by: options.actor)
                print("\(Identifiers.normalizeCode(code)): address check confirmed: \(check.summary)")
            }
        }
    }

    struct AddressReturned: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "address-returned",
            abstract: "Record that the address-check mail came back undelivered: the ID check fails.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "What came back, e.g. 宛所に尋ねあたりません.") var note: String = ""

        func run() throws {
            try refusing {
                let store = try options.store()
                let check = try store.addressCheckReturned(code: code, note: note, by: options.actor)
                print("\(Identifiers.normalizeCode(code)): address check returned undelivered: \(check.summary); the ID check failed")
            }
        }
    }

    struct IDJSON: Encodable {
        struct File: Encodable { let kind: String; let path: String; let content_type: String; let size: Int64; let exists: Bool }
        struct Check: Encodable {
            let id: Int64
            let state: String
            let id_type: String?
            let id_type_label: String?
            let created_at: String
            let submitted_at: String?
            let confirm_name: String?
            let confirm_address: String?
            let confirm_birth_date: String?
            let reviewed_by: String?
            let reviewed_at: String?
            let method: String?
            let address_confirmation: String?
            let note: String
            let files: [File]

            init(_ k: IDCheck, method: String?, settings: Settings, site: String) {
                id = k.id; state = k.state.rawValue; id_type = k.idType; id_type_label = k.idType.flatMap { settings.idType($0)?.label }
                created_at = Timestamp.iso(k.createdAt); submitted_at = k.submittedAt.map(Timestamp.iso)
                confirm_name = k.confirmName; confirm_address = k.confirmAddress; confirm_birth_date = k.confirmBirthDate
                reviewed_by = k.reviewedBy; reviewed_at = k.reviewedAt.map(Timestamp.iso); self.method = method
                address_confirmation = k.addressConfirmation; note = k.note
                files = k.files.map {
                    let path = UploadPath.resolve($0.path, site: site)
                    return File(kind: $0.kind, path: path, content_type: $0.contentType, size: $0.size,
                                exists: FileManager.default.fileExists(atPath: path))
                }
            }
        }
        let code: String
        let status: String
        let checks: [Check]
    }

    enum IDText {
        static func render(_ record: Case, _ checks: [IDCheck], methods: [String?], settings: Settings, site: String) -> String {
            let c = record.customer
            var lines = ["\(record.code)  \(record.status.label) (\(record.status.rawValue))",
                         "申込内容  \(c.name)  生年月日 \(c.birthDate)  \(c.fullAddress)"]
            if checks.isEmpty { lines.append("no ID request yet; open one with `kaitori id request \(record.code)`") }
            for (k, method) in zip(checks, methods) {
                lines.append("")
                var head = "#\(k.id)  \(k.state.rawValue)  依頼 \(Timestamp.display(k.createdAt))"
                if let at = k.submittedAt { head += "  提出 \(Timestamp.display(at))" }
                lines.append(head)
                if let type = k.idType { lines.append("  書類      \(settings.idType(type)?.label ?? type)") }
                if let name = k.confirmName { lines.append("  氏名      \(name)\(mismatch(name, c.name))") }
                if let birth = k.confirmBirthDate { lines.append("  生年月日  \(birth)\(mismatch(birth, c.birthDate))") }
                if let address = k.confirmAddress { lines.append("  住所      \(address)") }
                if let by = k.reviewedBy {
                    lines.append("  確認      \(by)  \(k.reviewedAt.map(Timestamp.display) ?? "")\(method.map { "  方法 \($0)" } ?? "")")
                }
                if let a = k.addressConfirmation { lines.append("  住所確認  \(a)") }
                if !k.note.isEmpty { lines.append("  メモ      \(k.note)") }
                for f in k.files {
                    let path = UploadPath.resolve(f.path, site: site)
                    let missing = f.path.isEmpty ? "  (deleted)" : FileManager.default.fileExists(atPath: path) ? "" : "  (missing)"
                    let sealed = f.keyID.map { "  sealed (key \($0))" } ?? "  NOT SEALED"
                    lines.append("  #\(f.id) \(f.kind.padding(10))\(f.contentType.padding(18))\(f.size) bytes  \(path)\(sealed)\(missing)")
                }
            }
            return lines.terminalText
        }

        /// Flags a confirmed detail that differs from the application, ignoring spaces.
        static func mismatch(_ confirmed: String, _ applied: String) -> String {
            let strip = { (s: String) in s.filter { $0 != " " && $0 != "\u{3000}" } }
            return strip(confirmed) == strip(applied) ? "" : "  ≠ 申込 \(applied)"
        }
    }
}

/// Where uploads are on disk: stored paths are absolute, or relative to the shop folder.
enum UploadPath {
    static func resolve(_ stored: String, site: String) -> String {
        CaseStore.resolvedPath(stored, site: site)
    }

    static func fileExtension(_ contentType: String) -> String {
        switch contentType {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "image/heic", "image/heif": "heic"
        case "application/pdf": "pdf"
        default: "bin"
        }
    }
}
