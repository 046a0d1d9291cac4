import NPENN
import NPETensor
import NPESupport

/// A FlexARE pre-processing model: a ``DenseDenoiser`` or a ``UNetImputerGenerator`` with its
/// ``ImputerDiscriminator``, in the standardisation of one ``FlexAREArchitecture``. ``reconstruct(_:rows:)`` is
/// what `npe-infer --preprocess` runs; ``FlexARETrainer`` trains it.
public final class FlexAREModel {
    public let architecture: FlexAREArchitecture
    public let denoiser: DenseDenoiser?
    public let generator: UNetImputerGenerator?
    public let discriminator: ImputerDiscriminator?

    /// Fresh networks from `seed` (denoiser or generator from stream 0xDE0, discriminator from 0xD15).
    public init(architecture: FlexAREArchitecture, seed: UInt64) throws {
        self.architecture = architecture
        let m = architecture.binCount
        let stream = RandomStream(seed: seed, stream: 0xDE0)
        switch architecture.role {
        case .denoiser:
            guard let settings = architecture.denoiser else { throw FlexAREError.invalidModel("a denoiser architecture without denoiser settings") }
            denoiser = DenseDenoiser(binCount: m, configuration: settings, stream: stream)
            (generator, discriminator) = (nil, nil)
        case .imputer:
            guard let settings = architecture.imputer else { throw FlexAREError.invalidModel("an imputer architecture without imputer settings") }
            denoiser = nil
            generator = try UNetImputerGenerator(binCount: m, configuration: settings, stream: stream)
            discriminator = try ImputerDiscriminator(binCount: m, widths: settings.discriminatorWidths,
                                                     stream: RandomStream(seed: seed, stream: 0xD15))
        }
    }

    /// The network `npe-infer` runs (denoiser or generator).
    public var network: any Layer { denoiser ?? generator! }

    /// Every weight, as `denoiser.…`, `generator.…` and `discriminator.…`.
    public func parameterDictionary() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (prefix, module) in modules { for (name, value) in module.parameterDictionary() { out["\(prefix).\(name)"] = value } }
        return out
    }

    /// Loads what ``parameterDictionary()`` gave: every entry with its exact shape, nothing else. A bad
    /// dictionary leaves the model as it was.
    public func load(_ dictionary: [String: Tensor]) throws {
        var parts: [String: [String: Tensor]] = Dictionary(uniqueKeysWithValues: modules.map { ($0.0, [:]) })
        for (key, value) in dictionary {
            guard let dot = key.firstIndex(of: "."), parts[String(key[..<dot])] != nil else { throw ModuleError.unexpectedParameter(key) }
            parts[String(key[..<dot])]![String(key[key.index(after: dot)...])] = value
        }
        let before = modules.map { $0.1.parameterDictionary() }
        do {
            for (prefix, module) in modules { try module.load(parts[prefix]!) }
        } catch {
            for ((_, module), saved) in zip(modules, before) { try module.load(saved) }
            throw error
        }
    }

    var modules: [(String, any Module)] {
        [("denoiser", denoiser as (any Module)?), ("generator", generator), ("discriminator", discriminator)]
            .compactMap { name, module in module.map { (name, $0) } }
    }

    /// Pre-processes `rows` row-major spectra `[rows·M]` in depth units; NaN marks a missing bin.
    ///
    /// The denoiser returns ẑ for every bin and needs complete spectra. The imputer keeps observed bins as they
    /// are and fills the missing ones (x̂ = o·x + (1 − o)·G); a spectrum without an observed bin cannot be
    /// imputed.
    ///
    /// - Throws: ``FlexAREError/invalidSpectrum(_:)`` naming the row and bin.
    public func reconstruct(_ x: [Float], rows: Int) throws -> [Float] {
        let m = architecture.binCount, scaling = architecture.scaling
        guard x.count == rows * m else {
            throw FlexAREError.invalidSpectrum("\(architecture.role.cardKind) reads \(m) bins per spectrum; got \(x.count) values for \(rows) rows")
        }
        for (i, value) in x.enumerated() where value.isInfinite {
            throw FlexAREError.invalidSpectrum("row \(i / m), bin \(i % m): depth \(value) is not finite")
        }
        let z = scaling.standardized(x)
        return try withoutGradient {
            switch architecture.role {
            case .denoiser:
                if let i = x.firstIndex(where: \.isNaN) {
                    throw FlexAREError.invalidSpectrum(
                        "row \(i / m), bin \(i % m) is missing; the denoiser needs a complete spectrum (put an imputer before it: "
                            + "--preprocess imputer@REF,denoiser@REF)")
                }
                let out = try denoiser!(Variable(Tensor(shape: [rows, m], scalars: z)))
                return scaling.destandardized(out.value.scalars)
            case .imputer:
                let observed = x.map { $0.isNaN ? Float(0) : 1 }
                for r in 0..<rows where !observed[(r * m)..<((r + 1) * m)].contains(1) {
                    throw FlexAREError.invalidSpectrum("row \(r) has no observed bin; there is nothing to impute from")
                }
                let g = try generator!(Variable(UNetImputerGenerator.input(standardized: z, observed: observed, rows: rows, binCount: m)))
                let filled = scaling.destandardized(g.value.scalars)
                return x.indices.map { x[$0].isNaN ? filled[$0] : x[$0] }
            }
        }
    }
}
