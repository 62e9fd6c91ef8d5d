/*
 * Test harness for the model suite (see harness.h).
 *
 * Concepts: waits poll a register with a deadline, as a driver does; in
 * inline mode the first poll already sees the result, in threaded mode the
 * model thread gets there within milliseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

/*
 * A deadline that only catches a hang: under valgrind or TSan on a loaded
 * 2-core machine the model thread can be descheduled for seconds.
 */
#define POLL_TIMEOUT_NS 30000000000ll

static void on_irq(void *opaque, enum smmu_model_irq line)
{
	struct harness *h = opaque;

	atomic_fetch_add(&h->irqs[line], 1);
}

static void on_sev(void *opaque)
{
	struct harness *h = opaque;

	atomic_fetch_add(&h->sev_signals, 1);
}

static void on_trace(void *opaque, enum smmu_model_trace_kind kind, const uint64_t *dw,
		     unsigned ndw)
{
	struct harness *h = opaque;

	if (kind == SMMU_MODEL_TRACE_CMD)
		h->trace_cmds++;
	else if (kind == SMMU_MODEL_TRACE_EVENT)
		h->trace_events++;
	memcpy(h->last_trace, dw, ndw * sizeof(uint64_t));
}

static void harness_build(struct harness *h)
{
	h->mem = smmu_mem_new();
	assert_non_null(h->mem);
	h->dma = smmu_dma_new(h->mem, H_DMA_BASE, H_DMA_SIZE);
	assert_non_null(h->dma);
	h->m = smmu_model_new(&h->cfg, h->mem);
	assert_non_null(h->m);
}

static void harness_destroy(struct harness *h)
{
	smmu_model_free(h->m);
	smmu_dma_free_all(h->dma);
	smmu_mem_free(h->mem);
	h->m = NULL;
}

int harness_setup(void **state)
{
	const struct harness_mode *mode = *state;
	struct harness *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	h->threaded = mode->threaded;
	harness_default_config(h);
	harness_build(h);
	*state = h;
	return 0;
}

void harness_default_config(struct harness *h)
{
	smmu_model_config_default(&h->cfg);
	h->cfg.threaded = h->threaded;
	h->cfg.irq = on_irq;
	h->cfg.irq_opaque = h;
	h->cfg.sev_signal = on_sev;
	h->cfg.sev_opaque = h;
}

void harness_trace(struct harness *h)
{
	h->cfg.trace = on_trace;
	h->cfg.trace_opaque = h;
	harness_rebuild(h);
}

int harness_teardown(void **state)
{
	struct harness *h = *state;

	harness_destroy(h);
	free(h);
	return 0;
}

void harness_rebuild(struct harness *h)
{
	harness_destroy(h);
	memset(h->irqs, 0, sizeof(h->irqs));
	harness_build(h);
}

static int group_inline(void **state)
{
	static const struct harness_mode mode = { .threaded = false };

	*state = (void *)&mode;
	return 0;
}

static int group_threaded(void **state)
{
	static const struct harness_mode mode = { .threaded = true };

	*state = (void *)&mode;
	return 0;
}

int harness_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char label[128];
	int failed;

	snprintf(label, sizeof(label), "%s (inline)", name);
	failed = _cmocka_run_group_tests(label, tests, n, group_inline, NULL);
	snprintf(label, sizeof(label), "%s (threaded)", name);
	failed += _cmocka_run_group_tests(label, tests, n, group_threaded, NULL);
	return failed;
}

uint32_t h_read32(struct harness *h, uint64_t off)
{
	return smmu_model_mmio_read32(h->m, off);
}

void h_write32(struct harness *h, uint64_t off, uint32_t v)
{
	smmu_model_mmio_write32(h->m, off, v);
}

void *h_alloc(struct harness *h, size_t size, uint64_t *pa)
{
	void *cpu;

	assert_int_equal(smmu_dma_alloc(h->dma, size, size, &cpu, pa), 0);
	return cpu;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

void h_cr0(struct harness *h, uint32_t cr0)
{
	int64_t deadline = now_ns() + POLL_TIMEOUT_NS;

	h_write32(h, SMMU_CR0, cr0);
	while (h_read32(h, SMMU_CR0ACK) != cr0)
		assert_true(now_ns() < deadline);
}

/* Allocate a queue, program BASE/PROD/CONS and set its CR0 enable. */
static uint64_t queue_init(struct harness *h, uint64_t base_reg, uint64_t prod_reg,
			   uint64_t cons_reg, size_t entry_size, unsigned log2,
			   uint32_t enable)
{
	uint64_t pa;

	h_alloc(h, entry_size << log2, &pa);
	smmu_model_mmio_write64(h->m, base_reg,
				pa | SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, log2));
	h_write32(h, prod_reg, 0);
	h_write32(h, cons_reg, 0);
	h_cr0(h, h_read32(h, SMMU_CR0) | enable);
	return pa;
}

void h_cmdq_init(struct harness *h, unsigned log2)
{
	h->cmdq_log2 = log2;
	h->cmdq_pa = queue_init(h, SMMU_CMDQ_BASE, SMMU_CMDQ_PROD, SMMU_CMDQ_CONS,
				SMMU_CMD_SIZE, log2, (uint32_t)SMMU_CR0_CMDQEN);
}

void h_evtq_init(struct harness *h, unsigned log2)
{
	h->evtq_log2 = log2;
	h->evtq_pa = queue_init(h, SMMU_EVENTQ_BASE, SMMU_EVENTQ_PROD, SMMU_EVENTQ_CONS,
				SMMU_EVT_SIZE, log2, (uint32_t)SMMU_CR0_EVENTQEN);
}

