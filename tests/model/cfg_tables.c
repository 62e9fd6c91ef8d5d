/*
 * Stream and CD table builders shared by the configuration tests (see
 * cfg_tables.h).
 */
#include <string.h>

#include "cfg_tables.h"

void ste_bypass(uint64_t *ste)
{
	memset(ste, 0, SMMU_STE_SIZE);
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS);
}

void ste_s2(uint64_t *ste)
{
	memset(ste, 0, SMMU_STE_SIZE);
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S2);
	ste[2] = SMMU_FIELD_PREP(SMMU_STE2_S2VMID, 1) | SMMU_FIELD_PREP(SMMU_STE2_S2T0SZ, 16) |
		 SMMU_FIELD_PREP(SMMU_STE2_S2SL0, 2) |
		 SMMU_FIELD_PREP(SMMU_STE2_S2TG, SMMU_S2TG_4K) |
		 SMMU_FIELD_PREP(SMMU_STE2_S2PS, SMMU_OAS_48) | SMMU_STE2_S2AA64 | SMMU_STE2_S2R;
	ste[3] = TTB_PA;
}

void ste_s1(uint64_t *ste, uint64_t ctx, unsigned cdmax, unsigned fmt, unsigned s1dss)
{
	memset(ste, 0, SMMU_STE_SIZE);
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
		 SMMU_FIELD_PREP(SMMU_STE0_S1FMT, fmt) | (ctx & SMMU_STE0_S1CTXPTR) |
		 SMMU_FIELD_PREP(SMMU_STE0_S1CDMAX, cdmax);
	ste[1] = SMMU_FIELD_PREP(SMMU_STE1_S1DSS, s1dss);
}

void cd_valid(uint64_t *cd, uint16_t asid)
{
	memset(cd, 0, SMMU_CD_SIZE);
	cd[0] = SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_FIELD_PREP(SMMU_CD0_T0SZ, 16) |
		SMMU_FIELD_PREP(SMMU_CD0_TG0, SMMU_TG0_4K) | SMMU_CD0_EPD1 |
		SMMU_FIELD_PREP(SMMU_CD0_IPS, SMMU_OAS_48) | SMMU_CD0_R | SMMU_CD0_A |
		SMMU_FIELD_PREP(SMMU_CD0_ASID, asid);
	cd[1] = TTB_PA;
}

void put_ste(struct harness *h, uint32_t sid, const uint64_t *ste)
{
	h_write_ste(h, h_ste_pa(h, sid), ste);
}

unsigned outcome(struct harness *h, uint32_t sid, bool ssv, uint32_t ssid,
			uint64_t evt[4])
{
	struct smmu_txn_result res = h_translate(h, sid, ssv, ssid, IOVA, false);

	if (res.status == SMMU_TXN_OK) {
		assert_int_equal(res.pa, IOVA);
		return 0;
	}
	if (evt)
		memcpy(evt, res.event, sizeof(res.event));
	return res.event[0] ? (unsigned)SMMU_FIELD_GET(SMMU_EVT0_ID, res.event[0]) : ~0u;
}

unsigned outcome_of(struct harness *h, uint32_t sid)
{
	return outcome(h, sid, false, 0, NULL);
}

int cfg_setup(void **state)
{
	struct cfg_fixture *f = test_calloc(1, sizeof(*f));

	harness_setup(state);
	f->h = *state;
	h_enable_all(f->h);
	f->cd_table = h_alloc(f->h, 1024 * SMMU_CD_SIZE, &f->cd_pa);
	*state = f;
	return 0;
}

int cfg_teardown(void **state)
{
	struct cfg_fixture *f = *state;

	*state = f->h;
	harness_teardown(state);
	test_free(f);
	return 0;
}
