import Foundation
import NPEFlows
import NPEInference
import NPEModels
import NPESimulators
import NPETransmission
import NPETensor
import NPESupport

/// `infer`: the `npe-infer` pipeline end to end (sampling, summaries, shards, the final LZ4 file) with the default
/// model size: ARIEL prior (D = 7, A = 2), M = 52, MLP embedding [64] → 32, 5 transforms of hidden 50×2, 10 spline
/// bins; flow kind `nsfc` (sbi's default NSF) unless `FLOW_KIND=nsf|maf`. Weights are untrained (timing only); the
/// standardisation comes from 2000 prior-predictive simulations so the inputs are on a training-like scale.
///
/// - `infer_<T>x<S>_s`: seconds for T targets × S samples without importance sampling (default 1000 × 10,000;
///   `INFER_TARGETS`, `INFER_SAMPLES` shrink it for a sanity run), and the samples/s it implies.
/// - `is_ms_per_target`: importance sampling against the ARIEL simulator at S = `IS_SAMPLES` (default 1000) for
///   `IS_TARGETS` (default 4) targets: milliseconds per target for the S simulations and the weights.
enum InferSuite {
    static func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let threads = benchmarkThreads
        let targets = Int(environment["INFER_TARGETS"] ?? "") ?? 1000
        let samples = Int(environment["INFER_SAMPLES"] ?? "") ?? 10_000
        let isSamples = Int(environment["IS_SAMPLES"] ?? "") ?? 1000
        let isTargets = Int(environment["IS_TARGETS"] ?? "") ?? 4
        let kind = FlowArchitecture.Kind(rawValue: environment["FLOW_KIND"] ?? "nsfc") ?? .nsfc
        Engine.configure(blasThreads: 1)

        let prior = try Prior.arielADC2023()
        let simulator = try ArielTransmissionSimulator()
        let inputs = try prior.parameterIndices(forInputs: simulator.inputNames, simulator: simulator.name)
        let stream = RandomStream(seed: 2026)
        /// Row r of the prior predictive: (θ, context, noise-free x).
        func draw(_ r: Int) throws -> (theta: [Double], context: [Double], x: [Double]) {
            let values = prior.draw(uniforms: (0..<prior.uniformCount).map { stream.child(UInt64(r)).uniformDouble(UInt64($0)) })
            return (prior.thetaIndices.map { values[$0] }, prior.contextIndices.map { values[$0] },
                    try simulator.simulate(inputs.map { values[$0] }))
        }
        /// `count` rows from `first` on, skipping draws whose spectrum is not finite (the simulator's failures, which
        /// the dataset builder flags and training skips).
        func rows(_ count: Int, from first: Int) throws -> [(theta: [Double], context: [Double], x: [Double])] {
            var out: [(theta: [Double], context: [Double], x: [Double])] = []
            var r = first
            while out.count < count {
                let row = try draw(r)
                if row.x.allSatisfy({ Float($0).isFinite && $0 > 0 && $0 < 1 }) { out.append(row) }
                r += 1
            }
            return out
        }
        let fitRows = try rows(2000, from: 0)
        let architecture = EstimatorArchitecture(
            thetaSupports: PriorSupportMaps.thetaSupports(of: prior), xCount: 52,
            contextTransforms: PriorSupportMaps.contextTransforms(of: prior), flowKind: kind, transforms: 5,
            hiddenWidths: [50, 50], bins: 10)
        let standardization = try Standardization.fit(
            theta: try Tensor(shape: [2000, 7], scalars: fitRows.flatMap { $0.theta.map(Float.init) }),
            x: try Tensor(shape: [2000, 52], scalars: fitRows.flatMap { $0.x.map(Float.init) }),
            context: try Tensor(shape: [2000, 2], scalars: fitRows.flatMap { $0.context.map(Float.init) }),
            supports: architecture.thetaSupports, contextTransforms: architecture.contextTransforms)
        let estimator = try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization,
                                                     stream: RandomStream(seed: 1))
        // 50 ppm per bin: a bright Ariel target.
        let sigma = [Double](repeating: 5e-5, count: 52)
        func catalogue(_ count: Int) throws -> Catalogue {
            let rows = try rows(count, from: 1_000_000)
            let x = rows.enumerated().flatMap { r, row in row.x.enumerated().map { $1 + sigma[$0] * stream.child(9).normalDouble(UInt64(52 * r + $0)) } }
            return try Catalogue(source: "bench", ids: (0..<count).map { "t\($0)" }, wavelengths: nil, x: x,
                                 sigma: (0..<count).flatMap { _ in sigma }, contextNames: prior.contextNames,
                                 context: rows.flatMap(\.context), thetaNames: prior.thetaNames, thetaTrue: rows.flatMap(\.theta))
        }
        let requirements = ModelRequirements(
            reference: "bench@1", kind: PosteriorModel.kind, weightsSHA256: "", parameterNames: prior.thetaNames,
            parameterUnits: prior.thetaIndices.map { prior.parameters[$0].unit ?? "" }, wavelengths: nil, binCount: 52,
            contextNames: prior.contextNames, defaultSigma: nil)
        let screening = TargetScreening(xMean: standardization.xMean.map(Double.init),
                                        xStandardDeviation: standardization.xScale.map(Double.init), contextPrior: prior)
        let sampler = EstimatorSampler(estimator: estimator, parameterNames: prior.thetaNames)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("npe-bench-infer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let plain = try InferenceJob(
            catalogue: try catalogue(targets), catalogueSHA256: "bench", model: requirements, sampler: sampler,
            samplerReadsSigma: false, likelihood: nil, screening: screening,
            settings: InferenceSettings(samplesPerTarget: samples, seed: 1, importanceSampling: false, batchTargets: 64, threads: threads))
        let started = DispatchTime.now().uptimeNanoseconds
        let summary = try InferenceRun.run(plain, output: directory.appendingPathComponent("plain.h5"), resume: false)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        Figure(suite: "infer", name: "infer_\(targets)x\(samples)_s", value: seconds, unit: "s",
               extra: ["targets": targets, "samples": samples, "threads": threads, "flow": kind.rawValue,
                       "samples_per_s": (Double(targets * samples) / seconds).rounded(),
                       "sampling_s": (summary.samplingSeconds * 100).rounded() / 100,
                       "peak_mib": (peakMemoryMiB() * 10).rounded() / 10]).print()

        let likelihood = try SimulatorLikelihood(simulator: simulator, prior: prior, thetaNames: prior.thetaNames,
                                                 contextNames: prior.contextNames, model: "bench@1")
        let weighed = try InferenceJob(
            catalogue: try catalogue(isTargets), catalogueSHA256: "bench", model: requirements, sampler: sampler,
            samplerReadsSigma: false, likelihood: likelihood, screening: screening,
            settings: InferenceSettings(samplesPerTarget: isSamples, seed: 1, importanceSampling: true, batchTargets: 64, threads: threads))
        let run = try InferenceRun.run(weighed, output: directory.appendingPathComponent("weighed.h5"), resume: false)
        Figure(suite: "infer", name: "is_ms_per_target", value: run.importanceMillisecondsPerTarget ?? .nan, unit: "ms",
               extra: ["samples": isSamples, "targets": isTargets, "threads": threads, "simulator": simulator.name,
                       "simulations_per_s": (Double(isSamples * run.sampledTargets) / run.importanceSeconds).rounded()]).print()
    }
}
