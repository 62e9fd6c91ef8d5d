/*
 * The register file: MMIO decoding of page 0 and page 1.
 *
 * Concepts: every register is either read-only (ID registers, the *ACK
 * registers, GERROR), a plain stored register whose writable bits and
 * Guard are described by reg_table[] (the architecture's "Guarded by"
 * rule: a write while the guarding enable is set in CR0 or CR0ACK, or in
 * IRQ_CTRL or IRQ_CTRLACK, is IGNORED as SMMUv3.2 specifies), or one with
 * side effects decoded by name (CR0, GBPA, IRQ_CTRL, GERRORN, queue
 * PROD/CONS).  64-bit registers are also reachable as two 32-bit halves
 * (bits [63:32] at +4); a 64-bit access to a pair of 32-bit registers acts
 * as two 32-bit accesses.  Unknown, absent or misaligned offsets read as
 * zero and ignore writes.  Updates (CR0, IRQ_CTRL, GBPA) complete at once:
 * the ACK register mirrors the new value when the write returns.
 * UNKNOWN reset values are zero.  A write that changes a register
 * translation depends on (struct smmu_model_snapshot) voids the resolved
 * configurations of the fast path.
 */
#include <stddef.h>
#include <string.h>

#include "model_internal.h"

enum reg_guard {
	GUARD_NONE,
	GUARD_CR0,      /* writable while guard_bit is clear in CR0 and CR0ACK */
	GUARD_IRQ,      /* writable while guard_bit is clear in IRQ_CTRL and ACK */
};

enum reg_presence { PRESENT_ALWAYS, PRESENT_MSI, PRESENT_PRI, PRESENT_PRI_MSI };

struct reg_desc {
	uint32_t off;
	bool wide;
	size_t field;           /* offsetof(struct smmu_model_regs, ...) */
	uint64_t wmask;         /* architecturally writable bits */
	enum reg_guard guard;
	uint32_t guard_bit;
	enum reg_presence present;
};

#define Q_BASE_MASK (SMMU_Q_BASE_RA | SMMU_Q_BASE_ADDR | SMMU_Q_BASE_LOG2SIZE)
#define IRQ_CFG2_MASK (SMMU_IRQ_CFG2_MEMATTR | SMMU_IRQ_CFG2_SH)
#define REG(o, w, f, mask, g, gb, p) \
	{ (o), (w), offsetof(struct smmu_model_regs, f), (mask), (g), (uint32_t)(gb), (p) }

