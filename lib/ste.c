/*
 * STE builders, get_ste_used and get_ste_update_safe (see ste.h).
 *
 * Concepts: the builders set only bits that smmu_ste_get_used reports as
 * used for the configuration they build; the hitless writer refuses a
 * target that breaks this, and the unit tests check it for every builder.
 * The used bits follow the kernel (linux-driver.md 4.4): stage-1 fields
 * only when CONFIG enables stage 1, stage-2 fields only when it enables
 * stage 2, SHCFG where the architecture reads it (bypass, S1DSS bypass,
 * stage 2).  VMID 0 is the stage-1-only EL1 VMID, as in the kernel.
 */
#include "ste.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "cd.h"

/* The CD-table fields of a nested STE; everything else is stage 2's. */
#define STE0_NESTED_S1 (SMMU_STE0_S1FMT | SMMU_STE0_S1CTXPTR | \
			SMMU_STE0_S1CDMAX)
#define STE1_NESTED_S1 (SMMU_STE1_S1DSS | SMMU_STE1_S1CIR | SMMU_STE1_S1COR | \
			SMMU_STE1_S1CSH | SMMU_STE1_S1STALLD | SMMU_STE1_EATS)

static uint64_t ste_word0(enum smmu_ste_config config)
{
	return SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, config);
}

int smmu_ste_make_abort(struct smmu_ste *ste)
{
	if (!ste)
		return -EINVAL;
	memset(ste, 0, sizeof(*ste));
	ste->dw[0] = ste_word0(SMMU_STE_CFG_ABORT);
	return 0;
}

/* SHCFG=incoming keeps the device's shareability where the SMMU may. */
static uint64_t shcfg_incoming(const struct smmu_features *feat)
{
	return feat->attr_types_ovr ?
	       SMMU_FIELD_PREP(SMMU_STE1_SHCFG, SMMU_SHCFG_INCOMING) : 0;
}

static uint64_t eats(bool ats)
{
	return SMMU_FIELD_PREP(SMMU_STE1_EATS,
			       ats ? SMMU_EATS_TRANS : SMMU_EATS_ABT);
}

int smmu_ste_make_bypass(const struct smmu_features *feat,
			 struct smmu_ste *ste)
{
	if (!feat || !ste)
		return -EINVAL;
	memset(ste, 0, sizeof(*ste));
	ste->dw[0] = ste_word0(SMMU_STE_CFG_BYPASS);
	ste->dw[1] = shcfg_incoming(feat);
	return 0;
}

static bool cdtab_cfg_valid(const struct smmu_features *feat,
			    const struct smmu_ste_cdtab_cfg *cfg)
{
	bool two_level = cfg->s1fmt != SMMU_S1FMT_LINEAR;

	return feat->trans_s1 && !(cfg->cdtab_bus & ~SMMU_STE0_S1CTXPTR) &&
	       cfg->s1fmt <= SMMU_S1FMT_1024_L2 && (!two_level || feat->cd2l) &&
	       cfg->s1cdmax <= feat->ssid_bits &&
	       SMMU_FIELD_FITS(SMMU_STE0_S1CDMAX, cfg->s1cdmax) &&
	       cfg->s1dss <= SMMU_S1DSS_SSID0 &&
	       (!cfg->ats || feat->ats) &&
	       smmu_stall_cfg_valid(feat, cfg->stall);
}

