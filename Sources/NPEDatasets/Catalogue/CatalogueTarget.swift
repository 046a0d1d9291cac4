import NPESimulators

/// One planet of a target list: its name, where it sits in the file, the catalogue values of the prior parameters
/// the list supplies, and what a noise model needs to know about it.
///
/// Only ``CatalogueTargetList`` builds targets (from a checked CSV row), so the type spells no public initialiser.
public struct CatalogueTarget: Sendable, Equatable {
    /// The planet's name (the key of a per-target noise table), e.g. `WASP-43b`.
    public var name: String
    /// 0-based data row in the list (comments and the header do not count). Random draws are keyed on it, so
    /// `--limit` or a skipped neighbour never changes this target's abundances or noise.
    public var row: Int
    /// 1-based line in the file, for messages.
    public var line: Int
    /// Catalogue values by prior parameter name (e.g. `planet_radius` → 1.006), only for cells that were filled.
    public var values: [String: Double]
    /// Prior parameters whose column exists but whose cell is empty (or `nan`) for this target.
    public var missing: [String] = []
    /// Star properties, transit duration and the catalogue's transit count, for noise models.
    public var noiseTarget: NoiseTarget
    /// The catalogue's number of transits for Tier 2, when the list has the column.
    public var tier2Transits: Int?
}

/// Which CSV headers hold what. Each entry lists accepted headers, first match wins; a prior parameter is also
/// found under its own name (`planet_mass`), so a hand-written list needs no map.
public struct CatalogueColumnMap: Sendable, Equatable {
    /// The planet name column.
    public var name: [String]
    /// Headers of catalogue truths by prior parameter name.
    public var parameters: [String: [String]]
    /// Optional noise-target columns.
    public var starTemperature: [String]
    public var starRadius: [String]
    public var starDistance: [String]
    /// Transit duration in hours (converted to seconds for ``NoiseTarget/transitDuration``).
    public var transitDurationHours: [String]
    public var tier2Transits: [String]

    public init(name: [String], parameters: [String: [String]], starTemperature: [String] = [],
                starRadius: [String] = [], starDistance: [String] = [], transitDurationHours: [String] = [],
                tier2Transits: [String] = []) {
        self.name = name
        self.parameters = parameters
        self.starTemperature = starTemperature
        self.starRadius = starRadius
        self.starDistance = starDistance
        self.transitDurationHours = transitDurationHours
        self.tier2Transits = tier2Transits
    }

    /// The Ariel MCS headers (`Planet Name`, `Planet Radius [Rjup]`, `Planet Temperature [K]` (equilibrium
    /// temperature), `Planet Mass [Mjup]`, `Star Radius [Rs]`, …) mapped to the ARIEL prior's names.
    public static let arielMCS = CatalogueColumnMap(
        name: ["Planet Name", "planet_name"],
        parameters: [
            "planet_radius": ["Planet Radius [Rjup]"],
            "planet_temp": ["Planet Temperature [K]"],
            "planet_mass": ["Planet Mass [Mjup]"],
            "star_radius": ["Star Radius [Rs]"],
        ],
        starTemperature: ["Star Temperature [K]"], starRadius: ["Star Radius [Rs]", "star_radius"],
        starDistance: ["Star Distance [pc]"], transitDurationHours: ["Transit Duration [hrs]"],
        tier2Transits: ["Tier 2 Transits"])
}
