#ifndef EXONPE_CLZ4_SHIM_H
#define EXONPE_CLZ4_SHIM_H
// liblz4's block API (LZ4_compress_default, LZ4_decompress_safe, LZ4_compressBound).
// It imports cleanly; the shim exists so every C library enters through one header.
#include <lz4.h>
#endif
