import Foundation
import NPEData
import NPEFlows
import NPEInference
import NPESimulators
import NPESupport
import NPETensor
import NPETraining

extension SequentialRefinement {
    /// One round, from proposal to record.
    func runRound(_ r: Int, state: inout RunState) throws {
        let clock = Date()
        let n = settings.simulationsPerRound, k = problem.thetaCount
        let current: (any PosteriorDensity)? = try r == 0
            ? (initialProposal ?? state.estimator.map { try EstimatorPosterior(estimator: $0, target: target, workers: settings.threads) })
            : EstimatorPosterior(estimator: state.estimator!, target: target, workers: settings.threads)
        let proposal = try propose(from: current, round: r, count: n)
        let table = ProposalTable(prior: problem.prior, theta: proposal.theta, logProposal: proposal.logProposal, thetaCount: k,
                                  context: target.context, kind: proposal.kind)
        let simulated = try RoundSimulation.run(table, problem: problem, seed: seed(round: r, purpose: 2),
                                                threads: settings.threads, batchRows: settings.simulationBatchRows)
        guard simulated.failures < n else {
            throw SequentialError.allSimulationsFailed(target: target.id, round: r, rows: n, firstError: simulated.firstError)
        }
        let rows = try storeSimulations(simulated.rows, round: r)

        // Weights of every row against the exact posterior, from the stored (float) spectra.
        let m = problem.simulator.outputCount
        let logLikelihood: [Double]? = target.sigma == nil ? nil : (0..<n).map { i in
            rows.flags?[i] == 0 || rows.flags == nil ? target.logLikelihood(simulated: rows.x[i * m ..< (i + 1) * m])! : -.infinity
        }
        let logPrior = (0..<n).map { problem.logPrior(proposal.theta[$0 * k ..< ($0 + 1) * k]) }
        var record = RoundRecord(
            target: target.id, round: r, method: settings.method, proposal: proposal.kind, simulations: n,
            invalidSimulations: simulated.failures, outsidePriorFraction: proposal.outsideFraction, effectiveSampleSize: nil,
            efficiency: nil, change: nil, truncationAcceptance: proposal.acceptance, trained: false, validationLoss: nil, seconds: 0)
        var logWeights: [Double]?
        if let logLikelihood {
            let weighed = ImportanceSampling.weigh(logLikelihood: logLikelihood, logPrior: logPrior, logProposal: proposal.logProposal)
            record.effectiveSampleSize = weighed.effectiveSampleSize
            record.efficiency = weighed.efficiency
            logWeights = (0..<n).map { logLikelihood[$0] + logPrior[$0] - proposal.logProposal[$0] }
        }
        try store.write(RoundStore.Weights(logProposal: proposal.logProposal, logWeights: logWeights), to: store.weights(r))
        state.rounds.append(rows)
        state.fromPrior.append(proposal.kind == "prior")

        if settings.method == .snpeIS, let ess = record.effectiveSampleSize, let logWeights {
            // The stored (float) θ, so a resumed run reports the very same draws.
            let draws = WeightedDraws(theta: rows.theta.map(Double.init), logWeights: logWeights, effectiveSampleSize: ess, round: r)
            if updateImportanceState(&state, draws: draws, proposal: proposal.kind, isLast: r == settings.rounds - 1) {
                record.seconds = Date().timeIntervalSince(clock)
                try finish(record, round: r, state: &state)
                return
            }
        }
        let before = try state.estimator.map { try EstimatorPosterior(estimator: $0, target: target).sample(count: settings.changeSamples, seed: seed(round: r, purpose: 4)).theta }
        let trained = try train(round: r, state: &state)
        if trained.interrupted {
            state.rounds.removeLast()
            state.fromPrior.removeLast()
            state.interrupted = true
            return
        }
        record.trained = true
        record.validationLoss = Double(trained.validationLoss)
        if let before {
            let after = try EstimatorPosterior(estimator: state.estimator!, target: target).sample(count: settings.changeSamples, seed: seed(round: r, purpose: 4)).theta
            record.change = MarginalKS.distance(before, after, thetaCount: k)
        }
        try store.writeModel(state.estimator!.parameterDictionary(), round: r)
        record.seconds = Date().timeIntervalSince(clock)
        try finish(record, round: r, state: &state)
    }

    /// SNPE-IS bookkeeping after a round's weights: keeps the best round, and says whether to stop (the minimum
    /// ESS reached, the ESS fell from the previous posterior-proposed round, or the last round, whose draws need
    /// no more training).
    func updateImportanceState(_ state: inout RunState, draws: WeightedDraws, proposal: String, isLast: Bool) -> Bool {
        let parameters = state.estimator?.parameterDictionary()
        let previous = state.best
        if draws.effectiveSampleSize >= settings.minimumEffectiveSampleSize {
            state.best = (draws, parameters)
            state.reachedMinimum = true
            state.finished = true
            return true
        }
        // Only rounds proposed by a posterior are compared: the prior's ESS says nothing about q.
        if proposal != "prior", let previous, previous.draws.effectiveSampleSize > draws.effectiveSampleSize,
           state.records.indices.contains(previous.draws.round), state.records[previous.draws.round].proposal != "prior" {
            if let restored = previous.parameters { try? state.estimator?.load(restored) }
            state.revertedRound = draws.round
            state.finished = true
            return true
        }
        if previous == nil || draws.effectiveSampleSize >= previous!.draws.effectiveSampleSize || state.records[previous!.draws.round].proposal == "prior" {
            state.best = (draws, parameters)
        }
        if isLast { state.finished = true }
        return isLast
    }

    func finish(_ record: RoundRecord, round r: Int, state: inout RunState) throws {
        try store.write(record, to: store.record(r))
        state.records.append(record)
    }

    /// A completed round, read back: its rows, its record, the model it left and (SNPE-IS) its weights, replaying
    /// the bookkeeping a live round does.
    func reload(round r: Int, into state: inout RunState) throws {
        let record = try store.read(RoundRecord.self, from: store.record(r))
        let rows = try readRows(round: r)
        let weights = try store.read(RoundStore.Weights.self, from: store.weights(r))
        state.rounds.append(rows)
        state.fromPrior.append(record.proposal == "prior")
        if settings.method == .snpeIS, let logWeights = weights.logWeights, let ess = record.effectiveSampleSize {
            let draws = WeightedDraws(theta: rows.theta.map(Double.init), logWeights: logWeights, effectiveSampleSize: ess, round: r)
            if updateImportanceState(&state, draws: draws, proposal: record.proposal, isLast: r == settings.rounds - 1) {
                state.records.append(record)
                return
            }
        }
        if record.trained {
            let parameters = try store.readModel(round: r)
            if state.estimator == nil { state.estimator = try makeEstimator(rows: state.rounds) }
            try state.estimator!.load(parameters)
        }
        state.records.append(record)
    }
}
