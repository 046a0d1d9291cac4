import NPENN
import NPETensor
import NPESupport

/// `engine`: sgemm throughput and the MLP training step that issue 2's goals are stated for.
enum EngineSuite {
    static func run() throws {
        let threads = benchmarkThreads
        Engine.configure(blasThreads: threads)

        // sgemm 4096×128 · 128×128: 2mnk FLOP per call.
        let a = RandomStream(seed: 1).normalTensor([4096, 128]), b = RandomStream(seed: 2).normalTensor([128, 128])
        let gemmSeconds = try secondsPerCall { _ = try Tensor.matmul(a, b) }
        Figure(suite: "engine", name: "sgemm_4096x128x128", value: 2 * 4096 * 128 * 128 / gemmSeconds / 1e9,
               unit: "GFLOP/s", extra: ["threads": threads]).print()

        // MLP 52→128→128→7, ReLU, MSE, Adam, batch 256: forward, backward and the optimizer step.
        let batch = 256
        let net = try MLP(sizes: [52, 128, 128, 7], activation: .relu, stream: RandomStream(seed: 3))
        let adam = Adam(parameters: net.parameters, learningRate: 1e-3)
        let x = Variable(RandomStream(seed: 4).normalTensor([batch, 52]))
        let y = Variable(RandomStream(seed: 5).normalTensor([batch, 7]))
        let stepSeconds = try secondsPerCall {
            adam.zeroGradients()
            let loss = try Loss.meanSquaredError(net(x), y)
            try loss.backward()
            adam.step()
        }
        let flops = 6.0 * Double(batch) * Double(52 * 128 + 128 * 128 + 128 * 7)
        Figure(suite: "engine", name: "mlp_train_step", value: Double(batch) / stepSeconds, unit: "samples/s",
               extra: ["batch": batch, "threads": threads, "gflops": (flops / stepSeconds / 1e9 * 10).rounded() / 10,
                       "ms_per_step": (stepSeconds * 1e5).rounded() / 100]).print()
    }
}
