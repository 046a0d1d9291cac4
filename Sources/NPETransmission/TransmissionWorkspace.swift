/// Scratch memory for one ``TransmissionModel`` evaluation at a time.
///
/// A spectrum needs about 0.6 MB of intermediate arrays (per-layer opacities, the chord-length matrix). A workspace
/// holds them so that the hot loop allocates nothing. It is not thread-safe: give each thread its own (the
/// ``ArielTransmissionSimulator`` keeps a pool). Everything in it is overwritten before it is read, so results never
/// depend on which workspace ran them.
public final class TransmissionWorkspace {
    let layerCount: Int
    let binCount: Int
    let gVectorCount: Int
    let gCount: Int
    let nodeCount: Int

    // Per layer (Double).
    let temperature: UnsafeMutablePointer<Double>
    let density: UnsafeMutablePointer<Double>
    let altitude: UnsafeMutablePointer<Double>
    let thickness: UnsafeMutablePointer<Double>
    let area: UnsafeMutablePointer<Double>
    let levelAltitude: UnsafeMutablePointer<Double>
    /// dl[i][j] [m], layer-major, upper triangle used.
    let pathLength: UnsafeMutablePointer<Float>
    /// The chord weights the line kernel uses, `[layer][column]` with `ColumnSummary.columnCount` columns: dl_ij for
    /// the distinct-opacity layers j < m, then (when m < N) one merged column Σ_{j ≥ max(i, m)} dl_ij n_j [m⁻²].
    let chordWeights: UnsafeMutablePointer<Float>
    /// Σ_gas X k (file unit) at each k-table pressure node, `[bin][node][g-vector]` (isothermal path).
    let nodeOpacity: UnsafeMutablePointer<SIMD4<Float>>
    /// n_j Σ_gas X k [m⁻¹], `[bin][layer][g-vector]`.
    let kappa: UnsafeMutablePointer<SIMD4<Float>>
    /// Continuum (Rayleigh + CIA) extinction [m⁻¹], `[layer][bin]`.
    let continuum: UnsafeMutablePointer<Float>
    /// Σ_{j ≥ max(i, m)} dl_ij n_j [m⁻²] and Σ dl_ij n_j² [m⁻⁵] per chord i, over the layers that share one
    /// continuum per bin (see `ColumnSummary.distinctLayerCount`); unused when no layers merge.
    let mergedColumn: UnsafeMutablePointer<Double>
    let mergedColumnSquared: UnsafeMutablePointer<Double>
    /// Per bin, Σ X σ_Rayleigh [m²] and X_H2² k_H2H2 + X_H2 X_He k_H2He [m⁵] of the last temperature filled: the
    /// continuum of every merged layer j is n_j · the first + n_j² · the second.
    let rayleighSum: UnsafeMutablePointer<Double>
    let collisionSum: UnsafeMutablePointer<Double>
    /// Continuum chord optical depth, `[layer][bin]`.
    let continuumDepth: UnsafeMutablePointer<Float>
    /// Chord optical depths τ_g + τ_c of one bin, `[layer][g-vector]`, then their exponentials in place.
    let chordDepths: UnsafeMutablePointer<SIMD4<Float>>
    /// Per-gas k at one layer and bin, `[gas][g]`, and RORR scratch.
    let gasK: UnsafeMutablePointer<Double>
    let overlap: RandomOverlapScratch

    init(layerCount: Int, binCount: Int, gCount: Int, nodeCount: Int, gasCount: Int) {
        self.layerCount = layerCount
        self.binCount = binCount
        self.gCount = gCount
        self.gVectorCount = (gCount + 3) / 4
        self.nodeCount = nodeCount
        func make<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
            pointer.initialize(repeating: value, count: count)
            return pointer
        }
        temperature = make(layerCount, 0)
        density = make(layerCount, 0)
        altitude = make(layerCount, 0)
        thickness = make(layerCount, 0)
        area = make(layerCount, 0)
        levelAltitude = make(layerCount + 1, 0)
        chordWeights = make(layerCount * layerCount, 0)
        pathLength = make(layerCount * layerCount, 0)
        nodeOpacity = make(binCount * nodeCount * gVectorCount, SIMD4<Float>())
        kappa = make(binCount * layerCount * gVectorCount, SIMD4<Float>())
        continuum = make(layerCount * binCount, 0)
        continuumDepth = make(layerCount * binCount, 0)
        mergedColumn = make(layerCount, 0)
        mergedColumnSquared = make(layerCount, 0)
        rayleighSum = make(binCount, 0)
        collisionSum = make(binCount, 0)
        chordDepths = make(layerCount * gVectorCount, SIMD4<Float>())
        gasK = make(gasCount * gCount, 0)
        overlap = RandomOverlapScratch(gCount: gCount)
    }

    deinit {
        temperature.deallocate()
        density.deallocate()
        altitude.deallocate()
        thickness.deallocate()
        area.deallocate()
        levelAltitude.deallocate()
        chordWeights.deallocate()
        pathLength.deallocate()
        nodeOpacity.deallocate()
        kappa.deallocate()
        continuum.deallocate()
        continuumDepth.deallocate()
        mergedColumn.deallocate()
        mergedColumnSquared.deallocate()
        rayleighSum.deallocate()
        collisionSum.deallocate()
        chordDepths.deallocate()
        gasK.deallocate()
    }
}
