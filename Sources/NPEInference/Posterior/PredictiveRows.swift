import Foundation
import NPEData

/// The posterior predictive checks of a contiguous range of targets, as the shard and final files store them
/// (row-major, rows = targets; `docs/posterior-format.md`, datasets `ppc_*`).
public struct PredictiveRows: Sendable, Equatable {
    /// N draws per target and M bins.
    public var draws: Int
    public var bins: Int
    /// `[n, N]` sample indices, χ² of the data and of the first replicate against each draw.
    public var drawIndices: [Int64]
    public var chiSquared: [Double]
    public var replicateChiSquared: [Double]
    /// `[n]` p-values and observed-bin counts.
    public var pValue: [Double]
    public var observedBins: [Int64]
    /// `[n, M, 5]` the bands of ``PosteriorPredictiveCheck/bandQuantiles``.
    public var bands: [Double]

    public var targetCount: Int { pValue.count }

    init(_ checks: [PosteriorPredictiveCheck], draws: Int, bins: Int) {
        self.draws = draws
        self.bins = bins
        drawIndices = checks.flatMap(\.draws)
        chiSquared = checks.flatMap(\.chiSquared)
        replicateChiSquared = checks.flatMap(\.replicateChiSquared)
        pValue = checks.map(\.pValue)
        observedBins = checks.map { Int64($0.observedBins) }
        bands = checks.flatMap(\.bands)
    }

    init(draws: Int, bins: Int, drawIndices: [Int64], chiSquared: [Double], replicateChiSquared: [Double], pValue: [Double],
         observedBins: [Int64], bands: [Double]) {
        self.draws = draws
        self.bins = bins
        self.drawIndices = drawIndices
        self.chiSquared = chiSquared
        self.replicateChiSquared = replicateChiSquared
        self.pValue = pValue
        self.observedBins = observedBins
        self.bands = bands
    }

    /// Target `t`'s check (t counted from the first row held).
    public func check(_ t: Int) -> PosteriorPredictiveCheck {
        let n = draws, q = PosteriorPredictiveCheck.bandQuantiles.count
        return PosteriorPredictiveCheck(
            draws: Array(drawIndices[(t * n)..<((t + 1) * n)]), chiSquared: Array(chiSquared[(t * n)..<((t + 1) * n)]),
            replicateChiSquared: Array(replicateChiSquared[(t * n)..<((t + 1) * n)]), pValue: pValue[t],
            observedBins: Int(observedBins[t]), bands: Array(bands[(t * bins * q)..<((t + 1) * bins * q)]))
    }

    typealias Name = PosteriorFileFormat.Dataset

    /// Writes the rows as new uncompressed datasets of a shard's root.
    func create(in group: HDF5Group) throws {
        let n = targetCount, q = PosteriorPredictiveCheck.bandQuantiles.count
        try group.createDataset(Name.predictiveDraws.rawValue, values: drawIndices, shape: [n, draws])
        try group.createDataset(Name.predictiveChiSquared.rawValue, values: chiSquared, shape: [n, draws])
        try group.createDataset(Name.predictiveReplicateChiSquared.rawValue, values: replicateChiSquared, shape: [n, draws])
        try group.createDataset(Name.predictivePValue.rawValue, values: pValue, shape: [n])
        try group.createDataset(Name.predictiveObservedBins.rawValue, values: observedBins, shape: [n])
        try group.createDataset(Name.predictiveBands.rawValue, values: bands, shape: [n, bins, q])
    }

    /// The final file's `ppc_*` datasets, created at full size [T, …] (shuffle + LZ4) and filled shard by shard.
    struct Output {
        let datasets: [HDF5Dataset]

        init(in group: HDF5Group, targets t: Int, draws: Int, bins: Int) throws {
            func make<T: HDF5Element>(_ name: Name, _ type: T.Type, _ shape: [Int]) throws -> HDF5Dataset {
                try group.createDataset(name.rawValue, of: type, shape: shape,
                                        options: HDF5DatasetOptions(extendable: false, compression: .shuffleLZ4))
            }
            datasets = [
                try make(.predictiveDraws, Int64.self, [t, draws]), try make(.predictiveChiSquared, Double.self, [t, draws]),
                try make(.predictiveReplicateChiSquared, Double.self, [t, draws]), try make(.predictivePValue, Double.self, [t]),
                try make(.predictiveObservedBins, Int64.self, [t]),
                try make(.predictiveBands, Double.self, [t, bins, PosteriorPredictiveCheck.bandQuantiles.count]),
            ]
        }

        func write(_ rows: PredictiveRows, startingAt first: Int) throws {
            try datasets[0].writeRows(rows.drawIndices, startingAt: first)
            try datasets[1].writeRows(rows.chiSquared, startingAt: first)
            try datasets[2].writeRows(rows.replicateChiSquared, startingAt: first)
            try datasets[3].writeRows(rows.pValue, startingAt: first)
            try datasets[4].writeRows(rows.observedBins, startingAt: first)
            try datasets[5].writeRows(rows.bands, startingAt: first)
        }
    }

    /// Reads the rows from `group`; nil when it has none (no check ran, or a version-1 file).
    static func read(from group: HDF5Group, path: String) throws -> PredictiveRows? {
        guard try group.contains(Name.predictivePValue.rawValue) else { return nil }
        let indices = try group.openDataset(Name.predictiveDraws.rawValue)
        let shape = try indices.shape()
        let bandShape = try group.openDataset(Name.predictiveBands.rawValue).shape()
        guard shape.count == 2, bandShape.count == 3 else {
            throw InferenceError.output(path: path, reason: "ppc_draws must be [T, N] and ppc_bands [T, M, 5]")
        }
        return PredictiveRows(
            draws: shape[1], bins: bandShape[1], drawIndices: try indices.readAll(as: Int64.self),
            chiSquared: try group.openDataset(Name.predictiveChiSquared.rawValue).readAll(as: Double.self),
            replicateChiSquared: try group.openDataset(Name.predictiveReplicateChiSquared.rawValue).readAll(as: Double.self),
            pValue: try group.openDataset(Name.predictivePValue.rawValue).readAll(as: Double.self),
            observedBins: try group.openDataset(Name.predictiveObservedBins.rawValue).readAll(as: Int64.self),
            bands: try group.openDataset(Name.predictiveBands.rawValue).readAll(as: Double.self))
    }
}
