import Foundation
import NPESafetensors

/// A model version read from the registry, with its card and weights already verified.
public struct LoadedModel: Sendable {
    /// The exact version loaded (what the reference resolved to).
    public let id: ModelVersionID
    public let card: ModelCard
    public let weights: NamedTensors
    /// Names of files attached at publish time; read them with ``ModelRegistry/attachedFile(named:of:)``.
    public let attachedFileNames: [String]
    /// The version directory.
    public let directory: URL
}
