import ArgumentParser
import KaitoriCore
import SiteBuilder

extension Kaitori {
    /// `kaitori build [--case CODE]`: the customer site, or one case's pages.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the customer site into public/, or rewrite one case's review and ID pages.",
            discussion: """
            A full build reads shop.yml, site-templates/ and content/, writes the whole site next to public/ \
            and swaps it in at once, then publishes var/site.json for the handler. On any problem it prints \
            FILE:LINE: message and public/ stays exactly as it was.

            With --case, only that case's pages are rewritten, or removed once the link has expired or the \
            case is finished, using the settings and templates of the last full build. Staff commands do this \
            after every change on their own.
            """)

        @OptionGroup var options: SiteOptions

        @Option(name: .customLong("case"), help: ArgumentHelp("Rewrite only this case's pages.", valueName: "code"))
        var caseCode: String?

        func validate() throws {
            if let caseCode, Identifiers.normalizeCode(caseCode).isEmpty {
                throw ValidationError("--case needs a case code, e.g. K7QX-3M9A")
            }
        }

        func run() throws {
            try refusing {
                // EnvironmentClock: KAITORI_NOW lets scripts and tests build "in the future" to see links expire.
                let now = EnvironmentClock().now()
                if let caseCode {
                    let pages = try SiteBuilder(site: options.siteDirectory, now: now).rebuildCase(code: caseCode)
                    print("\(Identifiers.normalizeCode(caseCode)): \(pages == 0 ? "no customer pages (none open)" : "\(pages) customer page(s) written")")
                } else {
                    // While `kaitori serve` runs for this shop, its local address stays in the links.
                    let report = try SiteBuilder(site: options.siteDirectory, now: now,
                                                 baseURL: LocalServe.activeBaseURL(site: options.siteDirectory), log: { print($0) }).build()
                    print(report.description)
                }
            }
        }
    }
}
