import Foundation
import NPEFlows
import NPENN
import NPETensor
import NPESupport

/// `flows`: the issue-3 configuration (θ 7, x 52 as the context, 5 transforms, hidden 50×2, 10 bins) for each
/// flow kind: training-step, log-probability and sampling throughput.
enum FlowsSuite {
    static func run() throws {
        let threads = benchmarkThreads
        let d = 7, c = 52
        // FLOW_KINDS=nsf,maf limits the run (profiling one kind); default all three.
        let kinds = (ProcessInfo.processInfo.environment["FLOW_KINDS"]?.split(separator: ",").compactMap {
            FlowArchitecture.Kind(rawValue: String($0))
        }) ?? [.nsf, .maf, .nsfc]
        for kind in kinds {
            Engine.configure(blasThreads: threads)
            let architecture = FlowArchitecture(kind: kind, featureCount: d, contextCount: c, transforms: 5,
                                                hiddenWidths: [50, 50], activation: .relu, bins: 10, tailBound: 5)
            let flow = try ConditionalFlow(architecture: architecture, stream: RandomStream(seed: 1))
            let name = kind.rawValue

            // Training step: batch 256, forward + backward + Adam.
            let batch = 256
            let adam = Adam(parameters: flow.parameters, learningRate: 1e-3)
            let theta = Variable(RandomStream(seed: 2).normalTensor([batch, d]))
            let context = Variable(RandomStream(seed: 3).normalTensor([batch, c]))
            let stepSeconds = try secondsPerCall {
                adam.zeroGradients()
                let loss = try -flow.logProbability(of: theta, given: context).mean()
                try loss.backward()
                adam.step()
            }
            let stepCPU = try cpuSecondsPerCall(calls: 50) {
                adam.zeroGradients()
                let loss = try -flow.logProbability(of: theta, given: context).mean()
                try loss.backward()
                adam.step()
            }
            Figure(suite: "flows", name: "\(name)_train_step", value: Double(batch) / stepSeconds, unit: "samples/s",
                   extra: ["batch": batch, "threads": threads, "ms_per_step": (stepSeconds * 1e5).rounded() / 100,
                           "per_cpu_second": (Double(batch) / stepCPU).rounded()]).print()

            // Log-probability, gradient-free, in batches of 4096.
            let rows = 4096
            let evalTheta = Variable(RandomStream(seed: 4).normalTensor([rows, d]))
            let evalContext = Variable(RandomStream(seed: 5).normalTensor([rows, c]))
            let logProbSeconds = try secondsPerCall {
                _ = try withoutGradient { try flow.logProbability(of: evalTheta, given: evalContext) }
            }
            let logProbCPU = try cpuSecondsPerCall(calls: 5) {
                _ = try withoutGradient { try flow.logProbability(of: evalTheta, given: evalContext) }
            }
            Figure(suite: "flows", name: "\(name)_log_prob", value: Double(rows) / logProbSeconds, unit: "evals/s",
                   extra: ["batch": rows, "threads": threads, "per_cpu_second": (Double(rows) / logProbCPU).rounded()]).print()

            // Sampling: 1000 contexts × 1000 samples in one call; chunks shared by `threads` workers, BLAS on one
            // thread each (the chunks' products are too small to split further).
            Engine.configure(blasThreads: 1)
            let contexts = RandomStream(seed: 6).normalTensor([1000, c])
            var sampleCPU = 0.0
            let sampleSeconds = try secondsPerCall(warmup: 0, rounds: 2, minimumSeconds: 0) {
                sampleCPU = try cpuSecondsPerCall(calls: 1) {
                    _ = try flow.sample(given: contexts, count: 1000, stream: RandomStream(seed: 7), workers: threads)
                }
            }
            Figure(suite: "flows", name: "\(name)_sample", value: 1e6 / sampleSeconds, unit: "samples/s",
                   extra: ["contexts": 1000, "per_context": 1000, "threads": threads, "per_cpu_second": (1e6 / sampleCPU).rounded(),
                           "peak_mib": (peakMemoryMiB() * 10).rounded() / 10]).print()
        }
    }
}

/// Process CPU seconds (user + system, all threads) per call of `body`. On a shared, overloaded machine this
/// is steadier than wall time: it counts only the cycles this process got. Spinning BLAS threads inflate it,
/// so it is a pessimistic cost, and per-CPU-second rates are comparable across loads.
func cpuSecondsPerCall(calls: Int, _ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    let start = now()
    for _ in 0..<calls { try body() }
    return (now() - start) / Double(calls)
}
