import Foundation
import NPEDatasets
import NPEGAN
import NPEInference
import NPEModels
import NPERegistry
import NPESimulators

/// Turns a registry entry into an ``InferenceJob``: the one switch over model kinds. Each kind supplies its
/// sampler, its requirements on the catalogue and, for importance sampling, its simulator's likelihood; the
/// pipeline, the file format and resumption are shared.
enum ModelDispatch {
    static let supportedKinds = [PosteriorModel.kind, ExoGANModel.kind]

    /// - Parameter predictiveRequested: the user asked for the posterior predictive check; otherwise it is the
    ///   default, and a model whose simulator is not available runs without it (`note` says so).
    static func job(for loaded: LoadedModel, catalogue url: URL, catalogueSHA256: String,
                    settings: InferenceSettings, predictiveRequested: Bool = true) throws -> (job: InferenceJob, note: String?) {
        switch loaded.card.kind {
        case PosteriorModel.kind:
            return try flowJob(PosteriorModel(loaded: loaded), catalogue: url, catalogueSHA256: catalogueSHA256, settings: settings,
                               predictiveRequested: predictiveRequested)
        case ExoGANModel.kind:
            var settings = settings
            var note: String?
            if settings.predictiveCheck && !predictiveRequested {
                settings.predictiveDraws = 0
                note = "posterior predictive check off: \(loaded.id) is an exogan model (pass --predictive-draws to ask for it)"
            } else if settings.predictiveCheck {
                throw InferenceError.invalidSetting(
                    name: "--predictive-draws", reason: "\(loaded.id) is an exogan model; the predictive check needs an npe-flow model's recorded simulator")
            }
            return (try ganJob(loaded, catalogue: url, catalogueSHA256: catalogueSHA256, settings: settings), note)
        default:
            throw InferenceError.unsupportedModelKind(model: loaded.id.description, kind: loaded.card.kind, supported: supportedKinds)
        }
    }

    /// A catalogue by its extension: `.csv` (context columns named as the model's), anything else HDF5.
    static func readCatalogue(_ url: URL, contextNames: [String]) throws -> Catalogue {
        url.pathExtension.lowercased() == "csv" ? try Catalogue(csv: url, contextNames: contextNames) : try Catalogue(hdf5: url)
    }

    static func flowJob(_ model: PosteriorModel, catalogue url: URL, catalogueSHA256: String,
                        settings: InferenceSettings, predictiveRequested: Bool) throws -> (job: InferenceJob, note: String?) {
        var settings = settings
        var note: String?
        var likelihood: SimulatorLikelihood?
        if settings.importanceSampling || settings.predictiveCheck {
            do {
                likelihood = try Self.likelihood(of: model)
            } catch let error where !settings.importanceSampling && !predictiveRequested {
                settings.predictiveDraws = 0
                note = "posterior predictive check off: \(error)"
            }
        }
        let estimator = model.estimator
        // One fixed noise row and no scale range: the model was trained for exactly that σ, which then serves
        // targets that come without σ.
        let defaultSigma = model.noise.flatMap { noise in
            noise.sigmaRows.count == 1 && noise.scaleRange == nil ? noise.sigmaRows[0].map(Double.init) : nil
        }
        let requirements = ModelRequirements(
            reference: model.id.description, kind: PosteriorModel.kind, weightsSHA256: model.weightsSHA256,
            parameterNames: model.parameterNames, parameterUnits: model.parameterUnits, wavelengths: model.wavelengths,
            binCount: estimator.architecture.xCount, contextNames: model.contextNames, defaultSigma: defaultSigma)
        let standardization = estimator.standardization
        let screening = TargetScreening(
            xMean: standardization.xMean.map(Double.init), xStandardDeviation: standardization.xScale.map(Double.init),
            contextPrior: model.contextNames.isEmpty ? nil : model.prior, zThreshold: settings.zThreshold)
        let job = try InferenceJob(
            catalogue: try readCatalogue(url, contextNames: model.contextNames), catalogueSHA256: catalogueSHA256,
            model: requirements, sampler: EstimatorSampler(estimator: estimator, parameterNames: model.parameterNames),
            samplerReadsSigma: estimator.architecture.noiseLevelInput, likelihood: likelihood,
            screening: screening, settings: settings)
        return (job, note)
    }

