import NPENN
import NPETensor
import NPESupport

/// The imputer's generator: a 1-D U-Net (Ronneberger, Fischer & Brox 2015, arXiv:1505.04597) over the
/// spectrum's bins, with residual blocks at its bottleneck, instance normalisation and ReLU.
///
/// Input `[n, M, 2]`: per bin the standardised depth where observed (0 where missing) and the observed flag o.
/// Output `[n, M]`: a standardised depth at every bin. With P = M rounded up to a multiple of 4 (zero padding,
/// cropped at the end) and c channels:
///
///     e₁ = σ(IN(conv₃(x)))              [n, P,   c ]
///     e₂ = σ(IN(conv₄,stride 2(e₁)))    [n, P/2, 2c]
///     b  = R_K(σ(IN(conv₄,stride 2(e₂))))  [n, P/4, 4c]   (K residual blocks)
///     d₂ = σ(IN(conv₃([up₂(b), e₂])))   [n, P/2, 2c]    (skip connection: channel concatenation)
///     d₁ = σ(IN(conv₃([up₂(d₂), e₁])))  [n, P,   c ]
///     G  = conv₁(d₁)                    [n, P,   1 ] → cropped to M
///
/// conv_k is a k-tap convolution (the configured odd kernel in place of 3), up₂ nearest-neighbour upsampling.
public final class UNetImputerGenerator: Layer {
    public let binCount: Int
    let input: Conv1d, inputNorm: InstanceNormalization
    let down1: Conv1d, down1Norm: InstanceNormalization
    let down2: Conv1d, down2Norm: InstanceNormalization
    public let blocks: [ConvolutionalResidualBlock]
    let up2: Conv1d, up2Norm: InstanceNormalization
    let up1: Conv1d, up1Norm: InstanceNormalization
    let output: Conv1d
    let activation: Activation

    /// P: the length the network runs at.
    public var paddedLength: Int { (binCount + 3) / 4 * 4 }

    public init(binCount: Int, configuration: FlexAREConfiguration.Imputer, stream: RandomStream) throws {
        let c = configuration.channels, k = configuration.kernelSize
        let same = ConvolutionGeometry(kernelSize: k, stride: 1, padding: (k - 1) / 2)
        let halve = ConvolutionGeometry(kernelSize: 4, stride: 2, padding: 1)
        self.binCount = binCount
        input = Conv1d(inChannels: 2, outChannels: c, geometry: same, stream: stream.child(0))
        down1 = Conv1d(inChannels: c, outChannels: 2 * c, geometry: halve, stream: stream.child(1))
        down2 = Conv1d(inChannels: 2 * c, outChannels: 4 * c, geometry: halve, stream: stream.child(2))
        blocks = try (0..<configuration.residualBlocks).map {
            try ConvolutionalResidualBlock(channels: 4 * c, kernelSize: k, activation: configuration.activation,
                                           stream: stream.child(10 + UInt64($0)))
        }
        up2 = Conv1d(inChannels: 6 * c, outChannels: 2 * c, geometry: same, stream: stream.child(3))
        up1 = Conv1d(inChannels: 3 * c, outChannels: c, geometry: same, stream: stream.child(4))
        output = Conv1d(inChannels: c, outChannels: 1, geometry: ConvolutionGeometry(kernelSize: 1), stream: stream.child(5))
        (inputNorm, down1Norm, down2Norm) = (InstanceNormalization(channels: c), InstanceNormalization(channels: 2 * c),
                                             InstanceNormalization(channels: 4 * c))
        (up2Norm, up1Norm) = (InstanceNormalization(channels: 2 * c), InstanceNormalization(channels: c))
        activation = configuration.activation
    }

    public var namedParameters: [(name: String, parameter: Variable)] {
        prefixed("input", input) + prefixed("input_norm", inputNorm) + prefixed("down1", down1) + prefixed("down1_norm", down1Norm)
            + prefixed("down2", down2) + prefixed("down2_norm", down2Norm)
            + blocks.enumerated().flatMap { prefixed("blocks.\($0.offset)", $0.element) }
            + prefixed("up2", up2) + prefixed("up2_norm", up2Norm) + prefixed("up1", up1) + prefixed("up1_norm", up1Norm)
            + prefixed("output", output)
    }

    /// `[n, M, 2] → [n, M]`.
    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.shape.count == 3, x.shape[1] == binCount, x.shape[2] == 2 else {
            throw TensorError.shapeMismatch(op: "UNetImputerGenerator (expects [n, \(binCount), 2])", lhs: x.shape, rhs: [binCount, 2])
        }
        let n = x.shape[0]
        let padded = try x.paddedLength(by: paddedLength - binCount)
        let e1 = try activation(inputNorm(input(padded)))
        let e2 = try activation(down1Norm(down1(e1)))
        var b = try activation(down2Norm(down2(e2)))
        for block in blocks { b = try block(b) }
        let d2 = try activation(up2Norm(up2(Variable.concatenateChannels([b.upsampledLength(by: 2), e2]))))
        let d1 = try activation(up1Norm(up1(Variable.concatenateChannels([d2.upsampledLength(by: 2), e1]))))
        return try output(d1).croppedLength(to: binCount).reshaped([n, binCount])
    }

    /// The network input `[n, M, 2]` from standardised depths z (NaN or anything where missing) and flags o (1
    /// observed, 0 missing), both `[n·M]` row-major.
    public static func input(standardized z: [Float], observed o: [Float], rows: Int, binCount m: Int) throws -> Tensor {
        var values = [Float](repeating: 0, count: rows * m * 2)
        for i in 0..<(rows * m) where o[i] > 0 {
            values[2 * i] = z[i]
            values[2 * i + 1] = 1
        }
        return try Tensor(shape: [rows, m, 2], scalars: values)
    }
}
