/*
 * Model suite: the register file, seen only through MMIO.
 *
 * Concepts: reset values of every register; ID registers following the
 * configuration; configurations no SMMUv3 could have being refused; the
 * CR0/CR0ACK, IRQ_CTRL/IRQ_CTRLACK and GBPA.UPDATE handshakes; 64-bit
 * registers through 32-bit halves; the Guards on base and IRQ_CFG
 * registers; RES0 bits, read-only registers and unknown offsets.
 */
#include <errno.h>

#include "harness.h"

struct reg_value {
	uint64_t off;
	uint32_t val;
};

static void test_reset_values(void **state)
{
	struct harness *h = *state;
	static const uint64_t zero_regs[] = {
		SMMU_IDR2, SMMU_IDR4, SMMU_CR0, SMMU_CR0ACK, SMMU_CR1, SMMU_CR2,
		SMMU_STATUSR, SMMU_AGBPA, SMMU_IRQ_CTRL, SMMU_IRQ_CTRLACK, SMMU_GERROR,
		SMMU_GERRORN, SMMU_GERROR_IRQ_CFG0, SMMU_GERROR_IRQ_CFG0 + 4,
		SMMU_GERROR_IRQ_CFG1, SMMU_GERROR_IRQ_CFG2, SMMU_STRTAB_BASE,
		SMMU_STRTAB_BASE + 4, SMMU_STRTAB_BASE_CFG, SMMU_CMDQ_BASE,
		SMMU_CMDQ_BASE + 4, SMMU_CMDQ_PROD, SMMU_CMDQ_CONS, SMMU_EVENTQ_BASE,
		SMMU_EVENTQ_BASE + 4, SMMU_EVENTQ_IRQ_CFG0, SMMU_EVENTQ_IRQ_CFG1,
		SMMU_EVENTQ_IRQ_CFG2, SMMU_PRIQ_BASE, SMMU_PRIQ_IRQ_CFG0,
		SMMU_PRIQ_IRQ_CFG1, SMMU_PRIQ_IRQ_CFG2, SMMU_GATOS_CTRL, SMMU_GATOS_SID,
		SMMU_GATOS_ADDR, SMMU_GATOS_PAR, SMMU_VATOS_SEL, SMMU_EVENTQ_PROD,
		SMMU_EVENTQ_CONS, SMMU_PRIQ_PROD, SMMU_PRIQ_CONS, SMMU_PIDR5,
		SMMU_PIDR6, SMMU_PIDR7,
	};
	const struct reg_value fixed[] = {
		{ SMMU_IIDR, h->cfg.iidr },
		{ SMMU_AIDR, (uint32_t)SMMU_FIELD_PREP(SMMU_AIDR_MINOR, 2) },
		{ SMMU_GBPA, (uint32_t)SMMU_FIELD_PREP(SMMU_GBPA_SHCFG, SMMU_SHCFG_INCOMING) },
		{ SMMU_CIDR0, SMMU_CIDR0_VAL }, { SMMU_CIDR1, SMMU_CIDR1_VAL },
		{ SMMU_CIDR2, SMMU_CIDR2_VAL }, { SMMU_CIDR3, SMMU_CIDR3_VAL },
		/* Arm's JEP106 code 0x43b split over PIDR1/2/4, JEDEC bit set. */
		{ SMMU_PIDR1, (uint32_t)SMMU_FIELD_PREP(SMMU_PIDR1_DES_0, 0xb) },
		{ SMMU_PIDR2, (uint32_t)(SMMU_FIELD_PREP(SMMU_PIDR2_DES_1, 0x3) |
					 SMMU_PIDR2_JEDEC) },
		{ SMMU_PIDR4, (uint32_t)SMMU_FIELD_PREP(SMMU_PIDR4_DES_2, 0x4) },
	};

	for (size_t i = 0; i < sizeof(zero_regs) / sizeof(zero_regs[0]); i++)
		assert_int_equal(h_read32(h, zero_regs[i]), 0);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		assert_int_equal(h_read32(h, fixed[i].off), fixed[i].val);
}

