import ArgumentParser

extension RunCommand {
    /// A drill file that does not exist exits 4 before anything else (3 is kept for a definition
    /// that exists but is invalid). Kept apart from `RunCommand.swift`, whose logic another branch owns.
    public func validate() throws {
        _ = try DrillArgument.existingURL(for: drill)
    }
}
