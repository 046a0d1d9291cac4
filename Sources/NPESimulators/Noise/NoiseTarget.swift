/// What a noise model may need to know about one observed target. Every field is optional; each model says
/// which it reads and throws ``NoiseError/missingTargetProperty(_:)`` when one it needs is absent.
public struct NoiseTarget: Sendable, Codable, Equatable, Hashable {
    /// Planet name, the key of a per-target sigma table (e.g. `HD 209458 b`).
    public var name: String?
    /// Stellar effective temperature [K].
    public var starTemperature: Double?
    /// Stellar radius [R_sun] (IAU nominal, 6.957e8 m).
    public var starRadius: Double?
    /// Distance [pc].
    public var starDistance: Double?
    /// Transit duration T14 [s].
    public var transitDuration: Double?
    /// Number of transits co-added; nil uses the model's default.
    public var transits: Int?

    public init(
        name: String? = nil, starTemperature: Double? = nil, starRadius: Double? = nil, starDistance: Double? = nil,
        transitDuration: Double? = nil, transits: Int? = nil
    ) {
        self.name = name
        self.starTemperature = starTemperature
        self.starRadius = starRadius
        self.starDistance = starDistance
        self.transitDuration = transitDuration
        self.transits = transits
    }
}