    /// An `exogan` model: samples are inpainting restarts, log q is NaN (a GAN has no density), so importance
    /// sampling is refused before any work. The catalogue needs no σ or context (the image holds neither).
    static func ganJob(_ loaded: LoadedModel, catalogue url: URL, catalogueSHA256: String,
                       settings: InferenceSettings) throws -> InferenceJob {
        if settings.importanceSampling {
            throw InferenceError.invalidSetting(
                name: "--importance-sampling",
                reason: "\(loaded.id) is an exogan model: a GAN has no density q(θ|x), so there are no importance weights")
        }
        let model = try ExoGANModel(loaded: loaded)
        let card = loaded.card
        let names = card.parameters.map(\.name)
        let requirements = ModelRequirements(
            reference: loaded.id.description, kind: ExoGANModel.kind, weightsSHA256: loaded.card.weights.sha256,
            parameterNames: names, parameterUnits: card.parameters.map(\.unit), wavelengths: card.inputGrid?.wavelengths,
            binCount: ASPALayout.binCount, contextNames: [], defaultSigma: nil)
        // Out of training range: a depth outside the encoding's log-depth range (the |z| test with the range's
        // midpoint and half-width over the threshold flags exactly the depths outside [10^low, 10^high]).
        let low = pow(10, model.encoding.logDepthLow), high = pow(10, model.encoding.logDepthHigh)
        let screening = TargetScreening(
            xMean: [Double](repeating: (low + high) / 2, count: ASPALayout.binCount),
            xStandardDeviation: [Double](repeating: (high - low) / 2 / settings.zThreshold, count: ASPALayout.binCount),
            contextPrior: nil, zThreshold: settings.zThreshold)
        let sampler = InpaintingSampler(model: model, parameterNames: names, options: InpaintingSampler.options(recordedIn: card))
        return try InferenceJob(
            catalogue: try readCatalogue(url, contextNames: []), catalogueSHA256: catalogueSHA256,
            model: requirements, sampler: sampler, samplerReadsSigma: false, likelihood: nil,
            screening: screening, settings: settings)
    }

    /// The exact likelihood of the simulator in the model's dataset lineage: the built-in simulator of that name,
    /// refused unless its version and configuration are the ones the training set was made with.
    static func likelihood(of model: PosteriorModel) throws -> SimulatorLikelihood {
        let reference = model.id.description
        let lineage = model.card.dataset.simulator
        func unavailable(_ reason: String) -> InferenceError { .likelihoodUnavailable(model: reference, reason: reason) }
        let simulator: any Simulator
        do {
            simulator = try SimulatorCatalog.entry(named: lineage.name).simulator
        } catch {
            throw unavailable("the training simulator '\(lineage.name)' is not built in (\(error))")
        }
        guard simulator.version == lineage.version else {
            throw unavailable("the training set was simulated with \(lineage.name) \(lineage.version), the built-in one is \(simulator.version)")
        }
        guard let text = lineage.configuration["simulator_configuration"],
              let recorded = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            throw unavailable("the card's dataset lineage does not record the simulator configuration")
        }
        let builtIn = simulator.configuration
        if let key = Set(recorded.keys).union(builtIn.keys).sorted().first(where: { recorded[$0] != builtIn[$0] }) {
            throw unavailable("simulator setting '\(key)' was '\(recorded[key] ?? "absent")' in training, the built-in default is '\(builtIn[key] ?? "absent")'")
        }
        return try SimulatorLikelihood(simulator: simulator, prior: model.prior, thetaNames: model.parameterNames,
                                       contextNames: model.contextNames, model: reference)
    }
}
