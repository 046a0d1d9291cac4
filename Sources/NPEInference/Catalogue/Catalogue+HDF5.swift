import Foundation
import NPEData

extension Catalogue {
    /// Reads an HDF5 catalogue: `x` [T, M] (required), `wavelength` [M] (required: the grid is checked against
    /// the model's), and optionally `sigma` [T, M], `context` [T, A] with attribute `context_names` (a JSON array),
    /// `id` [T] (strings) and `theta_true` [T, D] with attribute `parameter_names`. Float32 or float64.
    public init(hdf5 url: URL) throws {
        let file = try HDF5File.open(at: url)
        defer { try? file.close() }
        let root = try file.root()
        let source = url.path
        func matrix(_ name: String, required: Bool) throws -> (values: [Double], shape: [Int])? {
            guard try root.contains(name) else {
                if required { throw CatalogueError.missing(file: source, dataset: name) }
                return nil
            }
            let dataset = try root.openDataset(name)
            let shape = try dataset.shape()
            switch dataset.elementType {
            case .float64: return (try dataset.readAll(as: Double.self), shape)
            case .float32: return (try dataset.readAll(as: Float.self).map(Double.init), shape)
            default: throw CatalogueError.unsupportedType(file: source, dataset: name, type: "\(dataset.elementType)")
            }
        }
        func names(_ dataset: String, _ attribute: String) throws -> [String] {
            let object = try root.openDataset(dataset)
            guard try object.attributes.contains(attribute) else {
                throw CatalogueError.invalidNames(file: source, attribute: "\(dataset).\(attribute)", reason: "missing")
            }
            let text = try object.attributes.string(attribute)
            guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw CatalogueError.invalidNames(file: source, attribute: "\(dataset).\(attribute)", reason: "not a JSON array of strings")
            }
            return list
        }
        let x = try matrix("x", required: true)!
        guard x.shape.count == 2 else { throw CatalogueError.shape(file: source, dataset: "x", reason: "rank \(x.shape.count), expected [T, M]") }
        let t = x.shape[0]
        let wavelengths = try matrix("wavelength", required: true)!.values
        let ids = try root.contains("id") ? try root.openDataset("id").readStrings() : (0..<t).map { "target_\($0)" }
        guard ids.count == t else { throw CatalogueError.shape(file: source, dataset: "id", reason: "\(ids.count) ids for \(t) targets") }
        let context = try matrix("context", required: false)
        let truths = try matrix("theta_true", required: false)
        try self.init(
            source: source, ids: ids, wavelengths: wavelengths, x: x.values, sigma: try matrix("sigma", required: false)?.values,
            contextNames: context == nil ? [] : try names("context", "context_names"), context: context?.values,
            thetaNames: truths == nil ? [] : try names("theta_true", "parameter_names"), thetaTrue: truths?.values)
    }
}
