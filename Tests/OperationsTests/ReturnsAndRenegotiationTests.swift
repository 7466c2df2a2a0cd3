import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct ReturnTests {
    @Test(arguments: StoreBackend.all) func declinedItemsGoBackWithTheReturnedMessage(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let purchased = try shop.purchasedCase()
        let declined = purchased.items[1]
        let (record, returned) = try shop.store.markReturned(code: purchased.code, carrier: "ヤマト運輸", tracking: "4455-6677-8899",
                                                             by: Shop.staff, settings: shop.settings)
        #expect(returned.map(\.id) == [declined.id])
        let item = try #require(record.items.first { $0.id == declined.id })
        #expect(item.returnCarrier == "ヤマト運輸" && item.returnTracking == "445566778899" && item.returnedAt != nil)
        #expect(record.items[0].returnedAt == nil)
        let body = try #require(try shop.outbox(purchased, event: "returned").last)
        #expect(body.contains("配送業者：ヤマト運輸") && body.contains("お問い合わせ番号：445566778899"))
        #expect(try shop.store.list(CaseQuery(text: "445566778899")).map(\.code) == [purchased.code])
    }

    @Test(arguments: StoreBackend.all) func onlyItemsWaitingToGoBackCanBeChosen(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        #expect(throws: StoreError.refused(code: approved.code, reason: "item #\(approved.items[0].id) is being bought, not returned (only declined items, or all items of a canceled case, go back)")) {
            try shop.store.markReturned(code: approved.code, carrier: "佐川急便", tracking: "1", itemIDs: [approved.items[0].id], by: Shop.staff, settings: shop.settings)
        }
        #expect(throws: StoreError.refused(code: approved.code, reason: "no item #424242 in this case")) {
            try shop.store.markReturned(code: approved.code, carrier: "佐川急便", tracking: "1", itemIDs: [424242], by: Shop.staff, settings: shop.settings)
        }
        _ = try shop.store.markReturned(code: approved.code, carrier: "佐川急便", tracking: "1", itemIDs: [approved.items[1].id], by: Shop.staff, settings: shop.settings)
        #expect(throws: StoreError.refused(code: approved.code, reason: "item #\(approved.items[1].id) was already returned (佐川急便 1)")) {
            try shop.store.markReturned(code: approved.code, carrier: "佐川急便", tracking: "2", itemIDs: [approved.items[1].id], by: Shop.staff, settings: shop.settings)
        }
        #expect(throws: StoreError.refused(code: approved.code, reason: "no items waiting to be returned")) {
            try shop.store.markReturned(code: approved.code, carrier: "佐川急便", tracking: "2", by: Shop.staff, settings: shop.settings)
        }
    }

    @Test(arguments: StoreBackend.all) func everyItemOfACanceledCaseGoesBack(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let canceled = try shop.canceledCase()
        #expect(try shop.store.list(CaseQuery(needsActionOnly: true)).contains { $0.code == canceled.code && $0.needsAction == "return the declined items" })
        let (_, returned) = try shop.store.markReturned(code: canceled.code, carrier: "日本郵便", tracking: "EJ123456789JP", by: Shop.staff, settings: shop.settings)
        #expect(returned.count == 2)
        #expect(!(try shop.store.list(CaseQuery(needsActionOnly: true)).contains { $0.code == canceled.code }))
    }

    @Test(arguments: StoreBackend.all) func refusedBeforeTheCustomerFinishedAndWithoutCarrier(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let assessed = try shop.assessedCase()
        #expect(throws: StoreError.refused(code: assessed.code, reason: "nothing is returned while the case is assessed (査定完了); items go back once the customer declined them and approved, or the case is canceled")) {
            try shop.store.markReturned(code: assessed.code, carrier: "ヤマト運輸", tracking: "1", by: Shop.staff, settings: shop.settings)
        }
        #expect(throws: StoreError.refused(code: assessed.code, reason: "give the carrier of the return parcel")) {
            try shop.store.markReturned(code: assessed.code, carrier: " ", tracking: "1", by: Shop.staff, settings: shop.settings)
        }
        let soldAll = try shop.approvedCase(declineSecond: false)
        #expect(throws: StoreError.refused(code: soldAll.code, reason: "the customer sold every item; nothing to return")) {
            try shop.store.markReturned(code: soldAll.code, carrier: "ヤマト運輸", tracking: "1", by: Shop.staff, settings: shop.settings)
        }
    }
}

