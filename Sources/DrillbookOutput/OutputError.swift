import Foundation

/// Why the output folder could not be checked, staged or swapped: the path concerned and what to
/// do about it. `SiteBuilder` reports it as the failure of the build step that was running.
public struct OutputError: Error, Sendable, Hashable {
    /// The output path, or the file inside the staging folder, concerned.
    public var path: String?
    /// What went wrong, in a sentence a user can act on.
    public var message: String

    public init(path: String? = nil, message: String) {
        self.path = path
        self.message = message
    }

    /// The most specific description of a Foundation error (the underlying POSIX reason when there is one).
    public static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return error.localizedDescription
    }
}