static const struct reg_desc reg_table[] = {
	REG(SMMU_CR2, false, cr2, SMMU_CR2_E2H | SMMU_CR2_RECINVSID | SMMU_CR2_PTM,
	    GUARD_CR0, SMMU_CR0_SMMUEN, PRESENT_ALWAYS),
	REG(SMMU_GERROR_IRQ_CFG0, true, gerror_msi.addr, SMMU_IRQ_CFG0_ADDR,
	    GUARD_IRQ, SMMU_IRQ_CTRL_GERROR_IRQEN, PRESENT_MSI),
	REG(SMMU_GERROR_IRQ_CFG1, false, gerror_msi.data, SMMU_IRQ_CFG1_DATA,
	    GUARD_IRQ, SMMU_IRQ_CTRL_GERROR_IRQEN, PRESENT_MSI),
	REG(SMMU_GERROR_IRQ_CFG2, false, gerror_msi.attr, IRQ_CFG2_MASK,
	    GUARD_IRQ, SMMU_IRQ_CTRL_GERROR_IRQEN, PRESENT_MSI),
	REG(SMMU_STRTAB_BASE, true, strtab_base, SMMU_STRTAB_BASE_RA | SMMU_STRTAB_BASE_ADDR,
	    GUARD_CR0, SMMU_CR0_SMMUEN, PRESENT_ALWAYS),
	REG(SMMU_STRTAB_BASE_CFG, false, strtab_base_cfg,
	    SMMU_STRTAB_BASE_CFG_LOG2SIZE | SMMU_STRTAB_BASE_CFG_SPLIT |
	    SMMU_STRTAB_BASE_CFG_FMT, GUARD_CR0, SMMU_CR0_SMMUEN, PRESENT_ALWAYS),
	REG(SMMU_CMDQ_BASE, true, cmdq.base, Q_BASE_MASK,
	    GUARD_CR0, SMMU_CR0_CMDQEN, PRESENT_ALWAYS),
	REG(SMMU_EVENTQ_BASE, true, eventq.base, Q_BASE_MASK,
	    GUARD_CR0, SMMU_CR0_EVENTQEN, PRESENT_ALWAYS),
	REG(SMMU_EVENTQ_IRQ_CFG0, true, eventq_msi.addr, SMMU_IRQ_CFG0_ADDR,
	    GUARD_IRQ, SMMU_IRQ_CTRL_EVENTQ_IRQEN, PRESENT_MSI),
	REG(SMMU_EVENTQ_IRQ_CFG1, false, eventq_msi.data, SMMU_IRQ_CFG1_DATA,
	    GUARD_IRQ, SMMU_IRQ_CTRL_EVENTQ_IRQEN, PRESENT_MSI),
	REG(SMMU_EVENTQ_IRQ_CFG2, false, eventq_msi.attr, IRQ_CFG2_MASK,
	    GUARD_IRQ, SMMU_IRQ_CTRL_EVENTQ_IRQEN, PRESENT_MSI),
	REG(SMMU_PRIQ_BASE, true, priq.base, Q_BASE_MASK,
	    GUARD_CR0, SMMU_CR0_PRIQEN, PRESENT_PRI),
	REG(SMMU_PRIQ_IRQ_CFG0, true, priq_msi.addr, SMMU_IRQ_CFG0_ADDR,
	    GUARD_IRQ, SMMU_IRQ_CTRL_PRIQ_IRQEN, PRESENT_PRI_MSI),
	REG(SMMU_PRIQ_IRQ_CFG1, false, priq_msi.data, SMMU_IRQ_CFG1_DATA,
	    GUARD_IRQ, SMMU_IRQ_CTRL_PRIQ_IRQEN, PRESENT_PRI_MSI),
	REG(SMMU_PRIQ_IRQ_CFG2, false, priq_msi.attr, IRQ_CFG2_MASK | SMMU_PRIQ_IRQ_CFG2_LO,
	    GUARD_IRQ, SMMU_IRQ_CTRL_PRIQ_IRQEN, PRESENT_PRI_MSI),
};

/* ---- Reset and ID registers ------------------------------------------- */

static uint32_t idr0_value(const struct smmu_model_config *c)
{
	return (uint32_t)(SMMU_FIELD_PREP(SMMU_IDR0_S2P, c->stage2) |
			  SMMU_FIELD_PREP(SMMU_IDR0_S1P, c->stage1) |
			  SMMU_FIELD_PREP(SMMU_IDR0_TTF, c->ttf) |
			  SMMU_FIELD_PREP(SMMU_IDR0_COHACC, c->coherent) |
			  SMMU_FIELD_PREP(SMMU_IDR0_BTM, c->btm) |
			  SMMU_FIELD_PREP(SMMU_IDR0_HTTU, c->httu) |
			  SMMU_FIELD_PREP(SMMU_IDR0_HYP, c->hyp) |
			  SMMU_FIELD_PREP(SMMU_IDR0_ATS, c->ats) |
			  SMMU_FIELD_PREP(SMMU_IDR0_ASID16, c->asid16) |
			  SMMU_FIELD_PREP(SMMU_IDR0_MSI, c->msi) |
			  SMMU_FIELD_PREP(SMMU_IDR0_SEV, c->sev) |
			  SMMU_FIELD_PREP(SMMU_IDR0_PRI, c->pri) |
			  SMMU_FIELD_PREP(SMMU_IDR0_VMID16, c->vmid16) |
			  SMMU_FIELD_PREP(SMMU_IDR0_CD2L, c->cd2l) |
			  SMMU_FIELD_PREP(SMMU_IDR0_TTENDIAN, c->ttendian) |
			  SMMU_FIELD_PREP(SMMU_IDR0_STALL_MODEL, c->stall_model) |
			  SMMU_FIELD_PREP(SMMU_IDR0_TERM_MODEL, c->term_model) |
			  SMMU_FIELD_PREP(SMMU_IDR0_ST_LEVEL,
					  c->st_2lvl ? SMMU_ST_LEVEL_2LVL : SMMU_ST_LEVEL_LINEAR));
}

