public import DrillbookModel
public import Foundation

/// Runs a drill file for real with the system clock, launcher and network: the function the CLI calls.
public struct DrillRunner: Sendable {
    public var observer: any RunObserver
    public var interrupts: any InterruptSource

    public init(observer: any RunObserver = SilentObserver(), interrupts: any InterruptSource = NoInterrupts()) {
        self.observer = observer
        self.interrupts = interrupts
    }

    /// The variables of a fresh run: a new temporary directory, free ports, the drill's folder.
    public static func variables(for drill: DrillDefinition, drillFile: URL, runDirectory: URL) -> RunVariables {
        let execution = drill.execution ?? DrillExecution()
        var texts = execution.setup.map(\.run) + execution.teardown.map(\.run)
        let allProbes = execution.steadyState + execution.during + execution.abortIf + execution.measure.map(\.probe)
            + execution.setup.compactMap(\.ready) + (execution.fault + execution.rollback).compactMap(\.ready)
        texts += allProbes.flatMap { [$0.command, $0.http, $0.tcp, $0.contains].compactMap { $0 } }
        texts += (execution.fault + execution.rollback + execution.measure.compactMap(\.trigger)).flatMap { [$0.run, $0.http, $0.pidFile, $0.load?.url].compactMap { $0 } }
        texts += execution.load.map(\.url) + execution.variables.values.sorted()
        var values = ["RUN_DIR": runDirectory.path, "DRILL_DIR": drillFile.deletingLastPathComponent().path]
        for (index, port) in RunVariables.freePorts(RunVariables.portCount(in: texts)).enumerated() {
            values["PORT_\(index + 1)"] = String(port)
        }
        return RunVariables(values: values).adding(execution.variables)
    }

    /// Runs the drill with real processes in a fresh temporary directory (removed afterwards).
    /// Returns the record and the pids the launcher started (all gone when this returns).
    ///
    /// The launcher, and with it the watchdog, exists before the directory: if drillbook is killed
    /// outright at any moment, the watchdog kills the drill's process groups and removes the
    /// directory (`ProcessGroupWatchdog`).
    public func run(_ drill: DrillDefinition, drillFile: URL, settings: RunSettings) async -> (run: DrillRun, pids: [Int32]) {
        // One folder name of safe characters whatever the drill's id is (`../x` must not climb out
        // of the temporary folder: the watchdog removes this path).
        let safeId = String(drill.id.prefix(64).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-\(safeId)-\(UUID().uuidString.prefix(8))")
        let launcher = PosixProcessLauncher(directory: directory, removingDirectoryOnExit: true)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // One HTTP client for the whole run; shut down (with its event loop thread) when the run is over.
        // Its radius is the run's (the environment file's hosts, else loopback), as the engine's.
        let radius = RunTarget(drill, environment: settings.environment, file: settings.environmentFile).blastRadius
        let run = await HTTPNetworkClient.withClient(connectionsPerHost: Self.largestLoadConcurrency(in: drill), radius: radius) { network in
            let engine = DrillEngine(
                clock: SystemDrillClock(), launcher: launcher, network: network, interrupts: interrupts, observer: observer)
            let variables = Self.variables(for: drill, drillFile: drillFile, runDirectory: directory)
            return await engine.run(drill, variables: variables, settings: settings)
        }
        return (run, launcher.startedPids)
    }

    /// The most workers any load step of the drill uses (4 when a step names none; 0 without load
    /// steps): the size of the HTTP client's connection pool.
    static func largestLoadConcurrency(in drill: DrillDefinition) -> Int {
        let execution = drill.execution ?? DrillExecution()
        let steps = execution.load + (execution.fault + execution.rollback + execution.measure.compactMap(\.trigger)).compactMap(\.load)
        return steps.map { $0.concurrency ?? 4 }.max() ?? 0
    }
}
