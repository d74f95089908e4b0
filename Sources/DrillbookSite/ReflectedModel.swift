import Mustache

/// A view model read once through reflection and handed to swift-mustache as a dictionary.
///
/// Pages whose template `CompiledTemplate` covers (every page of the default theme but the action
/// exports) do not come here; this is the path for templates that need swift-mustache.
///
/// swift-mustache looks every `{{name}}` up with a fresh `Mirror` of the object and a linear scan
/// of its children, once per lookup and once per level of the context stack it climbs; on a run
/// page that dominated the build. Boxing the model first reflects each struct once and turns every
/// later lookup into a dictionary access. This works for any view model, so pages added later
/// need nothing: the box behaves as the struct did —
/// - a `nil` optional is absent, so the lookup climbs the context stack as before;
/// - structs and classes become boxes; arrays become sequences that box each element as it is
///   rendered, so sections, inverted sections and `{{#first}}`-style sequence context work
///   unchanged;
/// - strings, numbers, booleans, enums and anything swift-mustache treats specially (lambdas,
///   templates, custom renderables) pass through as they are.
struct ReflectedModel: MustacheParent {
    let fields: [String: Any]

    func child(named name: String) -> Any? { fields[name] }

    /// `value` with every struct inside it boxed.
    static func box(_ value: Any) -> Any? {
        if value is String || value is Bool || value is Int || value is Double { return value }
        if value is MustacheLambda || value is MustacheTemplate || value is any MustacheCustomRenderable
            || value is any MustacheParent
        {
            return value
        }
        // Sequences other than arrays (sets, reversed collections) keep swift-mustache's own handling.
        if value is any MustacheSequence, !(value is [Any]) { return value }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else { return nil }
            return box(wrapped.value)
        case .struct, .class:
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, fields[label] == nil, let boxed = box(child.value) else { continue }
                fields[label] = boxed
            }
            return ReflectedModel(fields: fields)
        case .collection:
            // Elements are boxed one at a time as the section renders them, so a page listing
            // every lesson never holds a boxed copy of the whole list.
            guard let array = value as? [Any] else { return value }
            return BoxedSequence(elements: array)
        default:
            return value
        }
    }
}

/// An array whose elements are boxed (`ReflectedModel.box`) only when a section iterates it.
struct BoxedSequence: MustacheSequence {
    let elements: [Any]

    struct Iterator: IteratorProtocol {
        var base: IndexingIterator<[Any]>

        mutating func next() -> Any? {
            guard let element = base.next() else { return nil }
            return ReflectedModel.box(element) as Any
        }
    }

    func makeIterator() -> Iterator { Iterator(base: elements.makeIterator()) }
}