static uint32_t idr1_value(const struct smmu_model_config *c)
{
	return (uint32_t)(SMMU_FIELD_PREP(SMMU_IDR1_SIDSIZE, c->sid_bits) |
			  SMMU_FIELD_PREP(SMMU_IDR1_SSIDSIZE, c->ssid_bits) |
			  SMMU_FIELD_PREP(SMMU_IDR1_PRIQS, c->pri ? c->priq_log2 : 0) |
			  SMMU_FIELD_PREP(SMMU_IDR1_EVENTQS, c->eventq_log2) |
			  SMMU_FIELD_PREP(SMMU_IDR1_CMDQS, c->cmdq_log2) |
			  SMMU_FIELD_PREP(SMMU_IDR1_ATTR_PERMS_OVR, c->attr_perms_ovr) |
			  SMMU_FIELD_PREP(SMMU_IDR1_ATTR_TYPES_OVR, c->attr_types_ovr));
}

static uint32_t idr3_value(const struct smmu_model_config *c)
{
	return (uint32_t)(SMMU_FIELD_PREP(SMMU_IDR3_FWB, c->fwb) |
			  SMMU_FIELD_PREP(SMMU_IDR3_RIL, c->ril) |
			  SMMU_FIELD_PREP(SMMU_IDR3_BBML, c->bbml));
}

static uint32_t idr5_value(const struct smmu_model_config *c)
{
	return (uint32_t)(SMMU_FIELD_PREP(SMMU_IDR5_OAS, smmu_oas_encode(c->oas_bits)) |
			  SMMU_FIELD_PREP(SMMU_IDR5_GRAN4K, c->gran4k) |
			  SMMU_FIELD_PREP(SMMU_IDR5_GRAN16K, c->gran16k) |
			  SMMU_FIELD_PREP(SMMU_IDR5_GRAN64K, c->gran64k) |
			  SMMU_FIELD_PREP(SMMU_IDR5_VAX, c->vax) |
			  SMMU_FIELD_PREP(SMMU_IDR5_STALL_MAX, c->stall_max));
}

static void queue_reset(struct smmu_model_queue *q, unsigned max_log2, unsigned size)
{
	q->base = 0;
	q->prod = q->cons = 0;
	q->max_log2 = max_log2;
	q->entry_size = size;
}

void smmu_model_regs_reset(struct smmu_model *m)
{
	const struct smmu_model_config *c = &m->cfg;
	struct smmu_model_regs *r = &m->regs;

	memset(r, 0, sizeof(*r));
	r->idr[0] = idr0_value(c);
	r->idr[1] = idr1_value(c);
	r->idr[3] = idr3_value(c);
	r->idr[5] = idr5_value(c);
	r->iidr = c->iidr;
	r->aidr = (uint32_t)SMMU_FIELD_PREP(SMMU_AIDR_MINOR, c->aidr_minor);
	r->gbpa = (uint32_t)(SMMU_FIELD_PREP(SMMU_GBPA_SHCFG, SMMU_SHCFG_INCOMING) |
			     SMMU_FIELD_PREP(SMMU_GBPA_ABORT, c->gbpa_abort_at_reset));
	queue_reset(&r->cmdq, c->cmdq_log2, SMMU_CMD_SIZE);
	queue_reset(&r->eventq, c->eventq_log2, SMMU_EVT_SIZE);
	queue_reset(&r->priq, c->pri ? c->priq_log2 : 0, SMMU_PRI_SIZE);
}

