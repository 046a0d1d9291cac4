import Dispatch
import Foundation

/// Refines several targets at once, so every core stays busy while one target trains: `concurrentTargets`
/// workers take targets in index order from a shared counter. A target that fails (no prior mass in its HPD
/// region, a round whose simulations all failed, a zero budget) is reported with its error and the others go on.
public enum CatalogueRefinement {
    /// One target's outcome: its result, or why it could not be refined.
    public enum Outcome {
        case refined(SequentialRefinement.Result)
        case failed(target: String, reason: String)

        /// The failure's message, nil when refined.
        public var failure: String? {
            if case let .failed(_, reason) = self { return reason }
            return nil
        }
    }

    /// - Parameters:
    ///   - count: the number of targets.
    ///   - make: builds target i's refinement (called on the worker that runs it).
    ///   - resume: passed to every ``SequentialRefinement/run(resume:)``.
    /// - Returns: one outcome per target, in target order.
    public static func run(count: Int, concurrentTargets: Int, resume: Bool,
                           make: @escaping (Int) throws -> SequentialRefinement) -> [Outcome] {
        var outcomes = [Outcome?](repeating: nil, count: count)
        var next = 0
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: max(1, min(concurrentTargets, count))) { _ in
            while true {
                lock.lock()
                let i = next
                next += 1
                lock.unlock()
                guard i < count else { return }
                let outcome: Outcome
                do {
                    let refinement = try make(i)
                    do { outcome = .refined(try refinement.run(resume: resume)) } catch {
                        outcome = .failed(target: refinement.target.id, reason: "\(error)")
                    }
                } catch {
                    outcome = .failed(target: "#\(i)", reason: "\(error)")
                }
                lock.lock()
                outcomes[i] = outcome
                lock.unlock()
            }
        }
        return outcomes.map { $0! }
    }
}
