/*
 * Fixtures shared by the entry tests (see fixtures.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixtures.h"

static int fx_dma_alloc(void *opaque, size_t size, size_t align, void **cpu,
			uint64_t *bus)
{
	struct fx_dma *dma = opaque;
	void *p;

	if (++dma->alloc_calls == dma->fail_alloc)
		return -ENOMEM;
	assert_int_equal(align & (align - 1), 0);
	assert_int_equal(size % align, 0);
	p = aligned_alloc(align, size);
	if (!p)
		return -ENOMEM;
	memset(p, 0, size);
	dma->live_allocs++;
	dma->last_size = size;
	*cpu = p;
	*bus = (uint64_t)(uintptr_t)p;
	return 0;
}

static void fx_dma_free(void *opaque, void *cpu, uint64_t bus, size_t size)
{
	struct fx_dma *dma = opaque;

	assert_int_equal(bus, (uint64_t)(uintptr_t)cpu);
	assert_true(size > 0);
	dma->live_allocs--;
	free(cpu);
}

void fx_dma_attach(struct fx_dma *dma, struct smmu_platform *plat)
{
	memset(dma, 0, sizeof(*dma));
	plat->opaque = dma;
	plat->dma_alloc = fx_dma_alloc;
	plat->dma_free = fx_dma_free;
}

void fx_features(struct smmu_features *feat)
{
	memset(feat, 0, sizeof(*feat));
	feat->trans_s1 = feat->trans_s2 = feat->nesting = true;
	feat->stalls = true;
	feat->attr_types_ovr = true;
	feat->ats = true;
	feat->cd2l = true;
	feat->asid_bits = 16;
	feat->vmid_bits = 16;
	feat->ssid_bits = 20;
	feat->oas_bits = 48;
	/* 4K, 16K and 64K granules with their block sizes. */
	feat->pgsize_bitmap = UINT64_C(0x1000) | UINT64_C(0x200000) |
			      UINT64_C(0x40000000) | UINT64_C(0x4000) |
			      UINT64_C(0x2000000) | UINT64_C(0x10000) |
			      UINT64_C(0x20000000);
}

void fx_cdtab_cfg(struct smmu_ste_cdtab_cfg *cfg, unsigned s1dss,
		  uint64_t bus, unsigned master)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->cdtab_bus = bus;
	cfg->s1fmt = SMMU_S1FMT_1024_L2;
	cfg->s1cdmax = FX_S1CDMAX;
	cfg->s1dss = s1dss;
	cfg->ats = master & FX_ATS;
	cfg->stall = master & FX_STALL;
}

void fx_s2_cfg(struct smmu_ste_s2_cfg *cfg, unsigned master)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vtcr = (struct smmu_s2_vtcr){
		.ps = 1, .tg = 2, .sh = 3, .orgn = 1, .irgn = 2, .sl = 3,
		.tsz = 4,
	};
	cfg->vttbr = FX_TTBR;
	cfg->vmid = 0;          /* the kernel fixture's tag id */
	cfg->ats = master & FX_ATS;
	cfg->stall = master & FX_STALL;
}

void fx_s1_cd_cfg(struct smmu_cd_s1_cfg *cfg, uint16_t asid)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tcr = (struct smmu_s1_tcr){
		.ips = 1, .tg = 2, .sh = 3, .orgn = 1, .irgn = 2, .tsz = 4,
	};
	cfg->ttbr = FX_TTBR;
	cfg->mair = FX_MAIR;
	cfg->asid = asid;
}

void fx_sva_cd_cfg(struct smmu_cd_s1_cfg *cfg, uint16_t asid)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tcr = (struct smmu_s1_tcr){
		.tsz = 64 - 48, .tg = SMMU_TG0_4K, .irgn = SMMU_CACHE_WB,
		.orgn = SMMU_CACHE_WB, .sh = SMMU_SH_ISH, .ips = SMMU_OAS_48,
	};
	cfg->ttbr = FX_TTBR & ~UINT64_C(0xfff);
	cfg->mair = FX_MAIR;
	cfg->asid = asid;
}

void fx_cdtable_ste(struct smmu_ste *ste, unsigned s1dss, uint64_t bus,
		    unsigned master)
{
	struct smmu_features feat;
	struct smmu_ste_cdtab_cfg s1;
	struct smmu_ste_s2_cfg s2;

	fx_features(&feat);
	fx_cdtab_cfg(&s1, s1dss, bus, master);
	if (!(master & FX_NESTED)) {
		assert_int_equal(smmu_ste_make_cdtable(&feat, &s1, ste), 0);
		return;
	}
	fx_s2_cfg(&s2, master);
	assert_int_equal(smmu_ste_make_nested(&feat, &s1, &s2, ste), 0);
}

void fx_s2_ste(struct smmu_ste *ste, unsigned master)
{
	struct smmu_features feat;
	struct smmu_ste_s2_cfg cfg;

	fx_features(&feat);
	fx_s2_cfg(&cfg, master);
	assert_int_equal(smmu_ste_make_s2(&feat, &cfg, ste), 0);
}