void h_strtab_linear(struct harness *h, unsigned log2)
{
	h_alloc(h, SMMU_STE_SIZE << log2, &h->strtab_pa);
	smmu_model_mmio_write64(h->m, SMMU_STRTAB_BASE, h->strtab_pa);
	h_write32(h, SMMU_STRTAB_BASE_CFG,
		  (uint32_t)SMMU_FIELD_PREP(SMMU_STRTAB_BASE_CFG_LOG2SIZE, log2));
}

void h_enable_all(struct harness *h)
{
	h_cmdq_init(h, H_CMDQ_LOG2);
	h_evtq_init(h, H_EVTQ_LOG2);
	h_strtab_linear(h, H_ST_LOG2);
	h_cr0(h, h_read32(h, SMMU_CR0) | (uint32_t)SMMU_CR0_SMMUEN);
}

static uint32_t ptr_mask(unsigned log2)
{
	return (2u << log2) - 1u;
}

void h_cmd(struct harness *h, uint64_t dw0, uint64_t dw1)
{
	uint32_t prod = h_read32(h, SMMU_CMDQ_PROD);
	uint64_t pa = h->cmdq_pa + (uint64_t)(prod & ((1u << h->cmdq_log2) - 1u)) * SMMU_CMD_SIZE;

	assert_int_equal(smmu_mem_write64(h->mem, pa, dw0), 0);
	assert_int_equal(smmu_mem_write64(h->mem, pa + 8, dw1), 0);
	h_write32(h, SMMU_CMDQ_PROD, (prod + 1) & ptr_mask(h->cmdq_log2));
}

bool h_gerror_active(struct harness *h, uint32_t bit)
{
	return (h_read32(h, SMMU_GERROR) ^ h_read32(h, SMMU_GERRORN)) & bit;
}

unsigned h_cmdq_wait(struct harness *h)
{
	int64_t deadline = now_ns() + POLL_TIMEOUT_NS;
	uint32_t mask = ptr_mask(h->cmdq_log2);

	for (;;) {
		uint32_t cons = h_read32(h, SMMU_CMDQ_CONS);

		/* CONS.ERR is written before GERROR toggles: re-read it. */
		if (h_gerror_active(h, (uint32_t)SMMU_GERROR_CMDQ_ERR))
			return (unsigned)SMMU_FIELD_GET(SMMU_CMDQ_CONS_ERR,
							h_read32(h, SMMU_CMDQ_CONS));
		if ((cons & mask) == (h_read32(h, SMMU_CMDQ_PROD) & mask))
			return SMMU_CERROR_NONE;
		assert_true(now_ns() < deadline);
	}
}

unsigned h_sync(struct harness *h)
{
	h_cmd(h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_SYNC), 0);
	return h_cmdq_wait(h);
}

unsigned h_cmd_sync(struct harness *h, uint64_t dw0, uint64_t dw1)
{
	h_cmd(h, dw0, dw1);
	return h_sync(h);
}

void h_ack_cmdq_err(struct harness *h)
{
	h_write32(h, SMMU_GERRORN, h_read32(h, SMMU_GERRORN) ^ (uint32_t)SMMU_GERROR_CMDQ_ERR);
}

void h_cmdq_skip_error(struct harness *h)
{
	uint32_t cons = h_read32(h, SMMU_CMDQ_CONS) & (uint32_t)((1u << h->cmdq_log2) - 1);
	uint64_t pa = h->cmdq_pa + cons * SMMU_CMD_SIZE;

	assert_int_equal(smmu_mem_write64(h->mem, pa, SMMU_FIELD_PREP(SMMU_CMD0_OP,
								      SMMU_CMD_SYNC)), 0);
	assert_int_equal(smmu_mem_write64(h->mem, pa + 8, 0), 0);
	h_ack_cmdq_err(h);
}

unsigned h_events_pending(struct harness *h)
{
	uint32_t mask = ptr_mask(h->evtq_log2);
	uint32_t prod = h_read32(h, SMMU_EVENTQ_PROD) & mask;
	uint32_t cons = h_read32(h, SMMU_EVENTQ_CONS) & mask;

	return (prod - cons) & mask;
}

bool h_event_pop(struct harness *h, uint64_t evt[4])
{
	uint32_t cons = h_read32(h, SMMU_EVENTQ_CONS);
	uint32_t idx = cons & ((1u << h->evtq_log2) - 1u);

	if (!h_events_pending(h))
		return false;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(smmu_mem_read64(h->mem, h->evtq_pa + idx * SMMU_EVT_SIZE + i * 8,
						 &evt[i]), 0);
	h_write32(h, SMMU_EVENTQ_CONS, (cons & (uint32_t)SMMU_Q_CONS_OVACKFLG) |
		  ((cons + 1) & ptr_mask(h->evtq_log2)));
	return true;
}

void h_write_ste(struct harness *h, uint64_t pa, const uint64_t ste[8])
{
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(smmu_mem_write64(h->mem, pa + i * 8, ste[i]), 0);
}

uint64_t h_ste_pa(struct harness *h, uint32_t sid)
{
	return h->strtab_pa + (uint64_t)sid * SMMU_STE_SIZE;
}

struct smmu_txn_result h_translate(struct harness *h, uint32_t sid, bool ssv,
				   uint32_t ssid, uint64_t iova, bool write)
{
	struct smmu_txn txn = { .sid = sid, .ssv = ssv, .ssid = ssid, .iova = iova,
				.write = write };
	struct smmu_txn_result res;

	assert_int_equal(smmu_model_translate(h->m, &txn, &res), 0);
	return res;
}

struct smmu_model_stats h_stats(struct harness *h)
{
	struct smmu_model_stats s;

	assert_int_equal(smmu_model_get_stats(h->m, &s), 0);
	return s;
}
