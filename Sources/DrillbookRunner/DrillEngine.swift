public import DrillbookModel

/// Who runs a drill and how: the values that are not in the drill file.
public struct RunSettings: Sendable, Hashable {
    /// Overrides the drill's `environment` (`--environment`).
    public var environment: String?
    /// The approver of a production run (`--approve`).
    public var approvedBy: String?
    /// The user who started the run.
    public var runBy: String?
    /// Bytes of each command's output kept in the record.
    public var outputLimit: Int
    /// UTC offset for the record's instants.
    public var utcOffsetSeconds: Int
    /// The most seconds a rollback, and then a teardown, may take in all (`PhaseSequence.finishingBound`).
    public var finishingCapSeconds: Double
    /// The environment file the run targets (`--environment`, `--environment-file`): its hosts
    /// are the blast radius and the record says `realisation: environment`; nil for a local
    /// realisation (loopback only). The drill passed to the engine is the one
    /// `EnvironmentRealisation.apply` made for it.
    public var environmentFile: RunEnvironment?

    public init(
        environment: String? = nil, approvedBy: String? = nil, runBy: String? = nil, outputLimit: Int = 4096,
        utcOffsetSeconds: Int = 0, finishingCapSeconds: Double = 300
    ) {
        self.environment = environment
        self.approvedBy = approvedBy
        self.runBy = runBy
        self.outputLimit = outputLimit
        self.utcOffsetSeconds = utcOffsetSeconds
        self.finishingCapSeconds = finishingCapSeconds
    }

    /// These settings, targeting `file`.
    public func targeting(_ file: RunEnvironment?) -> RunSettings {
        var copy = self
        copy.environmentFile = file
        return copy
    }
}

/// The step engine: runs a drill's `execution` and returns the record of what happened.
///
/// Order: setup → steady state (must hold, else nothing is injected) → fault actions (with
/// `abortIf` and `during` probes polled while the fault is active) → load steps → measurements →
/// steady state after recovery → rollback (always, once a fault action has started) → teardown
/// (always) → every child process group killed → criteria. Everything that waits is bounded by a
/// step timeout and by the drill's budget (its allocated duration).
public struct DrillEngine: Sendable {
    public let clock: any DrillClock
    public let launcher: any ProcessLauncher
    public let network: any NetworkClient
    public let interrupts: any InterruptSource
    public let observer: any RunObserver

    public init(
        clock: any DrillClock, launcher: any ProcessLauncher, network: any NetworkClient,
        interrupts: any InterruptSource = NoInterrupts(), observer: any RunObserver = SilentObserver()
    ) {
        self.clock = clock
        self.launcher = launcher
        self.network = network
        self.interrupts = interrupts
        self.observer = observer
    }

    /// Runs the drill. Never throws: every failure ends up in the returned record.
    /// The record names the environment and realisation `RunTarget` gives (always a local
    /// realisation; `--environment` or `local`) and the trimmed approver.
    public func run(_ drill: DrillDefinition, variables: RunVariables, settings: RunSettings) async -> DrillRun {
        let target = RunTarget(drill, environment: settings.environment, file: settings.environmentFile)
        var settings = settings
        settings.environment = target.environment
        settings.approvedBy = DrillPreflight.approver(settings.approvedBy)
        // Every command, request and progress line goes through the run's secrets and blast
        // radius (`SecretLauncher`, `BlastRadiusNetwork`, `RedactingObserver`).
        let secrets = SecretValues()
        secrets.register(SecretValues.names(in: DrillPreflight.texts(of: drill) + variables.values.values.sorted()))
        let guarded = DrillEngine(
            clock: clock, launcher: SecretLauncher(base: launcher, secrets: secrets),
            network: BlastRadiusNetwork(base: network, radius: target.blastRadius, secrets: secrets),
            interrupts: interrupts, observer: RedactingObserver(base: observer, secrets: secrets))
        var run = await PhaseSequence(engine: guarded, drill: drill, variables: variables, settings: settings).run()
        run.realisation = target.realisation
        return secrets.redacted(run)
    }
}
