/*
 * The interface between configuration lookup and the translation layer.
 *
 * Concepts: translate.c resolves a transaction's stream configuration (STE,
 * and CD when stage 1 translates) into a struct smmu_xlate_cfg, decoded
 * and already checked for validity (C_BAD_STE/C_BAD_CD were raised before
 * this point), then calls smmu_model_xlate().  The translation layer
 * (page-table walker, IOTLB, ATC) turns it into an output address or a
 * translation fault, recording events with smmu_model_record_event()
 * (model_internal.h).  Field encodings are the architecture's, copied from
 * the STE/CD: enum smmu_cd_tg0/tg1/s2tg for granules, enum smmu_oas_enc for
 * IPS/S2PS (the effective size, capped to the OAS, is given alongside).
 * Which locks are held when each function is called: model_internal.h.
 */
#ifndef SMMU_MODEL_XLATE_H
#define SMMU_MODEL_XLATE_H

#include <stdbool.h>
#include <stdint.h>

#include <smmu/model.h>

struct smmu_model;

enum smmu_xlate_kind {
	SMMU_XLATE_BYPASS,      /* STE.Config bypass: output = input */
	SMMU_XLATE_S1,          /* stage 1 only */
	SMMU_XLATE_S2,          /* stage 2 only (also S1DSS bypass of a nested STE) */
	SMMU_XLATE_NESTED,      /* stage 1 then stage 2 */
};

/* Stage 1, from the CD (and the STE's StreamWorld). */
struct smmu_xlate_s1 {
	uint64_t ttb[2];        /* TTB0/TTB1 addresses (IPAs when nested) */
	unsigned tsz[2];        /* T0SZ, T1SZ */
	unsigned tg[2];         /* CD.TG0 (enum smmu_cd_tg0), CD.TG1 (enum smmu_cd_tg1) */
	bool epd[2];            /* EPD0, EPD1 (effective: 0 for EL2 streams) */
	unsigned ips;           /* CD.IPS encoding */
	unsigned ips_bits;      /* effective: min(IPS, OAS) in bits */
	uint16_t asid;
	bool aa64;
	bool r, a, s;           /* fault recording / abort / stall */
	bool ha, hd;
	bool affd;
	bool endi;              /* big-endian tables */
	bool wxn, uwxn, pan;
	unsigned tbi;
	uint64_t mair;
};

/* Stage 2, from the STE. */
struct smmu_xlate_s2 {
	uint64_t ttb;           /* S2TTB */
	unsigned t0sz;
	unsigned sl0;
	unsigned tg;            /* enum smmu_s2tg */
	unsigned ps;            /* S2PS encoding */
	unsigned ps_bits;       /* effective: min(S2PS, OAS) in bits */
	uint16_t vmid;
	bool aa64;
	bool endi;
	bool affd;
	bool ptw;               /* S2PTW: stage-1 walks to Device memory fault */
	bool r, s;              /* S2R, S2S */
	bool ha, hd;
	bool fwb;
};

struct smmu_xlate_cfg {
	enum smmu_xlate_kind kind;
	uint32_t sid;
	bool ssv;               /* the transaction carried a substream */
	uint32_t ssid;          /* CD index used (0 for S1DSS=SSID0 traffic) */
	unsigned eats;          /* enum smmu_eats, 0 when ATS is absent */
	unsigned strw;          /* enum smmu_strw (effective: NSEL1 when unused) */
	bool e2h;               /* CR2.E2H, for EL2 streams */
	/* STE attribute overrides (enum smmu_privcfg/instcfg; INCOMING without ATTR_PERMS_OVR) */
	unsigned privcfg;
	unsigned instcfg;
	bool s1stalld;          /* STE.S1STALLD: stage-1 faults never stall */
	struct smmu_xlate_s1 s1;        /* valid for S1 and NESTED */
	struct smmu_xlate_s2 s2;        /* valid for S2 and NESTED; vmid always */
};

struct smmu_utlb_ticket;

/*
 * Invalidations applied so far.  A transaction reads it before anything
 * else: if it has moved by the time the transaction would cache what it
 * walked (with a configuration it may have read before a CMD_SYNC), it
 * caches nothing.
 */
uint64_t smmu_model_xlate_generation(const struct smmu_model *m);

/*
 * Translate txn with its resolved configuration.  Fills *res (status, pa,
 * event_recorded/event) and returns 0; a negative errno only for a model
 * failure (-ENOMEM).  generation is what smmu_model_xlate_generation()
 * returned when the transaction began.  With a ticket, a translation the
 * IOTLB holds is published to the micro-TLB.
 */
int smmu_model_xlate(struct smmu_model *m, const struct smmu_txn *txn,
		     const struct smmu_xlate_cfg *cfg, uint64_t generation,
		     const struct smmu_utlb_ticket *ticket, struct smmu_txn_result *res);

/*
 * Stage-2 translation of a CD or L1CD fetch at ipa (nested streams): 0 and
 * *pa, or -EIO with evt filled (stage-2 fault, CLASS = CD, IPA = ipa).
 */
int smmu_model_xlate_cd_fetch(struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
			      uint64_t ipa, uint64_t *pa, uint64_t evt[4]);

/* Responses to faults the translation layer raised (PRI_RESP, RESUME, STALL_TERM). */
struct smmu_fault_resp {
	unsigned op;            /* SMMU_CMD_PRI_RESP, _RESUME or _STALL_TERM */
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	unsigned grpid;         /* PRI_RESP: PRG index */
	unsigned resp;          /* PRI_RESP: enum smmu_pri_resp; RESUME: enum smmu_resume_action */
	uint16_t stag;          /* RESUME */
};
void smmu_model_fault_response(struct smmu_model *m, const struct smmu_fault_resp *r);

/* The translation layer's state in struct smmu_model (m->xlate). */
int smmu_model_xlate_init(struct smmu_model *m);
void smmu_model_xlate_fini(struct smmu_model *m);

#endif /* SMMU_MODEL_XLATE_H */
