// swift-tools-version:6.0
// ExoNPE: amortised neural posterior estimation for exoplanet transmission spectra.
//
// Targets are listed bottom-up, in dependency order: system libraries, the Foundation-only support layer, the
// numeric engine, data and registry layers, the simulators, the pipeline libraries, the command-line layer, then
// executables and tests. Every dependency points to a target listed above it. See docs/ARCHITECTURE.md.
import PackageDescription

/// Release builds of numeric kernels: `-Ounchecked` is never used; plain `-O` is enough.
let swiftSettings: [SwiftSetting] = []
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let realModule = Target.Dependency.product(name: "RealModule", package: "swift-numerics")

let package = Package(
    name: "ExoNPE",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "NPESupport", targets: ["NPESupport"]),
        .library(name: "NPETensor", targets: ["NPETensor"]),
        .library(name: "NPENN", targets: ["NPENN"]),
        .library(name: "NPEFlows", targets: ["NPEFlows"]),
        .library(name: "NPEData", targets: ["NPEData"]),
        .library(name: "NPESimulators", targets: ["NPESimulators"]),
        .library(name: "NPETransmission", targets: ["NPETransmission"]),
        .library(name: "NPEChecksum", targets: ["NPEChecksum"]),
        .library(name: "NPESafetensors", targets: ["NPESafetensors"]),
        .library(name: "NPERegistry", targets: ["NPERegistry"]),
        .library(name: "NPEParallel", targets: ["NPEParallel"]),
        .library(name: "NPEParallelMPI", targets: ["NPEParallelMPI"]),
        .library(name: "NPEExternalSimulator", targets: ["NPEExternalSimulator"]),
        .library(name: "NPEDatasets", targets: ["NPEDatasets"]),
        .library(name: "NPEModels", targets: ["NPEModels"]),
        .library(name: "NPEGAN", targets: ["NPEGAN"]),
        .library(name: "NPEFlexARE", targets: ["NPEFlexARE"]),
        .library(name: "NPEModelKinds", targets: ["NPEModelKinds"]),
        .library(name: "NPESequential", targets: ["NPESequential"]),
        .executable(name: "npe-registry", targets: ["npe-registry"]),
        .executable(name: "npe-build-dataset", targets: ["npe-build-dataset"]),
        .executable(name: "npe-infer", targets: ["npe-infer"]),
        .executable(name: "npe-train", targets: ["npe-train"]),
        .executable(name: "npe-validate", targets: ["npe-validate"]),
        .executable(name: "npe-report", targets: ["npe-report"]),
        .executable(name: "npe-refine", targets: ["npe-refine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // Test support only: approximate equality with documented tolerances (expectClose).
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        // Logic-less templates for npe-report's static HTML site.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Test-only: property-based fuzzing of the parsers of outside bytes (NPEFuzzTests).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - System libraries (module map + documented shim only)
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),

        // MARK: - Foundation-only layer
        // The one POSIX wrapper (one EINTR policy), atomic files, file locks, counter-based random streams and the
        // one box-to-R bijection: primitives every layer above shares.
        .target(name: "NPESupport", swiftSettings: swiftSettings),
        .target(name: "NPEChecksum", swiftSettings: swiftSettings),
        .target(name: "NPECSV", swiftSettings: swiftSettings),
        // The one YAML node reader (priors, training and simulator configurations), errors in the caller's type.
        .target(name: "NPEYAML", dependencies: [yams], swiftSettings: swiftSettings),
        // The safetensors codec, shared by registry weights and training checkpoints.
        .target(name: "NPESafetensors", dependencies: ["NPESupport", "NPEChecksum"], swiftSettings: swiftSettings),
        .target(name: "NPEParallel", swiftSettings: swiftSettings),

        // MARK: - Numeric engine
        .target(name: "NPETensor", dependencies: ["CBLAS", "CMalloc", "NPESupport"], swiftSettings: swiftSettings),
        .target(name: "NPENN", dependencies: ["NPETensor", "NPESupport"], swiftSettings: swiftSettings),
        .target(name: "NPEFlows", dependencies: ["NPENN", "NPETensor", "NPESupport"], swiftSettings: swiftSettings),

        // MARK: - Files, registry, parallelism
        .target(name: "NPEData", dependencies: ["CHDF5", "CLZ4", "NPEChecksum", "NPESupport"], swiftSettings: swiftSettings),
        .target(name: "NPERegistry", dependencies: ["NPEChecksum", "NPESafetensors", "NPESupport"], swiftSettings: swiftSettings),
        // The only importer of CMPI, so everything else builds and tests without MPI.
        .target(name: "NPEParallelMPI", dependencies: ["NPEParallel", "CMPI"], swiftSettings: swiftSettings),

        // MARK: - Simulators
        // The vocabulary: the Simulator protocol (row and batch), parameter sources and YAML priors, noise models,
        // the ADC2023 grid, analytic test problems.
        .target(
            name: "NPESimulators", dependencies: ["NPECSV", "NPESupport", "NPEYAML", yams],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),
        // The built-in ARIEL transmission forward model and its 11 MB of k-tables and CIA.
        .target(
            name: "NPETransmission", dependencies: ["NPESimulators", "NPEYAML", yams],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),

        // The exec:FILE.yaml simulator: a user's own forward model run as a command, IN.h5 -> OUT.h5.
        .target(
            name: "NPEExternalSimulator",
            dependencies: ["NPEData", "NPESimulators", "NPEChecksum", "NPECSV", "NPESupport", yams],
            swiftSettings: swiftSettings),

        // MARK: - Pipeline
        .target(
            name: "NPEDatasets",
            dependencies: ["NPEData", "NPESimulators", "NPETransmission", "NPEExternalSimulator", "NPETensor", "NPEParallel", "NPEChecksum", "NPECSV", "NPESupport"],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),
        // A trained estimator <-> its registry entry (kind npe-flow), and the declared training noise: shared by
        // the trainer, npe-infer and npe-validate so they cannot disagree about the card.
        .target(
            name: "NPEModels",
            dependencies: ["NPEFlows", "NPETensor", "NPESimulators", "NPERegistry", "NPESafetensors", "NPEData", "NPESupport"],
            swiftSettings: swiftSettings),
        .target(
            name: "NPETraining",
            dependencies: ["NPEData", "NPENN", "NPETensor", "NPEFlows", "NPEParallel", "NPERegistry", "NPESafetensors", "NPEModels", "NPESimulators", "NPESupport", "NPEYAML", yams],
            swiftSettings: swiftSettings),
        .target(
            name: "NPEInference",
            dependencies: ["NPENN", "NPETensor", "NPEData", "NPECSV", "NPEChecksum", "NPEFlows", "NPESimulators", "NPERegistry", "NPEModels", "NPESupport"],
            swiftSettings: swiftSettings),
        // The ExoGAN baseline (ASPA images, DCGAN, inpainting retrieval); nothing below depends on it.
        .target(
            name: "NPEGAN",
            dependencies: ["NPENN", "NPETensor", "NPEParallel", "NPERegistry", "NPESafetensors", "NPETraining", "NPEData", "NPEModels", "NPESimulators", "NPEInference", "NPESupport", "NPEYAML", yams],
            swiftSettings: swiftSettings),

        // The FlexARE baseline (dense denoising autoencoder, U-Net imputer, pre-processing before a flow).
        .target(
            name: "NPEFlexARE",
            dependencies: ["NPENN", "NPETensor", "NPEParallel", "NPERegistry", "NPESafetensors", "NPETraining", "NPEData", "NPEModels", "NPESimulators", "NPEInference", "NPEYAML", "NPESupport", yams],
            swiftSettings: swiftSettings),

        // npe-report: the static HTML catalogue report (Mustache templates, plots drawn by the plotting venv).
        .target(
            name: "NPEReport",
            dependencies: ["NPEInference", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),
        // The model-kind seam: what a kind does (train, checkpoint, publish, load, sample, score), the registered
        // kinds (npe-flow, exogan) and the simulator of a model's lineage. The executables dispatch through it.
        .target(
            name: "NPEModelKinds",
            dependencies: ["NPETraining", "NPEInference", "NPEGAN", "NPEFlexARE", "NPEModels", "NPERegistry", "NPEParallel", "NPEDatasets", "NPEData", "NPEChecksum", "NPESimulators"],
            swiftSettings: swiftSettings),

        // Sequential rounds for the targets an amortised model cannot settle: TSNPE, APT and SNPE-IS
        // (docs/refine.md). Proposals are parameter sources, APT's atomic loss a TrainingLoss.
        .target(
            name: "NPESequential",
            dependencies: ["NPEModelKinds", "NPETraining", "NPEInference", "NPEDatasets", "NPEModels", "NPERegistry", "NPEFlows", "NPENN",
                           "NPETensor", "NPEData", "NPESimulators", "NPESafetensors", "NPEChecksum", "NPESupport"],
            swiftSettings: swiftSettings),

        // MARK: - Command-line layer
        // What the executables share: the stderr progress bar, SIGINT/SIGTERM as a polled stop flag, the one worker
        // launcher (MPI or threads), shared option groups, and the training driver every model kind runs through.
        .target(
            name: "NPECommandLine",
            dependencies: ["NPEModelKinds", "NPETraining", "NPEDatasets", "NPESimulators", "NPETensor", "NPEParallel", "NPEParallelMPI", argumentParser],
            swiftSettings: swiftSettings),

        // MARK: - Executables (thin: parse arguments, call the libraries)
        .executableTarget(name: "npe-registry", dependencies: ["NPERegistry", argumentParser]),
        .executableTarget(
            name: "npe-build-dataset",
            dependencies: ["NPECommandLine", "NPEDatasets", "NPESimulators", "NPERegistry", "NPEChecksum", "NPEParallel", argumentParser]),
        .executableTarget(
            name: "npe-train", dependencies: ["NPECommandLine", "NPEModelKinds", "NPETraining", argumentParser]),
        .executableTarget(
            name: "npe-infer",
            dependencies: ["NPECommandLine", "NPEModelKinds", "NPEInference", "NPERegistry", "NPEChecksum", argumentParser]),
        .executableTarget(
            name: "npe-validate",
            dependencies: ["NPECommandLine", "NPEModelKinds", "NPEInference", "NPEModels", "NPERegistry", "NPEDatasets", "NPEData", "NPESimulators", argumentParser]),
        .executableTarget(name: "npe-report", dependencies: ["NPEReport", argumentParser]),
        .executableTarget(name: "npe-refine", dependencies: ["NPECommandLine", "NPESequential", "NPETensor", argumentParser]),
        .executableTarget(
            name: "npe-bench",
            dependencies: ["NPESupport", "NPETensor", "NPENN", "NPEDatasets", "NPEFlows", "NPETraining", "NPEParallel", "NPEGAN", "NPEFlexARE", "NPEInference", "NPEModels", "NPESimulators", "NPETransmission",
                           "NPESequential", "NPEData", "NPEExternalSimulator"],
            path: "Benchmarks/npe-bench"),

        // MARK: - Tests
        // Shared test helpers (gradient checks, processes); only test targets depend on it.
        .target(name: "NPETestSupport", dependencies: ["NPETensor", "NPESupport", realModule]),
        .testTarget(name: "NPESupportTests", dependencies: ["NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPECommandLineTests", dependencies: ["NPECommandLine", "NPETestSupport"]),
        .testTarget(name: "NPETensorTests", dependencies: ["NPETensor", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPENNTests", dependencies: ["NPENN", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPEFlowsTests", dependencies: ["NPEFlows", "NPESimulators", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPEDataTests", dependencies: ["NPEData", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPESimulatorsTests", dependencies: ["NPESimulators", "NPECSV", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPETransmissionTests", dependencies: ["NPETransmission", "NPESimulators", "NPECSV", "NPETestSupport"]),
        .testTarget(name: "NPECSVTests", dependencies: ["NPECSV"]),
        .testTarget(name: "NPEYAMLTests", dependencies: ["NPEYAML", yams]),
        .testTarget(
            name: "NPEInferenceTests",
            dependencies: ["NPEInference", "NPESimulators", "NPETransmission", "NPEData", "NPECSV", "NPETensor", "NPEFlows", "NPEModels", "NPERegistry",
                           "NPETraining", "NPESupport", "npe-infer", "npe-validate", "NPETestSupport"]),
        .testTarget(name: "NPEReportTests", dependencies: ["NPEReport", "NPEInference", "NPESimulators", "NPEData", "NPETensor", "NPESupport", "npe-report", "NPETestSupport"]),
        .testTarget(name: "NPETrainingTests", dependencies: ["NPETraining", "NPESafetensors", "NPEParallel", "NPEFlows", "NPESimulators", "NPEModels", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPEModelsTests", dependencies: ["NPEModels", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPEGANTests", dependencies: ["NPEGAN", "NPEData", "NPETraining", "NPEParallel", "NPERegistry", "NPEModels", "NPEInference", "NPESupport", "NPETestSupport"]),
        .testTarget(
            name: "NPEFlexARETests",
            dependencies: ["NPEFlexARE", "NPEModelKinds", "NPENN", "NPETensor", "NPEData", "NPETraining", "NPEParallel", "NPERegistry",
                           "NPEInference", "NPEModels", "NPESimulators", "NPESupport", "npe-train", "npe-infer", "NPETestSupport"]),
        .testTarget(name: "NPEChecksumTests", dependencies: ["NPEChecksum"]),
        .testTarget(
            name: "NPESequentialTests",
            dependencies: ["NPESequential", "NPETraining", "NPEFlows", "NPESimulators", "NPEData", "NPETensor", "NPESupport", "NPETestSupport",
                           "NPEInference", "NPERegistry", "npe-refine", "npe-build-dataset", "npe-train"]),
        .testTarget(name: "NPERegistryTests", dependencies: ["NPERegistry", "NPESafetensors", "NPESupport", "NPETestSupport"]),
        .testTarget(name: "NPEParallelTests", dependencies: ["NPEParallel"]),
        .testTarget(name: "NPEParallelMPITests", dependencies: ["NPEParallelMPI", "NPEParallel"]),
        .testTarget(name: "NPEDatasetsTests", dependencies: ["NPEDatasets", "NPEExternalSimulator", "NPETransmission", "npe-build-dataset", "NPEInference", "NPESupport", "NPETestSupport"]),
        .testTarget(
            name: "NPETrainCommandTests",
            dependencies: ["npe-train", "npe-build-dataset", "npe-infer", "NPETraining", "NPEGAN", "NPEFlexARE", "NPEModels", "NPERegistry", "NPESafetensors", "NPEData", "NPETensor", "NPESupport", "NPETestSupport"]),
        // Every parser of outside bytes (CSV, safetensors, .npy, the LZ4 chunk codec, the catalogue and dataset
        // HDF5 readers) under random and mutated inputs: an error is fine, a trap or crash is a failure.
        .testTarget(
            name: "NPEFuzzTests",
            dependencies: ["NPECSV", "NPERegistry", "NPESafetensors", "NPESupport", "NPEData", "NPEDatasets", "NPEInference", "NPETestSupport",
                           .product(name: "PropertyBased", package: "swift-property-based")]),
    ],
    swiftLanguageModes: [.v5]
)
