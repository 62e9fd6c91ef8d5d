/*
 * Shared fixtures of the entry tests: the kernel KUnit test's SMMU and
 * entries, built with our builders.
 *
 * Concepts: the kernel's arm-smmu-v3-test.c builds its STEs and CDs on an
 * SMMU with STALLS and ATTR_TYPES_OVR, a CD table at 0xF0F0F0F0F0F0 with
 * 64 KiB leaves, and a stage-2 and stage-1 page table whose TTBR is
 * 0xdaedbeefdeadbeef.  Our builders refuse addresses their field cannot
 * hold rather than mask them as the kernel does, so the fixtures use the
 * kernel's values already masked to the field (same bits in the entry).
 */
#ifndef SMMU_TESTS_ENTRIES_FIXTURES_H
#define SMMU_TESTS_ENTRIES_FIXTURES_H

#include "cd.h"
#include "ste.h"

#define FX_CDTAB_BUS   UINT64_C(0xF0F0F0F0F0C0)
#define FX_CDTAB2_BUS  UINT64_C(0x4B4B4B4B40)
#define FX_TTBR        UINT64_C(0x00EDBEEFDEADBEE0)
#define FX_MAIR        UINT64_C(0xabcdef012345678)
#define FX_S1CDMAX     8u

enum fx_master {
	FX_ATS = 1 << 0,
	FX_STALL = 1 << 1,
	FX_NESTED = 1 << 2,
};

/* STALLS, ATTR_TYPES_OVR, both stages, nesting, ATS, CD2L, 16-bit tags. */
void fx_features(struct smmu_features *feat);

void fx_cdtab_cfg(struct smmu_ste_cdtab_cfg *cfg, unsigned s1dss,
		  uint64_t bus, unsigned master);
void fx_s2_cfg(struct smmu_ste_s2_cfg *cfg, unsigned master);
void fx_s1_cd_cfg(struct smmu_cd_s1_cfg *cfg, uint16_t asid);
/* A CPU-like SVA address space: 48-bit VA, 4K, WBWA, inner shareable. */
void fx_sva_cd_cfg(struct smmu_cd_s1_cfg *cfg, uint16_t asid);

/*
 * A malloc-backed DMA platform (bus address = CPU address) that counts
 * live buffers and can fail the n-th allocation.
 */
struct fx_dma {
	unsigned live_allocs, alloc_calls;
	unsigned fail_alloc;    /* fail this call (1-based); 0: never */
	size_t last_size;
};
void fx_dma_attach(struct fx_dma *dma, struct smmu_platform *plat);

/* Builders on the fixture SMMU; they assert success. */
void fx_cdtable_ste(struct smmu_ste *ste, unsigned s1dss, uint64_t bus,
		    unsigned master);
void fx_s2_ste(struct smmu_ste *ste, unsigned master);

#endif /* SMMU_TESTS_ENTRIES_FIXTURES_H */
