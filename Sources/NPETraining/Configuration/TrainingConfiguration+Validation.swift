extension TrainingConfiguration {
    /// Checks every value's range and the combinations; called after loading and after overrides.
    ///
    /// - Throws: ``TrainingConfigurationError`` naming `source` and the key.
    public func validate(source: String) throws {
        try validate(source: source, lines: [:])
    }

    /// ``validate(source:)`` with the line of each key in the file, for the error.
    func validate(source: String, lines: [String: Int]) throws {
        func fail(_ key: String, _ value: Any, _ expected: String) -> TrainingConfigurationError {
            // A key inside a flow mapping (`schedule: {kind: cosine, minimum: 1}`) has its own line; a default that
            // conflicts with another key has none, so fall back to the enclosing key's line.
            let line = lines[key] ?? lines[String(key[..<(key.lastIndex(of: ".") ?? key.startIndex)])]
            return TrainingConfigurationError(file: source, line: line, key: key,
                                              problem: .invalidValue("\(value)", expected: expected))
        }
        guard flow.transforms >= 1 else { throw fail("flow.transforms", flow.transforms, "an integer ≥ 1") }
        guard !flow.hiddenWidths.isEmpty, flow.hiddenWidths.allSatisfy({ $0 >= 1 }) else {
            throw fail("flow.hidden_widths", flow.hiddenWidths, "a non-empty list of positive integers")
        }
        guard flow.bins >= 2 else { throw fail("flow.bins", flow.bins, "an integer ≥ 2") }
        if embedding.kind != .identity {
            guard embedding.output >= 1 else { throw fail("embedding.output", embedding.output, "an integer ≥ 1") }
            guard embedding.hiddenWidths.allSatisfy({ $0 >= 1 }),
                  embedding.kind == .mlp || !embedding.hiddenWidths.isEmpty else {
                throw fail("embedding.hidden_widths", embedding.hiddenWidths, "positive integers")
            }
        }
        if embedding.kind == .residualConvolution {
            guard embedding.channels >= 1 else { throw fail("embedding.channels", embedding.channels, "an integer ≥ 1") }
            guard embedding.blocks >= 1 else { throw fail("embedding.blocks", embedding.blocks, "an integer ≥ 1") }
            guard embedding.kernelSize >= 1, embedding.kernelSize % 2 == 1 else {
                throw fail("embedding.kernel_size", embedding.kernelSize, "an odd integer ≥ 1")
            }
        }
        guard noise.transits >= 1 else { throw fail("noise.transits", noise.transits, "an integer ≥ 1") }
        if let range = noise.scaleRange, !(range.lowerBound > 0 && range.upperBound.isFinite) {
            throw fail("noise.scale_range", [range.lowerBound, range.upperBound], "[low, high] with 0 < low ≤ high")
        }
        if noise.model == .none, noiseLevelInput == true {
            throw TrainingConfigurationError(
                file: source, line: lines["noise_level_input"], key: "noise_level_input",
                problem: .inconsistent("a noise-level input needs training noise, but noise.model is none"))
        }
        if let k = maskAugmentation {
            guard k.probability > 0, k.probability <= 1 else { throw fail("mask_augmentation.probability", k.probability, "a number in (0, 1]") }
            guard (0...1).contains(k.segmentProbability) else {
                throw fail("mask_augmentation.segment_probability", k.segmentProbability, "a number in [0, 1]")
            }
            guard k.randomBins >= 0, k.randomBins < 1 else { throw fail("mask_augmentation.random_bins", k.randomBins, "a number in [0, 1)") }
            if k.randomBins == 0 && (k.segments == .noSegments || k.segmentProbability == 0) {
                throw TrainingConfigurationError(
                    file: source, line: lines["mask_augmentation"], key: "mask_augmentation",
                    problem: .inconsistent("masks nothing: random_bins is 0 and no segment is ever dropped"))
            }
        }
        let o = training
        guard o.batchSize >= 1 else { throw fail("training.batch_size", o.batchSize, "a positive integer") }
        guard o.learningRate > 0, o.learningRate.isFinite else {
            throw fail("training.learning_rate", o.learningRate, "a positive number")
        }
        guard o.weightDecay >= 0, o.weightDecay.isFinite else {
            throw fail("training.weight_decay", o.weightDecay, "a number ≥ 0")
        }
        if let clip = o.gradientClipNorm, !(clip > 0 && clip.isFinite) {
            throw fail("training.gradient_clip", clip, "a positive number, or none")
        }
        guard o.epochs >= 1 else { throw fail("training.epochs", o.epochs, "an integer ≥ 1") }
        guard o.patience >= 1 else { throw fail("training.patience", o.patience, "an integer ≥ 1") }
        guard o.validationFraction > 0, o.validationFraction < 1 else {
            throw fail("training.validation_fraction", o.validationFraction, "a number in (0, 1)")
        }
        guard o.shuffleBufferChunks >= 1 else {
            throw fail("training.shuffle_buffer_chunks", o.shuffleBufferChunks, "an integer ≥ 1")
        }
        if let limit = o.outlierLimit, !(limit > 0 && limit.isFinite) {
            throw fail("training.outlier_limit", limit, "a positive number of robust standard deviations, or none")
        }
        switch o.schedule {
        case .constant: break
        case let .cosine(minimum):
            guard minimum >= 0, minimum <= o.learningRate else {
                throw fail("training.schedule.minimum", minimum, "a number in [0, learning_rate]")
            }
        case let .plateau(factor, patience, minimum):
            guard factor > 0, factor < 1 else { throw fail("training.schedule.factor", factor, "a number in (0, 1)") }
            guard patience >= 1 else { throw fail("training.schedule.patience", patience, "an integer ≥ 1") }
            guard minimum >= 0 else { throw fail("training.schedule.minimum", minimum, "a number ≥ 0") }
        }
        try sections.validate(fail)
    }
}
