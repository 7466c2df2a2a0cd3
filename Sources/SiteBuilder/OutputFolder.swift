#if canImport(Glibc)
import Glibc
#endif
import SitePages

/// The folder a build writes into: a sibling of `public/` (`.public.build-XXXXXX`), swapped in
/// whole at the end, so the web server serves the old site or the new one and never a mix. A build
/// that fails or is killed leaves `public/` as it was; its folder is removed by the next build.
final class OutputFolder {
    /// `public/` itself, or where it points when it is a symbolic link (the link must survive).
    let target: String
    let path: String
    private var finished = false
    /// Whether the build folder has become `public/`.
    private(set) var published = false
    private var previous: String?

    private init(target: String, path: String) {
        self.target = target; self.path = path
    }

    /// Removes earlier builds' leftovers and creates a fresh, empty folder. Call with the build
    /// lock held: another build's folder is only a leftover once that build has ended.
    static func prepare(site: String) throws -> OutputFolder {
        let publicPath = SitePaths.join(site, SitePaths.publicFolder)
        var target = publicPath
        if let resolved = realpath(publicPath, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        let slash = target.lastIndex(of: "/")!
        let parent = String(target[..<slash])
        let prefix = "." + target[target.index(after: slash)...] + ".build-"
        for name in try FileSystem.entries(parent.isEmpty ? "/" : parent) where name.hasPrefix(prefix) {
            try FileSystem.removeTree(parent + "/" + name)
        }
        var template = Array((parent + "/" + prefix + "XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SiteError(file: SitePaths.publicFolder + "/", message: "cannot create a build folder next to it in \(parent): \(FileSystem.reason())")
        }
        let path = String(cString: made)
        // mkdtemp makes the folder private (0700); the web server must be able to read the site.
        chmod(path, 0o755)
        return OutputFolder(target: target, path: path)
    }

    /// Writes a file at a path relative to the site root (`faq/index.html`), creating folders.
    func write(_ relative: String, _ text: String) throws {
        let full = path + "/" + relative
        if let slash = full.lastIndex(of: "/") { try FileSystem.makeDirectories(String(full[..<slash])) }
        try FileSystem.writeFile(text, to: full)
    }

    /// Makes the build folder the published `public/`. The previous tree stays next to it until
    /// `removePrevious()`, so everything that must follow the swap is done before the slow delete.
    func publish() throws {
        // A placeholder that keeps an empty public/ in version control (the sample's .gitkeep) stays.
        if FileSystem.exists(target + "/.gitkeep"), !FileSystem.exists(path + "/.gitkeep") {
            try FileSystem.writeFile("", to: path + "/.gitkeep")
        }
        if FileSystem.exists(target) {
            if try OutputFolder.exchange(path, target) {
                // After the exchange our folder's name holds the previous site.
                previous = path
            } else {
                // No atomic exchange (old kernel or a file system without it): two renames, the
                // second right after the first, so `public/` is missing for an instant only.
                let old = path + "-old"
                guard rename(target, old) == 0 else { throw publishError() }
                guard rename(path, target) == 0 else {
                    let error = publishError()
                    rename(old, target)
                    throw error
                }
                previous = old
            }
        } else {
            guard rename(path, target) == 0 else { throw publishError() }
        }
        finished = true
        published = true
    }

    /// Deletes the site `publish()` replaced. Its name starts like a build folder's, so if this
    /// fails the next build removes it.
    func removePrevious() throws {
        guard let previous else { return }
        try FileSystem.removeTree(previous)
        self.previous = nil
    }

    /// Removes the folder of a build that did not publish.
    func discard() {
        guard !finished else { return }
        try? FileSystem.removeTree(path)
        finished = true
    }

    private func publishError() -> SiteError {
        SiteError(file: SitePaths.publicFolder + "/", message: "cannot replace it with the new build: \(FileSystem.reason())")
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// renameat2(…, RENAME_EXCHANGE): both names swap in one step. Glibc's Swift module does not
    /// export renameat2, so it is looked up at run time.
    /// - Returns: false when the system cannot exchange (caller falls back to two renames).
    private static func exchange(_ a: String, _ b: String) throws -> Bool {
        let renameExchange: UInt32 = 1 << 1
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        if renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return true }
        if errno == EINVAL || errno == ENOSYS || errno == ENOTSUP { return false }
        throw SiteError(file: SitePaths.publicFolder + "/", message: "cannot swap in the new build: \(FileSystem.reason())")
    }
}
