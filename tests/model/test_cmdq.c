/*
 * Model suite: the command queue, as a driver sees it.
 *
 * Concepts: queue pointers wrap at several sizes and a full queue is
 * consumed whole; every illegal-command case stops the queue with
 * CERROR_ILL on the offending entry and resumes after GERRORN
 * acknowledgement; a fetch from beyond the OAS or from failing memory is
 * CERROR_ABT; CMD_SYNC signals by CONS, MSI plus wired line, or SEV; the
 * GERROR interrupt; counters and the trace.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define OP(op) SMMU_FIELD_PREP(SMMU_CMD0_OP, (op))
#define CFGI_ALL_DW1 SMMU_FIELD_PREP(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL)

static void wait_count(atomic_uint *counter, unsigned n)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (atomic_load(counter) < n) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		assert_true(now.tv_sec - start.tv_sec < 2);
	}
	assert_int_equal(atomic_load(counter), n);
}

static void test_wrap_sizes(void **state)
{
	struct harness *h = *state;
	static const unsigned sizes[] = { 0, 1, 3, 5 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned log2 = sizes[i], n = 3u << log2;

		h_cr0(h, 0);
		h_cmdq_init(h, log2);
		for (unsigned c = 0; c < n; c++) {
			assert_int_equal(h_cmd_sync(h, OP(SMMU_CMD_CFGI_STE_RANGE),
						    CFGI_ALL_DW1), SMMU_CERROR_NONE);
		}
		/* 2n commands consumed: the wrap flag toggled 2n / 2^log2 times. */
		assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), (2 * n) & ((2u << log2) - 1));
		assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), h_read32(h, SMMU_CMDQ_PROD));
	}
}

/* A full queue (PROD = CONS with the wrap flag flipped) holds 2^log2 commands. */
static void test_full_queue(void **state)
{
	struct harness *h = *state;
	static const unsigned sizes[] = { 0, 2, 4 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned log2 = sizes[i], n = 1u << log2;
		uint64_t before = h_stats(h).cmds[SMMU_CMD_SYNC];

		h_cr0(h, 0);
		h_cmdq_init(h, log2);
		h_cr0(h, 0);
		for (unsigned c = 0; c < n; c++)
			assert_int_equal(smmu_mem_write64(h->mem, h->cmdq_pa + c * SMMU_CMD_SIZE,
							  OP(SMMU_CMD_SYNC)), 0);
		h_write32(h, SMMU_CMDQ_PROD, n);        /* wrap flag set, index 0 */
		assert_int_equal(h_stats(h).cmds[SMMU_CMD_SYNC], before);
		h_cr0(h, (uint32_t)SMMU_CR0_CMDQEN);
		assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
		assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), n);
		assert_int_equal(h_stats(h).cmds[SMMU_CMD_SYNC], before + n);
	}
}

typedef void config_edit(struct smmu_model_config *c);
static void no_s1(struct smmu_model_config *c)
{
	c->stage1 = false;
	c->hyp = false;
	c->ssid_bits = 0;
}
static void no_s2(struct smmu_model_config *c) { c->stage2 = false; c->hyp = false; }
static void no_hyp(struct smmu_model_config *c) { c->hyp = false; }
static void no_ats(struct smmu_model_config *c) { c->ats = false; c->pri = false; }
static void no_pri(struct smmu_model_config *c) { c->pri = false; }
static void term_only(struct smmu_model_config *c)
{
	c->stall_model = SMMU_STALL_MODEL_TERM_ONLY;
}
static void no_ril(struct smmu_model_config *c) { c->ril = false; }

struct illegal_case {
	const char *what;
	uint64_t dw0, dw1;
	config_edit *edit;
};

#define TLBI_RANGE(tg, ttl) \
	(SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TG, (tg)) | SMMU_FIELD_PREP(SMMU_CMD1_TLBI_TTL, (ttl)))

