import CGI
import Testing

@Suite struct FormFieldsTests {
    @Test func literalKeepsOrderAndRepeats() {
        let fields: FormFields = ["b": "1", "a": "2", "b": "3"]
        #expect(fields.fields == [
            FormField(name: "b", value: "1"), FormField(name: "a", value: "2"), FormField(name: "b", value: "3"),
        ])
        #expect(fields.names == ["b", "a"])
        #expect(fields["b"] == "1")
        #expect(fields.all("b") == ["1", "3"])
        #expect(fields.all("c") == [])
    }

    @Test func appendCountsBytes() {
        var fields = FormFields()
        fields.append(name: "名前", value: "abc")
        #expect(fields.byteCount == 9)
        #expect(fields.count == 1)
        #expect(fields == FormFields([FormField(name: "名前", value: "abc")]))
    }
}
