/// A named environment a drill can run against instead of its local realisation
/// (`content/environments/<name>.yaml`): the hosts a drill may touch, the values of the variables
/// drills refer to, and, per drill, which local-realisation steps do not run there and what
/// replaces the actions that act on a local process. See docs/executor.md, "Environments".
public struct RunEnvironment: Sendable, Hashable, Codable {
    /// The name `--environment` selects and the record carries (`staging`).
    public var name: String
    /// What the environment is, for people.
    public var description: String?
    /// Declares the environment production whatever its name (a name starting with `prod` is
    /// production anyway); a run then needs `--approve`.
    public var production: Bool?
    /// The blast radius: host names, IP addresses and CIDR ranges (`10.20.0.0/16`) a drill may send
    /// anything to. Every probe, action and load step aimed elsewhere is refused.
    public var hosts: [String]
    /// Values of the `${NAME}` variables drills refer to (`MARKET_URL`); may hold `${secret:NAME}`.
    @DefaultEmpty public var variables: [String: String]
    /// What changes per drill.
    @DefaultEmpty public var drills: [EnvironmentDrill]

    public init(
        name: String, description: String? = nil, production: Bool? = nil, hosts: [String],
        variables: [String: String] = [:], drills: [EnvironmentDrill] = []
    ) {
        self.name = name
        self.description = description
        self.production = production
        self.hosts = hosts
        self.variables = variables
        self.drills = drills
    }

    /// The entry for the drill `id`, if the environment has one.
    public func drill(_ id: String) -> EnvironmentDrill? { drills.first { $0.id == id } }
}

/// How one drill runs in an environment.
public struct EnvironmentDrill: Sendable, Hashable, Codable {
    /// The drill's id.
    public var id: String
    /// Values of this drill's variables, over the environment's own.
    @DefaultEmpty public var variables: [String: String]
    /// Names of local-realisation steps (setup, teardown) and actions that do not run here: the
    /// servers the local realisation starts stand for the environment's own systems.
    @DefaultEmpty public var skip: [String]
    /// Fault, rollback and trigger actions replaced by the environment's own, by name.
    @DefaultEmpty public var replace: [EnvironmentAction]

    public init(id: String, variables: [String: String] = [:], skip: [String] = [], replace: [EnvironmentAction] = []) {
        self.id = id
        self.variables = variables
        self.skip = skip
        self.replace = replace
    }
}

/// What an environment does instead of a drill's action that acts on a local process (a signal
/// to a server the local realisation started): a command or an HTTP request of its own.
public struct EnvironmentAction: Sendable, Hashable, Codable {
    /// The name of the drill's action it replaces.
    public var name: String
    /// A command run through `/bin/sh -c` on this machine.
    public var run: String?
    /// An HTTP request, `METHOD URL`.
    public var http: String?
    /// The host a `run` command acts on, checked against `hosts` like any URL.
    public var target: String?
    /// Seconds the action may take (default 30).
    public var timeout: Double?

    public init(name: String, run: String? = nil, http: String? = nil, target: String? = nil, timeout: Double? = nil) {
        self.name = name
        self.run = run
        self.http = http
        self.target = target
        self.timeout = timeout
    }
}
