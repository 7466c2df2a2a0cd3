import Mustache

/// The printable documents of a case (domain.md, "Purchase, returns, documents"): the estimate
/// (見積書) once items are entered, and the sales contract (売買契約書) once the customer approved
/// and signed. Both are self-contained HTML with print CSS for A4.
public enum CaseDocument: String, CaseIterable, Sendable {
    case estimate
    case contract

    public var title: String {
        switch self {
        case .estimate: "見積書"
        case .contract: "売買契約書"
        }
    }

    /// Refuses a case the document cannot describe yet.
    public func requireAvailable(for record: Case) throws {
        switch self {
        case .estimate:
            guard !record.items.isEmpty else {
                throw StoreError.refused(code: record.code, reason: "no items assessed yet, so there is no estimate (status \(record.status.rawValue)); add items first: kaitori items add \(record.code) --name NAME --price YEN")
            }
        case .contract:
            guard [.approved, .purchased, .paid].contains(record.status) else {
                throw StoreError.refused(code: record.code, reason: "a contract needs the customer's approval and signature (status \(record.status.rawValue), \(record.status.label)); the estimate is available: kaitori docs estimate \(record.code)")
            }
        }
    }

    /// Renders the document.
    ///
    /// - Parameters:
    ///   - verifiedID: the case's verified ID request and method (contract only).
    ///   - signaturePNG: the drawn signature's bytes; anything that is not a PNG is left out.
    ///   - seal: the shop seal image (社印, `documents.seal_image`): PNG, JPEG or SVG; anything else is left out.
    ///   - issuedAt: the estimate's issue date (the contract is dated by the approval).
    /// - Throws: `StoreError.refused` when the case is not ready for the document.
    public func render(record: Case, settings: Settings, verifiedID: (check: IDCheck, method: String)? = nil,
                       signaturePNG: [UInt8]? = nil, seal: [UInt8]? = nil, issuedAt: Int64) throws -> String {
        try requireAvailable(for: record)
        let template = try Template(source: DocumentTemplate.source, name: "document.\(rawValue)")
        return try template.render(context(record: record, settings: settings, verifiedID: verifiedID,
                                           signaturePNG: signaturePNG, seal: seal, issuedAt: issuedAt), escaping: .html)
    }

    /// The media type of a seal image judged by its content (PNG, JPEG or SVG), nil for anything else.
    public static func sealImageType(_ bytes: [UInt8]) -> String? {
        if isPNG(bytes) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        let head = String(decoding: bytes.prefix(512), as: UTF8.self)
        if head.contains("<svg") { return "image/svg+xml" }
        return nil
    }

