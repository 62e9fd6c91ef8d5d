/*
 * AArch64 VMSAv8-64 translation-table walks for the model.
 *
 * Concepts: one loop (walk_tables) descends from a start table to a leaf for
 * either stage; the stages differ only in how the start table is chosen
 * (stage 1: TTB0/TTB1 by VA range; stage 2: S2TTB with up to 16
 * concatenated start tables), in hierarchical table attributes (stage 1
 * only) and in how a leaf's permission bits read (AP/UXN/PXN vs S2AP/XN;
 * at stage 1 also by regime: EL2 has a single privilege level).
 * Faults are checked in the architecture's order: translation (input out
 * of range, invalid or reserved descriptor), address size (table or output
 * address beyond the effective PS), access flag, permission.  Hardware
 * updates (HA sets AF, HD makes a DBM page writable) happen only for an
 * access that is otherwise permitted, with one descriptor write.
 */
#include <errno.h>
#include <stddef.h>

#include "walk.h"

/* ---- granule encodings ------------------------------------------------ */

unsigned smmu_tg0_log2(unsigned tg)
{
	switch (tg) {
	case SMMU_TG0_4K:  return SMMU_GRANULE_4K_LOG2;
	case SMMU_TG0_16K: return SMMU_GRANULE_16K_LOG2;
	case SMMU_TG0_64K: return SMMU_GRANULE_64K_LOG2;
	default:           return 0;
	}
}

unsigned smmu_tg1_log2(unsigned tg)
{
	switch (tg) {
	case SMMU_TG1_4K:  return SMMU_GRANULE_4K_LOG2;
	case SMMU_TG1_16K: return SMMU_GRANULE_16K_LOG2;
	case SMMU_TG1_64K: return SMMU_GRANULE_64K_LOG2;
	default:           return 0;
	}
}

/* Table bits resolved at the start level, or 0 when the level cannot start. */
static unsigned start_level_bits(unsigned ia_bits, unsigned g, int level)
{
	unsigned stride = g - SMMU_PTE_SIZE_LOG2;
	unsigned below = g + stride * (unsigned)(SMMU_LAST_LEVEL - level);
	return ia_bits > below ? ia_bits - below : 0;
}

enum smmu_event_id smmu_fault_event_id(enum smmu_fault_type type)
{
	switch (type) {
	case SMMU_FAULT_TRANSLATION: return SMMU_EVT_F_TRANSLATION;
	case SMMU_FAULT_ADDR_SIZE:   return SMMU_EVT_F_ADDR_SIZE;
	case SMMU_FAULT_ACCESS:      return SMMU_EVT_F_ACCESS;
	case SMMU_FAULT_PERMISSION:  return SMMU_EVT_F_PERMISSION;
	case SMMU_FAULT_WALK_EABT:   return SMMU_EVT_F_WALK_EABT;
	default:                     return (enum smmu_event_id)0;
	}
}

void smmu_fault_event(const struct smmu_walk_fault *f, uint64_t input_addr,
		      struct smmu_access acc, uint64_t evt[SMMU_EVT_DWORDS])
{
	bool eabt = f->type == SMMU_FAULT_WALK_EABT;

	evt[0] = SMMU_FIELD_PREP(SMMU_EVT0_ID, smmu_fault_event_id(f->type));
	evt[1] = SMMU_FIELD_PREP(SMMU_EVT1_PNU, acc.priv) |
		 SMMU_FIELD_PREP(SMMU_EVT1_IND, acc.exec && !acc.write) |
		 SMMU_FIELD_PREP(SMMU_EVT1_RNW, !acc.write) |
		 SMMU_FIELD_PREP(SMMU_EVT1_S2, f->stage == 2) |
		 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, f->class) |
		 SMMU_FIELD_PREP(SMMU_EVT1_TTRNW, eabt && f->ttrnw);
	evt[2] = input_addr;
	if (eabt)
		evt[3] = f->fetch_addr & SMMU_EVT3_FETCH_ADDR;
	else
		evt[3] = f->stage == 2 ? f->ipa & SMMU_EVT3_IPA : 0;
}

/* ---- the table walk -------------------------------------------------- */

