import CHDF5
import Foundation

/// One-dimensional string datasets (e.g. target names in a posterior file).
extension H5 {
    /// Creates a contiguous `[count]` dataset of variable-length UTF-8 strings holding `values`.
    static func createStringDataset(in parent: HDF5Handle, named name: String, values: [String],
                                    path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let type = try variableLengthUTF8StringType(path: path)
            let space = try simpleDataspace([values.count], path: path)
            let dataset = HDF5Handle(
                try HDF5Runtime.checkID(
                    H5Dcreate2(try parent.validID(), name, try type.validID(), try space.validID(), npe_H5P_DEFAULT(),
                               npe_H5P_DEFAULT(), npe_H5P_DEFAULT()),
                    "H5Dcreate2", path),
                kind: .dataset, path: path)
            guard !values.isEmpty else { return dataset }
            // HDF5 writes variable-length strings from an array of C string pointers; these copies are
            // ours and freed right after the write.
            var pointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer(strdup($0)) }
            defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
            try HDF5Runtime.check(
                H5Dwrite(try dataset.validID(), try type.validID(), npe_H5S_ALL(), npe_H5S_ALL(), npe_H5P_DEFAULT(),
                         &pointers),
                "H5Dwrite", path)
            return dataset
        }
    }

    /// Reads a 1-D string dataset, variable-length or fixed-length (padding stripped).
    static func readStrings(of dataset: HDF5Handle) throws -> [String] {
        try HDF5Runtime.locked {
            let path = dataset.path
            let id = try dataset.validID()
            let space = try dataspace(of: dataset)
            let count = try HDF5Runtime.checkCount(H5Sget_simple_extent_npoints(try space.validID()),
                                                   "H5Sget_simple_extent_npoints", path)
            let stored = HDF5Handle(try HDF5Runtime.checkID(H5Dget_type(id), "H5Dget_type", path),
                                    kind: .datatype, path: path)
            let memoryType = HDF5Handle(try HDF5Runtime.checkID(H5Tcopy(try stored.validID()), "H5Tcopy", path),
                                        kind: .datatype, path: path)
            let typeID = try memoryType.validID()
            guard count > 0 else { return [] }
            if try HDF5Runtime.checkBool(H5Tis_variable_str(typeID), "H5Tis_variable_str", path) {
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                try HDF5Runtime.check(H5Dread(id, typeID, npe_H5S_ALL(), npe_H5S_ALL(), npe_H5P_DEFAULT(), &pointers),
                                      "H5Dread", path)
                let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
                // The strings were allocated by HDF5 and go back through HDF5.
                try HDF5Runtime.check(H5Dvlen_reclaim(typeID, try space.validID(), npe_H5P_DEFAULT(), &pointers),
                                      "H5Dvlen_reclaim", path)
                return strings
            }
            let size = H5Tget_size(typeID)
            var bytes = [UInt8](repeating: 0, count: count * size)
            try HDF5Runtime.check(H5Dread(id, typeID, npe_H5S_ALL(), npe_H5S_ALL(), npe_H5P_DEFAULT(), &bytes),
                                  "H5Dread", path)
            let spacePadded = H5Tget_strpad(typeID) == H5T_STR_SPACEPAD
            return (0..<count).map { index in
                let field = bytes[index * size..<(index + 1) * size]
                var text = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
                if spacePadded { while text.last == " " { text.removeLast() } }
                return text
            }
        }
    }
}
