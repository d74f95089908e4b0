import CCurl
import Foundation
import Synchronization

/// One HTTP exchange as the loop performs it: everything libcurl is told.
struct CurlRequest: Sendable {
    var url: String
    var method: String
    /// `Name: value` lines, in the order sent.
    var headerLines: [String]
    var body: String?
    /// Seconds the whole exchange (resolve, connect, TLS, request, answer) may take.
    var timeout: Double
    /// A PEM file of CA certificates trusted besides the system store (`/etc/ssl/certs`).
    var caFile: String?
    /// Bytes of the body kept; the rest is read and dropped so the connection stays reusable.
    var bodyLimit: Int
}

/// How an exchange ended, as libcurl reported it.
enum CurlOutcome: Sendable {
    /// `seconds`: libcurl's own total time of the transfer (microseconds), from its start to the body's end.
    case response(status: Int, body: [UInt8], seconds: Double)
    /// `code`: the `CURLcode`; `osErrno`: the socket error behind a failed connect; `detail`: libcurl's words.
    case failure(code: Int, osErrno: Int, detail: String)
    case cancelled
}

/// The only code that calls libcurl: one multi handle driven by one thread of its own, shared by
/// every request of a run. The multi handle keeps a cache of open connections (keep-alive: a
/// request to a `host:port` it already talked to reuses an idle connection), resolves names
/// through the system resolver and verifies TLS with OpenSSL against the system trust store.
///
/// Requests are handed over through a locked queue and `curl_multi_wakeup`; the thread adds them,
/// drives every transfer with `curl_multi_perform` and waits in `curl_multi_poll`, never on a Swift
/// concurrency thread. A cancelled task's transfer is removed at once (its continuation resumes
/// with `.cancelled`), and `stop()` ends every transfer still open and the thread with it.
final class CurlLoop: Sendable {
    /// One request in flight: its continuation, its easy handle, and the C memory libcurl points into.
    private final class Transfer: @unchecked Sendable {
        // @unchecked: created on the caller's task, then touched only by the loop thread (the lock
        // in `State` hands it over).
        let id: Int
        let request: CurlRequest
        let continuation: CheckedContinuation<CurlOutcome, Never>
        var handle: UnsafeMutableRawPointer?
        var headers: UnsafeMutablePointer<curl_slist>?
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        var body: [UInt8] = []

        init(id: Int, request: CurlRequest, continuation: CheckedContinuation<CurlOutcome, Never>) {
            self.id = id
            self.request = request
            self.continuation = continuation
            errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        }

        deinit { errorBuffer.deallocate() }
    }

    private struct State {
        var nextId = 0
        var queued: [Transfer] = []
        var cancelled: Set<Int> = []
        var stopping = false
        var stopped: [CheckedContinuation<Void, Never>] = []
        var finished = false
    }

    /// The multi handle, used only on the loop thread (and by `curl_multi_wakeup`, which libcurl
    /// allows from any thread).
    private let multi: MultiHandle
    private let state = Mutex(State())

    private struct MultiHandle: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    /// libcurl's process-wide set-up, done once before the first handle.
    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// A loop keeping at most `connections` idle connections open (at least 8).
    init(connections: Int) {
        _ = Self.initialised
        guard let pointer = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        multi = MultiHandle(pointer: pointer)
        _ = drillbook_curl_multi_set_long(pointer, CURLMOPT_MAXCONNECTS, max(8, min(connections, 1024)))
        let thread = Thread { [self] in self.run() }
        thread.name = "drillbook-http"
        thread.start()
    }

