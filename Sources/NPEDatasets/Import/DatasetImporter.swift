import Foundation
import NPEData
import NPESimulators

/// Turns (theta, x) pairs made by another simulator (TauREx, petitRADTRANS, …) into an ExoNPE training dataset.
///
/// The rows are copied in order, a chunk at a time (memory stays bounded for HDF5 and .npy sources), into
/// `DIR/dataset.h5`, published atomically. theta and context columns take the prior's names and order (D and A must
/// match the prior); the file records the prior, the declared noise model (``NoiseModel/none`` unless one is given,
/// so training adds no noise unless the user declares it), and the simulator name the user gives.
///
/// Imported rows must be clean: a NaN or infinity anywhere, or a theta/context value outside the prior's support,
/// is an error naming the file, dataset (or CSV column), row and column, not a flagged row, because an external
/// file's failures are the producer's to fix.
public struct DatasetImporter {
    /// Where the pairs come from.
    public enum Source: Sendable {
        /// HDF5 datasets `theta` [N, D], `x` [N, M], optional `context` [N, A]; float32 or float64.
        case hdf5(URL)
        /// One `.npy` per array (`<f4` or `<f8`, C order).
        case numpy(theta: URL, x: URL, context: URL?)
        /// A CSV with a column per theta/context name and x columns `x_0`, `x_1`, ….
        case csv(URL)
    }

    /// Where the pairs are read from.
    public var source: Source
    /// Names, units and supports of the theta and context columns.
    public var prior: Prior
    /// The noise model to declare (``NoiseModel/none`` unless the user declares one).
    public var noiseModel: NoiseModel
    /// The simulator name and configuration to record (provenance of the external code).
    public var simulatorName: String
    public var simulatorVersion: String
    /// The spectral grid, when the source does not store one; nil falls back to the feature index 0…M−1.
    public var grid: SpectralGrid?

    public init(
        source: Source, prior: Prior, noiseModel: NoiseModel = .none, simulatorName: String = "external",
        simulatorVersion: String = "unknown", grid: SpectralGrid? = nil
    ) {
        self.source = source
        self.prior = prior
        self.noiseModel = noiseModel
        self.simulatorName = simulatorName
        self.simulatorVersion = simulatorVersion
        self.grid = grid
    }

    /// Writes `directory/dataset.h5` (the directory is created; an existing dataset is never replaced).
    public func importDataset(into directory: URL) throws -> DatasetBuildSummary {
        let start = Date()
        let pairs: TrainingPairSource
        switch source {
        case .hdf5(let url): pairs = try HDF5PairSource(url: url)
        case .numpy(let theta, let x, let context): pairs = try NumpyPairSource(theta: theta, x: x, context: context)
        case .csv(let url): pairs = try CSVPairSource(url: url, prior: prior)
        }
        try checkShapes(of: pairs)
        try DatasetInputs.checkNoiseModel(noiseModel, bins: pairs.xColumns, source: "--noise-model")
        let store = DatasetShardStore(directory: directory)
        guard !FileManager.default.fileExists(atPath: store.datasetURL.path) else {
            throw DatasetBuildError.outputExists(path: store.datasetURL.path)
        }
        try AtomicFileWriting.makeDirectory(store.directory)
        let m = pairs.xColumns
        let spectral = pairs.grid ?? grid
        let metadata = TrainingDatasetMetadata(
            parameterNames: prior.thetaNames,
            parameterUnits: prior.thetaIndices.map { prior.parameters[$0].unit ?? "" },
            priorJSON: try prior.jsonString(), contextNames: prior.contextNames,
            wavelength: spectral?.wavelengths ?? (0..<m).map(Double.init),
            binWidth: spectral?.binWidths ?? Array(repeating: 1, count: m), simulatorName: simulatorName,
            simulatorVersion: simulatorVersion,
            simulatorConfigurationJSON: DatasetBuildPlan.sortedJSON(["imported_from": sourceDescription]),
            noiseModelJSON: try noiseModel.jsonString(), seed: 0, createdAt: start)
        let writer = try TrainingDatasetWriter(creatingAt: store.datasetURL, metadata: metadata)
        let digest = try writer.write {
            let block = writer.chunkRowCount
            for first in stride(from: 0, to: pairs.rowCount, by: block) {
                let rows = first..<min(first + block, pairs.rowCount)
                let values = try pairs.readRows(rows)
                try check(
                    values.theta, "theta", columns: pairs.thetaColumns, support: prior.thetaIndices, first: first, pairs
                )
                try check(values.x, "x", columns: m, support: nil, first: first, pairs)
                if let context = values.context {
                    try check(
                        context, "context", columns: pairs.contextColumns, support: prior.contextIndices, first: first,
                        pairs)
                }
                try writer.append(
                    theta: values.theta.map(Float.init), x: values.x.map(Float.init),
                    context: values.context?.map(Float.init))
            }
        }
        let bytes = store.datasetFileBytes
        return DatasetBuildSummary(
            datasetURL: store.datasetURL, rows: pairs.rowCount, failedRows: 0, firstFailedRow: nil, firstError: nil,
            fileBytes: bytes, uncompressedBytes: pairs.rowCount * 4 * (pairs.thetaColumns + m + pairs.contextColumns),
            shardsComputed: 0, shardsReused: 0, contentDigest: digest, seconds: Date().timeIntervalSince(start))
    }

