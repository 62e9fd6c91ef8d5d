/*
 * The translation layer: IOTLB lookups, table walks, faults, invalidation
 * completion and the coherency oracle.
 *
 * Concepts: translate.c hands over a transaction with its resolved
 * configuration.  The IOTLB is probed with the stream's tag (kind, VMID,
 * ASID); a hit whose permissions cover the access is the answer.  A miss
 * walks the tables (walk.c) through device-side memory accesses and caches
 * the leaf, unless an invalidation was applied since the transaction
 * began (the generation count moved), which is how a TLBI + CMD_SYNC also
 * covers transactions in flight, configuration fetch included.  A fault becomes its event record (7.3) and terminates,
 * stalls or completes RAZ/WI as the stage's A/R/S flags say (5.5).  In
 * weakest-legal mode TLBIs wait in the IOTLB until the next CMD_SYNC.
 * With check_coherency every hit is compared with a side-effect-free walk
 * of the current tables; a cached translation the tables no longer give
 * is a violation, counted and reported.  Locking: one spinlock guards the
 * IOTLB and is never held across a memory access or an event write, so
 * translations run alongside command execution (model_internal.h).  A
 * CMD_SYNC waits for the walks that began before it to end: after it the
 * driver may free the tables they read.
 */
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "iotlb.h"
#include "model_internal.h"
#include "tlb.h"
#include "utlb.h"
#include "walk.h"
#include "wcache.h"
#include "xlate.h"

_Static_assert((int)SMMU_MODEL_TAG_S1 == (int)SMMU_IOTLB_S1 &&
	       (int)SMMU_MODEL_TAG_S2 == (int)SMMU_IOTLB_S2 &&
	       (int)SMMU_MODEL_TAG_NESTED == (int)SMMU_IOTLB_NESTED &&
	       (int)SMMU_MODEL_TAG_EL2 == (int)SMMU_IOTLB_EL2,
	       "public tag kinds mirror the IOTLB's");

#define IOTLB_DEFAULT_CAPACITY      4096u
#define IOTLB_WEAKEST_CAPACITY      (1u << 16)
/* Table descriptors: a few per megabyte of translations. */
#define WCACHE_CAPACITY             4096u
/* Stalls and page request groups are kept in arrays that start this big. */
#define LIST_MIN_CAP                16u
/* Outstanding stalls: as many as STAGs can name. */
#define STALLS_MAX                  (UINT16_MAX + 1u)

/* A stalled transaction, until its device collects the answer. */
struct stall {
	uint32_t sid;
	uint16_t stag;
	enum smmu_stall_state state;
};

/* A page request group whose last request reached the PRI queue. */
struct prg {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	uint16_t grpid;
	int resp;                       /* enum smmu_pri_resp, or -EAGAIN */
};

struct smmu_xlate_state {
	atomic_flag lock;
	struct smmu_iotlb *iotlb;
	struct smmu_iotlb *wcache;      /* weakest-legal mode's walk cache */
	uint64_t generation;            /* invalidations applied so far (atomic) */
	/*
	 * Walks in flight, by the parity of the CMD_SYNCs seen when each
	 * began: a sync waits for those that began before it.
	 */
	uint64_t syncs;
	uint32_t walking[2];
	uint16_t next_stag;
	struct stall *stalls;           /* outstanding and answered stalls */
	size_t nstalls, stalls_cap;
	struct prg *prgs;               /* outstanding and answered page requests */
	size_t nprgs, prgs_cap;
	/* Tag widths, from the ID registers: 8 or 16 bits; VMID 0 without S2. */
	uint16_t asid_mask, vmid_mask;
	smmu_model_coherency_fn coherency_fn;
	void *coherency_opaque;
};

static void xlate_lock(struct smmu_xlate_state *x)
{
	while (atomic_flag_test_and_set_explicit(&x->lock, memory_order_acquire))
		;
}

static void xlate_unlock(struct smmu_xlate_state *x)
{
	atomic_flag_clear_explicit(&x->lock, memory_order_release);
}

