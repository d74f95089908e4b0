import DrillbookContent
@testable import DrillbookSite
import Testing

/// The site names pages by `PageSlug`, the rule `check` applies: its views must be the site's.
@Suite struct PageSlugAgreementTests {
    @Test func theActionViewsCheckReservesAreTheSitesViews() {
        #expect(PageSlug.actionViews == ActionView.allCases.map(\.rawValue))
    }

    @Test func anIdCheckWouldRefuseStopsTheSiteWithTheSameSentence() throws {
        for (id, kind) in [("!!!", PageSlug.Kind.run), ("index", .incident), ("done-2", .actionItem), ("redis-runs-2", .drill)] {
            let expected = try #require(PageSlug.problem(id: id, kind: kind))
            #expect(throws: SiteBuildError.self) { _ = try SiteIndex.slugs([id], kind: kind) }
            do {
                _ = try SiteIndex.slugs([id], kind: kind)
            } catch {
                #expect(error.message == expected)
            }
        }
    }
}