struct table_walk {
	const struct smmu_walk_ops *ops;
	uint64_t table;          /* start table, aligned */
	unsigned ia_bits;
	unsigned granule_log2;
	int start_level;
	unsigned oa_bits;
	unsigned stage;
	bool big_endian;
	bool hier;               /* accumulate table attributes (stage 1) */
};

struct leaf {
	uint64_t desc;
	uint64_t desc_pa;
	uint64_t oa_base;        /* aligned to the leaf's size */
	int level;
	unsigned size_log2;
	uint64_t table_attrs;    /* table attribute bits ORed along the walk */
};

static enum smmu_fault_type set_fault(struct smmu_walk_result *res,
				      enum smmu_fault_type type, unsigned stage,
				      int level)
{
	res->fault = (struct smmu_walk_fault){
		.type = type, .stage = stage, .level = level,
		.class = SMMU_EVT_CLASS_IN, .ttrnw = true,
	};
	return type;
}

/* An abort on a descriptor access; at stage 1 it is reported as class TT. */
static enum smmu_fault_type set_eabt(struct smmu_walk_result *res, unsigned stage,
				     int level, uint64_t pa, bool read)
{
	set_fault(res, SMMU_FAULT_WALK_EABT, stage, level);
	res->fault.fetch_addr = pa;
	res->fault.ttrnw = read;
	if (stage == 1)
		res->fault.class = SMMU_EVT_CLASS_TT;
	return SMMU_FAULT_WALK_EABT;
}

static int fetch_desc(const struct table_walk *w, uint64_t pa, uint64_t *desc)
{
	int rc = w->ops->read_desc(w->ops->opaque, pa, desc);

	if (rc == 0 && w->big_endian)
		*desc = __builtin_bswap64(*desc);
	return rc;
}

static int store_desc(const struct table_walk *w, uint64_t pa, uint64_t desc)
{
	if (!w->ops->write_desc)
		return -EIO;
	return w->ops->write_desc(w->ops->opaque, pa,
				  w->big_endian ? __builtin_bswap64(desc) : desc);
}

/* Address in a table or leaf descriptor; false when it exceeds oa_bits. */
static bool desc_address(const struct table_walk *w, uint64_t desc, uint64_t *addr)
{
	uint64_t a = desc & SMMU_PTE_OA & ~((UINT64_C(1) << w->granule_log2) - 1);

	if (w->granule_log2 == SMMU_GRANULE_64K_LOG2)
		a |= SMMU_FIELD_GET(SMMU_PTE_OA_52_HI, desc) << SMMU_PTE_OA_52_HI_SHIFT;
	*addr = a;
	return w->oa_bits >= 64 || (a >> w->oa_bits) == 0;
}

static bool block_allowed(const struct table_walk *w, int level)
{
	if (level == 2)
		return true;
	if (level == 1)
		return w->granule_log2 == SMMU_GRANULE_4K_LOG2 ||
		       (w->granule_log2 == SMMU_GRANULE_64K_LOG2 && w->oa_bits == 52);
	return false;
}

/*
 * Where the walk starts: at the deepest table descriptor a walk cache holds
 * for ia (below the start level, so of this geometry), or at the top.
 */
static int walk_start(const struct table_walk *w, uint64_t ia, uint64_t *table,
		      uint64_t *attrs, struct smmu_walk_result *res)
{
	struct smmu_walk_table t;

	*table = w->table;
	*attrs = 0;
	res->walk_cached = w->ops->cached_table &&
			   w->ops->cached_table(w->ops->opaque, w->stage, ia, w->granule_log2, &t) &&
			   t.level >= w->start_level && t.level < SMMU_LAST_LEVEL;
	if (!res->walk_cached)
		return w->start_level;
	*table = t.next;
	*attrs = t.attrs;
	return t.level + 1;
}

static enum smmu_fault_type walk_tables(const struct table_walk *w, uint64_t ia,
					struct leaf *leaf, struct smmu_walk_result *res)
{
	unsigned stride = w->granule_log2 - SMMU_PTE_SIZE_LOG2;
	uint64_t table, attrs;
	int first = walk_start(w, ia, &table, &attrs, res);

