/*
 * Model suite: the event and PRI queue producers.
 *
 * Concepts: events are provoked the way a device would, by a transaction
 * through an invalid STE (C_BAD_STE); the suite checks the record layout
 * in memory, PROD advancing, OVFLG on overflow and its acknowledgement,
 * dropping while the queue is disabled or in EVENTQ_ABT_ERR, and the
 * EVENTQ interrupt (wired and MSI) per IRQ_CTRL.  The PRI queue writer is
 * the translation layer's internal entry point, called directly.
 */
#include <string.h>
#include <time.h>

#include "harness.h"
#include "model_internal.h"

static struct smmu_txn_result provoke(struct harness *h, uint32_t sid)
{
	return h_translate(h, sid, false, 0, 0x1000, false);
}

static void test_event_layout(void **state)
{
	struct harness *h = *state;
	struct smmu_txn_result res;
	uint64_t evt[4];

	harness_trace(h);
	h_enable_all(h);
	res = h_translate(h, 5, true, 3, 0x1000, false);
	assert_int_equal(res.status, SMMU_TXN_ABORT);
	assert_true(res.event_recorded);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 1);
	assert_true(h_event_pop(h, evt));
	assert_memory_equal(evt, res.event, sizeof(evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_C_BAD_STE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), 5);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSV, evt[0]), 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SSID, evt[0]), 3);
	assert_int_equal(h_stats(h).events, 1);
	assert_int_equal(h->trace_events, 1);
	assert_memory_equal(h->last_trace, evt, sizeof(evt));
	assert_false(h_event_pop(h, evt));
}

static void test_overflow(void **state)
{
	struct harness *h = *state;
	uint64_t evt[4];
	struct smmu_model_stats s;

	h_cmdq_init(h, H_CMDQ_LOG2);
	h_evtq_init(h, 2);
	h_strtab_linear(h, H_ST_LOG2);
	h_cr0(h, h_read32(h, SMMU_CR0) | (uint32_t)SMMU_CR0_SMMUEN);
	for (uint32_t sid = 0; sid < 6; sid++)
		assert_int_equal(provoke(h, sid).event_recorded, sid < 4);
	/* Full (index equal, wrap differs) and overflowed once. */
	assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 4u | (uint32_t)SMMU_Q_PROD_OVFLG);
	s = h_stats(h);
	assert_int_equal(s.events, 4);
	assert_int_equal(s.events_dropped, 2);
	assert_int_equal(s.eventq_overflows, 1);
	for (uint32_t sid = 0; sid < 4; sid++) {
		assert_true(h_event_pop(h, evt));
		assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), sid);
	}
	/* Acknowledge the overflow with CONS.OVACKFLG; a new one toggles again. */
	h_write32(h, SMMU_EVENTQ_CONS, h_read32(h, SMMU_EVENTQ_CONS) ^
		  (uint32_t)SMMU_Q_CONS_OVACKFLG);
	for (uint32_t sid = 10; sid < 15; sid++)
		provoke(h, sid);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0);    /* wrapped, OVFLG clear */
	assert_int_equal(h_stats(h).eventq_overflows, 2);
	assert_true(h_event_pop(h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), 10);
}

static void test_eventq_disabled(void **state)
{
	struct harness *h = *state;
	struct smmu_txn_result res;

	h_enable_all(h);
	h_cr0(h, (uint32_t)(SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN));
	res = provoke(h, 1);
	assert_int_equal(res.status, SMMU_TXN_ABORT);
	assert_false(res.event_recorded);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, res.event[0]), SMMU_EVT_C_BAD_STE);
	assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0);
	assert_int_equal(h_stats(h).events_dropped, 1);
}

static void wait_irq(struct harness *h, enum smmu_model_irq line, unsigned n)
{
	time_t start = time(NULL);

	while (atomic_load(&h->irqs[line]) < n)
		assert_true(time(NULL) - start < 3);
	assert_int_equal(atomic_load(&h->irqs[line]), n);
}

