/*
 * Unit tests for the event and PRI queues against the fake SMMU: record
 * decoding, delivery by interrupt and by polling, the OVFLG/OVACKFLG
 * overflow handshake, and PRI requests nobody takes being denied.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmdq.h"
#include "dev.h"
#include "fake_smmu.h"
#include "queue_rx.h"

#define MAX_SEEN 64

struct fixture {
	struct fake_smmu fake;
	struct smmu_dev *dev;
	struct smmu_event events[MAX_SEEN];
	unsigned nevents;
	struct smmu_pri_req reqs[MAX_SEEN];
	unsigned nreqs;
	bool take_pri;
	struct smmu_dev_error errors[MAX_SEEN];
	unsigned nerrors;
};

static void on_event(void *opaque, const struct smmu_event *evt)
{
	struct fixture *fx = opaque;

	if (fx->nevents < MAX_SEEN)
		fx->events[fx->nevents++] = *evt;
}

static bool on_pri(void *opaque, const struct smmu_pri_req *req)
{
	struct fixture *fx = opaque;

	if (fx->nreqs < MAX_SEEN)
		fx->reqs[fx->nreqs++] = *req;
	return fx->take_pri;
}

static void on_error(void *opaque, const struct smmu_dev_error *err)
{
	struct fixture *fx = opaque;

	if (fx->nerrors < MAX_SEEN)
		fx->errors[fx->nerrors++] = *err;
}

static void on_irq(void *opaque, enum smmu_dev_irq line)
{
	struct fixture *fx = opaque;

	if (fx->dev)
		smmu_dev_handle_irq(fx->dev, line);
}

static void quiet_log(void *opaque, enum smmu_log_level level, const char *msg)
{
}

static struct fixture *fixture_new(bool wire_irqs, unsigned evtq_log2)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct smmu_dev_options opts = { .opaque = fx, .event = on_event, .pri = on_pri,
					 .error = on_error, .log = quiet_log };
	struct smmu_platform plat;

	fake_smmu_init(&fx->fake);
	fake_set_reg(&fx->fake, SMMU_IDR1,
		     (uint32_t)SMMU_FIELD_SET(SMMU_IDR1_EVENTQS, fake_reg(&fx->fake, SMMU_IDR1),
					      evtq_log2));
	if (wire_irqs) {
		fx->fake.irq = on_irq;
		fx->fake.irq_opaque = fx;
	}
	fake_smmu_platform(&fx->fake, &plat);
	assert_int_equal(smmu_dev_probe(&plat, &opts, &fx->dev), 0);
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	smmu_dev_remove(fx->dev);
	fake_smmu_fini(&fx->fake);
	free(fx);
}

static void make_event(uint64_t rec[4], unsigned id, uint32_t sid, uint64_t addr)
{
	rec[0] = SMMU_FIELD_PREP(SMMU_EVT0_ID, id) | SMMU_EVT0_SSV |
		 SMMU_FIELD_PREP(SMMU_EVT0_SSID, 0xabcde) | SMMU_FIELD_PREP(SMMU_EVT0_SID, sid);
	rec[1] = SMMU_FIELD_PREP(SMMU_EVT1_STAG, 0x5a5a) | SMMU_EVT1_STALL | SMMU_EVT1_PNU |
		 SMMU_EVT1_IND | SMMU_EVT1_RNW | SMMU_EVT1_S2 |
		 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN);
	rec[2] = addr;
	rec[3] = 0x00ffffffffffffffull;
}

static void test_event_decode(void **state)
{
	uint64_t rec[4];
	struct smmu_event e;

	make_event(rec, SMMU_EVT_F_TRANSLATION, 0xfeedf00d, 0xdeadbeef000ull);
	smmu_event_decode(rec, &e);
	assert_int_equal(e.id, SMMU_EVT_F_TRANSLATION);
	assert_int_equal(e.sid, 0xfeedf00d);
	assert_true(e.ssv);
	assert_int_equal(e.ssid, 0xabcde);
	assert_int_equal(e.stag, 0x5a5a);
	assert_true(e.stall && e.pnu && e.ind && e.rnw && e.s2);
	assert_int_equal(e.class, SMMU_EVT_CLASS_IN);
	assert_int_equal(e.input_addr, 0xdeadbeef000ull);
	assert_int_equal(e.addr, SMMU_EVT3_IPA);  /* translation faults: IPA[55:12] */
	assert_memory_equal(e.raw, rec, sizeof(rec));

	rec[0] = SMMU_FIELD_SET(SMMU_EVT0_ID, rec[0], SMMU_EVT_F_STE_FETCH);
	rec[1] = 0;
	smmu_event_decode(rec, &e);
	assert_int_equal(e.addr, SMMU_EVT3_FETCH_ADDR); /* fetch faults: [55:3] */
	assert_false(e.stall || e.pnu || e.ind || e.rnw || e.s2);
}

static void test_pri_decode(void **state)
{
	uint64_t rec[2] = {
		SMMU_FIELD_PREP(SMMU_PRI0_SID, 0x12345678) | SMMU_FIELD_PREP(SMMU_PRI0_SSID, 0xfffff) |
			SMMU_PRI0_PRIV | SMMU_PRI0_EXEC | SMMU_PRI0_READ | SMMU_PRI0_WRITE |
			SMMU_PRI0_LAST | SMMU_PRI0_SSV,
		SMMU_FIELD_PREP(SMMU_PRI1_GRPID, 0x1ff) | 0xfffffffffffff000ull,
	};
	struct smmu_pri_req r;

	smmu_pri_decode(rec, &r);
	assert_int_equal(r.sid, 0x12345678);
	assert_int_equal(r.ssid, 0xfffff);
	assert_true(r.ssv && r.priv && r.exec && r.read && r.write && r.last);
	assert_int_equal(r.grpid, 0x1ff);
	assert_int_equal(r.addr, 0xfffffffffffff000ull);
	rec[0] = 0;
	smmu_pri_decode(rec, &r);
	assert_false(r.ssv || r.priv || r.exec || r.read || r.write || r.last);
}

