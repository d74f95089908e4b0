import Foundation
import Mustache
import Testing

@testable import DrillbookTemplates

/// View models reach templates through their synthesized `Encodable`: what each kind of field
/// becomes, the shared shape per type, and the same bytes as swift-mustache reflecting the model.
@Suite("Template value encoder")
struct TemplateValueEncoderTests {
    struct Link: Encodable {
        var href: String
        var label: String
    }

    struct Sample: Encodable {
        var title: String
        var empty: String
        var count: Int
        var ratio: Double
        var yes: Bool
        var no: Bool
        var missing: String?
        var missingLink: Link?
        var link: Link
        var links: [Link]
        var none: [Link]
        var tags: [String]
        var maybe: [String?]
        var optionalList: [String]?
    }

    static let sample = Sample(
        title: "Runs & <results>", empty: "", count: 3, ratio: 0.5, yes: true, no: false, missing: nil, missingLink: nil,
        link: Link(href: "a.html", label: "A"), links: [Link(href: "b.html", label: "B"), Link(href: "c.html", label: "C")],
        none: [], tags: ["x", "y"], maybe: ["m", nil], optionalList: nil)

    @Test func eachKindOfFieldBecomesWhatTemplatesSee() throws {
        let value = try TemplateValueEncoder().encode(Self.sample)
        let link = TemplateValue.fields(["href": .string("a.html"), "label": .string("A")])
        #expect(
            value
                == .fields([
                    "title": .string("Runs & <results>"), "empty": .string(""), "count": .other("3"), "ratio": .other("0.5"),
                    "yes": .bool(true), "no": .bool(false), "link": link,
                    "links": .list([
                        .fields(["href": .string("b.html"), "label": .string("B")]),
                        .fields(["href": .string("c.html"), "label": .string("C")]),
                    ]),
                    "none": .list([]), "tags": .list([.string("x"), .string("y")]), "maybe": .list([.string("m"), .other("nil")]),
                ]))
    }

    /// A `nil` optional keeps its key, absent: every object of a type has the type's whole shape,
    /// shared, in declaration order.
    /// The encoding keeps containers for reuse that refer to it: it must still go away when done,
    /// with the values it made (a page's encoding lives for the page, not the build).
    @Test func anEncodingAndItsValuesAreFreedWhenDone() throws {
        weak var encoding: TemplateEncoding?
        weak var object: TemplateObject?
        try {
            let made = TemplateEncoding()
            encoding = made
            let links = [Link(href: "/a", label: "A"), Link(href: "/b", label: "B")]
            guard case .list(let values) = try made.box(links), case .object(let first) = values.first else {
                Issue.record("not a list of objects")
                return
            }
            object = first
            made.close()
        }()
        #expect(encoding == nil)
        #expect(object == nil)
    }

    /// Encodings are reused from one value to the next (with their containers): a value made by
    /// one still goes away once its page lets go of it, and the next value is encoded from scratch.
    @Test func aReusedEncodingKeepsNoValueOfTheLastOne() throws {
        weak var object: TemplateObject?
        try {
            guard case .object(let made) = try TemplateValueEncoder().encode(Self.sample) else {
                Issue.record("not an object")
                return
            }
            object = made
        }()
        #expect(object == nil)
        var other = Self.sample
        other.title = "Other"
        other.links = []
        let second = try TemplateValueEncoder().encode(other)
        guard case .object(let fields) = second else {
            Issue.record("not an object")
            return
        }
        #expect(fields.presentFields["title"] == .string("Other"))
        #expect(fields.presentFields["links"] == .list([]))
    }

    /// A value nested in a type of its own at every depth: more keyed containers than the
    /// encoding searches in order, so they are found in its table, page after page.
    struct Wrap<Inner: Encodable>: Encodable {
        var name: String
        var inner: Inner
    }

    @Test func manyKindsOfContainerAreEachFoundAgain() throws {
        let deep = Wrap(name: "1", inner: Wrap(name: "2", inner: Wrap(name: "3", inner: Wrap(name: "4", inner: Wrap(
            name: "5", inner: Wrap(name: "6", inner: Wrap(name: "7", inner: Wrap(name: "8", inner: Wrap(
                name: "9", inner: Wrap(name: "10", inner: Wrap(name: "11", inner: Link(href: "/deep", label: "D"))))))))))))
        var expected = TemplateValue.fields(["href": .string("/deep"), "label": .string("D")])
        for level in (1...11).reversed() { expected = .fields(["name": .string("\(level)"), "inner": expected]) }
        for _ in 0..<3 {
            #expect(try TemplateValueEncoder().encode(deep) == expected)
            #expect(try TemplateValueEncoder().encode([deep, deep]) == .list([expected, expected]))
        }
    }

    /// A refused value does not leave its refusal (or its open frames) to the next value encoded.
    @Test func aRefusalDoesNotReachTheNextValue() throws {
        #expect(throws: EncodingError.self) { try TemplateValueEncoder().encode(Nested()) }
        #expect(try TemplateValueEncoder().encode(Link(href: "/a", label: "A")) == .fields(["href": .string("/a"), "label": .string("A")]))
        #expect(throws: EncodingError.self) { try TemplateValueEncoder().encode([Nested()]) }
        #expect(try TemplateValueEncoder().encode([Link(href: "/b", label: "B")]) == .list([.fields(["href": .string("/b"), "label": .string("B")])]))
    }

    @Test func objectsOfOneTypeShareOneShapeWithEveryField() throws {
        let first = try TemplateValueEncoder().encode(Self.sample)
        var other = Self.sample
        other.missing = "here"
        other.optionalList = []
        let second = try TemplateValueEncoder().encode(other)
        guard case .object(let a) = first, case .object(let b) = second else {
            Issue.record("not objects")
            return
        }
        #expect(a.shape === b.shape)
        #expect(
            a.shape.names == [
                "title", "empty", "count", "ratio", "yes", "no", "missing", "missingLink", "link", "links", "none", "tags",
                "maybe", "optionalList",
            ])
        #expect(a.presentFields["missing"] == nil)
        #expect(b.presentFields["missing"] == .string("here"))
        #expect(b.presentFields["optionalList"] == .list([]))
        guard case .list(let links) = a.presentFields["links"], case .object(let row) = links.first,
            case .object(let single) = a.presentFields["link"]
        else {
            Issue.record("no rows")
            return
        }
        #expect(row.shape === single.shape)
    }

    /// Sections, inverted sections and variables over every kind of field print what swift-mustache
    /// prints when it reflects the same struct.
    @Test func rendersAsSwiftMustacheReflectingTheModel() throws {
        let page = """
            {{title}}|{{empty}}|{{count}}|{{ratio}}|{{yes}}|{{no}}|{{missing}}|{{link.label}}
            {{#title}}t{{/title}}{{#empty}}e{{/empty}}{{#count}}c{{/count}}{{#ratio}}r{{/ratio}}{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#missing}}m{{/missing}}{{#missingLink}}ml{{/missingLink}}{{#optionalList}}o{{/optionalList}}
            {{^title}}t{{/title}}{{^empty}}e{{/empty}}{{^count}}c{{/count}}{{^yes}}Y{{/yes}}{{^no}}N{{/no}}{{^missing}}m{{/missing}}{{^missingLink}}ml{{/missingLink}}{{^none}}none{{/none}}{{^links}}L{{/links}}{{^optionalList}}o{{/optionalList}}
            {{#links}}<a href="{{href}}">{{label}}</a>{{title}};{{/links}}{{#none}}x{{/none}}{{#tags}}[{{.}}]{{/tags}}{{#maybe}}({{.}}){{/maybe}}{{#link}}{{label}}{{/link}}

            """
        var other = Self.sample
        other.missing = "here"
        other.optionalList = ["p"]
        other.count = 0
        for sample in [Self.sample, other] {
            let ours = try CompiledTemplates(sources: ["page": page]).render(try TemplateValueEncoder().encode(sample), withTemplate: "page")
            var library = MustacheLibrary()
            library.register(try MustacheTemplate(string: page), named: "page")
            #expect(ours == library.render(sample, withTemplate: "page"))
        }
    }

    /// A hand-written `encode(to:)` that gives different keys from one value to the next: each
    /// object gets the fields it was given.
    struct Changing: Encodable {
        enum Keys: String, CodingKey { case a, b, c }
        var withB: Bool

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("A", forKey: .a)
            if withB { try container.encode("B", forKey: .b) }
            try container.encode("C", forKey: .c)
        }
    }

    @Test func aTypeWhoseKeysChangeStillGivesEachObjectItsFields() throws {
        let encoder = TemplateValueEncoder()
        #expect(try encoder.encode(Changing(withB: true)) == .fields(["a": .string("A"), "b": .string("B"), "c": .string("C")]))
        #expect(try encoder.encode(Changing(withB: false)) == .fields(["a": .string("A"), "c": .string("C")]))
        #expect(try encoder.encode(Changing(withB: true)) == .fields(["a": .string("A"), "b": .string("B"), "c": .string("C")]))
        #expect(try encoder.encode([Changing(withB: false), Changing(withB: true)]) == .list([
            .fields(["a": .string("A"), "c": .string("C")]), .fields(["a": .string("A"), "b": .string("B"), "c": .string("C")]),
        ]))
    }

    /// Values that encode through a single-value container (an enum with a raw value) are that value.
    enum Tone: String, Encodable { case passed, failed }
    struct Toned: Encodable {
        var tone: Tone
        var tones: [Tone]
    }

    @Test func singleValuesAreTheirEncodedValue() throws {
        #expect(
            try TemplateValueEncoder().encode(Toned(tone: .failed, tones: [.passed]))
                == .fields(["tone": .string("failed"), "tones": .list([.string("passed")])]))
        #expect(try TemplateValueEncoder().encode("text") == .string("text"))
        #expect(try TemplateValueEncoder().encode(7) == .other("7"))
    }

    /// Nested containers have no place in a flat view model: refused with an error, not a crash.
    struct Nested: Encodable {
        enum Keys: String, CodingKey { case outer, inner }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            try nested.encode("x", forKey: .inner)
        }
    }

    @Test func aNestedContainerIsRefused() throws {
        do {
            _ = try TemplateValueEncoder().encode(Nested())
            Issue.record("encoded")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(
                context.debugDescription
                    == "a nested keyed container (for \"outer\"); template values take one keyed, unkeyed or single-value container per value")
        }
    }
}