static const struct illegal_case illegal_cases[] = {
	{ "reserved opcode 0x00", 0, 0, NULL },
	{ "reserved opcode 0x08", OP(0x08), 0, NULL },
	{ "reserved opcode 0x7f", OP(0x7f), 0, NULL },
	{ "IMPDEF opcode 0x80", OP(SMMU_CMD_IMPDEF_FIRST), 0, NULL },
	{ "SSec = 1", OP(SMMU_CMD_CFGI_STE) | SMMU_CMD0_SSEC, 0, NULL },
	{ "CFGI_STE Reserved dw1 bit", OP(SMMU_CMD_CFGI_STE), SMMU_BIT(1), NULL },
	{ "CFGI_CD with SSV", OP(SMMU_CMD_CFGI_CD) | SMMU_CMD0_SSV, 0, NULL },
	{ "CFGI_VMS_PIDM without MPAM", OP(SMMU_CMD_CFGI_VMS_PIDM), 0, NULL },
	{ "TLBI_NH_ALL with ASID", OP(SMMU_CMD_TLBI_NH_ALL) |
	  SMMU_FIELD_PREP(SMMU_CMD0_ASID, 1), 0, NULL },
	{ "TLBI_NH_ASID without S1", OP(SMMU_CMD_TLBI_NH_ASID), 0, no_s1 },
	{ "CFGI_CD_ALL without S1", OP(SMMU_CMD_CFGI_CD_ALL), 0, no_s1 },
	{ "TLBI_NH_ALL VMID without S2", OP(SMMU_CMD_TLBI_NH_ALL) |
	  SMMU_FIELD_PREP(SMMU_CMD0_VMID, 1), 0, no_s2 },
	{ "TLBI_S12_VMALL without S2", OP(SMMU_CMD_TLBI_S12_VMALL), 0, no_s2 },
	{ "TLBI_S2_IPA without S2", OP(SMMU_CMD_TLBI_S2_IPA), 0, no_s2 },
	{ "TLBI_EL2_ALL without HYP", OP(SMMU_CMD_TLBI_EL2_ALL), 0, no_hyp },
	{ "TLBI_EL3_ALL on the NS queue", OP(SMMU_CMD_TLBI_EL3_ALL), 0, NULL },
	{ "TLBI_S_EL2_ALL on the NS queue", OP(SMMU_CMD_TLBI_S_EL2_ALL), 0, NULL },
	{ "DPTI_ALL without DPT", OP(SMMU_CMD_DPTI_ALL), 0, NULL },
	{ "ATC_INV without ATS", OP(SMMU_CMD_ATC_INV), 0, no_ats },
	{ "PRI_RESP without PRI", OP(SMMU_CMD_PRI_RESP), 0, no_pri },
	{ "PRI_RESP Resp = 3", OP(SMMU_CMD_PRI_RESP), SMMU_FIELD_PREP(SMMU_CMD1_PRI_RESP, 3),
	  NULL },
	{ "RESUME Action = 3", OP(SMMU_CMD_RESUME) |
	  SMMU_FIELD_PREP(SMMU_CMD0_RESUME_RESP, 3), 0, NULL },
	{ "RESUME on a terminate-only part", OP(SMMU_CMD_RESUME), 0, term_only },
	{ "STALL_TERM on a terminate-only part", OP(SMMU_CMD_STALL_TERM), 0, term_only },
	{ "CMD_SYNC CS = 3", OP(SMMU_CMD_SYNC) |
	  SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, SMMU_SYNC_CS_RESERVED), 0, NULL },
	{ "CMD_SYNC Reserved MSIAddr[1:0]", OP(SMMU_CMD_SYNC), 1, NULL },
	{ "range TLBI, NUM = SCALE = TTL = 0", OP(SMMU_CMD_TLBI_NH_VA),
	  TLBI_RANGE(SMMU_TLBI_TG_4K, 0), NULL },
	{ "range TLBI, 16K TTL = 1", OP(SMMU_CMD_TLBI_S2_IPA),
	  TLBI_RANGE(SMMU_TLBI_TG_16K, 1), NULL },
	{ "TLBI TG = 0 with TTL", OP(SMMU_CMD_TLBI_NH_VAA), TLBI_RANGE(0, 2), NULL },
	{ "TLBI TG = 0 with NUM", OP(SMMU_CMD_TLBI_EL2_VA) |
	  SMMU_FIELD_PREP(SMMU_CMD0_TLBI_NUM, 1), 0, NULL },
	{ "range TLBI without RIL", OP(SMMU_CMD_TLBI_NH_VA),
	  TLBI_RANGE(SMMU_TLBI_TG_4K, 3), no_ril },
};

