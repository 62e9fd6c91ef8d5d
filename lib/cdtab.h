/*
 * Per-master context descriptor tables.
 *
 * Concepts: a master that uses stage 1 owns one CD table, indexed by
 * SSID (PASID), with 2^s1cdmax entries where s1cdmax = min(the master's
 * PASID bits, IDR1.SSIDSIZE).  Without CD2L, or when 1024 CDs suffice,
 * the table is linear (at most 1024 CDs: larger PASID spaces are capped
 * without CD2L, as the kernel does).  Otherwise it is two-level: an L1
 * table of 8-byte descriptors, each pointing to a leaf of 1024 CDs (64
 * KiB) allocated from DMA memory the first time one of its SSIDs gets a
 * CD, and published with one 64-bit store followed by CFGI_CD leaf=0
 * (the SMMU may have cached the invalid L1 descriptor).  CDs are written
 * with the hitless writer; its sync invalidates the CD through every SID
 * of the master, which the caller provides as struct smmu_cdtab_inv
 * (smmu_cd_inv_sids in entry_sync.c does it with the command queue).
 * Not thread-safe: the master layer serialises changes to one table.
 */
#ifndef SMMU_LIB_CDTAB_H
#define SMMU_LIB_CDTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "cd.h"
#include "dev.h"
#include "ste.h"

/* Invalidate the CD (leaf) or the CD and its L1 descriptor, and wait. */
struct smmu_cdtab_inv {
	int (*inv_cd)(void *ctx, uint32_t ssid, bool leaf);
	void *ctx;
};

struct smmu_cdtab;

/* 0, -EINVAL or -ENOMEM; *out is set only on success. */
int smmu_cdtab_new(struct smmu_dev *dev, unsigned master_ssid_bits,
		   const struct smmu_cdtab_inv *inv, struct smmu_cdtab **out);
void smmu_cdtab_free(struct smmu_cdtab *tab);

/*
 * Set the table's fields of a CD-table STE config (cdtab_bus, s1fmt,
 * s1cdmax); the master's own (s1dss, ats, stall) are left to the caller.
 */
void smmu_cdtab_ste_cfg(const struct smmu_cdtab *tab,
			struct smmu_ste_cdtab_cfg *cfg);

/*
 * Write target as the CD of ssid (allocating its leaf if needed).
 * -EINVAL for an SSID outside the table or a bad target, -ENOMEM when the
 * leaf cannot be allocated (nothing changed), or a sync error.
 */
int smmu_cdtab_write_cd(struct smmu_cdtab *tab, uint32_t ssid,
			const struct smmu_cd *target);
/* Make the CD of ssid invalid; nothing to do if its leaf was never made. */
int smmu_cdtab_clear_cd(struct smmu_cdtab *tab, uint32_t ssid);
/* The live CD of ssid: 0, -EINVAL (outside), -ENOENT (no leaf yet). */
int smmu_cdtab_get_cd(const struct smmu_cdtab *tab, uint32_t ssid,
		      const uint64_t **cd);
/* Valid CDs at non-zero SSIDs (PASIDs in use). */
unsigned smmu_cdtab_used_ssids(const struct smmu_cdtab *tab);

/*
 * struct smmu_cdtab_inv for a master on a live SMMU: a batch of
 * CFGI_CD(sid, ssid, leaf) over all its SIDs and one CMD_SYNC.
 */
struct smmu_cd_inv_sids {
	struct smmu_dev *dev;
	const uint32_t *sids;
	unsigned num_sids;
};
int smmu_cd_inv_sids(void *ctx, uint32_t ssid, bool leaf);

#endif /* SMMU_LIB_CDTAB_H */
