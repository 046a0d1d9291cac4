import NPENN
import NPETensor
import NPESupport

/// The DCGAN discriminator, images `[n, 16, 16, 1]` → logits `[n, 1]` (log-odds that an image is real); layers
/// as in ``GANArchitecture``. Initialised as ``DCGANGenerator`` is.
public final class DCGANDiscriminator: Layer, BatchNormalizedNetwork {
    public let down1: Conv2d
    public let down2: Conv2d
    public let norm2: BatchNormalization
    public let down3: Conv2d
    public let norm3: BatchNormalization
    public let classify: Linear
    /// LeakyReLU's negative slope, 0.2 as in DCGAN.
    public static let leakSlope: Float = 0.2
    let architecture: GANArchitecture

    public init(architecture: GANArchitecture, stream: RandomStream) throws {
        let c = architecture.baseChannels, side = GANArchitecture.seedSide
        self.architecture = architecture
        down1 = Conv2d(inChannels: 1, outChannels: c, geometry: GANArchitecture.strided, stream: stream.child(0))
        down2 = Conv2d(inChannels: c, outChannels: 2 * c, geometry: GANArchitecture.strided, stream: stream.child(1))
        norm2 = BatchNormalization(channels: 2 * c)
        down3 = Conv2d(inChannels: 2 * c, outChannels: 4 * c, geometry: GANArchitecture.strided, stream: stream.child(4))
        norm3 = BatchNormalization(channels: 4 * c)
        classify = Linear(inputs: (side / 2) * (side / 2) * 4 * c, outputs: 1, stream: stream.child(2))
        try DCGANInitialization.apply(to: [down1.weight, down2.weight, down3.weight, classify.weight],
                                      biases: [down1.bias, down2.bias, down3.bias, classify.bias], norms: [norm2, norm3],
                                      stream: stream.child(3))
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        prefixed("down1", down1) + prefixed("down2", down2) + prefixed("norm2", norm2) + prefixed("down3", down3)
            + prefixed("norm3", norm3) + prefixed("classify", classify)
    }

    public var normalizations: [(name: String, layer: BatchNormalization)] { [("norm2", norm2), ("norm3", norm3)] }

    public func callAsFunction(_ images: Variable) throws -> Variable {
        let side = ASPALayout.side
        guard images.shape == [images.shape.first ?? 0, side, side, 1] else {
            throw ExoGANError.shape(what: "discriminator input", expected: "[n, 16, 16, 1]", got: images.shape)
        }
        let slope = Self.leakSlope
        var h = try down1(images).apply(.leakyRelu(slope: slope))
        h = try norm2(down2(h)).apply(.leakyRelu(slope: slope))
        h = try norm3(down3(h)).apply(.leakyRelu(slope: slope))
        return try classify(h.reshaped([images.shape[0], h.shape[1] * h.shape[2] * h.shape[3]]))
    }
}
