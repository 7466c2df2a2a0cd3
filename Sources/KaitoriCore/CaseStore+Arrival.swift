/// Bulk arrival (domain.md, "Arrival"): staff search the confirmed cases by what the parcel's slip
/// shows (name, phone, tracking number), choose the ones that arrived, and run. Unchosen matches
/// keep their status but still receive the memo.
extension CaseStore {
    public struct ArrivalOutcome: Equatable, Sendable {
        /// Cases moved to arrived (their customers are notified).
        public var arrived: [Case]
        /// Cases that matched the search but were not chosen: status unchanged, memo added if given.
        public var memoOnly: [Case]
    }

    /// Confirmed cases matching `text` (code, name, kana, phone, email or tracking number), oldest
    /// first. Their 1-based positions are the numbers `--pick` refers to; oldest first keeps the
    /// numbers of earlier matches when a newer case starts matching.
    public func arrivalCandidates(matching text: String) throws -> [Case] {
        let query = TextNormalizer.trim(text)
        guard !query.isEmpty else { throw StoreError.invalid("arrival search: give a name, phone or tracking number to search for") }
        return try list(CaseQuery(status: .confirmed, text: query)).reversed().map { try load(code: $0.code) }
    }

    /// Marks parcels arrived in one transaction: if any chosen case cannot arrive, nothing changes.
    ///
    /// - Parameters:
    ///   - search: when given, its matches (see `arrivalCandidates`) are the cases in play; `picks`
    ///     (1-based numbers in that list) and `codes` choose among them, and `memo` goes to every match.
    ///     Without a search, `codes` are the cases and the memo goes to them.
    ///   - memo: a case memo; empty for none.
    ///   - memos: a memo per case (by code) among the cases in play, chosen or not; empty ones are skipped.
    public func arriveInBulk(search: String?, picks: [Int], codes: [String], memo: String, memos: [String: String] = [:],
                             by staff: Actor, settings: Settings) throws -> ArrivalOutcome {
        let note = TextNormalizer.trim(memo)
        var perCase: [String: String] = [:]
        for (code, text) in memos where !TextNormalizer.trim(text).isEmpty {
            perCase[Identifiers.normalizeCode(code)] = TextNormalizer.trim(text)
        }
        return try db.transaction {
            var chosen: [Case] = []
            var others: [Case] = []
            if let search {
                let candidates = try arrivalCandidates(matching: search)
                guard !candidates.isEmpty else { throw StoreError.invalid("no confirmed case matches \"\(search)\"") }
                var picked = Set<String>()
                for n in picks {
                    guard candidates.indices.contains(n - 1) else {
                        throw StoreError.invalid("pick \(n): \(candidates.count) confirmed case\(candidates.count == 1 ? "" : "s") match \"\(search)\" (numbers 1–\(candidates.count))")
                    }
                    picked.insert(candidates[n - 1].code)
                }
                for raw in codes {
                    let code = Identifiers.normalizeCode(raw)
                    guard candidates.contains(where: { $0.code == code }) else {
                        throw StoreError.refused(code: code, reason: "not among the confirmed cases matching \"\(search)\"")
                    }
                    picked.insert(code)
                }
                chosen = candidates.filter { picked.contains($0.code) }
                others = candidates.filter { !picked.contains($0.code) }
            } else {
                var seen = Set<String>()
                for raw in codes where seen.insert(Identifiers.normalizeCode(raw)).inserted { chosen.append(try load(code: raw)) }
            }
            for code in perCase.keys.sorted() where !(chosen + others).contains(where: { $0.code == code }) {
                throw StoreError.refused(code: code, reason: "a memo for a case that is not among the cases in play")
            }
            guard !chosen.isEmpty || !note.isEmpty || !perCase.isEmpty else {
                throw StoreError.invalid("nothing to do: choose cases (by number or code) or give a memo")
            }
            for index in chosen.indices {
                try markArrived(&chosen[index], by: staff, settings: settings, note: search == nil ? "" : "bulk arrival")
            }
            for record in chosen + others {
                if !note.isEmpty { try insertMemo(caseID: record.id, by: staff, text: note) }
                if let own = perCase[record.code] { try insertMemo(caseID: record.id, by: staff, text: own) }
            }
            return ArrivalOutcome(arrived: chosen, memoOnly: others)
        }
    }

    func insertMemo(caseID: Int64, by staff: Actor, text: String) throws {
        try db.query("INSERT INTO memos (case_id, at, author, text) VALUES (?,?,?,?)",
                     [.int(caseID), .int(clock.now()), .text(staff.name ?? staff.description), .text(text)])
    }
}
