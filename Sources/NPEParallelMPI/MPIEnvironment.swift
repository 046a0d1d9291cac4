import Foundation

/// What the process environment says about an MPI launch, read without initialising MPI.
///
/// Executables use it to pick a communicator: under `mpirun` (or `srun --mpi=pmix`) they create an
/// ``MPICommunicator``, otherwise a local or threads one, so the same command line works on a laptop and a cluster.
public enum MPIEnvironment {
    /// The variables a launcher sets in each rank's environment, strongest evidence first:
    /// - `OMPI_COMM_WORLD_SIZE`: Open MPI's `mpirun`/`orterun`;
    /// - `PMI_SIZE`: MPICH's Hydra, Intel MPI and Slurm's PMI-2;
    /// - `PMIX_RANK`: any PMIx launcher (Open MPI 5's `prterun`, Slurm with PMIx).
    static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"]

    /// True when this process was started by an MPI launcher.
    ///
    /// Warning: Open MPI's singleton initialisation (``MPICommunicator`` created without `mpirun`) writes `PMIX_RANK`
    /// and `OMPI_MCA_ess=singleton` into the environment of its own process, which child processes inherit; that
    /// marker is recognised and not taken for a launch. Ask before creating a communicator.
    public static var isLaunchedByMPI: Bool {
        isLaunchedByMPI(environment: ProcessInfo.processInfo.environment)
    }

    /// The number of ranks the launcher started, when it says so (`OMPI_COMM_WORLD_SIZE` or `PMI_SIZE`).
    public static var launchedWorldSize: Int? {
        launchedWorldSize(environment: ProcessInfo.processInfo.environment)
    }

    /// ``isLaunchedByMPI`` for a given environment (testable without launching).
    public static func isLaunchedByMPI(environment: [String: String]) -> Bool {
        if environment["OMPI_MCA_ess"] == "singleton" { return false }
        return launcherVariables.contains { environment[$0] != nil }
    }

    /// ``launchedWorldSize`` for a given environment.
    public static func launchedWorldSize(environment: [String: String]) -> Int? {
        guard isLaunchedByMPI(environment: environment) else { return nil }
        for name in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
            if let text = environment[name], let size = Int(text), size >= 1 { return size }
        }
        return nil
    }
}
