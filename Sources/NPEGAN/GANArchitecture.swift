import NPETensor

/// Everything needed to rebuild an ExoGAN model before loading its weights; stored as the registry card's
/// `architecture` (JSON).
///
/// The networks follow the DCGAN conventions of Radford, Metz & Chintala (2016, arXiv:1511.06434) at the
/// 16×16 scale of ``ASPALayout``, with c = ``baseChannels``:
///
///     generator:      z [n, L] → Linear → [n, 4, 4, 4c] → BN → ReLU
///                     → ConvTranspose2d(k4 s2 p1) → [n, 8, 8, 2c] → BN → ReLU
///                     → ConvTranspose2d(k4 s2 p1) → [n, 16, 16, 1] → tanh
///     discriminator:  image [n, 16, 16, 1] → Conv2d(k4 s2 p1) → [n, 8, 8, c] → LeakyReLU(0.2)
///                     → Conv2d(k4 s2 p1) → [n, 4, 4, 2c] → BN → LeakyReLU(0.2)
///                     → Conv2d(k4 s2 p1) → [n, 2, 2, 4c] → BN → LeakyReLU(0.2) → Linear → logit [n, 1]
///
/// No batch normalisation on the generator's output or the discriminator's input layer (DCGAN §3). The
/// discriminator's third stage is there for its receptive field (22 pixels, more than the 16-pixel image): with
/// two stages (10 pixels) no feature sees both a parameter patch and the strips or spectral rows it must agree
/// with, a linear head cannot test that agreement, and the generator learned the regions' marginals but not
/// their relation (measured on the toy problem of the tests: the depth-level parameter was not recovered at all).
public struct GANArchitecture: Codable, Sendable, Equatable {
    /// The format of this description; a reader refuses others.
    public var formatVersion: Int = 1
    /// L, the latent dimension.
    public var latentDimension: Int
    /// c, the channel width of the narrowest hidden layer.
    public var baseChannels: Int
    /// The image encoding (prior box, depth range).
    public var encoding: ASPAEncoding

    public init(latentDimension: Int = 32, baseChannels: Int = 16, encoding: ASPAEncoding) throws {
        guard latentDimension > 0 else { throw ExoGANError.invalidOption(name: "latentDimension", reason: "must be positive, got \(latentDimension)") }
        guard baseChannels > 0 else { throw ExoGANError.invalidOption(name: "baseChannels", reason: "must be positive, got \(baseChannels)") }
        self.latentDimension = latentDimension
        self.baseChannels = baseChannels
        self.encoding = encoding
    }

    /// The upsampling and downsampling geometry of every strided layer: kernel 4, stride 2, padding 1.
    static let strided = ConvolutionGeometry(kernelSize: 4, stride: 2, padding: 1)
    /// The side of the generator's first feature map.
    static let seedSide = ASPALayout.side / 4
}
