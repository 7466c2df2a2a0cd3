/// The transport of a channel the shop does not use: every message on it is given up at once
/// (with its `message_failed` feed entry), so staff learn which customer to contact another way
/// instead of the message waiting for a configuration that will not come.
public struct DisabledChannelTransport: MessageTransport {
    public var channel: String
    public var reason: String

    public init(channel: String, reason: String) { self.channel = channel; self.reason = reason }

    public func send(_ message: OutgoingMessage) throws {
        throw DeliveryError.channelDisabled(channel: channel, reason: reason)
    }
}