int smmu_model_xlate_init(struct smmu_model *m)
{
	size_t cap = m->cfg.iotlb_capacity ? m->cfg.iotlb_capacity :
		     m->cfg.weakest_legal ? IOTLB_WEAKEST_CAPACITY : IOTLB_DEFAULT_CAPACITY;
	struct smmu_xlate_state *x = calloc(1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	atomic_flag_clear(&x->lock);
	x->iotlb = smmu_iotlb_new(cap);
	if (!x->iotlb) {
		free(x);
		return errno == EINVAL ? -EINVAL : -ENOMEM;
	}
	if (m->cfg.weakest_legal)
		x->wcache = smmu_iotlb_new(WCACHE_CAPACITY);
	if ((m->cfg.weakest_legal && !x->wcache) || smmu_utlb_new(m, cap)) {
		smmu_iotlb_free(x->wcache);
		smmu_iotlb_free(x->iotlb);
		free(x);
		return -ENOMEM;
	}
	x->asid_mask = m->cfg.asid16 ? UINT16_MAX : UINT8_MAX;
	/* VMIDs tag stage-1 entries only when stage 2 exists. */
	x->vmid_mask = !m->cfg.stage2 ? 0 : m->cfg.vmid16 ? UINT16_MAX : UINT8_MAX;
	m->xlate = x;
	return 0;
}

void smmu_model_xlate_fini(struct smmu_model *m)
{
	if (!m->xlate)
		return;
	smmu_utlb_free(m);
	smmu_iotlb_free(m->xlate->wcache);
	smmu_iotlb_free(m->xlate->iotlb);
	free(m->xlate->stalls);
	free(m->xlate->prgs);
	free(m->xlate);
	m->xlate = NULL;
}

/* ---- configuration for the walker ---------------------------------- */

static void s1_walk_cfg(const struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
			struct smmu_s1_cfg *c)
{
	const struct smmu_xlate_s1 *s1 = &cfg->s1;
	uint64_t tbi = SMMU_FIELD_PREP(SMMU_CD0_TBI, s1->tbi);

	*c = (struct smmu_s1_cfg){
		.regime = smmu_s1_regime(cfg->strw, cfg->e2h),
		.ttb = { s1->ttb[0], s1->ttb[1] },
		.tsz = { s1->tsz[0], s1->tsz[1] },
		.granule_log2 = { smmu_tg0_log2(s1->tg[0]), smmu_tg1_log2(s1->tg[1]) },
		.epd = { s1->epd[0], s1->epd[1] },
		.tbi = { tbi & SMMU_CD0_TBI0, tbi & SMMU_CD0_TBI1 },
		.ips_bits = s1->ips_bits,
		.big_endian = s1->endi,
		.affd = s1->affd,
		.ha = s1->ha && m->cfg.httu >= SMMU_HTTU_HA,
		.hd = s1->ha && s1->hd && m->cfg.httu >= SMMU_HTTU_HA_HD,
		.wxn = s1->wxn,
		.pan = s1->pan,
		.mair = s1->mair,
	};
}

static void s2_walk_cfg(const struct smmu_model *m, const struct smmu_xlate_s2 *s2,
			struct smmu_s2_cfg *c)
{
	unsigned g = smmu_tg0_log2(s2->tg);

	*c = (struct smmu_s2_cfg){
		.ttb = s2->ttb,
		.tsz = s2->t0sz,
		.granule_log2 = g,
		.start_level = smmu_s2sl0_decode(g, s2->sl0),
		.ps_bits = s2->ps_bits,
		.big_endian = s2->endi,
		.affd = s2->affd,
		.ha = s2->ha && m->cfg.httu >= SMMU_HTTU_HA,
		.hd = s2->ha && s2->hd && m->cfg.httu >= SMMU_HTTU_HA_HD,
		.ptw = s2->ptw,
	};
}

/* A walk that may start from the walk cache and fill it: tagged, and dated. */
struct walk_cache_use {
	struct smmu_iotlb_tag tag;
	bool global;
	uint64_t generation;            /* invalidations applied when it began */
};

/* What the walker's callbacks are given. */
struct walk_ctx {
	struct smmu_model *m;
	const struct walk_cache_use *cache;
};

/* Descriptor accesses go through the model's device-side memory port. */
static int read_desc(void *opaque, uint64_t pa, uint64_t *desc)
{
	return smmu_model_read64(((const struct walk_ctx *)opaque)->m, pa, desc);
}

static int write_desc(void *opaque, uint64_t pa, uint64_t desc)
{
	return smmu_model_write64(((const struct walk_ctx *)opaque)->m, pa, desc);
}

/* The oracle's walks must not change memory: updates are dropped. */
static int discard_desc(void *opaque, uint64_t pa, uint64_t desc)
{
	(void)opaque;
	(void)pa;
	(void)desc;
	return 0;
}

/*
 * The tag a stage's table descriptors are kept under: the stream's for
 * its first stage (stage-1, EL2 or nested kind), and the stage-2 one of
 * its VMID for stage 2, whatever walked it.
 */
static struct smmu_iotlb_tag table_tag(const struct walk_cache_use *c, unsigned stage)
{
	if (stage == 1)
		return c->tag;
	return (struct smmu_iotlb_tag){ .kind = SMMU_IOTLB_S2, .vmid = c->tag.vmid };
}

static bool cached_table(void *opaque, unsigned stage, uint64_t ia, unsigned granule_log2,
			 struct smmu_walk_table *t)
{
	const struct walk_ctx *w = opaque;
	struct smmu_xlate_state *x = w->m->xlate;
	struct smmu_iotlb_tag tag = table_tag(w->cache, stage);
	bool hit;

	xlate_lock(x);
	hit = smmu_wcache_lookup(x->wcache, &tag, ia, granule_log2, t);
	xlate_unlock(x);
	return hit;
}

/* Not kept if an invalidation was applied since the walk began: it may cover it. */
static void read_table(void *opaque, unsigned stage, uint64_t ia,
		       const struct smmu_walk_table *t)
{
	const struct walk_ctx *w = opaque;
	struct smmu_xlate_state *x = w->m->xlate;
	struct smmu_iotlb_tag tag = table_tag(w->cache, stage);

	xlate_lock(x);
	if (smmu_model_xlate_generation(w->m) == w->cache->generation)
		smmu_wcache_insert(x->wcache, &tag, stage == 1 && w->cache->global, ia, t);
	xlate_unlock(x);
}

/* A walk reads tables from here to walk_end(): a CMD_SYNC waits for it. */
static unsigned walk_begin(struct smmu_xlate_state *x)
{
	unsigned slot;

	xlate_lock(x);
	slot = x->syncs & 1u;
	x->walking[slot]++;
	xlate_unlock(x);
	return slot;
}

static void walk_end(struct smmu_xlate_state *x, unsigned slot)
{
	xlate_lock(x);
	x->walking[slot]--;
	xlate_unlock(x);
}

/*
 * A CMD_SYNC completes the invalidations before it, and so the walks that
 * began before it, which may be reading tables the driver frees once it
 * sees the sync.  Walks that begin meanwhile count in the other slot.
 */
static void wait_for_walks(struct smmu_model *m)
{
	struct smmu_xlate_state *x = m->xlate;
	unsigned slot;
	bool done;

	xlate_lock(x);
	slot = x->syncs++ & 1u;
	done = !x->walking[slot];
	xlate_unlock(x);
	if (!done)
		SMMU_MODEL_COUNT(m, syncs_waiting_for_walks);
	while (!done) {
		sched_yield();
		xlate_lock(x);
		done = !x->walking[slot];
		xlate_unlock(x);
	}
}

static enum smmu_fault_type walk(struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
				 bool side_effects, const struct walk_cache_use *cache,
				 uint64_t iova, struct smmu_access acc, struct smmu_walk_result *r)
{
	struct walk_ctx ctx = { .m = m, .cache = cache };
	struct smmu_walk_ops ops = {
		.read_desc = read_desc, .opaque = &ctx,
		.write_desc = side_effects ? write_desc : discard_desc,
	};
	struct smmu_s1_cfg s1;
	struct smmu_s2_cfg s2;
	enum smmu_fault_type f;
	unsigned slot;

	/* Only translations' own walks pass a cache; the oracle's look at memory only. */
	if (cache && m->xlate->wcache) {
		ops.cached_table = cached_table;
		ops.read_table = read_table;
	}
	if (!side_effects)
		SMMU_MODEL_COUNT(m, oracle_walks);
	else
		SMMU_MODEL_COUNT(m, walks);
	if (cfg->kind != SMMU_XLATE_S2)
		s1_walk_cfg(m, cfg, &s1);
	if (cfg->kind != SMMU_XLATE_S1)
		s2_walk_cfg(m, &cfg->s2, &s2);
	slot = walk_begin(m->xlate);
	switch (cfg->kind) {
	case SMMU_XLATE_S1:
		f = smmu_walk_s1(&s1, &ops, iova, acc, r);
		break;
	case SMMU_XLATE_S2:
		f = smmu_walk_s2(&s2, &ops, iova, acc, r);
		break;
	default:
		f = smmu_walk_nested(&s1, &s2, &ops, iova, acc, r);
		break;
	}
	walk_end(m->xlate, slot);
	if (r->walk_cached)
		SMMU_MODEL_COUNT(m, walk_cache_hits);
	return f;
}

/* ---- tags ------------------------------------------------------------ */

static struct smmu_iotlb_tag stream_tag(const struct smmu_xlate_state *x,
					const struct smmu_xlate_cfg *cfg)
{
	static const enum smmu_iotlb_kind kinds[] = {
		[SMMU_XLATE_S1] = SMMU_IOTLB_S1,
		[SMMU_XLATE_S2] = SMMU_IOTLB_S2,
		[SMMU_XLATE_NESTED] = SMMU_IOTLB_NESTED,
	};
	struct smmu_iotlb_tag tag = {
		.kind = cfg->strw == SMMU_STRW_EL2 && cfg->kind == SMMU_XLATE_S1 ?
			SMMU_IOTLB_EL2 : kinds[cfg->kind],
		.vmid = cfg->s2.vmid & x->vmid_mask,
		.asid = cfg->s1.asid & x->asid_mask,
	};
	return tag;
}

/* EL2 without E2H has one VA range and no ASIDs: every entry is global. */
static bool entries_global(const struct smmu_xlate_cfg *cfg)
{
	return cfg->strw == SMMU_STRW_EL2 && !cfg->e2h;
}

/*
 * The access the permission checks see: the incoming attributes with the
 * STE's PRIVCFG and INSTCFG overrides (Reserved 0b01 and, without
 * ATTR_PERMS_OVR, every value act as "use incoming").  INSTCFG affects
 * reads only: writes are always data.
 */
static struct smmu_access stream_access(const struct smmu_xlate_cfg *cfg,
					struct smmu_access in)
{
	struct smmu_access acc = in;

	if (cfg->privcfg == SMMU_PRIVCFG_UNPRIV || cfg->privcfg == SMMU_PRIVCFG_PRIV)
		acc.priv = cfg->privcfg == SMMU_PRIVCFG_PRIV;
	if (!in.write && (cfg->instcfg == SMMU_INSTCFG_DATA ||
			  cfg->instcfg == SMMU_INSTCFG_INSTR))
		acc.exec = cfg->instcfg == SMMU_INSTCFG_INSTR;
	return acc;
}

static struct smmu_access txn_access(const struct smmu_txn *txn, const struct smmu_xlate_cfg *cfg)
{
	return stream_access(cfg, (struct smmu_access){ .write = txn->write, .exec = txn->exec,
							.priv = txn->priv });
}

/* The incoming accesses (micro-TLB map) that perms allow once overridden. */
static unsigned allowed_accesses(const struct smmu_xlate_cfg *cfg, unsigned perms)
{
	unsigned map = 0;

	for (unsigned i = 0; i < SMMU_UTLB_ACCESSES; i++)
		if (perms & smmu_access_perm(stream_access(cfg, smmu_utlb_access_of(i))))
			map |= 1u << i;
	return map;
}

/* ---- trace --------------------------------------------------------------- */

/* One SMMU_MODEL_TRACE_XLATE record; callers check m->cfg.trace first. */
static void trace_xlate(struct smmu_model *m, const struct smmu_txn *txn,
			const struct smmu_xlate_cfg *cfg, const struct smmu_txn_result *res,
			bool hit)
{
	uint64_t dw[4] = {
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_SID, cfg->sid) |
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_SSID, cfg->ssid) |
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_SSV, cfg->ssv),
		txn->iova,
		res->status == SMMU_TXN_OK ? res->pa : 0,
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_STATUS, res->status) |
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_HIT, hit) |
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_WRITE, txn->write) |
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_EXEC, txn->exec) |
		SMMU_FIELD_PREP(SMMU_MODEL_TRACE_XLATE_PRIV, txn->priv),
	};

	smmu_model_trace(m, SMMU_MODEL_TRACE_XLATE, dw, sizeof(dw) / sizeof(dw[0]));
}

