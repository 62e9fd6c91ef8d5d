/*
 * Configuration structures: stream table and CD table walks, the validity
 * rules of STEs and CDs, and the configuration cache.
 *
 * Concepts: an STE is found through a linear table or a 2-level table
 * (L1STD: Span, L2Ptr); a CD through a linear CD table or a 2-level one
 * (L1CD: V, L2Ptr).  Each of the four structure kinds is cached as its own
 * entry - STE by StreamID, L1STD by level-1 index, CD by (StreamID,
 * SubstreamID) and L1CD by (StreamID, first SubstreamID of its span) - as
 * SPEC 3.21.3 requires ("all structure types must be treated as separately
 * cached").  Entries are cached whether valid or not, never after a failed
 * fetch, and leave only on the matching CFGI_* (or for capacity), so a
 * driver that edits a live structure without CFGI keeps seeing the old one.
 * A generation count, bumped by every invalidation, keeps a fetch that
 * raced with a CFGI from inserting what it read before the CFGI; every
 * removal also bumps the fast path's generation (cfgfast.c).  The
 * validity checks follow SPEC 5.2.2 (SteIllegal) and 5.4.2 (CD) for the
 * Non-secure stream table, for the features this model implements.
 */
#include <bsd/sys/tree.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "xlate.h"

#define CFG_CACHE_DEFAULT_CAPACITY 65536u

enum cfg_kind { CFG_L1STD, CFG_STE, CFG_L1CD, CFG_CD };

struct cfg_key {
	unsigned kind;
	uint32_t sid;
	uint32_t idx;
};

struct cfg_entry {
	RB_ENTRY(cfg_entry) node;
	struct cfg_key key;
	uint64_t dw[SMMU_STE_DWORDS];
};

static int cfg_key_cmp(const struct cfg_key *a, const struct cfg_key *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->sid != b->sid)
		return a->sid < b->sid ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int cfg_entry_cmp(const struct cfg_entry *a, const struct cfg_entry *b)
{
	return cfg_key_cmp(&a->key, &b->key);
}

RB_HEAD(cfg_tree, cfg_entry);
RB_GENERATE_INTERNAL(cfg_tree, cfg_entry, node, cfg_entry_cmp, static __attribute__((unused)))

struct smmu_cfg_cache {
	pthread_mutex_t lock;
	struct cfg_tree tree;
	size_t count, capacity;
	uint64_t gen;
};

int smmu_cfg_cache_new(struct smmu_model *m)
{
	struct smmu_cfg_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	RB_INIT(&c->tree);
	c->capacity = m->cfg.config_cache_capacity ? m->cfg.config_cache_capacity
						   : CFG_CACHE_DEFAULT_CAPACITY;
	m->cfg_cache = c;
	return 0;
}

static size_t cfg_remove(struct smmu_cfg_cache *c, struct cfg_entry *e)
{
	RB_REMOVE(cfg_tree, &c->tree, e);
	free(e);
	c->count--;
	return 1;
}

void smmu_cfg_cache_free(struct smmu_model *m)
{
	struct smmu_cfg_cache *c = m->cfg_cache;
	struct cfg_entry *e, *next;

	if (!c)
		return;
	RB_FOREACH_SAFE(e, cfg_tree, &c->tree, next)
		cfg_remove(c, e);
	pthread_mutex_destroy(&c->lock);
	free(c);
	m->cfg_cache = NULL;
}

/* ---- Lookup and insertion ------------------------------------------------ */

static bool cfg_lookup(struct smmu_model *m, const struct cfg_key *key, unsigned ndw,
		       uint64_t *out, uint64_t *gen)
{
	struct smmu_cfg_cache *c = m->cfg_cache;
	struct cfg_entry probe = { .key = *key };
	struct cfg_entry *e;

	pthread_mutex_lock(&c->lock);
	e = RB_FIND(cfg_tree, &c->tree, &probe);
	if (e)
		memcpy(out, e->dw, ndw * sizeof(uint64_t));
	*gen = c->gen;
	pthread_mutex_unlock(&c->lock);
	if (e)
		SMMU_MODEL_COUNT(m, cfg_hits);
	return e != NULL;
}

