extension TrainingConfiguration {
    /// The `mask_augmentation` section: train a mask-aware estimator (``NPEFlows/EstimatorArchitecture/maskInput``)
    /// by hiding instrument segments and single bins of training spectra (``MaskAugmentation``). Absent (nil): the
    /// model reads complete spectra only, and `npe-infer` refuses targets with missing bins.
    public struct Masking: Codable, Equatable, Sendable {
        /// Which contiguous ranges are dropped as a whole.
        public enum Segments: Codable, Equatable, Sendable {
            /// Ariel's instruments (VISPhot, FGS1, FGS2, NIRSpec, AIRS-CH0, AIRS-CH1), found on the dataset's
            /// wavelength grid (``InstrumentSegment/arielCoverage``).
            case ariel
            /// No segments: random bins only (YAML `none`).
            case noSegments
            /// Explicit bin ranges (0-based, inclusive).
            case bins([InstrumentSegment])
        }

        /// p, the share of rows (each epoch) that are masked at all.
        public var probability = 0.5
        public var segments: Segments = .ariel
        /// q, the chance each segment of a masked row is dropped. 0.3 on Ariel's six segments drops exactly one
        /// instrument in 30 % of masked rows and none in 12 % (random bins only), so the common case of one
        /// missing instrument is trained on often.
        public var segmentProbability = 0.3
        /// r_max, the upper end of the per-row rate at which single bins are dropped (mean 5 % at 0.1).
        public var randomBins = 0.1
        public init() {}

        /// The augmentation for a dataset with bin centres `wavelengths` [µm] (their count is M).
        ///
        /// - Throws: ``TrainingSetupError/maskUnavailable(dataset:reason:)`` when `ariel` segments do not fit the
        ///   grid, or explicit segments lie outside it.
        public func resolve(wavelengths: [Double], seed: UInt64, path: String) throws -> MaskAugmentation {
            let resolved: [InstrumentSegment]
            switch segments {
            case .noSegments: resolved = []
            case let .bins(list): resolved = list
            case .ariel:
                guard let found = InstrumentSegment.segments(of: InstrumentSegment.arielCoverage, centres: wavelengths) else {
                    throw TrainingSetupError.maskUnavailable(
                        dataset: path, reason: "segments: ariel needs a grid whose bins all lie in Ariel's instrument ranges "
                            + "(0.50–7.80 µm, each instrument contiguous); give explicit segments: [[first, last], ...] instead")
                }
                resolved = found
            }
            do {
                return try MaskAugmentation(binCount: wavelengths.count, segments: resolved, probability: probability,
                                            segmentProbability: segmentProbability, randomBinRate: randomBins, seed: seed)
            } catch let error as MaskAugmentationError {
                throw TrainingSetupError.maskUnavailable(dataset: path, reason: error.description)
            }
        }
    }
}