/* Submit bad + good; the bad one stops the queue and stays at CONS. */
static void check_illegal(struct harness *h, const struct illegal_case *c)
{
	uint32_t bad = h_read32(h, SMMU_CMDQ_PROD);
	uint64_t bad_pa = h->cmdq_pa + (bad & ((1u << h->cmdq_log2) - 1)) * SMMU_CMD_SIZE;

	print_message("%s\n", c->what);
	h_cmd(h, c->dw0, c->dw1);
	h_cmd(h, OP(SMMU_CMD_SYNC), 0);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ILL);
	assert_int_equal(h_read32(h, SMMU_CMDQ_CONS) & SMMU_Q_PTR_WRAP_IDX, bad);
	/* Acknowledging alone re-fetches the same bad command. */
	h_ack_cmdq_err(h);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ILL);
	assert_int_equal(h_read32(h, SMMU_CMDQ_CONS) & SMMU_Q_PTR_WRAP_IDX, bad);
	/* Software fixes the entry, acknowledges, and the queue drains. */
	assert_int_equal(smmu_mem_write64(h->mem, bad_pa, OP(SMMU_CMD_CFGI_STE_RANGE)), 0);
	assert_int_equal(smmu_mem_write64(h->mem, bad_pa + 8, CFGI_ALL_DW1), 0);
	h_ack_cmdq_err(h);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_false(h_gerror_active(h, (uint32_t)SMMU_GERROR_CMDQ_ERR));
	assert_int_equal(h_read32(h, SMMU_CMDQ_CONS) & SMMU_Q_PTR_WRAP_IDX,
			 h_read32(h, SMMU_CMDQ_PROD));
}

static void test_illegal_commands(void **state)
{
	struct harness *h = *state;

	for (size_t i = 0; i < sizeof(illegal_cases) / sizeof(illegal_cases[0]); i++) {
		const struct illegal_case *c = &illegal_cases[i];
		uint64_t errors;

		harness_default_config(h);
		if (c->edit)
			c->edit(&h->cfg);
		harness_rebuild(h);
		h_cmdq_init(h, H_CMDQ_LOG2);
		check_illegal(h, c);
		errors = h_stats(h).cmd_errors[SMMU_CERROR_ILL];
		assert_int_equal(errors, 2);
	}
}

static void test_legal_commands(void **state)
{
	struct harness *h = *state;
	static const uint64_t cmds[][2] = {
		{ OP(SMMU_CMD_PREFETCH_CONFIG) | SMMU_FIELD_PREP(SMMU_CMD0_SID, 1), 0 },
		{ OP(SMMU_CMD_PREFETCH_ADDR), 0x1000 },
		{ OP(SMMU_CMD_CFGI_STE), SMMU_CMD1_LEAF },
		{ OP(SMMU_CMD_CFGI_CD) | SMMU_FIELD_PREP(SMMU_CMD0_SSID, 5), 0 },
		{ OP(SMMU_CMD_CFGI_CD_ALL), 0 },
		{ OP(SMMU_CMD_TLBI_NH_ALL) | SMMU_FIELD_PREP(SMMU_CMD0_VMID, 3), 0 },
		{ OP(SMMU_CMD_TLBI_NH_VA) | SMMU_FIELD_PREP(SMMU_CMD0_ASID, 7) |
		  SMMU_FIELD_PREP(SMMU_CMD0_TLBI_NUM, 3), TLBI_RANGE(SMMU_TLBI_TG_4K, 3) | 0x5000 },
		{ OP(SMMU_CMD_TLBI_EL2_ASID) | SMMU_FIELD_PREP(SMMU_CMD0_ASID, 2), 0 },
		{ OP(SMMU_CMD_TLBI_S2_IPA) | SMMU_FIELD_PREP(SMMU_CMD0_VMID, 1),
		  SMMU_CMD1_TLBI_LEAF | 0x8000 },
		{ OP(SMMU_CMD_TLBI_S12_VMALL), 0 },
		{ OP(SMMU_CMD_TLBI_NSNH_ALL), 0 },
		{ OP(SMMU_CMD_ATC_INV) | SMMU_CMD0_ATC_GLOBAL,
		  SMMU_FIELD_PREP(SMMU_CMD1_ATC_SIZE, SMMU_ATC_INV_SIZE_ALL) },
		{ OP(SMMU_CMD_PRI_RESP), SMMU_FIELD_PREP(SMMU_CMD1_PRI_RESP, SMMU_PRI_RESP_SUCC) },
		{ OP(SMMU_CMD_RESUME), 1 },
		{ OP(SMMU_CMD_STALL_TERM), 0 },
	};
	size_t n = sizeof(cmds) / sizeof(cmds[0]);
	struct smmu_model_stats s;

	harness_trace(h);
	h_cmdq_init(h, H_CMDQ_LOG2);
	for (size_t i = 0; i < n; i++)
		h_cmd(h, cmds[i][0], cmds[i][1]);
	assert_int_equal(h_sync(h), SMMU_CERROR_NONE);
	s = h_stats(h);
	for (size_t i = 0; i < n; i++)
		assert_true(s.cmds[SMMU_FIELD_GET(SMMU_CMD0_OP, cmds[i][0])] >= 1);
	assert_int_equal(s.syncs, 1);
	assert_int_equal(h->trace_cmds, n + 1);
	assert_int_equal(h->last_trace[0], OP(SMMU_CMD_SYNC));
}

