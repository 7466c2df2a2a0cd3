import ArgumentParser
import Foundation
import KaitoriCore
import SitePages
import ZIPFoundation

extension Kaitori {
    /// `kaitori postal import FILE`: Japan Post's postal-code data into the shards the application
    /// form's script reads (docs/postal.md).
    struct PostalCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "postal",
            abstract: "Postal-code data for the form's address autofill (Japan Post's utf_ken_all.csv).",
            subcommands: [Import.self])
    }
}

extension Kaitori.PostalCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn Japan Post's utf_ken_all.csv into var/postal/ shards; `kaitori build` publishes them under /postal/.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "utf_ken_all.zip as Japan Post publishes it, or the utf_ken_all.csv inside (the UTF-8 edition).") var file: String
        @Option(help: "The data's date as Japan Post states it (YYYY-MM-DD; default: the file's modification date).")
        var date: String?

        func validate() throws {
            if let date, CivilDate(iso: date) == nil { throw ValidationError("--date must be YYYY-MM-DD") }
        }

        func run() throws {
            try refusing {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("cannot read \(file): \(String(cString: strerror(errno)))")
                }
                let bytes = try Kaitori.PostalCommand.csv(data, file: file)
                let codes: [(code: String, places: [PostalData.Place])]
                do {
                    codes = try PostalData.parse(bytes)
                } catch {
                    throw CLIError("\(file): \(error) (expected Japan Post's utf_ken_all.csv, UTF-8)")
                }
                guard !codes.isEmpty else { throw CLIError("\(file) holds no postal codes") }
                let dataDate = date ?? {
                    let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? Date()
                    return CivilDate(unixTime: Int64(modified.timeIntervalSince1970)).iso
                }()
                let folder = SitePaths.join(options.siteDirectory, SitePaths.postalFolder)
                let fresh = folder + ".new"
                let old = folder + ".old"
                try? FileManager.default.removeItem(atPath: fresh)
                try? FileManager.default.removeItem(atPath: old)
                try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)
                var bytesWritten = 0
                let shards = PostalData.shards(codes)
                for shard in shards {
                    try Data(shard.json.utf8).write(to: URL(fileURLWithPath: fresh + "/" + shard.name))
                    bytesWritten += shard.json.utf8.count
                }
                let source = "\(URL(fileURLWithPath: file).lastPathComponent)\n\(dataDate)\n\(codes.count)\n"
                try Data(source.utf8).write(to: URL(fileURLWithPath: fresh + "/source.txt"))
                // Swapped in whole, so the build never copies a half-written set.
                if FileManager.default.fileExists(atPath: folder) { try FileManager.default.moveItem(atPath: folder, toPath: old) }
                try FileManager.default.moveItem(atPath: fresh, toPath: folder)
                try? FileManager.default.removeItem(atPath: old)
                print("\(codes.count) postal codes (data of \(dataDate)) in \(shards.count) shards, \(bytesWritten / 1024) KB, in \(SitePaths.postalFolder)/; run `kaitori build` to publish them")
            }
        }
    }

    /// The CSV itself, or the one `.csv` inside the zip Japan Post publishes (`utf_ken_all.zip`).
    static func csv(_ data: Data, file: String) throws -> [UInt8] {
        guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return [UInt8](data) }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw CLIError("\(file) looks like a zip archive but cannot be read: \(error)")
        }
        let members = archive.filter { $0.type == .file && $0.path.lowercased().hasSuffix(".csv") }
        guard members.count == 1, let member = members.first else {
            throw CLIError("\(file) should hold one .csv file (utf_ken_all.csv); it holds \(members.count)")
        }
        // The whole country is about 18 MB unpacked; far more is not Japan Post's file.
        let limit: UInt64 = 256 << 20
        guard member.uncompressedSize <= limit else {
            throw CLIError("\(file): \(member.path) unpacks to \(member.uncompressedSize) bytes, more than the postal data can be")
        }
        var csv = Data()
        do {
            _ = try archive.extract(member, skipCRC32: false) { chunk in
                csv.append(chunk)
                if UInt64(csv.count) > limit { throw CLIError("\(file): \(member.path) unpacks to more than its stated size") }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(file): cannot unpack \(member.path): \(error)")
        }
        return [UInt8](csv)
    }

    /// What `kaitori check` says about the imported data.
    static func status(site: String) -> String {
        let path = SitePaths.join(site, SitePaths.postalFolder) + "/source.txt"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "postal codes: none imported; the form's address is typed by hand (see `kaitori postal import`)"
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 3 else { return "postal codes: \(path) is unreadable; import the data again" }
        return "postal codes: \(lines[2]) codes from \(lines[0]), data of \(lines[1])"
    }
}
