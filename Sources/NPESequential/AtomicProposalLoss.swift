import NPENN
import NPESimulators
import NPESupport
import NPETensor
import NPETraining

/// The atomic APT loss of SNPE-C (Greenberg, Nonnenmacher & Macke 2019, "Automatic posterior transformation for
/// likelihood-free inference", ICML, arXiv:1905.07488, §3.2).
///
/// For row i of a batch of B pairs (θᵢ, xᵢ), with A − 1 contrasting θ's drawn without replacement from the other
/// rows of the same batch (atoms θᵢ₀ = θᵢ, θᵢ₁ … θᵢ,A−1):
///
///   uᵢⱼ = log q(θᵢⱼ | xᵢ) − log π(θᵢⱼ),     ℓᵢ = −[uᵢ₀ − log Σⱼ exp uᵢⱼ],
///
/// the negative log of the proposal posterior q̃(θᵢ | xᵢ) restricted to the atoms. Minimising E[ℓ] makes q the
/// true posterior whatever proposal produced θ (Greenberg et al., Prop. 1), which is why all rounds' data train
/// together and a wrong round-0 proposal is corrected. A = clamp(atoms, 2, B); a step costs B·A evaluations of q.
///
/// The contrasting rows of row i are a pure function of (seed, the batch's θ bits, i), so a training run, and so
/// a resumed one, is reproducible.
///
/// Warning: π must have a finite density at every atom (as sbi asserts); the rows come from the rounds, which lie
/// in the prior's support by construction.
public struct AtomicProposalLoss: TrainingLoss {
    /// π over the model's K parameters.
    public let prior: Prior
    public let atoms: Int
    public let seed: UInt64

    public init(prior: Prior, atoms: Int = 10, seed: UInt64 = 0) {
        self.prior = prior
        self.atoms = atoms
        self.seed = seed
    }

    public var identity: String { "apt-atomic:atoms=\(atoms):seed=\(seed)" }

    public func summedLoss(of model: any TrainableModel, on inputs: TrainingInputs) throws -> Variable {
        guard let density = model as? any ConditionalDensityModel else {
            throw SequentialError.atomicLoss("the model gives no per-row density (it is not a ConditionalDensityModel)")
        }
        let b = inputs.theta.rowCount, k = inputs.theta.columnCount
        let a = min(max(atoms, 2), b)
        let (atomRows, ownRows) = contrastingRows(batch: inputs.theta, atomCount: a)
        let theta = try inputs.theta.gatherRows(atomRows)
        let logPrior = try (0..<b * a).map { index -> Float in
            let row = atomRows[index]
            let value = prior.logDensity(theta: (0..<k).map { Double(inputs.theta.scalars[row * k + $0]) })
            guard value.isFinite else { throw SequentialError.atomicLoss("row \(row) of the batch lies outside the prior (log π = \(value))") }
            return Float(value)
        }
        let repeated = TrainingInputs(
            theta: theta, x: try inputs.x.gatherRows(ownRows), sigma: try inputs.sigma.map { try $0.gatherRows(ownRows) },
            context: try inputs.context.map { try $0.gatherRows(ownRows) }, observed: try inputs.observed.map { try $0.gatherRows(ownRows) })
        let logq = try density.recordedLogDensity(repeated)
        let u = try (logq - Variable(Tensor(shape: [b * a], scalars: logPrior))).reshaped([b, a])
        let own = try u.sliceColumns(0 ..< 1).reshaped([b])
        return try (u.logSumExp(alongAxis: 1) - own).sum()
    }

    /// For each of the B rows, A batch rows: the row itself, then A − 1 distinct others (a partial Fisher-Yates
    /// shuffle of the other rows keyed on the batch); and the row each atom is paired with (its x).
    func contrastingRows(batch theta: Tensor, atomCount a: Int) -> (atoms: [Int], own: [Int]) {
        let b = theta.rowCount
        var fingerprint = seed &* 0x9E37_79B9_7F4A_7C15
        for value in theta.scalars { fingerprint = (fingerprint ^ UInt64(value.bitPattern)) &* 0x100_0000_01B3 }
        let stream = RandomStream(seed: fingerprint)
        var atoms = [Int](), own = [Int]()
        atoms.reserveCapacity(b * a)
        own.reserveCapacity(b * a)
        var others = [Int](repeating: 0, count: max(b - 1, 0))
        for i in 0..<b {
            for j in 0..<(b - 1) { others[j] = j < i ? j : j + 1 }
            atoms.append(i)
            own.append(i)
            let row = stream.child(UInt64(i))
            for j in 0..<(a - 1) {
                let pick = j + Int(row.uniformDouble(UInt64(j)) * Double(b - 1 - j))
                others.swapAt(j, min(pick, b - 2))
                atoms.append(others[j])
                own.append(i)
            }
        }
        return (atoms, own)
    }
}