	if (w->oa_bits < 64 && (table >> w->oa_bits))
		return set_fault(res, SMMU_FAULT_ADDR_SIZE, w->stage, first);
	for (int level = first;; level++) {
		unsigned shift = w->granule_log2 + stride * (unsigned)(SMMU_LAST_LEVEL - level);
		unsigned bits = level == w->start_level ? w->ia_bits - shift : stride;
		uint64_t idx = (ia >> shift) & ((UINT64_C(1) << bits) - 1);
		uint64_t pa = table + (idx << SMMU_PTE_SIZE_LOG2), desc, addr;

		if (fetch_desc(w, pa, &desc))
			return set_eabt(res, w->stage, level, pa, true);
		if (!(desc & SMMU_PTE_VALID))
			return set_fault(res, SMMU_FAULT_TRANSLATION, w->stage, level);
		bool table_desc = (desc & SMMU_PTE_TYPE) && level < SMMU_LAST_LEVEL;
		if (!table_desc && level < SMMU_LAST_LEVEL && !block_allowed(w, level))
			return set_fault(res, SMMU_FAULT_TRANSLATION, w->stage, level);
		if (level == SMMU_LAST_LEVEL && !(desc & SMMU_PTE_TYPE))
			return set_fault(res, SMMU_FAULT_TRANSLATION, w->stage, level);
		if (!desc_address(w, desc, &addr))
			return set_fault(res, SMMU_FAULT_ADDR_SIZE, w->stage, level);
		if (table_desc) {
			if (w->hier)
				attrs |= desc & SMMU_PTE_TBL_ATTRS;
			table = addr;
			if (w->ops->read_table)
				w->ops->read_table(w->ops->opaque, w->stage, ia, &(struct smmu_walk_table){
					.level = level, .span_log2 = shift,
					.granule_log2 = w->granule_log2, .next = addr, .attrs = attrs });
			continue;
		}
		*leaf = (struct leaf){
			.desc = desc, .desc_pa = pa, .level = level,
			.oa_base = addr & ~((UINT64_C(1) << shift) - 1),
			.size_log2 = shift, .table_attrs = attrs,
		};
		return SMMU_FAULT_NONE;
	}
}

/* ---- leaf permissions and hardware updates --------------------------- */

/*
 * A leaf in a regime with two privilege levels (EL1&0, EL2&0; VMSAv8-64
 * D8.4.1.2): AP[2:1], UXN/PXN and their table forms; an EL0-writable
 * region is never privileged-executable; WXN takes execution from what
 * each level may write; PAN takes privileged data access from what EL0
 * may access.
 */
static unsigned s1_perms_two_levels(const struct smmu_s1_cfg *cfg, uint64_t desc,
				    uint64_t tbl)
{
	bool rdonly = (desc & SMMU_PTE_AP_RDONLY) || (tbl & SMMU_PTE_TBL_AP_RDONLY);
	bool unpriv = (desc & SMMU_PTE_AP_UNPRIV) && !(tbl & SMMU_PTE_TBL_AP_NO_UNPRIV);
	bool unpriv_write = unpriv && !rdonly;
	bool uxn = (desc & SMMU_PTE_UXN) || (tbl & SMMU_PTE_TBL_UXN) ||
		   (cfg->wxn && unpriv_write);
	bool pxn = (desc & SMMU_PTE_PXN) || (tbl & SMMU_PTE_TBL_PXN) || unpriv_write ||
		   (cfg->wxn && !rdonly);
	unsigned p = SMMU_PERM_R_PRIV;

	if (!rdonly)
		p |= SMMU_PERM_W_PRIV;
	if (unpriv)
		p |= SMMU_PERM_R_UNPRIV | (rdonly ? 0 : SMMU_PERM_W_UNPRIV);
	if (cfg->pan && unpriv)
		p &= ~(unsigned)(SMMU_PERM_R_PRIV | SMMU_PERM_W_PRIV);
	if (!pxn)
		p |= SMMU_PERM_X_PRIV;
	if (!uxn)
		p |= SMMU_PERM_X_UNPRIV;
	return p;
}

