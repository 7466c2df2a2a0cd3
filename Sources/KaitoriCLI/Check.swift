import ArgumentParser
import Foundation
import Documents
import SettingsFile

extension Kaitori {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check shop.yml and report every problem as shop.yml:LINE: key: problem.")

        @OptionGroup var options: SiteOptions

        func run() throws {
            let (settings, loaded) = SettingsFile.load(site: options.siteDirectory)
            var problems = loaded + (settings.map { MessageTemplateCheck.problems(for: $0, site: options.siteDirectory) } ?? [])
            if let settings, let seal = CaseDocumentFile.sealProblem(settings: settings, site: options.siteDirectory) {
                problems.append(SettingsProblem(file: SettingsFile.fileName, line: sealLine(),
                                                key: "documents.seal_image", message: seal))
            }
            for problem in problems { print(problem) }
            let errors = problems.filter { $0.severity == .error }.count
            if errors > 0 {
                printError("\(errors) error(s) in shop.yml")
                throw ExitCode(1)
            }
            print("shop.yml: ok (\(problems.count) warning(s))")
            print(Kaitori.PostalCommand.status(site: options.siteDirectory))
        }

        /// The line of `seal_image:` in shop.yml, for a problem with the file it names.
        private func sealLine() -> Int {
            let text = (try? String(contentsOfFile: options.siteDirectory + "/" + SettingsFile.fileName, encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("seal_image:") } ?? 0) + 1
        }
    }
}
