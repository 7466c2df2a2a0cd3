/// Where the file parts of a multipart body go.
public enum UploadStorage: Equatable, Sendable {
    /// Each file is streamed into a new, randomly named file (mode 0600) in this directory.
    case directory(String)
    /// Files are read, measured and sniffed but not written anywhere; `UploadedFile.path` is
    /// empty. For fuzzing and for checks that need no file.
    case discard
}