/*
 * A leaf in the EL2 regime, which has one privilege level (D8.4.1.2): AP[2]
 * alone decides writes (AP[1] is RES1 and APTable[0] and PXNTable RES0:
 * all ignored), XN and XNTable forbid execution, WXN makes writable memory
 * execute-never, and PAN does not apply.  Every access of an EL2 stream is
 * privileged (5.4, CD.UWXN), so an unprivileged one is granted the same.
 */
static unsigned s1_perms_one_level(const struct smmu_s1_cfg *cfg, uint64_t desc,
				   uint64_t tbl)
{
	bool rdonly = (desc & SMMU_PTE_AP_RDONLY) || (tbl & SMMU_PTE_TBL_AP_RDONLY);
	bool xn = (desc & SMMU_PTE_XN) || (tbl & SMMU_PTE_TBL_XN) || (cfg->wxn && !rdonly);
	unsigned p = SMMU_PERM_R_PRIV;

	if (!rdonly)
		p |= SMMU_PERM_W_PRIV;
	if (!xn)
		p |= SMMU_PERM_X_PRIV;
	return p | p << SMMU_PERM_UNPRIV_SHIFT;
}

static unsigned s1_perms(const struct smmu_s1_cfg *cfg, uint64_t desc, uint64_t tbl)
{
	if (cfg->regime == SMMU_S1_EL2)
		return s1_perms_one_level(cfg, desc, tbl);
	return s1_perms_two_levels(cfg, desc, tbl);
}

static unsigned s2_perms(const struct smmu_s2_cfg *cfg, uint64_t desc)
{
	unsigned xn = SMMU_FIELD_GET(SMMU_PTE_S2_XN, desc), p = 0;

	if (!cfg->xnx)
		xn = (xn & SMMU_S2_XN_HI) ? SMMU_S2_XN_NEVER : SMMU_S2_XN_EXEC;
	if (desc & SMMU_PTE_S2AP_READ)
		p |= SMMU_PERM_R_PRIV | SMMU_PERM_R_UNPRIV;
	if (desc & SMMU_PTE_S2AP_WRITE)
		p |= SMMU_PERM_W_PRIV | SMMU_PERM_W_UNPRIV;
	if (xn == SMMU_S2_XN_EXEC || xn == SMMU_S2_XN_UXN)
		p |= SMMU_PERM_X_PRIV;
	if (xn == SMMU_S2_XN_EXEC || xn == SMMU_S2_XN_PXN)
		p |= SMMU_PERM_X_UNPRIV;
	return p;
}

/* How the stages differ at the leaf. */
struct leaf_rules {
	bool ha, hd, affd;
	uint64_t dirty_clear;    /* DBM write makes these bits 0 ... */
	uint64_t dirty_set;      /* ... and these 1 */
};

/*
 * Access flag, permission and hardware update for one leaf; the perms the
 * translation grants afterwards go to res (a DBM page stays read-only in
 * them until a write has made it dirty).
 */
static enum smmu_fault_type check_leaf(const struct table_walk *w,
				       const struct leaf_rules *rules,
				       unsigned (*perms)(const void *, uint64_t, uint64_t),
				       const void *cfg, const struct leaf *leaf,
				       struct smmu_access acc, struct smmu_walk_result *res)
{
	uint64_t desc = leaf->desc;

	if (!(desc & SMMU_PTE_AF) && !rules->ha && !rules->affd)
		return set_fault(res, SMMU_FAULT_ACCESS, w->stage, leaf->level);
	if (acc.write && rules->hd && (desc & SMMU_PTE_DBM))
		desc = (desc & ~rules->dirty_clear) | rules->dirty_set;
	if (!(perms(cfg, desc, leaf->table_attrs) & smmu_access_perm(acc)))
		return set_fault(res, SMMU_FAULT_PERMISSION, w->stage, leaf->level);
	if (rules->ha)
		desc |= SMMU_PTE_AF;
	if (desc != leaf->desc && store_desc(w, leaf->desc_pa, desc))
		return set_eabt(res, w->stage, leaf->level, leaf->desc_pa, false);
	res->perms = perms(cfg, desc, leaf->table_attrs);
	res->size_log2 = leaf->size_log2;
	res->level = leaf->level;
	res->granule_log2 = w->granule_log2;
	res->fault.type = SMMU_FAULT_NONE;
	return SMMU_FAULT_NONE;
}

