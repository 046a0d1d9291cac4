#ifndef EXONPE_CBLAS_SHIM_H
#define EXONPE_CBLAS_SHIM_H
// OpenBLAS's CBLAS interface. Debian installs it under an alternatives path
// (openblas-pthread), which pkg-config supplies as an include directory.
#include <cblas.h>

// `openblas_set_num_threads` and `openblas_get_num_threads` are OpenBLAS extensions
// declared in its cblas.h; re-exported here so the engine can keep BLAS at one thread
// per worker when data-parallel workers run side by side.
#endif
