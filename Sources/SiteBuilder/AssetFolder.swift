import SitePages

/// `site-templates/assets/`, copied to `public/assets/` as is.
enum AssetFolder {
    /// A short hash of every asset's path and bytes: page links carry it (`site.css?v=…`), so a
    /// browser holding yesterday's CSS fetches today's as soon as it changes.
    static func version(site: String) throws -> String {
        let root = SitePaths.join(site, SitePaths.assetsFolder)
        guard FileSystem.isDirectory(root) else { return "" }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        func walk(_ folder: String, _ prefix: String) throws {
            for name in try FileSystem.entries(folder) where !name.hasPrefix(".") {
                let path = folder + "/" + name
                if FileSystem.isDirectory(path) {
                    try walk(path, prefix + name + "/")
                } else {
                    mix((prefix + name).utf8)
                    mix(try FileSystem.readBytes(path))
                }
            }
        }
        try walk(root, "")
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(10))
    }

    /// Copies the assets into `destination`; returns how many files.
    static func copy(site: String, to destination: String) throws -> Int {
        let root = SitePaths.join(site, SitePaths.assetsFolder)
        guard FileSystem.isDirectory(root) else { return 0 }
        return try FileSystem.copyTree(root, to: destination)
    }
}
