#ifndef EXONPE_CMALLOC_SHIM_H
#define EXONPE_CMALLOC_SHIM_H
// glibc's malloc tuning (mallopt), which Swift's Glibc module does not export. The engine raises the mmap and
// trim thresholds so freed tensor buffers are reused instead of being unmapped and page-faulted in again on the
// next training step (see NPETensor's Engine.configure).
#include <malloc.h>

/// mallopt(M_MMAP_THRESHOLD, bytes) and mallopt(M_TRIM_THRESHOLD, bytes); returns 1 on success for both.
static inline int npe_keep_freed_buffers(int mmap_threshold_bytes, int trim_threshold_bytes) {
#ifdef M_MMAP_THRESHOLD
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold_bytes) && mallopt(M_TRIM_THRESHOLD, trim_threshold_bytes);
#else
    return 0;
#endif
}
#endif
