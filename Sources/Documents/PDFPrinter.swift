import Foundation

/// Prints an HTML document to PDF with headless Chromium from the distribution (Debian's
/// `chromium`): the browser lays out the page (A4, the document's print CSS, page numbers from its
/// `@page` margin boxes) and writes real, searchable text with the fonts installed on the machine
/// (fonts-noto-cjk). Kaitori writes no PDF itself.
///
/// Each run gets a fresh private temporary folder (0700) for the HTML, the browser profile and
/// the PDF, removed afterwards. The network is off: the document carries its images as data URLs
/// and a CSP that forbids loading anything, and the browser is pointed at a proxy that does not
/// exist, so nothing leaves the machine.
public struct PDFPrinter: Sendable {
    /// The browser: `KAITORI_CHROMIUM`, else `chromium` on the search path.
    public var browser: String
    /// Seconds before the browser is stopped and the print fails.
    public var timeout: Double

    public init(browser: String? = nil, timeout: Double = 60) {
        self.browser = browser ?? PDFPrinter.defaultBrowser()
        self.timeout = timeout
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func defaultBrowser() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["KAITORI_CHROMIUM"], !chosen.isEmpty { return chosen }
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return "/usr/bin/chromium"
    }

    /// The PDF of `html`.
    /// - Throws: `Failure` naming the browser and what went wrong (not installed, crashed, timed out).
    public func pdf(html: String) throws -> [UInt8] {
        guard FileManager.default.isExecutableFile(atPath: browser) else {
            throw Failure(description: "cannot print to PDF: \(browser) is not installed (Debian: apt-get install chromium fonts-noto-cjk, or set KAITORI_CHROMIUM)")
        }
        let folder = try Self.privateFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/document.html"
        let output = folder + "/document.pdf"
        guard FileManager.default.createFile(atPath: input, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "cannot print to PDF: cannot write \(input)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-sync", "--disable-background-networking", "--disable-component-update",
            "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--user-data-dir=\(folder)/profile", "--crash-dumps-dir=\(folder)",
            "--no-pdf-header-footer", "--print-to-pdf=\(output)",
            URL(fileURLWithPath: input).absoluteString,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder
        environment["XDG_CONFIG_HOME"] = folder + "/config"
        environment["XDG_CACHE_HOME"] = folder + "/cache"
        process.environment = environment
        let log = folder + "/browser.log"
        guard FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "cannot print to PDF: cannot write \(log)")
        }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot print to PDF: cannot start \(browser): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            usleep(200_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw Failure(description: "cannot print to PDF: \(browser) did not finish within \(Int(timeout)) seconds")
        }
        process.waitUntilExit()
        try? logHandle.close()
        guard let data = FileManager.default.contents(atPath: output), data.starts(with: Array("%PDF-".utf8)) else {
            let detail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(3).joined(separator: " / ") ?? ""
            throw Failure(description: "cannot print to PDF: \(browser) exited with status \(process.terminationStatus) and wrote no PDF"
                          + (detail.isEmpty ? "" : ": \(detail)"))
        }
        return [UInt8](data)
    }

    private static func privateFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/kaitori-pdf-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "cannot print to PDF: cannot create a temporary folder: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