static void build_cdtable(const struct smmu_features *feat,
			  const struct smmu_ste_cdtab_cfg *cfg,
			  struct smmu_ste *ste)
{
	memset(ste, 0, sizeof(*ste));
	ste->dw[0] = ste_word0(SMMU_STE_CFG_S1) |
		     SMMU_FIELD_PREP(SMMU_STE0_S1FMT, cfg->s1fmt) |
		     cfg->cdtab_bus |
		     SMMU_FIELD_PREP(SMMU_STE0_S1CDMAX, cfg->s1cdmax);
	ste->dw[1] = SMMU_FIELD_PREP(SMMU_STE1_S1DSS, cfg->s1dss) |
		     SMMU_FIELD_PREP(SMMU_STE1_S1CIR, SMMU_CACHE_WB) |
		     SMMU_FIELD_PREP(SMMU_STE1_S1COR, SMMU_CACHE_WB) |
		     SMMU_FIELD_PREP(SMMU_STE1_S1CSH, SMMU_SH_ISH) |
		     /* The SMMU could stall, this master must not. */
		     (feat->stalls && !cfg->stall ? SMMU_STE1_S1STALLD : 0) |
		     eats(cfg->ats);
	if (cfg->s1dss == SMMU_S1DSS_BYPASS)
		ste->dw[1] |= shcfg_incoming(feat);
	/*
	 * With E2H the stream world matches a VHE host's, so broadcast TLB
	 * maintenance reaches it; otherwise NS-EL1 with the reserved VMID 0
	 * (already zero).
	 */
	ste->dw[1] |= SMMU_FIELD_PREP(SMMU_STE1_STRW,
				      feat->e2h ? SMMU_STRW_EL2 :
						  SMMU_STRW_NSEL1);
}

int smmu_ste_make_cdtable(const struct smmu_features *feat,
			  const struct smmu_ste_cdtab_cfg *cfg,
			  struct smmu_ste *ste)
{
	if (!feat || !cfg || !ste || !cdtab_cfg_valid(feat, cfg))
		return -EINVAL;
	build_cdtable(feat, cfg, ste);
	return 0;
}

static bool vtcr_valid(const struct smmu_features *feat,
		       const struct smmu_s2_vtcr *vtcr)
{
	unsigned ps_bits = smmu_oas_bits(vtcr->ps);

	return SMMU_FIELD_FITS(SMMU_STE2_S2T0SZ, vtcr->tsz) &&
	       SMMU_FIELD_FITS(SMMU_STE2_S2SL0, vtcr->sl) &&
	       SMMU_FIELD_FITS(SMMU_STE2_S2IR0, vtcr->irgn) &&
	       SMMU_FIELD_FITS(SMMU_STE2_S2OR0, vtcr->orgn) &&
	       SMMU_FIELD_FITS(SMMU_STE2_S2SH0, vtcr->sh) &&
	       smmu_granule_supported(feat, vtcr->tg) &&
	       SMMU_FIELD_FITS(SMMU_STE2_S2PS, vtcr->ps) &&
	       ps_bits && ps_bits <= feat->oas_bits;
}

static bool s2_cfg_valid(const struct smmu_features *feat,
			 const struct smmu_ste_s2_cfg *cfg)
{
	return feat->trans_s2 && vtcr_valid(feat, &cfg->vtcr) &&
	       !(cfg->vttbr & ~SMMU_STE3_S2TTB) &&
	       feat->vmid_bits <= 16 &&
	       (uint32_t)cfg->vmid >> feat->vmid_bits == 0 &&
	       (!cfg->fwb || feat->fwb) && (!cfg->ats || feat->ats) &&
	       smmu_stall_cfg_valid(feat, cfg->stall) &&
	       /* SPEC 5.2 EATS: Full ATS with S2S=1 at stage 2 is ILLEGAL. */
	       !(cfg->ats && cfg->stall);
}

static void build_s2(const struct smmu_features *feat,
		     const struct smmu_ste_s2_cfg *cfg, struct smmu_ste *ste)
{
	const struct smmu_s2_vtcr *vtcr = &cfg->vtcr;

	memset(ste, 0, sizeof(*ste));
	ste->dw[0] = ste_word0(SMMU_STE_CFG_S2);
	ste->dw[1] = eats(cfg->ats) | shcfg_incoming(feat) |
		     (cfg->fwb ? SMMU_STE1_S2FWB : 0);
	ste->dw[2] = SMMU_FIELD_PREP(SMMU_STE2_S2VMID, cfg->vmid) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2T0SZ, vtcr->tsz) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2SL0, vtcr->sl) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2IR0, vtcr->irgn) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2OR0, vtcr->orgn) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2SH0, vtcr->sh) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2TG, vtcr->tg) |
		     SMMU_FIELD_PREP(SMMU_STE2_S2PS, vtcr->ps) |
		     SMMU_STE2_S2AA64 | SMMU_STE2_S2PTW | SMMU_STE2_S2R |
		     (cfg->stall ? SMMU_STE2_S2S : 0);
	ste->dw[3] = cfg->vttbr;
}

