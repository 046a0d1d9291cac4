import Foundation
import NPENN
import NPETensor
import NPESupport

/// An ExoGAN baseline model: the image encoding plus the DCGAN generator and discriminator built from one
/// ``GANArchitecture``. Train it with ``GANTrainer``, retrieve with ``InpaintingRetrieval``, store it with
/// ``publish(to:name:parameters:inputGrid:dataset:training:metrics:toolVersion:files:)`` and read it back with
/// ``init(loaded:)``.
public final class ExoGANModel {
    /// The registry card kind of these models.
    public static let kind = "exogan"

    public let architecture: GANArchitecture
    public let generator: DCGANGenerator
    public let discriminator: DCGANDiscriminator

    /// Fresh networks: generator from `seed`'s stream 0, discriminator from stream 1.
    public init(architecture: GANArchitecture, seed: UInt64) throws {
        self.architecture = architecture
        generator = try DCGANGenerator(architecture: architecture, stream: RandomStream(seed: seed, stream: 0x6E4))
        discriminator = try DCGANDiscriminator(architecture: architecture, stream: RandomStream(seed: seed, stream: 0xD15C))
    }

    /// The image encoding (prior box and depth range).
    public var encoding: ASPAEncoding { architecture.encoding }

    /// Both networks' parameters and batch-norm running statistics, as `generator.…` and `discriminator.…`.
    public func parameterDictionary() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, value) in generator.parameterDictionary() { out["generator.\(name)"] = value }
        for (name, value) in discriminator.parameterDictionary() { out["discriminator.\(name)"] = value }
        return out
    }

    /// Loads what ``parameterDictionary()`` gave; every entry must be present with its exact shape, nothing else.
    public func load(_ dictionary: [String: Tensor]) throws {
        var parts: [String: [String: Tensor]] = ["generator": [:], "discriminator": [:]]
        for (key, value) in dictionary {
            guard let dot = key.firstIndex(of: "."), parts[String(key[..<dot])] != nil else {
                throw ModuleError.unexpectedParameter(key)
            }
            parts[String(key[..<dot])]![String(key[key.index(after: dot)...])] = value
        }
        // Check both before changing either, so a bad dictionary leaves the model as it was.
        let generatorBefore = generator.parameterDictionary()
        try generator.load(parts["generator"]!)
        do {
            try discriminator.load(parts["discriminator"]!)
        } catch {
            try generator.load(generatorBefore)
            throw error
        }
    }

    /// Sets both networks' batch normalisation to `mode`.
    public func setMode(_ mode: BatchNormalization.Mode) {
        generator.mode = mode
        discriminator.mode = mode
    }
}