static void run_events(bool wire_irqs)
{
	struct fixture *fx = fixture_new(wire_irqs, 3);
	uint64_t rec[4];

	/* Three laps of an 8-entry queue: wrap handled, nothing lost. */
	for (unsigned i = 0; i < 24; i++) {
		make_event(rec, SMMU_EVT_C_BAD_STREAMID, i, i * 0x1000ull);
		fake_push_event(&fx->fake, rec);
		if (!wire_irqs && i % 5 == 4)
			assert_int_equal(smmu_dev_process_events(fx->dev), 5);
	}
	if (!wire_irqs)
		assert_int_equal(smmu_dev_process_events(fx->dev), 4);
	assert_int_equal(fx->nevents, 24);
	for (unsigned i = 0; i < 24; i++) {
		assert_int_equal(fx->events[i].sid, i);
		assert_int_equal(fx->events[i].input_addr, i * 0x1000ull);
	}
	assert_int_equal(fx->nerrors, 0);
	assert_int_equal(smmu_q_pos(3, fake_reg(&fx->fake, SMMU_EVENTQ_CONS)),
			 smmu_q_pos(3, fake_reg(&fx->fake, SMMU_EVENTQ_PROD)));
	fixture_free(fx);
}

static void test_events_irq(void **state) { run_events(true); }
static void test_events_polled(void **state) { run_events(false); }

static void test_event_overflow(void **state)
{
	struct fixture *fx = fixture_new(false, 2); /* 4 entries */
	uint64_t rec[4];

	for (unsigned i = 0; i < 7; i++) {
		make_event(rec, SMMU_EVT_F_TRANSLATION, i, 0);
		fake_push_event(&fx->fake, rec);
	}
	assert_true(fake_reg(&fx->fake, SMMU_EVENTQ_PROD) & SMMU_Q_PROD_OVFLG);
	assert_int_equal(smmu_dev_process_events(fx->dev), 4);
	assert_int_equal(fx->nevents, 4);
	assert_int_equal(fx->nerrors, 1);
	assert_int_equal(fx->errors[0].kind, SMMU_DEV_ERR_EVTQ_OVERFLOW);
	/* Acknowledged: OVACKFLG now equals OVFLG. */
	assert_true(fake_reg(&fx->fake, SMMU_EVENTQ_CONS) & SMMU_Q_CONS_OVACKFLG);
	/* New events flow again and no second overflow is reported. */
	make_event(rec, SMMU_EVT_F_TRANSLATION, 99, 0);
	fake_push_event(&fx->fake, rec);
	assert_int_equal(smmu_dev_process_events(fx->dev), 1);
	assert_int_equal(fx->events[4].sid, 99);
	assert_int_equal(fx->nerrors, 1);
	/* A second overflow toggles OVFLG back and is reported again. */
	for (unsigned i = 0; i < 5; i++)
		fake_push_event(&fx->fake, rec);
	assert_int_equal(smmu_dev_process_events(fx->dev), 4);
	assert_int_equal(fx->nerrors, 2);
	assert_false(fake_reg(&fx->fake, SMMU_EVENTQ_CONS) & SMMU_Q_CONS_OVACKFLG);
	fixture_free(fx);
}

static void push_pri(struct fixture *fx, uint32_t sid, uint16_t grp, bool last)
{
	uint64_t rec[2] = {
		SMMU_FIELD_PREP(SMMU_PRI0_SID, sid) | SMMU_FIELD_PREP(SMMU_PRI0_SSID, 5) |
			SMMU_PRI0_SSV | SMMU_PRI0_READ | (last ? SMMU_PRI0_LAST : 0),
		SMMU_FIELD_PREP(SMMU_PRI1_GRPID, grp) | 0x7000,
	};

	fake_push_pri(&fx->fake, rec);
}

static void test_pri_deny(void **state)
{
	struct fixture *fx = fixture_new(true, 8);
	size_t first = fx->fake.nlog;
	const struct fake_cmd *c;

	push_pri(fx, 0x42, 3, false);             /* not last: no answer yet */
	assert_int_equal(fx->fake.nlog, first);
	push_pri(fx, 0x42, 3, true);              /* last: denied */
	assert_int_equal(fx->nreqs, 2);
	assert_int_equal(fx->reqs[1].grpid, 3);
	assert_int_equal(fx->fake.nlog, first + 1);
	c = &fx->fake.log[first];
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, c->dw[0]), SMMU_CMD_PRI_RESP);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, c->dw[0]), 0x42);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SSID, c->dw[0]), 5);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SSV, c->dw[0]), 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_PRI_GRPID, c->dw[1]), 3);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD1_PRI_RESP, c->dw[1]), SMMU_PRI_RESP_DENY);
	/* A request the user takes is left to the user. */
	fx->take_pri = true;
	push_pri(fx, 0x43, 4, true);
	assert_int_equal(fx->nreqs, 3);
	assert_int_equal(fx->fake.nlog, first + 1);
	assert_int_equal(smmu_dev_handle_irq(fx->dev, (enum smmu_dev_irq)42), -EINVAL);
	assert_int_equal(smmu_dev_handle_irq(fx->dev, SMMU_DEV_IRQ_CMD_SYNC), 0);
	fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_decode),
		cmocka_unit_test(test_pri_decode),
		cmocka_unit_test(test_events_irq),
		cmocka_unit_test(test_events_polled),
		cmocka_unit_test(test_event_overflow),
		cmocka_unit_test(test_pri_deny),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