static unsigned s1_perms_cb(const void *cfg, uint64_t desc, uint64_t tbl)
{
	return s1_perms(cfg, desc, tbl);
}

static unsigned s2_perms_cb(const void *cfg, uint64_t desc, uint64_t tbl)
{
	(void)tbl;
	return s2_perms(cfg, desc);
}

static uint64_t align_table(uint64_t ttb, unsigned ia_bits, unsigned g, int level)
{
	uint64_t bytes = UINT64_C(1) << (start_level_bits(ia_bits, g, level) +
					 SMMU_PTE_SIZE_LOG2);

	if (bytes < SMMU_TABLE_MIN_ALIGN)
		bytes = SMMU_TABLE_MIN_ALIGN;
	return ttb & ~(bytes - 1);
}

/*
 * A configuration config.c let through always passes; this keeps any other
 * caller's nonsense (Reserved granule, TxSZ out of range, start level that
 * cannot resolve the input) a translation fault instead of undefined shifts.
 */
static bool geometry_ok(const struct table_walk *w)
{
	unsigned g = w->granule_log2, bits;

	if (g != SMMU_GRANULE_4K_LOG2 && g != SMMU_GRANULE_16K_LOG2 &&
	    g != SMMU_GRANULE_64K_LOG2)
		return false;
	if (w->ia_bits <= g || w->ia_bits > SMMU_IA_BITS_MAX ||
	    w->start_level < 0 || w->start_level > SMMU_LAST_LEVEL)
		return false;
	bits = start_level_bits(w->ia_bits, g, w->start_level);
	return bits && bits <= g - SMMU_PTE_SIZE_LOG2 + SMMU_S2_MAX_CONCAT_LOG2;
}

/* Walk from ttb to the leaf for ia, check it, and compute the output. */
static enum smmu_fault_type walk_and_check(struct table_walk *w, uint64_t ttb,
					   const struct leaf_rules *rules,
					   unsigned (*perms)(const void *, uint64_t, uint64_t),
					   const void *cfg, uint64_t ia, struct smmu_access acc,
					   struct leaf *leaf, struct smmu_walk_result *res)
{
	enum smmu_fault_type f;

	if (!geometry_ok(w))
		return set_fault(res, SMMU_FAULT_TRANSLATION, w->stage, 0);
	w->table = align_table(ttb, w->ia_bits, w->granule_log2, w->start_level);
	f = walk_tables(w, ia, leaf, res);
	if (f == SMMU_FAULT_NONE)
		f = check_leaf(w, rules, perms, cfg, leaf, acc, res);
	if (f == SMMU_FAULT_NONE)
		res->oa = leaf->oa_base | (ia & ((UINT64_C(1) << leaf->size_log2) - 1));
	return f;
}

/* ---- stage 1 ---------------------------------------------------------- */

/* The level that resolves the top bits of an ia_bits-wide input. */
static int s1_start_level(unsigned ia_bits, unsigned g)
{
	unsigned stride = g - SMMU_PTE_SIZE_LOG2;
	unsigned levels = (ia_bits - g + stride - 1) / stride;

	return (int)SMMU_MAX_LEVELS - (int)levels;
}

/* Which TTB covers va (0 or 1), or -1 when va is outside both ranges. */
static int s1_select_ttb(const struct smmu_s1_cfg *cfg, uint64_t va)
{
	int sel = (int)((va >> SMMU_VA_SELECT_BIT) & 1u);
	unsigned ia_bits = 64u - cfg->tsz[sel];
	unsigned top = cfg->tbi[sel] ? SMMU_VA_TOP_BYTE_SHIFT : 64u;
	/*
	 * The bits between the range and the top must all equal the select
	 * bit.  An unchecked TxSZ (EPDx = 1) can make the range reach the top:
	 * then there are none.
	 */
	uint64_t bits = ia_bits < top ? (UINT64_C(1) << (top - ia_bits)) - 1 : 0;
	uint64_t upper = ia_bits < top ? (va >> ia_bits) & bits : 0;

	return upper == (sel ? bits : 0) ? sel : -1;
}