static void cfg_insert(struct smmu_model *m, const struct cfg_key *key, unsigned ndw,
		       const uint64_t *dw, uint64_t gen)
{
	struct smmu_cfg_cache *c = m->cfg_cache;
	struct cfg_entry *e = calloc(1, sizeof(*e));

	if (!e)
		return;         /* not caching is always allowed */
	e->key = *key;
	memcpy(e->dw, dw, ndw * sizeof(uint64_t));
	pthread_mutex_lock(&c->lock);
	if (gen != c->gen || RB_FIND(cfg_tree, &c->tree, e)) {
		pthread_mutex_unlock(&c->lock);
		free(e);
		return;
	}
	if (c->count >= c->capacity) {
		cfg_remove(c, RB_MIN(cfg_tree, &c->tree));
		smmu_cfg_fast_bump(m);
		SMMU_MODEL_COUNT(m, cfg_evictions);
	}
	RB_INSERT(cfg_tree, &c->tree, e);
	c->count++;
	pthread_mutex_unlock(&c->lock);
}

/*
 * The structure `key` of ndw dwords at addr (an IPA translated by stage 2
 * when s2 is given), from the cache or memory.  On a failed fetch fills
 * *fault (F_STE_FETCH/F_CD_FETCH as fetch_event, or the stage-2 fault).
 */
static int cfg_fetch(struct smmu_model *m, const struct cfg_key *key, uint64_t addr,
		     const struct smmu_xlate_cfg *s2, unsigned ndw, uint64_t *out,
		     const struct smmu_stream_id *who, unsigned fetch_event,
		     struct smmu_cfg_fault *fault)
{
	uint64_t gen, pa = addr;

	if (cfg_lookup(m, key, ndw, out, &gen)) {
		fault->cache_hits++;
		return 0;
	}
	fault->cache_misses++;
	SMMU_MODEL_COUNT(m, cfg_misses);
	if (s2 && smmu_model_xlate_cd_fetch(m, s2, addr, &pa, fault->evt))
		return -EIO;
	for (unsigned i = 0; i < ndw; i++) {
		if (smmu_model_read64(m, pa + i * sizeof(uint64_t), &out[i])) {
			memset(fault->evt, 0, sizeof(fault->evt));
			fault->evt[0] = smmu_evt0(fetch_event, who);
			fault->evt[3] = pa & SMMU_EVT3_FETCH_ADDR;
			return -EIO;
		}
	}
	cfg_insert(m, key, ndw, out, gen);
	return 0;
}

uint64_t smmu_evt0(unsigned id, const struct smmu_stream_id *who)
{
	return SMMU_FIELD_PREP(SMMU_EVT0_ID, id) | SMMU_FIELD_PREP(SMMU_EVT0_SID, who->sid) |
	       SMMU_FIELD_PREP(SMMU_EVT0_SSV, who->ssv) |
	       SMMU_FIELD_PREP(SMMU_EVT0_SSID, who->ssv ? who->ssid : 0);
}

static int cfg_error(struct smmu_cfg_fault *fault, unsigned id,
		     const struct smmu_stream_id *who)
{
	fault->silent = false;
	memset(fault->evt, 0, sizeof(fault->evt));
	fault->evt[0] = smmu_evt0(id, who);
	return -EIO;
}

/* ---- Validity: shared helpers --------------------------------------------- */

/* Granule log2 for a CD.TG0 / STE.S2TG encoding (same code points); 0 = reserved. */
static unsigned tg0_log2(unsigned tg)
{
	switch (tg) {
	case SMMU_TG0_4K: return SMMU_GRANULE_4K_LOG2;
	case SMMU_TG0_16K: return SMMU_GRANULE_16K_LOG2;
	case SMMU_TG0_64K: return SMMU_GRANULE_64K_LOG2;
	default: return 0;
	}
}

