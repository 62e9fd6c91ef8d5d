/*
 * Context descriptor (CD) builders and their used bits.
 *
 * Concepts: a CD describes one stage-1 address space (one PASID of a
 * master): the TCR-like fields, TTB0 and MAIR come from the io-pgtable
 * (struct smmu_cd_s1_cfg), the rest is the driver's policy as in the
 * kernel (EPD1, AA64, R, A, ASET, the ASID, S for a stalling master, HA/HD
 * for dirty tracking).  The released-SVA form keeps the ASID but sets EPD0
 * so every access faults; because get_cd_used treats the TTB0 walk fields
 * as unused under EPD0, the writer switches between the two hitlessly.
 * Builders are pure: explicit inputs, a target to fill, -EINVAL (target
 * untouched) for anything the features or the fields cannot express.
 */
#ifndef SMMU_LIB_CD_H
#define SMMU_LIB_CD_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/arch.h>

#include "dev.h"

struct smmu_cd {
	uint64_t dw[SMMU_CD_DWORDS];
};

/* TCR fields of the TTB0 walk, in CD encodings (tg: enum smmu_cd_tg0). */
struct smmu_s1_tcr {
	unsigned tsz, tg, irgn, orgn, sh;
	unsigned ips;           /* enum smmu_oas_enc */
};

struct smmu_cd_s1_cfg {
	struct smmu_s1_tcr tcr;
	uint64_t ttbr;          /* TTB0: 16-byte aligned, below 2^56 */
	uint64_t mair;
	uint16_t asid;
	bool stall;             /* the master stalls on faults */
	bool dirty;             /* hardware access/dirty flag updates */
};

int smmu_cd_make_s1(const struct smmu_features *feat,
		    const struct smmu_cd_s1_cfg *cfg, struct smmu_cd *cd);
/*
 * The SVA CD after its mm is gone: same ASID, EPD0 set, walk fields and
 * TTB0 cleared; without STALL_FORCE also S and R cleared so a device that
 * keeps going gets aborts at once rather than stalls or event floods.
 */
int smmu_cd_make_sva_released(const struct smmu_features *feat,
			      const struct smmu_cd_s1_cfg *cfg,
			      struct smmu_cd *cd);

/* ops->get_used for CDs: V only if invalid; else all but EPD0-ignored. */
void smmu_cd_get_used(const uint64_t *cd, uint64_t *used);

/* A master's stall setting is usable on this SMMU (shared with STEs). */
static inline bool smmu_stall_cfg_valid(const struct smmu_features *feat,
					bool stall)
{
	return stall ? feat->stalls : !feat->stall_force;
}

/*
 * The translation granule tg (CD.TG0 encoding, which STE.S2TG shares) is
 * one the SMMU supports (IDR5.GRAN*, as probe recorded it).
 */
static inline bool smmu_granule_supported(const struct smmu_features *feat,
					  unsigned tg)
{
	static const unsigned char shift[] = {
		[SMMU_TG0_4K] = 12, [SMMU_TG0_64K] = 16, [SMMU_TG0_16K] = 14,
	};

	return tg < sizeof(shift) &&
	       (feat->pgsize_bitmap >> shift[tg] & 1);
}

#endif /* SMMU_LIB_CD_H */