    /// Performs `request`; a cancelled task's transfer stops at once.
    func perform(_ request: CurlRequest) async -> CurlOutcome {
        let id = state.withLock { state -> Int in
            defer { state.nextId += 1 }
            return state.nextId
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let transfer = Transfer(id: id, request: request, continuation: continuation)
                // A task cancelled before this point ran `onCancel` already, and the loop may have
                // consumed that mark before the transfer was queued: mark it again with the transfer.
                let cancelledAlready = Task.isCancelled
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopping else { return false }
                    state.queued.append(transfer)
                    if cancelledAlready { state.cancelled.insert(id) }
                    return true
                }
                if accepted { wake() } else { continuation.resume(returning: .cancelled) }
            }
        } onCancel: {
            state.withLock { _ = $0.cancelled.insert(id) }
            wake()
        }
    }

    /// Ends every open transfer (`.cancelled`) and the loop's thread, and returns when it has ended.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.finished { return true }
                state.stopping = true
                state.stopped.append(continuation)
                return false
            }
            if done { continuation.resume() } else { wake() }
        }
    }

    private func wake() { _ = curl_multi_wakeup(multi.pointer) }

    /// The loop thread. Bounded by `stop()`; each pass waits at most a second in `curl_multi_poll`.
    private func run() {
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        while true {
            let (queued, cancelled, stopping) = state.withLock { state in
                defer {
                    state.queued = []
                    state.cancelled = []
                }
                return (state.queued, state.cancelled, state.stopping)
            }
            for transfer in queued {
                if cancelled.contains(transfer.id) || stopping {
                    transfer.continuation.resume(returning: .cancelled)
                } else if let handle = start(transfer) {
                    active[handle] = transfer
                }
            }
            for (handle, transfer) in active where stopping || cancelled.contains(transfer.id) {
                active[handle] = nil
                finish(transfer, .cancelled)
            }
            if stopping { break }
            var running: Int32 = 0
            _ = curl_multi_perform(multi.pointer, &running)
            var left: Int32 = 0
            // Bounded: each message is read once; libcurl keeps at most one per finished transfer.
            while let message = curl_multi_info_read(multi.pointer, &left) {
                var result = CURLE_OK
                guard let handle = drillbook_curl_done(message, &result), let transfer = active.removeValue(forKey: handle) else { continue }
                finish(transfer, outcome(of: transfer, handle: handle, result: result))
            }
            _ = curl_multi_poll(multi.pointer, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi.pointer)
        let waiting = state.withLock { state in
            state.finished = true
            return state.stopped
        }
        for continuation in waiting { continuation.resume() }
    }

    /// A configured easy handle for `transfer`, added to the multi handle; nil (and the transfer
    /// answered) when libcurl refused it.
    private func start(_ transfer: Transfer) -> UnsafeMutableRawPointer? {
        guard let handle = curl_easy_init() else {
            transfer.continuation.resume(returning: .failure(code: Int(CURLE_OUT_OF_MEMORY.rawValue), osErrno: 0, detail: "out of memory"))
            return nil
        }
        transfer.handle = handle
        let request = transfer.request
        var ok = true
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        check(drillbook_curl_set_string(handle, CURLOPT_URL, request.url))
        // HTTP and HTTPS only, also for any redirect; redirects are never followed (the default).
        check(drillbook_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(drillbook_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        // The host the URL names, never a proxy from the environment (http_proxy, …).
        check(drillbook_curl_set_string(handle, CURLOPT_PROXY, ""))
        check(drillbook_curl_set_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)))
        check(drillbook_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
        check(drillbook_curl_set_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout * 1000))))
        check(drillbook_curl_set_string(handle, CURLOPT_USERAGENT, "drillbook"))
        check(drillbook_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, transfer.errorBuffer))
        if let caFile = request.caFile {
            // The CA file is added to the system store: CURLOPT_CAPATH (/etc/ssl/certs) stays set.
            check(drillbook_curl_set_string(handle, CURLOPT_CAINFO, caFile))
        }
        let method = request.method.uppercased()
        if method == "HEAD" {
            check(drillbook_curl_set_long(handle, CURLOPT_NOBODY, 1))
        } else if method == "GET" && request.body == nil {
            check(drillbook_curl_set_long(handle, CURLOPT_HTTPGET, 1))
        } else {
            if method != "POST" { check(drillbook_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)) }
            if let body = request.body ?? (method == "POST" ? "" : nil) {
                let bytes = Array(body.utf8)
                check(drillbook_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)))
                check(bytes.withUnsafeBufferPointer { buffer in
                    // COPYPOSTFIELDS copies the bytes; an empty body still needs a valid pointer.
                    buffer.baseAddress.map { drillbook_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                        ?? drillbook_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                })
            }
        }
        // `Expect: 100-continue` would add a round trip (and a second of waiting on servers that
        // ignore it) to every body over 1 KiB.
        for line in request.headerLines + ["Expect:"] {
            transfer.headers = curl_slist_append(transfer.headers, line)
        }
        check(drillbook_curl_set_list(handle, CURLOPT_HTTPHEADER, transfer.headers))
        check(drillbook_curl_set_write_function(handle, { data, size, count, context in
            guard let context, let data else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            let room = transfer.request.bodyLimit - transfer.body.count
            if room > 0 {
                data.withMemoryRebound(to: UInt8.self, capacity: length) {
                    transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: min(room, length)))
                }
            }
            return length
        }))
        check(drillbook_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(transfer).toOpaque()))
        guard ok, curl_multi_add_handle(multi.pointer, handle) == CURLM_OK else {
            finish(transfer, .failure(code: Int(CURLE_FAILED_INIT.rawValue), osErrno: 0, detail: "libcurl refused the request (\(request.method) \(request.url))"), added: false)
            return nil
        }
        return handle
    }

    private func outcome(of transfer: Transfer, handle: UnsafeMutableRawPointer, result: CURLcode) -> CurlOutcome {
        guard result == CURLE_OK else {
            var osErrno = 0
            _ = drillbook_curl_get_long(handle, CURLINFO_OS_ERRNO, &osErrno)
            let detail = String(cString: transfer.errorBuffer)
            return .failure(code: Int(result.rawValue), osErrno: osErrno, detail: detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail)
        }
        var status = 0
        var micros: curl_off_t = 0
        _ = drillbook_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = drillbook_curl_get_offset(handle, CURLINFO_TOTAL_TIME_T, &micros)
        return .response(status: status, body: transfer.body, seconds: Double(micros) / 1_000_000)
    }

    /// Removes the transfer's handle, frees its C memory and resumes its task.
    private func finish(_ transfer: Transfer, _ outcome: CurlOutcome, added: Bool = true) {
        if let handle = transfer.handle {
            if added { _ = curl_multi_remove_handle(multi.pointer, handle) }
            curl_easy_cleanup(handle)
            transfer.handle = nil
        }
        curl_slist_free_all(transfer.headers)
        transfer.headers = nil
        transfer.continuation.resume(returning: outcome)
    }

    /// libcurl's result codes the client words differently.
    enum Code {
        static let couldNotResolve = Int(CURLE_COULDNT_RESOLVE_HOST.rawValue)
        static let couldNotConnect = Int(CURLE_COULDNT_CONNECT.rawValue)
        static let timedOut = Int(CURLE_OPERATION_TIMEDOUT.rawValue)
        static let peerVerification = Int(CURLE_PEER_FAILED_VERIFICATION.rawValue)
        static let caFile = Int(CURLE_SSL_CACERT_BADFILE.rawValue)
        static let tlsConnect = Int(CURLE_SSL_CONNECT_ERROR.rawValue)
        static let nothingReceived = Int(CURLE_GOT_NOTHING.rawValue)
        static let receiveFailed = Int(CURLE_RECV_ERROR.rawValue)
    }
}
