import NPETensor

extension ASPAEncoding {
    /// Per-pixel weights of the inpainting contextual loss, `[n, 256]`: 0 on the parameter patches (unknown), and
    /// on known pixels 1, or, when σ `[n, 52]` is given, the inverse noise of each spectral pixel in pixel units.
    ///
    /// A depth error σ_j becomes a pixel error 2σ_j / (max_s − min_s) in segment s, so a spectral pixel's raw
    /// weight is (max_s − min_s) / (2σ_j), the 1/σ weighting ExoGAN applies. Raw weights are divided by their mean
    /// over the spectral pixels, so the spectral block weighs as much in total as without σ and the balance with
    /// the strips, the mean patch and the perceptual term does not depend on the noise level. A flat segment
    /// (max = min) carries no shape information; its pixels keep weight 1.
    public func contextWeights(spectra x: Tensor, sigma: Tensor?) throws -> Tensor {
        try Self.checkSpectra(x)
        let n = x.shape[0], bins = ASPALayout.binCount
        let mask = knownMask
        var out = [Float](repeating: 0, count: n * ASPALayout.pixelCount)
        for row in 0..<n { for p in 0..<ASPALayout.pixelCount { out[row * ASPALayout.pixelCount + p] = mask[p] } }
        guard let sigma else { return try Tensor(shape: [n, ASPALayout.side * ASPALayout.side], scalars: out) }
        guard sigma.shape == x.shape else { throw ExoGANError.shape(what: "sigma", expected: "\(x.shape)", got: sigma.shape) }
        for row in 0..<n {
            var raw = [Double?](repeating: nil, count: bins)
            for s in 0..<ASPALayout.segmentCount {
                let range = (s * ASPALayout.segmentLength)..<((s + 1) * ASPALayout.segmentLength)
                let values = range.map { Double(x[row, $0]) }
                let width = values.max()! - values.min()!
                for bin in range {
                    let sd = sigma[row, bin]
                    guard sd > 0, sd.isFinite else { throw ExoGANError.invalidSigma(row: row, bin: bin, value: sd) }
                    if width > 0 { raw[bin] = width / (2 * Double(sd)) }
                }
            }
            let present = raw.compactMap { $0 }
            guard !present.isEmpty else { continue }
            let mean = present.reduce(0, +) / Double(present.count)
            for bin in 0..<bins {
                guard let weight = raw[bin] else { continue }
                for p in ASPALayout.spectralPixels(bin: bin) { out[row * ASPALayout.pixelCount + p] = Float(weight / mean) }
            }
        }
        return try Tensor(shape: [n, ASPALayout.side * ASPALayout.side], scalars: out)
    }
}
