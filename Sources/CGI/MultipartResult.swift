#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a form body held: its text fields and the files written for it.
public struct MultipartResult: Equatable, Sendable {
    public var fields: FormFields
    public var files: [UploadedFile]

    public init(fields: FormFields, files: [UploadedFile]) {
        self.fields = fields
        self.files = files
    }

    /// The first file sent under `fieldName`.
    public func file(_ fieldName: String) -> UploadedFile? {
        files.first { $0.fieldName == fieldName }
    }

    /// Deletes every stored file, for a request refused after parsing (nothing is kept on error).
    public func removeFiles() {
        for file in files where !file.path.isEmpty {
            unlink(file.path)
        }
    }
}
