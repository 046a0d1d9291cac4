import Foundation
import NPEChecksum

/// The registry's digest spelling: lowercase hexadecimal SHA-256.
enum SHA256Digest {
    static func hex(of data: Data) -> String { SHA256.hexDigest(of: data) }
}