static void test_idr_default(void **state)
{
	struct harness *h = *state;
	uint32_t idr0 = h_read32(h, SMMU_IDR0), idr1 = h_read32(h, SMMU_IDR1);
	uint32_t idr3 = h_read32(h, SMMU_IDR3), idr5 = h_read32(h, SMMU_IDR5);

	assert_true(idr0 & SMMU_IDR0_S1P);
	assert_true(idr0 & SMMU_IDR0_S2P);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR0_TTF, idr0), SMMU_TTF_AARCH64);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR0_HTTU, idr0), SMMU_HTTU_HA_HD);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR0_ST_LEVEL, idr0), SMMU_ST_LEVEL_2LVL);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR0_TTENDIAN, idr0), SMMU_TTENDIAN_LE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR0_STALL_MODEL, idr0),
			 SMMU_STALL_MODEL_STALL_TERM);
	assert_int_equal(idr0 & (SMMU_IDR0_COHACC | SMMU_IDR0_HYP | SMMU_IDR0_ATS |
				 SMMU_IDR0_ASID16 | SMMU_IDR0_MSI | SMMU_IDR0_SEV |
				 SMMU_IDR0_PRI | SMMU_IDR0_VMID16 | SMMU_IDR0_CD2L),
			 SMMU_IDR0_COHACC | SMMU_IDR0_HYP | SMMU_IDR0_ATS | SMMU_IDR0_ASID16 |
			 SMMU_IDR0_MSI | SMMU_IDR0_SEV | SMMU_IDR0_PRI | SMMU_IDR0_VMID16 |
			 SMMU_IDR0_CD2L);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_SIDSIZE, idr1), 16);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_SSIDSIZE, idr1), 20);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_CMDQS, idr1), 19);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_EVENTQS, idr1), 19);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_PRIQS, idr1), 19);
	assert_true(idr3 & SMMU_IDR3_RIL);
	assert_true(idr3 & SMMU_IDR3_FWB);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR3_BBML, idr3), 2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR5_OAS, idr5), SMMU_OAS_48);
	assert_int_equal(idr5 & (SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K),
			 SMMU_IDR5_GRAN4K | SMMU_IDR5_GRAN16K | SMMU_IDR5_GRAN64K);
}

static void test_idr_follow_config(void **state)
{
	struct harness *h = *state;
	uint32_t idr0, idr1;

	h->cfg.stage2 = false;
	h->cfg.hyp = false;
	h->cfg.pri = false;
	h->cfg.st_2lvl = false;
	h->cfg.sid_bits = 8;
	h->cfg.cmdq_log2 = 5;
	h->cfg.oas_bits = 40;
	h->cfg.gran16k = false;
	h->cfg.ril = false;
	h->cfg.iidr = 0x12345678;
	harness_rebuild(h);
	idr0 = h_read32(h, SMMU_IDR0);
	idr1 = h_read32(h, SMMU_IDR1);
	assert_false(idr0 & (SMMU_IDR0_S2P | SMMU_IDR0_HYP | SMMU_IDR0_PRI));
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR0_ST_LEVEL, idr0), SMMU_ST_LEVEL_LINEAR);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_SIDSIZE, idr1), 8);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_CMDQS, idr1), 5);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR1_PRIQS, idr1), 0);
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR5_OAS, h_read32(h, SMMU_IDR5)), SMMU_OAS_40);
	assert_false(h_read32(h, SMMU_IDR5) & SMMU_IDR5_GRAN16K);
	assert_false(h_read32(h, SMMU_IDR3) & SMMU_IDR3_RIL);
	assert_int_equal(h_read32(h, SMMU_IIDR), 0x12345678);
	/* PRIQ registers are absent without PRI. */
	smmu_model_mmio_write64(h->m, SMMU_PRIQ_BASE, 0x10000);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_PRIQ_BASE), 0);
}

typedef void config_edit(struct smmu_model_config *c);
static void no_stage(struct smmu_model_config *c) { c->stage1 = c->stage2 = false; }
static void hyp_without_s2(struct smmu_model_config *c) { c->stage2 = false; }
static void pri_without_ats(struct smmu_model_config *c) { c->ats = false; }
static void ssid_without_s1(struct smmu_model_config *c) { c->stage1 = false; c->hyp = false; }
static void ttf_reserved(struct smmu_model_config *c) { c->ttf = 0; }
static void httu_reserved(struct smmu_model_config *c) { c->httu = 3; }
static void ttendian_reserved(struct smmu_model_config *c) { c->ttendian = 1; }
static void stall_reserved(struct smmu_model_config *c) { c->stall_model = 3; }
static void sid_too_big(struct smmu_model_config *c) { c->sid_bits = 33; }
static void ssid_too_big(struct smmu_model_config *c) { c->ssid_bits = 21; }
static void cmdq_too_big(struct smmu_model_config *c) { c->cmdq_log2 = 20; }
static void evtq_too_big(struct smmu_model_config *c) { c->eventq_log2 = 20; }
static void oas_odd(struct smmu_model_config *c) { c->oas_bits = 47; }
static void oas_56(struct smmu_model_config *c) { c->oas_bits = 56; }
static void no_granule(struct smmu_model_config *c)
{
	c->gran4k = c->gran16k = c->gran64k = false;
}
static void vax_56(struct smmu_model_config *c) { c->vax = 2; }
static void bbml_reserved(struct smmu_model_config *c) { c->bbml = 3; }
static void presets(struct smmu_model_config *c) { c->queues_preset = true; }

