@testable import KaitoriCore
import Testing

@Suite struct SchemaTests {
    /// `Schema.count` is written out so that opening an up-to-date store builds no SQL; were it
    /// behind the list, a store would count as migrated with the newest migrations never run.
    @Test func theWrittenCountIsTheNumberOfMigrations() {
        #expect(Schema.count == Schema.migrations.count)
        #expect(CaseStore.schemaVersion == Schema.migrations.count)
    }
}
