/*
 * smmu_model_translate(): the configuration half of a transaction.
 *
 * Concepts: with SMMUEN clear a transaction bypasses or aborts as GBPA
 * says, touching no table.  Otherwise its STE is fetched (through the
 * configuration cache), abort configurations end it silently, and the
 * substream rules decide which CD - if any - applies: a SubstreamID needs
 * stage 1 and S1CDMax > 0 and must be below 2^S1CDMax (else
 * C_BAD_SUBSTREAMID); traffic without one follows S1DSS.  The STE's stage-2
 * fields and the CD's stage-1 fields are decoded into a struct
 * smmu_xlate_cfg and the translation layer takes over (smmu_model_xlate).
 * Configuration faults record their event here.  Nothing here holds
 * m->lock while working: registers come from a snapshot.  A stream whose
 * resolution needed no memory read is served next time by the fast path
 * (cfgfast.c), without the snapshot, the cache's mutex or the decoding.
 * ATS Translated transactions carry a PA already: they only meet the
 * checks CR0.ATSCHK asks for, but for split-stage ATS, whose IPA stage 2
 * translates (translate_translated).
 */
#include <errno.h>
#include <string.h>

#include "model_internal.h"
#include "utlb.h"
#include "xlate.h"

static void txn_abort(struct smmu_model *m, const uint64_t *evt,
		      struct smmu_txn_result *res)
{
	res->status = SMMU_TXN_ABORT;
	SMMU_MODEL_COUNT(m, translation_aborts);
	if (!evt)
		return;
	memcpy(res->event, evt, sizeof(res->event));
	res->event_recorded = smmu_model_record_event(m, evt);
}

static void txn_fault(struct smmu_model *m, unsigned id, const struct smmu_stream_id *who,
		      struct smmu_txn_result *res)
{
	uint64_t evt[SMMU_EVT_DWORDS] = { smmu_evt0(id, who) };

	txn_abort(m, evt, res);
}

static void decode_s2(const struct smmu_model *m, const uint64_t *ste,
		      struct smmu_xlate_s2 *s2)
{
	unsigned ps = (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2PS, ste[2]);
	unsigned ps_bits = smmu_oas_bits(ps);

	s2->ttb = ste[3] & SMMU_STE3_S2TTB;
	s2->t0sz = (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2T0SZ, ste[2]);
	s2->sl0 = (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2SL0, ste[2]);
	s2->tg = (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2TG, ste[2]);
	s2->ps = ps;
	s2->ps_bits = ps_bits && ps_bits < m->oas_bits ? ps_bits : m->oas_bits;
	s2->aa64 = SMMU_FIELD_GET(SMMU_STE2_S2AA64, ste[2]);
	s2->endi = SMMU_FIELD_GET(SMMU_STE2_S2ENDI, ste[2]);
	s2->affd = SMMU_FIELD_GET(SMMU_STE2_S2AFFD, ste[2]);
	s2->ptw = SMMU_FIELD_GET(SMMU_STE2_S2PTW, ste[2]);
	s2->r = SMMU_FIELD_GET(SMMU_STE2_S2R, ste[2]);
	s2->s = SMMU_FIELD_GET(SMMU_STE2_S2S, ste[2]);
	s2->ha = SMMU_FIELD_GET(SMMU_STE2_S2HA, ste[2]);
	s2->hd = SMMU_FIELD_GET(SMMU_STE2_S2HD, ste[2]);
	s2->fwb = m->cfg.fwb && SMMU_FIELD_GET(SMMU_STE1_S2FWB, ste[1]);
}

static void decode_s1(const struct smmu_model *m, const uint64_t *cd, bool el2,
		      struct smmu_xlate_s1 *s1)
{
	unsigned ips = (unsigned)SMMU_FIELD_GET(SMMU_CD0_IPS, cd[0]);
	unsigned ips_bits = smmu_oas_bits(ips);

