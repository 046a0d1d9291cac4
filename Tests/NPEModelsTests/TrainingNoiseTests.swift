import Foundation
import NPEModels
import Testing

@Suite("TrainingNoise: declared training noise")
struct TrainingNoiseTests {
    @Test("the Ariel MCS table gives 722 positive 52-bin rows, and co-adding N transits divides sigma by sqrt(N)")
    func arielMCS() throws {
        let one = try TrainingNoise.arielMCS()
        let four = try TrainingNoise.arielMCS(transits: 4)
        #expect(one.sigmaRows.count == 722 && one.binCount == 52)
        // No floor in the default table: sigma_N = sigma_1 / sqrt(N) exactly, up to Float rounding.
        for k in [0, 100, 721] { for j in [0, 51] { #expect(abs(four.sigmaRows[k][j] * 2 / one.sigmaRows[k][j] - 1) < 1e-6) } }
    }

    @Test("draws are a pure function of (seed, epoch, row), pick every row, and scale log-uniformly")
    func draws() throws {
        let noise = try TrainingNoise(sigmaRows: [[1, 1], [2, 2], [4, 4]], scaleRange: 0.5...2, source: "test")
        #expect(noise.sigma(row: 7, epoch: 3, seed: 1) == noise.sigma(row: 7, epoch: 3, seed: 1))
        #expect(noise.sigma(row: 7, epoch: 3, seed: 1) != noise.sigma(row: 7, epoch: 4, seed: 1))
        var picked = [0, 0, 0]
        var logScales: [Double] = []
        for row in 0..<6000 {
            let s = noise.sigma(row: row, epoch: 0, seed: 9)[0]
            let f = noise.scale(row: row, epoch: 0, seed: 9)
            logScales.append(log(Double(f)))
            picked[[1, 2, 4].firstIndex(of: Int((s / f).rounded()))!] += 1
        }
        // Each row is picked with probability 1/3: the binomial sd at n = 6000 is 37, so ±200 is > 5 sd.
        for count in picked { #expect(abs(count - 2000) < 200) }
        // log f ~ U[log 0.5, log 2]: mean 0, sd 2 log 2/sqrt(12) = 0.40; the mean of 6000 has sd 0.005.
        #expect(abs(logScales.reduce(0, +) / 6000) < 0.03)
        var x: [Float] = [0, 0]
        let used = noise.perturb(&x, row: 7, epoch: 3, seed: 1)
        var y: [Float] = [0, 0]
        noise.perturb(&y, sigma: used, row: 7, epoch: 3, seed: 1)
        #expect(x == y && used == noise.sigma(row: 7, epoch: 3, seed: 1))
    }

    @Test("invalid declarations are refused, also when decoded")
    func invalid() throws {
        #expect(throws: ModelCardError.self) { try TrainingNoise(sigmaRows: [], source: "t") }
        #expect(throws: ModelCardError.self) { try TrainingNoise(sigmaRows: [[1, 2], [1]], source: "t") }
        #expect(throws: ModelCardError.self) { try TrainingNoise(sigmaRows: [[1, 0]], source: "t") }
        #expect(throws: ModelCardError.self) { try TrainingNoise(sigmaRows: [[1]], scaleRange: 0...1, source: "t") }
        let bad = Data(#"{"sigmaRows": [[1, -1]], "source": "t"}"#.utf8)
        #expect(throws: ModelCardError.self) { try JSONDecoder().decode(TrainingNoise.self, from: bad) }
    }
}
