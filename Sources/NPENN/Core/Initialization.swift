import Foundation
import NPETensor
import NPESupport

/// Parameter initialisation from a ``RandomStream``, so a network built from a seed is the same on every rank.
public enum Initialization {
    /// U(−1/√fanIn, 1/√fanIn), PyTorch's default for linear layers (He et al. 2015's "kaiming uniform" with
    /// a = √5 reduces to this bound).
    public static func uniformFanIn(_ shape: [Int], fanIn: Int, stream: RandomStream) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return stream.uniformTensor(shape, low: -bound, high: bound)
    }
}
