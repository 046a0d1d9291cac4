// swift-tools-version:6.0
// ExoNPE: amortised neural posterior estimation for exoplanet transmission spectra.
//
// Targets are listed bottom-up: system libraries, then the libraries in dependency order,
// then executables and tests. Dependencies only point up this file. See docs/ARCHITECTURE.md.
import PackageDescription

/// Release builds of numeric kernels: no bounds checks inside `withUnsafe...` loops is not
/// something we ask for globally; `-Ounchecked` is never used. Plain `-O` is enough.
let swiftSettings: [SwiftSetting] = []

let package = Package(
    name: "ExoNPE",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "NPETensor", targets: ["NPETensor"]),
        .library(name: "NPENN", targets: ["NPENN"]),
        .library(name: "NPEFlows", targets: ["NPEFlows"]),
        .library(name: "NPEData", targets: ["NPEData"]),
        .library(name: "NPESimulators", targets: ["NPESimulators"]),
        .library(name: "NPEChecksum", targets: ["NPEChecksum"]),
        .library(name: "NPERegistry", targets: ["NPERegistry"]),
        .library(name: "NPEParallel", targets: ["NPEParallel"]),
        .library(name: "NPEParallelMPI", targets: ["NPEParallelMPI"]),
        .library(name: "NPEDatasets", targets: ["NPEDatasets"]),
        .library(name: "NPEModels", targets: ["NPEModels"]),
        .library(name: "NPEGAN", targets: ["NPEGAN"]),
        .executable(name: "npe-registry", targets: ["npe-registry"]),
        .executable(name: "npe-build-dataset", targets: ["npe-build-dataset"]),
        .executable(name: "npe-infer", targets: ["npe-infer"]),
        .executable(name: "npe-train", targets: ["npe-train"]),
        .executable(name: "npe-validate", targets: ["npe-validate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
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

        // MARK: - Libraries
        .target(name: "NPETensor", dependencies: ["CBLAS", "CMalloc"], swiftSettings: swiftSettings),
        .target(name: "NPENN", dependencies: ["NPETensor"], swiftSettings: swiftSettings),
        .target(name: "NPEFlows", dependencies: ["NPENN"], swiftSettings: swiftSettings),
        .target(name: "NPEData", dependencies: ["CHDF5", "CLZ4", "NPEChecksum"], swiftSettings: swiftSettings),
        .target(
            name: "NPESimulators",
            dependencies: ["NPECSV", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings),
        .target(name: "NPEChecksum", swiftSettings: swiftSettings),
        .target(name: "NPECSV", swiftSettings: swiftSettings),
        .target(name: "NPERegistry", dependencies: ["NPEChecksum"], swiftSettings: swiftSettings),
        .target(name: "NPEParallel", swiftSettings: swiftSettings),
        // Shared by the executables: the stderr progress bar and SIGINT/SIGTERM as a polled stop flag.
        .target(name: "NPECommandLine", swiftSettings: swiftSettings),
        // A trained estimator <-> its registry entry (kind npe-flow), and the declared training noise: shared by
        // the trainer, npe-infer and npe-validate so they cannot disagree about the card.
        .target(name: "NPEModels", dependencies: ["NPEFlows", "NPESimulators", "NPERegistry", "NPEData"], swiftSettings: swiftSettings),
        .target(
            name: "NPEInference", dependencies: ["NPENN", "NPETensor", "NPEData", "NPECSV", "NPEChecksum", "NPEFlows", "NPESimulators", "NPERegistry", "NPEModels"],
            swiftSettings: swiftSettings),
        .target(name: "NPETraining", dependencies: ["NPEData", "NPENN", "NPEFlows", "NPEParallel", "NPERegistry", "NPEModels", "NPESimulators", .product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        // The ExoGAN baseline (ASPA images, DCGAN, inpainting retrieval); nothing below depends on it.
        .target(name: "NPEGAN", dependencies: ["NPENN", "NPETensor", "NPEParallel", "NPERegistry", "NPETraining", "NPEData", "NPEModels", "NPESimulators", "NPEInference"], swiftSettings: swiftSettings),
        // The only importer of CMPI, so everything else builds and tests without MPI.
        .target(name: "NPEParallelMPI", dependencies: ["NPEParallel", "CMPI"], swiftSettings: swiftSettings),
        .target(
            name: "NPEDatasets", dependencies: ["NPEData", "NPESimulators", "NPETensor", "NPEParallel", "NPEChecksum", "NPECSV"],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),

        // MARK: - Executables (thin: parse arguments, call the libraries)
        .executableTarget(
            name: "npe-registry",
            dependencies: ["NPERegistry", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "npe-build-dataset",
            dependencies: ["NPEDatasets", "NPEParallel", "NPEParallelMPI", "NPECommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "npe-train",
            dependencies: ["NPETraining", "NPEGAN", "NPEParallel", "NPEParallelMPI", "NPECommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "npe-infer",
            dependencies: ["NPEInference", "NPEGAN", "NPEModels", "NPERegistry", "NPEDatasets", "NPESimulators", "NPEChecksum", "NPECommandLine",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "npe-validate",
            dependencies: ["NPEInference", "NPEModels", "NPERegistry", "NPEDatasets", "NPEData", "NPESimulators",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "npe-bench", dependencies: ["NPETensor", "NPENN", "NPEDatasets", "NPEFlows", "NPETraining", "NPEParallel", "NPEGAN", "NPEInference", "NPEModels", "NPESimulators"], path: "Benchmarks/npe-bench"),

        // MARK: - Tests
        // Shared test helpers (gradient checks); only test targets depend on it.
        .target(name: "NPETestSupport", dependencies: ["NPETensor"]),
        .testTarget(name: "NPETensorTests", dependencies: ["NPETensor", "NPETestSupport"]),
        .testTarget(name: "NPENNTests", dependencies: ["NPENN", "NPETestSupport"]),
        .testTarget(name: "NPEFlowsTests", dependencies: ["NPEFlows", "NPESimulators", "NPETestSupport"]),
        .testTarget(name: "NPEDataTests", dependencies: ["NPEData", "NPETestSupport"]),
        .testTarget(name: "NPESimulatorsTests", dependencies: ["NPESimulators", "NPECSV", "NPETestSupport"]),
        .testTarget(name: "NPECSVTests", dependencies: ["NPECSV"]),
        .testTarget(
            name: "NPEInferenceTests",
            dependencies: ["NPEInference", "NPESimulators", "NPEData", "NPECSV", "NPETensor", "NPEFlows", "NPEModels", "NPERegistry",
                           "NPETraining", "npe-infer", "npe-validate", "NPETestSupport"]),
        .testTarget(name: "NPETrainingTests", dependencies: ["NPETraining", "NPEParallel", "NPEFlows", "NPESimulators", "NPEModels", "NPETestSupport"]),
        .testTarget(name: "NPEModelsTests", dependencies: ["NPEModels", "NPETestSupport"]),
        .testTarget(name: "NPEGANTests", dependencies: ["NPEGAN", "NPEData", "NPETraining", "NPEParallel", "NPERegistry", "NPEModels", "NPEInference", "NPETestSupport"]),
        .testTarget(name: "NPEChecksumTests", dependencies: ["NPEChecksum"]),
        .testTarget(name: "NPERegistryTests", dependencies: ["NPERegistry", "NPETestSupport"]),
        .testTarget(name: "NPEParallelTests", dependencies: ["NPEParallel"]),
        .testTarget(name: "NPEParallelMPITests", dependencies: ["NPEParallelMPI", "NPEParallel"]),
        .testTarget(name: "NPEDatasetsTests", dependencies: ["NPEDatasets", "npe-build-dataset", "NPEInference", "NPETestSupport"]),
        .testTarget(
            name: "NPETrainCommandTests",
            dependencies: ["npe-train", "npe-build-dataset", "npe-infer", "NPETraining", "NPEGAN", "NPEModels", "NPERegistry", "NPEData", "NPETensor", "NPETestSupport"]),
        // Every parser of outside bytes (CSV, safetensors, .npy, the LZ4 chunk codec, the catalogue and dataset
        // HDF5 readers) under random and mutated inputs: an error is fine, a trap or crash is a failure.
        .testTarget(
            name: "NPEFuzzTests",
            dependencies: ["NPECSV", "NPERegistry", "NPEData", "NPEDatasets", "NPEInference", "NPETestSupport",
                           .product(name: "PropertyBased", package: "swift-property-based")]),
    ],
    swiftLanguageModes: [.v5]
)