	s1->ttb[0] = cd[1] & SMMU_CD1_TTB0;
	s1->ttb[1] = cd[2] & SMMU_CD2_TTB1;
	s1->tsz[0] = (unsigned)SMMU_FIELD_GET(SMMU_CD0_T0SZ, cd[0]);
	s1->tsz[1] = (unsigned)SMMU_FIELD_GET(SMMU_CD0_T1SZ, cd[0]);
	s1->tg[0] = (unsigned)SMMU_FIELD_GET(SMMU_CD0_TG0, cd[0]);
	s1->tg[1] = (unsigned)SMMU_FIELD_GET(SMMU_CD0_TG1, cd[0]);
	/* EL2 streams have no EPDx and no TTB1 range. */
	s1->epd[0] = !el2 && SMMU_FIELD_GET(SMMU_CD0_EPD0, cd[0]);
	s1->epd[1] = el2 || SMMU_FIELD_GET(SMMU_CD0_EPD1, cd[0]);
	s1->ips = ips;
	s1->ips_bits = ips_bits && ips_bits < m->oas_bits ? ips_bits : m->oas_bits;
	s1->asid = (uint16_t)SMMU_FIELD_GET(SMMU_CD0_ASID, cd[0]);
	s1->aa64 = SMMU_FIELD_GET(SMMU_CD0_AA64, cd[0]);
	s1->r = SMMU_FIELD_GET(SMMU_CD0_R, cd[0]);
	s1->a = SMMU_FIELD_GET(SMMU_CD0_A, cd[0]);
	s1->s = SMMU_FIELD_GET(SMMU_CD0_S, cd[0]);
	s1->ha = SMMU_FIELD_GET(SMMU_CD0_HA, cd[0]);
	s1->hd = SMMU_FIELD_GET(SMMU_CD0_HD, cd[0]);
	s1->affd = SMMU_FIELD_GET(SMMU_CD0_AFFD, cd[0]);
	s1->endi = SMMU_FIELD_GET(SMMU_CD0_ENDI, cd[0]);
	s1->wxn = SMMU_FIELD_GET(SMMU_CD0_WXN, cd[0]);
	s1->uwxn = SMMU_FIELD_GET(SMMU_CD0_UWXN, cd[0]);
	s1->pan = SMMU_FIELD_GET(SMMU_CD0_PAN, cd[0]);
	s1->tbi = (unsigned)SMMU_FIELD_GET(SMMU_CD0_TBI, cd[0]);
	s1->mair = cd[SMMU_CD_MAIR_DWORD];
}

static enum smmu_xlate_kind config_kind(unsigned config, bool s1)
{
	bool s2 = config & SMMU_STE_CFG_S2_BIT;

	if (s1 && s2)
		return SMMU_XLATE_NESTED;
	if (s1)
		return SMMU_XLATE_S1;
	return s2 ? SMMU_XLATE_S2 : SMMU_XLATE_BYPASS;
}

/*
 * Which CD serves the transaction: 0 and *cd_index, 0 with *use_s1 false
 * when stage 1 is bypassed (S1DSS), or the event id that terminates it.
 */
static unsigned substream_select(const struct smmu_model *m, const uint64_t *ste,
				 const struct smmu_stream_id *who, bool *use_s1,
				 uint32_t *cd_index)
{
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);
	unsigned cdmax = smmu_ste_cdmax(&m->cfg, ste);
	bool s1 = config & SMMU_STE_CFG_S1_BIT;

	*use_s1 = s1;
	*cd_index = 0;
	if (who->ssv) {
		if (!s1 || !cdmax || ((uint64_t)who->ssid >> cdmax))
			return SMMU_EVT_C_BAD_SUBSTREAMID;
		/* With S1DSS = SSID0, CD 0 is reserved for non-substream traffic. */
		if (!who->ssid &&
		    SMMU_FIELD_GET(SMMU_STE1_S1DSS, ste[1]) == SMMU_S1DSS_SSID0)
			return SMMU_EVT_F_STREAM_DISABLED;
		*cd_index = who->ssid;
		return 0;
	}
	if (!s1 || !cdmax)
		return 0;
	switch (SMMU_FIELD_GET(SMMU_STE1_S1DSS, ste[1])) {
	case SMMU_S1DSS_BYPASS:
		*use_s1 = false;
		return 0;
	case SMMU_S1DSS_SSID0:
		return 0;
	default:        /* terminate, and the Reserved 0b11 that behaves so */
		return SMMU_EVT_F_STREAM_DISABLED;
	}
}

/*
 * STE.EATS as it acts (5.2): 0b00 without ATS, for a bypass STE, for the
 * Reserved 0b11 (no DPT), and for split-stage while CR0.ATSCHK is clear.
 */