    func context(record: Case, settings: Settings, verifiedID: (check: IDCheck, method: String)?,
                 signaturePNG: [UInt8]?, seal: [UInt8]? = nil, issuedAt: Int64) -> MustacheValue {
        let isContract = self == .contract
        let shop = settings.shop
        let c = record.customer
        func date(_ t: Int64?) -> MustacheValue { t.map { .string(CivilDate(unixTime: $0).japanese) } ?? .null }
        let documentDate = isContract ? (record.approvedAt ?? issuedAt) : issuedAt
        let birth = CivilDate(iso: c.birthDate)
        let declined = isContract ? record.items.filter(\.declined).count : 0
        let items: [MustacheValue] = record.items.enumerated().map { offset, item in
            var codes: [String] = []
            if !item.productCode.isEmpty { codes.append("商品コード \(item.productCode)") }
            if !item.jan.isEmpty { codes.append("JAN \(item.jan)") }
            return .object([
                "no": .int(offset + 1), "name": .string(item.displayName), "codes": .string(codes.joined(separator: " / ")),
                "grade": .string(item.gradeLabel), "quantity": .int(item.quantity),
                "unit_price": .string(Yen.grouped(item.unitPrice)), "subtotal": .string(Yen.grouped(item.subtotal)),
                "declined": .bool(isContract && item.declined), "comment": .string(item.buyerComment),
            ])
        }
        var signature: [String: MustacheValue] = ["date": date(record.approvedAt)]
        if isContract {
            if let png = signaturePNG, CaseDocument.isPNG(png) {
                signature["image"] = .string("data:image/png;base64," + Base64.encode(png))
            } else if let typed = record.signatureName, !typed.isEmpty {
                signature["typed"] = .string(typed)
            }
        }
        var id: MustacheValue = .null
        if isContract, let (check, method) = verifiedID {
            id = .object([
                "type": .string(check.idType.map { settings.idType($0)?.label ?? $0 } ?? "（種類未記録）"),
                "method": .string(CaseStore.verificationMethodLabel(method)),
                "address_check": .string(check.addressConfirmation ?? ""),
                "verified_date": date(check.reviewedAt), "verified_by": .string(check.reviewedBy ?? ""),
            ])
        }
        let footer = isContract ? settings.documents.contractFooter : settings.documents.estimateFooter
        return .object([
            "seal": seal.flatMap { bytes in CaseDocument.sealImageType(bytes).map { .string("data:\($0);base64," + Base64.encode(bytes)) } } ?? .null,
            "title": .string(title), "is_contract": .bool(isContract), "draft": .bool(record.status == .assessing),
            "number_label": .string(isContract ? "契約番号" : "見積番号"),
            "date_label": .string(isContract ? "契約日" : "発行日"),
            "customer_role": .string(isContract ? "売主" : "お客様"),
            "shop_role": .string(isContract ? "買主" : "査定店"),
            "items_heading": .string(isContract ? "売買物品" : "査定明細"),
            "total_label": .string(isContract ? "売買代金合計" : "査定金額合計"),
            "shop": .object([
                "name": .string(shop.name), "company": .string(shop.company), "representative": .string(shop.representative),
                "postal_code": .string(shop.postalCode), "address": .string(shop.address), "phone": .string(shop.phone),
                "email": .string(shop.email), "license_number": .string(shop.licenseNumber),
                "license_commission": .string(shop.licenseCommission),
            ]),
            "case": .object([
                "code": .string(record.code), "document_date": date(documentDate),
                "valid_until": isContract ? .null : (record.reviewExpiresAt.map { .string(CivilDate(unixTime: $0 - 1).japanese) } ?? .null),
                "payout_label": .string(settings.payoutMethod(record.payout.method)?.label ?? record.payout.method),
                "purchased_date": date(record.purchasedAt), "paid_date": date(record.paidAt),
            ]),
            "customer": .object([
                "name": .string(c.name), "kana": .string(c.kana), "address": .string(c.fullAddress),
                "birth_date": .string(birth?.japanese ?? c.birthDate),
                "age": birth.map { .int($0.age(on: CivilDate(unixTime: documentDate))) } ?? .null,
                "occupation": .string(c.occupation), "phone": .string(c.phone),
            ]),
            "items": .list(items),
            "total": .string(Yen.grouped(isContract ? record.acceptedTotal : record.total)),
            "declined_count": declined > 0 ? .int(declined) : .null,
            "signature": .object(signature),
            "id": id,
            "footer_lines": .list(footer.split(separator: "\n", omittingEmptySubsequences: true).map { .string(String($0)) }),
        ])
    }

    static func isPNG(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}

extension CaseStore {
    /// The case's drawn signature file, if the customer drew one.
    public func signatureFile(of record: Case) throws -> StoredFile? {
        guard let id = record.signatureFileID,
              let r = try db.query("SELECT * FROM stored_files WHERE id = ?", [.int(id)]).first else { return nil }
        return StoredFile(id: r.int("id"), kind: r.string("kind"), path: r.string("path"), contentType: r.string("content_type"),
                          size: r.int("size"), createdAt: r.int("created_at"))
    }
}

extension CaseStore {
    /// A case's document as HTML, with what it needs from the store (the verified ID and the
    /// signature image for the contract): the one function the CLI (`kaitori docs`) and the
    /// console's print pages call.
    /// - Parameter seal: the shop seal image (`documents.seal_image`, read by the caller).
    public func documentHTML(_ document: CaseDocument, code: String, settings: Settings, site: String, seal: [UInt8]? = nil) throws -> String {
        let record = try load(code: code)
        try document.requireAvailable(for: record)
        var signature: [UInt8]? = nil
        var verified: (check: IDCheck, method: String)? = nil
        if document == .contract {
            verified = try verifiedID(caseID: record.id)
            if let file = try signatureFile(of: record) {
                let keys = try KeyFiles.shopRing(settings: settings, site: site)
                signature = try readStoredFile(caseID: record.id, fileID: file.id, site: site, keys: keys).bytes
            }
        }
        return try document.render(record: record, settings: settings, verifiedID: verified, signaturePNG: signature,
                                   seal: seal, issuedAt: clock.now())
    }
}