/* ---- faults ------------------------------------------------------------ */

static void count_fault(struct smmu_model *m, enum smmu_fault_type type)
{
	switch (type) {
	case SMMU_FAULT_TRANSLATION: SMMU_MODEL_COUNT(m, f_translation); break;
	case SMMU_FAULT_ADDR_SIZE:   SMMU_MODEL_COUNT(m, f_addr_size); break;
	case SMMU_FAULT_ACCESS:      SMMU_MODEL_COUNT(m, f_access); break;
	case SMMU_FAULT_PERMISSION:  SMMU_MODEL_COUNT(m, f_permission); break;
	default:                     SMMU_MODEL_COUNT(m, f_walk_eabt); break;
	}
}

/* Only these four follow the A/R/S flags; anything else aborts and records. */
static bool translation_related(enum smmu_fault_type type)
{
	return type != SMMU_FAULT_WALK_EABT;
}

static bool stag_in_use(const struct smmu_xlate_state *x, uint16_t stag)
{
	for (size_t i = 0; i < x->nstalls; i++)
		if (x->stalls[i].stag == stag)
			return true;
	return false;
}

/*
 * Remember a stalled transaction and give it a tag unused by the stalls
 * still outstanding; false (terminate instead) if there is no room.
 */
static bool stall_add(struct smmu_xlate_state *x, uint32_t sid, uint16_t *stag)
{
	bool ok = true;

	xlate_lock(x);
	if (x->nstalls == x->stalls_cap) {
		size_t cap = x->stalls_cap ? x->stalls_cap * 2 : LIST_MIN_CAP;
		struct stall *s = cap <= STALLS_MAX ? realloc(x->stalls, cap * sizeof(*s)) : NULL;
		ok = s != NULL;
		if (ok) {
			x->stalls = s;
			x->stalls_cap = cap;
		}
	}
	while (ok && stag_in_use(x, x->next_stag))
		x->next_stag++;
	if (ok) {
		*stag = x->next_stag++;
		x->stalls[x->nstalls++] = (struct stall){ sid, *stag, SMMU_STALL_PENDING };
	}
	xlate_unlock(x);
	return ok;
}

