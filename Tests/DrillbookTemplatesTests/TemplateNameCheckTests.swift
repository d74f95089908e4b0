import Testing

@testable import DrillbookTemplates

/// The theme's names against the model types: a name no object around a tag can supply is an
/// error at the tag's line; a `nil` field, an empty list and a name of an enclosing object are not.
@Suite("Template name check")
struct TemplateNameCheckTests {
    struct Row: Encodable {
        var href: String
        var note: String?
    }

    struct Chrome: Encodable {
        var title: String
    }

    struct Page: Encodable {
        var chrome: Chrome
        var heading: String
        var summary: String?
        var rows: [Row]
        var hasRows: Bool
        var tags: [String]
    }

    static let page = Page(
        chrome: Chrome(title: "T"), heading: "H", summary: nil, rows: [Row(href: "a", note: nil)], hasRows: true, tags: [])

    static func check(_ templates: [String: String], _ value: some Encodable) throws -> TemplateNameError? {
        let compiled = try CompiledTemplates(sources: templates)
        let encoded = try TemplateValueEncoder().encode(value)
        do throws(TemplateNameError) {
            try compiled.checkNames(of: encoded, withTemplate: "page")
            return nil
        } catch {
            return error
        }
    }

    /// Negative control: every name is a field, though `summary` and `note` are nil and `tags` empty.
    @Test func aThemeWhoseNamesAreFieldsPasses() throws {
        let page = """
            <title>{{chrome.title}}</title>{{#chrome}}{{title}}{{/chrome}}
            {{heading}}{{#summary}}<p>{{.}}</p>{{/summary}}{{^summary}}none{{/summary}}
            {{#rows}}<a href="{{href}}">{{heading}}</a>{{#note}}{{.}}{{/note}}{{/rows}}{{^hasRows}}-{{/hasRows}}
            {{#tags}}{{.}}{{/tags}}
            """
        #expect(try Self.check(["page": page], Self.page) == nil)
    }

    @Test func aMisspeltNameIsAnErrorAtItsLine() throws {
        let error = try Self.check(["page": "<h1>{{heading}}</h1>\n<p>{{sumary}}</p>\n"], Self.page)
        #expect(error == TemplateNameError(template: "page", line: 2, problem: "{{sumary}} names no field of Page"))
        #expect(error?.description == "page.mustache:2: {{sumary}} names no field of Page")
    }

    /// Inside a section the types around the tag are listed, innermost first; a partial is named as
    /// the template the tag is written in.
    @Test func aMisspeltNameInARowPartialNamesThePartialAndTheTypesAround() throws {
        let error = try Self.check(["page": "{{#rows}}\n{{>row}}\n{{/rows}}\n", "row": "<a href=\"{{href}}\">\n{{hreff}}</a>\n"], Self.page)
        #expect(error?.description == "row.mustache:2: {{hreff}} names no field of Row or Page")
    }

    @Test func dottedNamesAndSectionsAreCheckedPartByPart() throws {
        #expect(
            try Self.check(["page": "{{chrome.titel}}"], Self.page)?.description
                == "page.mustache:1: {{chrome.titel}}: \"titel\" names no field of Chrome (the type of \"chrome\")")
        #expect(
            try Self.check(["page": "{{heading.size}}"], Self.page)?.description
                == "page.mustache:1: {{heading.size}}: \"heading\" is a text, a flag or a number, which has no fields")
        #expect(
            try Self.check(["page": "{{rows.href}}"], Self.page)?.description
                == "page.mustache:1: {{rows.href}}: \"rows\" is a list, which has no fields")
        #expect(
            try Self.check(["page": "\n{{^rowz}}none{{/rowz}}"], Self.page)?.description
                == "page.mustache:2: {{^rowz}} names no field of Page")
        #expect(
            try Self.check(["page": "{{#chrome}}{{#title}}{{titl}}{{/title}}{{/chrome}}"], Self.page)?.description
                == "page.mustache:1: {{titl}} names no field of Chrome or Page")
    }

    /// A section over a list of a type no value of which was encoded yet cannot be checked inside;
    /// once a value of it is encoded (on a later page), the check looks again and finds the name.
    struct Late: Encodable {
        var label: String
    }

    struct LatePage: Encodable {
        var items: [Late]
    }

    @Test func aSectionOverATypeNotYetSeenIsCheckedOnceItIs() throws {
        let compiled = try CompiledTemplates(sources: ["page": "{{#items}}{{lable}}{{/items}}"])
        let empty = try TemplateValueEncoder().encode(LatePage(items: []))
        #expect(compiled.nameCheck(of: empty, withTemplate: "page").problem == nil)
        #expect(compiled.nameCheck(of: empty, withTemplate: "page").complete == false)
        try compiled.checkNames(of: empty, withTemplate: "page")
        let full = try TemplateValueEncoder().encode(LatePage(items: [Late(label: "x")]))
        #expect(throws: TemplateNameError(template: "page", line: 1, problem: "{{lable}} names no field of Late or LatePage")) {
            try compiled.checkNames(of: full, withTemplate: "page")
        }
        // The verdict is remembered for the type: every later page of it fails the same way.
        #expect(throws: TemplateNameError(template: "page", line: 1, problem: "{{lable}} names no field of Late or LatePage")) {
            try compiled.checkNames(of: empty, withTemplate: "page")
        }
    }

    /// Values not made by the encoder (loose fields in tests) have no type to check against.
    @Test func looseFieldsAreNotChecked() throws {
        let compiled = try CompiledTemplates(sources: ["page": "{{anything}}"])
        try compiled.checkNames(of: .fields(["title": .string("x")]), withTemplate: "page")
        #expect(compiled.nameCheck(of: .fields([:]), withTemplate: "page").complete == false)
    }
}
