import NPETensor

/// The imputer's objective on one slice of a batch, in standardised units (z = (x − μ)/s per bin). With G the
/// generator's output, z the clean truth, z̃ the (noisy) input, o ∈ {0, 1} the observed flags and
/// ẑ = o·z̃ + (1 − o)·G the completed spectrum (observed bins are kept as given, GAIN's rule), summed over the
/// slice's rows and divided by M (bins):
///
/// - **L1** = Σⱼ |Gⱼ − zⱼ|: every bin, so G also learns the clean depth where it sees a noisy one.
/// - **adversarial** = Σⱼ (1 − oⱼ) · softplus(−Dⱼ(ẑ, h)) = −Σⱼ (1 − oⱼ) log D: imputed bins should look
///   observed to GAIN's discriminator D, which is told the mask at a share of bins through the hint h.
/// - **continuity** = Σ_{j ∈ E} ((ẑⱼ₊₁ − ẑⱼ) − (zⱼ₊₁ − zⱼ))², E the adjacent pairs with at least one imputed bin:
///   the completed spectrum's bin-to-bin steps, where it joins or crosses a gap, match the truth's, so an imputed
///   segment does not jump at its edges.
/// - **physics** = Σⱼ (1 − oⱼ) (relu(ẑⱼ − highⱼ)² + relu(lowⱼ − ẑⱼ)²): an imputed depth outside the envelope of
///   every clean training spectrum at that bin (``SpectrumScaling``) is one no simulator draw produced; this is a
///   plausibility bound from the prior predictive, not a forward model (no radiative transfer is differentiated).
///
/// L = λ₁ L1 + λ_adv adversarial + λ_c continuity + λ_p physics; the pre-training epochs leave out the adversarial
/// term. The discriminator minimises Σⱼ oⱼ softplus(−Dⱼ) + (1 − oⱼ) softplus(Dⱼ) (binary cross-entropy on the
/// mask) with ẑ detached.
public struct ImputerLoss: Sendable {
    public var l1Weight: Float
    public var adversarialWeight: Float
    public var continuityWeight: Float
    public var physicsWeight: Float
    /// The standardised envelope (low, high), M values each.
    public var low: [Float]
    public var high: [Float]

    public init(configuration: FlexAREConfiguration.Imputer, scaling: SpectrumScaling) {
        l1Weight = configuration.l1Weight
        adversarialWeight = configuration.adversarialWeight
        continuityWeight = configuration.continuityWeight
        physicsWeight = configuration.physicsWeight
        (low, high) = scaling.standardizedEnvelope
    }

    /// The four terms' sums (unweighted), and the weighted total.
    public struct Terms {
        public var total: Variable
        public var l1: Double
        public var adversarial: Double
        public var continuity: Double
        public var physics: Double
    }

    /// The completed spectrum ẑ = o·z̃ + (1 − o)·G, `[n, M]`.
    public static func completed(generated: Variable, input: Tensor, observed: Tensor) throws -> Variable {
        let missing = try Tensor(shape: observed.shape, scalars: observed.scalars.map { 1 - $0 })
        let kept = try Tensor(shape: observed.shape, scalars: zip(input.scalars, observed.scalars).map { $1 > 0 ? $0 : 0 })
        return try Variable(kept) + generated * Variable(missing)
    }

    /// The generator's terms; `discriminatorLogits` is D(ẑ, h) (nil: no adversarial term, as in pre-training).
    public func generatorTerms(generated: Variable, completed: Variable, target: Tensor, observed: Tensor,
                               discriminatorLogits: Variable?) throws -> Terms {
        let m = target.shape[1]
        let missing = Variable(try Tensor(shape: observed.shape, scalars: observed.scalars.map { 1 - $0 }))
        let difference = try generated - Variable(target)
        let l1 = try (difference.relu() + (-difference).relu()).sum()
        let physics = try (((completed - Variable(try Tensor(shape: [m], scalars: high))).relu().squared()
            + (Variable(try Tensor(shape: [m], scalars: low)) - completed).relu().squared()) * missing).sum()
        var continuity = Variable(Tensor(scalar: 0))
        if m > 1 {
            let steps = try completed.sliceColumns(1..<m) - completed.sliceColumns(0..<(m - 1))
            let truth = try Variable(target).sliceColumns(1..<m) - Variable(target).sliceColumns(0..<(m - 1))
            let n = observed.shape[0]
            var edges = [Float](repeating: 0, count: n * (m - 1))
            for r in 0..<n {
                for j in 0..<(m - 1) where observed.scalars[r * m + j] == 0 || observed.scalars[r * m + j + 1] == 0 {
                    edges[r * (m - 1) + j] = 1
                }
            }
            continuity = try ((steps - truth).squared() * Variable(try Tensor(shape: [n, m - 1], scalars: edges))).sum()
        }
        var adversarial = Variable(Tensor(scalar: 0))
        if let logits = discriminatorLogits { adversarial = try ((-logits).softplus() * missing).sum() }
        let perBin = 1 / Float(m)
        var total = try l1 * (l1Weight * perBin) + continuity * (continuityWeight * perBin) + physics * (physicsWeight * perBin)
        if discriminatorLogits != nil { total = try total + adversarial * (adversarialWeight * perBin) }
        return Terms(total: total, l1: Self.value(l1) / Double(m), adversarial: Self.value(adversarial) / Double(m),
                     continuity: Self.value(continuity) / Double(m), physics: Self.value(physics) / Double(m))
    }

    /// The discriminator's loss, summed over the slice's rows and divided by M.
    public static func discriminatorLoss(logits: Variable, observed: Tensor) throws -> Variable {
        let m = observed.shape[1]
        let o = Variable(observed)
        let missing = Variable(try Tensor(shape: observed.shape, scalars: observed.scalars.map { 1 - $0 }))
        return try ((-logits).softplus() * o + logits.softplus() * missing).sum() * (1 / Float(m))
    }

    static func value(_ v: Variable) -> Double { Double(v.value.scalarValue) }
}