static void stall_resolve(struct smmu_xlate_state *x, const struct smmu_fault_resp *r)
{
	bool retry = r->op == SMMU_CMD_RESUME && r->resp == SMMU_RESUME_RETRY;

	xlate_lock(x);
	for (size_t i = 0; i < x->nstalls; i++) {
		struct stall *s = &x->stalls[i];
		if (s->sid != r->sid || s->state != SMMU_STALL_PENDING ||
		    (r->op == SMMU_CMD_RESUME && s->stag != r->stag))
			continue;
		s->state = retry ? SMMU_STALL_RETRY : SMMU_STALL_TERMINATED;
	}
	xlate_unlock(x);
}

int smmu_model_stall_state(struct smmu_model *m, uint32_t sid, uint16_t stag)
{
	struct smmu_xlate_state *x;
	int state = -ENOENT;

	if (!m)
		return -EINVAL;
	x = m->xlate;
	xlate_lock(x);
	for (size_t i = 0; i < x->nstalls; i++) {
		if (x->stalls[i].sid != sid || x->stalls[i].stag != stag)
			continue;
		state = (int)x->stalls[i].state;
		if (state != SMMU_STALL_PENDING)
			x->stalls[i] = x->stalls[--x->nstalls];
		break;
	}
	xlate_unlock(x);
	return state;
}

static void fault_result(struct smmu_model *m, const struct smmu_txn *txn,
			 const struct smmu_xlate_cfg *cfg, const struct smmu_walk_fault *f,
			 struct smmu_txn_result *res)
{
	struct smmu_stream_id who = { cfg->sid, cfg->ssv, cfg->ssid };
	bool s2 = f->stage == 2, related = translation_related(f->type);
	bool stall = related && (s2 ? cfg->s2.s : cfg->s1.s);
	bool record = !related || stall || (s2 ? cfg->s2.r : cfg->s1.r);
	bool abort = !related || s2 || cfg->s1.a;

	count_fault(m, f->type);
	smmu_fault_event(f, txn->iova, txn_access(txn, cfg), res->event);
	res->event[0] |= smmu_evt0(0, &who);
	if (stall && stall_add(m->xlate, cfg->sid, &res->stag)) {
		res->event[1] |= SMMU_EVT1_STALL | SMMU_FIELD_PREP(SMMU_EVT1_STAG, res->stag);
		res->status = SMMU_TXN_STALLED;
		SMMU_MODEL_COUNT(m, stalls);
	} else if (abort || stall) {
		res->status = SMMU_TXN_ABORT;
		SMMU_MODEL_COUNT(m, translation_aborts);
	} else {
		res->status = SMMU_TXN_RAZ_WI;
	}
	if (record)
		res->event_recorded = smmu_model_record_event(m, res->event);
}

