/*
 * struct smmu_platform: the one place the driver and an SMMU meet.
 *
 * Concepts: the driver reaches an SMMU only through four MMIO accessors
 * (offsets are the architecture's, page 1 at 0x10000) and a DMA allocator
 * that returns a CPU pointer and a bus address for the same buffer.  The
 * model provides one (smmu_model_platform_init in <smmu/model.h>); any
 * other SMMUv3 that offers these can sit under the driver, and tests wrap
 * one to record accesses or inject failures.
 */
#ifndef SMMU_PLATFORM_H
#define SMMU_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmu_platform {
	void *opaque;
	uint32_t (*read32)(void *opaque, uint64_t offset);
	uint64_t (*read64)(void *opaque, uint64_t offset);
	void (*write32)(void *opaque, uint64_t offset, uint32_t val);
	void (*write64)(void *opaque, uint64_t offset, uint64_t val);
	/* 0, or -ENOMEM; the buffer is zeroed and naturally usable for DMA. */
	int (*dma_alloc)(void *opaque, size_t size, size_t align, void **cpu,
			 uint64_t *bus);
	void (*dma_free)(void *opaque, void *cpu, uint64_t bus, size_t size);
	/*
	 * Optional: block until the SMMU signals an event (SEV), or a short
	 * while.  NULL means the driver spins.
	 */
	void (*wait_event)(void *opaque);
	/* Poll timeout for CR0ACK, GBPA, CMD_SYNC; 0 means 1 second. */
	uint64_t poll_timeout_us;
};

#ifdef __cplusplus
}
#endif

#endif /* SMMU_PLATFORM_H */