static void test_config_rejected(void **state)
{
	struct harness *h = *state;
	static config_edit *const edits[] = {
		no_stage, hyp_without_s2, pri_without_ats, ssid_without_s1, ttf_reserved,
		httu_reserved, ttendian_reserved, stall_reserved, sid_too_big,
		ssid_too_big, cmdq_too_big, evtq_too_big, oas_odd, oas_56, no_granule,
		vax_56, bbml_reserved, presets,
	};
	struct smmu_model_config cfg;

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		smmu_model_config_default(&cfg);
		edits[i](&cfg);
		errno = 0;
		assert_null(smmu_model_new(&cfg, h->mem));
		assert_int_equal(errno, EINVAL);
	}
	errno = 0;
	assert_null(smmu_model_new(NULL, h->mem));
	assert_int_equal(errno, EINVAL);
	smmu_model_config_default(&cfg);
	assert_null(smmu_model_new(&cfg, NULL));
	assert_int_equal(smmu_model_get_stats(NULL, NULL), -EINVAL);
}

static void test_cr0_handshake(void **state)
{
	struct harness *h = *state;
	static const uint32_t bits[] = {
		(uint32_t)SMMU_CR0_SMMUEN, (uint32_t)SMMU_CR0_EVENTQEN,
		(uint32_t)SMMU_CR0_CMDQEN, (uint32_t)SMMU_CR0_PRIQEN,
		(uint32_t)SMMU_CR0_ATSCHK,
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		h_cr0(h, bits[i]);
		assert_int_equal(h_read32(h, SMMU_CR0), bits[i]);
		h_cr0(h, 0);
	}
	/* VMW (no IDR0.VMW), DPT_WALK_EN and Reserved bits read as zero. */
	h_write32(h, SMMU_CR0, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_CR0ACK),
			 SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN |
			 SMMU_CR0_PRIQEN | SMMU_CR0_ATSCHK);
	assert_int_equal(h_read32(h, SMMU_CR0), h_read32(h, SMMU_CR0ACK));
}

static void test_irq_ctrl_handshake(void **state)
{
	struct harness *h = *state;

	h_write32(h, SMMU_IRQ_CTRL, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_IRQ_CTRL),
			 SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_PRIQ_IRQEN |
			 SMMU_IRQ_CTRL_EVENTQ_IRQEN);
	assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), h_read32(h, SMMU_IRQ_CTRL));
	h_write32(h, SMMU_IRQ_CTRL, 0);
	assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), 0);
}

static void test_gbpa_update(void **state)
{
	struct harness *h = *state;
	struct smmu_txn_result res = h_translate(h, 3, false, 0, 0x1234000, false);
	uint32_t abort_only = (uint32_t)SMMU_GBPA_ABORT;

	/* Reset: SMMUEN = 0 and GBPA.ABORT = 0 bypass. */
	assert_int_equal(res.status, SMMU_TXN_OK);
	assert_int_equal(res.pa, 0x1234000);
	/* Without UPDATE the write is ignored. */
	h_write32(h, SMMU_GBPA, abort_only);
	assert_int_equal(h_read32(h, SMMU_GBPA) & SMMU_GBPA_ABORT, 0);
	h_write32(h, SMMU_GBPA, abort_only | (uint32_t)SMMU_GBPA_UPDATE);
	assert_int_equal(h_read32(h, SMMU_GBPA), abort_only); /* UPDATE completed */
	res = h_translate(h, 3, false, 0, 0x1234000, false);
	assert_int_equal(res.status, SMMU_TXN_ABORT);
	assert_false(res.event_recorded);
	/* Reserved bits are not stored. */
	h_write32(h, SMMU_GBPA, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_GBPA),
			 SMMU_GBPA_MEMATTR | SMMU_GBPA_MTCFG | SMMU_GBPA_ALLOCCFG |
			 SMMU_GBPA_SHCFG | SMMU_GBPA_PRIVCFG | SMMU_GBPA_INSTCFG |
			 SMMU_GBPA_ABORT);
}

