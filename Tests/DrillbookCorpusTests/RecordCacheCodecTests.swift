@testable import DrillbookContent
import DrillbookCorpus
import DrillbookModel
@testable import DrillbookOutput
import DrillbookTestSupport
import Foundation
import Synchronization
import Testing

/// The record cache's binary codec (`BinaryCoding`): `JSONDecoder` is its oracle. Every record of
/// the sample content and of a generated corpus, decoded from its file, comes back from the
/// codec's bytes as the same value (and the same JSON, offsets of instants included); damaged
/// bytes are refused, never a crash.
@Suite("Record cache codec")
struct RecordCacheCodecTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The content folder: the sample, or a corpus generated into `scratch`.
    static func content(generated: Bool, scratch: URL) throws -> URL {
        let sample = repository.appendingPathComponent("content")
        guard generated else { return sample }
        let content = scratch.appendingPathComponent("content")
        try CorpusGenerator(playbook: sample, runs: 200, incidents: 20, seed: 5).write(to: content)
        return content
    }

    /// Sorted-key JSON of a value: equal texts mean equal values down to each instant's offset
    /// (`Timestamp`'s `==` compares instants only).
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func roundTrip<Value: Codable & Equatable>(_ value: Value) throws -> Value {
        try BinaryCoding.decode(Value.self, from: try BinaryCoding.encode(value)[...])
    }

    static func expectSame<Value: Codable & Equatable>(_ value: Value, _ file: String) throws {
        let back = try roundTrip(value)
        #expect(back == value, "\(file)")
        #expect(try json(back) == json(value), "\(file)")
    }

    /// Each run and JSON incident decoded by `JSONDecoder` straight from its file, and every
    /// record as the loader decoded it, equal after the codec.
    @Test(arguments: [false, true]) func everyRecordDecodesAsJSONDecoderDecodesIt(generated: Bool) throws {
        let scratch = try temporaryFolder("codec-oracle")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let content = try Self.content(generated: generated, scratch: scratch)
        var runs = 0
        var incidents = 0
        for case let relative as String in FileManager.default.enumerator(atPath: content.path)?.allObjects ?? [] {
            let data = try? Data(contentsOf: content.appendingPathComponent(relative))
            guard let data, relative.hasSuffix(".json") else { continue }
            if relative.hasPrefix("runs/"), let run = try? JSONDecoder().decode(DrillRun.self, from: data) {
                try Self.expectSame(run, relative)
                runs += 1
            } else if relative.hasPrefix("incidents/"), let incident = try? JSONDecoder().decode(Incident.self, from: data) {
                try Self.expectSame(incident, relative)
                incidents += 1
            }
        }
        #expect(runs >= (generated ? 200 : 5))
        #expect(incidents >= 1)
        let cache = RecordCache()
        var loader = ContentLoader(contentDirectory: content)
        loader.cache = cache
        _ = loader.load()
        let restored = try #require(RecordCache.decoding(cache.encoded()[...]))
        let before = cache.entries.withLock { $0 }
        let after = restored.entries.withLock { $0 }
        #expect(Set(after.keys) == Set(before.keys))
        var kinds: Set<String> = []
        for (relative, entry) in before {
            let back = try #require(after[relative])
            #expect(back.record == entry.record, "\(relative)")
            #expect(back.issues == entry.issues, "\(relative)")
            #expect(back.kind == entry.kind && back.identity == entry.identity && back.digest == entry.digest)
            kinds.insert(entry.kind.storedName)
        }
        #expect(kinds.isSuperset(of: ["drill", "run", "incident-json", "incident-text", "action-updates", "schedule"]))
    }

    /// Hand-made values for what the models use and what they may come to use: every scalar at
    /// its edges, optionals present, nil and missing, enums with associated values (nested
    /// containers), dictionaries with string and integer keys, two containers on one encoder.
    @Test func edgeCasesRoundTrip() throws {
        let value = Edge(
            text: "a \"quoted\" \\ line\nwith é, 𝄞 (a surrogate pair in JSON) and \u{0}", empty: "", integers: [.min, -1, 0, 1, .max],
            unsigned: .max, small: -128, doubles: [0, -0.0, 1.5e300, -2.25, .leastNonzeroMagnitude, .greatestFiniteMagnitude], float: 3.5,
            flags: [true, false], maybe: nil, present: 7, nested: [[], [nil, "x"]],
            byName: ["b": 2, "a": 1, "": 0], byNumber: [3: "three", -1: "minus one"],
            choices: [.empty, .one(42), .two(label: "l", values: [1, 2]), .three(Inner(word: "w", day: CalendarDay(year: 2026, month: 2, day: 28)!))],
            when: Timestamp(iso8601: "2026-03-02T10:15:00.250+05:30")!, split: Split(left: "L", right: 9))
        let back = try Self.roundTrip(value)
        #expect(back == value)
        #expect(back.doubles[1].sign == .minus)
        let odd = try Self.roundTrip([Double.infinity, -.infinity, .nan].map(\.bitPattern).map(Double.init(bitPattern:)))
        #expect(odd.map(\.bitPattern) == [Double.infinity, -.infinity, .nan].map(\.bitPattern))
        #expect(try Self.json(back) == Self.json(value))
        // Missing keys decode as absent through `decodeIfPresent` and `contains`.
        let partial = try BinaryCoding.decode(Partial.self, from: try BinaryCoding.encode(OnlyName(name: "n"))[...])
        #expect(partial == Partial(name: "n", extra: nil, hasExtra: false))
        // A value of another type is refused, not forced.
        #expect(throws: (any Error).self) { try BinaryCoding.decode(Int.self, from: try BinaryCoding.encode("7")[...]) }
        #expect(throws: (any Error).self) { try BinaryCoding.decode(Int8.self, from: try BinaryCoding.encode(300)[...]) }
        #expect(throws: (any Error).self) { try BinaryCoding.decode(Partial.self, from: try BinaryCoding.encode([1, 2])[...]) }
    }

    /// Negative control of the oracle: a value that does not survive the trip (a count changed
    /// in the bytes) is caught by the comparison the tests above rely on.
    @Test func aChangedValueIsCaughtByTheComparison() throws {
        var bytes = try BinaryCoding.encode(Split(left: "L", right: 9))
        let index = try #require(bytes.lastIndex(of: 18))  // 9 as a zigzag varint
        bytes[index] = 20
        let back = try BinaryCoding.decode(Split.self, from: bytes[...])
        #expect(back != Split(left: "L", right: 9))
    }

    /// Random bytes flipped and random cuts (a fixed seed, a bounded count): the sealed cache
    /// file is refused or gives the same records; the bare codec refuses every cut and never
    /// crashes on a flip.
    @Test(.timeLimit(.minutes(5))) func damagedBytesAreRefusedNeverACrash() throws {
        let content = Self.repository.appendingPathComponent("content")
        let cache = RecordCache()
        var loader = ContentLoader(contentDirectory: content)
        loader.cache = cache
        let loaded = loader.load()
        let key = BuildCache.Key(tool: "test", content: "content")
        let file = BuildCache(records: cache, pages: ["runs/a.html": 1], output: "out").encoded(key: key)
        let records = cache.encoded()
        let run = try #require(loaded.history.runs.first)
        let runBytes = try BinaryCoding.encode(run)
        var random = SplitMix(seed: 14)
        func position(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }
        func flipped(_ bytes: [UInt8]) -> [UInt8] {
            var bytes = bytes
            for _ in 0...(random.next() % 3) { bytes[position(bytes.count)] ^= UInt8(1 + random.next() % 255) }
            return bytes
        }
        var refused = 0
        for round in 0..<300 {
            let cut = round % 2 == 0
            let damagedFile = cut ? Array(file.prefix(position(file.count))) : flipped(file)
            if let read = BuildCache.decode(damagedFile, key: key).cache {
                #expect(read.records.entries.withLock { $0.mapValues(\.record) } == cache.entries.withLock { $0.mapValues(\.record) })
            } else {
                refused += 1
            }
            if cut {
                #expect(RecordCache.decoding(records.prefix(position(records.count))) == nil)
                #expect(throws: (any Error).self) { try BinaryCoding.decode(DrillRun.self, from: runBytes.prefix(position(runBytes.count))) }
            } else {
                _ = RecordCache.decoding(flipped(records)[...])
                _ = try? BinaryCoding.decode(DrillRun.self, from: flipped(runBytes)[...])
            }
        }
        #expect(refused >= 290)
    }
}

