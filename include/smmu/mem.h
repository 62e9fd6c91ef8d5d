/*
 * Simulated physical memory and the DMA allocator over it.
 *
 * Concepts: struct smmu_mem is a sparse 52-bit physical address space.
 * Pages are allocated lazily on first write; reads of never-written memory
 * return zero; an access that reaches past 2^52 or wraps fails with
 * -EFAULT.  It is thread-safe: the driver (CPU side) and the model (device
 * side) may access it concurrently from different threads.  Table entries
 * and commands are exchanged as single-copy-atomic little-endian 64-bit
 * words through smmu_mem_read64/smmu_mem_write64 (aligned only).
 *
 * An emulator can instead wrap its own guest memory with
 * smmu_mem_new_ops(): every access is forwarded to its callbacks.
 *
 * struct smmu_dma hands out DMA buffers from a window of the physical
 * space: each buffer is host-contiguous (a CPU pointer the driver writes
 * through) and visible at its bus address to every smmu_mem access.
 */
#ifndef SMMU_MEM_H
#define SMMU_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <smmu/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMMU_PA_BITS 52u
#define SMMU_PA_LIMIT (UINT64_C(1) << SMMU_PA_BITS)
#define SMMU_MEM_PAGE_SHIFT 12u
#define SMMU_MEM_PAGE_SIZE (UINT64_C(1) << SMMU_MEM_PAGE_SHIFT)

struct smmu_mem;

/*
 * Callbacks for memory owned by someone else; return 0 or -errno.  A
 * CMD_SYNC waits for the model's table walks in flight, so a read made by
 * a walk must not wait for the thread executing commands (the one writing
 * CMDQ_PROD, unless the model is threaded).
 */
struct smmu_mem_ops {
	int (*read)(void *opaque, uint64_t pa, void *buf, size_t len);
	int (*write)(void *opaque, uint64_t pa, const void *buf, size_t len);
};

SMMU_EXPORT struct smmu_mem *smmu_mem_new(void);
SMMU_EXPORT struct smmu_mem *smmu_mem_new_ops(const struct smmu_mem_ops *ops,
					      void *opaque);
SMMU_EXPORT void smmu_mem_free(struct smmu_mem *mem);

SMMU_EXPORT int smmu_mem_read(struct smmu_mem *mem, uint64_t pa, void *buf,
			      size_t len);
SMMU_EXPORT int smmu_mem_write(struct smmu_mem *mem, uint64_t pa,
			       const void *buf, size_t len);

/* Single-copy-atomic accesses; pa must be naturally aligned (-EINVAL). */
SMMU_EXPORT int smmu_mem_read64(struct smmu_mem *mem, uint64_t pa,
				uint64_t *val);
SMMU_EXPORT int smmu_mem_write64(struct smmu_mem *mem, uint64_t pa,
				 uint64_t val);
SMMU_EXPORT int smmu_mem_read32(struct smmu_mem *mem, uint64_t pa,
				uint32_t *val);
SMMU_EXPORT int smmu_mem_write32(struct smmu_mem *mem, uint64_t pa,
				 uint32_t val);

/*
 * Host pointer to [pa, pa + len) when that range is host-contiguous DMA
 * memory (it lies inside one DMA buffer); NULL otherwise, and always for
 * lazily allocated pages and callback-backed memory.
 */
SMMU_EXPORT void *smmu_mem_host_ptr(struct smmu_mem *mem, uint64_t pa,
				    size_t len);

struct smmu_dma;

/* Allocator over [base, base + size) of mem; NULL with errno on error. */
SMMU_EXPORT struct smmu_dma *smmu_dma_new(struct smmu_mem *mem, uint64_t base,
					  uint64_t size);
SMMU_EXPORT void smmu_dma_free_all(struct smmu_dma *dma);
/*
 * A zeroed buffer of size bytes at a bus address aligned to align (0 or
 * any power of two; at least page-aligned).  Returns 0, -EINVAL (size 0,
 * align not a power of two, NULL argument) or -ENOMEM (no room in the
 * window).
 */
SMMU_EXPORT int smmu_dma_alloc(struct smmu_dma *dma, size_t size, size_t align,
			       void **cpu, uint64_t *bus);
/*
 * Returns 0 or -EINVAL when bus is not the start of a live buffer.  The
 * buffer's host memory is freed at once and its bus range reads as zero
 * again: as with real DMA, stop every device (and model thread) that may
 * still access the buffer before freeing it.
 */
SMMU_EXPORT int smmu_dma_free(struct smmu_dma *dma, uint64_t bus);

#ifdef __cplusplus
}
#endif

#endif /* SMMU_MEM_H */