    private var sourceDescription: String {
        switch source {
        case .hdf5(let url), .csv(let url): return url.path
        case .numpy(let theta, let x, let context):
            return ([theta, x] + (context.map { [$0] } ?? [])).map(\.path).joined(separator: ",")
        }
    }

    private func checkShapes(of pairs: TrainingPairSource) throws {
        func mismatch(_ dataset: String, _ found: Int, _ expected: Int, _ what: String) -> DatasetBuildError {
            .invalidInput(
                file: pairs.file(of: dataset), location: "dataset '\(dataset)'",
                reason: "\(found) columns, but the prior declares \(expected) \(what)")
        }
        guard pairs.thetaColumns == prior.thetaCount else {
            throw mismatch("theta", pairs.thetaColumns, prior.thetaCount, "theta parameters \(prior.thetaNames)")
        }
        guard pairs.contextColumns == prior.contextCount else {
            throw mismatch("context", pairs.contextColumns, prior.contextCount, "context inputs \(prior.contextNames)")
        }
        guard pairs.rowCount > 0 else {
            // No row to point at: name the file and say what a usable one holds.
            throw DatasetBuildError.invalidInput(
                file: pairs.file(of: "theta"), location: "dataset 'theta'",
                reason: "no data rows (a header, comments or an empty array only); at least one (theta, x) pair is needed")
        }
        if let grid, pairs.grid == nil, grid.wavelengths.count != pairs.xColumns {
            throw mismatch("x", pairs.xColumns, grid.wavelengths.count, "spectral bins in the given grid")
        }
    }

    /// Every value finite, and (for theta and context) inside the prior's support of its column.
    private func check(
        _ values: [Double], _ dataset: String, columns: Int, support: [Int]?, first: Int,
        _ pairs: TrainingPairSource
    ) throws {
        for (index, value) in values.enumerated() {
            let row = first + index / columns
            let column = index % columns
            if !Float(value).isFinite {
                let (file, location) = pairs.locate(dataset: dataset, row: row, column: column)
                let reason = value.isFinite ? "\(value) overflows float32" : "\(value) is not finite"
                throw DatasetBuildError.invalidInput(file: file, location: location, reason: reason)
            }
            if let support {
                let parameter = prior.parameters[support[column]]
                if !parameter.distribution.support.contains(value) {
                    let (file, location) = pairs.locate(dataset: dataset, row: row, column: column)
                    throw DatasetBuildError.invalidInput(
                        file: file, location: location,
                        reason:
                            "\(value) is outside the prior support \(parameter.distribution.support) "
                            + "of '\(parameter.name)'"
                    )
                }
            }
        }
    }
}
