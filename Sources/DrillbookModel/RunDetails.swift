/// The parts of a run record that only the run's own page shows (and the feed, for the newest
/// runs): who took part, the summary, the timeline, observations, probe summaries and command
/// output. A site build leaves them in the record's file while it works out the history's figures
/// and reads them back for each run's page, so the history it holds grows by a run's numbers, not
/// by its prose.
public struct RunDetails: Sendable, Hashable, Decodable {
    /// The run's id, read back to check that the file still holds the same run.
    public var id: String
    public var participants: [Participant]
    public var summary: String?
    public var timeline: [TimelineEvent]
    public var observations: [String]
    public var probes: [ProbeSummary]
    public var outputs: [CommandOutput]

    public init(
        id: String, participants: [Participant] = [], summary: String? = nil, timeline: [TimelineEvent] = [],
        observations: [String] = [], probes: [ProbeSummary] = [], outputs: [CommandOutput] = []
    ) {
        self.id = id
        self.participants = participants
        self.summary = summary
        self.timeline = timeline
        self.observations = observations
        self.probes = probes
        self.outputs = outputs
    }

    /// Reads the details from a run record (the other keys are skipped), with the defaults of
    /// `DrillRun`'s decoding.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DrillRun.CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        participants = try c.decodeIfPresent([Participant].self, forKey: .participants) ?? []
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        timeline = try c.decodeIfPresent([TimelineEvent].self, forKey: .timeline) ?? []
        observations = try c.decodeIfPresent([String].self, forKey: .observations) ?? []
        probes = try c.decodeIfPresent([ProbeSummary].self, forKey: .probes) ?? []
        outputs = try c.decodeIfPresent([CommandOutput].self, forKey: .outputs) ?? []
    }
}

extension DrillRun {
    /// This run's details.
    public var details: RunDetails {
        RunDetails(
            id: id, participants: participants, summary: summary, timeline: timeline, observations: observations,
            probes: probes, outputs: outputs)
    }

    /// This run with its details emptied (figures, criteria, lessons and action items stay).
    public func withoutDetails() -> DrillRun {
        var run = self
        run.participants = []
        run.summary = nil
        run.timeline = []
        run.observations = []
        run.probes = []
        run.outputs = []
        return run
    }

    /// This run with `details` put back.
    public func with(_ details: RunDetails) -> DrillRun {
        var run = self
        run.participants = details.participants
        run.summary = details.summary
        run.timeline = details.timeline
        run.observations = details.observations
        run.probes = details.probes
        run.outputs = details.outputs
        return run
    }
}