/* ---- translation --------------------------------------------------------- */

/* What a cached entry answers for txn: false when it does not allow the access. */
static bool entry_answers(const struct smmu_iotlb_entry *e, const struct smmu_txn *txn,
			  const struct smmu_xlate_cfg *cfg, uint64_t *pa, unsigned *perms)
{
	if (!e || !(e->perms & smmu_access_perm(txn_access(txn, cfg))))
		return false;
	*pa = e->oa | (txn->iova & ((UINT64_C(1) << e->size_log2) - 1));
	*perms = e->perms;
	return true;
}

static void coherency_violation(struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
				const struct smmu_iotlb_tag *tag, const struct smmu_txn *txn,
				uint64_t pa, unsigned perms, const struct smmu_walk_result *r)
{
	struct smmu_xlate_state *x = m->xlate;
	struct smmu_model_coherency_report rep = {
		.sid = cfg->sid, .ssv = cfg->ssv, .ssid = cfg->ssid,
		.tag_kind = (enum smmu_model_tag_kind)tag->kind, .vmid = tag->vmid, .asid = tag->asid,
		.iova = txn->iova, .cached_pa = pa, .cached_perms = perms,
		.fresh_event = smmu_fault_event_id(r->fault.type),
	};
	smmu_model_coherency_fn fn;
	void *opaque;

	if (r->fault.type == SMMU_FAULT_NONE) {
		rep.fresh_pa = r->oa;
		rep.fresh_perms = r->perms;
	}
	SMMU_MODEL_COUNT(m, coherency_violations);
	xlate_lock(x);
	fn = x->coherency_fn;
	opaque = x->coherency_opaque;
	xlate_unlock(x);
	if (fn)
		fn(opaque, &rep);
}

/* A cached translation must still be what the tables give (and no more). */
static void check_coherency(struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
			    const struct smmu_iotlb_tag *tag, const struct smmu_txn *txn,
			    uint64_t pa, unsigned perms)
{
	struct smmu_walk_result r = { 0 };

	if (walk(m, cfg, false, NULL, txn->iova, txn_access(txn, cfg), &r) == SMMU_FAULT_NONE &&
	    r.oa == pa && !(perms & ~r.perms))
		return;
	coherency_violation(m, cfg, tag, txn, pa, perms, &r);
}

static void walk_and_fill(struct smmu_model *m, const struct smmu_txn *txn,
			 const struct smmu_xlate_cfg *cfg, const struct smmu_iotlb_tag *tag,
			 uint64_t generation, const struct smmu_utlb_ticket *ticket,
			 struct smmu_txn_result *res)
{
	struct smmu_xlate_state *x = m->xlate;
	const struct smmu_iotlb_stats *st = smmu_iotlb_stats(x->iotlb);
	struct smmu_walk_result r;
	uint64_t evicted = 0, overlaps = 0, pa = 0;
	unsigned perms = 0;
	bool cached = false;

	const struct walk_cache_use cache = {
		.tag = *tag, .global = entries_global(cfg), .generation = generation,
	};

	if (walk(m, cfg, true, &cache, txn->iova, txn_access(txn, cfg), &r) != SMMU_FAULT_NONE) {
		fault_result(m, txn, cfg, &r.fault, res);
		return;
	}
	/* A walk that began at a cached table is a cached answer too. */
	if (r.walk_cached && m->cfg.check_coherency)
		check_coherency(m, cfg, tag, txn, r.oa, r.perms);
	struct smmu_iotlb_fill fill = {
		.ia = txn->iova, .oa = r.oa, .size_log2 = r.size_log2, .level = (unsigned)r.level,
		.granule_log2 = r.granule_log2, .perms = r.perms, .memattr = r.memattr,
		.global = r.global || entries_global(cfg),
	};
	xlate_lock(x);
	/* An invalidation applied during the walk may cover what it read. */
	if (smmu_model_xlate_generation(m) == generation) {
		evicted = st->evictions;
		overlaps = st->overlaps;
		cached = !smmu_iotlb_insert(x->iotlb, tag, &fill);
		evicted = st->evictions - evicted;
		overlaps = st->overlaps - overlaps;
		/*
		 * What a hit would now answer (the new entry, unless an older
		 * one for the address is found first) is what may be published;
		 * looked for only when a publication can still land (an eviction
		 * or overlap is about to void the epoch).
		 */
		cached = cached && !evicted && !overlaps && smmu_utlb_may_publish(m->utlb, ticket) &&
			 entry_answers(smmu_iotlb_peek(x->iotlb, tag, txn->iova), txn, cfg,
				       &pa, &perms);
	}
	xlate_unlock(x);
	/*
	 * The micro-TLB may hold a copy of what was evicted, overwritten or
	 * is now found after the new entry.
	 */
	if (evicted || overlaps)
		smmu_utlb_bump(m);
	if (evicted)
		SMMU_MODEL_COUNT_N(m, iotlb_evictions, evicted);
	res->status = SMMU_TXN_OK;
	res->pa = r.oa;
	/* Only what the IOTLB holds: a walk a TLBI overtook is not cached. */
	if (cached)
		smmu_utlb_publish(m, ticket, txn, pa, allowed_accesses(cfg, perms));
}

/* ---- ATS Translation Requests (3.9.1) ------------------------------------ */