void smmu_model_snapshot_locked(struct smmu_model *m, struct smmu_model_snapshot *snap)
{
	snap->smmuen = m->regs.cr0ack & SMMU_CR0_SMMUEN;
	snap->atschk = m->regs.cr0ack & SMMU_CR0_ATSCHK;
	snap->gbpa = m->regs.gbpa;
	snap->cr2 = m->regs.cr2;
	snap->strtab_base = m->regs.strtab_base;
	snap->strtab_base_cfg = m->regs.strtab_base_cfg;
}

void smmu_model_snapshot(struct smmu_model *m, struct smmu_model_snapshot *snap)
{
	smmu_model_lock(m);
	smmu_model_snapshot_locked(m, snap);
	smmu_model_unlock(m);
}

/* ---- Identification registers ----------------------------------------- */

static uint32_t pidr_value(const struct smmu_model_regs *r, uint64_t off)
{
	uint32_t impl = (uint32_t)SMMU_FIELD_GET(SMMU_IIDR_IMPLEMENTER, r->iidr);
	uint32_t product = (uint32_t)SMMU_FIELD_GET(SMMU_IIDR_PRODUCTID, r->iidr);
	uint32_t id = (uint32_t)SMMU_FIELD_GET(SMMU_JEP106_ID, impl);

	switch (off) {
	case SMMU_PIDR0:
		return (uint32_t)SMMU_FIELD_PREP(SMMU_PIDR0_PART_0,
						 SMMU_FIELD_GET(SMMU_PART_NUM_LO, product));
	case SMMU_PIDR1:
		return (uint32_t)(SMMU_FIELD_PREP(SMMU_PIDR1_PART_1,
						  SMMU_FIELD_GET(SMMU_PART_NUM_HI, product)) |
				  SMMU_FIELD_PREP(SMMU_PIDR1_DES_0,
						  SMMU_FIELD_GET(SMMU_JEP106_ID_LO, id)));
	case SMMU_PIDR2:
		return (uint32_t)(SMMU_FIELD_PREP(SMMU_PIDR2_DES_1,
						  SMMU_FIELD_GET(SMMU_JEP106_ID_HI, id)) |
				  SMMU_PIDR2_JEDEC |
				  SMMU_FIELD_PREP(SMMU_PIDR2_REVISION,
						  SMMU_FIELD_GET(SMMU_IIDR_VARIANT, r->iidr)));
	case SMMU_PIDR3:
		return (uint32_t)SMMU_FIELD_PREP(SMMU_PIDR3_REVAND,
						 SMMU_FIELD_GET(SMMU_IIDR_REVISION, r->iidr));
	case SMMU_PIDR4:
		return (uint32_t)SMMU_FIELD_PREP(SMMU_PIDR4_DES_2,
						 SMMU_FIELD_GET(SMMU_JEP106_CONT, impl));
	default:
		return 0;       /* PIDR5-7 */
	}
}

static bool id_reg_read(const struct smmu_model_regs *r, uint64_t off, uint32_t *v)
{
	switch (off) {
	case SMMU_IDR0: case SMMU_IDR1: case SMMU_IDR2:
	case SMMU_IDR3: case SMMU_IDR4: case SMMU_IDR5:
		*v = r->idr[(off - SMMU_IDR0) / sizeof(uint32_t)];
		return true;
	case SMMU_IIDR: *v = r->iidr; return true;
	case SMMU_AIDR: *v = r->aidr; return true;
	case SMMU_CIDR0: *v = SMMU_CIDR0_VAL; return true;
	case SMMU_CIDR1: *v = SMMU_CIDR1_VAL; return true;
	case SMMU_CIDR2: *v = SMMU_CIDR2_VAL; return true;
	case SMMU_CIDR3: *v = SMMU_CIDR3_VAL; return true;
	case SMMU_PIDR0: case SMMU_PIDR1: case SMMU_PIDR2: case SMMU_PIDR3:
	case SMMU_PIDR4: case SMMU_PIDR5: case SMMU_PIDR6: case SMMU_PIDR7:
		*v = pidr_value(r, off);
		return true;
	default:
		return false;
	}
}

