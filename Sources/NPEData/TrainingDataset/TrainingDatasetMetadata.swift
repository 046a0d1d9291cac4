import Foundation

/// Everything a training dataset says about itself besides its rows.
///
/// JSON-valued fields hold JSON text (an object, array or scalar). The writer checks that each one
/// parses; their schemas belong to the code that writes them (the prior file, the simulator, the
/// noise model), so this layer stores them verbatim and h5py users can `json.loads` them.
public struct TrainingDatasetMetadata: Equatable, Sendable {
    /// Names of the `D` parameters, the columns of `theta`.
    public var parameterNames: [String]
    /// Units of the parameters (same length; "" for dimensionless).
    public var parameterUnits: [String]
    /// The prior the rows were drawn from, as JSON.
    public var priorJSON: String
    /// Names of the `A` context inputs, the columns of `context` (empty: no `context` dataset).
    public var contextNames: [String]
    /// Bin centres of the `M` spectral bins, the columns of `x`, in micrometres. For simulators
    /// whose `x` is not a spectrum (the analytic test problems) use the feature index `0..<M`.
    public var wavelength: [Double]
    /// Bin widths in micrometres (same length as ``wavelength``; 1 for non-spectral features).
    public var binWidth: [Double]
    /// The simulator's registered name, e.g. `ariel-transmission`.
    public var simulatorName: String
    /// The simulator's version string.
    public var simulatorVersion: String
    /// The simulator's configuration, as JSON.
    public var simulatorConfigurationJSON: String
    /// The declared noise model training applies to the noise-free `x`, as JSON.
    public var noiseModelJSON: String
    /// The seed the rows were generated from.
    public var seed: UInt64
    /// When the dataset was written (stored to whole seconds, UTC).
    public var createdAt: Date

    /// Memberwise; `createdAt` defaults to now.
    public init(parameterNames: [String], parameterUnits: [String], priorJSON: String, contextNames: [String],
                wavelength: [Double], binWidth: [Double], simulatorName: String, simulatorVersion: String,
                simulatorConfigurationJSON: String, noiseModelJSON: String, seed: UInt64, createdAt: Date = Date()) {
        self.parameterNames = parameterNames
        self.parameterUnits = parameterUnits
        self.priorJSON = priorJSON
        self.contextNames = contextNames
        self.wavelength = wavelength
        self.binWidth = binWidth
        self.simulatorName = simulatorName
        self.simulatorVersion = simulatorVersion
        self.simulatorConfigurationJSON = simulatorConfigurationJSON
        self.noiseModelJSON = noiseModelJSON
        self.seed = seed
        self.createdAt = createdAt
    }

    /// `D`, the columns of `theta`.
    public var parameterCount: Int { parameterNames.count }
    /// `M`, the columns of `x`.
    public var featureCount: Int { wavelength.count }
    /// `A`, the columns of `context` (0 when absent).
    public var contextCount: Int { contextNames.count }

    /// Checks internal consistency; `file` names the dataset file in errors.
    func validate(file: String) throws {
        func invalid(_ attribute: String, _ reason: String) -> TrainingDatasetError {
            .invalidMetadata(file: file, attribute: attribute, reason: reason)
        }
        guard !parameterNames.isEmpty else { throw invalid("parameter_names", "no parameters") }
        guard Set(parameterNames).count == parameterNames.count else { throw invalid("parameter_names", "duplicate name") }
        guard parameterUnits.count == parameterNames.count else {
            throw invalid("parameter_units", "\(parameterUnits.count) units for \(parameterNames.count) parameters")
        }
        guard Set(contextNames).count == contextNames.count else { throw invalid("context_names", "duplicate name") }
        guard !wavelength.isEmpty else { throw invalid("wavelength", "no spectral bins") }
        guard binWidth.count == wavelength.count else {
            throw invalid("bin_width", "\(binWidth.count) widths for \(wavelength.count) bins")
        }
        if let bad = wavelength.firstIndex(where: { !$0.isFinite }) {
            throw invalid("wavelength", "bin \(bad) is \(wavelength[bad]), not a finite value")
        }
        if let bad = binWidth.firstIndex(where: { !$0.isFinite || $0 <= 0 }) {
            throw invalid("bin_width", "bin \(bad) is \(binWidth[bad]), not a positive finite value")
        }
        for (attribute, text) in [(TrainingDatasetFormat.Attribute.prior, priorJSON),
                                  (.simulatorConfiguration, simulatorConfigurationJSON),
                                  (.noiseModel, noiseModelJSON)] {
            guard (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil else {
                throw invalid(attribute.rawValue, "not valid JSON")
            }
        }
    }
}
