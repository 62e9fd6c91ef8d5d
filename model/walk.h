/*
 * The AArch64 VMSAv8-64 translation-table walker (stage 1, stage 2, nested).
 *
 * Concepts: a walk turns an input address into an output address, the size
 * and level of the leaf that mapped it, and the permissions that leaf grants
 * (so the IOTLB can cache a translation and check later accesses against it
 * without walking again), or into one fault with its stage, level and class.
 * The walker never touches memory itself: descriptors are fetched and, for
 * hardware Access-flag and dirty-state updates, written back through
 * struct smmu_walk_ops.  A nested walk routes every stage-1 descriptor
 * address through stage 2 that way, and a fetch that fails becomes
 * F_WALK_EABT.  Configurations come already checked (config.c reports
 * ILLEGAL ones as C_BAD_CD / C_BAD_STE); fields hold effective values.
 * Descriptors are 64-bit words as a little-endian load returns them; a
 * big-endian table (CD.ENDI / STE.S2ENDI) is byte-swapped here.
 */
#ifndef SMMU_MODEL_WALK_H
#define SMMU_MODEL_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/arch.h>
#include <smmu/model.h>

enum smmu_fault_type {
	SMMU_FAULT_NONE = 0,
	SMMU_FAULT_TRANSLATION,
	SMMU_FAULT_ADDR_SIZE,
	SMMU_FAULT_ACCESS,
	SMMU_FAULT_PERMISSION,
	SMMU_FAULT_WALK_EABT,
};

/* The event a fault is reported as (0 for SMMU_FAULT_NONE). */
enum smmu_event_id smmu_fault_event_id(enum smmu_fault_type type);

struct smmu_walk_fault {
	enum smmu_fault_type type;
	unsigned stage;            /* 1 or 2 */
	int level;                 /* level of the descriptor that faulted */
	enum smmu_evt_class class; /* what stage 2 was translating: CD, TT, IN */
	uint64_t ipa;              /* stage-2 faults: the IPA being translated */
	uint64_t fetch_addr;       /* F_WALK_EABT: the descriptor's address */
	bool ttrnw;                /* the failed descriptor access was a read */
};

struct smmu_access {
	bool write;
	bool exec;
	bool priv;
};

/*
 * The translation-fault part of an event record (architecture 7.3): type,
 * PnU/InD/RnW, S2, CLASS, TTRnW, input address, and IPA or fetch address.
 * The caller adds SID, SSID, Stall and STAG.
 */
void smmu_fault_event(const struct smmu_walk_fault *f, uint64_t input_addr,
		      struct smmu_access acc, uint64_t evt[SMMU_EVT_DWORDS]);

/* What a translation permits; a leaf's grants are a mask of these. */
enum smmu_perm {
	SMMU_PERM_R_PRIV   = SMMU_MODEL_PERM_R_PRIV,
	SMMU_PERM_W_PRIV   = SMMU_MODEL_PERM_W_PRIV,
	SMMU_PERM_X_PRIV   = SMMU_MODEL_PERM_X_PRIV,
	SMMU_PERM_R_UNPRIV = SMMU_MODEL_PERM_R_UNPRIV,
	SMMU_PERM_W_UNPRIV = SMMU_MODEL_PERM_W_UNPRIV,
	SMMU_PERM_X_UNPRIV = SMMU_MODEL_PERM_X_UNPRIV,
	SMMU_PERM_ALL      = (SMMU_MODEL_PERM_X_UNPRIV << 1) - 1,
	/* An unprivileged bit is its privileged one shifted by this. */
	SMMU_PERM_UNPRIV_SHIFT = SMMU_MODEL_PERM_UNPRIV_SHIFT,
};

/* The one permission bit an access needs. */
static inline unsigned smmu_access_perm(struct smmu_access acc)
{
	unsigned bit = acc.exec ? SMMU_PERM_X_PRIV :
		       acc.write ? SMMU_PERM_W_PRIV : SMMU_PERM_R_PRIV;
	return acc.priv ? bit : bit << SMMU_PERM_UNPRIV_SHIFT;
}

/* A table descriptor a walk read, as a walk cache keeps it. */
struct smmu_walk_table {
	int level;               /* the descriptor's level */
	unsigned span_log2;      /* the input addresses it covers */
	unsigned granule_log2;
	uint64_t next;           /* the next level's table */
	uint64_t attrs;          /* table attributes down to it (SMMU_PTE_TBL_ATTRS) */
};

