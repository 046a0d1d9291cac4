/// Names and version of the posterior file that `npe-infer` writes (`docs/posterior-format.md`).
///
/// One HDF5 file per run, every array dataset chunked with shuffle + LZ4 (filter 32004), so h5py with hdf5plugin
/// reads it. T targets, S samples per target, D parameters.
public enum PosteriorFileFormat {
    /// The value of the `format` attribute.
    public static let formatName = "exonpe-posterior"
    /// The value of the `format_version` attribute. Readers refuse other versions.
    public static let version: Int64 = 1
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
    }

    /// The 7 statistics of `summary`'s last axis, in order.
    public static let summaryStatistics = ["mean", "std", "median", "p2.5", "p16", "p84", "p97.5"]
}
