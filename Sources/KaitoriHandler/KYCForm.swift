import CGI
import KaitoriCore

/// The ID + signature form (interfaces.md, "POST /kyc/{token} fields"), checked against the shop's
/// ID types: which upload is which, what the customer confirmed, how they signed.
struct KYCForm {
    enum Signature: Equatable {
        case drawn(SignatureImage)
        /// The full name typed where script (and so the canvas) is off.
        case typed(String)
    }

    /// Everything wrong with one post, in form order.
    struct Problems: Error, Equatable {
        var errors: [FieldError]
        /// Whether an upload's content is not an accepted kind, which is answered with 415.
        var unsupportedFile: Bool
    }

    /// Nil only when the case needs no ID (`Settings.idRequirement`) and the customer sent none.
    var idType: Settings.IDType?
    var name: String
    var address: String
    var birthDate: String
    var front: UploadedFile?
    /// Only when the ID type has a back side to show.
    var back: UploadedFile?
    var signature: Signature

    /// The uploads this form keeps, with the kind of each as its content says.
    var files: [(kind: String, file: UploadedFile, type: FileKind)] {
        [("id_front", front), ("id_back", back)].compactMap { kind, file in
            guard let file, let type = file.kind else { return nil }
            return (kind, file, type)
        }
    }

    /// - Parameter idRequired: whether this case needs an ID; when not, the ID fields may be left
    ///   empty (the customer only confirms and signs), but what is sent is still checked.
    static func check(_ form: MultipartResult, settings: Settings, idRequired: Bool = true) -> Result<KYCForm, Problems> {
        var errors: [FieldError] = []
        var unsupported = false
        let fields = form.fields

        let idType = settings.idType(fields["id_type"] ?? "")
        let skipped = !idRequired && (fields["id_type"] ?? "").isEmpty && form.file("id_front") == nil && form.file("id_back") == nil
        if idType == nil, !skipped { errors.append(FieldError("id_type", CustomerText.idType)) }

        func upload(_ field: String, missing: String) -> UploadedFile? {
            guard let file = form.file(field) else {
                errors.append(FieldError(field, missing))
                return nil
            }
            guard file.kind != nil else {
                errors.append(FieldError(field, CustomerText.fileKind))
                unsupported = true
                return nil
            }
            return file
        }
        let front = skipped ? nil : upload("id_front", missing: CustomerText.idFront)
        // A back side is only taken when the ID type has one to show: the back of a My Number
        // card carries the individual number, which a shop may not collect.
        let back = idType?.back == true ? upload("id_back", missing: CustomerText.idBack) : nil

        func text(_ field: String, _ label: String, max: Int) -> String {
            let value = TextNormalizer.trim(fields[field] ?? "")
            if value.isEmpty { errors.append(FieldError(field, CustomerText.required(label))) }
            else if value.count > max { errors.append(FieldError(field, CustomerText.tooLong(label, max))) }
            return value
        }
        let name = text("name", "お名前", max: 60)
        let address = text("address", "ご住所", max: 200)
        var birthDate = ""
        switch JapaneseDate.parse(fields["birth_date"] ?? "", label: "生年月日") {
        case .success(let date): birthDate = date.iso
        case .failure(let problem): errors.append(FieldError("birth_date", problem.message))
        }

        var signature: Signature?
        let drawn = TextNormalizer.trim(fields["signature"] ?? "")
        let typed = TextNormalizer.trim(fields["signature_name"] ?? "")
        if !drawn.isEmpty {
            do {
                signature = .drawn(try SignatureImage(dataURL: drawn))
            } catch SignatureImage.Problem.tooLarge {
                errors.append(FieldError("signature", CustomerText.signatureTooLarge))
            } catch {
                errors.append(FieldError("signature", CustomerText.signatureImage))
            }
        } else if !typed.isEmpty {
            if typed.count > 60 { errors.append(FieldError("signature_name", CustomerText.tooLong("署名（お名前）", 60))) }
            else { signature = .typed(typed) }
        } else {
            errors.append(FieldError("signature", CustomerText.signature))
        }
        if fields["agree"] != "on" { errors.append(FieldError("agree", CustomerText.kycAgree)) }
        // The drawn signature is a data: URL checked as an image; every other field is customer text.
        errors = CustomerInput.screened(errors, fields.filter { $0.name != "signature" }.map { (name: $0.name, value: $0.value) })

        guard errors.isEmpty, skipped || (idType != nil && front != nil), let signature else {
            return .failure(Problems(errors: errors, unsupportedFile: unsupported))
        }
        return .success(KYCForm(idType: idType, name: name, address: address, birthDate: birthDate,
                                front: front, back: back, signature: signature))
    }
}
