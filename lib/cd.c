/*
 * Context descriptor builders and get_cd_used (see cd.h).
 *
 * Concepts: one function validates a stage-1 configuration against the
 * features and the field widths, one builds the valid CD, and the
 * released-SVA form is derived from it, so the two forms differ exactly
 * in the bits the EPD0 rule of get_cd_used lets change hitlessly (plus S
 * and R, which sit in the critical word).
 */
#include "cd.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static bool tcr_valid(const struct smmu_features *feat,
		      const struct smmu_s1_tcr *tcr)
{
	unsigned ips_bits = smmu_oas_bits(tcr->ips);

	return SMMU_FIELD_FITS(SMMU_CD0_T0SZ, tcr->tsz) &&
	       smmu_granule_supported(feat, tcr->tg) &&
	       SMMU_FIELD_FITS(SMMU_CD0_IR0, tcr->irgn) &&
	       SMMU_FIELD_FITS(SMMU_CD0_OR0, tcr->orgn) &&
	       SMMU_FIELD_FITS(SMMU_CD0_SH0, tcr->sh) &&
	       SMMU_FIELD_FITS(SMMU_CD0_IPS, tcr->ips) &&
	       ips_bits && ips_bits <= feat->oas_bits;
}

static bool s1_cfg_valid(const struct smmu_features *feat,
			 const struct smmu_cd_s1_cfg *cfg)
{
	return feat->trans_s1 && tcr_valid(feat, &cfg->tcr) &&
	       !(cfg->ttbr & ~SMMU_CD1_TTB0) &&
	       feat->asid_bits <= 16 &&
	       (uint32_t)cfg->asid >> feat->asid_bits == 0 &&
	       smmu_stall_cfg_valid(feat, cfg->stall) &&
	       (!cfg->dirty || (feat->ha && feat->hd));
}

static void build_s1(const struct smmu_cd_s1_cfg *cfg, struct smmu_cd *cd)
{
	const struct smmu_s1_tcr *tcr = &cfg->tcr;

	memset(cd, 0, sizeof(*cd));
	cd->dw[0] = SMMU_FIELD_PREP(SMMU_CD0_T0SZ, tcr->tsz) |
		    SMMU_FIELD_PREP(SMMU_CD0_TG0, tcr->tg) |
		    SMMU_FIELD_PREP(SMMU_CD0_IR0, tcr->irgn) |
		    SMMU_FIELD_PREP(SMMU_CD0_OR0, tcr->orgn) |
		    SMMU_FIELD_PREP(SMMU_CD0_SH0, tcr->sh) |
		    SMMU_FIELD_PREP(SMMU_CD0_IPS, tcr->ips) |
		    SMMU_CD0_EPD1 | SMMU_CD0_V | SMMU_CD0_AA64 |
		    (cfg->stall ? SMMU_CD0_S : 0) |
		    SMMU_CD0_R | SMMU_CD0_A | SMMU_CD0_ASET |
		    (cfg->dirty ? SMMU_CD0_HA | SMMU_CD0_HD : 0) |
		    SMMU_FIELD_PREP(SMMU_CD0_ASID, cfg->asid);
	cd->dw[1] = cfg->ttbr;
	cd->dw[SMMU_CD_MAIR_DWORD] = cfg->mair;
}

int smmu_cd_make_s1(const struct smmu_features *feat,
		    const struct smmu_cd_s1_cfg *cfg, struct smmu_cd *cd)
{
	if (!feat || !cfg || !cd || !s1_cfg_valid(feat, cfg))
		return -EINVAL;
	build_s1(cfg, cd);
	return 0;
}

int smmu_cd_make_sva_released(const struct smmu_features *feat,
			      const struct smmu_cd_s1_cfg *cfg,
			      struct smmu_cd *cd)
{
	if (!feat || !cfg || !cd || !s1_cfg_valid(feat, cfg))
		return -EINVAL;
	build_s1(cfg, cd);
	cd->dw[0] &= ~SMMU_CD0_TCR_TTB0;
	cd->dw[0] |= SMMU_CD0_EPD0;
	cd->dw[1] = 0;
	if (!feat->stall_force)
		cd->dw[0] &= ~(SMMU_CD0_S | SMMU_CD0_R);
	return 0;
}

void smmu_cd_get_used(const uint64_t *cd, uint64_t *used)
{
	used[0] = SMMU_CD0_V;
	if (!(cd[0] & SMMU_CD0_V))
		return;
	for (unsigned i = 0; i < SMMU_CD_DWORDS; i++)
		used[i] = ~UINT64_C(0);
	/* EPD0: no TTB0 walk, so its fields and TTB0 are not read. */
	if (cd[0] & SMMU_CD0_EPD0) {
		used[0] &= ~SMMU_CD0_TCR_TTB0;
		used[1] &= ~SMMU_CD1_TTB0;
	}
}
