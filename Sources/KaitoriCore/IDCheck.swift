/// One identity-verification request (非対面本人確認): opened with a link, submitted by the
/// customer with images and confirmation fields, then verified or rejected by staff.
public struct IDCheck: Equatable, Sendable {
    public enum State: String, Sendable, Codable { case open, submitted, verified, rejected }

    public var id: Int64
    public var caseID: Int64
    public var token: String
    public var createdAt: Int64
    public var state: State
    public var idType: String?
    public var confirmName: String?
    public var confirmAddress: String?
    public var confirmBirthDate: String?
    public var submittedAt: Int64?
    public var reviewedBy: String?
    public var reviewedAt: Int64?
    /// How the address was confirmed, e.g. a 本人限定受取郵便 tracking number.
    public var addressConfirmation: String?
    public var note: String
    public var files: [StoredFile]
}

/// A file the customer uploaded (ID image, signature), stored under `var/uploads/`.
public struct StoredFile: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var path: String
    public var contentType: String
    public var size: Int64
    public var createdAt: Int64
    /// The key that sealed the file (`SealedFile`); nil for a file stored before sealing (plain).
    public var keyID: String? = nil
}

/// What the handler hands over after a KYC post: the files are already on disk (mode 0600).
public struct IDSubmission: Sendable {
    public var idType: String
    public var name: String
    public var address: String
    public var birthDate: String
    public var files: [(kind: String, path: String, contentType: String, size: Int64)]
    /// A drawn signature stored as a file (kind `signature`), or the typed full name.
    public var signatureName: String?
    /// The key the handler sealed the files with; nil when the shop has no key yet (plain files).
    public var keyID: String? = nil

    public init(idType: String, name: String, address: String, birthDate: String,
                files: [(kind: String, path: String, contentType: String, size: Int64)], signatureName: String?) {
        self.idType = idType; self.name = name; self.address = address; self.birthDate = birthDate
        self.files = files; self.signatureName = signatureName
    }
}
