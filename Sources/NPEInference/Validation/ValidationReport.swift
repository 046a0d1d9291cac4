import Foundation

/// What `npe-validate` measured: the results of one evaluation record (kind `validation`), written as JSON with
/// snake_case keys (`docs/validation.md` lists every field).
///
/// A report and its records are built in one place, ``Validation``, or decoded (``decode(_:)``,
/// `init(record:)`), so they spell no public memberwise initialiser.
public struct ValidationReport: Codable, Sendable, Equatable {
    /// The model evaluated.
    public struct ModelInfo: Codable, Sendable, Equatable {
        /// `name@version`.
        public var reference: String
        public var weightsSha256: String
        /// The training noise the test spectra were drawn with (nil: noise-free).
        public var noise: String?
    }

    /// The held-out dataset.
    public struct DatasetInfo: Codable, Sendable, Equatable {
        public var path: String
        public var contentSha256: String
        /// Rows in the file, rows used, rows left out because their simulation had failed (flag bit 0), and rows
        /// left out because their noise-free x lies outside the range training accepted (its outlier filter).
        public var rowsAvailable: Int
        public var rowsUsed: Int
        public var rowsFlagged: Int
        public var rowsOutsideTrainingRange: Int = 0
    }

    /// Per-parameter results.
    public struct ParameterResult: Codable, Sendable, Equatable {
        public var name: String
        public var unit: String
        /// Coverage of the central (equal-tailed) marginal credible interval at each level.
        public var coverage: [Double]
        /// SBC: rank histogram over ``sbcBins`` equal bins of {0, …, S}, Pearson χ² against uniformity and its
        /// upper-tail p-value.
        public var sbcHistogram: [Int]
        public var sbcChiSquared: Double
        public var sbcPValue: Double
        /// √mean (posterior mean − truth)², the same for the prior mean (the scale a useless model reaches), and
        /// the mean posterior standard deviation (for a calibrated model about equal to the RMSE).
        public var rmse: Double
        public var priorRmse: Double
        public var meanPosteriorStandardDeviation: Double
    }

    /// The score against reference samples (ADC2023 and C2ST), or why it was not computed.
    public struct ReferenceScore: Codable, Sendable, Equatable {
        /// `computed` or `skipped`.
        public var status: String
        public var reason: String?
        /// What the reference is (`importance-weighted flow samples against the exact likelihood`).
        public var reference: String?
        public var rows: Int
        /// Mean over rows of the ADC2023 score (0…1000) and, when run, of the C2ST accuracy (0.5 = indistinguishable).
        public var adc2023: Double?
        public var c2stAccuracy: Double?
        /// Mean importance-sampling efficiency ESS/S over those rows, and the simulations spent.
        public var meanEfficiency: Double?
        public var simulations: Int
        public var seconds: Double

        public static func skipped(_ reason: String) -> ReferenceScore {
            ReferenceScore(status: "skipped", reason: reason, reference: nil, rows: 0, adc2023: nil, c2stAccuracy: nil,
                           meanEfficiency: nil, simulations: 0, seconds: 0)
        }
    }

    public var model: ModelInfo
    public var dataset: DatasetInfo
    /// S posterior samples per row, and the validation seed (noise and sampling).
    public var samples: Int
    public var seed: UInt64
    /// Credibility levels γ (0.05, 0.10, …, 0.95).
    public var levels: [Double]
    /// Expected coverage of the joint highest-density regions at each level (Hermans et al. 2022).
    public var coverage: [Double]
    /// The exact binomial 95 % band of a calibrated model's coverage estimate at each level, for this N.
    public var bandLower: [Double]
    public var bandUpper: [Double]
    /// max over levels of |coverage − γ|, and the levels where the coverage leaves the band.
    public var maxCoverageDeviation: Double
    public var levelsOutsideBand: [Double]
    /// TARP expected coverage probability at each level (Lemos et al. 2023).
    public var tarp: [Double]
    /// Number of SBC histogram bins.
    public var sbcBins: Int
    public var parameters: [ParameterResult]
    public var referenceScore: ReferenceScore
    /// Wall-clock seconds sampling, and in total.
    public var samplingSeconds: Double
    public var totalSeconds: Double
    /// Bins removed from every test spectrum (``ValidationOptions/missingBins``), for a mask-aware model; absent
    /// when the spectra were complete.
    public var missingBins: [Int]?

    /// Encodes the report as JSON (sorted keys, snake_case).
    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Decodes ``jsonData(pretty:)``.
    public static func decode(_ data: Data) throws -> ValidationReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ValidationReport.self, from: data)
    }
}
