import NPENN
import NPETensor
import NPESupport

/// The DCGAN generator, z `[n, L]` → images `[n, 16, 16, 1]` in (−1, 1); layers as in ``GANArchitecture``.
///
/// Weights start as DCGAN prescribes: convolution and linear weights N(0, 0.02²), batch-norm scales
/// N(1, 0.02²), biases and offsets 0.
public final class DCGANGenerator: Layer, BatchNormalizedNetwork {
    public let project: Linear
    public let norm0: BatchNormalization
    public let up1: ConvTranspose2d
    public let norm1: BatchNormalization
    public let up2: ConvTranspose2d
    let architecture: GANArchitecture

    public init(architecture: GANArchitecture, stream: RandomStream) throws {
        let c = architecture.baseChannels, side = GANArchitecture.seedSide
        self.architecture = architecture
        project = Linear(inputs: architecture.latentDimension, outputs: side * side * 4 * c, stream: stream.child(0))
        norm0 = BatchNormalization(channels: 4 * c)
        up1 = ConvTranspose2d(inChannels: 4 * c, outChannels: 2 * c, geometry: GANArchitecture.strided, stream: stream.child(1))
        norm1 = BatchNormalization(channels: 2 * c)
        up2 = ConvTranspose2d(inChannels: 2 * c, outChannels: 1, geometry: GANArchitecture.strided, stream: stream.child(2))
        try DCGANInitialization.apply(to: [project.weight, up1.weight, up2.weight], biases: [project.bias, up1.bias, up2.bias],
                                      norms: [norm0, norm1], stream: stream.child(3))
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        prefixed("project", project) + prefixed("norm0", norm0) + prefixed("up1", up1) + prefixed("norm1", norm1)
            + prefixed("up2", up2)
    }

    public var normalizations: [(name: String, layer: BatchNormalization)] { [("norm0", norm0), ("norm1", norm1)] }

    public func callAsFunction(_ z: Variable) throws -> Variable {
        guard z.shape.count == 2, z.shape[1] == architecture.latentDimension else {
            throw ExoGANError.shape(what: "latent z", expected: "[n, \(architecture.latentDimension)]", got: z.shape)
        }
        let side = GANArchitecture.seedSide, c = architecture.baseChannels
        var h = try project(z).reshaped([z.shape[0], side, side, 4 * c])
        h = try norm0(h).relu()
        h = try norm1(up1(h)).relu()
        return try up2(h).tanh()
    }
}

/// DCGAN's initialisation (Radford et al. 2016, §4): weights N(0, 0.02²), BN scales N(1, 0.02²), the rest zero.
enum DCGANInitialization {
    static func apply(to weights: [Variable], biases: [Variable?], norms: [BatchNormalization], stream: RandomStream) throws {
        for (i, w) in weights.enumerated() { try w.assign(stream.child(UInt64(i)).normalTensor(w.shape, scale: 0.02)) }
        for case let b? in biases { try b.assign(Tensor.zeros(b.shape)) }
        for (i, norm) in norms.enumerated() {
            try norm.scale.assign(stream.child(UInt64(100 + i)).normalTensor(norm.scale.shape, scale: 0.02) + 1)
        }
    }
}
