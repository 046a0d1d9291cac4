/// A contiguous run of bins recorded by one instrument: the unit that mask augmentation drops, because a real
/// observation misses whole instruments (one was not scheduled, saturated, or is another telescope's range).
public struct InstrumentSegment: Codable, Equatable, Sendable {
    public var name: String
    /// First and last bin index (0-based, inclusive) in the model's input order.
    public var first: Int
    public var last: Int

    public init(name: String, first: Int, last: Int) {
        self.name = name
        self.first = first
        self.last = last
    }

    public var bins: ClosedRange<Int> { first...last }

    /// An instrument's wavelength coverage [µm), for finding its bins on a grid.
    public struct Coverage: Equatable, Sendable {
        public var name: String
        public var lower: Double
        public var upper: Double
    }

    /// Ariel's instruments as the ADC2023 Tier-2 grid splits them (`shared/design/FORWARD_MODEL.md`, "Tier 2
    /// binning"): three photometric channels VISPhot 0.50–0.60, FGS1 0.60–0.80, FGS2 0.80–1.10 µm; NIRSpec
    /// 1.10–1.95 µm (R ≈ 10, 6 bins); AIRS-CH0 1.95–3.90 µm (R ≈ 50, 33 bins); AIRS-CH1 3.90–7.80 µm (R ≈ 15, 10
    /// bins). On the 52-bin grid these are bins 0, 1, 2, 3–8, 9–41 and 42–51.
    public static let arielCoverage: [Coverage] = [
        Coverage(name: "VISPhot", lower: 0.50, upper: 0.60), Coverage(name: "FGS1", lower: 0.60, upper: 0.80),
        Coverage(name: "FGS2", lower: 0.80, upper: 1.10), Coverage(name: "NIRSpec", lower: 1.10, upper: 1.95),
        Coverage(name: "AIRS-CH0", lower: 1.95, upper: 3.90), Coverage(name: "AIRS-CH1", lower: 3.90, upper: 7.80),
    ]

    /// The segments of `coverage` on a grid of bin centres [µm]: each instrument's bins are those whose centre
    /// lies in its range; an instrument with no bin on the grid is left out. Nil when some bin lies outside every
    /// instrument's range, or the bins of one instrument are not contiguous (the grid is not an Ariel grid).
    public static func segments(of coverage: [Coverage], centres: [Double]) -> [InstrumentSegment]? {
        var segments: [InstrumentSegment] = []
        var covered = 0
        for instrument in coverage {
            let bins = centres.indices.filter { centres[$0] >= instrument.lower && centres[$0] < instrument.upper }
            guard let first = bins.first, let last = bins.last else { continue }
            guard bins.count == last - first + 1 else { return nil }
            segments.append(InstrumentSegment(name: instrument.name, first: first, last: last))
            covered += bins.count
        }
        return covered == centres.count && !segments.isEmpty ? segments : nil
    }
}
