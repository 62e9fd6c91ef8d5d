/*
 * Memory functions the model library uses internally but does not export.
 *
 * Concepts: a DMA buffer is host memory mapped into the simulated physical
 * space page by page; smmu_mem_map_host() installs the mapping (replacing
 * any lazily allocated pages there, whose contents are dropped) and
 * smmu_mem_unmap_host() removes it, after which the range reads as zero.
 */
#ifndef SMMU_MODEL_MEM_INTERNAL_H
#define SMMU_MODEL_MEM_INTERNAL_H

#include <stdbool.h>
#include <smmu/mem.h>

/* pa, host and len page-aligned; 0, -EINVAL, -EFAULT or -ENOMEM. */
int smmu_mem_map_host(struct smmu_mem *mem, uint64_t pa, void *host, size_t len);
void smmu_mem_unmap_host(struct smmu_mem *mem, uint64_t pa, size_t len);
/* True for a memory built over someone else's callbacks. */
bool smmu_mem_is_callback(const struct smmu_mem *mem);

#endif /* SMMU_MODEL_MEM_INTERNAL_H */
