import CLinux
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The queue writers wait in for SQLite's write lock: an exclusive `flock` on a file beside the
/// database (`kaitori.sqlite3-writer`), taken before `BEGIN IMMEDIATE` and released after the
/// commit or rollback.
///
/// Why: SQLite has no queue for its write lock. A process that finds it taken can only sleep and
/// try again (the busy handler), so under 32 concurrent posts every waiter polls, the holder
/// shares the two cores with 31 pollers, and who gets the lock next is chance: most posts waited a
/// few ms and the unlucky ones over a second. Waiters of a `flock` sleep in the kernel, which
/// hands the lock on in the order they asked for it (Linux chains conflicting waiters), waking one
/// waiter per release. SQLite's own locks and its durability (`synchronous=FULL`) are unchanged:
/// this only orders who tries `BEGIN IMMEDIATE` when.
///
/// The lock belongs to the open file description, so the kernel drops it when a process dies (a
/// killed handler leaves no stale lock), and two connections in one process queue against each
/// other like two processes. A wait is bounded (`limitSeconds`): a stuck writer must not hang
/// customers forever. The bound is a timer that sends SIGALRM to the waiting thread only; the
/// process-wide handler installed for it does nothing, so the signal only interrupts the wait.
final class WriteQueue {
    private let fd: Int32

    /// How long a writer waits in the queue before giving up (the post answers 503). 30 s: on the
    /// loaded 2-core test machine, 32 concurrent debug-build posts queued past 10 s (4 of 1,000
    /// answered 503 with 10 s); a customer waiting longer is better than an application refused.
    static let limitSeconds = 30

    /// Opens (creating if needed, owner-only) the queue file for the database at `databasePath`.
    /// Nil when it cannot be opened (a read-only folder): writers then rely on the busy handler alone.
    init?(databasePath: String) {
        let path = databasePath + "-writer"
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }  // flock needs no write access
        guard fd >= 0 else { return nil }
        self.fd = fd
        // Run as root (the CLI under sudo), hand the new file to the database's owner, as SQLite
        // does for its -wal and -shm files, so the handler's user can still open it.
        var database = stat()
        if geteuid() == 0, stat(databasePath, &database) == 0 {
            _ = fchown(fd, database.st_uid, database.st_gid)
        }
    }

    deinit { close(fd) }

    /// Waits for the lock, first come first served, for up to `limitSeconds`.
    /// - Returns: false when the wait timed out or failed (the caller treats the store as busy).
    func acquire() -> Bool {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        guard errno == EWOULDBLOCK else { return false }
        guard let timer = WaitTimer(seconds: WriteQueue.limitSeconds) else {
            // No timer (it should not happen): wait by trying again every 1–2 ms, still bounded,
            // rather than refuse a post because the lock was taken.
            let deadline = monotonicNanoseconds() + UInt64(WriteQueue.limitSeconds) * 1_000_000_000
            while monotonicNanoseconds() < deadline {
                pauseBeforeRetry()
                if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
            }
            return false
        }
        defer { timer.cancel() }
        while true {
            if flock(fd, LOCK_EX) == 0 { return true }
            guard errno == EINTR, !timer.expired else { return false }
        }
    }

    func release() {
        _ = flock(fd, LOCK_UN)
    }
}

/// A one-shot deadline that interrupts a blocking call on the calling thread: a POSIX timer
/// delivering SIGALRM to this thread (SIGEV_THREAD_ID) at the deadline and every 50 ms after it,
/// so a signal that arrives just before the call blocks is followed by another.
///
/// The timer is deleted by whether it was created, not by its id: glibc hands back the kernel's
/// timer id as the `timer_t` pointer, and the first timer of a process has id 0, which Swift
/// reads as nil. Testing the id for nil left that timer running: 30 s after a kaitori-fcgi
/// thread first waited in the queue it got SIGALRM every 50 ms for good, and a signal landing
/// in libfcgi's read of a new request's first records (which does not retry) dropped that
/// connection unanswered: the web server's 500 once in about 250,000 benchmark posts
/// (docs/performance.md, `FastCGITests.aThreadThatWaitedInTheWriteQueueKeepsNoTimer`).
private final class WaitTimer {
    private var timer: timer_t?
    private var armed = false
    private let deadline: UInt64

    init?(seconds: Int) {
        installAlarmHandler
        deadline = monotonicNanoseconds() + UInt64(seconds) * 1_000_000_000
        var event = sigevent()
        event.sigev_notify = Int32(SIGEV_THREAD_ID)
        event.sigev_signo = SIGALRM
        guard let tid = currentThreadID() else { return nil }
        event._sigev_un._tid = tid
        var created: timer_t?
        guard timer_create(CLOCK_MONOTONIC, &event, &created) == 0 else { return nil }
        timer = created
        armed = true
        var spec = itimerspec(it_interval: timespec(tv_sec: 0, tv_nsec: 50_000_000),
                              it_value: timespec(tv_sec: seconds, tv_nsec: 0))
        timer_settime(created, 0, &spec, nil)
        // The signal must reach this thread even if it was blocked here.
        var alarm = sigset_t()
        sigemptyset(&alarm)
        sigaddset(&alarm, SIGALRM)
        pthread_sigmask(SIG_UNBLOCK, &alarm, nil)
    }