static unsigned tg1_log2(unsigned tg)
{
	switch (tg) {
	case SMMU_TG1_4K: return SMMU_GRANULE_4K_LOG2;
	case SMMU_TG1_16K: return SMMU_GRANULE_16K_LOG2;
	case SMMU_TG1_64K: return SMMU_GRANULE_64K_LOG2;
	default: return 0;
	}
}

static bool granule_supported(const struct smmu_model_config *c, unsigned log2)
{
	return (log2 == SMMU_GRANULE_4K_LOG2 && c->gran4k) ||
	       (log2 == SMMU_GRANULE_16K_LOG2 && c->gran16k) ||
	       (log2 == SMMU_GRANULE_64K_LOG2 && c->gran64k);
}

/* SPEC 3.4: IAS is the OAS, or at least 40 bits when AArch32 tables exist. */
#define AARCH32_IAS_BITS 40u
#define VA_BITS_48 48u
#define VA_BITS_52 52u
#define TXSZ_MAX_NO_STT 39u     /* IDR3.STT = 0 */

static unsigned ias_bits(const struct smmu_model_config *c)
{
	return (c->ttf & SMMU_TTF_AARCH32) && c->oas_bits < AARCH32_IAS_BITS
	       ? AARCH32_IAS_BITS : c->oas_bits;
}

/* Effective size of an IPS/S2PS encoding: capped to the OAS. */
static unsigned effective_ps(const struct smmu_model *m, unsigned enc)
{
	unsigned bits = smmu_oas_bits(enc);

	return bits && bits < m->oas_bits ? bits : m->oas_bits;
}

static bool addr_fits(uint64_t addr, unsigned bits)
{
	return bits >= 64 || !(addr >> bits);
}

static bool endian_ok(const struct smmu_model_config *c, bool big)
{
	return !((c->ttendian == SMMU_TTENDIAN_LE && big) ||
		 (c->ttendian == SMMU_TTENDIAN_BE && !big));
}

/* ---- Validity of an STE (SPEC 5.2.2) -------------------------------------- */

bool smmu_ste_strw_used(const struct smmu_model_config *c, unsigned config)
{
	return c->stage1 && c->hyp && !(config & SMMU_STE_CFG_S2_BIT) &&
	       config != SMMU_STE_CFG_BYPASS;
}

static bool ste_ats_illegal(const struct smmu_model_config *c, const uint64_t *ste,
			    unsigned config)
{
	unsigned eats = (unsigned)SMMU_FIELD_GET(SMMU_STE1_EATS, ste[1]);
	bool s2s = SMMU_FIELD_GET(SMMU_STE2_S2S, ste[2]);

	if (!c->ats || config == SMMU_STE_CFG_BYPASS)
		return false;
	if (eats == SMMU_EATS_S1CHK && (config != SMMU_STE_CFG_NESTED || s2s))
		return true;
	return eats == SMMU_EATS_TRANS && s2s && (config & SMMU_STE_CFG_S2_BIT);
}

static bool ste_s1_illegal(const struct smmu_model *m, const uint64_t *ste)
{
	const struct smmu_model_config *c = &m->cfg;
	unsigned cdmax = (unsigned)SMMU_FIELD_GET(SMMU_STE0_S1CDMAX, ste[0]);
	unsigned fmt = (unsigned)SMMU_FIELD_GET(SMMU_STE0_S1FMT, ste[0]);

	if (SMMU_FIELD_GET(SMMU_STE1_S1STALLD, ste[1]) &&
	    c->stall_model != SMMU_STALL_MODEL_STALL_TERM)
		return true;
	if (c->ssid_bits && cdmax > c->ssid_bits)
		return true;
	if (c->ssid_bits && cdmax && !c->cd2l &&
	    (fmt == SMMU_S1FMT_64_L2 || fmt == SMMU_S1FMT_1024_L2))
		return true;
	return !addr_fits(ste[0] & SMMU_STE0_S1CTXPTR,
			  (ste[0] & SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_S2_BIT))
			  ? ias_bits(c) : m->oas_bits);
}

/*
 * Armv8 VTCR consistency of S2SL0 with S2T0SZ: the input size must need the
 * start level, and fit it with at most 16 concatenated tables.
 */
