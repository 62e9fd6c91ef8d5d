/*
 * io-pgtable: AArch64 long-descriptor translation tables for one domain.
 *
 * Concepts: a paging domain owns one table tree, stage 1 (VA -> PA,
 * ASID-tagged, AP/UXN/PXN/nG permissions, MAIR attribute indexes) or
 * stage 2 (IPA -> PA, VMID-tagged, S2AP/XN, MemAttr), with a 4K, 16K or
 * 64K granule.  Tables live in DMA memory from struct smmu_platform; the
 * driver writes each descriptor with one 64-bit release store so an SMMU
 * walking concurrently sees the old or the new entry, never a mix.  Map
 * uses the largest block the alignment and size allow and refuses to
 * overwrite (-EEXIST, nothing changed); unmap of part of a block is
 * refused as in Linux (0 bytes unmapped).  A table that becomes empty is
 * unhooked, the walk caches are flushed for its span (tlb_flush_walk),
 * and only then is it freed; unmapped leaves are reported through
 * tlb_add_page for the caller's gathered invalidation.  The TCR/VTCR
 * values the CD and STE builders need come from the configuration.  All
 * calls on one table take its mutex; the flush callbacks run under it
 * and must not call back into the table.
 */
#ifndef SMMU_LIB_PGTABLE_H
#define SMMU_LIB_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/domain.h> /* SMMU_PROT_* */
#include <smmu/platform.h>

enum smmu_pgtable_stage { SMMU_PGTABLE_S1 = 1, SMMU_PGTABLE_S2 = 2 };

/* The MAIR slots this driver programs into stage-1 CDs (a policy). */
enum smmu_pgtable_mair_idx {
	SMMU_MAIR_IDX_NC = 0,
	SMMU_MAIR_IDX_CACHE = 1,
	SMMU_MAIR_IDX_DEV = 2,
};

struct smmu_pgtable_flush_ops {
	void (*tlb_flush_all)(void *cookie);
	/* Table entries in [iova, iova + size) changed: non-leaf invalidate. */
	void (*tlb_flush_walk)(void *cookie, uint64_t iova, uint64_t size,
			       uint64_t granule);
	/* A leaf of size granule at iova was removed: gather it. */
	void (*tlb_add_page)(void *cookie, uint64_t iova, uint64_t granule);
};

struct smmu_pgtable_cfg {
	enum smmu_pgtable_stage stage;
	unsigned ias;           /* input address bits, 32..48 */
	unsigned oas;           /* output address bits: 32/36/40/42/44/48 */
	unsigned granule_log2;  /* 12, 14 or 16 */
	bool coherent_walk;     /* SMMU snoops: tables cacheable, inner shareable */
	const struct smmu_platform *plat;   /* dma_alloc / dma_free */
	const struct smmu_pgtable_flush_ops *tlb;
	void *cookie;
};

struct smmu_pgtable;

/* 0, -EINVAL (unsupported geometry, missing ops), or -ENOMEM. */
int smmu_pgtable_create(const struct smmu_pgtable_cfg *cfg,
			struct smmu_pgtable **out);
/* Flush everything (tlb_flush_all), then free every table. */
void smmu_pgtable_destroy(struct smmu_pgtable *pt);

/* Page and block sizes this table can map. */
uint64_t smmu_pgtable_pgsize_bitmap(const struct smmu_pgtable *pt);

/* Stage-1 CD fields (values for SMMU_CD0_* and the MAIR dword). */
struct smmu_pgtable_s1_tcr {
	uint64_t ttbr;
	unsigned t0sz, tg0, irgn0, orgn0, sh0, ips;
	uint64_t mair;
};

/* Stage-2 STE fields (values for SMMU_STE2_S2* and S2TTB). */
struct smmu_pgtable_s2_vtcr {
	uint64_t vttbr;
	unsigned t0sz, sl0, irgn0, orgn0, sh0, tg, ps;
};

/* 0, or -EINVAL for a table of the other stage. */
int smmu_pgtable_s1_tcr(const struct smmu_pgtable *pt,
			struct smmu_pgtable_s1_tcr *tcr);
int smmu_pgtable_s2_vtcr(const struct smmu_pgtable *pt,
			 struct smmu_pgtable_s2_vtcr *vtcr);

/*
 * Map [iova, iova + size) to [pa, pa + size).  0, -EINVAL (misaligned,
 * out of range, no read or write permission), -EEXIST (something is
 * mapped there) or -ENOMEM; on error nothing stays mapped by this call
 * (the part already mapped is unmapped again and reported through
 * tlb_add_page, so the caller syncs its gather as after an unmap).
 */
int smmu_pgtable_map(struct smmu_pgtable *pt, uint64_t iova, uint64_t pa,
		     uint64_t size, unsigned prot);
/* Bytes unmapped from iova on; stops at a hole or a partial block. */
uint64_t smmu_pgtable_unmap(struct smmu_pgtable *pt, uint64_t iova,
			    uint64_t size);
/* 0 with *pa, -ENOENT when unmapped, -EINVAL beyond the input range. */
int smmu_pgtable_iova_to_phys(struct smmu_pgtable *pt, uint64_t iova,
			      uint64_t *pa);

#endif /* SMMU_LIB_PGTABLE_H */
