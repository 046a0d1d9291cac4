import Foundation
import NPEData
import NPESimulators
import NPETensor
import NPESupport

/// `npe-validate`'s work: held-out simulations in, a ``ValidationReport`` out.
///
/// 1. The dataset (training format, noise-free x) must fit the model: same theta names, context names and grid.
/// 2. The first N rows without a failed-simulation flag are taken; each gets noise from the model's own training
///    noise (``ObservationNoise``; epoch 0, the validation seed), so validation sees the noise the model was trained
///    for.
/// 3. S samples per row, in batches of ``ValidationOptions/batchRows`` rows per call, and log q of each truth.
/// 4. ``CalibrationMetrics``; then, on the first ``ValidationOptions/referenceRows`` rows, the ADC2023 score (and
///    optionally C2ST) against importance-weighted samples (``ReferenceScoring``), when a simulator is given.
public enum Validation {
    /// The dataset file a `--dataset` argument names: `DIR/dataset.h5` for a directory (as `npe-train` accepts),
    /// else the path itself.
    ///
    /// - Throws: ``ValidationRunError/invalidOption(name:reason:)`` for a directory without `dataset.h5` or a
    ///   missing path, so the user never sees HDF5's raw error stack for a path that is not a file.
    public static func datasetFile(_ url: URL) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ValidationRunError.invalidOption(name: "dataset", reason: "\(url.path) does not exist")
        }
        guard isDirectory.boolValue else { return url }
        let file = url.appendingPathComponent("dataset.h5")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ValidationRunError.invalidOption(
                name: "dataset", reason: "\(url.path) is a directory without dataset.h5 (pass a dataset file or a dataset directory)")
        }
        return file
    }

    public static func run(model: ValidationModel, dataset url: URL, simulator: (any Simulator)?,
                           options: ValidationOptions) throws -> ValidationReport {
        let start = Date()
        guard options.samples >= 2 else { throw ValidationRunError.invalidOption(name: "samples", reason: "\(options.samples) < 2") }
        guard options.workers >= 1 else { throw ValidationRunError.invalidOption(name: "threads", reason: "\(options.workers) < 1") }
        guard options.batchRows >= 1 else { throw ValidationRunError.invalidOption(name: "batch rows", reason: "\(options.batchRows) < 1") }
        if let rows = options.rows, rows < 1 { throw ValidationRunError.invalidOption(name: "rows", reason: "\(rows) < 1") }
        guard options.referenceRows >= 0 else { throw ValidationRunError.invalidOption(name: "reference rows", reason: "negative") }
        if !options.missingBins.isEmpty {
            guard model.acceptsMissingBins else {
                throw ValidationRunError.invalidOption(
                    name: "missing bins", reason: "\(model.reference) was trained on complete spectra (no mask input); train one with mask_augmentation")
            }
            let m = model.wavelengths.count
            guard options.missingBins.allSatisfy({ (0..<m).contains($0) }), Set(options.missingBins).count < m else {
                throw ValidationRunError.invalidOption(
                    name: "missing bins", reason: "\(ValidationOptions.describe(bins: options.missingBins.sorted())) must lie in 0–\(m - 1) and leave a bin observed")
            }
        }
        if model.takesNoiseLevel && model.noise == nil {
            throw ValidationRunError.invalidOption(name: "model", reason: "the network takes σ as input but declares no training noise")
        }
        let url = try datasetFile(url)
        let reader = try TrainingDatasetReader(contentsOf: url)
        defer { try? reader.close() }
        try checkCompatibility(model: model, metadata: reader.metadata, file: url.path)
        // The record reports this digest as the test set's identity, so it must be the rows' digest (as npe-train
        // checks before training): last of the checks, since it reads the whole file.
        try reader.verifyContentDigest()

        // Usable rows, in file order.
        let d = model.parameterNames.count, m = model.wavelengths.count, a = model.contextNames.count
        let wanted = min(options.rows ?? reader.rowCount, reader.rowCount)
        var rows = TestRows(dimension: d, bins: m, contextCount: a)
        var flagged = 0, outsideTraining = 0
        for chunk in 0..<reader.chunkCount where rows.count < wanted {
            let block = try reader.readChunk(chunk)
            for k in 0..<block.count where rows.count < wanted {
                if let flags = block.flags, flags[k] & 1 != 0 { flagged += 1; continue }
                if let range = model.trainingRange, !range.contains(block.x[(k * m)..<((k + 1) * m)]) { outsideTraining += 1; continue }
                rows.append(block, k)
            }
        }
        guard rows.count >= 2 else {
            throw ValidationRunError.notEnoughRows(
                file: url.path, usable: rows.count,
                reason: "\(flagged) rows are flagged as failed simulations, \(outsideTraining) lie outside the training range of x")
        }
        if let noise = model.noise {
            for r in 0..<rows.count {
                var x = Array(rows.x[(r * m)..<((r + 1) * m)])
                let sigma = noise.perturb(&x, row: rows.datasetRows[r], epoch: 0, seed: options.seed)
                rows.x.replaceSubrange((r * m)..<((r + 1) * m), with: x)
                rows.sigma += sigma
            }
        }
        // NaN marks a bin that was not observed (the catalogue convention); the estimator reads it as missing.
        for r in 0..<rows.count {
            for bin in options.missingBins { rows.x[r * m + bin] = .nan }
        }

        let samplingStart = Date()
        var theta: [Float] = [], logq: [Float] = [], logqTruth: [Float] = []
        theta.reserveCapacity(rows.count * options.samples * d)
        for (batch, first) in stride(from: 0, to: rows.count, by: options.batchRows).enumerated() {
            let range = first..<min(first + options.batchRows, rows.count)
            let inputs = try rows.tensors(range, withSigma: model.takesNoiseLevel)
            let draws = try model.posterior.sample(
                x: inputs.x, sigma: inputs.sigma, context: inputs.context, count: options.samples,
                stream: RandomStream(seed: options.seed, stream: 0x5A).child(UInt64(batch)), workers: options.workers)
            theta += draws.theta
            logq += draws.logProbability
            logqTruth += try model.posterior.logProbability(
                of: Tensor(shape: [range.count, d], scalars: Array(rows.theta[(range.lowerBound * d)..<(range.upperBound * d)])),
                x: inputs.x, sigma: inputs.sigma, context: inputs.context)
        }
        let samplingSeconds = Date().timeIntervalSince(samplingStart)
        let draws = PosteriorDraws(rows: rows.count, count: options.samples, dimension: d, theta: theta, logProbability: logq)
        let thetaPrior = try model.prior.restricted(toTheta: model.parameterNames)
        let metrics = CalibrationMetrics(
            truths: rows.theta.map(Double.init), logProbabilityOfTruths: logqTruth.map(Double.init), draws: draws,
            prior: thetaPrior, levels: options.levels, seed: options.seed)

        var reference = ValidationReport.ReferenceScore.skipped(
            "no reference samples: the dataset carries none; pass --reference-rows K to score K rows against "
                + "importance-weighted samples (costs K × S simulations)")
        if options.referenceRows > 0 {
            if let simulator, model.noise != nil {
                if let mismatch = ReferenceScoring.mismatch(simulator: simulator, model: model) {
                    reference = .skipped(mismatch)
                } else {
                    reference = try ReferenceScoring(model: model, simulator: simulator, options: options)
                        .score(rows: rows, draws: draws)
                }
            } else {
                reference = .skipped(simulator == nil
                    ? "the dataset's simulator '\(reader.metadata.simulatorName)' is not built in, so the exact likelihood is unavailable"
                    : "the model was trained on noise-free x, so there is no likelihood to weight by")
            }
        }

        let n = rows.count
        let bands = options.levels.map { BinomialBand.interval(trials: n, probability: $0) }
        let outside = zip(options.levels, zip(metrics.coverage, bands)).filter { !$1.1.contains($1.0) }.map(\.0)
        return ValidationReport(
            model: .init(reference: model.reference, weightsSha256: model.weightsSha256, noise: model.noise?.source),
            dataset: .init(path: url.path, contentSha256: reader.contentDigest, rowsAvailable: reader.rowCount,
                           rowsUsed: n, rowsFlagged: flagged, rowsOutsideTrainingRange: outsideTraining),
            samples: options.samples, seed: options.seed, levels: options.levels, coverage: metrics.coverage,
            bandLower: bands.map(\.lowerBound), bandUpper: bands.map(\.upperBound),
            maxCoverageDeviation: zip(metrics.coverage, options.levels).map { abs($0 - $1) }.max() ?? 0,
            levelsOutsideBand: outside, tarp: metrics.tarp, sbcBins: metrics.sbcBins, parameters: metrics.parameters,
            referenceScore: reference, samplingSeconds: samplingSeconds, totalSeconds: Date().timeIntervalSince(start),
            missingBins: options.missingBins.isEmpty ? nil : options.missingBins.sorted())
    }

    /// Throws ``ValidationRunError/incompatible(file:field:expected:found:)`` for a different parameter set, context
    /// set, bin count or grid (bin centres agreeing to 1e-6 relative, the precision a JSON round trip keeps).
    public static func checkCompatibility(model: ValidationModel, metadata: TrainingDatasetMetadata, file: String) throws {
        func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }
        guard metadata.parameterNames == model.parameterNames else {
            throw ValidationRunError.incompatible(file: file, field: "parameter_names", expected: list(model.parameterNames),
                                               found: list(metadata.parameterNames))
        }
        guard metadata.contextNames == model.contextNames else {
            throw ValidationRunError.incompatible(file: file, field: "context_names", expected: list(model.contextNames),
                                               found: list(metadata.contextNames))
        }
        guard metadata.wavelength.count == model.wavelengths.count else {
            throw ValidationRunError.incompatible(file: file, field: "bin count", expected: "\(model.wavelengths.count)",
                                               found: "\(metadata.wavelength.count)")
        }
        if let bin = model.wavelengths.indices.first(where: { abs(metadata.wavelength[$0] - model.wavelengths[$0]) > 1e-6 * max(abs(model.wavelengths[$0]), 1e-12) }) {
            throw ValidationRunError.incompatible(file: file, field: "wavelength[\(bin)]", expected: "\(model.wavelengths[bin]) um",
                                               found: "\(metadata.wavelength[bin]) um")
        }
    }
}

extension Prior {
    /// The prior of the named theta parameters only, in the given order (context and fixed parameters dropped).
    func restricted(toTheta names: [String]) throws -> Prior {
        let parameters = try names.map { name -> PriorParameter in
            guard let parameter = parameter(named: name), parameter.role == .theta else {
                throw ValidationRunError.incompatible(file: source, field: "prior", expected: "theta parameter '\(name)'", found: "none")
            }
            return parameter
        }
        return try Prior(parameters: parameters, source: source)
    }
}
