/// The parts of a run record that only the run's own page shows (and the feed, for the newest
/// runs): who took part, the summary, the timeline, observations, probe summaries and command
/// output. Decoded with the run's `RunOverview` from the same object (`DrillRun.init(from:)`).
public struct RunDetails: Sendable, Hashable, Codable {
    @DefaultEmpty public var participants: [Participant]
    /// A Markdown summary for readers who were not there.
    public var summary: String?
    @DefaultEmpty public var timeline: [TimelineEvent]
    /// Markdown, one observation each.
    @DefaultEmpty public var observations: [String]
    /// Executor detail: every probe summarised. Empty for runs recorded by hand.
    @DefaultEmpty public var probes: [ProbeSummary]
    /// Executor detail: bounded command outputs.
    @DefaultEmpty public var outputs: [CommandOutput]
    /// Executor detail: the time series the drill watched (bounded, see `EvidenceSeries`).
    @DefaultEmpty public var series: [EvidenceSeries]
    /// Where a record made by another tool came from, in words (`Chaos Toolkit 1.19.0 journal
    /// journal.json`), for records `drillbook import` wrote; nil for drillbook's own.
    public var importedFrom: String?

    public init(
        participants: [Participant] = [], summary: String? = nil, timeline: [TimelineEvent] = [],
        observations: [String] = [], probes: [ProbeSummary] = [], outputs: [CommandOutput] = [],
        series: [EvidenceSeries] = [], importedFrom: String? = nil
    ) {
        self.participants = participants
        self.summary = summary
        self.timeline = timeline
        self.observations = observations
        self.probes = probes
        self.outputs = outputs
        self.series = series
        self.importedFrom = importedFrom
    }
}