static unsigned effective_eats(const struct smmu_model *m,
			       const struct smmu_model_snapshot *snap, const uint64_t *ste)
{
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);
	unsigned eats = (unsigned)SMMU_FIELD_GET(SMMU_STE1_EATS, ste[1]);

	if (!m->cfg.ats || config == SMMU_STE_CFG_BYPASS)
		return SMMU_EATS_ABT;
	if (eats == SMMU_EATS_S1CHK)
		return snap->atschk ? eats : SMMU_EATS_ABT;
	return eats == SMMU_EATS_TRANS ? eats : SMMU_EATS_ABT;
}

static void resolve_stream(const struct smmu_model *m, const struct smmu_model_snapshot *snap,
			   const uint64_t *ste, const struct smmu_stream_id *who,
			   struct smmu_xlate_cfg *xc)
{
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);
	unsigned strw = (unsigned)SMMU_FIELD_GET(SMMU_STE1_STRW, ste[1]);

	xc->sid = who->sid;
	xc->ssv = who->ssv;
	xc->eats = effective_eats(m, snap, ste);
	xc->strw = smmu_ste_strw_used(&m->cfg, config) ? strw : SMMU_STRW_NSEL1;
	xc->e2h = m->cfg.hyp && (snap->cr2 & SMMU_CR2_E2H);
	if (m->cfg.attr_perms_ovr) {
		xc->privcfg = (unsigned)SMMU_FIELD_GET(SMMU_STE1_PRIVCFG, ste[1]);
		xc->instcfg = (unsigned)SMMU_FIELD_GET(SMMU_STE1_INSTCFG, ste[1]);
	}
	xc->s1stalld = SMMU_FIELD_GET(SMMU_STE1_S1STALLD, ste[1]);
	xc->s2.vmid = (uint16_t)SMMU_FIELD_GET(SMMU_STE2_S2VMID, ste[2]);
	if (config & SMMU_STE_CFG_S2_BIT)
		decode_s2(m, ste, &xc->s2);
}

/*
 * Resolve who's configuration into *xc; false when the transaction ended.
 * *fault starts zeroed and counts the structures looked up.
 */
static bool resolve_config(struct smmu_model *m, const struct smmu_model_snapshot *snap,
			   const struct smmu_stream_id *who, struct smmu_xlate_cfg *xc,
			   struct smmu_cfg_fault *fault, struct smmu_txn_result *res)
{
	uint64_t ste[SMMU_STE_DWORDS], cd[SMMU_CD_DWORDS];
	unsigned config, event;
	bool use_s1;

	if (smmu_model_fetch_ste(m, snap, who, ste, fault)) {
		txn_abort(m, fault->evt, res);
		return false;
	}
	config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);
	if (!(config & SMMU_STE_CFG_EN_BIT)) {
		txn_abort(m, NULL, res);
		return false;
	}
	event = substream_select(m, ste, who, &use_s1, &xc->ssid);
	if (event) {
		txn_fault(m, event, who, res);
		return false;
	}
	resolve_stream(m, snap, ste, who, xc);
	xc->kind = config_kind(config, use_s1);
	if (!use_s1)
		return true;
	if (smmu_model_fetch_cd(m, who, xc->ssid, ste, xc, cd, fault)) {
		txn_abort(m, fault->evt, res);
		return false;
	}
	decode_s1(m, cd, xc->strw == SMMU_STRW_EL2 && !xc->e2h, &xc->s1);
	return true;
}

/*
 * The slow path: registers from a snapshot, structures through the
 * configuration cache.  A resolution that read no memory is published to
 * the fast path.  False when the transaction ended (*res filled).
 */
/* Not inlined: its frame would be set up on every fast-path translation. */
static __attribute__((noinline))
bool resolve_slow(struct smmu_model *m, const struct smmu_txn *txn,
			 const struct smmu_stream_id *who, struct smmu_xlate_cfg *xc,
			 struct smmu_txn_result *res)
{
	/* Read before the snapshot: any change after it voids the publication. */
	uint64_t gen = smmu_cfg_fast_gen(m);
	struct smmu_model_snapshot snap;
	struct smmu_cfg_fault fault = { 0 };

