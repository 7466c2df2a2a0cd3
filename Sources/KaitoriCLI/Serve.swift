import ArgumentParser
import Foundation
import KaitoriCore
import SettingsFile
import SiteBuilder

extension Kaitori {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the site and serve it on 127.0.0.1, running kaitori-cgi for form posts and kaitori-staff at /staff.",
            discussion: """
            Serves public/ as static files and runs the kaitori-cgi next to this kaitori as a real CGI
            process for every request under the handler's path (site.handler_url), and the kaitori-staff
            next to it for every request under /staff (the staff console), the way the shop's web
            server will. For trying a shop locally; put a real web server in front in production.
            """)

        @OptionGroup var options: SiteOptions

        @Option(help: "The port to listen on (0 picks a free one).")
        var port: Int = 8080

        @Option(help: "Seconds a client has to send its whole request (head and body); a slower one is answered 408 and dropped.")
        var requestTimeout: Int = 20

        @Option(help: "Connections served at once; more are answered 503 at once.")
        var maxConnections: Int = 32

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            guard (1...3600).contains(requestTimeout) else { throw ValidationError("--request-timeout must be from 1 to 3600 seconds") }
            guard (1...1024).contains(maxConnections) else { throw ValidationError("--max-connections must be from 1 to 1024") }
        }

        func run() throws {
            try refusing {
                let site = options.siteDirectory
                let settings: Settings
                do { settings = try SettingsFile.require(site: site) } catch let error as SettingsError {
                    throw CLIError("shop.yml has problems (run `kaitori check`):\n\(error)")
                }
                let handler = try Self.siblingExecutable("kaitori-cgi")
                let console = try Self.siblingExecutable("kaitori-staff")
                let scriptName = Self.path(of: settings.site.handlerURL)
                // Bound first: with --port 0 the address is known only now, and it goes into the build.
                let server = try Server(
                    port: port, files: StaticFiles(root: site + "/public"),
                    gateways: { port in [
                        Gateway(executable: handler, site: site, scriptName: scriptName, port: port),
                        Gateway(executable: console, site: site, scriptName: Self.consolePath, port: port),
                    ] },
                    maxBodyBytes: settings.uploads.maxRequestBytes, spoolFolder: site + "/var",
                    limits: Server.Limits(requestSeconds: requestTimeout, maxConnections: maxConnections))
                let local = "http://127.0.0.1:\(server.port)"
                try build(site: site, baseURL: local)
                try LocalServe.record(site: site, baseURL: local)
                if settings.site.baseURL != local {
                    print("Links in pages and messages use \(local) while this runs (site.base_url \(settings.site.baseURL) is "
                          + "for the published site; run `kaitori build` before deploying).")
                }
                print("Serving \(settings.shop.name) at \(local)/ "
                      + "(form posts to \(scriptName) run \(handler); the staff console is at "
                      + "\(local)\(Self.consolePath)/); press Ctrl-C to stop.")
                fflush(stdout)
                server.run()
            }
        }

        /// Builds the whole site first, so what is served is what the settings, templates and
        /// cases say now.
        func build(site: String, baseURL: String) throws {
            do {
                let report = try SiteBuilder(site: site, now: Int64(Date().timeIntervalSince1970), baseURL: baseURL,
                                             log: { print($0) }).build()
                print(report)
            } catch let error as BuildError {
                throw CLIError("\(error)")
            }
        }

        /// This `kaitori`, symlinks resolved.
        static func executable() -> String {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        }

        /// Where `kaitori serve` mounts the staff console.
        static let consolePath = "/staff"

        /// `kaitori-cgi` or `kaitori-staff` from the same build as this `kaitori`.
        static func siblingExecutable(_ name: String) throws -> String {
            let path = URL(fileURLWithPath: executable()).deletingLastPathComponent().appendingPathComponent(name).path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw CLIError("\(name) is not next to kaitori (looked for \(path)); build all three with `swift build`")
            }
            return path
        }

        /// The path part of `site.handler_url`, which may be a path or an absolute URL.
        static func path(of handlerURL: String) -> String {
            var path = handlerURL.contains("://") ? (URL(string: handlerURL)?.path ?? handlerURL) : handlerURL
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path.hasPrefix("/") ? path : "/" + path
        }
    }
}