/* ---- Table-described registers ---------------------------------------- */

static bool reg_present(const struct smmu_model_config *c, enum reg_presence p)
{
	switch (p) {
	case PRESENT_MSI: return c->msi;
	case PRESENT_PRI: return c->pri;
	case PRESENT_PRI_MSI: return c->pri && c->msi;
	default: return true;
	}
}

/* The descriptor covering off (either half of a 64-bit register). */
static const struct reg_desc *reg_lookup(const struct smmu_model *m, uint64_t off)
{
	for (size_t i = 0; i < sizeof(reg_table) / sizeof(reg_table[0]); i++) {
		const struct reg_desc *d = &reg_table[i];

		if ((off == d->off || (d->wide && off == d->off + sizeof(uint32_t))) &&
		    reg_present(&m->cfg, d->present))
			return d;
	}
	return NULL;
}

/* Bits this configuration implements beyond what the table says. */
static uint64_t reg_impl_mask(const struct smmu_model *m, const struct reg_desc *d)
{
	switch (d->off) {
	case SMMU_CR2:
		return m->cfg.hyp ? ~UINT64_C(0) : ~SMMU_CR2_E2H;
	case SMMU_STRTAB_BASE_CFG:
		return m->cfg.st_2lvl ? ~UINT64_C(0) : ~SMMU_STRTAB_BASE_CFG_FMT;
	default:
		return ~UINT64_C(0);
	}
}

static bool cr0_enable_clear(const struct smmu_model_regs *r, uint32_t bits)
{
	return !((r->cr0 | r->cr0ack) & bits);
}

static bool irq_enable_clear(const struct smmu_model_regs *r, uint32_t bits)
{
	return !((r->irq_ctrl | r->irq_ctrlack) & bits);
}

static bool reg_guard_open(const struct smmu_model_regs *r, const struct reg_desc *d)
{
	switch (d->guard) {
	case GUARD_CR0: return cr0_enable_clear(r, d->guard_bit);
	case GUARD_IRQ: return irq_enable_clear(r, d->guard_bit);
	default: return true;
	}
}

static uint64_t desc_get(struct smmu_model *m, const struct reg_desc *d)
{
	const char *slot = (const char *)&m->regs + d->field;
	uint64_t v64;
	uint32_t v32;

	if (d->wide) {
		memcpy(&v64, slot, sizeof(v64));
		return v64;
	}
	memcpy(&v32, slot, sizeof(v32));
	return v32;
}

static void desc_set(struct smmu_model *m, const struct reg_desc *d, uint64_t v)
{
	char *slot = (char *)&m->regs + d->field;
	uint32_t v32 = (uint32_t)v;

	if (d->wide)
		memcpy(slot, &v, sizeof(v));
	else
		memcpy(slot, &v32, sizeof(v32));
}

static uint32_t desc_read32(struct smmu_model *m, const struct reg_desc *d, uint64_t off)
{
	uint64_t v = desc_get(m, d);

	return (uint32_t)(off == d->off ? v : v >> 32);
}