	memset(xc, 0, sizeof(*xc));
	smmu_model_snapshot(m, &snap);
	if (!snap.smmuen) {
		if (snap.gbpa & SMMU_GBPA_ABORT) {
			txn_abort(m, NULL, res);
		} else {
			res->status = SMMU_TXN_OK;
			res->pa = txn->iova;
		}
		return false;
	}
	if (!resolve_config(m, &snap, who, xc, &fault, res))
		return false;
	if (!fault.cache_misses)
		smmu_cfg_fast_publish(m, gen, who, fault.cache_hits, xc);
	return true;
}

static void transl_forbidden(struct smmu_model *m, const struct smmu_stream_id *who,
			     const struct smmu_txn *txn, struct smmu_txn_result *res)
{
	uint64_t evt[SMMU_EVT_DWORDS] = {
		smmu_evt0(SMMU_EVT_F_TRANSL_FORBIDDEN, who),
		SMMU_FIELD_PREP(SMMU_EVT1_RNW, !txn->write),
		txn->iova,
	};

	txn_abort(m, evt, res);
}

/*
 * A Translated transaction of a split-stage stream carries an IPA, which
 * stage 2 of the stream translates, faulting and recording as any stage-2
 * translation does (13.6.3); its entries are cached as stage-2 ones.
 * Without a PASID it is an unprivileged data access (13.7).  A model
 * failure aborts it.
 */
static void translate_split_stage(struct smmu_model *m,
				  const struct smmu_model_snapshot *snap, const uint64_t *ste,
				  const struct smmu_txn *txn, uint64_t generation,
				  struct smmu_txn_result *res)
{
	struct smmu_stream_id who = { txn->sid, false, 0 };
	struct smmu_txn ipa_txn = { .sid = txn->sid, .iova = txn->iova, .write = txn->write };
	struct smmu_xlate_cfg xc = { 0 };

	resolve_stream(m, snap, ste, &who, &xc);
	xc.kind = SMMU_XLATE_S2;
	if (smmu_model_xlate(m, &ipa_txn, &xc, generation, NULL, res))
		txn_abort(m, NULL, res);
}

/*
 * An ATS Translated transaction (3.9.1.3).  With SMMUEN clear it is
 * forbidden.  With ATSCHK clear it passes unchecked but for the address
 * size; with ATSCHK set its STE must allow ATS (an effective EATS other
 * than 0b00): a bypass STE or EATS 0b00 is F_TRANSL_FORBIDDEN, an abort
 * STE or a configuration error aborts it without an event (CR2.REC_CFG_ATS
 * is RES0 here), and split-stage EATS 0b10 sends it through stage 2.  A PA
 * above the OAS aborts without an event, the IMPLEMENTATION DEFINED choice
 * of 3.9.1.1.  No PASID is honoured (IDR3.PASIDTT is 0).
 */
static void translate_translated(struct smmu_model *m, const struct smmu_txn *txn,
				 uint64_t generation, struct smmu_txn_result *res)
{
	struct smmu_stream_id who = { txn->sid, false, 0 };
	struct smmu_cfg_fault fault = { 0 };
	struct smmu_model_snapshot snap;
	uint64_t ste[SMMU_STE_DWORDS];
	unsigned eats;

	SMMU_MODEL_COUNT(m, translations);
	smmu_model_snapshot(m, &snap);
	if (!snap.smmuen) {
		transl_forbidden(m, &who, txn, res);
		return;
	}
	if (snap.atschk) {
		if (smmu_model_fetch_ste(m, &snap, &who, ste, &fault) ||
		    !(SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]) & SMMU_STE_CFG_EN_BIT)) {
			txn_abort(m, NULL, res);
			return;
		}
		eats = effective_eats(m, &snap, ste);
		if (eats == SMMU_EATS_ABT) {
			transl_forbidden(m, &who, txn, res);
			return;
		}
		if (eats == SMMU_EATS_S1CHK) {
			translate_split_stage(m, &snap, ste, txn, generation, res);
			return;
		}
	}
	if (txn->iova >> m->oas_bits) {
		txn_abort(m, NULL, res);
		return;
	}
	res->status = SMMU_TXN_OK;
	res->pa = txn->iova;
}

