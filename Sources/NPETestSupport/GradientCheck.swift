import NPETensor
import Testing
import NPESupport

// Test helpers shared by every test target (not shipped in any product).

/// Central finite-difference gradient check for a function of several tensors.
///
/// The scalar probe is L(x) = Σᵢ f(x)ᵢ rᵢ with fixed random weights r, accumulated in Double, so every output
/// element contributes and Float32 rounding of the sum does not swamp the difference quotient.
///
/// Tolerance: with step h the central difference has truncation error ≈ h²|L‴|/6 and rounding error
/// ≈ ε·|L|·√n / h with ε = 6e-8 (Float32) and n outputs. For h = 1e-2 and the O(1) inputs used here both are
/// below 1e-3, so we accept |numeric − analytic| ≤ 3e-3 + 2e-2·|analytic|. Inputs are kept at least 0.05 away
/// from kinks (ReLU at 0), where a difference quotient is not a derivative.
public func checkGradients(
    _ name: String,
    inputs: [Tensor],
    step: Float = 1e-2,
    absoluteTolerance: Double = 3e-3,
    relativeTolerance: Double = 2e-2,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: ([Variable]) throws -> Variable
) throws {
    let variables = inputs.map { Variable($0, requiresGradient: true) }
    let output = try function(variables)
    let probe = RandomStream(seed: 7, stream: 99).normalTensor(output.shape)
    try output.backward(seed: probe)

    func loss(_ values: [Tensor]) throws -> Double {
        let out = try withoutGradient { try function(values.map { Variable($0) }) }
        var total = 0.0
        for i in 0..<out.value.count { total += Double(out.value.scalars[i]) * Double(probe.scalars[i]) }
        return total
    }

    for (k, input) in inputs.enumerated() {
        let analytic = try #require(variables[k].gradient, "\(name): no gradient reached input \(k)", sourceLocation: sourceLocation)
        #expect(analytic.shape == input.shape, "\(name): gradient shape", sourceLocation: sourceLocation)
        for i in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[k][scalarAt: i] += step
            minus[k][scalarAt: i] -= step
            let numeric = (try loss(plus) - loss(minus)) / (2 * Double(step))
            let exact = Double(analytic.scalars[i])
            let tolerance = absoluteTolerance + relativeTolerance * abs(exact)
            #expect(abs(numeric - exact) <= tolerance,
                    "\(name): input \(k) element \(i): analytic \(exact) vs numeric \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Deterministic test inputs: normal draws, optionally pushed away from zero (for kinks) or made positive.
public func testTensor(_ shape: [Int], seed: UInt64, positive: Bool = false, awayFromZero: Bool = false) -> Tensor {
    var t = RandomStream(seed: seed, stream: 1).normalTensor(shape)
    for i in 0..<t.count {
        if positive { t[scalarAt: i] = abs(t.scalars[i]) + 0.5 }
        if awayFromZero, abs(t.scalars[i]) < 0.1 { t[scalarAt: i] += t.scalars[i] < 0 ? -0.15 : 0.15 }
    }
    return t
}

/// Gradient check of a network with respect to its parameters (and input): perturbs each parameter element in
/// place, with the same probe and tolerances as ``checkGradients(_:inputs:step:absoluteTolerance:relativeTolerance:sourceLocation:_:)``.
/// Checks at most `maxElementsPerTensor` elements of each tensor (evenly spaced) to keep large layers fast.
public func checkParameterGradients(
    _ name: String,
    parameters: [(name: String, parameter: Variable)],
    input: Tensor,
    step: Float = 1e-2,
    absoluteTolerance: Double = 3e-3,
    relativeTolerance: Double = 2e-2,
    maxElementsPerTensor: Int = 40,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ function: (Variable) throws -> Variable
) throws {
    for p in parameters { p.parameter.zeroGradient() }
    let x = Variable(input, requiresGradient: true)
    let output = try function(x)
    let probe = RandomStream(seed: 11, stream: 98).normalTensor(output.shape)
    try output.backward(seed: probe)

    func loss(_ xValue: Tensor) throws -> Double {
        let out = try withoutGradient { try function(Variable(xValue)) }
        var total = 0.0
        for i in 0..<out.value.count { total += Double(out.value.scalars[i]) * Double(probe.scalars[i]) }
        return total
    }
    func compare(_ label: String, _ exact: Double, _ numeric: Double) {
        #expect(abs(numeric - exact) <= absoluteTolerance + relativeTolerance * abs(exact),
                "\(name): \(label): analytic \(exact) vs numeric \(numeric)", sourceLocation: sourceLocation)
    }
    let inputGradient = try #require(x.gradient, "\(name): no gradient reached the input", sourceLocation: sourceLocation)
    for i in stride(from: 0, to: input.count, by: max(1, input.count / maxElementsPerTensor)) {
        var plus = input, minus = input
        plus[scalarAt: i] += step
        minus[scalarAt: i] -= step
        compare("input[\(i)]", Double(inputGradient.scalars[i]), (try loss(plus) - loss(minus)) / (2 * Double(step)))
    }
    for (parameterName, parameter) in parameters {
        let analytic = try #require(parameter.gradient, "\(name): no gradient reached \(parameterName)", sourceLocation: sourceLocation)
        let original = parameter.value
        for i in stride(from: 0, to: original.count, by: max(1, original.count / maxElementsPerTensor)) {
            var plus = original, minus = original
            plus[scalarAt: i] += step
            minus[scalarAt: i] -= step
            try parameter.assign(plus)
            let lossPlus = try loss(input)
            try parameter.assign(minus)
            let lossMinus = try loss(input)
            try parameter.assign(original)
            compare("\(parameterName)[\(i)]", Double(analytic.scalars[i]), (lossPlus - lossMinus) / (2 * Double(step)))
        }
    }
}
