/// Japan Post's postal-code data (utf_ken_all.csv, the UTF-8 edition of KEN_ALL) turned into small
/// static shards the application form's script reads from the shop's own server: one JSON file
/// per first three digits, `{"p":[prefectures],"c":{"3300063":[[0,"さいたま市浦和区","高砂"]]}}`.
///
/// Written by hand: the file's quirks are few and documented by Japan Post (a town name longer
/// than 38 characters continues on the next rows; notes in full-width parentheses; placeholder
/// towns such as 以下に掲載がない場合).
public enum PostalData {
    /// One place a postal code stands for.
    public struct Place: Equatable, Sendable {
        public var prefecture: String
        public var city: String
        public var town: String
        public init(prefecture: String, city: String, town: String) {
            self.prefecture = prefecture; self.city = city; self.town = town
        }
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) { self.line = line; self.message = message }
        public var description: String { "line \(line): \(message)" }
    }

    /// Every code with its places, in file order, duplicates removed.
    /// - Throws: `ParseError` naming the line of a row that is not a KEN_ALL row, or `CSV.ParseError`.
    public static func parse(_ bytes: [UInt8]) throws -> [(code: String, places: [Place])] {
        let rows: [[String]]
        do { rows = try CSV.parse(bytes) } catch { throw ParseError(line: error.row, message: error.message) }
        var order: [String] = []
        var places: [String: [Place]] = [:]
        var pending: (code: String, place: Place)?

        func add(_ code: String, _ place: Place) {
            var p = place
            p.town = cleanTown(p.town)
            if places[code] == nil { order.append(code); places[code] = [] }
            if !places[code]!.contains(p) { places[code]!.append(p) }
        }

        for (index, row) in rows.enumerated() {
            if row.count == 1, row[0].isEmpty { continue }
            guard row.count >= 9 else {
                throw ParseError(line: index + 1, message: "\(row.count) columns; a utf_ken_all.csv row has 15")
            }
            let code = row[2]
            guard code.count == 7, code.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
                throw ParseError(line: index + 1, message: "column 3 \"\(code)\" is not a 7-digit postal code")
            }
            let place = Place(prefecture: row[6], city: row[7], town: row[8])
            // A town cut across rows: the first part opens a parenthesis the row does not close.
            if var open = pending {
                if open.code == code {
                    open.place.town += place.town
                    if closes(open.place.town) { add(open.code, open.place); pending = nil } else { pending = open }
                    continue
                }
                add(open.code, open.place)
                pending = nil
            }
            if !closes(place.town) { pending = (code, place); continue }
            add(code, place)
        }
        if let open = pending { add(open.code, open.place) }
        return order.map { ($0, places[$0]!) }
    }

    private static func closes(_ town: String) -> Bool {
        town.filter { $0 == "（" }.count <= town.filter { $0 == "）" }.count
    }

    /// The town as an address field takes it: notes in parentheses and placeholders removed.
    static func cleanTown(_ town: String) -> String {
        var out = ""
        var depth = 0
        for c in town {
            if c == "（" { depth += 1; continue }
            if c == "）" { depth = max(0, depth - 1); continue }
            if depth == 0 { out.append(c) }
        }
        if out == "以下に掲載がない場合" || out.hasSuffix("の次に番地がくる場合") { return "" }
        if out.hasSuffix("一円"), out.count > 2 { return "" }
        return out
    }

    /// The shards: file name (`330.json`) → JSON text.
    public static func shards(_ codes: [(code: String, places: [Place])]) -> [(name: String, json: String)] {
        var groups: [String: [(code: String, places: [Place])]] = [:]
        var names: [String] = []
        for entry in codes {
            let key = String(entry.code.prefix(3))
            if groups[key] == nil { names.append(key) }
            groups[key, default: []].append(entry)
        }
        return names.sorted().map { key in
            var prefs: [String] = []
            var body: [String] = []
            for entry in groups[key]! {
                let list = entry.places.map { place -> String in
                    if !prefs.contains(place.prefecture) { prefs.append(place.prefecture) }
                    let p = prefs.firstIndex(of: place.prefecture)!
                    return "[\(p),\(quote(place.city)),\(quote(place.town))]"
                }
                body.append("\"\(entry.code)\":[\(list.joined(separator: ","))]")
            }
            let p = prefs.map(quote).joined(separator: ",")
            return (key + ".json", "{\"p\":[\(p)],\"c\":{\(body.joined(separator: ","))}}\n")
        }
    }

    /// A JSON string literal (the shards hold only names, but any text is escaped correctly).
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