/* Everything but a micro-TLB hit: kept out of the hot path's frame. */
static __attribute__((noinline))
int translate_miss(struct smmu_model *m, const struct smmu_txn *txn, uint64_t epoch,
		   struct smmu_txn_result *res)
{
	struct smmu_utlb_ticket ticket = { .epoch = epoch };
	/* Before the configuration is read: see smmu_model_xlate_generation. */
	uint64_t generation = smmu_model_xlate_generation(m);
	struct smmu_stream_id who;
	struct smmu_xlate_cfg xc;

	memset(res, 0, sizeof(*res));
	if (txn->translated) {
		translate_translated(m, txn, generation, res);
		return 0;
	}
	who = (struct smmu_stream_id){ txn->sid, txn->ssv, txn->ssv ? txn->ssid : 0 };
	/* The fast path counts its translations itself. */
	if (smmu_cfg_fast_lookup(m, &who, &xc))
		return smmu_model_xlate(m, txn, &xc, generation, &ticket, res);
	SMMU_MODEL_COUNT(m, translations);
	if (!resolve_slow(m, txn, &who, &xc, res))
		return 0;
	/* Not published: the configuration fast path does not vouch for it yet. */
	return smmu_model_xlate(m, txn, &xc, generation, NULL, res);
}

int smmu_model_translate(struct smmu_model *m, const struct smmu_txn *txn,
			 struct smmu_txn_result *res)
{
	struct smmu_utlb *u;
	uint64_t epoch;

	/*
	 * One test for the three: pointers whose bits and-ed together are not
	 * 0 are none of them NULL (some valid ones fail it and are checked).
	 */
	if (__builtin_expect(!((uintptr_t)m & (uintptr_t)txn & (uintptr_t)res), 0) &&
	    (!m || !txn || !res))
		return -EINVAL;
	u = m->utlb;
	/* Read first: whatever changes from here on voids a publication. */
	epoch = smmu_utlb_epoch(u);
	if (smmu_utlb_hit(u, txn, epoch, res))
		return 0;
	return translate_miss(m, txn, epoch, res);
}

/* The lookups a PREFETCH_* makes, counted in *fault; failures stay silent. */
static void prefetch_structures(struct smmu_model *m, const struct smmu_model_snapshot *snap,
				const struct smmu_stream_id *who, struct smmu_cfg_fault *fault)
{
	uint64_t ste[SMMU_STE_DWORDS], cd[SMMU_CD_DWORDS];
	struct smmu_xlate_cfg xc = { 0 };
	bool use_s1;

	if (smmu_model_fetch_ste(m, snap, who, ste, fault) ||
	    !(SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]) & SMMU_STE_CFG_EN_BIT) ||
	    substream_select(m, ste, who, &use_s1, &xc.ssid) || !use_s1)
		return;
	resolve_stream(m, snap, ste, who, &xc);
	xc.kind = config_kind((unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]), true);
	smmu_model_fetch_cd(m, who, xc.ssid, ste, &xc, cd, fault);
}

/* A prefetch the fast path does not know: through the configuration cache. */
static void prefetch_slow(struct smmu_model *m, const struct smmu_stream_id *who)
{
	struct smmu_model_snapshot snap;
	struct smmu_cfg_fault fault = { 0 };
	uint64_t gen = smmu_cfg_fast_gen(m);

	smmu_model_snapshot_locked(m, &snap);
	/* Nothing is cached while SMMUEN is clear. */
	if (!snap.smmuen)
		return;
	prefetch_structures(m, &snap, who, &fault);
	if (!fault.cache_misses)
		smmu_cfg_fast_publish(m, gen, who, fault.cache_hits, NULL);
}

void smmu_model_prefetch_config(struct smmu_model *m, const struct smmu_stream_id *cmd_who)
{
	/* The SubstreamID of a command without SSV is not looked at. */
	struct smmu_stream_id who = { cmd_who->sid, cmd_who->ssv,
				      cmd_who->ssv ? cmd_who->ssid : 0 };

	/*
	 * A prefetch that found everything cached, repeated under the same
	 * generation (so SMMUEN is still set), finds the same entries again
	 * and changes nothing but the hit count.
	 */
	if (!smmu_cfg_fast_lookup(m, &who, NULL))
		prefetch_slow(m, &who);
}
