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
static inline hid_t npe_H5T_NATIVE_UINT32(void) { H5open(); return H5T_NATIVE_UINT32; }
static inline hid_t npe_H5T_C_S1(void) { H5open(); return H5T_C_S1; }
static inline hid_t npe_H5P_DATASET_CREATE(void) { H5open(); return H5P_DATASET_CREATE; }
static inline hid_t npe_H5P_FILE_ACCESS(void) { H5open(); return H5P_FILE_ACCESS; }
/// H5S_UNLIMITED is ((hsize_t)(-1)), an expression macro.
static inline hsize_t npe_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
/// H5E_DEFAULT (the calling thread's default error stack) as hid_t; the macro is a bare 0.
static inline hid_t npe_H5E_DEFAULT(void) { return (hid_t)H5E_DEFAULT; }
/// H5T_VARIABLE is ((size_t)(-1)), an expression macro: the size of a variable-length string type.
static inline size_t npe_H5T_VARIABLE(void) { return H5T_VARIABLE; }
/// Little-endian file types, so files are the same bytes on every host: globals behind H5OPEN.
static inline hid_t npe_H5T_IEEE_F32LE(void) { H5open(); return H5T_IEEE_F32LE; }
static inline hid_t npe_H5T_IEEE_F64LE(void) { H5open(); return H5T_IEEE_F64LE; }
static inline hid_t npe_H5T_STD_I64LE(void) { H5open(); return H5T_STD_I64LE; }
static inline hid_t npe_H5T_STD_U8LE(void) { H5open(); return H5T_STD_U8LE; }
static inline hid_t npe_H5T_STD_U32LE(void) { H5open(); return H5T_STD_U32LE; }
static inline hid_t npe_H5T_STD_U64LE(void) { H5open(); return H5T_STD_U64LE; }
static inline hid_t npe_H5T_NATIVE_UINT64(void) { H5open(); return H5T_NATIVE_UINT64; }
/// Property-list classes are globals behind H5OPEN.
static inline hid_t npe_H5P_FILE_CREATE(void) { H5open(); return H5P_FILE_CREATE; }
static inline hid_t npe_H5P_LINK_CREATE(void) { H5open(); return H5P_LINK_CREATE; }
/// H5Z_FLAG_REVERSE (0x0100) and H5Z_FLAG_OPTIONAL: int macros that import as Int32, the filter API wants unsigned.
static inline unsigned npe_H5Z_FLAG_REVERSE(void) { return H5Z_FLAG_REVERSE; }
static inline unsigned npe_H5Z_FLAG_OPTIONAL(void) { return H5Z_FLAG_OPTIONAL; }
static inline unsigned npe_H5Z_FLAG_MANDATORY(void) { return H5Z_FLAG_MANDATORY; }
/// H5Z_CLASS_T_VERS: the H5Z_class2_t layout version H5Zregister checks, a parenthesised macro.
static inline int npe_H5Z_CLASS_T_VERS(void) { return H5Z_CLASS_T_VERS; }
/// H5F_OBJ_ALL | H5F_OBJ_LOCAL: open-object counting flags (int macros; the API wants unsigned).
static inline unsigned npe_H5F_OBJ_ALL(void) { return H5F_OBJ_ALL; }
#endif