static void bad_ats_request(struct smmu_model *m, const struct smmu_txn *txn,
			    const struct smmu_xlate_cfg *cfg, struct smmu_txn_result *res)
{
	struct smmu_stream_id who = { cfg->sid, cfg->ssv, cfg->ssid };

	res->event[0] = smmu_evt0(SMMU_EVT_F_BAD_ATS_TREQ, &who);
	res->event[1] = SMMU_FIELD_PREP(SMMU_EVT1_PNU, txn->priv) |
			SMMU_FIELD_PREP(SMMU_EVT1_IND, txn->exec && !txn->write) |
			SMMU_FIELD_PREP(SMMU_EVT1_RNW, !txn->write);
	res->event[2] = txn->iova;
	res->status = SMMU_TXN_ABORT;
	res->event_recorded = smmu_model_record_event(m, res->event);
}

/*
 * Answer from the tables (never the IOTLB: a walk is always a legal
 * answer, and it performs the Access-flag and dirty updates the request
 * implies).  A write the page does not allow still gets what the page
 * grants; a fault gets the negative answer, and no event is recorded.
 * Split-stage ATS walks both stages like full ATS (permissions and size
 * are the combined ones, stage-2 faults answer negatively) but answers
 * with the IPA (13.6.3; the input itself when S1DSS skips stage 1, 13.6.5).
 */
static void ats_request(struct smmu_model *m, const struct smmu_txn *txn,
			const struct smmu_xlate_cfg *cfg, struct smmu_txn_result *res)
{
	struct smmu_access acc = txn_access(txn, cfg);
	struct smmu_walk_result r;
	enum smmu_fault_type f;

	if (cfg->eats == SMMU_EATS_ABT) {
		bad_ats_request(m, txn, cfg, res);
		return;
	}
	res->status = SMMU_TXN_OK;
	if (cfg->kind == SMMU_XLATE_BYPASS) {
		res->pa = txn->iova;
		res->ats_perms = SMMU_PERM_ALL;
		res->ats_size_log2 = SMMU_GRANULE_4K_LOG2;
		return;
	}
	f = walk(m, cfg, true, NULL, txn->iova, acc, &r);
	if (f == SMMU_FAULT_PERMISSION && acc.write) {
		acc.write = false;
		f = walk(m, cfg, true, NULL, txn->iova, acc, &r);
	}
	if (f == SMMU_FAULT_WALK_EABT) {
		res->status = SMMU_TXN_ABORT;
		return;
	}
	if (f != SMMU_FAULT_NONE)
		return;
	/* Split-stage (13.6.3): the IPA; stage 2 translates each Translated access. */
	res->pa = cfg->eats == SMMU_EATS_S1CHK ? r.ipa : r.oa;
	res->ats_perms = r.perms;
	res->ats_size_log2 = r.size_log2;
}

uint64_t smmu_model_xlate_generation(const struct smmu_model *m)
{
	return __atomic_load_n(&m->xlate->generation, __ATOMIC_ACQUIRE);
}

/* Under the lock: walks and fills that began before it cache nothing. */
static void new_generation(struct smmu_xlate_state *x)
{
	__atomic_fetch_add(&x->generation, 1, __ATOMIC_RELEASE);
}

int smmu_model_xlate(struct smmu_model *m, const struct smmu_txn *txn,
		     const struct smmu_xlate_cfg *cfg, uint64_t generation,
		     const struct smmu_utlb_ticket *ticket, struct smmu_txn_result *res)
{
	struct smmu_xlate_state *x = m->xlate;
	const struct smmu_iotlb_entry *e;
	struct smmu_iotlb_tag tag;
	uint64_t pa;
	unsigned perms;

	if (txn->ats_request) {
		ats_request(m, txn, cfg, res);
		return 0;
	}
	if (cfg->kind == SMMU_XLATE_BYPASS) {
		res->status = SMMU_TXN_OK;
		res->pa = txn->iova;
		return 0;
	}
	tag = stream_tag(x, cfg);
	xlate_lock(x);
	e = smmu_iotlb_lookup(x->iotlb, &tag, txn->iova);
	if (entry_answers(e, txn, cfg, &pa, &perms)) {
		xlate_unlock(x);
		SMMU_MODEL_COUNT(m, iotlb_hits);
		if (m->cfg.check_coherency)
			check_coherency(m, cfg, &tag, txn, pa, perms);
		res->status = SMMU_TXN_OK;
		res->pa = pa;
		if (m->cfg.trace)
			trace_xlate(m, txn, cfg, res, true);
		if (smmu_utlb_may_publish(m->utlb, ticket))
			smmu_utlb_publish(m, ticket, txn, pa, allowed_accesses(cfg, perms));
		return 0;
	}
	xlate_unlock(x);
	SMMU_MODEL_COUNT(m, iotlb_misses);
	walk_and_fill(m, txn, cfg, &tag, generation, ticket, res);
	if (m->cfg.trace)
		trace_xlate(m, txn, cfg, res, false);
	return 0;
}