#define S2_CONCAT_BITS 4u
#define FINAL_LEVEL 3u

static bool s2_walk_inconsistent(unsigned t0sz, unsigned sl0, unsigned granule)
{
	unsigned stride = granule - SMMU_PTE_SIZE_LOG2;
	unsigned start, levels, min_ia, max_ia, ia = 64 - t0sz;

	/* SL0 counts up from the final level for 16K/64K, from level 2 for 4K. */
	if (granule == SMMU_GRANULE_4K_LOG2)
		start = sl0 <= 2 ? 2 - sl0 : 4;
	else
		start = sl0 <= 2 ? FINAL_LEVEL - sl0 : 4;
	if (start > FINAL_LEVEL)
		return true;
	levels = FINAL_LEVEL - start;
	min_ia = levels * stride + granule + 1;
	max_ia = min_ia + stride - 1 + S2_CONCAT_BITS;
	return ia < min_ia || ia > max_ia;
}

static bool ste_s2_tables_illegal(const struct smmu_model *m, const uint64_t *ste)
{
	const struct smmu_model_config *c = &m->cfg;
	unsigned granule = tg0_log2((unsigned)SMMU_FIELD_GET(SMMU_STE2_S2TG, ste[2]));
	unsigned t0sz = (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2T0SZ, ste[2]);
	unsigned ps = effective_ps(m, (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2PS, ste[2]));
	unsigned ias = ias_bits(c);
	unsigned tsz_min = 64 - ias;

	if (!granule_supported(c, granule))
		return true;
	if (!addr_fits(ste[3] & SMMU_STE3_S2TTB, ps))
		return true;
	if (granule != SMMU_GRANULE_64K_LOG2 && tsz_min < 64 - VA_BITS_48)
		tsz_min = 64 - VA_BITS_48;
	if (tsz_min < 64 - VA_BITS_52)
		tsz_min = 64 - VA_BITS_52;
	if (t0sz < tsz_min || t0sz > TXSZ_MAX_NO_STT)
		return true;
	return s2_walk_inconsistent(t0sz, (unsigned)SMMU_FIELD_GET(SMMU_STE2_S2SL0, ste[2]),
				    granule);
}

static bool ste_s2_illegal(const struct smmu_model *m, const uint64_t *ste)
{
	const struct smmu_model_config *c = &m->cfg;
	bool aa64 = SMMU_FIELD_GET(SMMU_STE2_S2AA64, ste[2]);
	bool s2s = SMMU_FIELD_GET(SMMU_STE2_S2S, ste[2]);
	bool ha = SMMU_FIELD_GET(SMMU_STE2_S2HA, ste[2]);
	bool hd = SMMU_FIELD_GET(SMMU_STE2_S2HD, ste[2]);

	if (!aa64 && c->fwb && SMMU_FIELD_GET(SMMU_STE1_S2FWB, ste[1]))
		return true;
	if (s2s && c->stall_model == SMMU_STALL_MODEL_TERM_ONLY)
		return true;
	if (!s2s && c->stall_model == SMMU_STALL_MODEL_STALL_FORCE)
		return true;
	if ((aa64 && !(c->ttf & SMMU_TTF_AARCH64)) || (!aa64 && !(c->ttf & SMMU_TTF_AARCH32)))
		return true;
	if ((ha || hd) && (!aa64 || c->httu == SMMU_HTTU_NONE))
		return true;
	if (hd && c->httu == SMMU_HTTU_HA)
		return true;
	if (!endian_ok(c, SMMU_FIELD_GET(SMMU_STE2_S2ENDI, ste[2])))
		return true;
	/* VMSAv8-32 stage 2 walks are not modelled: only AArch64 is checked. */
	return aa64 && ste_s2_tables_illegal(m, ste);
}

