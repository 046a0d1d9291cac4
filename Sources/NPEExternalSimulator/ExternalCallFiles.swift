import Foundation
import NPEData

/// The two files of one call, written and read through the project's HDF5 layer (`docs/external-simulators.md`).
///
/// `IN.h5`: dataset `theta` [n, D] float64 (columns in `inputs` order), dataset `row` [n] int64 (global row
/// indices), attributes `seed` (uint64, the call's seed), `contract` (int64, 1) and `outputs` (int64, M). Datasets
/// are contiguous and unfiltered, so any HDF5 reader opens them without plugins.
///
/// `OUT.h5`: dataset `x` [n, M], float64 or float32; a row holding NaN failed.
enum ExternalCallFiles {
    /// Writes IN.h5 atomically (a reader never sees a partial file).
    static func writeInput(to url: URL, inputs: ArraySlice<Double>, inputCount: Int, rows: ArraySlice<Int>,
                           seed: UInt64, outputCount: Int) throws {
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        try root.createDataset("theta", values: Array(inputs), shape: [rows.count, inputCount])
        try root.createDataset("row", values: rows.map { Int64($0) }, shape: [rows.count])
        try root.attributes.set("seed", to: .uint64(seed))
        try root.attributes.set("contract", to: .int64(Int64(ExternalSimulatorDescription.contractVersion)))
        try root.attributes.set("outputs", to: .int64(Int64(outputCount)))
        try file.commit()
    }

    /// Why OUT.h5 cannot be used: the whole call fails with this reason.
    struct Unusable: Error { var reason: String }

    /// Reads `x` [rows, outputs] from OUT.h5 as Double (float32 values are widened exactly).
    ///
    /// - Throws: ``Unusable`` for a missing or unparsable file, a missing `x`, another element type, or another
    ///   shape (a short file: fewer rows than the call had).
    static func readOutput(from url: URL, rows: Int, outputs: Int) throws -> [Double] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Unusable(reason: "the command exited 0 but wrote no OUT.h5")
        }
        let file: HDF5File
        do { file = try HDF5File.open(at: url) } catch {
            throw Unusable(reason: "OUT.h5 is not a readable HDF5 file (\(error))")
        }
        defer { try? file.close() }
        do {
            let root = try file.root()
            guard try root.contains("x") else {
                throw Unusable(reason: "OUT.h5 has no dataset 'x' (it has: \(try root.memberNames().joined(separator: ", ")))")
            }
            let x = try root.openDataset("x")
            let shape = try x.shape()
            guard shape == [rows, outputs] else {
                throw Unusable(reason: "OUT.h5 'x' has shape \(shape), expected [\(rows), \(outputs)] (rows of IN.h5, outputs of the description)")
            }
            switch x.elementType {
            case .float64: return try x.readAll(as: Double.self)
            case .float32: return try x.readAll(as: Float.self).map(Double.init)
            default: throw Unusable(reason: "OUT.h5 'x' holds \(x.elementType), expected float64 or float32")
            }
        } catch let error as Unusable {
            throw error
        } catch {
            throw Unusable(reason: "OUT.h5 cannot be read (\(error))")
        }
    }
}
