import DrillbookAnalysis
import DrillbookModel
import Testing

@Suite struct ActionItemLedgerTests {
    typealias F = Fixtures

    var history: DrillHistory {
        DrillHistory(
            drills: [F.redis],
            runs: [
                F.run(
                    "r1", drill: F.redis.id, start: "2026-01-05T10:00:00Z",
                    actions: [
                        ActionItem(id: "A1", title: "Fix alert", owner: "al", status: .open, priority: .immediate),
                        ActionItem(id: "A2", title: "Runbook", owner: "al", dueDate: F.day("2026-01-31"), status: .open, priority: .shortTerm),
                        ActionItem(id: "A3", title: "Re-architect", owner: "al", status: .open, priority: .longTerm),
                    ])
            ],
            incidents: [
                Incident(
                    id: "INC-1", severity: .p2, type: "t", description: "d", declaredAt: F.time("2026-02-03T09:00:00+05:30"),
                    actionItems: [ActionItem(id: "B1", title: "Patch", owner: "cy", status: .done, priority: .immediate, closedOn: F.day("2026-02-05"))])
            ],
            actionUpdates: [
                ActionUpdate(actionId: "A1", on: F.day("2026-01-20"), status: .done),
                ActionUpdate(actionId: "A1", on: F.day("2026-01-08"), status: .inProgress, owner: "bo"),
                ActionUpdate(actionId: "A3", on: F.day("2026-02-10"), status: .cancelled),
                ActionUpdate(actionId: "A3", on: F.day("2026-02-15"), status: .open, dueDate: F.day("2026-02-20")),
                ActionUpdate(actionId: "A2", on: F.day("2026-03-05"), status: .done),
            ])
    }

    @Test func updatesApplyInDateOrderUpToAsOf() throws {
        let ledger = ActionItemLedger(history: history, asOf: F.day("2026-03-01"))
        #expect(ledger.items.map(\.id) == ["A1", "A2", "A3", "B1"])
        let a1 = try #require(ledger.item(id: "A1"))
        #expect(a1.status == .done)
        #expect(a1.owner == "bo")
        #expect(a1.closedOn == F.day("2026-01-20"))
        #expect(a1.dueDate == F.day("2026-01-12"))
        #expect(a1.dueDateIsDerived)
        #expect(a1.history.map(\.on) == [F.day("2026-01-08"), F.day("2026-01-20")])
        #expect(a1.ageDays == 15)
        #expect(a1.source == ActionItemSource(kind: .run, id: "r1", day: F.day("2026-01-05")))
        let a2 = try #require(ledger.item(id: "A2"))
        #expect(a2.status == .open)
        #expect(a2.history.isEmpty)
        #expect(a2.isOverdue)
        #expect(a2.daysOverdue == 29)
        #expect(a2.ageDays == 55)
        let a3 = try #require(ledger.item(id: "A3"))
        #expect(a3.status == .open)
        #expect(a3.closedOn == nil)
        #expect(a3.dueDate == F.day("2026-02-20"))
        #expect(!a3.dueDateIsDerived)
        #expect(a3.daysOverdue == 9)
        let b1 = try #require(ledger.item(id: "B1"))
        #expect(b1.source.kind == .incident)
        #expect(b1.source.day == F.day("2026-02-03"))
        #expect(b1.closedOn == F.day("2026-02-05"))
        #expect(ledger.overdue.map(\.id) == ["A2", "A3"])
        #expect(ledger.open.count == 2)
        #expect(ledger.done.map(\.id) == ["A1", "B1"])
    }

    @Test func burnDownAndGroups() {
        let ledger = ActionItemLedger(history: history, asOf: F.day("2026-03-01"))
        #expect(ledger.months.map(\.id) == ["2026-01", "2026-02", "2026-03"])
        #expect(ledger.months.map(\.opened) == [3, 1, 0])
        #expect(ledger.months.map(\.closed) == [1, 1, 0])
        #expect(ledger.months.map(\.openAtEnd) == [2, 2, 2])
        // Jan 31: A2 is due that day (not yet past), A3 is due Feb 20; Feb 28 and Mar 1: both past due.
        #expect(ledger.months.map(\.overdueAtEnd) == [0, 2, 2])
        #expect(ledger.byOwner.map(\.id) == ["al", "bo", "cy"])
        #expect(ledger.byOwner[0].overdue == 2)
        #expect(ledger.byPriority.map(\.total) == [2, 1, 1])
        #expect(ledger.bySource.map(\.total) == [3, 1])
        #expect(ledger.items(fromSource: "INC-1").map(\.id) == ["B1"])
    }