static bool ste_illegal(const struct smmu_model *m, const uint64_t *ste)
{
	const struct smmu_model_config *c = &m->cfg;
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);
	unsigned strw = (unsigned)SMMU_FIELD_GET(SMMU_STE1_STRW, ste[1]);
	bool vmid_used;

	if (!SMMU_FIELD_GET(SMMU_STE0_V, ste[0]))
		return true;
	if (!(config & SMMU_STE_CFG_EN_BIT))
		return false;   /* abort (or Reserved, which behaves as abort) */
	if (((config & SMMU_STE_CFG_S1_BIT) && !c->stage1) ||
	    ((config & SMMU_STE_CFG_S2_BIT) && !c->stage2))
		return true;
	if (ste_ats_illegal(c, ste, config))
		return true;
	if (smmu_ste_strw_used(c, config) && (strw & 1u))
		return true;
	if ((config & SMMU_STE_CFG_S1_BIT) && ste_s1_illegal(m, ste))
		return true;
	if ((config & SMMU_STE_CFG_S2_BIT) && ste_s2_illegal(m, ste))
		return true;
	vmid_used = c->stage2 && config != SMMU_STE_CFG_BYPASS &&
		    !(smmu_ste_strw_used(c, config) && strw != SMMU_STRW_NSEL1);
	return vmid_used && !c->vmid16 &&
	       SMMU_FIELD_GET(SMMU_STE2_S2VMID, ste[2]) > UINT8_MAX;
}

/* ---- Validity of a CD (SPEC 5.4.2) ---------------------------------------- */

/* One half (TTB0 or TTB1) of the VA space: its size, granule and table base. */
static bool cd_half_illegal(const struct smmu_model *m, unsigned tsz, unsigned granule,
			    uint64_t ttb, unsigned ttb_bits)
{
	unsigned tsz_min = m->cfg.vax && granule == SMMU_GRANULE_64K_LOG2
			   ? 64 - VA_BITS_52 : 64 - VA_BITS_48;

	if (tsz < tsz_min || tsz > TXSZ_MAX_NO_STT)
		return true;
	return !granule_supported(&m->cfg, granule) || !addr_fits(ttb, ttb_bits);
}

static bool cd_stall_illegal(const struct smmu_model_config *c, const uint64_t *ste,
			     const uint64_t *cd)
{
	bool s = SMMU_FIELD_GET(SMMU_CD0_S, cd[0]);

	switch (c->stall_model) {
	case SMMU_STALL_MODEL_STALL_TERM:
		return s && SMMU_FIELD_GET(SMMU_STE1_S1STALLD, ste[1]);
	case SMMU_STALL_MODEL_TERM_ONLY:
		return s;
	default:
		return !s;
	}
}

/* EL2 (non-E2H) stage 1 has a single VA range and no EPDx. */
static bool stream_is_el2(const struct smmu_model *m, const uint64_t *ste, bool e2h)
{
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]);

	return smmu_ste_strw_used(&m->cfg, config) &&
	       SMMU_FIELD_GET(SMMU_STE1_STRW, ste[1]) == SMMU_STRW_EL2 && !e2h;
}

