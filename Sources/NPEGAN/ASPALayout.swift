/// Where everything sits in the 16×16 ASPA-style image of a 52-bin ARIEL spectrum (see `docs/exogan-encoding.md`
/// for the picture). Pixel indices are row-major, `row · 16 + column`, matching the NHWC images `[n, 16, 16, 1]`.
///
/// ExoGAN (Zingales & Waldmann 2018, AJ 156, 268) packs a 515-point spectrum, per-segment normalisation strips
/// and parameter blocks into 33×33 pixels. The ARIEL Tier-2 grid has only 52 bins, so the same ideas fit in
/// 16×16, a power of two that two stride-2 DCGAN layers reach from 4×4:
///
/// * **Spectral block**, rows 0–7, columns 0–12: the 52 bins in 4 segments of 13 (in grid order). Segment s is
///   min–max normalised to [−1, 1] and written twice, on rows 2s and 2s+1 (ExoGAN likewise repeats what it
///   considers important, so the contextual loss sees it with more weight).
/// * **Normalisation strips**, rows 0–7, columns 13–15: row 2s holds the encoded log₁₀ maximum of segment s,
///   row 2s+1 its log₁₀ minimum, each over three pixels.
/// * **Parameter patches**, rows 8–15: eight 4×4 patches, numbered row-major (patch q at rows 8 + 4⌊q/4⌋ …,
///   columns 4(q mod 4) …). Patches 0…D−1 hold the D ≤ 7 parameters, each normalised to [−1, 1] over its prior
///   box and repeated over all 16 pixels; decoding averages the patch.
/// * **Mean patch**, patch 7: the encoded log₁₀ mean depth of the whole spectrum (ExoGAN's mean pixels). Patches
///   D…6, when D < 7, are constant zero.
///
/// Everything except the D parameter patches is known when a spectrum is observed: that is the inpainting context.
public enum ASPALayout {
    /// The image side in pixels.
    public static let side = 16
    /// Pixels per image.
    public static let pixelCount = side * side
    /// Spectral bins of the ARIEL Tier-2 (ADC2023) grid.
    public static let binCount = 52
    /// Spectral segments, each normalised on its own.
    public static let segmentCount = 4
    /// Bins per segment.
    public static let segmentLength = 13
    /// Pixels of each normalisation strip (columns 13–15).
    public static let stripWidth = 3
    /// Side of a parameter patch.
    public static let patchSide = 4
    /// Parameter patches available (the eighth patch is the mean patch).
    public static let maximumParameterCount = 7
    /// The patch that holds the mean depth.
    public static let meanPatch = 7

    /// The two pixels of bin `bin` (segment s = bin / 13, column bin mod 13, rows 2s and 2s+1).
    public static func spectralPixels(bin: Int) -> [Int] {
        let segment = bin / segmentLength, column = bin % segmentLength
        return [2 * segment * side + column, (2 * segment + 1) * side + column]
    }

    /// The three pixels of segment `segment`'s maximum strip (`maximum: true`) or minimum strip.
    public static func stripPixels(segment: Int, maximum: Bool) -> [Int] {
        let row = 2 * segment + (maximum ? 0 : 1)
        return (0..<stripWidth).map { row * side + segmentLength + $0 }
    }

    /// The 16 pixels of patch `patch` (0…7).
    public static func patchPixels(_ patch: Int) -> [Int] {
        let top = 2 * segmentCount + patchSide * (patch / 4), left = patchSide * (patch % 4)
        return (0..<patchSide).flatMap { dy in (0..<patchSide).map { dx in (top + dy) * side + left + dx } }
    }

    /// A character picture of the layout: `0`–`3` spectral segments, `+`/`-` max/min strips, `a`–`g` parameter
    /// patches 0–6, `m` the mean patch.
    public static var diagram: String {
        var cells = [Character](repeating: "?", count: pixelCount)
        for bin in 0..<binCount { for p in spectralPixels(bin: bin) { cells[p] = Character(String(bin / segmentLength)) } }
        for s in 0..<segmentCount {
            for p in stripPixels(segment: s, maximum: true) { cells[p] = "+" }
            for p in stripPixels(segment: s, maximum: false) { cells[p] = "-" }
        }
        for q in 0..<maximumParameterCount { for p in patchPixels(q) { cells[p] = Character(UnicodeScalar(UInt8(97 + q))) } }
        for p in patchPixels(meanPatch) { cells[p] = "m" }
        return (0..<side).map { row in String(cells[(row * side)..<((row + 1) * side)]) }.joined(separator: "\n")
    }
}
