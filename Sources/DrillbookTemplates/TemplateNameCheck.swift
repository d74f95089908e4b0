import Synchronization

/// A variable or section whose name no object around it can supply, for the model types a page
/// renders: a misspelt or renamed field, found when the theme first renders a page of that type.
///
/// A `nil` optional is not such a name: the encoder keeps every field of a type in its shape,
/// with or without a value.
public struct TemplateNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template the tag is written in (`run`, or a partial such as `badge`).
    public var template: String
    /// The tag's line, from 1.
    public var line: Int
    /// `{{drilTitle}} names no field of RunRow or RunPage`.
    public var problem: String

    /// An error about `problem` on `line` of `template`.
    public init(template: String, line: Int, problem: String) {
        self.template = template
        self.line = line
        self.problem = problem
    }

    /// `run.mustache:12: {{drilTitle}} names no field of RunRow or RunPage`.
    public var description: String { "\(template).mustache:\(line): " + problem }
}

/// What the name check found for a program and one model type.
enum NameCheck: Sendable {
    case passed
    case failed(TemplateNameError)
    /// Sections over types no value of which was encoded yet (an empty list, a `nil` object)
    /// were skipped; checked again once the encoder has learnt more types than `generation`.
    case partial(generation: Int)
}

extension CompiledTemplates {
    /// Checks that every `{{name}}`, `{{#name}}` and `{{^name}}` of the template `name` (with its
    /// partials and parent) names a field of an object around it when it renders `value`: the
    /// page's model type and, inside sections, the types of the fields they open.
    ///
    /// The check reads types, not values: a field that is `nil` or an empty list on this page
    /// still counts, and a section's body is checked with the type of its field's elements. It
    /// runs once per template and model type (again while some section's type is still unknown,
    /// as no value of it has been encoded anywhere yet), so the pages after the first cost a
    /// lookup. A value not made by `TemplateValueEncoder` (`TemplateValue.fields`) is not checked.
    public func checkNames(of value: TemplateValue, withTemplate name: String) throws(TemplateNameError) {
        guard let program = programs[name], case .object(let object) = value, object.shape.model != nil else { return }
        let key = ObjectIdentifier(object.shape)
        let verdict = program.nameChecks.withLock { checks -> NameCheck in
            switch checks[key] {
            case .passed?: return .passed
            case .failed(let error)?: return .failed(error)
            case .partial(let generation)? where generation == TemplateValueEncoder.generation: return .partial(generation: generation)
            case .partial?, nil:
                let generation = TemplateValueEncoder.generation
                let found = program.checkNames(root: object.shape)
                let verdict: NameCheck =
                    if let problem = found.problem { .failed(problem) } else if found.complete { .passed } else { .partial(generation: generation) }
                checks[key] = verdict
                return verdict
            }
        }
        if case .failed(let error) = verdict { throw error }
    }

    /// The check of `checkNames(of:withTemplate:)`, done now and not remembered: the first
    /// problem, and whether every section's body could be checked (a theme test over all its pages).
    public func nameCheck(of value: TemplateValue, withTemplate name: String) -> (problem: TemplateNameError?, complete: Bool) {
        guard let program = programs[name], case .object(let object) = value, object.shape.model != nil else {
            return (nil, false)
        }
        return program.checkNames(root: object.shape)
    }
}

extension TemplateProgram {
    /// Walks the operations over the types of the objects they would meet, from `root` (a shape
    /// the encoder made): the first name no object around it has, and whether nothing was skipped.
    func checkNames(root: TemplateShape) -> (problem: TemplateNameError?, complete: Bool) {
        var walk = NameWalk(program: self, types: TemplateValueEncoder.registry.withLock { $0.types })
        var stack = [root]
        let problem = walk.walk(0..<operations.count, stack: &stack)
        return (problem, walk.complete)
    }
}

/// One walk of a program over shapes: `stack` holds the shapes of the enclosing objects (innermost
/// last), as `ProgramRun.frames` holds the objects.
private struct NameWalk {
    let program: TemplateProgram
    let types: [ObjectIdentifier: TemplateValueEncoder.TypeInfo]
    var complete = true

    /// What a path names.
    enum Resolution {
        case found(FieldType)
        /// Not decidable (an object made without a type, a type not encoded yet).
        case unknown
        case problem(TemplateNameError)
    }