int smmu_ste_make_s2(const struct smmu_features *feat,
		     const struct smmu_ste_s2_cfg *cfg, struct smmu_ste *ste)
{
	if (!feat || !cfg || !ste || !s2_cfg_valid(feat, cfg))
		return -EINVAL;
	build_s2(feat, cfg, ste);
	return 0;
}

int smmu_ste_make_nested(const struct smmu_features *feat,
			 const struct smmu_ste_cdtab_cfg *s1,
			 const struct smmu_ste_s2_cfg *s2, struct smmu_ste *ste)
{
	struct smmu_ste s1_ste;

	if (!feat || !s1 || !s2 || !ste || !feat->nesting ||
	    !cdtab_cfg_valid(feat, s1) || !s2_cfg_valid(feat, s2) ||
	    s1->ats != s2->ats || s1->stall != s2->stall)
		return -EINVAL;
	build_cdtable(feat, s1, &s1_ste);
	build_s2(feat, s2, ste);
	ste->dw[0] = ste_word0(SMMU_STE_CFG_NESTED) |
		     (s1_ste.dw[0] & STE0_NESTED_S1);
	ste->dw[1] |= (s1_ste.dw[1] & STE1_NESTED_S1) | SMMU_STE1_MEV;
	return 0;
}

void smmu_ste_get_used(const uint64_t *ste, uint64_t *used)
{
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);

	used[0] = SMMU_STE0_V;
	if (!(ste[0] & SMMU_STE0_V))
		return;
	used[0] |= SMMU_STE0_CONFIG;

	if (config & SMMU_STE_CFG_S1_BIT) {
		used[0] |= SMMU_STE0_S1FMT | SMMU_STE0_S1CTXPTR |
			   SMMU_STE0_S1CDMAX;
		used[1] |= SMMU_STE1_S1DSS | SMMU_STE1_S1CIR |
			   SMMU_STE1_S1COR | SMMU_STE1_S1CSH |
			   SMMU_STE1_S1STALLD | SMMU_STE1_STRW |
			   SMMU_STE1_EATS | SMMU_STE1_MEV;
		used[2] |= SMMU_STE2_S2VMID;
		/* SPEC 13.5: stage-1 bypass for PASID-less traffic reads SHCFG. */
		if (SMMU_FIELD_GET(SMMU_STE1_S1DSS, ste[1]) == SMMU_S1DSS_BYPASS)
			used[1] |= SMMU_STE1_SHCFG;
	}
	if (config & SMMU_STE_CFG_S2_BIT) {
		used[1] |= SMMU_STE1_S2FWB | SMMU_STE1_EATS |
			   SMMU_STE1_SHCFG | SMMU_STE1_MEV;
		used[2] |= SMMU_STE2_S2VMID | SMMU_STE2_VTCR |
			   SMMU_STE2_S2AA64 | SMMU_STE2_S2ENDI |
			   SMMU_STE2_S2PTW | SMMU_STE2_S2S | SMMU_STE2_S2R;
		used[3] |= SMMU_STE3_S2TTB;
	}
	if (config == SMMU_STE_CFG_BYPASS)
		used[1] |= SMMU_STE1_SHCFG;
}

void smmu_ste_get_update_safe(const uint64_t *cur, const uint64_t *target,
			      uint64_t *safe)
{
	const uint64_t eats_s1chk =
		SMMU_FIELD_PREP(SMMU_STE1_EATS, SMMU_EATS_S1CHK);

	/*
	 * EATS=TRANS only guards against ATS from a device whose ATS
	 * capability the master layer has already switched off while the
	 * STE changes, so its order does not matter.  Not with S1CHK (an
	 * intermediate EATS=0b11 would be an errant value) nor with S2S
	 * (S2S=1 with EATS=TRANS is an ILLEGAL STE).
	 */
	if (!((cur[1] | target[1]) & eats_s1chk) &&
	    !((cur[2] | target[2]) & SMMU_STE2_S2S))
		safe[1] |= SMMU_FIELD_PREP(SMMU_STE1_EATS, SMMU_EATS_TRANS);
	/* MEV only merges events; the SMMU may behave as if it were set. */
	safe[1] |= SMMU_STE1_MEV;
}
