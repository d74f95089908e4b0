import Foundation
import Testing

/// What the tests that run the built `drillbook` as a user runs it share: its own process, its
/// output as bytes (`BuiltTool` starts it). For what only a real process shows (the exact bytes on
/// the terminal, concurrent runs).
enum DrillbookBinary {
    /// Runs `drillbook ARGUMENTS` in `folder` with standard input from /dev/null, standard output
    /// and error captured in files (no pipe to drain while 40 run at once).
    static func run(_ arguments: [String], in folder: URL) async throws -> BuiltTool.Outcome {
        try await BuiltTool.find().run(arguments, in: folder)
    }

    /// Bytes and scalars a terminal would act on, found in `data`, described (`0x1B at 12`,
    /// `U+202E`); empty when the output is inert. Line feeds (and CR before LF, for CSV and ICS)
    /// are the only controls allowed.
    static func activeCharacters(in data: Data) -> [String] {
        var found: [String] = []
        let bytes = [UInt8](data)
        for (index, byte) in bytes.enumerated() {
            let crlf = byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A
            if (byte < 0x20 && byte != 0x0A && !crlf) || byte == 0x7F {
                found.append("0x" + String(byte, radix: 16, uppercase: true) + " at \(index)")
            }
        }
        for scalar in String(decoding: data, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            switch scalar.value {
            case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
                found.append("U+" + String(scalar.value, radix: 16, uppercase: true))
            default: continue
            }
        }
        return found
    }

    /// A drill whose every step is a `true` command: runs in well under a second and passes.
    /// `rollback` replaces the rollback command (`false` makes the run fail after all criteria held).
    static func tinyDrill(id: String = "tiny-drill", rollback: String = "true") -> String {
        """
        id: \(id)
        playbookSection: "9.9"
        title: Tiny drill
        category: infrastructure-resilience
        objective: Show that concurrent runs keep their records
        environment: local
        allocatedDuration: 1m
        scenario: [nothing]
        expectedBehaviour: [nothing]
        successCriteria:
          - id: ok
            text: The probe holds
            metric: ok
            comparison: "=="
            target: 1
            unit: bool
        execution:
          steadyState:
            - name: always
              command: "true"
          fault:
            - name: nothing
              run: "true"
          measure:
            - metric: ok
              kind: holds
              probe: { name: true holds, command: "true" }
              timeout: 5
          rollback:
            - name: undo
              run: "\(rollback)"

        """
    }
}