static void test_eventq_irq(void **state)
{
	struct harness *h = *state;
	uint32_t word = 0;

	h_enable_all(h);
	provoke(h, 1);
	assert_int_equal(atomic_load(&h->irqs[SMMU_MODEL_IRQ_EVENTQ]), 0);
	smmu_model_mmio_write64(h->m, SMMU_EVENTQ_IRQ_CFG0, H_MSI_PA);
	h_write32(h, SMMU_EVENTQ_IRQ_CFG1, 0xe7e7);
	h_write32(h, SMMU_IRQ_CTRL, (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN);
	provoke(h, 2);
	wait_irq(h, SMMU_MODEL_IRQ_EVENTQ, 1);
	assert_int_equal(smmu_mem_read32(h->mem, H_MSI_PA, &word), 0);
	assert_int_equal(word, 0xe7e7);
	/* An aborted MSI is a global error, the wired line still fires. */
	h_write32(h, SMMU_IRQ_CTRL, 0);
	smmu_model_mmio_write64(h->m, SMMU_EVENTQ_IRQ_CFG0, UINT64_C(1) << h->cfg.oas_bits);
	h_write32(h, SMMU_IRQ_CTRL, (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN);
	provoke(h, 3);
	wait_irq(h, SMMU_MODEL_IRQ_EVENTQ, 2);
	assert_true(h_gerror_active(h, (uint32_t)SMMU_GERROR_MSI_EVENTQ_ABT_ERR));
	assert_int_equal(h_events_pending(h), 3);
}

static void test_eventq_abort(void **state)
{
	struct harness *h = *state;
	struct smmu_txn_result res;

	h_enable_all(h);
	h_cr0(h, (uint32_t)(SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN));
	smmu_model_mmio_write64(h->m, SMMU_EVENTQ_BASE, (UINT64_C(1) << h->cfg.oas_bits) |
				SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, 2));
	h_cr0(h, (uint32_t)(SMMU_CR0_SMMUEN | SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN));
	res = provoke(h, 1);
	assert_false(res.event_recorded);
	assert_true(h_gerror_active(h, (uint32_t)SMMU_GERROR_EVENTQ_ABT_ERR));
	assert_int_equal(h_read32(h, SMMU_EVENTQ_PROD), 0);
	/* While the error is active records are dropped without a new error. */
	provoke(h, 2);
	assert_int_equal(h_stats(h).gerrors, 1);
	assert_int_equal(h_stats(h).events_dropped, 2);
}

static void test_pri_queue(void **state)
{
	struct harness *h = *state;
	uint64_t pa, rec[2] = { SMMU_FIELD_PREP(SMMU_PRI0_SID, 9) | SMMU_PRI0_LAST,
				SMMU_FIELD_PREP(SMMU_PRI1_GRPID, 4) | 0x5000 };
	uint64_t got;

	assert_false(smmu_model_enqueue_pri(h->m, rec));        /* PRIQEN clear */
	h_alloc(h, 2 * SMMU_PRI_SIZE, &pa);
	smmu_model_mmio_write64(h->m, SMMU_PRIQ_BASE, pa | SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, 1));
	h_write32(h, SMMU_IRQ_CTRL, (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN);
	h_cr0(h, (uint32_t)SMMU_CR0_PRIQEN);
	assert_true(smmu_model_enqueue_pri(h->m, rec));
	assert_true(smmu_model_enqueue_pri(h->m, rec));
	assert_false(smmu_model_enqueue_pri(h->m, rec));
	assert_int_equal(h_read32(h, SMMU_PRIQ_PROD), 2u | (uint32_t)SMMU_Q_PROD_OVFLG);
	assert_int_equal(smmu_mem_read64(h->mem, pa + SMMU_PRI_SIZE + 8, &got), 0);
	assert_int_equal(got, rec[1]);
	assert_int_equal(atomic_load(&h->irqs[SMMU_MODEL_IRQ_PRIQ]), 2);
	assert_int_equal(h_stats(h).priq_overflows, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		H_TEST(test_event_layout), H_TEST(test_overflow), H_TEST(test_eventq_disabled),
		H_TEST(test_eventq_irq), H_TEST(test_eventq_abort), H_TEST(test_pri_queue),
	};

	return harness_run("model_eventq", tests, sizeof(tests) / sizeof(tests[0]));
}
