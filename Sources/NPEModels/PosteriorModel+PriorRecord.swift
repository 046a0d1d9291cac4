import NPERegistry
import NPESimulators

extension PosteriorModel {
    /// How every kind's card records its prior: the θ parameters as ``NPERegistry/ParameterDescription``s (name,
    /// unit, the parameter's JSON) and the lineage with the prior's JSON under ``priorKey``, so any card can be
    /// read back into the prior it was trained on.
    public static func priorRecord(_ prior: Prior, lineage: DatasetLineage) throws -> (parameters: [ParameterDescription], lineage: DatasetLineage) {
        var lineage = lineage
        lineage.simulator.configuration[priorKey] = try CardJSON.string(prior)
        let parameters = try prior.thetaIndices.map { index -> ParameterDescription in
            let parameter = prior.parameters[index]
            return ParameterDescription(name: parameter.name, unit: parameter.unit ?? "", prior: try CardJSON.value(parameter))
        }
        return (parameters, lineage)
    }
}
