// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: formats (Zengin, CGI, Mustache) and core (KaitoriCore) <- site pages,
// site builder and handler <- CLI. The handler's closure (KaitoriHandler) must stay free of
// Foundation's ICU-backed parts and of Yams: it is spawned once per request.

// The modules a handler process runs on every post. Each reaches a generic type's metadata through
// a direct accessor instead of by its mangled name: by name, the Swift runtime demangles the name
// and looks up every conformance the type's parameters need in the whole executable's conformance
// records, once per type per process: 0.8 M of the 7.9 M instructions an application post cost
// the static kaitori-cgi (callgrind, docs/performance.md). The accessors cost a little code size.
let handlerPath: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]

let package = Package(
    name: "kaitori",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kaitori", targets: ["kaitori"]),
        .executable(name: "kaitori-cgi", targets: ["kaitori-cgi"]),
        .executable(name: "kaitori-fcgi", targets: ["kaitori-fcgi"]),
        .executable(name: "kaitori-staff", targets: ["kaitori-staff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // System libraries (Debian: libsqlite3-dev, libcmark-dev, libsodium-dev, libcurl4-openssl-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libpq's header (Debian: libpq-dev): the PostgreSQL store, for shops running several web hosts.
        // No pkgConfig: that would link -lpq into every executable; KaitoriCore/LibPQ.swift loads
        // libpq.so.5 with dlopen only when shop.yml names a PostgreSQL store.
        .systemLibrary(name: "CLibPQ", providers: [.apt(["libpq-dev"])]),
        // gettid and fallocate as inline functions (header only, nothing linked).
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libfcgi (Debian: libfcgi-dev), for the FastCGI handler only: kaitori-cgi does not link it.
        .systemLibrary(name: "CFastCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),

        // Formats: no dependency on the rest.
        .target(name: "Zengin", swiftSettings: handlerPath),
        .target(name: "CGI", swiftSettings: handlerPath),
        .target(name: "Mustache", swiftSettings: handlerPath),

        // Core: domain rules, settings, the case store.
        // Staff accounts use libsodium (Argon2id, random session ids, SHA-256) and swift-crypto
        // (HMAC-SHA1 for TOTP, which libsodium lacks).
        // Zengin (a format, no dependencies) gives the core the bank-kana rule for account holders.
        .target(name: "KaitoriCore", dependencies: ["CSQLite", "CLibPQ", "CLinux", "Mustache", "CSodium", "Zengin"],
                swiftSettings: handlerPath),

        // Staff accounts, sessions, throttling and TOTP (libsodium, swift-crypto). Core-level, but
        // its own module: the customer handler never links it (swift-crypto brings Foundation).
        .target(name: "StaffAccounts", dependencies: ["KaitoriCore", "CSodium",
                                                      .product(name: "Crypto", package: "swift-crypto")]),

        // Settings file (YAML) -> Settings, with line-numbered problems. CLI side only.
        .target(name: "SettingsFile", dependencies: ["KaitoriCore", "Mustache", .product(name: "Yams", package: "Yams")]),

        // Per-case pages and form rendering, shared by the builder and the handler.
        .target(name: "SitePages", dependencies: ["KaitoriCore", "Mustache"], swiftSettings: handlerPath),
        // The whole-site build: content (Markdown via libcmark), pages, atomic swap.
        .target(name: "SiteBuilder", dependencies: ["SitePages", "CCmark", "SettingsFile", "CLinux"]),

        // Message delivery: sendmail, SMTP and HTTPS (libcurl), SMS. CLI side only.
        .target(name: "Messaging", dependencies: ["KaitoriCore", "CCurl"]),

        // Payouts: the Zengin file for due cases, and matching a completed file back to cases.
        .target(name: "Payouts", dependencies: ["KaitoriCore", "Zengin"]),

        // Printable documents with their images from the shop folder, as HTML or PDF (headless
        // Chromium). CLI and console side only.
        .target(name: "Documents", dependencies: ["KaitoriCore"]),
        // .xlsx workbooks for the item sheet (import and export) and the ledger, stock and case list
        // exports: ZIP from ZIPFoundation, XML from Foundation's XMLParser. CLI and console side only.
        .target(name: "Spreadsheet", dependencies: ["KaitoriCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),

        // The CGI handler as a library, and its thin main.
        .target(name: "KaitoriHandler", dependencies: ["KaitoriCore", "CGI", "SitePages", "Mustache"], swiftSettings: handlerPath),
        // Keeps argv from the C library instead of the Swift runtime's start-up search through
        // /proc/self/maps (Sources/CProcessStart/arguments.c): for the programs started per request.
        // (DWARF 4: valgrind, which bench/handler/callgrind.sh runs it under, cannot read clang's DWARF 5.)
        .target(name: "CProcessStart", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .executableTarget(name: "kaitori-cgi", dependencies: ["KaitoriHandler", "CProcessStart"], swiftSettings: handlerPath),
        // The same handler as a persistent FastCGI application, and its thin main.
        .target(name: "KaitoriFastCGI", dependencies: ["KaitoriHandler", "CGI", "KaitoriCore", "CFastCGI", "CLinux"], swiftSettings: handlerPath),
        .executableTarget(name: "kaitori-fcgi", dependencies: ["KaitoriFastCGI"], swiftSettings: handlerPath),

        // The staff console (a second CGI program) as a library, and its thin main.
        .target(name: "KaitoriStaff", dependencies: ["KaitoriCore", "StaffAccounts", "SettingsFile", "CGI", "Mustache", "SitePages",
                                                     "Payouts", "Zengin", "Documents"]),
        .executableTarget(name: "kaitori-staff", dependencies: ["KaitoriStaff", "CProcessStart"]),

        // The shop CLI as a library, and its thin main.
        .target(name: "KaitoriCLI", dependencies: [
            "KaitoriCore", "StaffAccounts", "SettingsFile", "SitePages", "SiteBuilder", "Messaging", "Zengin", "Payouts", "Documents", "Spreadsheet",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // Japan Post's postal-code data comes as a zip (`kaitori postal import utf_ken_all.zip`).
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .executableTarget(name: "kaitori", dependencies: ["KaitoriCLI"]),

        .testTarget(name: "ZenginTests", dependencies: ["Zengin"], resources: [.copy("Golden")]),
        .testTarget(name: "CGITests", dependencies: ["CGI"]),
        .testTarget(name: "MustacheTests", dependencies: ["Mustache"]),
        // The store backends the store suites run on (SQLite, and PostgreSQL when a test server is given).
        .target(name: "StoreTestSupport", dependencies: ["KaitoriCore"], path: "Tests/StoreTestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["KaitoriCore", "SettingsFile", "StoreTestSupport"]),
        .testTarget(name: "SiteTests", dependencies: ["SiteBuilder", "SitePages", "KaitoriCore", "SettingsFile"]),
        .testTarget(name: "PayoutTests", dependencies: ["Payouts", "KaitoriCore", "SettingsFile", "Zengin"]),
        .testTarget(name: "EndToEndTests", dependencies: ["KaitoriCore", "Zengin"]),
        .testTarget(name: "OperationsTests", dependencies: ["KaitoriCore", "KaitoriCLI", "Documents", "Spreadsheet", "StoreTestSupport"]),
        .testTarget(name: "SpreadsheetTests", dependencies: ["Spreadsheet", "KaitoriCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "HandlerTests", dependencies: ["KaitoriCore"]),
        .testTarget(name: "FastCGITests", dependencies: ["KaitoriCore"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["CGI", "Zengin", "KaitoriCore"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "KaitoriCore", "SettingsFile"]),
        .testTarget(name: "StaffTests", dependencies: ["KaitoriStaff", "StaffAccounts", "KaitoriCore", "SettingsFile", "CGI"]),
    ],
    swiftLanguageModes: [.v5]
)