enum smmu_fault_type smmu_walk_s1(const struct smmu_s1_cfg *cfg,
				  const struct smmu_walk_ops *ops, uint64_t va,
				  struct smmu_access acc, struct smmu_walk_result *res)
{
	struct leaf_rules rules = {
		.ha = cfg->ha, .hd = cfg->hd, .affd = cfg->affd,
		.dirty_clear = SMMU_PTE_AP_RDONLY,
	};
	int sel = s1_select_ttb(cfg, va);
	struct table_walk w = { .ops = ops, .stage = 1, .big_endian = cfg->big_endian,
				.oa_bits = cfg->ips_bits };
	enum smmu_fault_type f;
	struct leaf leaf;

	res->walk_cached = false;
	if (sel < 0 || cfg->epd[sel])
		return set_fault(res, SMMU_FAULT_TRANSLATION, 1, 0);
	w.granule_log2 = cfg->granule_log2[sel];
	w.ia_bits = 64u - cfg->tsz[sel];
	w.hier = !cfg->had[sel];
	w.start_level = w.granule_log2 > SMMU_PTE_SIZE_LOG2 && w.ia_bits > w.granule_log2 ?
			s1_start_level(w.ia_bits, w.granule_log2) : -1;
	f = walk_and_check(&w, cfg->ttb[sel], &rules, s1_perms_cb, cfg, va, acc, &leaf, res);
	if (f != SMMU_FAULT_NONE)
		return f;
	res->ipa = res->oa;
	/* nG is RES0 in the EL2 regime, which has no ASIDs. */
	res->global = cfg->regime == SMMU_S1_EL2 || !(leaf.desc & SMMU_PTE_NG);
	res->memattr = (uint8_t)(cfg->mair >> (SMMU_MAIR_ATTR_BITS *
			SMMU_FIELD_GET(SMMU_PTE_ATTRINDX, leaf.desc)));
	return SMMU_FAULT_NONE;
}

/* ---- stage 2 ---------------------------------------------------------- */

enum smmu_fault_type smmu_walk_s2(const struct smmu_s2_cfg *cfg,
				  const struct smmu_walk_ops *ops, uint64_t ipa,
				  struct smmu_access acc, struct smmu_walk_result *res)
{
	struct leaf_rules rules = {
		.ha = cfg->ha, .hd = cfg->hd, .affd = cfg->affd,
		.dirty_set = SMMU_PTE_S2AP_WRITE,
	};
	struct table_walk w = {
		.ops = ops, .stage = 2, .big_endian = cfg->big_endian,
		.oa_bits = cfg->ps_bits, .granule_log2 = cfg->granule_log2,
		.ia_bits = 64u - cfg->tsz, .start_level = cfg->start_level,
	};
	enum smmu_fault_type f;
	struct leaf leaf;

	res->walk_cached = false;
	if (w.ia_bits < 64 && (ipa >> w.ia_bits)) {
		f = set_fault(res, SMMU_FAULT_TRANSLATION, 2, w.start_level);
	} else {
		f = walk_and_check(&w, cfg->ttb, &rules, s2_perms_cb, cfg, ipa, acc, &leaf, res);
	}
	if (f != SMMU_FAULT_NONE) {
		res->fault.ipa = ipa;
		return f;
	}
	res->ipa = ipa;
	res->global = true;
	res->memattr = (uint8_t)SMMU_FIELD_GET(SMMU_PTE_S2_MEMATTR, leaf.desc);
	return SMMU_FAULT_NONE;
}

/* ---- nested ----------------------------------------------------------- */

/*
 * Stage-1 descriptor accesses are IPAs: each goes through stage 2 first.
 * A stage-2 fault there (class TT) or an abort on the final access is
 * kept here, because the stage-1 walker only learns that the fetch failed.
 */
struct nested_ctx {
	const struct smmu_s2_cfg *s2;
	const struct smmu_walk_ops *ops;
	struct smmu_walk_fault fault;
	bool walk_cached;        /* a stage-2 walk for a descriptor used the cache */
};

