import CHDF5

/// Attribute calls: scalar strings (variable-length UTF-8) and scalar numbers on any object.
extension H5 {
    static func attributeExists(on object: HDF5Handle, named name: String, path: String) throws -> Bool {
        try HDF5Runtime.locked {
            try HDF5Runtime.checkBool(H5Aexists(try object.validID(), name), "H5Aexists", path)
        }
    }

    static func deleteAttribute(on object: HDF5Handle, named name: String, path: String) throws {
        try HDF5Runtime.locked {
            try HDF5Runtime.check(H5Adelete(try object.validID(), name), "H5Adelete", path)
        }
    }

    /// Writes a scalar attribute, replacing an existing one of the same name (whatever its type).
    static func writeAttribute(_ value: HDF5AttributeValue, on object: HDF5Handle, named name: String,
                               path: String) throws {
        try HDF5Runtime.locked {
            let objectID = try object.validID()
            if try attributeExists(on: object, named: name, path: path) {
                try HDF5Runtime.check(H5Adelete(objectID, name), "H5Adelete", path)
            }
            let space = try scalarDataspace(path: path)
            let stringType = try variableLengthUTF8StringType(path: path)
            let fileType: hid_t
            switch value {
            case .string: fileType = try stringType.validID()
            case .int64: fileType = npe_H5T_STD_I64LE()
            case .uint64: fileType = npe_H5T_STD_U64LE()
            case .double: fileType = npe_H5T_IEEE_F64LE()
            }
            let attribute = HDF5Handle(
                try HDF5Runtime.checkID(
                    H5Acreate2(objectID, name, fileType, try space.validID(), npe_H5P_DEFAULT(), npe_H5P_DEFAULT()),
                    "H5Acreate2", path),
                kind: .attribute, path: path)
            let attributeID = try attribute.validID()
            let status: herr_t
            switch value {
            case .string(let text):
                // A variable-length string is written as a pointer to a NUL-terminated buffer.
                status = text.withCString { characters in
                    var pointer: UnsafePointer<CChar>? = characters
                    return H5Awrite(attributeID, fileType, &pointer)
                }
            case .int64(var number): status = H5Awrite(attributeID, npe_H5T_NATIVE_INT64(), &number)
            case .uint64(var number): status = H5Awrite(attributeID, npe_H5T_NATIVE_UINT64(), &number)
            case .double(var number): status = H5Awrite(attributeID, npe_H5T_NATIVE_DOUBLE(), &number)
            }
            try HDF5Runtime.check(status, "H5Awrite", path)
        }
    }

    /// Reads a scalar attribute. Strings may be variable- or fixed-length (files from other tools);
    /// integers come back as `.int64` or `.uint64` by sign, floats as `.double`.
    static func readAttribute(on object: HDF5Handle, named name: String, path: String) throws -> HDF5AttributeValue {
        try HDF5Runtime.locked {
            let attribute = HDF5Handle(
                try HDF5Runtime.checkID(H5Aopen(try object.validID(), name, npe_H5P_DEFAULT()), "H5Aopen", path),
                kind: .attribute, path: path)
            let attributeID = try attribute.validID()
            let space = HDF5Handle(try HDF5Runtime.checkID(H5Aget_space(attributeID), "H5Aget_space", path),
                                   kind: .dataspace, path: path)
            let points = try HDF5Runtime.checkCount(H5Sget_simple_extent_npoints(try space.validID()),
                                                    "H5Sget_simple_extent_npoints", path)
            let type = HDF5Handle(try HDF5Runtime.checkID(H5Aget_type(attributeID), "H5Aget_type", path),
                                  kind: .datatype, path: path)
            let typeID = try type.validID()
            let typeClass = H5Tget_class(typeID)
            guard points == 1 else {
                throw HDF5Error.attributeTypeMismatch(path: path, stored: "an array of \(points) values",
                                                      requested: "a scalar")
            }
            switch typeClass {
            case H5T_STRING:
                return .string(try readStringAttribute(attributeID, storedType: typeID, path: path))
            case H5T_INTEGER:
                if H5Tget_sign(typeID) == H5T_SGN_NONE {
                    var number: UInt64 = 0
                    try HDF5Runtime.check(H5Aread(attributeID, npe_H5T_NATIVE_UINT64(), &number), "H5Aread", path)
                    return .uint64(number)
                }
                var number: Int64 = 0
                try HDF5Runtime.check(H5Aread(attributeID, npe_H5T_NATIVE_INT64(), &number), "H5Aread", path)
                return .int64(number)
            case H5T_FLOAT:
                var number: Double = 0
                try HDF5Runtime.check(H5Aread(attributeID, npe_H5T_NATIVE_DOUBLE(), &number), "H5Aread", path)
                return .double(number)
            default:
                throw HDF5Error.attributeTypeMismatch(path: path, stored: "HDF5 type class \(typeClass.rawValue)",
                                                      requested: "a string or number")
            }
        }
    }

    private static func readStringAttribute(_ attributeID: hid_t, storedType: hid_t, path: String) throws -> String {
        let isVariable = try HDF5Runtime.checkBool(H5Tis_variable_str(storedType), "H5Tis_variable_str", path)
        let memoryType = HDF5Handle(try HDF5Runtime.checkID(H5Tcopy(storedType), "H5Tcopy", path),
                                    kind: .datatype, path: path)
        if isVariable {
            var pointer: UnsafeMutablePointer<CChar>?
            try HDF5Runtime.check(H5Aread(attributeID, try memoryType.validID(), &pointer), "H5Aread", path)
            guard let pointer else { return "" }
            // HDF5 allocated the string; it must be released with HDF5's own allocator.
            defer { _ = H5free_memory(pointer) }
            return String(cString: pointer)
        }
        let size = H5Tget_size(storedType)
        var bytes = [UInt8](repeating: 0, count: size + 1)
        try HDF5Runtime.check(H5Aread(attributeID, try memoryType.validID(), &bytes), "H5Aread", path)
        // Fixed-length strings are NUL-terminated, NUL-padded or space-padded; strip the padding.
        let end = bytes.firstIndex(of: 0) ?? size
        var text = String(decoding: bytes[..<end], as: UTF8.self)
        if H5Tget_strpad(storedType) == H5T_STR_SPACEPAD {
            while text.last == " " { text.removeLast() }
        }
        return text
    }

    /// Attribute names in name order.
    static func attributeNames(on object: HDF5Handle) throws -> [String] {
        try HDF5Runtime.locked {
            let id = try object.validID()
            var info = H5O_info_t()
            try HDF5Runtime.check(H5Oget_info2(id, &info, H5O_INFO_NUM_ATTRS), "H5Oget_info2", object.path)
            return try (0..<info.num_attrs).map { index in
                try readName(function: "H5Aget_name_by_idx", path: object.path) { buffer, size in
                    H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, buffer, size, npe_H5P_DEFAULT())
                }
            }
        }
    }
}
