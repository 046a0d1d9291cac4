import Foundation

/// One benchmark figure, printed as a JSON line in the schema `scripts/bench` documents.
struct Figure {
    var suite: String
    var name: String
    var value: Double
    var unit: String
    var extra: [String: Any] = [:]

    func print() {
        var object: [String: Any] = ["suite": suite, "name": name, "value": (value * 1000).rounded() / 1000, "unit": unit]
        for (k, v) in extra { object[k] = v }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        Swift.print(String(data: data, encoding: .utf8)!)
    }
}

/// Times `body` after `warmup` calls: repeats it in rounds of at least `minimumSeconds`, and returns the best
/// round's seconds per call. The best round is the least disturbed by other load on a shared machine.
func secondsPerCall(warmup: Int = 3, rounds: Int = 5, minimumSeconds: Double = 0.3, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var best = Double.infinity
    for _ in 0..<rounds {
        var calls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            try body()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        best = min(best, elapsed / Double(calls))
    }
    return best
}

/// Threads for the run: `THREADS` from the environment (as ../shared/bench/run-peers uses), default 2.
var benchmarkThreads: Int { Int(ProcessInfo.processInfo.environment["THREADS"] ?? "") ?? 2 }

/// Peak resident memory of this process so far, in MiB (from /proc/self/status VmHWM).
func peakMemoryMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return .nan }
    let kib = Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan
    return kib / 1024
}