int smmu_model_xlate_cd_fetch(struct smmu_model *m, const struct smmu_xlate_cfg *cfg,
			      uint64_t ipa, uint64_t *pa, uint64_t evt[4])
{
	struct smmu_stream_id who = { cfg->sid, cfg->ssv, cfg->ssid };
	struct walk_ctx ctx = { .m = m };
	struct smmu_walk_ops ops = { .read_desc = read_desc, .write_desc = write_desc,
				     .opaque = &ctx };
	/* A data read; the record cannot describe the transaction it serves. */
	const struct smmu_access acc = { 0 };
	struct smmu_walk_result r;
	struct smmu_s2_cfg s2;

	enum smmu_fault_type f;
	unsigned slot;

	s2_walk_cfg(m, &cfg->s2, &s2);
	SMMU_MODEL_COUNT(m, walks);
	slot = walk_begin(m->xlate);
	f = smmu_walk_s2(&s2, &ops, ipa, acc, &r);
	walk_end(m->xlate, slot);
	if (f == SMMU_FAULT_NONE) {
		*pa = r.oa;
		return 0;
	}
	count_fault(m, r.fault.type);
	r.fault.class = SMMU_EVT_CLASS_CD;
	smmu_fault_event(&r.fault, 0, acc, evt);
	evt[0] |= smmu_evt0(0, &who);
	return -EIO;
}

/* ---- invalidation -------------------------------------------------------- */

/* Entries the IOTLB removed since *before, into the model's counters. */
static void count_invalidated(struct smmu_model *m, const struct smmu_iotlb_stats *before,
			      const struct smmu_iotlb_stats *after)
{
	SMMU_MODEL_COUNT_N(m, iotlb_invalidated, after->invalidated - before->invalidated);
	for (unsigned op = 0; op < SMMU_CMD_IMPDEF_FIRST; op++)
		if (after->invalidated_by_op[op] != before->invalidated_by_op[op])
			SMMU_MODEL_COUNT_N(m, iotlb_invalidated_by_op[op],
					   after->invalidated_by_op[op] -
					   before->invalidated_by_op[op]);
}

/* ATC_INV becomes an ATS Invalidate Request to the device's ATC. */
static void atc_invalidate(struct smmu_model *m, const struct smmu_tlbi *req)
{
	unsigned span = SMMU_ATC_INV_PAGE_LOG2 + req->size;
	struct smmu_model_atc_inv inv = {
		.sid = req->sid, .ssv = req->ssv, .ssid = req->ssid, .global = req->global,
		.span_log2 = span < 64 ? span : 64,
		.addr = span < 64 ? req->addr & (~UINT64_C(0) << span) : 0,
	};

	if (m->cfg.atc_invalidate)
		m->cfg.atc_invalidate(m->cfg.atc_invalidate_opaque, &inv);
}

/* n entries removed by one TLBI of opcode op, into the model's counters. */
static void count_removed(struct smmu_model *m, unsigned op, size_t n)
{
	if (!n)
		return;
	SMMU_MODEL_COUNT_N(m, iotlb_invalidated, n);
	SMMU_MODEL_COUNT_N(m, iotlb_invalidated_by_op[op], n);
}

void smmu_model_tlb_invalidate(struct smmu_model *m, const struct smmu_tlbi *req)
{
	struct smmu_xlate_state *x = m->xlate;
	struct smmu_tlbi r = *req, w;
	size_t removed = 0;

	if (req->op == SMMU_CMD_ATC_INV) {
		atc_invalidate(m, req);
		return;
	}
	/* 8-bit ASIDs and VMIDs: the upper bits are RES0 and ignored. */
	r.asid &= x->asid_mask;
	r.vmid &= x->vmid_mask;
	xlate_lock(x);
	/* Weakest-legal hardware completes it at the next sync; early is legal too. */
	if (!m->cfg.weakest_legal || smmu_iotlb_defer(x->iotlb, &r)) {
		removed = smmu_iotlb_invalidate(x->iotlb, &r);
		new_generation(x);
	}
	if (x->wcache && smmu_wcache_tlbi(&r, &w) && smmu_iotlb_defer(x->wcache, &w)) {
		smmu_iotlb_invalidate(x->wcache, &w);
		new_generation(x);
	}
	xlate_unlock(x);
	if (removed)
		smmu_utlb_bump(m);
	count_removed(m, r.op, removed);
}

void smmu_model_tlb_sync(struct smmu_model *m)
{
	struct smmu_xlate_state *x = m->xlate;
	struct smmu_iotlb_stats before, after;
	bool deferred;

	xlate_lock(x);
	new_generation(x);
	/* Only deferred TLBIs (weakest-legal mode) remove entries here. */
	if (x->wcache)
		smmu_iotlb_sync(x->wcache);
	deferred = smmu_iotlb_deferred(x->iotlb) != 0;
	if (deferred) {
		before = *smmu_iotlb_stats(x->iotlb);
		smmu_iotlb_sync(x->iotlb);
		after = *smmu_iotlb_stats(x->iotlb);
	}
	xlate_unlock(x);
	if (deferred && after.invalidated != before.invalidated)
		smmu_utlb_bump(m);
	if (deferred)
		count_invalidated(m, &before, &after);
	wait_for_walks(m);
}

/* ---- page requests -------------------------------------------------------- */

static bool prg_match(const struct prg *g, uint32_t sid, bool ssv, uint32_t ssid,
		      uint16_t grpid)
{
	return g->sid == sid && g->ssv == ssv && (!ssv || g->ssid == ssid) &&
	       g->grpid == grpid;
}

/* Remember a group awaiting PRI_RESP; false when out of memory. */
static bool prg_add(struct smmu_xlate_state *x, const struct smmu_page_request *pr)
{
	bool ok = true;

	xlate_lock(x);
	if (x->nprgs == x->prgs_cap) {
		size_t cap = x->prgs_cap ? x->prgs_cap * 2 : LIST_MIN_CAP;
		struct prg *g = realloc(x->prgs, cap * sizeof(*g));
		ok = g != NULL;
		if (ok) {
			x->prgs = g;
			x->prgs_cap = cap;
		}
	}
	if (ok)
		x->prgs[x->nprgs++] = (struct prg){ pr->sid, pr->ssv, pr->ssid, pr->grpid,
						    -EAGAIN };
	xlate_unlock(x);
	return ok;
}