    mutating func walk(_ range: Range<Int>, stack: inout [TemplateShape]) -> TemplateNameError? {
        var index = range.lowerBound
        while index < range.upperBound {
            let operation = program.operations[index]
            switch operation.kind {
            case .text:
                index += 1
            case .escapedVariable, .rawVariable:
                if case .problem(let problem) = resolve(index, stack: stack) { return problem }
                index += 1
            case .section:
                let body = index + 1..<operation.end
                switch resolve(index, stack: stack) {
                case .problem(let problem): return problem
                case .unknown: complete = false
                case .found(let type):
                    switch context(of: type) {
                    case .none: complete = false
                    case .some(nil):
                        if let problem = walk(body, stack: &stack) { return problem }
                    case .some(let shape?):
                        stack.append(shape)
                        defer { stack.removeLast() }
                        if let problem = walk(body, stack: &stack) { return problem }
                    }
                }
                index = operation.end
            case .invertedSection:
                // Shown for false, absent or an empty list: in the same context.
                if case .problem(let problem) = resolve(index, stack: stack) { return problem }
                if let problem = walk(index + 1..<operation.end, stack: &stack) { return problem }
                index = operation.end
            }
        }
        return nil
    }

    /// The object a section over a field of `type` pushes for its body: `.some(nil)` for none
    /// (a flag, a text, a list of texts), nil when the type is not known yet.
    func context(of type: FieldType) -> TemplateShape?? {
        switch type {
        case .scalar: return .some(nil)
        case .list(let element):
            if case .list = element { return .some(nil) }
            return context(of: element)
        case .model(let id):
            switch types[id] {
            case .object(let shape)?: return shape
            case .scalar?: return .some(nil)
            case .list?, .irregular?, nil: return nil
            }
        case .unknown: return nil
        }
    }

    /// What the path of the operation at `index` names, looked up as `ProgramRun.lookup` does: the
    /// first name in the innermost object that has the field, the rest in each other.
    func resolve(_ index: Int, stack: [TemplateShape]) -> Resolution {
        let operation = program.operations[index]
        guard operation.length > 0 else { return .found(.scalar) }
        let names = program.names[operation.start..<operation.start + operation.length]
        let spelled = program.sources[index]?.path ?? []
        guard let holder = stack.last(where: { $0.slot(of: names.first!) != nil }) else {
            if stack.isEmpty || stack.contains(where: { $0.model == nil }) { return .unknown }
            return .problem(error(index, "\(tag(index)) names no field of \(typeList(stack.reversed()))"))
        }
        guard let fields = holder.model?.fields, let slot = holder.slot(of: names.first!) else { return .unknown }
        var type = fields[slot]
        for (offset, number) in names.dropFirst().enumerated() {
            let parent = spelled[offset]
            switch type {
            case .model(let id):
                switch types[id] {
                case .object(let shape)?:
                    guard let slot = shape.slot(of: number), let fields = shape.model?.fields else {
                        return .problem(
                            error(index, "\(tag(index)): \"\(spelled[offset + 1])\" names no field of \(shape.model?.typeName ?? "?") (the type of \"\(parent)\")"))
                    }
                    type = fields[slot]
                case .scalar?:
                    return .problem(error(index, "\(tag(index)): \"\(parent)\" is a single value, which has no fields"))
                case .list?, .irregular?, nil:
                    return .unknown
                }
            case .scalar:
                return .problem(error(index, "\(tag(index)): \"\(parent)\" is a text, a flag or a number, which has no fields"))
            case .list:
                return .problem(error(index, "\(tag(index)): \"\(parent)\" is a list, which has no fields"))
            case .unknown:
                return .unknown
            }
        }
        return .found(type)
    }

    func tag(_ index: Int) -> String { program.sources[index]?.tag.text ?? "?" }

    func error(_ index: Int, _ problem: String) -> TemplateNameError {
        let source = program.sources[index]
        return TemplateNameError(template: source?.template ?? program.name, line: source?.tag.line ?? 0, problem: problem)
    }

    /// `RunRow or RunPage`, `Badge, RunRow or HomePage`: each type once, innermost first.
    func typeList(_ shapes: some Sequence<TemplateShape>) -> String {
        var names: [String] = []
        for shape in shapes {
            let name = shape.model?.typeName ?? "?"
            if !names.contains(name) { names.append(name) }
        }
        guard names.count > 1 else { return names.first ?? "?" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