static void test_64bit_halves(void **state)
{
	struct harness *h = *state;
	uint64_t base = 0x0000123456789000ull | SMMU_STRTAB_BASE_RA;

	h_write32(h, SMMU_STRTAB_BASE, (uint32_t)base);
	h_write32(h, SMMU_STRTAB_BASE + 4, (uint32_t)(base >> 32));
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_STRTAB_BASE), base);
	smmu_model_mmio_write64(h->m, SMMU_EVENTQ_IRQ_CFG0, 0x00ab0000cdef0004ull);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_IRQ_CFG0), 0xcdef0004);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_IRQ_CFG0 + 4), 0x00ab0000);
	/* Replacing one half keeps the other. */
	h_write32(h, SMMU_EVENTQ_IRQ_CFG0 + 4, 0x11);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_EVENTQ_IRQ_CFG0),
			 0x00000011cdef0004ull);
	/* A 64-bit access to two 32-bit registers acts on both. */
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_IDR0),
			 h_read32(h, SMMU_IDR0) | (uint64_t)h_read32(h, SMMU_IDR1) << 32);
	smmu_model_mmio_write64(h->m, SMMU_IRQ_CTRL,
				SMMU_IRQ_CTRL_EVENTQ_IRQEN | (UINT64_C(0xffffffff) << 32));
	assert_int_equal(h_read32(h, SMMU_IRQ_CTRLACK), SMMU_IRQ_CTRL_EVENTQ_IRQEN);
}

static void test_base_guards(void **state)
{
	struct harness *h = *state;
	uint64_t q = 0x100000 | SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, 4);

	smmu_model_mmio_write64(h->m, SMMU_CMDQ_BASE, q);
	smmu_model_mmio_write64(h->m, SMMU_EVENTQ_BASE, q);
	smmu_model_mmio_write64(h->m, SMMU_PRIQ_BASE, q);
	smmu_model_mmio_write64(h->m, SMMU_STRTAB_BASE, 0x200000);
	h_write32(h, SMMU_CR2, (uint32_t)SMMU_CR2_PTM);
	h_cr0(h, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_PRIQEN |
			    SMMU_CR0_SMMUEN));
	smmu_model_mmio_write64(h->m, SMMU_CMDQ_BASE, 0x300000);
	smmu_model_mmio_write64(h->m, SMMU_EVENTQ_BASE, 0x300000);
	smmu_model_mmio_write64(h->m, SMMU_PRIQ_BASE, 0x300000);
	smmu_model_mmio_write64(h->m, SMMU_STRTAB_BASE, 0x300000);
	h_write32(h, SMMU_STRTAB_BASE_CFG, 5);
	h_write32(h, SMMU_CMDQ_CONS, 3);
	h_write32(h, SMMU_EVENTQ_PROD, 3);
	h_write32(h, SMMU_CR2, 0);
	h_write32(h, SMMU_CR1, UINT32_MAX);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_CMDQ_BASE), q);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_EVENTQ_BASE), q);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_PRIQ_BASE), q);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_STRTAB_BASE), 0x200000);
	assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG), 0);
	assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0);
	assert_int_equal(h_read32(h, SMMU_CR2), SMMU_CR2_PTM);
	assert_int_equal(h_read32(h, SMMU_CR1), 0);
	/* Output queue CONS stays writable (software is the consumer). */
	h_write32(h, SMMU_EVENTQ_CONS, 3);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_CONS), 3);
}

