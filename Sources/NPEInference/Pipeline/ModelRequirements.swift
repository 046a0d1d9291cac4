import Foundation

/// What a model needs from a catalogue, and who the model is: the compatibility checks `npe-infer` runs before
/// any work, independent of the model's kind.
public struct ModelRequirements: Sendable, Equatable {
    /// `name@version`.
    public var reference: String
    /// The registry kind (`npe-flow`, …).
    public var kind: String
    /// SHA-256 of the weights file.
    public var weightsSHA256: String
    /// D parameter names and units, in the model's order.
    public var parameterNames: [String]
    public var parameterUnits: [String]
    /// The model's input grid (bin centres, µm), when it declares one; its bin count is required either way.
    public var wavelengths: [Double]?
    public var binCount: Int
    /// A context input names, in the model's order.
    public var contextNames: [String]
    /// σ used for targets when the catalogue has none (the model's single fixed training noise level), if any.
    public var defaultSigma: [Double]?
    /// SHA-256 of the model's `card.json`, recorded in the posterior file (nil when unknown).
    public var cardSHA256: String?
    /// The pre-processing chain in front of the model (`npe-infer --preprocess`) as the posterior file's
    /// `preprocessing` JSON, nil without one.
    public var preprocessing: String?

    public init(reference: String, kind: String, weightsSHA256: String, parameterNames: [String], parameterUnits: [String],
                wavelengths: [Double]?, binCount: Int, contextNames: [String], defaultSigma: [Double]?, cardSHA256: String? = nil) {
        self.cardSHA256 = cardSHA256
        self.reference = reference
        self.kind = kind
        self.weightsSHA256 = weightsSHA256
        self.parameterNames = parameterNames
        self.parameterUnits = parameterUnits
        self.wavelengths = wavelengths
        self.binCount = binCount
        self.contextNames = contextNames
        self.defaultSigma = defaultSigma
    }

    /// Relative tolerance on bin centres: a float32 copy of the grid (7 significant digits) must match.
    public static let gridTolerance = 1e-5

    /// Checks the catalogue against the model and returns it with its context columns and truths in the model's
    /// order. `needsSigma`: the model reads σ, or importance sampling is on.
    ///
    /// - Throws: ``InferenceError/incompatible(catalogue:model:reason:)`` naming the first mismatch: bin count,
    ///   wavelength grid, context inputs (missing or extra), the parameter set of `theta_true`, or missing σ.
    public func check(_ catalogue: Catalogue, needsSigma: Bool) throws -> Catalogue {
        func fail(_ reason: String) -> InferenceError {
            .incompatible(catalogue: catalogue.source, model: reference, reason: reason)
        }
        guard catalogue.binCount == binCount else {
            throw fail("the catalogue has \(catalogue.binCount) bins per spectrum, the model reads \(binCount)")
        }
        if let wavelengths, let theirs = catalogue.wavelengths {
            for (bin, (mine, other)) in zip(wavelengths, theirs).enumerated()
            where abs(mine - other) > Self.gridTolerance * max(abs(mine), abs(other)) {
                throw fail("wavelength grid differs at bin \(bin): catalogue \(other) µm, model \(mine) µm")
            }
        }
        var result = catalogue
        let given = Set(catalogue.contextNames)
        if let missing = contextNames.first(where: { !given.contains($0) }) {
            throw fail("context input '\(missing)' is missing (the model needs \(contextNames), the catalogue has \(catalogue.contextNames))")
        }
        if let extra = catalogue.contextNames.first(where: { !contextNames.contains($0) }) {
            throw fail("the catalogue's context input '\(extra)' is not one the model reads (\(contextNames))")
        }
        if let context = catalogue.context, !contextNames.isEmpty {
            let columns = contextNames.map { catalogue.contextNames.firstIndex(of: $0)! }
            let width = catalogue.contextNames.count
            result.context = (0..<catalogue.targetCount).flatMap { t in columns.map { context[t * width + $0] } }
            result.contextNames = contextNames
        }
        if let truths = catalogue.thetaTrue {
            guard Set(catalogue.thetaNames) == Set(parameterNames), catalogue.thetaNames.count == parameterNames.count else {
                throw fail("theta_true has parameters \(catalogue.thetaNames), the model infers \(parameterNames)")
            }
            let columns = parameterNames.map { catalogue.thetaNames.firstIndex(of: $0)! }
            let width = catalogue.thetaNames.count
            result.thetaTrue = (0..<catalogue.targetCount).flatMap { t in columns.map { truths[t * width + $0] } }
            result.thetaNames = parameterNames
        }
        if needsSigma && catalogue.sigma == nil {
            guard let defaultSigma else {
                throw fail("the catalogue has no sigma, and the model has no single training noise level to use instead")
            }
            guard defaultSigma.count == binCount else { throw fail("the model's default sigma has \(defaultSigma.count) bins, not \(binCount)") }
        }
        return result
    }
}
