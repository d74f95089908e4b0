/// The top-level sections of the site, in navigation order: the chrome of every page links to each.
enum SiteSection: String, Sendable, CaseIterable {
    case home, drills, runs, incidents, lessons, actions, reviews, schedule

    var label: String {
        switch self {
        case .home: "Dashboard"
        case .drills: "Drills"
        case .runs: "Runs"
        case .incidents: "Incidents"
        case .lessons: "Lessons learned"
        case .actions: "Action items"
        case .reviews: "Reviews"
        case .schedule: "Schedule"
        }
    }

    /// The section's index page, relative to the output folder.
    var path: String {
        switch self {
        case .home: "index.html"
        case .drills: "drills/index.html"
        case .runs: "runs/index.html"
        case .incidents: "incidents/index.html"
        case .lessons: "lessons/index.html"
        case .actions: "actions/index.html"
        case .reviews: "reviews/index.html"
        case .schedule: "schedule/index.html"
        }
    }
}