static void test_irq_cfg_guards(void **state)
{
	struct harness *h = *state;
	static const uint64_t cfg0[] = { SMMU_GERROR_IRQ_CFG0, SMMU_EVENTQ_IRQ_CFG0,
					 SMMU_PRIQ_IRQ_CFG0 };
	static const uint32_t enables[] = { (uint32_t)SMMU_IRQ_CTRL_GERROR_IRQEN,
					    (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN,
					    (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN };

	for (size_t i = 0; i < 3; i++) {
		smmu_model_mmio_write64(h->m, cfg0[i], 0x1000);
		h_write32(h, cfg0[i] + 8, 0xd00d);
		h_write32(h, SMMU_IRQ_CTRL, enables[i]);
		smmu_model_mmio_write64(h->m, cfg0[i], 0x2000);
		h_write32(h, cfg0[i] + 8, 0xbad);
		assert_int_equal(smmu_model_mmio_read64(h->m, cfg0[i]), 0x1000);
		assert_int_equal(h_read32(h, cfg0[i] + 8), 0xd00d);
		h_write32(h, SMMU_IRQ_CTRL, 0);
	}
}

static void test_res0_and_read_only(void **state)
{
	struct harness *h = *state;
	static const uint64_t ro[] = { SMMU_IDR0, SMMU_IDR1, SMMU_IDR3, SMMU_IDR5,
				       SMMU_IIDR, SMMU_AIDR, SMMU_CR0ACK, SMMU_STATUSR,
				       SMMU_IRQ_CTRLACK, SMMU_GERROR, SMMU_CIDR0 };
	uint32_t before[sizeof(ro) / sizeof(ro[0])];

	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		before[i] = h_read32(h, ro[i]);
		h_write32(h, ro[i], ~before[i]);
		assert_int_equal(h_read32(h, ro[i]), before[i]);
	}
	smmu_model_mmio_write64(h->m, SMMU_STRTAB_BASE, UINT64_MAX);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_STRTAB_BASE),
			 SMMU_STRTAB_BASE_RA | SMMU_STRTAB_BASE_ADDR);
	smmu_model_mmio_write64(h->m, SMMU_CMDQ_BASE, UINT64_MAX);
	assert_int_equal(smmu_model_mmio_read64(h->m, SMMU_CMDQ_BASE),
			 SMMU_Q_BASE_RA | SMMU_Q_BASE_ADDR | SMMU_Q_BASE_LOG2SIZE);
	h_write32(h, SMMU_STRTAB_BASE_CFG, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_STRTAB_BASE_CFG),
			 SMMU_STRTAB_BASE_CFG_LOG2SIZE | SMMU_STRTAB_BASE_CFG_SPLIT |
			 SMMU_STRTAB_BASE_CFG_FMT);
	/* PROD keeps only the index and wrap bits of the programmed size. */
	h_write32(h, SMMU_CMDQ_PROD, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_CMDQ_PROD), SMMU_Q_PTR_WRAP_IDX);
	smmu_model_mmio_write64(h->m, SMMU_CMDQ_BASE, SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, 4));
	h_write32(h, SMMU_CMDQ_PROD, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_CMDQ_PROD), 0x1f);
	/* Unknown, Secure-page, misaligned and out-of-range offsets are RAZ/WI. */
	h_write32(h, 0x8020, 1);
	assert_int_equal(h_read32(h, 0x8020), 0);
	assert_int_equal(h_read32(h, 0x1000), 0);
	assert_int_equal(h_read32(h, SMMU_IDR0 + 1), 0);
	assert_int_equal(h_read32(h, SMMU_MMIO_SIZE), 0);
	assert_int_equal(smmu_model_mmio_read32(NULL, SMMU_IDR0), 0);
}

static void test_gerrorn_mask(void **state)
{
	struct harness *h = *state;

	h_write32(h, SMMU_GERRORN, UINT32_MAX);
	assert_int_equal(h_read32(h, SMMU_GERRORN),
			 SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR |
			 SMMU_GERROR_PRIQ_ABT_ERR | SMMU_GERROR_MSI_CMDQ_ABT_ERR |
			 SMMU_GERROR_MSI_EVENTQ_ABT_ERR | SMMU_GERROR_MSI_PRIQ_ABT_ERR |
			 SMMU_GERROR_MSI_GERROR_ABT_ERR | SMMU_GERROR_SFM_ERR);
	assert_int_equal(h_read32(h, SMMU_GERROR), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		H_TEST(test_reset_values),
		H_TEST(test_idr_default),
		H_TEST(test_idr_follow_config),
		H_TEST(test_config_rejected),
		H_TEST(test_cr0_handshake),
		H_TEST(test_irq_ctrl_handshake),
		H_TEST(test_gbpa_update),
		H_TEST(test_64bit_halves),
		H_TEST(test_base_guards),
		H_TEST(test_irq_cfg_guards),
		H_TEST(test_res0_and_read_only),
		H_TEST(test_gerrorn_mask),
	};

	return harness_run("model_regs", tests, sizeof(tests) / sizeof(tests[0]));
}
