// npe-bench: prints one JSON object per line per figure. Usage: npe-bench [SUITE...] (default: all suites).
import Foundation

let suites: [String: () throws -> Void] = [
    "engine": EngineSuite.run,
    "dataset": DatasetSuite.run,
    "forward": ForwardSuite.run,
    "flows": FlowsSuite.run,
    "train": TrainSuite.run,
    "gan": GANSuite.run,
    "flexare": FlexARESuite.run,
    "infer": InferSuite.run,
    "sequential": SequentialSuite.run,
    "external": ExternalSuite.run,
]
// The external suite's own simulator: `npe-bench exec-child IN.h5 OUT.h5` (see ExternalSuite).
if CommandLine.arguments.count == 4 && CommandLine.arguments[1] == "exec-child" {
    try ExternalSuite.child(input: CommandLine.arguments[2], output: CommandLine.arguments[3])
    exit(0)
}
let requested = CommandLine.arguments.dropFirst().isEmpty ? suites.keys.sorted() : Array(CommandLine.arguments.dropFirst())
for name in requested {
    guard let suite = suites[name] else {
        FileHandle.standardError.write("npe-bench: unknown suite '\(name)'; known: \(suites.keys.sorted().joined(separator: ", "))\n".data(using: .utf8)!)
        exit(2)
    }
    try suite()
}