struct Inner: Codable, Hashable {
    var word: String
    var day: CalendarDay
}

enum Choice: Codable, Hashable {
    case empty
    case one(Int)
    case two(label: String, values: [Int])
    case three(Inner)
}

/// Two types writing into one encoder's keyed container, as `DrillRun` does.
struct Split: Codable, Hashable {
    var left: String
    var right: Int

    struct Left: Codable { var left: String }
    struct Right: Codable { var right: Int }

    init(left: String, right: Int) {
        self.left = left
        self.right = right
    }

    init(from decoder: any Decoder) throws {
        left = try Left(from: decoder).left
        right = try Right(from: decoder).right
    }

    func encode(to encoder: any Encoder) throws {
        try Left(left: left).encode(to: encoder)
        try Right(right: right).encode(to: encoder)
    }
}

struct Edge: Codable, Hashable {
    var text: String
    var empty: String
    var integers: [Int]
    var unsigned: UInt64
    var small: Int8
    var doubles: [Double]
    var float: Float
    var flags: [Bool]
    var maybe: Int?
    var present: Int?
    var nested: [[String?]]
    var byName: [String: Int]
    var byNumber: [Int: String]
    var choices: [Choice]
    var when: Timestamp
    var split: Split
}

struct OnlyName: Codable { var name: String }

struct Partial: Codable, Equatable {
    var name: String
    var extra: String?
    var hasExtra: Bool

    enum CodingKeys: String, CodingKey { case name, extra }

    init(name: String, extra: String?, hasExtra: Bool) {
        self.name = name
        self.extra = extra
        self.hasExtra = hasExtra
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        extra = try container.decodeIfPresent(String.self, forKey: .extra)
        hasExtra = container.contains(.extra)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(extra, forKey: .extra)
    }
}
