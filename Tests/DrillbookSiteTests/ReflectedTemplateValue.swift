import DrillbookTemplates

extension TemplateValue {
    /// A page model's value as the site builder makes it (`TemplateValueEncoder`).
    static func encoding(_ model: any Sendable) throws -> TemplateValue {
        guard let encodable = model as? any Encodable else { throw NotEncodable(type: "\(type(of: model))") }
        return try TemplateValueEncoder().encode(encodable)
    }

    struct NotEncodable: Error {
        var type: String
    }

    /// `value` as swift-mustache's reflection sees it (a `nil` optional absent, structs objects,
    /// arrays lists): the tests' second opinion on `TemplateValueEncoder`, which renders pages.
    /// Objects compare by their present fields, so the two agree whatever their shapes.
    static func make(_ value: Any) -> TemplateValue? {
        switch value {
        case let string as String: return .string(string)
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .other(String(int))
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else { return nil }
            return make(wrapped.value)
        case .struct, .class:
            var fields: [(String, TemplateValue)] = []
            var seen: Set<String> = []
            for child in mirror.children {
                guard let label = child.label, !seen.contains(label), let made = make(child.value) else { continue }
                seen.insert(label)
                fields.append((label, made))
            }
            return .object(.make(fields))
        case .collection, .set:
            return .list(mirror.children.map { make($0.value) ?? .other("nil") })
        default:
            return .other(String(describing: value))
        }
    }
}