static int nested_s2_address(struct nested_ctx *ctx, uint64_t ipa, bool write,
			     uint64_t *pa)
{
	struct smmu_access acc = { .write = write, .priv = true };
	struct smmu_walk_result r;

	if (smmu_walk_s2(ctx->s2, ctx->ops, ipa, acc, &r) == SMMU_FAULT_NONE &&
	    ctx->s2->ptw && SMMU_FIELD_GET(SMMU_S2_MEMATTR_TYPE, r.memattr) == 0)
		set_fault(&r, SMMU_FAULT_PERMISSION, 2, r.level);
	ctx->walk_cached |= r.walk_cached;
	if (r.fault.type != SMMU_FAULT_NONE) {
		ctx->fault = r.fault;
		ctx->fault.class = SMMU_EVT_CLASS_TT;
		ctx->fault.ipa = ipa;
		ctx->fault.ttrnw = !write;
		return -EFAULT;
	}
	*pa = r.oa;
	return 0;
}

static int nested_abort(struct nested_ctx *ctx, uint64_t pa, bool write)
{
	ctx->fault = (struct smmu_walk_fault){
		.type = SMMU_FAULT_WALK_EABT, .stage = 1,
		.class = SMMU_EVT_CLASS_TT, .fetch_addr = pa, .ttrnw = !write,
	};
	return -EIO;
}

static int nested_read(void *opaque, uint64_t ipa, uint64_t *desc)
{
	struct nested_ctx *ctx = opaque;
	uint64_t pa;

	if (nested_s2_address(ctx, ipa, false, &pa))
		return -EFAULT;
	if (ctx->ops->read_desc(ctx->ops->opaque, pa, desc))
		return nested_abort(ctx, pa, false);
	return 0;
}

static int nested_write(void *opaque, uint64_t ipa, uint64_t desc)
{
	struct nested_ctx *ctx = opaque;
	uint64_t pa;

	if (nested_s2_address(ctx, ipa, true, &pa))
		return -EFAULT;
	if (!ctx->ops->write_desc || ctx->ops->write_desc(ctx->ops->opaque, pa, desc))
		return nested_abort(ctx, pa, true);
	return 0;
}

/* Stage 1's table descriptors are cached as the caller's stage-1 ones. */
static bool nested_cached_table(void *opaque, unsigned stage, uint64_t ia,
				unsigned granule_log2, struct smmu_walk_table *t)
{
	const struct nested_ctx *ctx = opaque;

	return ctx->ops->cached_table(ctx->ops->opaque, stage, ia, granule_log2, t);
}

static void nested_read_table(void *opaque, unsigned stage, uint64_t ia,
			      const struct smmu_walk_table *t)
{
	const struct nested_ctx *ctx = opaque;

	ctx->ops->read_table(ctx->ops->opaque, stage, ia, t);
}

enum smmu_fault_type smmu_walk_nested(const struct smmu_s1_cfg *s1,
				      const struct smmu_s2_cfg *s2,
				      const struct smmu_walk_ops *ops, uint64_t va,
				      struct smmu_access acc,
				      struct smmu_walk_result *res)
{
	struct nested_ctx ctx = { .s2 = s2, .ops = ops };
	struct smmu_walk_ops via_s2 = {
		.read_desc = nested_read, .write_desc = nested_write, .opaque = &ctx,
		.cached_table = ops->cached_table ? nested_cached_table : NULL,
		.read_table = ops->read_table ? nested_read_table : NULL,
	};
	struct smmu_walk_result s2res;
	enum smmu_fault_type f = smmu_walk_s1(s1, &via_s2, va, acc, res);

	res->walk_cached |= ctx.walk_cached;
	if (f == SMMU_FAULT_WALK_EABT && ctx.fault.type != SMMU_FAULT_NONE) {
		res->fault = ctx.fault;
		return ctx.fault.type;
	}
	if (f != SMMU_FAULT_NONE)
		return f;
	f = smmu_walk_s2(s2, ops, res->oa, acc, &s2res);
	res->walk_cached |= s2res.walk_cached;
	if (f != SMMU_FAULT_NONE) {
		res->fault = s2res.fault;
		return f;
	}
	res->oa = s2res.oa;     /* res->ipa keeps stage 1's output */
	res->perms &= s2res.perms;
	if (s2res.size_log2 < res->size_log2)
		res->size_log2 = s2res.size_log2;
	return SMMU_FAULT_NONE;
}