/* A 32-bit write replaces its half of a 64-bit register. */
static void desc_write(struct smmu_model *m, const struct reg_desc *d, uint64_t off,
		       uint64_t v, bool whole)
{
	uint64_t old = desc_get(m, d);

	if (!reg_guard_open(&m->regs, d))
		return;
	if (!whole)
		v = off == d->off ? (old & ~(uint64_t)UINT32_MAX) | (uint32_t)v
				  : (old & UINT32_MAX) | (v << 32);
	desc_set(m, d, v & d->wmask & reg_impl_mask(m, d));
}

/* ---- Registers with side effects -------------------------------------- */

static uint32_t cr0_mask(const struct smmu_model_config *c)
{
	return (uint32_t)(SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN |
			  (c->pri ? SMMU_CR0_PRIQEN : 0) | (c->ats ? SMMU_CR0_ATSCHK : 0));
}

static void write_cr0(struct smmu_model *m, uint32_t v)
{
	struct smmu_model_regs *r = &m->regs;

	r->cr0 = v & cr0_mask(&m->cfg);
	/* The Update completes at once; the command queue sees the new state. */
	r->cr0ack = r->cr0;
	smmu_model_cmdq_kick_locked(m);
}

/* QUEUE_* are Guarded by the queue enables, TABLE_* by SMMUEN. */
static void write_cr1(struct smmu_model_regs *r, uint32_t v)
{
	const uint32_t queue = (uint32_t)(SMMU_CR1_QUEUE_IC | SMMU_CR1_QUEUE_OC |
					  SMMU_CR1_QUEUE_SH);
	const uint32_t table = (uint32_t)(SMMU_CR1_TABLE_IC | SMMU_CR1_TABLE_OC |
					  SMMU_CR1_TABLE_SH);

	if (cr0_enable_clear(r, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN |
					   SMMU_CR0_PRIQEN)))
		r->cr1 = (r->cr1 & ~queue) | (v & queue);
	if (cr0_enable_clear(r, (uint32_t)SMMU_CR0_SMMUEN))
		r->cr1 = (r->cr1 & ~table) | (v & table);
}

static void write_gbpa(struct smmu_model_regs *r, uint32_t v)
{
	const uint32_t fields = (uint32_t)(SMMU_GBPA_MEMATTR | SMMU_GBPA_MTCFG |
					   SMMU_GBPA_ALLOCCFG | SMMU_GBPA_SHCFG |
					   SMMU_GBPA_PRIVCFG | SMMU_GBPA_INSTCFG |
					   SMMU_GBPA_ABORT);

	/* Only a write with UPDATE set takes effect; it completes at once. */
	if (v & SMMU_GBPA_UPDATE)
		r->gbpa = v & fields;
}

static void write_irq_ctrl(struct smmu_model *m, uint32_t v)
{
	uint32_t mask = (uint32_t)(SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN |
				   (m->cfg.pri ? SMMU_IRQ_CTRL_PRIQ_IRQEN : 0));

	m->regs.irq_ctrl = v & mask;
	m->regs.irq_ctrlack = m->regs.irq_ctrl;
}

static uint32_t gerror_impl_mask(const struct smmu_model_config *c)
{
	uint64_t mask = SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR |
			SMMU_GERROR_SFM_ERR;

	if (c->pri)
		mask |= SMMU_GERROR_PRIQ_ABT_ERR;
	if (c->msi)
		mask |= SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVENTQ_ABT_ERR |
			SMMU_GERROR_MSI_GERROR_ABT_ERR |
			(c->pri ? SMMU_GERROR_MSI_PRIQ_ABT_ERR : 0);
	return (uint32_t)mask;
}

/*
 * Only active errors can be acknowledged.  Toggling the GERRORN bit of an
 * inactive error is CONSTRAINED UNPREDICTABLE (it may or may not activate
 * the error); this model ignores it.
 */
static void write_gerrorn(struct smmu_model *m, uint32_t v)
{
	struct smmu_model_regs *r = &m->regs;
	uint32_t active = (r->gerror ^ r->gerrorn) & gerror_impl_mask(&m->cfg);

	r->gerrorn = (r->gerrorn & ~active) | (v & active);
	/* Acknowledging CMDQ_ERR restarts consumption at CONS. */
	smmu_model_cmdq_kick_locked(m);
}

