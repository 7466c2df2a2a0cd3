import ArgumentParser
import Foundation
import KaitoriCore
import Messaging

extension Kaitori {
    struct Outbox: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outbox",
            abstract: "List, send and retry the customer and shop messages waiting in the outbox.",
            discussion: """
            Messages are queued when their event happens and sent by `kaitori outbox send`; run it from cron \
            (e.g. every minute). Overlapping runs are safe: each message is sent by one run only.
            """,
            subcommands: [List.self, Show.self, Send.self, Retry.self])
    }
}

extension Kaitori.Outbox {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbox messages, newest first.")
        @OptionGroup var options: SiteOptions
        @Option(help: "Only messages in this state (\(OutboxMessage.State.allCases.map(\.rawValue).joined(separator: ", "))).")
        var state: String?
        @Option(help: "At most this many messages.") var limit: Int?
        @Flag(help: "One JSON document on stdout.") var json = false

        func validate() throws {
            if let state, OutboxMessage.State(rawValue: state) == nil { throw ValidationError("unknown state \(state)") }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            try refusing {
                let messages = try MessageOutbox(store: options.store())
                    .list(state: state.flatMap(OutboxMessage.State.init(rawValue:)), limit: limit)
                if json { try printJSON(messages.map(OutboxMessageJSON.init)); return }
                if messages.isEmpty { print("no messages"); return }
                for m in messages {
                    let when = m.sentAt.map { "sent " + Timestamp.display($0) }
                        ?? (m.state == .queued ? "next " + Timestamp.display(m.nextAttemptAt) : Timestamp.display(m.createdAt))
                    print("\(m.id)  \(m.state.rawValue)  \(m.caseCode ?? "-")  \(m.event)  \(m.channel) \(m.recipient)  \(when)  attempts \(m.attempts)")
                    if let error = m.lastError { print("    \(error)") }
                }
            }
        }
    }

    /// Where `email_method: file` and `sms_method: file` write messages.
    static func mailFolder(_ options: SiteOptions) -> String { options.siteDirectory + "/var/mail" }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one message: recipient, subject, text, delivery state, and the file it was written to (email_method: file).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The message id, as `kaitori outbox list` shows it.") var id: Int64
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let m = try options.store().outboxMessage(id: id)
                if json { try printJSON(OutboxMessageJSON(m)); return }
                print("message \(m.id)  \(m.state.rawValue)  case \(m.caseCode ?? "-")  \(m.event)  attempts \(m.attempts)")
                print("to: \(m.channel) \(m.recipient)")
                if !m.subject.isEmpty { print("subject: \(m.subject)") }
                print("queued: \(Timestamp.display(m.createdAt))" + (m.sentAt.map { ", sent: \(Timestamp.display($0))" } ?? ""))
                if let error = m.lastError { print("last error: \(error)") }
                let file = FileTransport.path(directory: Kaitori.Outbox.mailFolder(options), outboxID: m.id, channel: m.channel)
                if FileManager.default.fileExists(atPath: file) { print("file: \(file)") }
                print("")
                print(m.body.isEmpty ? "(no text: \(m.lastError ?? "the template did not render"))" : m.body)
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the messages that are due.",
            discussion: "Exit status 1 when a message was given up in this run (it is listed, and added to the feed) or delivery is misconfigured.")
        @OptionGroup var options: SiteOptions
        @Option(help: "Send at most this many messages.") var limit: Int = 100

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let channels = try DeliveryChannels(delivery: settings.delivery, environment: ProcessInfo.processInfo.environment, site: options.siteDirectory)
                let sender = OutboxSender(store: try options.store(), channels: channels, maxAttempts: settings.delivery.maxAttempts)
                let report = try sender.run(limit: limit)
                print("sent \(report.sent.count), retried \(report.retried.count), failed \(report.failed.count)")
                for f in report.retried {
                    print("  retry \(f.id)  \(f.event)  \(f.channel) \(f.recipient)  attempt \(f.attempt), next \(Timestamp.display(f.nextAttemptAt ?? 0)): \(f.error)")
                }
                for f in report.failed {
                    print("  failed \(f.id)  \(f.event)  \(f.channel) \(f.recipient)  after \(f.attempt) attempt(s): \(f.error)")
                }
                for (channel, count) in report.waiting.sorted(by: { $0.key < $1.key }) {
                    print("  \(count) \(channel) message(s) wait: \(channels.disabled[channel] ?? "no transport")")
                }
                if !report.failed.isEmpty {
                    throw CLIError("\(report.failed.count) message(s) given up; see `kaitori outbox list --state failed`")
                }
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue failed messages again (sent by the next `kaitori outbox send`).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Message ids, as `kaitori outbox list` shows them.") var ids: [Int64]

        func run() throws {
            try refusing {
                let outbox = MessageOutbox(store: try options.store())
                var refused = 0
                for id in ids {
                    do {
                        let message = try outbox.retry(id: id)
                        print("\(message.id): queued (\(message.event) to \(message.recipient))")
                    } catch let error as StoreError {
                        printError(error.description)
                        refused += 1
                    }
                }
                if refused > 0 { throw ExitCode(1) }
            }
        }
    }
}

/// `kaitori outbox list --json`: one object per message; keys are snake_case and stable, and a
/// missing value is `null` rather than an absent key.
struct OutboxMessageJSON: Encodable {
    let id: Int64
    let `case`: String?
    let event: String
    let channel: String
    let recipient: String
    let subject: String
    let body: String
    let state: String
    let attempts: Int
    let created_at: String
    let next_attempt_at: String?
    let sent_at: String?
    let last_error: String?

    init(_ m: OutboxMessage) {
        id = m.id; `case` = m.caseCode; event = m.event; channel = m.channel; recipient = m.recipient
        subject = m.subject; body = m.body; state = m.state.rawValue; attempts = m.attempts
        created_at = Timestamp.iso(m.createdAt)
        next_attempt_at = m.state == .queued ? Timestamp.iso(m.nextAttemptAt) : nil
        sent_at = m.sentAt.map(Timestamp.iso); last_error = m.lastError
    }

    enum CodingKeys: String, CodingKey {
        case id, `case`, event, channel, recipient, subject, body, state, attempts, created_at, next_attempt_at, sent_at, last_error
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(`case`, forKey: .case); try c.encode(event, forKey: .event)
        try c.encode(channel, forKey: .channel); try c.encode(recipient, forKey: .recipient)
        try c.encode(subject, forKey: .subject); try c.encode(body, forKey: .body); try c.encode(state, forKey: .state)
        try c.encode(attempts, forKey: .attempts); try c.encode(created_at, forKey: .created_at)
        try c.encode(next_attempt_at, forKey: .next_attempt_at); try c.encode(sent_at, forKey: .sent_at)
        try c.encode(last_error, forKey: .last_error)
    }
}
