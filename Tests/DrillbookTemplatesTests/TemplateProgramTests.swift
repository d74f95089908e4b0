import Foundation
import Testing

@testable import DrillbookTemplates

/// The flat programs `CompiledTemplates` renders, the slot objects they read and the byte
/// buffer they write: the cases the fixture pages do not reach on their own.
@Suite("Template programs")
struct TemplateProgramTests {
    @Test func textAfterASectionStaysOutsideItsBody() throws {
        let compiled = try CompiledTemplates(sources: [
            "page": "<a{{#current}} aria-current=\"page\"{{/current}}>{{label}}</a>{{^current}}!{{/current}}.",
        ])
        #expect(compiled.render(.fields(["label": .string("Runs")]), withTemplate: "page") == "<a>Runs</a>!.")
        #expect(
            compiled.render(.fields(["label": .string("Runs"), "current": .bool(true)]), withTemplate: "page")
                == "<a aria-current=\"page\">Runs</a>.")
    }

    @Test func anAbsentFieldIsLookedUpInTheEnclosingObjects() throws {
        let shape = TemplateShape(["title", "items"])
        let item = TemplateObject.make(shape) { slots in
            slots.append(nil)
            slots.append(nil)
        }
        let root = TemplateObject.make(shape) { slots in
            slots.append(.string("outer"))
            slots.append(.list([.object(item), .fields(["title": .string("inner")])]))
        }
        let compiled = try CompiledTemplates(sources: ["page": "{{#items}}[{{title}}]{{/items}}{{^items.title}}-{{/items.title}}"])
        #expect(compiled.render(.object(root), withTemplate: "page") == "[outer][inner]-")
    }

    @Test func partialsAndBlocksResolveOncePerTemplate() throws {
        let compiled = try CompiledTemplates(sources: [
            "layout": "<{{$title}}untitled{{/title}}>{{>nav}}</{{$title}}{{/title}}>",
            "nav": "[{{$title}}nav{{/title}}{{#links}}{{.}};{{/links}}]",
            "page": "{{<layout}}{{$title}}T{{name}}{{/title}}{{/layout}}",
        ])
        let value = TemplateValue.fields(["name": .string("&"), "links": .list([.string("a"), .other("2")])])
        #expect(compiled.render(value, withTemplate: "page") == "<T&amp;>[T&amp;a;2;]</T&amp;>")
        #expect(compiled.render(value, withTemplate: "layout") == "<untitled>[nava;2;]</>")
    }

    @Test func aPartialThatIncludesItselfIsRefusedAtItsTag() {
        #expect(throws: TemplateError(
            template: "tree", line: 2,
            problem: "{{>tree}} nests partials more than 32 deep (a partial that includes itself)")
        ) {
            try CompiledTemplates(sources: [
                "page": "{{>tree}}", "plain": "{{name}}", "tree": "{{name}}\n{{#children}}({{>tree}}){{/children}}",
            ])
        }
    }

    @Test func escapingWorksOnBytesAndKeepsOtherText() throws {
        let compiled = try CompiledTemplates(sources: ["page": "{{text}}|{{{text}}}|{{empty}}|{{flag}}"])
        let text = "<a href=\"x\">O'Neil & café ✓</a>"
        let value = TemplateValue.fields(["text": .string(text), "empty": .string(""), "flag": .bool(false)])
        #expect(
            compiled.render(value, withTemplate: "page")
                == "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; café ✓&lt;/a&gt;|\(text)||false")
    }

    @Test func theBufferGrowsPastItsFirstCapacity() throws {
        let compiled = try CompiledTemplates(sources: ["page": "{{#rows}}<li>{{.}}</li>\n{{/rows}}"])
        let rows = (0..<5_000).map { "row \($0) <\($0 % 7)>" }
        let html = compiled.render(.fields(["rows": .list(rows.map { .string($0) })]), withTemplate: "page")
        let expected = rows.map { "<li>" + $0.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;") + "</li>\n" }
        #expect(html == expected.joined())
        var buffer = RenderBuffer(capacity: 1)
        for _ in 0..<1_000 { buffer.append("0123456789") }
        #expect(buffer.count == 10_000)
    }

    @Test func anObjectReleasesItsFields() throws {
        weak var inner: TemplateObject?
        do {
            let made = TemplateObject.make([("name", .string("x"))])
            inner = made
            let outer = TemplateObject.make([("child", .object(made)), ("list", .list([.object(made)]))])
            #expect(outer.presentFields.count == 2)
        }
        #expect(inner == nil)
    }

    @Test func objectsCompareByTheirFieldsNotTheirShape() throws {
        let sparse = TemplateObject.make(TemplateShape(["b", "a", "c"])) { slots in
            slots.append(.bool(true))
            slots.append(.string("x"))
            slots.append(nil)
        }
        #expect(TemplateValue.object(sparse) == .fields(["a": .string("x"), "b": .bool(true)]))
        #expect(TemplateValue.object(sparse) != .fields(["a": .string("x")]))
        #expect(TemplateValue.object(sparse) != .fields(["a": .string("x"), "b": .bool(true), "c": .string("")]))
        #expect(TemplateNames.number(of: "a") == TemplateNames.number(of: "a"))
        #expect(TemplateNames.number(of: "a") != TemplateNames.number(of: "b"))
    }
}