/* PROD of the command queue, CONS of the output queues: always writable. */
static void write_ptr(struct smmu_model_queue *q, uint32_t *ptr, uint32_t v,
		      uint32_t flag)
{
	*ptr = v & (smmu_queue_ptr_mask(q) | flag);
}

static void write_cmdq_cons(struct smmu_model_regs *r, uint32_t v)
{
	/* CONS.ERR keeps its value: software cannot clear an error here. */
	if (cr0_enable_clear(r, (uint32_t)SMMU_CR0_CMDQEN))
		r->cmdq.cons = (r->cmdq.cons & (uint32_t)SMMU_CMDQ_CONS_ERR) |
			       (v & smmu_queue_ptr_mask(&r->cmdq));
}

static bool write_special(struct smmu_model *m, uint64_t off, uint32_t v)
{
	struct smmu_model_regs *r = &m->regs;

	switch (off) {
	case SMMU_CR0: write_cr0(m, v); return true;
	case SMMU_CR1: write_cr1(r, v); return true;
	case SMMU_GBPA: write_gbpa(r, v); return true;
	case SMMU_IRQ_CTRL: write_irq_ctrl(m, v); return true;
	case SMMU_GERRORN: write_gerrorn(m, v); return true;
	case SMMU_CMDQ_PROD:
		write_ptr(&r->cmdq, &r->cmdq.prod, v, 0);
		smmu_model_cmdq_kick_locked(m);
		return true;
	case SMMU_CMDQ_CONS: write_cmdq_cons(r, v); return true;
	case SMMU_EVENTQ_PROD:
		if (cr0_enable_clear(r, (uint32_t)SMMU_CR0_EVENTQEN))
			write_ptr(&r->eventq, &r->eventq.prod, v, (uint32_t)SMMU_Q_PROD_OVFLG);
		return true;
	case SMMU_EVENTQ_CONS:
		write_ptr(&r->eventq, &r->eventq.cons, v, (uint32_t)SMMU_Q_CONS_OVACKFLG);
		return true;
	case SMMU_PRIQ_PROD:
		if (m->cfg.pri && cr0_enable_clear(r, (uint32_t)SMMU_CR0_PRIQEN))
			write_ptr(&r->priq, &r->priq.prod, v, (uint32_t)SMMU_Q_PROD_OVFLG);
		return true;
	case SMMU_PRIQ_CONS:
		if (m->cfg.pri)
			write_ptr(&r->priq, &r->priq.cons, v, (uint32_t)SMMU_Q_CONS_OVACKFLG);
		return true;
	default:
		return false;
	}
}

static bool read_special(struct smmu_model *m, uint64_t off, uint32_t *v)
{
	const struct smmu_model_regs *r = &m->regs;

	switch (off) {
	case SMMU_CR0: *v = r->cr0; return true;
	case SMMU_CR0ACK: *v = r->cr0ack; return true;
	case SMMU_CR1: *v = r->cr1; return true;
	case SMMU_GBPA: *v = r->gbpa; return true;
	case SMMU_IRQ_CTRL: *v = r->irq_ctrl; return true;
	case SMMU_IRQ_CTRLACK: *v = r->irq_ctrlack; return true;
	case SMMU_GERROR: *v = r->gerror; return true;
	case SMMU_GERRORN: *v = r->gerrorn; return true;
	case SMMU_CMDQ_PROD: *v = r->cmdq.prod; return true;
	case SMMU_CMDQ_CONS: *v = r->cmdq.cons; return true;
	case SMMU_EVENTQ_PROD: *v = r->eventq.prod; return true;
	case SMMU_EVENTQ_CONS: *v = r->eventq.cons; return true;
	case SMMU_PRIQ_PROD: *v = m->cfg.pri ? r->priq.prod : 0; return true;
	case SMMU_PRIQ_CONS: *v = m->cfg.pri ? r->priq.cons : 0; return true;
	default:
		return false;
	}
}

