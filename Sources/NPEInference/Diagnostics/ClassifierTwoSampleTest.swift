import NPENN
import NPETensor
import NPESupport

/// The classifier two-sample test (Lopez-Paz & Oquab 2017, arXiv:1610.06545), as sbibm scores posteriors: train a
/// classifier to tell samples of A from samples of B and report its held-out accuracy. 0.5 means the two sets are
/// indistinguishable to the classifier; 1 means fully separable.
///
/// Here: features standardised on the pooled data, an MLP (D → 64 → 64 → 1, ReLU) trained with the logistic loss
/// softplus(−y·f(x)) by Adam, two-fold cross-validation, accuracy averaged over the folds.
public enum ClassifierTwoSampleTest {
    public static func accuracy(_ a: [[Double]], _ b: [[Double]], epochs: Int = 200, seed: UInt64 = 0) throws -> Double {
        let d = a.first?.count ?? 0
        let pooled = a + b
        let n = Double(pooled.count)
        let means = (0..<d).map { j in pooled.reduce(0) { $0 + $1[j] } / n }
        let scales = (0..<d).map { j in max((pooled.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / n).squareRoot(), 1e-12) }
        func features(_ rows: [[Double]]) throws -> Tensor {
            try Tensor(shape: [rows.count, d], scalars: rows.flatMap { row in (0..<d).map { Float((row[$0] - means[$0]) / scales[$0]) } })
        }
        // Folds by alternating rows, so each fold has both classes in the same proportion.
        var accuracies: [Double] = []
        for fold in 0..<2 {
            let trainA = a.enumerated().filter { $0.offset % 2 != fold }.map(\.element)
            let trainB = b.enumerated().filter { $0.offset % 2 != fold }.map(\.element)
            let testA = a.enumerated().filter { $0.offset % 2 == fold }.map(\.element)
            let testB = b.enumerated().filter { $0.offset % 2 == fold }.map(\.element)
            let net = try MLP(sizes: [d, 64, 64, 1], activation: .relu, stream: RandomStream(seed: seed, stream: UInt64(fold)))
            let adam = Adam(parameters: net.parameters, learningRate: 1e-3)
            let x = Variable(try features(trainA + trainB))
            let signs = Variable(try Tensor(shape: [trainA.count + trainB.count, 1],
                                            scalars: [Float](repeating: 1, count: trainA.count) + [Float](repeating: -1, count: trainB.count)))
            for _ in 0..<epochs {
                adam.zeroGradients()
                try (-(net(x) * signs)).softplus().mean().backward()
                adam.step()
            }
            let logits = try withoutGradient { try net(Variable(features(testA + testB))) }.value.scalars
            let correct = logits.enumerated().filter { i, f in (i < testA.count) == (f > 0) }.count
            accuracies.append(Double(correct) / Double(logits.count))
        }
        return accuracies.reduce(0, +) / 2
    }
}
