#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGI
import KaitoriCore

/// POST /kyc/{token}: ID images, confirmation and signature (domain.md, "Identity verification",
/// "Approval and signature").
struct KYCPost {
    /// Front, back, and room for a stray extra input; anything more is refused as too large.
    static let maxFiles = 4

    let context: HandlerContext
    let token: String

    var kycPage: String { "/kyc/\(token)/" }

    /// - Returns: 303 back to the ID page, which now says the documents were received.
    /// - Throws: `HandlerError` 415/422 for the form's problems; `ReviewError` from the store;
    ///   `CGIError` for an unreadable or oversized body. Every file written for the request is
    ///   deleted before anything is thrown.
    func respond<Source: ByteSource>(body: Source) throws -> CGIResponse {
        let settings = context.settings
        guard let type = context.request.contentType, type.essence == "multipart/form-data" else {
            throw HandlerError.unsupportedMediaType(
                "POST /kyc needs multipart/form-data, not \(context.request.contentType?.essence ?? "an empty CONTENT_TYPE")",
                back: kycPage)
        }
        guard (context.request.contentLength ?? 0) <= settings.uploads.maxRequestBytes else { throw CGIError.tooLarge }

        // Look the link up before reading the body, so a dead or used link never writes a file.
        let store = try context.openStore()
        // Counted before the body is read: an address over its limit writes no file either.
        try store.admit(context.poster(route: "kyc"), settings: settings)
        guard let (record, check) = try store.idCheck(token: token) else { throw ReviewError.unknownToken }
        switch check.state {
        case .open: break
        case .submitted, .verified: throw ReviewError.alreadySubmitted(record)
        // Rejected, or superseded by a newer request: only the shop can say what happens next.
        case .rejected: throw ReviewError.notOpen(record)
        }

        let uploads = try UploadDirectory.prepare(site: context.site)
        let limits = FormLimits(maxFieldBytes: SignatureImage.maxFieldBytes,
                                maxTotalBytes: SignatureImage.maxFieldBytes + 65_536,
                                maxFiles: Self.maxFiles, maxFileBytes: settings.uploads.maxFileBytes)
        let form = try context.request.readForm(from: body, maxBodyBytes: settings.uploads.maxRequestBytes,
                                                limits: limits, uploads: .directory(uploads))
        var written: [String] = []
        do {
            let checked: KYCForm
            switch KYCForm.check(form, settings: settings, idRequired: settings.idRequirement(for: record).required) {
            case .success(let valid): checked = valid
            case .failure(let problems): throw HandlerError(problems, back: kycPage)
            }
            // ID images and the signature are sealed with the shop's public key as they are stored:
            // this process can write them but never read them back (SealedFile). Only KYC posts
            // pay for it.
            let key = try KeyFiles.publishedKey(site: context.site)
            func keep(_ bytes: [UInt8]) throws -> String {
                let path = try UploadDirectory.store(key.map { try SealedFile.seal(bytes, with: $0) } ?? bytes, in: uploads)
                written.append(path)
                return path
            }
            var files: [(kind: String, path: String, contentType: String, size: Int64)] = []
            for upload in checked.files {
                if key == nil {
                    files.append((kind: upload.kind, path: upload.file.path, contentType: upload.type.mediaType, size: Int64(upload.file.size)))
                } else {
                    guard let plain = try FileIO.read(upload.file.path) else { throw StoreError.unavailable("the upload \(upload.file.path) vanished") }
                    files.append((kind: upload.kind, path: try keep(plain), contentType: upload.type.mediaType, size: Int64(plain.count)))
                }
            }
            var signatureName: String?
            switch checked.signature {
            case .drawn(let image):
                files.append((kind: "signature", path: try keep(image.png), contentType: "image/png", size: Int64(image.png.count)))
            case .typed(let name):
                signatureName = name
            }
            let kept = Set(files.map(\.path))
            for file in form.files where !kept.contains(file.path) { unlink(file.path) }

            var submission = IDSubmission(idType: checked.idType?.id ?? "", name: checked.name, address: checked.address,
                                          birthDate: checked.birthDate, files: files, signatureName: signatureName)
            submission.keyID = key?.id
            _ = try store.submitID(token: token, submission, settings: settings)
            return .redirect(location: kycPage)
        } catch {
            form.removeFiles()
            for path in written { unlink(path) }
            throw error
        }
    }
}

extension HandlerError {
    init(_ problems: KYCForm.Problems, back: String) {
        self.init(status: problems.unsupportedFile ? 415 : 422,
                  title: problems.unsupportedFile ? CustomerText.unsupportedFileTitle : CustomerText.invalidTitle,
                  messages: problems.errors.map(\.message), backURL: back,
                  detail: "ID form refused: \(problems.errors.map(\.field).joined(separator: ", "))")
    }
}
