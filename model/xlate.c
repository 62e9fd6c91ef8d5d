/*
 * Placeholder translation layer: bypass only, every translating
 * configuration faults.
 *
 * Concepts: this file stands in for the page-table walker, IOTLB and ATC
 * until they land (the translation issue replaces the whole file).  It
 * keeps the interfaces of xlate.h and tlb.h honest: invalidations and
 * syncs are counted, a bypass configuration passes the address through,
 * and a stage-1 or stage-2 configuration answers with the translation
 * fault a walk of empty tables would give (F_TRANSLATION, recorded when
 * the stage's R or S bit asks for it).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "tlb.h"
#include "xlate.h"

struct smmu_xlate_state {
	atomic_ulong invalidations;
	atomic_ulong syncs;
	atomic_ulong fault_responses;
};

int smmu_model_xlate_init(struct smmu_model *m)
{
	m->xlate = calloc(1, sizeof(*m->xlate));
	return m->xlate ? 0 : -ENOMEM;
}

void smmu_model_xlate_fini(struct smmu_model *m)
{
	free(m->xlate);
	m->xlate = NULL;
}

void smmu_model_tlb_invalidate(struct smmu_model *m, const struct smmu_tlbi *req)
{
	atomic_fetch_add(&m->xlate->invalidations, 1);
}

void smmu_model_tlb_sync(struct smmu_model *m)
{
	atomic_fetch_add(&m->xlate->syncs, 1);
}

void smmu_model_fault_response(struct smmu_model *m, const struct smmu_fault_resp *r)
{
	atomic_fetch_add(&m->xlate->fault_responses, 1);
}

static void translation_fault(const struct smmu_xlate_cfg *cfg, const struct smmu_txn *txn,
			      bool stage2, uint64_t *evt)
{
	struct smmu_stream_id who = { cfg->sid, cfg->ssv, cfg->ssid };

	evt[0] = smmu_evt0(SMMU_EVT_F_TRANSLATION, &who);
	evt[1] = SMMU_FIELD_PREP(SMMU_EVT1_PNU, txn->priv) |
		 SMMU_FIELD_PREP(SMMU_EVT1_IND, txn->exec && !txn->write) |
		 SMMU_FIELD_PREP(SMMU_EVT1_RNW, !txn->write) |
		 SMMU_FIELD_PREP(SMMU_EVT1_S2, stage2) |
		 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN);
	evt[2] = txn->iova;
	evt[3] = stage2 ? txn->iova & SMMU_EVT3_IPA : 0;
}

int smmu_model_xlate(struct smmu_model *m, const struct smmu_txn *txn,
		     const struct smmu_xlate_cfg *cfg, struct smmu_txn_result *res)
{
	bool stage2 = cfg->kind == SMMU_XLATE_S2;
	bool record = stage2 ? cfg->s2.r || cfg->s2.s : cfg->s1.r || cfg->s1.s;

	if (cfg->kind == SMMU_XLATE_BYPASS) {
		res->status = SMMU_TXN_OK;
		res->pa = txn->iova;
		return 0;
	}
	translation_fault(cfg, txn, stage2, res->event);
	res->status = SMMU_TXN_ABORT;
	if (record)
		res->event_recorded = smmu_model_record_event(m, res->event);
	return 0;
}

int smmu_model_xlate_cd_fetch(struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
			      uint64_t ipa, uint64_t *pa, uint64_t evt[4])
{
	struct smmu_stream_id who = { cfg->sid, cfg->ssv, cfg->ssid };

	evt[0] = smmu_evt0(SMMU_EVT_F_TRANSLATION, &who);
	evt[1] = SMMU_FIELD_PREP(SMMU_EVT1_RNW, 1) | SMMU_FIELD_PREP(SMMU_EVT1_S2, 1) |
		 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_CD);
	evt[2] = 0;
	evt[3] = ipa & SMMU_EVT3_IPA;
	return -EIO;
}
