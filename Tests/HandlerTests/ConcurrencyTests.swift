import Foundation
import KaitoriCore
import Testing

@Suite struct ConcurrencyTests {
    /// Web servers start a handler per request, so many may write at once.
    @Test func twentyFourSimultaneousApplicationsAreTwentyFourCases() async throws {
        let shop = try TestShop()
        let responses = try await withThrowingTaskGroup(of: CGIRun.self) { group in
            for index in 0..<24 {
                group.addTask {
                    try shop.post("/apply", .application(["name": "同時 太郎\(index)"]))
                }
            }
            var all: [CGIRun] = []
            for try await response in group { all.append(response) }
            return all
        }
        #expect(responses.allSatisfy { $0.status == 303 }, "\(responses.filter { $0.status != 303 }.map(\.log))")
        let codes = Set(responses.compactMap(appliedCode))
        #expect(codes.count == 24)
        let stored = try shop.store().db.query("SELECT code FROM cases").map { $0.string("code") }
        #expect(Set(stored) == codes)
        #expect(try shop.count("customers") == 24 && shop.count("history") == 24)
    }
}
