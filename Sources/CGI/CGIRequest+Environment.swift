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
        guard let table else { return variables }
        // Sized up front and cut at the `=` over each entry's bytes: growing the dictionary a
        // variable at a time and slicing `String`s cost every request 80 K instructions.
        var count = 0
        while table[count] != nil { count += 1 }
        variables.reserveCapacity(count)
        // Last to first, so that with duplicate names the first one stays, as getenv(3) answers.
        for index in (0..<count).reversed() {
            guard let entry = table[index] else { continue }
            let bytes = UnsafeRawBufferPointer(start: entry, count: strlen(entry))
            guard let equals = bytes.firstIndex(of: ASCII.equals) else { continue }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<equals]), as: UTF8.self)
            variables[name] = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(equals + 1)...]), as: UTF8.self)
        }
        return variables
    }
}