/* Without stage 2, bits [47:32] are still the SID of CFGI and PREFETCH. */
static void test_sid_commands_without_s2(void **state)
{
	struct harness *h = *state;
	uint64_t sid = SMMU_FIELD_PREP(SMMU_CMD0_SID, 0x12345);

	h->cfg.stage2 = false;
	h->cfg.hyp = false;
	harness_rebuild(h);
	h_cmdq_init(h, H_CMDQ_LOG2);
	h_cmd(h, OP(SMMU_CMD_CFGI_STE) | sid, SMMU_CMD1_LEAF);
	h_cmd(h, OP(SMMU_CMD_CFGI_CD) | sid, 0);
	h_cmd(h, OP(SMMU_CMD_CFGI_CD_ALL) | sid, 0);
	h_cmd(h, OP(SMMU_CMD_PREFETCH_CONFIG) | sid, 0);
	assert_int_equal(h_sync(h), SMMU_CERROR_NONE);
	assert_int_equal(h_stats(h).cmd_errors[SMMU_CERROR_ILL], 0);
}

static void test_cerror_abt_beyond_oas(void **state)
{
	struct harness *h = *state;
	uint64_t beyond = UINT64_C(1) << h->cfg.oas_bits;

	smmu_model_mmio_write64(h->m, SMMU_CMDQ_BASE,
				beyond | SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, 2));
	h->cmdq_log2 = 2;
	h_write32(h, SMMU_CMDQ_PROD, 1);
	h_cr0(h, (uint32_t)SMMU_CR0_CMDQEN);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ABT);
	assert_int_equal(h_read32(h, SMMU_CMDQ_CONS) & SMMU_Q_PTR_WRAP_IDX, 0);
	assert_int_equal(h_stats(h).cmd_errors[SMMU_CERROR_ABT], 1);
	/* CMDQEN changes do not clear the error. */
	h_cr0(h, 0);
	h_cr0(h, (uint32_t)SMMU_CR0_CMDQEN);
	assert_true(h_gerror_active(h, (uint32_t)SMMU_GERROR_CMDQ_ERR));
}

static int failing_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return -EIO;
}

static int failing_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
	return -EIO;
}

static void test_cerror_abt_failing_memory(void **state)
{
	struct harness *h = *state;
	static const struct smmu_mem_ops ops = { failing_read, failing_write };
	struct smmu_mem *bad = smmu_mem_new_ops(&ops, NULL);
	struct smmu_model *m = smmu_model_new(&h->cfg, bad);
	struct smmu_model_stats s;

	assert_non_null(m);
	smmu_model_mmio_write64(m, SMMU_CMDQ_BASE, 0x10000);
	smmu_model_mmio_write32(m, SMMU_CMDQ_PROD, 1);
	smmu_model_mmio_write32(m, SMMU_CR0, (uint32_t)SMMU_CR0_CMDQEN);
	do
		smmu_model_get_stats(m, &s);
	while (!s.cmd_errors[SMMU_CERROR_ABT]);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMDQ_CONS_ERR,
					smmu_model_mmio_read32(m, SMMU_CMDQ_CONS)),
			 SMMU_CERROR_ABT);
	assert_int_equal(smmu_model_mmio_read32(m, SMMU_GERROR), SMMU_GERROR_CMDQ_ERR);
	smmu_model_free(m);
	smmu_mem_free(bad);
}

