/// Names and version of the posterior file that `npe-infer` writes (`docs/posterior-format.md`).
///
/// One HDF5 file per run, every array dataset chunked with shuffle + LZ4 (filter 32004), so h5py with hdf5plugin
/// reads it. T targets, S samples per target, D parameters.
public enum PosteriorFileFormat {
    /// The value of the `format` attribute.
    public static let formatName = "exonpe-posterior"
    /// The value of the `format_version` attribute this writer writes. Version 2 added the observed data (`x`,
    /// `sigma`, `wavelength`), the posterior predictive check (`ppc_*`) and flag bit 3 `model_misfit`.
    public static let version: Int64 = 2
    /// The versions readers accept: a version-1 file reads with no data and no predictive check. Others are refused.
    public static let readableVersions: ClosedRange<Int64> = 1...2
    /// The version of the tool that writes the file (`tool_version`).
    public static let toolVersion = "exonpe 0.1.0"

    /// Datasets at the file root.
    public enum Dataset: String, CaseIterable, Sendable {
        /// `[T, S, D]` float32: flow samples θ, in the model's parameter order.
        case samples
        /// `[T, S]` float32: log q(θ | x) of each sample.
        case logProposal = "log_q"
        /// `[T, S]` float32, importance sampling only: normalised log weights, logsumexp over S = 0.
        case logWeights = "log_weights"
        /// `[T]` float64, importance sampling only: Kish effective sample size.
        case effectiveSampleSize = "ess"
        /// `[T]` float64, importance sampling only: ESS / S.
        case efficiency
        /// `[T]` float64, importance sampling only: log of the evidence estimate Ẑ = mean of the raw weights.
        case logEvidence = "log_evidence"
        /// `[T, D, 7]` float64: the statistics of ``PosteriorFileFormat/summaryStatistics``.
        case summary
        /// `[T]` uint32: ``TargetHealth`` bits.
        case flags
        /// `[T]` strings: why each flag was raised ("" when none).
        case flagReasons = "flag_reasons"
        /// `[T]` strings: the catalogue's target ids.
        case id
        /// `[T, D]` float64, when the catalogue has truths: copied, reordered to the model's parameter order.
        case thetaTrue = "theta_true"
        /// `[T, M]` float64 (version 2): the observed spectra, as the catalogue gave them.
        case x
        /// `[T, M]` float64 (version 2): the σ each target was inferred with (the catalogue's, or the model's default).
        case sigma
        /// `[M]` float64 (version 2), when the catalogue has one: bin centres in µm.
        case wavelength
        /// `[T, N]` int64, with the predictive check: the sample index of each draw (−1 for a skipped target).
        case predictiveDraws = "ppc_draws"
        /// `[T, N]` float64: χ² of the data against each draw's noise-free spectrum, with the target's σ.
        case predictiveChiSquared = "ppc_chi2"
        /// `[T, N]` float64: χ² of each draw's first noise replicate against the same spectrum.
        case predictiveReplicateChiSquared = "ppc_chi2_replicate"
        /// `[T]` float64: the posterior predictive p-value.
        case predictivePValue = "ppc_p_value"
        /// `[T]` int64: the observed bins the χ² sums over.
        case predictiveObservedBins = "ppc_observed_bins"
        /// `[T, M, 5]` float64: quantiles 2.5, 16, 50, 84, 97.5 % of the draws' noise-free spectra per bin.
        case predictiveBands = "ppc_bands"
    }

    /// Root attributes.
    public enum Attribute: String, CaseIterable, Sendable {
        case format
        case formatVersion = "format_version"
        /// JSON array of D names.
        case parameterNames = "parameter_names"
        /// JSON array of D units ("" when dimensionless).
        case parameterUnits = "parameter_units"
        /// JSON array of the 7 summary statistic names.
        case summaryStatistics = "summary_statistics"
        /// `unweighted` or `importance_weighted`.
        case summaryWeighting = "summary_weighting"
        /// `name@version` of the model.
        case modelReference = "model_reference"
        /// Lowercase hex SHA-256 of the model's weights file.
        case modelWeightsSHA256 = "model_weights_sha256"
        /// The model kind (`npe-flow`).
        case modelKind = "model_kind"
        case modelCardSHA256 = "model_card_sha256"
        case runSeconds = "run_seconds"
        /// JSON array of the pre-processing steps run before the model (`npe-infer --preprocess`), in order; absent
        /// without pre-processing.
        case preprocessing
        case cataloguePath = "catalogue_path"
        /// Lowercase hex SHA-256 of the catalogue file's bytes.
        case catalogueSHA256 = "catalogue_sha256"
        case seed
        case samplesPerTarget = "samples_per_target"
        /// 1 when importance sampling ran, 0 otherwise.
        case importanceSampling = "importance_sampling"
        /// The run digest the writer keyed its shards on (see ``PosteriorRunIdentity``).
        case runDigest = "run_digest"
        /// JSON object: bit number → flag name.
        case flagBits = "flag_bits"
        case toolVersion = "tool_version"
        /// With the predictive check: N, R, the misfit threshold, the band quantiles (JSON array), and how the draws
        /// were chosen (`importance_resampled` or `proposal`).
        case predictiveDraws = "ppc_draws"
        case predictiveReplicates = "ppc_replicates"
        case misfitThreshold = "ppc_misfit_threshold"
        case predictiveBandQuantiles = "ppc_band_quantiles"
        case predictiveDrawWeighting = "ppc_draw_weighting"
    }

    /// The 7 statistics of `summary`'s last axis, in order.
    public static let summaryStatistics = ["mean", "std", "median", "p2.5", "p16", "p84", "p97.5"]
}
