/*
 * Stream table entry (STE) builders, their used bits, and the STE write.
 *
 * Concepts: an STE says what the SMMU does with one stream: abort, bypass,
 * stage 1 through a CD table, stage 2 through a page table, or both
 * (nested).  Builders are pure: they take the SMMU's features and an
 * explicit configuration (the CD table's address and format, the VTCR
 * fields the io-pgtable fills, the VMID) and fill a target, or return
 * -EINVAL with the target untouched when the features or the fields
 * cannot express the request.  smmu_ste_get_used and
 * smmu_ste_get_update_safe are the ops the hitless writer (entry.h) needs;
 * smmu_ste_install (entry_sync.c) runs it against a live SMMU.
 */
#ifndef SMMU_LIB_STE_H
#define SMMU_LIB_STE_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/arch.h>

#include "dev.h"

struct smmu_ste {
	uint64_t dw[SMMU_STE_DWORDS];
};

/* The stage-1 part: where the master's CD table is and how to use it. */
struct smmu_ste_cdtab_cfg {
	uint64_t cdtab_bus;     /* 64-byte aligned, below 2^56 */
	unsigned s1fmt;         /* enum smmu_s1fmt */
	unsigned s1cdmax;       /* log2 of the number of CDs */
	unsigned s1dss;         /* enum smmu_s1dss: traffic without a PASID */
	bool ats;               /* EATS=TRANS: the master uses ATS */
	bool stall;             /* the master stalls on faults */
};

/* VTCR fields as the io-pgtable computes them (STE encodings). */
struct smmu_s2_vtcr {
	unsigned tsz, sl, irgn, orgn, sh;
	unsigned tg;            /* enum smmu_s2tg */
	unsigned ps;            /* enum smmu_oas_enc */
};

struct smmu_ste_s2_cfg {
	struct smmu_s2_vtcr vtcr;
	uint64_t vttbr;         /* 16-byte aligned, below 2^56 */
	uint16_t vmid;
	bool fwb;               /* the page table is built for S2FWB */
	bool ats;
	bool stall;
};

int smmu_ste_make_abort(struct smmu_ste *ste);
int smmu_ste_make_bypass(const struct smmu_features *feat,
			 struct smmu_ste *ste);
int smmu_ste_make_cdtable(const struct smmu_features *feat,
			  const struct smmu_ste_cdtab_cfg *cfg,
			  struct smmu_ste *ste);
int smmu_ste_make_s2(const struct smmu_features *feat,
		     const struct smmu_ste_s2_cfg *cfg, struct smmu_ste *ste);
/*
 * Nested: the stage-2 STE with the CD-table fields of s1 (those a guest
 * may choose), CONFIG nested and MEV (merge a guest's event floods).
 */
int smmu_ste_make_nested(const struct smmu_features *feat,
			 const struct smmu_ste_cdtab_cfg *s1,
			 const struct smmu_ste_s2_cfg *s2, struct smmu_ste *ste);

/* ops->get_used and ops->get_update_safe for STEs. */
void smmu_ste_get_used(const uint64_t *ste, uint64_t *used);
void smmu_ste_get_update_safe(const uint64_t *cur, const uint64_t *target,
			      uint64_t *safe);

/*
 * Write target into live, the STE of sid in a table the SMMU already uses
 * (smmu_strtab_ste), hitlessly: CFGI_STE(sid, leaf) + CMD_SYNC after each
 * step that changed it, then PREFETCH_CONFIG(sid).  Initial tables are
 * filled directly instead.  0 or -errno (-EINVAL for a NULL live slot).
 */
int smmu_ste_install(struct smmu_dev *dev, uint32_t sid, uint64_t *live,
		     const struct smmu_ste *target);
/*
 * smmu_ste_install on every SID of a master (a SID listed twice is
 * written once).  -EINVAL, before any write, if a SID has no STE slot
 * (see smmu_strtab_ensure); otherwise every SID is written and the first
 * error is returned.
 */
int smmu_ste_install_sids(struct smmu_dev *dev, const uint32_t *sids,
			  unsigned num_sids, const struct smmu_ste *target);

#endif /* SMMU_LIB_STE_H */
