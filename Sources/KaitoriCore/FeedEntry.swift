/// One entry of the shop's feed: something a customer did (applied, answered, uploaded an ID,
/// approved, canceled) or a message that could not be sent.
public struct FeedEntry: Equatable, Sendable {
    public var id: Int64
    public var kind: String
    public var at: Int64
    public var detail: String
    /// The case's code; nil when the case is gone.
    public var code: String?
    /// Whether an earlier `kaitori feed` already showed it.
    public var seen: Bool

    /// How staff screens name the kind; an unknown kind shows as itself.
    public var kindLabel: String {
        switch kind {
        case "application": "新規申込"
        case "decision": "査定回答"
        case "approval": "承認・署名"
        case "cancellation": "キャンセル"
        case "id_upload": "本人確認書類"
        case "message_failed": "送信失敗"
        case "link_reissued": "リンク再発行"
        case "refused": "受付拒否"
        default: kind
        }
    }
}
