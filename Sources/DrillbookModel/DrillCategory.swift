/// The playbook's drill categories: the four monthly ones (Appendix A, weeks 1–4) and the four
/// quarterly themes (Appendix A, Q1–Q4). Written in records as the kebab-case raw value.
public enum DrillCategory: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case infrastructureResilience = "infrastructure-resilience"
    case dataProviderOutage = "data-provider-outage"
    case loadAndPerformance = "load-and-performance"
    case incidentResponsePractice = "incident-response-practice"
    case fullSystemFailure = "full-system-failure"
    case multiRegionOutage = "multi-region-outage"
    case securityIncident = "security-incident"
    case complianceViolation = "compliance-violation"

    /// The heading the playbook uses.
    public var title: String {
        switch self {
        case .infrastructureResilience: "Infrastructure Resilience"
        case .dataProviderOutage: "Data Provider Outage"
        case .loadAndPerformance: "Load and Performance"
        case .incidentResponsePractice: "Incident Response Practice"
        case .fullSystemFailure: "Full System Failure"
        case .multiRegionOutage: "Multi-Region Outage"
        case .securityIncident: "Security Incident"
        case .complianceViolation: "Compliance Violation"
        }
    }

    /// True for the four quarterly themes of Appendix A.
    public var isQuarterlyTheme: Bool {
        switch self {
        case .fullSystemFailure, .multiRegionOutage, .securityIncident, .complianceViolation: true
        default: false
        }
    }

    public var description: String { rawValue }

    /// Every accepted raw value, for error messages.
    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
