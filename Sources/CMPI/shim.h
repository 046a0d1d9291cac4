#ifndef EXONPE_CMPI_SHIM_H
#define EXONPE_CMPI_SHIM_H
// Open MPI's C API (Debian's Open MPI 4.1, pkg-config `ompi-c`). MPI's handles and constants are macros:
// MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM and friends expand to the address of a library global cast to a handle
// type (`((MPI_Comm)&ompi_mpi_comm_world)`), MPI_IN_PLACE to a pointer cast of an integer, MPI_ERRORS_RETURN to
// another global's address. Swift imports none of these. Each shim below returns one of them with its real type,
// so the Swift wrapper (NPEParallelMPI's MPIRuntime, the only importer of this module) never spells a macro.
// The integer constants (MPI_SUCCESS, MPI_THREAD_*) are shimmed too: they are enums in Open MPI but plain
// #defines in MPICH, and going through a function keeps the Swift side portable between the two.
#include <mpi.h>

/// MPI_COMM_WORLD: the communicator of every process the job started.
static inline MPI_Comm npe_MPI_COMM_WORLD(void) { return MPI_COMM_WORLD; }

/// Element types of the buffers we move: 32-bit floats (gradients), doubles (metrics), raw bytes (broadcast),
/// and 64-bit integers (the element counts ranks compare before a collective).
static inline MPI_Datatype npe_MPI_FLOAT(void) { return MPI_FLOAT; }
static inline MPI_Datatype npe_MPI_DOUBLE(void) { return MPI_DOUBLE; }
static inline MPI_Datatype npe_MPI_BYTE(void) { return MPI_BYTE; }
static inline MPI_Datatype npe_MPI_INT64_T(void) { return MPI_INT64_T; }

/// MPI_SUM. Not used by our reductions (MPI does not promise a summation order, so they sum in rank order
/// themselves); exported so a caller that wants MPI's own reduction need not add a shim.
static inline MPI_Op npe_MPI_SUM(void) { return MPI_SUM; }

/// MPI_IN_PLACE: the send-buffer sentinel `(void *) 1`, for collectives whose output overwrites the input.
static inline void *npe_MPI_IN_PLACE(void) { return MPI_IN_PLACE; }

/// MPI_ERRORS_RETURN: makes failed calls return an error code instead of aborting the job, so the wrapper can
/// turn them into typed Swift errors.
static inline MPI_Errhandler npe_MPI_ERRORS_RETURN(void) { return MPI_ERRORS_RETURN; }

/// MPI_SUCCESS and the length of the buffer MPI_Error_string fills.
static inline int npe_MPI_SUCCESS(void) { return MPI_SUCCESS; }
static inline int npe_MPI_MAX_ERROR_STRING(void) { return MPI_MAX_ERROR_STRING; }

/// Thread-support levels for MPI_Init_thread, weakest first.
static inline int npe_MPI_THREAD_SINGLE(void) { return MPI_THREAD_SINGLE; }
static inline int npe_MPI_THREAD_FUNNELED(void) { return MPI_THREAD_FUNNELED; }
static inline int npe_MPI_THREAD_SERIALIZED(void) { return MPI_THREAD_SERIALIZED; }
static inline int npe_MPI_THREAD_MULTIPLE(void) { return MPI_THREAD_MULTIPLE; }
#endif
