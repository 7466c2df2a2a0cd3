#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CGIRequest {
    /// The request described by this process's environment, as the web server set it.
    ///
    /// - Throws: as `init(environment:)`.
    public static func fromProcessEnvironment() throws -> CGIRequest {
        try CGIRequest(environment: processEnvironment())
    }

    /// This process's environment, read from `environ` directly so that start-up does not pull in
    /// Foundation's `ProcessInfo`.
    public static func processEnvironment() -> [String: String] {
        var variables: [String: String] = [:]
        // `environ` is imported as optional on some C libraries and not on others.
        let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var entry = table else { return variables }
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.utf8.firstIndex(of: ASCII.equals) {
                let name = String(text[..<equals])
                // With duplicate names, getenv(3) answers with the first; do the same.
                if variables[name] == nil {
                    variables[name] = String(text[text.index(after: equals)...])
                }
            }
            entry += 1
        }
        return variables
    }
}