static bool cd_illegal(const struct smmu_model *m, const uint64_t *ste, const uint64_t *cd,
		       bool e2h)
{
	const struct smmu_model_config *c = &m->cfg;
	bool nested = SMMU_FIELD_GET(SMMU_STE0_CONFIG, ste[0]) & SMMU_STE_CFG_S2_BIT;
	bool el2 = stream_is_el2(m, ste, e2h);
	bool ha = SMMU_FIELD_GET(SMMU_CD0_HA, cd[0]), hd = SMMU_FIELD_GET(SMMU_CD0_HD, cd[0]);
	bool epd0 = !el2 && SMMU_FIELD_GET(SMMU_CD0_EPD0, cd[0]);
	bool epd1 = el2 || SMMU_FIELD_GET(SMMU_CD0_EPD1, cd[0]);
	unsigned ttb_bits = nested ? ias_bits(c) : m->oas_bits;

	if (!SMMU_FIELD_GET(SMMU_CD0_V, cd[0]))
		return true;
	/* VMSAv8-32 LPAE stage 1 is not modelled: AA64 = 0 is ILLEGAL here. */
	if (!SMMU_FIELD_GET(SMMU_CD0_AA64, cd[0]) || !(c->ttf & SMMU_TTF_AARCH64))
		return true;
	if (nested && !SMMU_FIELD_GET(SMMU_STE2_S2AA64, ste[2]))
		return true;
	if (((ha || hd) && c->httu == SMMU_HTTU_NONE) || (hd && c->httu == SMMU_HTTU_HA))
		return true;
	if (!el2 && !c->asid16 && SMMU_FIELD_GET(SMMU_CD0_ASID, cd[0]) > UINT8_MAX)
		return true;
	if (!epd0 && cd_half_illegal(m, (unsigned)SMMU_FIELD_GET(SMMU_CD0_T0SZ, cd[0]),
				     tg0_log2((unsigned)SMMU_FIELD_GET(SMMU_CD0_TG0, cd[0])),
				     cd[1] & SMMU_CD1_TTB0, ttb_bits))
		return true;
	if (!epd1 && cd_half_illegal(m, (unsigned)SMMU_FIELD_GET(SMMU_CD0_T1SZ, cd[0]),
				     tg1_log2((unsigned)SMMU_FIELD_GET(SMMU_CD0_TG1, cd[0])),
				     cd[2] & SMMU_CD2_TTB1, ttb_bits))
		return true;
	if (cd_stall_illegal(c, ste, cd))
		return true;
	if (c->term_model && !SMMU_FIELD_GET(SMMU_CD0_A, cd[0]))
		return true;
	return !(epd0 && epd1) && !endian_ok(c, SMMU_FIELD_GET(SMMU_CD0_ENDI, cd[0]));
}

/* ---- Stream table walk ------------------------------------------------------ */

static unsigned strtab_split(uint32_t cfg)
{
	unsigned split = (unsigned)SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_SPLIT, cfg);

	/* Reserved SPLIT values: this model uses the nearest smaller one. */
	if (split >= SMMU_STRTAB_SPLIT_64K)
		return SMMU_STRTAB_SPLIT_64K;
	if (split >= SMMU_STRTAB_SPLIT_16K)
		return SMMU_STRTAB_SPLIT_16K;
	return SMMU_STRTAB_SPLIT_4K;
}

static bool strtab_2lvl(const struct smmu_model *m, uint32_t cfg)
{
	return m->cfg.st_2lvl &&
	       SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_FMT, cfg) == SMMU_STRTAB_FMT_2LVL;
}

/* Physical address of the STE of who->sid, or -EIO with *fault. */
static int ste_locate(struct smmu_model *m, const struct smmu_model_snapshot *snap,
		      const struct smmu_stream_id *who, uint64_t *ste_pa,
		      struct smmu_cfg_fault *fault)
{
	uint64_t base = snap->strtab_base & SMMU_STRTAB_BASE_ADDR;
	unsigned log2size = (unsigned)SMMU_FIELD_GET(SMMU_STRTAB_BASE_CFG_LOG2SIZE,
						     snap->strtab_base_cfg);
	unsigned split = strtab_split(snap->strtab_base_cfg), span;
	uint64_t l1std, l2idx;

	if (log2size > m->cfg.sid_bits)
		log2size = m->cfg.sid_bits;
	if ((uint64_t)who->sid >> log2size)
		return cfg_error(fault, SMMU_EVT_C_BAD_STREAMID, who);
	if (!strtab_2lvl(m, snap->strtab_base_cfg)) {
		*ste_pa = base + (uint64_t)who->sid * SMMU_STE_SIZE;
		return 0;
	}
	if (cfg_fetch(m, &(struct cfg_key){ CFG_L1STD, 0, who->sid >> split },
		      base + (uint64_t)(who->sid >> split) * SMMU_L1_DESC_SIZE, NULL,
		      SMMU_L1_DESC_DWORDS, &l1std, who, SMMU_EVT_F_STE_FETCH, fault))
		return -EIO;
	span = (unsigned)SMMU_FIELD_GET(SMMU_L1STD_SPAN, l1std);
	/* A Span beyond SPLIT + 1 is used as SPLIT + 1. */
	if (span > split + 1 && span < SMMU_L1STD_SPAN_MAX)
		span = split + 1;
	l2idx = who->sid & ((UINT64_C(1) << split) - 1);
	if (!span || span >= SMMU_L1STD_SPAN_MAX || l2idx >> (span - 1))
		return cfg_error(fault, SMMU_EVT_C_BAD_STREAMID, who);
	*ste_pa = (l1std & SMMU_L1STD_L2PTR) + l2idx * SMMU_STE_SIZE;
	return 0;
}

