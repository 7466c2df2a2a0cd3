#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import KaitoriCore

/// Lines for the web server's error log (the handler's stderr): what the shop needs to see, never
/// shown to the customer. Each is one line whatever it quotes: control characters (a newline in
/// `PATH_INFO` or a posted value) are escaped, so no request can forge a log line.
public enum HandlerLog {
    public static func write(_ line: String) {
        let bytes = Array(("kaitori-cgi: " + TerminalText.escape(line) + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = writeDescriptor(2, raw.baseAddress! + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                // A closed or broken log must not turn an answered request into a failure.
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

// A free function, because inside the type `write` names its own method.
private func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    Int(write(fd, bytes, count))
}