struct smmu_walk_ops {
	/* 0, or a negative errno for an external abort on the fetch. */
	int (*read_desc)(void *opaque, uint64_t pa, uint64_t *desc);
	/* Only called when HA/HD are enabled; may be NULL otherwise. */
	int (*write_desc)(void *opaque, uint64_t pa, uint64_t desc);
	/*
	 * A walk cache, optional: the deepest table descriptor it holds on
	 * ia's path at this stage for this granule (true), where the walk then
	 * starts; and each table descriptor the walk reads from memory.  A
	 * nested walk calls them for both stages.
	 */
	bool (*cached_table)(void *opaque, unsigned stage, uint64_t ia, unsigned granule_log2,
			     struct smmu_walk_table *t);
	void (*read_table)(void *opaque, unsigned stage, uint64_t ia,
			   const struct smmu_walk_table *t);
	void *opaque;
};

/*
 * The stage-1 translation regime, from the stream's StreamWorld (STE.STRW
 * with CR2.E2H, 5.2): it decides how a leaf's permission bits read.  EL1&0
 * and EL2&0 have two privilege levels (AP[2:1], UXN/PXN, PAN); EL2 has one
 * (AP[2] and XN only) and treats every access as privileged.
 */
enum smmu_s1_regime {
	SMMU_S1_EL1_0 = 0,
	SMMU_S1_EL2,             /* StreamWorld NS-EL2: CR2.E2H = 0 */
	SMMU_S1_EL2_0,           /* StreamWorld NS-EL2-E2H */
};

/* The regime of an effective STRW (enum smmu_strw) and CR2.E2H. */
static inline enum smmu_s1_regime smmu_s1_regime(unsigned strw, bool e2h)
{
	if (strw != SMMU_STRW_EL2)
		return SMMU_S1_EL1_0;
	return e2h ? SMMU_S1_EL2_0 : SMMU_S1_EL2;
}

struct smmu_s1_cfg {
	enum smmu_s1_regime regime;
	uint64_t ttb[2];
	unsigned tsz[2];
	unsigned granule_log2[2];
	bool epd[2];
	bool had[2];             /* hierarchical attributes disabled */
	bool tbi[2];
	unsigned ips_bits;       /* effective: min(CD.IPS, OAS) */
	bool big_endian;
	bool affd, ha, hd;
	bool wxn, pan;
	uint64_t mair;
};

struct smmu_s2_cfg {
	uint64_t ttb;
	unsigned tsz;
	unsigned granule_log2;
	int start_level;
	unsigned ps_bits;        /* effective: min(STE.S2PS, OAS) */
	bool big_endian;
	bool affd, ha, hd;
	bool ptw;                /* S2PTW: table walks to Device memory fault */
	bool xnx;
};

struct smmu_walk_result {
	uint64_t oa;             /* output address of the input address */
	uint64_t ipa;            /* stage 1's output (a PA without stage 2), or
				    the input of a stage-2-only walk */
	unsigned size_log2;      /* size of the block or page that mapped it */
	int level;               /* level of that leaf (stage 1 when nested) */
	unsigned granule_log2;
	unsigned perms;          /* enum smmu_perm mask the translation grants */
	bool global;             /* stage 1 nG == 0 (always true for stage 2) */
	uint8_t memattr;         /* stage 1: MAIR byte; stage 2: MemAttr */
	bool walk_cached;        /* it started from a walk-cache table descriptor */
	struct smmu_walk_fault fault;
};

/*
 * Granule size (log2) of a CD.TG0 (same code points as STE.S2TG) or CD.TG1
 * encoding; 0 for a Reserved one.
 */
unsigned smmu_tg0_log2(unsigned tg);
unsigned smmu_tg1_log2(unsigned tg);

/*
 * Each walk returns res->fault.type: SMMU_FAULT_NONE with the translation
 * in *res, or the fault.  Stage-2 faults carry class IN; a caller that
 * translates a CD or descriptor address sets the class itself.
 */
enum smmu_fault_type smmu_walk_s1(const struct smmu_s1_cfg *cfg,
				  const struct smmu_walk_ops *ops, uint64_t va,
				  struct smmu_access acc, struct smmu_walk_result *res);
enum smmu_fault_type smmu_walk_s2(const struct smmu_s2_cfg *cfg,
				  const struct smmu_walk_ops *ops, uint64_t ipa,
				  struct smmu_access acc, struct smmu_walk_result *res);
/* Stage 1 whose descriptor fetches and output go through stage 2. */
enum smmu_fault_type smmu_walk_nested(const struct smmu_s1_cfg *s1,
				      const struct smmu_s2_cfg *s2,
				      const struct smmu_walk_ops *ops, uint64_t va,
				      struct smmu_access acc,
				      struct smmu_walk_result *res);

#endif /* SMMU_MODEL_WALK_H */
