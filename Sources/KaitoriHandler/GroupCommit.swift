#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaitoriCore

/// Group commit for a persistent handler answering several posts at once (`kaitori-fcgi` with
/// threads): applications that arrive while another batch is being committed wait, and the next
/// one to commit stores all of them in one transaction (`CaseStore.createBatch`), so one
/// `fdatasync` acknowledges many posts instead of one each. Durability is the same as one
/// transaction per post: every post waits for the commit that holds its case before it answers
/// 303, and a failed commit fails every post of that batch with nothing stored.
///
/// There is no committing thread of its own: the first waiting thread that finds no commit in
/// progress leads, taking everything queued until then, on its own store connection
/// (leader/follower), while the others sleep on a condition variable. Under no load a batch is
/// one application and nothing waits.
public final class GroupCommit: @unchecked Sendable {
    private final class Job {
        let application: Application
        let settings: Settings
        let poster: Poster?
        var result: Result<Case, any Error>?
        init(_ application: Application, _ settings: Settings, _ poster: Poster?) {
            self.application = application
            self.settings = settings
            self.poster = poster
        }
    }

    private var mutex = pthread_mutex_t()
    private var done = pthread_cond_t()
    private var queued: [Job] = []
    private var committing = false
    /// The most applications one transaction takes (the rest wait for the next).
    let limit: Int
    /// Batches committed and applications stored by them, for the tests and the log.
    public private(set) var batches = 0
    public private(set) var stored = 0
    public private(set) var largestBatch = 0

    public init(limit: Int = 64) {
        self.limit = max(1, limit)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&done, nil)
    }

    deinit {
        pthread_cond_destroy(&done)
        pthread_mutex_destroy(&mutex)
    }

    /// Stores `application` as `CaseStore.create` would, in the next batch.
    /// - Parameter store: this thread's own store connection, used if this thread leads a batch.
    /// - Returns: the case, once the commit that holds it is durable.
    func create(_ application: Application, settings: Settings, poster: Poster?, store: CaseStore) throws -> Case {
        let job = Job(application, settings, poster)
        pthread_mutex_lock(&mutex)
        queued.append(job)
        while job.result == nil {
            if committing {
                pthread_cond_wait(&done, &mutex)
                continue
            }
            committing = true
            let batch = Array(queued.prefix(limit))
            queued.removeFirst(batch.count)
            pthread_mutex_unlock(&mutex)
            let results: [Result<Case, any Error>]
            do {
                results = try store.createBatch(batch.map { ($0.application, $0.settings, $0.poster) })
            } catch {
                results = Array(repeating: .failure(error), count: batch.count)
            }
            pthread_mutex_lock(&mutex)
            for (job, result) in zip(batch, results) { job.result = result }
            committing = false
            batches += 1
            stored += results.filter { if case .success = $0 { true } else { false } }.count
            largestBatch = max(largestBatch, batch.count)
            pthread_cond_broadcast(&done)
        }
        pthread_mutex_unlock(&mutex)
        return try job.result!.get()
    }
}