/* ---- MMIO entry points ------------------------------------------------ */

static bool offset_valid(uint64_t off)
{
	return off < SMMU_MMIO_SIZE && !(off & (sizeof(uint32_t) - 1));
}

static uint32_t read32_locked(struct smmu_model *m, uint64_t off)
{
	const struct reg_desc *d;
	uint32_t v = 0;

	if (!offset_valid(off) || id_reg_read(&m->regs, off, &v) ||
	    read_special(m, off, &v))
		return v;
	d = reg_lookup(m, off);
	return d ? desc_read32(m, d, off) : 0;
}

static void write32_locked(struct smmu_model *m, uint64_t off, uint32_t v)
{
	const struct reg_desc *d;

	if (!offset_valid(off) || write_special(m, off, v))
		return;
	d = reg_lookup(m, off);
	if (d)
		desc_write(m, d, off, v, false);
}

/* A 64-bit register accessed whole; else NULL and two 32-bit accesses. */
static const struct reg_desc *wide_at(const struct smmu_model *m, uint64_t off)
{
	const struct reg_desc *d = reg_lookup(m, off);

	return d && d->wide && d->off == off ? d : NULL;
}

uint32_t smmu_model_mmio_read32(struct smmu_model *m, uint64_t offset)
{
	uint32_t v;

	if (!m)
		return 0;
	smmu_model_lock(m);
	v = read32_locked(m, offset);
	smmu_model_unlock(m);
	return v;
}

static bool snapshot_equal(const struct smmu_model_snapshot *a,
			   const struct smmu_model_snapshot *b)
{
	return a->smmuen == b->smmuen && a->atschk == b->atschk && a->gbpa == b->gbpa &&
	       a->cr2 == b->cr2 &&
	       a->strtab_base == b->strtab_base && a->strtab_base_cfg == b->strtab_base_cfg;
}

/* A write changed what translations see: resolved configurations are stale. */
static void snapshot_check(struct smmu_model *m, const struct smmu_model_snapshot *before)
{
	struct smmu_model_snapshot after;

	smmu_model_snapshot_locked(m, &after);
	if (!snapshot_equal(before, &after))
		smmu_cfg_fast_bump(m);
}

void smmu_model_mmio_write32(struct smmu_model *m, uint64_t offset, uint32_t v)
{
	struct smmu_model_snapshot before;

	if (!m)
		return;
	smmu_model_lock(m);
	smmu_model_snapshot_locked(m, &before);
	write32_locked(m, offset, v);
	snapshot_check(m, &before);
	smmu_model_unlock(m);
}

uint64_t smmu_model_mmio_read64(struct smmu_model *m, uint64_t offset)
{
	const struct reg_desc *d;
	uint64_t v;

	if (!m)
		return 0;
	smmu_model_lock(m);
	d = wide_at(m, offset);
	if (d)
		v = desc_get(m, d);
	else
		v = read32_locked(m, offset) |
		    ((uint64_t)read32_locked(m, offset + sizeof(uint32_t)) << 32);
	smmu_model_unlock(m);
	return v;
}

void smmu_model_mmio_write64(struct smmu_model *m, uint64_t offset, uint64_t v)
{
	struct smmu_model_snapshot before;
	const struct reg_desc *d;

	if (!m)
		return;
	smmu_model_lock(m);
	smmu_model_snapshot_locked(m, &before);
	d = wide_at(m, offset);
	if (d) {
		desc_write(m, d, offset, v, true);
	} else {
		write32_locked(m, offset, (uint32_t)v);
		write32_locked(m, offset + sizeof(uint32_t), (uint32_t)(v >> 32));
	}
	snapshot_check(m, &before);
	smmu_model_unlock(m);
}
