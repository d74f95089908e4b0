import Foundation
import Mustache
import Testing

@testable import DrillbookTemplates

/// swift-mustache is the oracle: every construct `CompiledTemplates` supports, in small templates,
/// must give the bytes swift-mustache gives for the same data.
@Suite("Compiled templates against swift-mustache")
struct MustacheOracleTests {
    /// One template (`page`, with the partials and parents it uses), rendered with `data`.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var templates: [String: String]
        var data: [String: Sample]
        var testDescription: String { name }

        init(_ name: String, _ templates: [String: String], _ data: [String: Sample] = Self.sample) {
            self.name = name
            self.templates = templates
            self.data = data
        }

        static let sample: [String: Sample] = [
            "title": .text("Runs & <results> \"quoted\" 'single' é ✓"),
            "html": .text("<em>raw</em> & co"),
            "empty": .text(""),
            "count": .number(3),
            "yes": .flag(true),
            "no": .flag(false),
            "none": .list([]),
            "items": .list([
                .object(["name": .text("one <1>"), "last": .flag(false), "tags": .list([.text("a"), .text("b")])]),
                .object(["name": .text("two & 2"), "last": .flag(true), "tags": .list([])]),
            ]),
            "owner": .object(["name": .text("Ana O'Neil"), "team": .object(["name": .text("SRE"), "size": .number(4)])]),
        ]
    }

    /// Data both renderers can take: `value` for ours, `oracle` for swift-mustache.
    indirect enum Sample: Sendable {
        case text(String)
        case number(Int)
        case flag(Bool)
        case list([Sample])
        case object([String: Sample])

        var value: TemplateValue {
            switch self {
            case .text(let text): .string(text)
            case .number(let number): .other(String(number))
            case .flag(let flag): .bool(flag)
            case .list(let items): .list(items.map(\.value))
            case .object(let fields): .fields(fields.mapValues(\.value))
            }
        }

        var oracle: Any {
            switch self {
            case .text(let text): text
            case .number(let number): number
            case .flag(let flag): flag
            case .list(let items): items.map(\.oracle)
            case .object(let fields): fields.mapValues(\.oracle)
            }
        }
    }

    static let corpus: [Case] = [
        Case("variables", ["page": "<h1>{{title}}</h1>|{{ title }}|{{count}}|{{yes}}|{{no}}|{{missing}}|{{empty}}.\n"]),
        Case("escaping of & < > \" '", ["page": "{{title}}\n{{html}}\n"]),
        Case("triple mustache", ["page": "{{{html}}}|{{{ title }}}\n"]),
        Case("ampersand", ["page": "{{&html}}|{{& title}}\n"]),
        Case("dotted names", ["page": "{{owner.name}} / {{owner.team.name}} ({{owner.team.size}}) {{owner.missing.name}}{{missing.name}}\n"]),
        Case("implicit iterator", ["page": "{{#items}}{{#tags}}[{{.}}]{{/tags}}{{/items}}{{#title}}<{{.}}>{{/title}}\n"]),
        Case("sections over lists, objects, booleans and text", [
            "page": "{{#items}}<li>{{name}}</li>{{/items}}|{{#owner}}{{name}}{{/owner}}|{{#yes}}Y{{/yes}}{{#no}}N{{/no}}|{{#title}}t{{/title}}|{{#empty}}e{{/empty}}|{{#none}}x{{/none}}|{{#missing}}m{{/missing}}\n",
        ]),
        Case("inverted sections", [
            "page": "{{^items}}no items{{/items}}|{{^none}}none{{/none}}|{{^no}}not no{{/no}}|{{^yes}}not yes{{/yes}}|{{^missing}}missing{{/missing}}|{{^empty}}empty{{/empty}}\n",
        ]),
        Case("nested contexts climb the stack", [
            "page": "{{#items}}{{name}} of {{title}} by {{owner.name}}{{#owner}}/{{name}}{{#team}}:{{name}}:{{title}}{{/team}}{{/owner}}{{^last}}, {{/last}}{{/items}}\n",
        ]),
        Case("dotted sections", ["page": "{{#owner.team}}{{name}}={{size}}{{/owner.team}}{{^owner.missing}}-{{/owner.missing}}\n"]),
        Case("standalone lines", [
            "page": "<ul>\n{{#items}}\n  <li>{{name}}</li>\n{{/items}}\n{{^items}}\nnothing\n{{/items}}\n{{! a standalone comment }}\n</ul>\n{{#yes}}\t \nyes\n{{/yes}}  \nend",
        ]),
        Case("tags that are not standalone", ["page": "a {{#yes}}\nb\n{{/yes}} c\n{{! inline }} d\n x{{#no}}{{/no}}\n"]),
        Case("comments", ["page": "a{{! a comment }}b{{!\nmultiline\n}}c\n{{! standalone }}\nd\n"]),
        Case("partials", [
            "page": "<main>\n{{>row}}\n{{#items}}\n{{>row}}\n{{/items}}\n</main>{{>inline}}\n",
            "row": "<p>{{name}}{{^name}}{{title}}{{/name}}</p>\n", "inline": "[{{count}}]",
        ]),
        Case("inheritance: blocks and parents", [
            "page": "{{<layout}}\n{{$title}}{{title}}{{/title}}\n{{$body}}\n{{#items}}\n- {{name}}\n{{/items}}\n{{/body}}\n{{/layout}}\n",
            "layout": "<html>\n<title>{{$title}}untitled{{/title}}</title>\n<body>\n{{$body}}\nempty\n{{/body}}\n{{>foot}}\n</body>\n</html>\n",
            "foot": "<footer>{{$note}}default note{{/note}} {{count}}</footer>\n",
        ]),
        Case("a parent without overrides keeps its defaults", [
            "page": "{{<layout}}{{/layout}}", "layout": "<{{$title}}untitled{{/title}}>{{$body}}body{{/body}}\n",
        ]),
        Case("overrides reach the partials of the parent", [
            "page": "{{<layout}}{{$note}}from page {{title}}{{/note}}{{/layout}}",
            "layout": "<main>{{>foot}}</main>\n", "foot": "<footer>{{$note}}default note{{/note}}</footer>",
        ]),
        Case("text inside a parent outside blocks is dropped", [
            "page": "{{<layout}}\nignored text\n{{$body}}kept{{/body}}\nmore ignored\n{{/layout}}\nafter\n",
            "layout": "[{{$body}}{{/body}}]\n",
        ]),
        Case("unicode and empty lines", ["page": "\n\nπ ≈ {{title}}\n\n{{#items}}\n\n{{/items}}\n"]),
        Case("the end of the text without a newline", ["page": "{{#items}}\n{{name}}\n{{/items}}"]),
    ]

    @Test(arguments: corpus) func rendersWhatSwiftMustacheRenders(_ sample: Case) throws {
        let ours = try CompiledTemplates(sources: sample.templates)
        var library = MustacheLibrary()
        for (name, text) in sample.templates { library.register(try MustacheTemplate(string: text), named: name) }
        let data = Sample.object(sample.data)
        let expected = try #require(library.render(data.oracle, withTemplate: "page"))
        #expect(ours.render(data.value, withTemplate: "page") == expected)
    }

    /// The comparison can fail: a template whose output differs is caught.
    @Test func aDifferenceIsSeen() throws {
        var library = MustacheLibrary()
        library.register(try MustacheTemplate(string: "{{title}}"), named: "page")
        let ours = try CompiledTemplates(sources: ["page": "{{{title}}}"])
        let data = Sample.object(Case.sample)
        #expect(ours.render(data.value, withTemplate: "page") != library.render(data.oracle, withTemplate: "page"))
    }
}
