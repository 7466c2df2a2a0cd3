import ArgumentParser
import SettingsFile

extension Kaitori {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check shop.yml and report every problem as shop.yml:LINE: key: problem.")

        @OptionGroup var options: SiteOptions

        func run() throws {
            let (settings, loaded) = SettingsFile.load(site: options.siteDirectory)
            let problems = loaded + (settings.map { MessageTemplateCheck.problems(for: $0, site: options.siteDirectory) } ?? [])
            for problem in problems { print(problem) }
            let errors = problems.filter { $0.severity == .error }.count
            if errors > 0 {
                printError("\(errors) error(s) in shop.yml")
                throw ExitCode(1)
            }
            print("shop.yml: ok (\(problems.count) warning(s))")
            print(Kaitori.PostalCommand.status(site: options.siteDirectory))
        }
    }
}