    var expired: Bool { monotonicNanoseconds() >= deadline }

    func cancel() {
        guard armed else { return }
        timer_delete(timer)  // nil is id 0, a timer like any other
        armed = false
    }

    deinit { cancel() }
}

/// Installs, once per process, a SIGALRM handler that does nothing and does not restart calls, so
/// the timer's signal only ends a blocking wait with EINTR. A handler someone else installed is
/// kept (it interrupts the wait just the same, unless installed with SA_RESTART).
private let installAlarmHandler: Void = {
    var current = sigaction()
    sigaction(SIGALRM, nil, &current)
    let raw = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
    guard raw == 0 || raw == 1 else { return }  // SIG_DFL or SIG_IGN
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGALRM, &action, nil)
}()

/// The kernel's id of the calling thread. (`CLinux`, not a `dlsym` lookup: in the fully static
/// `kaitori-cgi` that shops deploy, `dlsym` finds nothing, the timer could not be made, and every
/// post that found the queue taken answered 503 at once. bench/run.sh's throughput run caught it.)
private func currentThreadID() -> pid_t? {
    let tid = kaitori_gettid()
    return tid > 0 ? tid : nil
}

private func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Backs SQLite's shared-memory WAL index (`kaitori.sqlite3-shm`) with disk blocks before a
/// transaction writes anything.
///
/// SQLite memory-maps the index and, when it grows the file, writes one byte at the end of each
/// 4 KB page so the file system allocates it. On a file system with blocks smaller than a page
/// (ext4 makes 1 KB blocks on small volumes) that backs only the page's last block; the first
/// store into the rest of the page through the mapping makes the kernel allocate a block then,
/// and on a full disk that is a SIGBUS that kills the process, possibly right after its commit
/// and before its answer. Allocating the whole index up front (`fallocate`, which fills the holes
/// of the file as it is) turns a full disk into an error before the transaction writes anything:
/// the post answers 503 and nothing is stored.
final class IndexReservation {
    private let path: String
    /// SQLite maps the index in regions of 32 KB.
    private static let region = 32 * 1024

    init(databasePath: String) {
        path = databasePath + "-shm"
        IndexFiles.shared.retain(path)
    }

    /// Call after `BEGIN IMMEDIATE` (SQLite has opened and mapped the index by then).
    /// - Throws: `StoreError.unavailable` when the disk has no room for the index.
    func reserve() throws {
        guard let fd = IndexFiles.shared.descriptor(path) else { return }  // not in WAL mode: nothing to back
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        let length = max(Int(info.st_size), 1).roundedUp(to: Self.region)
        // The system call itself, not posix_fallocate: where the file system has no fallocate,
        // glibc's fallback writes zero bytes into the index other processes are using.
        // Without it (EOPNOTSUPP) SQLite's own page-by-page allocation stays.
        if kaitori_fallocate(fd, 0, off_t(0), off_t(length)) != 0, errno == ENOSPC || errno == EDQUOT {
            throw StoreError.unavailable("\(path): no space left on the device for the WAL index")
        }
    }

    /// Call after the connection closed.
    func close() { IndexFiles.shared.release(path) }
}

/// The process's descriptors of WAL index files, one per file, closed only when no connection of
/// the process uses that database any more: closing any descriptor of a file drops every POSIX
/// lock the process holds on it, and SQLite's locks on the index are POSIX locks that all the
/// process's connections to the database share.
private final class IndexFiles: @unchecked Sendable {
    static let shared = IndexFiles()
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var files: [String: (fd: Int32, users: Int)] = [:]

    private init() { pthread_mutex_init(mutex, nil) }

    func retain(_ path: String) {
        locked { files[path, default: (-1, 0)].users += 1 }
    }

    /// The open descriptor of the index file, opened on first use (nil while it does not exist).
    func descriptor(_ path: String) -> Int32? {
        locked {
            guard var entry = files[path] else { return nil }
            if entry.fd < 0 {
                entry.fd = open(path, O_RDWR | O_CLOEXEC)
                files[path] = entry
            }
            return entry.fd >= 0 ? entry.fd : nil
        }
    }

    func release(_ path: String) {
        locked {
            guard var entry = files[path] else { return }
            entry.users -= 1
            if entry.users > 0 {
                files[path] = entry
            } else {
                if entry.fd >= 0 { Glibc.close(entry.fd) }
                files[path] = nil
            }
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}

private extension Int {
    func roundedUp(to multiple: Int) -> Int { (self + multiple - 1) / multiple * multiple }
}