int smmu_model_fetch_ste(struct smmu_model *m, const struct smmu_model_snapshot *snap,
			 const struct smmu_stream_id *who,
			 uint64_t ste[SMMU_STE_DWORDS], struct smmu_cfg_fault *fault)
{
	uint64_t pa;

	if (ste_locate(m, snap, who, &pa, fault) ||
	    cfg_fetch(m, &(struct cfg_key){ CFG_STE, who->sid, 0 }, pa, NULL,
		      SMMU_STE_DWORDS, ste, who, SMMU_EVT_F_STE_FETCH, fault))
		return -EIO;
	if (ste_illegal(m, ste))
		return cfg_error(fault, SMMU_EVT_C_BAD_STE, who);
	return 0;
}

/* ---- CD table walk ----------------------------------------------------------- */

unsigned smmu_ste_cdmax(const struct smmu_model_config *c, const uint64_t *ste)
{
	/* Without substream support S1CDMax (and S1Fmt, S1DSS) are IGNORED. */
	return c->ssid_bits ? (unsigned)SMMU_FIELD_GET(SMMU_STE0_S1CDMAX, ste[0]) : 0;
}

static unsigned cd_leaf_shift(const struct smmu_model_config *c, const uint64_t *ste)
{
	if (!smmu_ste_cdmax(c, ste))
		return 0;
	switch (SMMU_FIELD_GET(SMMU_STE0_S1FMT, ste[0])) {
	case SMMU_S1FMT_64_L2: return SMMU_CD_L2_SHIFT_4K;
	case SMMU_S1FMT_1024_L2: return SMMU_CD_L2_SHIFT_64K;
	default: return 0;      /* linear (0b11 behaves as 0b00) */
	}
}

int smmu_model_fetch_cd(struct smmu_model *m, const struct smmu_stream_id *who,
			uint32_t ssid, const uint64_t ste[SMMU_STE_DWORDS],
			const struct smmu_xlate_cfg *xc,
			uint64_t cd[SMMU_CD_DWORDS], struct smmu_cfg_fault *fault)
{
	const struct smmu_xlate_cfg *s2 = xc->kind == SMMU_XLATE_NESTED ? xc : NULL;
	uint64_t table = ste[0] & SMMU_STE0_S1CTXPTR, l1cd;
	unsigned shift = cd_leaf_shift(&m->cfg, ste);
	uint32_t span_base = shift ? ssid & ~((UINT32_C(1) << shift) - 1) : 0;

	if (shift) {
		if (cfg_fetch(m, &(struct cfg_key){ CFG_L1CD, who->sid, span_base },
			      table + (uint64_t)(ssid >> shift) * SMMU_L1_DESC_SIZE, s2,
			      SMMU_L1_DESC_DWORDS, &l1cd, who, SMMU_EVT_F_CD_FETCH, fault))
			return -EIO;
		if (!SMMU_FIELD_GET(SMMU_L1CD_V, l1cd))
			return cfg_error(fault, SMMU_EVT_C_BAD_SUBSTREAMID, who);
		table = l1cd & SMMU_L1CD_L2PTR;
	}
	if (cfg_fetch(m, &(struct cfg_key){ CFG_CD, who->sid, ssid },
		      table + (uint64_t)(ssid - span_base) * SMMU_CD_SIZE, s2,
		      SMMU_CD_DWORDS, cd, who, SMMU_EVT_F_CD_FETCH, fault))
		return -EIO;
	if (cd_illegal(m, ste, cd, xc->e2h))
		return cfg_error(fault, SMMU_EVT_C_BAD_CD, who);
	return 0;
}

