import NPEParallelMPI
import Testing

/// Launch detection from the environment, without starting MPI.
struct MPIEnvironmentTests {
    @Test(arguments: [
        (["OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_RANK": "1"], true, 4),  // Open MPI mpirun
        (["PMI_SIZE": "8", "PMI_RANK": "0"], true, 8),  // MPICH Hydra, Intel MPI
        (["PMIX_RANK": "0"], true, nil),  // PMIx launcher that does not state the size
        (["PMIX_RANK": "0", "OMPI_MCA_ess": "singleton"], false, nil),  // left behind by Open MPI singleton init
        (["HOME": "/root", "SLURM_PROCID": "0"], false, nil),  // plain srun without MPI
        ([:], false, nil),
    ] as [([String: String], Bool, Int?)])
    func detectsTheLauncher(environment: [String: String], launched: Bool, size: Int?) {
        #expect(MPIEnvironment.isLaunchedByMPI(environment: environment) == launched)
        #expect(MPIEnvironment.launchedWorldSize(environment: environment) == size)
    }
}