static uint64_t sync_cmd(unsigned cs, uint32_t data)
{
	return OP(SMMU_CMD_SYNC) | SMMU_FIELD_PREP(SMMU_CMD0_SYNC_CS, cs) |
	       SMMU_FIELD_PREP(SMMU_CMD0_SYNC_MSIDATA, data);
}

static void test_sync_cs_none(void **state)
{
	struct harness *h = *state;

	h_cmdq_init(h, H_CMDQ_LOG2);
	h_cmd(h, sync_cmd(SMMU_SYNC_CS_NONE, 0xcafe), H_MSI_PA);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_int_equal(h_stats(h).syncs, 1);
	assert_int_equal(h_stats(h).sync_msis, 0);
	assert_int_equal(atomic_load(&h->irqs[SMMU_MODEL_IRQ_CMD_SYNC]), 0);
}

static void test_sync_cs_irq(void **state)
{
	struct harness *h = *state;
	uint32_t word = 0;

	h_cmdq_init(h, H_CMDQ_LOG2);
	h_cmd(h, sync_cmd(SMMU_SYNC_CS_IRQ, 0xcafe), H_MSI_PA);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_int_equal(smmu_mem_read32(h->mem, H_MSI_PA, &word), 0);
	assert_int_equal(word, 0xcafe);
	wait_count(&h->irqs[SMMU_MODEL_IRQ_CMD_SYNC], 1);
	/* MSIAddr 0: no MSI, the wired line still fires. */
	h_cmd(h, sync_cmd(SMMU_SYNC_CS_IRQ, 0xbeef), 0);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	wait_count(&h->irqs[SMMU_MODEL_IRQ_CMD_SYNC], 2);
	assert_int_equal(h_stats(h).sync_msis, 1);
	/* An MSI beyond the OAS aborts: GERROR.MSI_CMDQ_ABT_ERR, SYNC completes. */
	h_cmd(h, sync_cmd(SMMU_SYNC_CS_IRQ, 1), SMMU_CMD1_SYNC_MSIADDR & ~UINT64_C(3));
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_true(h_gerror_active(h, (uint32_t)SMMU_GERROR_MSI_CMDQ_ABT_ERR));
	assert_int_equal(h_stats(h).syncs, 3);
}

static void test_sync_cs_sev(void **state)
{
	struct harness *h = *state;
	struct smmu_platform plat;

	h_cmdq_init(h, H_CMDQ_LOG2);
	smmu_model_platform_init(&plat, h->m, h->dma);
	h_cmd(h, sync_cmd(SMMU_SYNC_CS_SEV, 0), 0);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	wait_count(&h->sev_signals, 1);
	assert_int_equal(h_stats(h).sevs, 1);
	plat.wait_event(plat.opaque);   /* the event register is set: returns */
	/* Without IDR0.SEV, SIG_SEV completes like CS = NONE. */
	h->cfg.sev = false;
	harness_rebuild(h);
	h_cmdq_init(h, H_CMDQ_LOG2);
	h_cmd(h, sync_cmd(SMMU_SYNC_CS_SEV, 0), 0);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_int_equal(h_stats(h).sevs, 0);
	assert_int_equal(h_stats(h).syncs, 1);
}

static void test_platform(void **state)
{
	struct harness *h = *state;
	struct smmu_platform plat;
	void *cpu;
	uint64_t bus;

	smmu_model_platform_init(&plat, h->m, h->dma);
	assert_int_equal(plat.read32(plat.opaque, SMMU_IDR0), h_read32(h, SMMU_IDR0));
	plat.write32(plat.opaque, SMMU_CR0, (uint32_t)SMMU_CR0_EVENTQEN);
	assert_int_equal(plat.read32(plat.opaque, SMMU_CR0ACK), SMMU_CR0_EVENTQEN);
	plat.write64(plat.opaque, SMMU_STRTAB_BASE, 0x40000);
	assert_int_equal(plat.read64(plat.opaque, SMMU_STRTAB_BASE), 0x40000);
	assert_int_equal(plat.dma_alloc(plat.opaque, 4096, 4096, &cpu, &bus), 0);
	memset(cpu, 0xa5, 8);
	assert_int_equal(smmu_mem_read64(h->mem, bus, &bus) == 0 && bus == 0xa5a5a5a5a5a5a5a5ull,
			 1);
}

