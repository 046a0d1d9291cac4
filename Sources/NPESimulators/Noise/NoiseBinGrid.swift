import Foundation
import NPECSV

/// Spectral bins of an instrument: lower and upper edges in micrometres, in ascending wavelength.
///
/// The noise model integrates the stellar photon rate over each bin, so it needs edges, not only centres.
/// Note the order: ADC2023 HDF5 files store spectra long → short wavelength; everything in `NPESimulators`
/// uses ascending order.
public struct NoiseBinGrid: Sendable, Codable, Equatable {
    /// Lower edges [µm], one per bin.
    public var lowerEdges: [Double]
    /// Upper edges [µm], one per bin.
    public var upperEdges: [Double]
    /// Nominal bin centres [µm] (the published centre, not necessarily the midpoint of the edges).
    public var centres: [Double]

    public init(lowerEdges: [Double], upperEdges: [Double], centres: [Double]) throws {
        guard lowerEdges.count == upperEdges.count, centres.count == lowerEdges.count, !centres.isEmpty else {
            throw NoiseError.wrongShape(file: "<bins>", reason: "edges and centres need one value per bin")
        }
        for k in centres.indices where !(lowerEdges[k] > 0 && lowerEdges[k] < upperEdges[k]) {
            throw NoiseError.invalidParameter(
                name: "bin \(k) lower edge", value: lowerEdges[k], reason: "need 0 < lower < upper")
        }
        self.lowerEdges = lowerEdges
        self.upperEdges = upperEdges
        self.centres = centres
    }

    /// The number of bins.
    public var count: Int { centres.count }

    /// The grid as a ``SpectralGrid`` (centres and full widths, hi − lo).
    public var spectralGrid: SpectralGrid {
        SpectralGrid(wavelengths: centres, binWidths: zip(upperEdges, lowerEdges).map { $0 - $1 })
    }

    /// The 52 Ariel Data Challenge 2023 bins: the same bundled grid the forward model uses
    /// (`Resources/adc2023_wavelength_grid.csv`, see NPETransmission's `Resources/PROVENANCE.md`).
    public static func adc2023() throws -> NoiseBinGrid {
        let grid = try ArielWavelengthGrid.bundled()
        return try NoiseBinGrid(lowerEdges: grid.lowerEdges, upperEdges: grid.upperEdges, centres: grid.centres)
    }
}

/// Locates the bundled files under `Resources/noise`.
enum NoiseResources {
    static func url(_ name: String, _ fileExtension: String) throws -> URL {
        guard let url = Bundle.module.url(
            forResource: name, withExtension: fileExtension, subdirectory: "Resources/noise")
        else {
            throw NoiseError.unreadableFile(file: "Resources/noise/\(name).\(fileExtension)", reason: "not in bundle")
        }
        return url
    }
}
