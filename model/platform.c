/*
 * struct smmu_platform over this model: how a driver reaches it.
 *
 * Concepts: the four MMIO accessors forward to smmu_model_mmio_*; DMA
 * buffers come from the struct smmu_dma given at init (it must be over the
 * model's memory, so the model sees what the driver writes); wait_event
 * sleeps on the model's SEV event register, which CMD_SYNC with CS =
 * SIG_SEV sets, or returns after a short while, like WFE.
 */
#include <smmu/model.h>

#include "model_internal.h"

#define WAIT_EVENT_TIMEOUT_US 1000u

static uint32_t plat_read32(void *opaque, uint64_t offset)
{
	return smmu_model_mmio_read32(opaque, offset);
}

static uint64_t plat_read64(void *opaque, uint64_t offset)
{
	return smmu_model_mmio_read64(opaque, offset);
}

static void plat_write32(void *opaque, uint64_t offset, uint32_t val)
{
	smmu_model_mmio_write32(opaque, offset, val);
}

static void plat_write64(void *opaque, uint64_t offset, uint64_t val)
{
	smmu_model_mmio_write64(opaque, offset, val);
}

static int plat_dma_alloc(void *opaque, size_t size, size_t align, void **cpu,
			  uint64_t *bus)
{
	struct smmu_model *m = opaque;

	return smmu_dma_alloc(m->plat_dma, size, align, cpu, bus);
}

static void plat_dma_free(void *opaque, void *cpu, uint64_t bus, size_t size)
{
	struct smmu_model *m = opaque;

	smmu_dma_free(m->plat_dma, bus);
}

static void plat_wait_event(void *opaque)
{
	smmu_model_wait_sev(opaque, WAIT_EVENT_TIMEOUT_US);
}

void smmu_model_platform_init(struct smmu_platform *plat, struct smmu_model *m,
			      struct smmu_dma *dma)
{
	if (!plat || !m)
		return;
	m->plat_dma = dma;
	*plat = (struct smmu_platform){
		.opaque = m,
		.read32 = plat_read32,
		.read64 = plat_read64,
		.write32 = plat_write32,
		.write64 = plat_write64,
		.dma_alloc = plat_dma_alloc,
		.dma_free = plat_dma_free,
		.wait_event = plat_wait_event,
		.poll_timeout_us = SMMU_MODEL_POLL_TIMEOUT_US,
	};
}