static void test_gerror_irq(void **state)
{
	struct harness *h = *state;
	uint32_t word = 0;

	h_cmdq_init(h, H_CMDQ_LOG2);
	smmu_model_mmio_write64(h->m, SMMU_GERROR_IRQ_CFG0, H_MSI_PA);
	h_write32(h, SMMU_GERROR_IRQ_CFG1, 0x6e6e);
	h_write32(h, SMMU_IRQ_CTRL, (uint32_t)SMMU_IRQ_CTRL_GERROR_IRQEN);
	h_cmd(h, 0, 0);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ILL);
	wait_count(&h->irqs[SMMU_MODEL_IRQ_GERROR], 1);
	assert_int_equal(smmu_mem_read32(h->mem, H_MSI_PA, &word), 0);
	assert_int_equal(word, 0x6e6e);
	/* An active error is not logged again; after the ack it can be. */
	h_ack_cmdq_err(h);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ILL);
	wait_count(&h->irqs[SMMU_MODEL_IRQ_GERROR], 2);
	/* With GERROR_IRQEN clear the error is logged without an interrupt. */
	h_write32(h, SMMU_IRQ_CTRL, 0);
	h_ack_cmdq_err(h);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ILL);
	assert_int_equal(atomic_load(&h->irqs[SMMU_MODEL_IRQ_GERROR]), 2);
	assert_int_equal(h_stats(h).gerrors, 3);
}

static void test_gerror_msi_abort(void **state)
{
	struct harness *h = *state;

	h_cmdq_init(h, H_CMDQ_LOG2);
	smmu_model_mmio_write64(h->m, SMMU_GERROR_IRQ_CFG0, UINT64_C(1) << h->cfg.oas_bits);
	h_write32(h, SMMU_IRQ_CTRL, (uint32_t)SMMU_IRQ_CTRL_GERROR_IRQEN);
	h_cmd(h, 0, 0);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_ILL);
	/* The aborted GERROR MSI is itself logged, without another interrupt. */
	assert_true(h_gerror_active(h, (uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR));
	wait_count(&h->irqs[SMMU_MODEL_IRQ_GERROR], 1);
	assert_int_equal(h_stats(h).gerrors, 2);
	assert_int_equal(h_stats(h).msi_aborts, 1);
	/* Acknowledging one error leaves the other active. */
	h_write32(h, SMMU_GERRORN, h_read32(h, SMMU_GERRORN) ^
		  (uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR);
	assert_false(h_gerror_active(h, (uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR));
	assert_true(h_gerror_active(h, (uint32_t)SMMU_GERROR_CMDQ_ERR));
}

static void test_cmdq_disabled(void **state)
{
	struct harness *h = *state;

	h_cmdq_init(h, H_CMDQ_LOG2);
	h_cr0(h, 0);
	h_cmd(h, OP(SMMU_CMD_SYNC), 0);
	assert_int_equal(h_read32(h, SMMU_CMDQ_CONS), 0);
	assert_int_equal(h_stats(h).syncs, 0);
	h_cr0(h, (uint32_t)SMMU_CR0_CMDQEN);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_int_equal(h_stats(h).syncs, 1);
	smmu_model_reset_stats(h->m);
	assert_int_equal(h_stats(h).syncs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		H_TEST(test_wrap_sizes), H_TEST(test_full_queue), H_TEST(test_illegal_commands),
		H_TEST(test_legal_commands), H_TEST(test_sid_commands_without_s2),
		H_TEST(test_cerror_abt_beyond_oas),
		H_TEST(test_cerror_abt_failing_memory), H_TEST(test_sync_cs_none), H_TEST(test_sync_cs_irq),
		H_TEST(test_sync_cs_sev), H_TEST(test_platform), H_TEST(test_gerror_irq), H_TEST(test_gerror_msi_abort),
		H_TEST(test_cmdq_disabled),
	};

	return harness_run("model_cmdq", tests, sizeof(tests) / sizeof(tests[0]));
}
