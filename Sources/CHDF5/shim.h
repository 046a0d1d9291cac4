#ifndef EXONPE_CHDF5_SHIM_H
#define EXONPE_CHDF5_SHIM_H
// HDF5's C API (Debian's serial build, 1.10.x). Many of HDF5's public "constants" are
// macros that Swift cannot import: some expand to a global that is only valid after
// H5open() has run (H5T_NATIVE_FLOAT -> H5T_NATIVE_FLOAT_g), some to casts Swift sees
// with the wrong type (H5P_DEFAULT is an int, the API wants hid_t), and some to
// expressions (H5F_ACC_TRUNC). Each shim below exists for one such macro and calls
// H5open() first where the macro reads a library global.
#include <hdf5.h>

/// H5P_DEFAULT as the hid_t the API expects (it imports as Int32).
static inline hid_t npe_H5P_DEFAULT(void) { return (hid_t)H5P_DEFAULT; }
/// H5S_ALL as hid_t.
static inline hid_t npe_H5S_ALL(void) { return (hid_t)H5S_ALL; }
/// H5F_ACC_TRUNC / RDONLY / RDWR / EXCL: expression macros, not imported.
static inline unsigned npe_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned npe_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned npe_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned npe_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
/// Native type ids: globals that exist only after H5open(), so open first.
static inline hid_t npe_H5T_NATIVE_FLOAT(void) { H5open(); return H5T_NATIVE_FLOAT; }
static inline hid_t npe_H5T_NATIVE_DOUBLE(void) { H5open(); return H5T_NATIVE_DOUBLE; }
static inline hid_t npe_H5T_NATIVE_INT64(void) { H5open(); return H5T_NATIVE_INT64; }
static inline hid_t npe_H5T_NATIVE_INT32(void) { H5open(); return H5T_NATIVE_INT32; }
static inline hid_t npe_H5T_NATIVE_UINT8(void) { H5open(); return H5T_NATIVE_UINT8; }
static inline hid_t npe_H5T_C_S1(void) { H5open(); return H5T_C_S1; }
static inline hid_t npe_H5P_DATASET_CREATE(void) { H5open(); return H5P_DATASET_CREATE; }
static inline hid_t npe_H5P_FILE_ACCESS(void) { H5open(); return H5P_FILE_ACCESS; }
/// H5S_UNLIMITED is ((hsize_t)(-1)), an expression macro.
static inline hsize_t npe_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
#endif