/* ---- Invalidation (CFGI_*) ---------------------------------------------------- */

/* Remove every entry with key in [lo, hi]; count them as invalidated. */
static void cfg_remove_range(struct smmu_model *m, struct cfg_key lo, struct cfg_key hi)
{
	struct smmu_cfg_cache *c = m->cfg_cache;
	struct cfg_entry probe = { .key = lo };
	struct cfg_entry *e, *next;
	size_t removed = 0;

	pthread_mutex_lock(&c->lock);
	c->gen++;
	for (e = RB_NFIND(cfg_tree, &c->tree, &probe);
	     e && cfg_key_cmp(&e->key, &hi) <= 0; e = next) {
		next = RB_NEXT(cfg_tree, &c->tree, e);
		removed += cfg_remove(c, e);
	}
	smmu_cfg_fast_bump(m);
	pthread_mutex_unlock(&c->lock);
	SMMU_MODEL_COUNT_N(m, cfg_invalidations, removed);
}

static void cfg_remove_sids(struct smmu_model *m, unsigned kind, uint32_t first,
			    uint32_t last)
{
	cfg_remove_range(m, (struct cfg_key){ kind, first, 0 },
			 (struct cfg_key){ kind, last, UINT32_MAX });
}

/* STEs, CDs and L1CDs of StreamIDs [first, last]; their L1STDs unless leaf. */
static void cfg_invalidate_streams(struct smmu_model *m, uint32_t first, uint32_t last,
				   bool leaf)
{
	unsigned split = strtab_split(m->regs.strtab_base_cfg);

	cfg_remove_sids(m, CFG_STE, first, last);
	cfg_remove_sids(m, CFG_CD, first, last);
	cfg_remove_sids(m, CFG_L1CD, first, last);
	if (!leaf)
		cfg_remove_range(m, (struct cfg_key){ CFG_L1STD, 0, first >> split },
				 (struct cfg_key){ CFG_L1STD, 0, last >> split });
}

void smmu_cfg_invalidate_ste(struct smmu_model *m, uint32_t sid, bool leaf)
{
	cfg_invalidate_streams(m, sid, sid, leaf);
}

void smmu_cfg_invalidate_ste_range(struct smmu_model *m, uint32_t sid, unsigned range)
{
	uint64_t n = UINT64_C(1) << (range + 1);
	uint64_t first = sid & ~(n - 1);
	uint64_t last = first + n - 1;

	cfg_invalidate_streams(m, (uint32_t)first,
			       last > UINT32_MAX ? UINT32_MAX : (uint32_t)last, false);
}

void smmu_cfg_invalidate_cd(struct smmu_model *m, uint32_t sid, uint32_t ssid, bool leaf)
{
	static const unsigned shifts[] = { SMMU_CD_L2_SHIFT_4K, SMMU_CD_L2_SHIFT_64K };

	cfg_remove_range(m, (struct cfg_key){ CFG_CD, sid, ssid },
			 (struct cfg_key){ CFG_CD, sid, ssid });
	if (leaf)
		return;
	/* The L1CD covering ssid, for either leaf-table size. */
	for (size_t i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		uint32_t base = ssid & ~((UINT32_C(1) << shifts[i]) - 1);

		cfg_remove_range(m, (struct cfg_key){ CFG_L1CD, sid, base },
				 (struct cfg_key){ CFG_L1CD, sid, base });
	}
}

void smmu_cfg_invalidate_cd_all(struct smmu_model *m, uint32_t sid)
{
	cfg_remove_sids(m, CFG_CD, sid, sid);
	cfg_remove_sids(m, CFG_L1CD, sid, sid);
}

void smmu_cfg_invalidate_all(struct smmu_model *m)
{
	cfg_remove_range(m, (struct cfg_key){ CFG_L1STD, 0, 0 },
			 (struct cfg_key){ CFG_CD, UINT32_MAX, UINT32_MAX });
}
