import Foundation
import Testing

/// The HTTP fields of probes, actions and load steps are checked like every other field: located
/// errors, the same from `run` and `check`. Each case breaks one line of a valid drill (the control).
@Suite("Drill validation: HTTP requests")
struct HTTPValidationTests {
    static let valid = """
        id: v
        title: Validation
        category: infrastructure-resilience
        objective: Prove validation.
        successCriteria:
          - { id: fast, text: Fast, metric: recovery_seconds, comparison: "<=", target: 10, unit: s }
        allocatedDuration: 30m
        execution:
          steadyState:
            - name: api
              http: "https://api.staging.example:8443/health"
              method: POST
              headers: { Authorization: "Bearer ${secret:TOKEN}", X-Drill: "1" }
              body: '{"probe": true}'
              matches: "ok|healthy"
              jsonField: "$.items[0].id"
              jsonValue: "7"
              caFile: /etc/drillbook/ca.pem
          fault:
            - name: flip
              http: "PUT https://api.staging.example:8443/flags/x"
              headers: { Content-Type: application/json }
              body: '{"on": false}'
              status: 204
          load:
            - name: burst
              url: "http://127.0.0.2:${PORT_1}/orders"
              method: POST
              body: "qty=1"
              duration: 2
              metricPrefix: burst
          measure:
            - metric: recovery_seconds
              from: fault.injected
              probe: { name: up, tcp: "db.staging.example:5432" }
              timeout: 30
        """

    @Test func theValidDrillIsAccepted() throws {
        #expect(DrillValidationTests.runErrors(Self.valid) == [])
        #expect(try DrillValidationTests.checkErrors(Self.valid) == [])
    }

    @Test(arguments: [
        (
            #"http: "https://api.staging.example:8443/health""#, #"http: "ftp://api.staging.example/health""#,
            #"drills/v.yaml:11: $.execution.steadyState[0].http: expected an http:// or https:// URL, got "ftp://api.staging.example/health""#
        ),
        (
            "method: POST\n      headers", "method: \"GET /x\"\n      headers",
            #"drills/v.yaml:12: $.execution.steadyState[0].method: expected an HTTP method such as GET or POST, got "GET /x""#
        ),
        (
            #"X-Drill: "1""#, #""X Drill": "1""#,
            #"drills/v.yaml:13: $.execution.steadyState[0].headers["X Drill"]: expected a header name (letters, digits and !#$%&'*+-.^_`|~), got "X Drill""#
        ),
        (
            #"X-Drill: "1""#, #"X-Drill: "1\r\nX-Injected: yes""#,
            #"drills/v.yaml:13: $.execution.steadyState[0].headers["X-Drill"]: expected a header value on one line, got a line break or NUL in "X-Drill""#
        ),
        (
            #"matches: "ok|healthy""#, #"matches: "ok(""#,
            #"drills/v.yaml:15: $.execution.steadyState[0].matches: expected a regular expression, got "ok(" (it does not compile)"#
        ),
        (
            #"jsonField: "$.items[0].id""#, #"jsonField: "$.items[zero].id""#,
            #"drills/v.yaml:16: $.execution.steadyState[0].jsonField: expected a dotted path (items.0.id) or a JSON path ($.items[0].id), got "$.items[zero].id""#
        ),
        (
            #"http: "PUT https://api.staging.example:8443/flags/x""#, "http: \"PUT http://api.staging.example/flags/x\"\n      caFile: ca.pem",
            #"drills/v.yaml:22: $.execution.fault[0].caFile: `caFile` is for https:// URLs; this one is "http://api.staging.example/flags/x""#
        ),
        (
            "status: 204", "status: 2040",
            "drills/v.yaml:24: $.execution.fault[0].status: expected an HTTP status from 100 to 599, got 2040"
        ),
        (
            #"probe: { name: up, tcp: "db.staging.example:5432" }"#, #"probe: { name: up, tcp: "db.staging.example:5432", method: GET }"#,
            "drills/v.yaml:35: $.execution.measure[0].probe.method: `method` is for HTTP probes; this probe has no `http` URL"
        ),
        (
            "metricPrefix: burst", "metricPrefix: burst\n      timeout: 0",
            "drills/v.yaml:32: $.execution.load[0].timeout: expected a positive number of seconds, got 0"
        ),
    ])
    func aBrokenRequestIsRefusedByRunAsByCheck(original: String, broken: String, message: String) throws {
        let yaml = Self.valid.replacingOccurrences(of: original, with: broken)
        #expect(yaml != Self.valid)
        #expect(DrillValidationTests.runErrors(yaml) == [message])
        #expect(try DrillValidationTests.checkErrors(yaml) == [message])
    }
}
