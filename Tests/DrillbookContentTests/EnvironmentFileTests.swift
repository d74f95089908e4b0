import DrillbookContent
import DrillbookModel
import DrillbookTestSupport
import Foundation
import Testing

/// Environment files are shaped and checked like every record: unknown keys warn, bad values are
/// located errors, pinned here as printed for a file `environments/e.yaml`.
@Suite("Environment files")
struct EnvironmentFileTests {
    static let valid = """
        name: e
        hosts:
          - 127.0.0.2
          - 10.42.0.0/16
          - market.staging.example
        variables:
          MARKET_URL: https://market.staging.example
        drills:
          - id: d
            skip: [server]
            replace:
              - name: freeze
                run: "true"
                target: 10.42.3.11

        """

    func messages(_ yaml: String) -> [String] {
        EnvironmentFile.decode(yaml: yaml, file: "environments/e.yaml").issues.map(\.description)
    }

    @Test func aValidFileDecodesWithoutIssues() throws {
        let (environment, issues) = EnvironmentFile.decode(yaml: Self.valid, file: "environments/e.yaml")
        #expect(issues.isEmpty, "\(issues)")
        let decoded = try #require(environment)
        #expect(decoded.hosts.count == 3)
        #expect(decoded.drill("d")?.replace.first?.target == "10.42.3.11")
        #expect(decoded.variables["MARKET_URL"] == "https://market.staging.example")
    }

    @Test func theSampleStagingFileIsClean() throws {
        let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("content")
        let loaded = EnvironmentFile.loadAll(in: content, display: "content")
        #expect(loaded.issues.isEmpty, "\(loaded.issues)")
        #expect(loaded.environments.map(\.name) == ["staging"])
    }

    @Test func problemsAreLocatedAndPinned() {
        #expect(messages(Self.valid.replacingOccurrences(of: "  - 10.42.0.0/16", with: "  - 10.42.0.0/33")) == [
            "environments/e.yaml:4: $.hosts[1]: expected a host name, an IP address or a CIDR range like 10.20.0.0/16, got \"10.42.0.0/33\""
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "  - 127.0.0.2", with: "  - 10.20.0.300")) == [
            "environments/e.yaml:3: $.hosts[0]: expected a host name, an IP address or a CIDR range like 10.20.0.0/16, got \"10.20.0.300\""
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "hosts:", with: "host:")) == [
            "environments/e.yaml:1: $.hosts: missing required key \"hosts\" (expected a list)",
            "environments/e.yaml:2: warning: $.host: unknown key \"host\" (a typo?); it is ignored; known keys here: name, description, production, hosts, variables, drills",
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "  MARKET_URL:", with: "  PORT_1:")) == [
            "environments/e.yaml:7: $.variables.PORT_1: expected a variable name of letters, digits and _ (not RUN_DIR, DRILL_DIR, PORT_<n> or PID_<step>, which the run sets), got \"PORT_1\""
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "https://market.staging.example", with: "${secret:bad-name}")) == [
            "environments/e.yaml:7: $.variables.MARKET_URL: expected ${secret:NAME} to name an environment variable (letters, digits and _), got \"${secret:bad-name}\""
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "        run: \"true\"", with: "        run: \"true\"\n        http: POST http://10.42.3.11/x")) == [
            "environments/e.yaml:12: $.drills[0].replace[0]: expected exactly one of run or http; found 2"
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "target: 10.42.3.11", with: "target: 10.43.0.1")) == [
            "environments/e.yaml:14: $.drills[0].replace[0].target: expected a host of this environment's hosts (127.0.0.2, 10.42.0.0/16, market.staging.example), got \"10.43.0.1\""
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "name: e\n", with: "name: local\n")) == [
            "environments/e.yaml:1: $.name: expected an environment name of letters, digits, -, _ and . (not local, which is the local realisation), got \"local\""
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "hosts:\n  - 127.0.0.2\n  - 10.42.0.0/16\n  - market.staging.example", with: "hosts: []")) == [
            "environments/e.yaml:2: $.hosts: expected at least one host: the hosts a drill may touch (names, IP addresses, CIDR ranges)"
        ])
        #expect(messages(Self.valid.replacingOccurrences(of: "production", with: "x").replacingOccurrences(of: "name: e\n", with: "name: e\nproduction: maybe\n")) == [
            "environments/e.yaml:2: $.production: expected true or false, got \"maybe\""
        ])
    }

    @Test func aFileWhoseNameIsNotItsOwnIsAnError() throws {
        let folder = try temporaryFolder("environments")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("environments"), withIntermediateDirectories: true)
        try Data(Self.valid.utf8).write(to: folder.appendingPathComponent("environments/staging.yaml"))
        let loaded = EnvironmentFile.loadAll(in: folder, display: "content")
        #expect(loaded.issues.map(\.description) == [
            "content/environments/staging.yaml:1: $.name: expected the file's own name, \"staging\" (--environment staging looks for this file), got \"e\""
        ])
    }

    @Test func theAllowlistMatchesNamesAddressesAndRanges() throws {
        let list = HostAllowlist(["127.0.0.2", "10.42.0.0/16", "Market.Staging.Example.", "fd00::/8"])
        func address(_ text: String) throws -> [UInt8] { try #require(HostAllowlist.addressBytes(text)) }
        #expect(list.allowsAddress(try address("127.0.0.2")))
        #expect(!list.allowsAddress(try address("127.0.0.3")))
        #expect(list.allowsAddress(try address("10.42.255.1")))
        #expect(!list.allowsAddress(try address("10.43.0.1")))
        #expect(list.allowsAddress(try address("::ffff:10.42.0.9")))
        #expect(list.allowsAddress(try address("fd12::1")))
        #expect(!list.allowsAddress(try address("fe80::1")))
        #expect(list.allowsName("market.staging.example"))
        #expect(!list.allowsName("staging.example"))
        #expect(!list.allowsName("market.staging.example.evil.test"))
        let local = HostAllowlist.localRealisation
        let inside = try [address("127.255.0.1"), address("::1")]
        #expect(inside.allSatisfy(local.allowsAddress) && local.allowsName("localhost"))
        #expect(!local.allowsAddress(try address("128.0.0.1")))
        #expect(HostAllowlist.entry("10.0.0.0/8") != nil && HostAllowlist.entry("a..b") == nil && HostAllowlist.entry("-x.example") == nil)
    }
}
