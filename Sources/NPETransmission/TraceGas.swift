/// The absorbing trace gases of the ARIEL transmission model, in input order.
public enum TraceGas: Int, CaseIterable, Sendable {
    case water, carbonDioxide, carbonMonoxide, methane, ammonia

    /// The four gases with real correlated-k tables (NH3 uses ``AmmoniaBandModel``).
    public static let tabulated: [TraceGas] = [.water, .carbonDioxide, .carbonMonoxide, .methane]

    /// Chemical formula, as TauREx names the gas.
    public var formula: String {
        switch self {
        case .water: return "H2O"
        case .carbonDioxide: return "CO2"
        case .carbonMonoxide: return "CO"
        case .methane: return "CH4"
        case .ammonia: return "NH3"
        }
    }

    /// Simulator input name of the abundance: log10 of the volume mixing ratio.
    public var inputName: String { "log_" + formula }

    /// Molecular mass [u] from TauREx's element masses.
    var molecularMass: Double {
        switch self {
        case .water: return 2 * ElementMass.hydrogen + ElementMass.oxygen
        case .carbonDioxide: return ElementMass.carbon + 2 * ElementMass.oxygen
        case .carbonMonoxide: return ElementMass.carbon + ElementMass.oxygen
        case .methane: return ElementMass.carbon + 4 * ElementMass.hydrogen
        case .ammonia: return ElementMass.nitrogen + 3 * ElementMass.hydrogen
        }
    }
}