@Suite struct RenegotiationTests {
    @Test(arguments: StoreBackend.all) func canceledCaseCopiesEveryItemIntoANewArrivedCase(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let canceled = try shop.canceledCase()
        let child = try shop.store.renegotiate(code: canceled.code, by: Shop.staff)
        #expect(child.code != canceled.code && child.parentCode == canceled.code && child.status == .arrived)
        #expect(child.customer == canceled.customer && child.payout == canceled.payout)
        #expect(child.items.map(\.name) == canceled.items.map(\.name))
        #expect(child.items.map(\.unitPrice) == canceled.items.map(\.unitPrice))
        #expect(child.items.allSatisfy { !$0.declined && $0.returnedAt == nil })
        #expect(Set(child.items.map(\.id)).isDisjoint(with: canceled.items.map(\.id)))
        #expect(try shop.store.history(caseID: child.id).map(\.note) == ["renegotiation of \(canceled.code) (2 items)"])
        let parentLast = try #require(try shop.store.history(caseID: canceled.id).last)
        #expect(parentLast.from == .canceled && parentLast.to == .canceled && parentLast.note == "renegotiation case \(child.code) created (2 items)")
        // The items are still at the shop, now under the new case: nothing to return from the old one.
        #expect(!(try shop.store.list(CaseQuery(needsActionOnly: true)).contains { $0.code == canceled.code }))
        #expect(throws: StoreError.refused(code: canceled.code, reason: "its items moved to the renegotiation case \(child.code); return them from there")) {
            try shop.store.markReturned(code: canceled.code, carrier: "ヤマト運輸", tracking: "1", by: Shop.staff, settings: shop.settings)
        }
        // The new case is assessed like any other: the first change starts the assessment.
        let (edited, _) = try shop.store.editItem(code: child.code, itemID: child.items[0].id, ItemDraft([.unitPrice: "11000"]), by: Shop.staff)
        #expect(edited.status == .assessing)
    }

    @Test(arguments: StoreBackend.all) func approvedCaseCopiesOnlyTheDeclinedItems(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        let child = try shop.store.renegotiate(code: approved.code, by: Shop.staff)
        #expect(child.items.map(\.name) == ["Joy-Con (L)/(R)"])
        #expect(throws: StoreError.refused(code: approved.code, reason: "already renegotiated as \(child.code)")) {
            try shop.store.renegotiate(code: approved.code, by: Shop.staff)
        }
    }

    @Test(arguments: StoreBackend.all) func refusedWhereThereIsNothingToRenegotiate(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let assessing = try shop.assessingCase()
        #expect(throws: StoreError.refused(code: assessing.code, reason: "only a canceled case, or an approved case with declined items, can be renegotiated (it is assessing, 査定中)")) {
            try shop.store.renegotiate(code: assessing.code, by: Shop.staff)
        }
        let soldAll = try shop.approvedCase(declineSecond: false)
        #expect(throws: StoreError.refused(code: soldAll.code, reason: "the customer declined no item; nothing to renegotiate")) {
            try shop.store.renegotiate(code: soldAll.code, by: Shop.staff)
        }
        let canceledEarly = try shop.store.cancel(code: try shop.confirmedCase().code, by: Shop.staff, settings: shop.settings)
        #expect(throws: StoreError.refused(code: canceledEarly.code, reason: "it was canceled before any item was assessed; nothing to renegotiate")) {
            try shop.store.renegotiate(code: canceledEarly.code, by: Shop.staff)
        }
        let returned = try shop.canceledCase()
        _ = try shop.store.markReturned(code: returned.code, carrier: "ヤマト運輸", tracking: "1", by: Shop.staff, settings: shop.settings)
        #expect(throws: StoreError.refused(code: returned.code, reason: "every item was already returned to the customer")) {
            try shop.store.renegotiate(code: returned.code, by: Shop.staff)
        }
    }
}
