import Foundation
import NPEData
import NPEFlows
import NPESimulators
import NPETensor
import NPETraining

extension SequentialRefinement {
    /// The HDF5 metadata of round files and of the training file: the K inferred parameters, the prior's
    /// context, the simulator's grid. The creation date is the Unix epoch so a resumed run writes the same bytes.
    var datasetMetadata: TrainingDatasetMetadata {
        let grid = problem.simulator.spectralGrid, m = problem.simulator.outputCount
        let prior = problem.prior
        return TrainingDatasetMetadata(
            parameterNames: problem.thetaNames,
            parameterUnits: problem.thetaPrior.parameters.map { $0.unit ?? "" },
            priorJSON: (try? problem.thetaPrior.jsonString()) ?? "{}", contextNames: prior.contextNames,
            wavelength: grid?.wavelengths ?? (0..<m).map(Double.init), binWidth: grid?.binWidths ?? Array(repeating: 1, count: m),
            simulatorName: problem.simulator.name, simulatorVersion: problem.simulator.version,
            simulatorConfigurationJSON: Self.json(problem.simulator.configuration),
            noiseModelJSON: target.sigma.map { Self.json(["kind": "gaussian-per-bin", "sigma": "\($0)"]) } ?? "{}",
            seed: settings.seed, createdAt: Date(timeIntervalSince1970: 0))
    }

    static func json(_ dictionary: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(dictionary)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Writes a round's rows (the first K θ columns; failures flagged) and reads them back, so a live round and a
    /// resumed one continue from the same float values.
    func storeSimulations(_ rows: TrainingRows, round r: Int) throws -> TrainingRows {
        let width = problem.prior.thetaCount, k = problem.thetaCount, m = problem.simulator.outputCount
        let a = problem.prior.contextCount
        try FileManager.default.createDirectory(at: store.round(r), withIntermediateDirectories: true)
        let writer = try TrainingDatasetWriter(creatingAt: store.simulations(r), metadata: datasetMetadata, storesFlags: true,
                                               replacingExisting: true)
        for i in 0..<rows.count {
            try writer.append(theta: Array(rows.theta[i * width ..< i * width + k]), x: Array(rows.x[i * m ..< (i + 1) * m]),
                              context: a > 0 ? Array(rows.context![i * a ..< (i + 1) * a]) : nil, flags: [rows.flags?[i] ?? 0])
        }
        _ = try writer.commit()
        return try readRows(round: r)
    }

    func readRows(round r: Int) throws -> TrainingRows {
        do {
            let reader = try TrainingDatasetReader(contentsOf: store.simulations(r))
            defer { try? reader.close() }
            return try reader.readRows(0 ..< reader.rowCount)
        } catch {
            throw SequentialError.resumeMismatch(path: store.simulations(r).path, reason: "unreadable round simulations (\(error))")
        }
    }

    /// The valid rows (simulation succeeded) of all rounds, in round order.
    func validRows(_ rounds: [TrainingRows]) -> (theta: [Float], x: [Float], context: [Float]?) {
        var theta = [Float](), x = [Float](), context = [Float]()
        let k = problem.thetaCount, m = problem.simulator.outputCount, a = problem.prior.contextCount
        for rows in rounds {
            for i in 0..<rows.count where (rows.flags?[i] ?? 0) == 0 {
                theta += rows.theta[i * k ..< (i + 1) * k]
                x += rows.x[i * m ..< (i + 1) * m]
                if a > 0 { context += rows.context![i * a ..< (i + 1) * a] }
            }
        }
        return (theta, x, a > 0 ? context : nil)
    }

    /// A fresh estimator, standardised on the valid rows of the rounds so far (round 0).
    func makeEstimator(rows: [TrainingRows]) throws -> NeuralPosteriorEstimator {
        guard case let .fresh(architecture, seed) = start else {
            throw SequentialError.invalidSetting("a refinement that starts from a model has its estimator")
        }
        let valid = validRows(Array(rows.prefix(1)))
        let n = valid.theta.count / problem.thetaCount
        let standardization = try Standardization.fit(
            theta: Tensor(shape: [n, problem.thetaCount], scalars: valid.theta),
            x: Tensor(shape: [n, problem.simulator.outputCount], scalars: valid.x),
            context: try valid.context.map { try Tensor(shape: [n, problem.prior.contextCount], scalars: $0) },
            supports: architecture.thetaSupports, contextTransforms: architecture.contextTransforms)
        return try NeuralPosteriorEstimator(architecture: architecture, standardization: standardization, stream: .init(seed: seed))
    }

    /// Trains on every round's valid rows: the atomic loss for APT once any round was not drawn from the prior
    /// (round 0 from the prior is plain maximum likelihood, as in sbi), maximum likelihood otherwise.
    func train(round r: Int, state: inout RunState) throws -> (interrupted: Bool, validationLoss: Float) {
        if state.estimator == nil { state.estimator = try makeEstimator(rows: state.rounds) }
        let estimator = state.estimator!
        let valid = validRows(state.rounds)
        let k = problem.thetaCount, m = problem.simulator.outputCount, a = problem.prior.contextCount
        let rowCount = valid.theta.count / k
        let writer = try TrainingDatasetWriter(creatingAt: store.training, metadata: datasetMetadata, replacingExisting: true)
        for i in 0..<rowCount {
            try writer.append(theta: Array(valid.theta[i * k ..< (i + 1) * k]), x: Array(valid.x[i * m ..< (i + 1) * m]),
                              context: valid.context.map { Array($0[i * a ..< (i + 1) * a]) })
        }
        _ = try writer.commit()
        let reader = try TrainingDatasetReader(contentsOf: store.training)
        defer { try? reader.close() }
        var options = settings.training
        options.seed = seed(round: r, purpose: 3)
        let loss: any TrainingLoss = settings.method == .apt && state.fromPrior.contains(false)
            ? AtomicProposalLoss(prior: problem.thetaPrior, atoms: settings.atoms, seed: seed(round: r, purpose: 6))
            : MaximumLikelihood()
        let noise = try target.sigma.map { try NoiseAugmentation(sigma: $0.map(Float.init), seed: seed(round: r, purpose: 7)) }
        let trainer = Trainer(model: estimator, options: options, reader: reader, noise: noise, checkpointURL: store.checkpoint(r), loss: loss)
        trainer.shouldStop = shouldStop
        let result = try trainer.run(resume: true)
        if !result.interrupted { try? FileManager.default.removeItem(at: store.checkpoint(r)) }
        return (result.interrupted, result.bestValidationLoss)
    }
}
