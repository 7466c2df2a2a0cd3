#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Dispatch
import KaitoriCore
import SitePages

/// Writes every case's customer pages into the build folder, on as many threads as the process may
/// use (each with its own store connection: SQLite's write-ahead log lets readers run side by
/// side, PostgreSQL gives each its own session). A full build of a shop with 10,000 open cases is
/// almost all this step, and one thread left the second core idle (docs/performance.md).
///
/// Cases are split into contiguous runs, one a thread; every run's pages are written before the
/// build goes on, and the first failure (in case order) fails the build as before, with nothing
/// published.
enum CasePageWriter {
    /// What the step records in the build's context.
    struct Written {
        var manifest: [(code: String, paths: [String])] = []
        var pages = 0
    }

    /// Below this many cases a second thread costs more than it saves.
    static let casesPerThread = 256

    /// - Parameters:
    ///   - store: the connection the codes came from, used by the first thread.
    ///   - requested: threads to use (tests); nil: one a usable core, at most 8, and one for every
    ///     `casesPerThread` cases.
    ///   - open: opens a connection for each further thread.
    static func write(codes: [String], store: CaseStore, threads requested: Int? = nil, open: () throws -> CaseStore,
                      renderer: SiteRenderer, output: OutputFolder, now: Int64) throws -> Written {
        let threads = max(1, min(requested ?? min(usableCores(), codes.count / casesPerThread, 8), codes.count))
        if threads == 1 { return try write(codes[...], store: store, renderer: renderer, output: output, now: now) }
        // The further threads' stores are opened here, on this thread, so that an unreachable
        // store fails the build before any page is written.
        var stores = [store]
        for _ in 1..<threads { stores.append(try open()) }
        let chunk = (codes.count + threads - 1) / threads
        let results = UnsafeMutableBufferPointer<Result<Written, Error>?>.allocate(capacity: threads)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            let run = codes[min(index * chunk, codes.count)..<min((index + 1) * chunk, codes.count)]
            results[index] = Result { try write(run, store: stores[index], renderer: renderer, output: output, now: now) }
        }
        var written = Written()
        for result in results {
            let part = try result!.get()
            written.manifest += part.manifest
            written.pages += part.pages
        }
        return written
    }

    private static func write(_ codes: ArraySlice<String>, store: CaseStore, renderer: SiteRenderer,
                              output: OutputFolder, now: Int64) throws -> Written {
        var written = Written()
        written.manifest.reserveCapacity(codes.count)
        for code in codes {
            let pages = try CasePages.pages(for: try store.load(code: code), store: store, renderer: renderer, now: now)
            for page in pages { try output.write(page.path, page.html) }
            written.manifest.append((code, pages.map(\.path)))
            written.pages += pages.count
        }
        return written
    }

    /// The cores this process may run on (`taskset`, a container's CPU set), not the machine's.
    static func usableCores() -> Int { Int(kaitori_usable_cpus()) }
}