/*
 * The last request never reached the queue: the SMMU answers the group
 * itself, successfully, so the device retries (3.9.1, 8.1).
 */
static void prg_auto_answer(struct smmu_xlate_state *x, const struct smmu_page_request *pr)
{
	xlate_lock(x);
	for (size_t i = x->nprgs; i-- > 0;) {
		if (prg_match(&x->prgs[i], pr->sid, pr->ssv, pr->ssid, pr->grpid)) {
			x->prgs[i].resp = SMMU_PRI_RESP_SUCC;
			break;
		}
	}
	xlate_unlock(x);
}

int smmu_model_page_request(struct smmu_model *m, const struct smmu_page_request *pr)
{
	uint64_t rec[SMMU_PRI_DWORDS];

	if (!m || !pr || !m->cfg.pri || !SMMU_FIELD_FITS(SMMU_PRI1_GRPID, pr->grpid))
		return -EINVAL;
	rec[0] = SMMU_FIELD_PREP(SMMU_PRI0_SID, pr->sid) |
		 SMMU_FIELD_PREP(SMMU_PRI0_SSID, pr->ssv ? pr->ssid : 0) |
		 SMMU_FIELD_PREP(SMMU_PRI0_SSV, pr->ssv) |
		 SMMU_FIELD_PREP(SMMU_PRI0_PRIV, pr->priv) |
		 SMMU_FIELD_PREP(SMMU_PRI0_EXEC, pr->exec) |
		 SMMU_FIELD_PREP(SMMU_PRI0_READ, pr->read) |
		 SMMU_FIELD_PREP(SMMU_PRI0_WRITE, pr->write) |
		 SMMU_FIELD_PREP(SMMU_PRI0_LAST, pr->last);
	rec[1] = SMMU_FIELD_PREP(SMMU_PRI1_GRPID, pr->grpid) | (pr->addr & SMMU_PRI1_ADDR);
	/* The group is known before the driver can see its last request. */
	if (pr->last && !prg_add(m->xlate, pr))
		return -ENOMEM;
	if (smmu_model_enqueue_pri(m, rec))
		return 0;
	if (pr->last)
		prg_auto_answer(m->xlate, pr);
	return -ENOSPC;
}

/* Collect a group's answer (or drop a group): see <smmu/model.h>. */
int smmu_model_page_response(struct smmu_model *m, uint32_t sid, bool ssv,
			     uint32_t ssid, uint16_t grpid)
{
	struct smmu_xlate_state *x;
	int resp = -ENOENT;

	if (!m)
		return -EINVAL;
	x = m->xlate;
	xlate_lock(x);
	for (size_t i = 0; i < x->nprgs; i++) {
		if (!prg_match(&x->prgs[i], sid, ssv, ssid, grpid))
			continue;
		resp = x->prgs[i].resp;
		if (resp != -EAGAIN)
			x->prgs[i] = x->prgs[--x->nprgs];
		break;
	}
	xlate_unlock(x);
	return resp;
}

static void prg_answer(struct smmu_xlate_state *x, const struct smmu_fault_resp *r)
{
	xlate_lock(x);
	for (size_t i = 0; i < x->nprgs; i++) {
		struct prg *g = &x->prgs[i];
		if (prg_match(g, r->sid, r->ssv, r->ssid, (uint16_t)r->grpid) &&
		    g->resp == -EAGAIN) {
			g->resp = (int)r->resp;
			break;
		}
	}
	xlate_unlock(x);
}

void smmu_model_fault_response(struct smmu_model *m, const struct smmu_fault_resp *r)
{
	if (r->op == SMMU_CMD_PRI_RESP) {
		prg_answer(m->xlate, r);
		return;
	}
	if (r->op != SMMU_CMD_RESUME && r->op != SMMU_CMD_STALL_TERM)
		return;
	SMMU_MODEL_COUNT(m, stall_responses);
	stall_resolve(m->xlate, r);
}

/* ---- the oracle's public face ------------------------------------------- */

void smmu_model_set_coherency_callback(struct smmu_model *m, smmu_model_coherency_fn fn,
				       void *opaque)
{
	if (!m)
		return;
	xlate_lock(m->xlate);
	m->xlate->coherency_fn = fn;
	m->xlate->coherency_opaque = opaque;
	xlate_unlock(m->xlate);
}

size_t smmu_model_iotlb_entries(struct smmu_model *m, enum smmu_model_tag_kind kind,
				uint16_t vmid, uint16_t asid)
{
	struct smmu_iotlb_tag tag = { .kind = (enum smmu_iotlb_kind)kind, .vmid = vmid,
				      .asid = asid };
	size_t n;

	if (!m || (unsigned)kind >= SMMU_IOTLB_KINDS)
		return 0;
	xlate_lock(m->xlate);
	n = smmu_iotlb_count_tag(m->xlate->iotlb, &tag);
	xlate_unlock(m->xlate);
	return n;
}

uint64_t smmu_model_coherency_violations(struct smmu_model *m)
{
	return m ? __atomic_load_n(&m->stats.coherency_violations, __ATOMIC_RELAXED) : 0;
}

void smmu_model_reset_coherency(struct smmu_model *m)
{
	if (m)
		__atomic_store_n(&m->stats.coherency_violations, 0, __ATOMIC_RELAXED);
}
