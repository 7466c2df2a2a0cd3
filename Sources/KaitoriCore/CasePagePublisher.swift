/// Whoever keeps a case's customer pages (review, ID, status) in step with the store. The store
/// calls it after every committed transaction that changed a case, once per changed case, so no
/// caller (the handler, the CLI, the console) can change a case and forget its pages.
///
/// It is called after the commit: the change is already safe, so a publisher never throws. It
/// reports its own failures (a warning on the terminal, a line in the web server's log), and the
/// next `kaitori build` repairs the pages.
public protocol CasePagePublisher: AnyObject {
    func publish(codes: [String], store: CaseStore)
}