    @Test func laterUpdateCountsWhenAsOfMoves() throws {
        let ledger = ActionItemLedger(history: history, asOf: F.day("2026-03-10"))
        let a2 = try #require(ledger.item(id: "A2"))
        #expect(a2.status == .done)
        #expect(a2.closedOn == F.day("2026-03-05"))
        #expect(ledger.months.last?.closed == 1)
    }

    @Test func derivedDueDatesAcrossALeapDay() {
        func due(_ priority: ActionPriority, from start: String) -> CalendarDay {
            let source = ActionItemSource(kind: .run, id: "r", day: F.day(start))
            let item = ActionItem(id: "X", title: "t", owner: "o", status: .open, priority: priority)
            return TrackedActionItem(item: item, source: source, updates: [], asOf: F.day("2028-03-01")).dueDate
        }
        #expect(due(.immediate, from: "2028-02-22") == F.day("2028-02-29"))
        #expect(due(.shortTerm, from: "2028-02-01") == F.day("2028-02-29"))
        #expect(due(.longTerm, from: "2027-11-29") == F.day("2028-02-29"))
        #expect(due(.longTerm, from: "2027-11-30") == F.day("2028-02-29"))
        let source = ActionItemSource(kind: .run, id: "r", day: F.day("2028-02-22"))
        let item = ActionItem(id: "X", title: "t", owner: "o", status: .open, priority: .immediate)
        let onDueDay = TrackedActionItem(item: item, source: source, updates: [], asOf: F.day("2028-02-29"))
        #expect(!onDueDay.isOverdue)
        let dayAfter = TrackedActionItem(item: item, source: source, updates: [], asOf: F.day("2028-03-01"))
        #expect(dayAfter.isOverdue)
        #expect(dayAfter.daysOverdue == 1)
    }

    @Test func emptyLedger() {
        let ledger = ActionItemLedger(history: DrillHistory(), asOf: F.day("2026-01-01"))
        #expect(ledger.items.isEmpty)
        #expect(ledger.months.isEmpty)
        #expect(ledger.byOwner.isEmpty)
        #expect(ledger.byPriority.map(\.total) == [0, 0, 0])
    }
}

@Suite struct ActionItemLedgerScaleTests {
    typealias F = Fixtures

    /// 2,000 runs with 3 items each and updates for most: the grouped, linear ledger must agree
    /// with the definition of every figure (computed here the slow way).
    @Test func largeLedgerAgreesWithTheDefinitions() throws {
        var runs: [DrillRun] = []
        var updates: [ActionUpdate] = []
        let start = F.day("2024-01-01")
        let statuses: [ActionStatus] = [.inProgress, .blocked, .done, .cancelled, .open]
        for index in 0..<2_000 {
            let day = start.adding(days: index / 3)
            let items = (0..<3).map { k in
                ActionItem(
                    id: "A\(index)-\(k)", title: "t", owner: "owner\((index + k) % 7)",
                    dueDate: k == 0 ? day.adding(days: 20) : nil, status: k == 2 && index % 5 == 0 ? .done : .open,
                    priority: ActionPriority.allCases[(index + k) % 3], closedOn: k == 2 && index % 5 == 0 ? day : nil)
            }
            runs.append(F.run("r\(index)", drill: F.redis.id, start: day.iso8601 + "T10:00:00Z", actions: items))
            for k in 0..<3 where (index + k) % 4 != 0 {
                updates.append(ActionUpdate(actionId: "A\(index)-\(k)", on: day.adding(days: 5 + k), status: statuses[(index + k) % 5]))
                if (index + k) % 3 == 0 {
                    updates.append(ActionUpdate(actionId: "A\(index)-\(k)", on: day.adding(days: 40), status: .open, owner: "late"))
                }
            }
        }
        let asOf = F.day("2025-12-31")
        let ledger = ActionItemLedger(history: DrillHistory(drills: [F.redis], runs: runs, actionUpdates: updates), asOf: asOf)
        #expect(ledger.items.count == 6_000)
        let items = ledger.items
        for month in ledger.months {
            let first = F.day(month.id + "-01")
            let end = min(first.adding(months: 1).adding(days: -1), asOf)
            #expect(month.opened == items.filter { $0.openedOn.monthKey == month.id }.count)
            #expect(month.closed == items.filter { $0.closedOn?.monthKey == month.id }.count)
            #expect(month.openAtEnd == items.filter { $0.isOpen(on: end) }.count, "\(month.id)")
        }
        for group in ledger.byOwner {
            #expect(group.total == items.filter { $0.owner == group.id }.count)
        }
        let sample = try #require(ledger.item(id: "A1234-1"))
        #expect(sample.history == updates.filter { $0.actionId == "A1234-1" && $0.on <= asOf }.sorted { $0.on < $1.on })
        #expect(ledger.items(fromSource: "r1234").map(\.id) == ["A1234-0", "A1234-1", "A1234-2"])
    }
}
