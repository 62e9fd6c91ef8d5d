/*
 * Unit tests for the command queue: pointer arithmetic, and the lock-free
 * insertion against a fake SMMU consumer (inline and threaded; MSI, SEV
 * and CONS polling): every command arrives exactly once, batches are never
 * interleaved, every CMD_SYNC completes, an owner publishes what was
 * reserved during its own PROD write, an illegal command is skipped, and a
 * stalled SMMU gives -ETIMEDOUT.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "cmdq.h"
#include "dev.h"
#include "fake_smmu.h"

/* ---- Pointer arithmetic ------------------------------------------------ */

static void test_q_ptrs(void **state)
{
	const unsigned l = 3; /* 8 entries; wrap flag is bit 3 */

	assert_true(smmu_q_empty(l, 0, 0));
	assert_true(smmu_q_empty(l, 0x8 | 5, 0x8 | 5));
	assert_false(smmu_q_full(l, 5, 5));
	assert_true(smmu_q_full(l, 0x8 | 5, 5));
	assert_true(smmu_q_full(l, 5, 0x8 | 5));
	assert_false(smmu_q_empty(l, 0x8 | 5, 5));
	assert_int_equal(smmu_q_space(l, 0, 0), 8);
	assert_int_equal(smmu_q_space(l, 3, 0), 5);
	assert_int_equal(smmu_q_space(l, 0x8 | 1, 6), 5);
	assert_int_equal(smmu_q_space(l, 0x8 | 6, 6), 0);
	/* Increment wraps the index into the wrap flag and keeps bit 31. */
	assert_int_equal(smmu_q_inc(l, 7, 1), 0x8);
	assert_int_equal(smmu_q_inc(l, 0x8 | 7, 1), 0);
	assert_int_equal(smmu_q_inc(l, 6, 8), 0x8 | 6);
	assert_int_equal(smmu_q_inc(l, SMMU_Q_FLAG | 7, 2), SMMU_Q_FLAG | 0x8 | 1);
	assert_int_equal(smmu_q_pos(l, SMMU_Q_FLAG | 0xf0 | 0xd), 0xd);
	/* consumed: cons has moved past prod, across a wrap too. */
	assert_false(smmu_q_consumed(l, 2, 2));
	assert_true(smmu_q_consumed(l, 3, 2));
	assert_true(smmu_q_consumed(l, 0x8 | 0, 7));
	assert_true(smmu_q_consumed(l, 0x8 | 2, 2));
	assert_false(smmu_q_consumed(l, 1, 0x8 | 0));
	assert_int_equal(smmu_q_idx(l, 0x8 | 5), 5);
	assert_int_equal(smmu_q_wrp(l, 0x8 | 5), 0x8);
}

/* ---- Fixture ------------------------------------------------------------ */

struct late_rig;

struct fixture {
	struct fake_smmu fake;
	struct smmu_dev *dev;
	struct late_rig *late;  /* set while test_owner_takes_in_late_batch runs */
	struct smmu_dev_error errors[8];
	unsigned nerrors;
	bool wire_irqs;
};

static void on_error(void *opaque, const struct smmu_dev_error *err)
{
	struct fixture *fx = opaque;

	if (fx->nerrors < 8)
		fx->errors[fx->nerrors] = *err;
	fx->nerrors++;
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

enum sync_kind { SYNC_MSI, SYNC_SEV, SYNC_POLL };

static struct fixture *fixture_new(bool threaded, enum sync_kind sync,
				   unsigned cmdq_log2, bool wire_irqs)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct smmu_dev_options opts = { .opaque = fx, .error = on_error,
					 .log = quiet_log };
	struct smmu_platform plat;
	uint32_t idr0, idr1;

	fake_smmu_init(&fx->fake);
	fx->fake.threaded = threaded;
	idr0 = fake_reg(&fx->fake, SMMU_IDR0) & ~(uint32_t)(SMMU_IDR0_MSI | SMMU_IDR0_SEV);
	idr0 |= sync == SYNC_MSI ? (uint32_t)SMMU_IDR0_MSI : 0;
	idr0 |= sync == SYNC_SEV ? (uint32_t)SMMU_IDR0_SEV : 0;
	fake_set_reg(&fx->fake, SMMU_IDR0, idr0);
	idr1 = (uint32_t)SMMU_FIELD_SET(SMMU_IDR1_CMDQS, fake_reg(&fx->fake, SMMU_IDR1), cmdq_log2);
	fake_set_reg(&fx->fake, SMMU_IDR1, idr1);
	if (wire_irqs) {
		fx->fake.irq = on_irq;
		fx->fake.irq_opaque = fx;
	}
	fake_smmu_start(&fx->fake);
	fake_smmu_platform(&fx->fake, &plat);
	assert_int_equal(smmu_dev_probe(&plat, &opts, &fx->dev), 0);
	return fx;
}

static void fixture_free(struct fixture *fx)
{
	smmu_dev_remove(fx->dev);
	fx->dev = NULL;
	fake_smmu_fini(&fx->fake);
	assert_int_equal(fx->fake.dma_live, 0);
	free(fx);
}

/* ---- Many producers ---------------------------------------------------- */

#define MT_THREADS 4u
#define MT_BATCHES 200u
#define SID_THREAD_SHIFT 24u
#define SID_BATCH_SHIFT 8u

struct producer {
	struct fixture *fx;
	unsigned id;
	unsigned batch_len;
	int ret;
};

static uint32_t make_sid(unsigned t, unsigned b, unsigned i)
{
	return t << SID_THREAD_SHIFT | b << SID_BATCH_SHIFT | i;
}

static void *producer_main(void *arg)
{
	struct producer *p = arg;
	struct smmu_cmdq_batch batch;
	struct smmu_cmd cmd;

	for (unsigned b = 0; b < MT_BATCHES && !p->ret; b++) {
		smmu_cmdq_batch_init(&batch);
		for (unsigned i = 0; i < p->batch_len && !p->ret; i++) {
			smmu_cmd_cfgi_ste(&cmd, make_sid(p->id, b, i), true);
			p->ret = smmu_cmdq_batch_add(p->fx->dev, &batch, &cmd);
		}
		if (!p->ret)
			p->ret = smmu_cmdq_batch_submit(p->fx->dev, &batch);
	}
	return NULL;
}

/*
 * Check the fake's log: each thread's batches in order, each batch's
 * commands contiguous and closed by a CMD_SYNC (batch_len <= 64).
 */
static void check_log(struct fake_smmu *f, unsigned batch_len)
{
	unsigned next_batch[MT_THREADS] = { 0 };
	size_t i = 0, syncs = 0;

	while (i < f->nlog) {
		const struct fake_cmd *c = &f->log[i];
		uint32_t sid = (uint32_t)SMMU_FIELD_GET(SMMU_CMD0_SID, c->dw[0]);
		unsigned t = sid >> SID_THREAD_SHIFT;
		unsigned b = (sid >> SID_BATCH_SHIFT) & 0xffffu;

		if (SMMU_FIELD_GET(SMMU_CMD0_OP, c->dw[0]) != SMMU_CMD_CFGI_STE) {
			/* reset commands and syncs */
			syncs += SMMU_FIELD_GET(SMMU_CMD0_OP, c->dw[0]) == SMMU_CMD_SYNC;
			i++;
			continue;
		}
		assert_true(t < MT_THREADS);
		assert_int_equal(b, next_batch[t]);
		for (unsigned k = 0; k < batch_len; k++, i++) {
			assert_true(i < f->nlog);
			assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, f->log[i].dw[0]),
					 SMMU_CMD_CFGI_STE);
			assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, f->log[i].dw[0]),
					 make_sid(t, b, k));
		}
		assert_true(i < f->nlog);
		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, f->log[i].dw[0]), SMMU_CMD_SYNC);
		next_batch[t]++;
	}
	for (unsigned t = 0; t < MT_THREADS; t++)
		assert_int_equal(next_batch[t], MT_BATCHES);
	assert_true(syncs >= MT_THREADS * MT_BATCHES);
}

static void run_producers(bool threaded, enum sync_kind sync, unsigned batch_len)
{
	struct fixture *fx = fixture_new(threaded, sync, 7, false);
	struct producer p[MT_THREADS];
	pthread_t th[MT_THREADS];

	for (unsigned t = 0; t < MT_THREADS; t++) {
		p[t] = (struct producer){ .fx = fx, .id = t, .batch_len = batch_len };
		pthread_create(&th[t], NULL, producer_main, &p[t]);
	}
	for (unsigned t = 0; t < MT_THREADS; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(p[t].ret, 0);
	}
	fake_smmu_stop(&fx->fake);
	check_log(&fx->fake, batch_len);
	if (sync == SYNC_MSI)
		assert_int_equal(fx->fake.msi_writes, fx->fake.syncs);
	else
		assert_int_equal(fx->fake.msi_writes, 0);
	assert_int_equal(fx->nerrors, 0);
	fixture_free(fx);
}

static void test_mt_inline_msi(void **state) { run_producers(false, SYNC_MSI, 64); }
static void test_mt_inline_poll(void **state) { run_producers(false, SYNC_POLL, 7); }
static void test_mt_threaded_msi(void **state) { run_producers(true, SYNC_MSI, 64); }
static void test_mt_threaded_sev(void **state) { run_producers(true, SYNC_SEV, 13); }
static void test_mt_threaded_poll(void **state) { run_producers(true, SYNC_POLL, 1); }

/* A batch longer than 64 goes out in chunks of 64 with one final SYNC. */
static void test_long_batch(void **state)
{
	struct fixture *fx = fixture_new(false, SYNC_MSI, 8, false);
	struct smmu_cmdq_batch batch;
	struct smmu_cmd cmd;
	unsigned syncs_before = fx->fake.syncs;
	size_t first = fx->fake.nlog;

	smmu_cmdq_batch_init(&batch);
	for (unsigned i = 0; i < 150; i++) {
		smmu_cmd_cfgi_ste(&cmd, i, false);
		assert_int_equal(smmu_cmdq_batch_add(fx->dev, &batch, &cmd), 0);
	}
	assert_int_equal(fx->fake.nlog - first, 128); /* two full chunks already out */
	assert_int_equal(smmu_cmdq_batch_submit(fx->dev, &batch), 0);
	assert_int_equal(fx->fake.syncs - syncs_before, 1);
	assert_int_equal(fx->fake.nlog - first, 151);
	for (unsigned i = 0; i < 150; i++)
		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, fx->fake.log[first + i].dw[0]), i);
	assert_int_equal(batch.num, 0);
	/* issue(): 0 commands with sync is a bare SYNC; without, nothing. */
	assert_int_equal(smmu_cmdq_issue(fx->dev, NULL, 0, true), 0);
	assert_int_equal(fx->fake.syncs - syncs_before, 2);
	assert_int_equal(smmu_cmdq_issue(fx->dev, NULL, 0, false), 0);
	assert_int_equal(smmu_cmdq_issue(fx->dev, NULL, 1, false), -EINVAL);
	assert_int_equal(smmu_cmdq_issue(NULL, &cmd, 1, false), -EINVAL);
	assert_int_equal(smmu_cmdq_batch_add(fx->dev, NULL, &cmd), -EINVAL);
	batch.num = SMMU_CMDQ_BATCH_MAX + 1;
	assert_int_equal(smmu_cmdq_batch_add(fx->dev, &batch, &cmd), -EINVAL);
	assert_int_equal(smmu_cmdq_batch_submit(fx->dev, &batch), -EINVAL);
	fixture_free(fx);
}

/* ---- The owner takes in batches reserved during its PROD write -------- */

#define LATE_CMDS 4u
#define LATE_WAIT_NS 1000000L
#define LATE_WAIT_STEPS 10000u /* 10 s */

/*
 * Wraps the fake's write32 (its opaque, the fake, is the fixture's first
 * member): the first PROD write lets a second producer in.
 */
struct late_rig {
	struct fixture *fx;
	struct smmu_platform inner;
	pthread_t owner, late;
	bool armed;
	int late_ret;
	unsigned prod_writes_by_owner, prod_writes_by_others;
};

static void *late_producer(void *arg)
{
	struct late_rig *r = arg;
	struct smmu_cmd cmds[LATE_CMDS];

	for (unsigned i = 0; i < LATE_CMDS; i++)
		smmu_cmd_cfgi_ste(&cmds[i], 0x100 + i, true);
	r->late_ret = smmu_cmdq_issue(r->fx->dev, cmds, LATE_CMDS, true);
	return NULL;
}

/* Wait until the command at queue position pos reads as opcode op. */
static void late_wait_for(struct late_rig *r, uint32_t pos, unsigned op)
{
	const uint64_t *slot = smmu_queue_entry(smmu_cmdq_queue(r->fx->dev), pos);
	struct timespec step = { .tv_nsec = LATE_WAIT_NS };

	for (unsigned i = 0; i < LATE_WAIT_STEPS; i++) {
		if (SMMU_FIELD_GET(SMMU_CMD0_OP, le64toh(__atomic_load_n(slot, __ATOMIC_ACQUIRE))) == op)
			return;
		nanosleep(&step, NULL);
	}
	fail_msg("the second producer never wrote its CMD_SYNC");
}

static void late_write32(void *opaque, uint64_t off, uint32_t v)
{
	struct late_rig *r = ((struct fixture *)opaque)->late;

	if (off == SMMU_CMDQ_PROD) {
		if (pthread_equal(pthread_self(), r->owner))
			r->prod_writes_by_owner++;
		else
			r->prod_writes_by_others++;
	}
	if (off == SMMU_CMDQ_PROD && r->armed) {
		r->armed = false;
		assert_int_equal(pthread_create(&r->late, NULL, late_producer, r), 0);
		/* Its CMD_SYNC sits right after the owner's batch ends (v). */
		late_wait_for(r, smmu_q_inc(smmu_cmdq_queue(r->fx->dev)->log2, v, LATE_CMDS),
			      SMMU_CMD_SYNC);
	}
	r->inner.write32(r->inner.opaque, off, v);
}

/*
 * A batch reserved while the owner is inside its PROD write (which runs
 * the commands on an inline SMMU) is published by that owner, on its
 * thread, right after: the late producer neither becomes an owner nor
 * writes PROD, and both batches run whole and in order.
 */
static void test_owner_takes_in_late_batch(void **state)
{
	struct late_rig r = { .fx = fixture_new(false, SYNC_MSI, 7, false) };
	struct smmu_cmd cmds[LATE_CMDS];
	size_t first = r.fx->fake.nlog;

	r.inner = r.fx->dev->plat;
	r.fx->late = &r;
	r.fx->dev->plat.write32 = late_write32;
	r.owner = pthread_self();
	r.armed = true;
	for (unsigned i = 0; i < LATE_CMDS; i++)
		smmu_cmd_cfgi_ste(&cmds[i], i, true);
	assert_int_equal(smmu_cmdq_issue(r.fx->dev, cmds, LATE_CMDS, true), 0);
	assert_int_equal(pthread_join(r.late, NULL), 0);
	assert_int_equal(r.late_ret, 0);
	assert_int_equal(r.prod_writes_by_owner, 2);
	assert_int_equal(r.prod_writes_by_others, 0);
	assert_int_equal(r.fx->fake.nlog - first, 2 * (LATE_CMDS + 1));
	for (unsigned b = 0; b < 2; b++) {
		const struct fake_cmd *log = &r.fx->fake.log[first + b * (LATE_CMDS + 1)];

		for (unsigned i = 0; i < LATE_CMDS; i++)
			assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, log[i].dw[0]),
					 (b ? 0x100u : 0u) + i);
		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, log[LATE_CMDS].dw[0]), SMMU_CMD_SYNC);
	}
	r.fx->dev->plat.write32 = r.inner.write32;
	fixture_free(r.fx);
}

/* ---- Errors ------------------------------------------------------------- */

static void run_illegal(bool threaded, bool wire_irqs, enum sync_kind sync)
{
	struct fixture *fx = fixture_new(threaded, sync, 7, wire_irqs);
	struct smmu_cmd cmds[3];
	size_t first = fx->fake.nlog;

	fx->fake.illegal_op = SMMU_CMD_CFGI_CD_ALL;
	smmu_cmd_cfgi_ste(&cmds[0], 1, true);
	smmu_cmd_cfgi_cd_all(&cmds[1], 0x77);
	smmu_cmd_cfgi_ste(&cmds[2], 2, true);
	assert_int_equal(smmu_cmdq_issue(fx->dev, cmds, 3, true), 0);
	/* The queue keeps working. */
	assert_int_equal(smmu_cmdq_issue(fx->dev, cmds, 1, true), 0);
	fake_smmu_stop(&fx->fake);
	assert_int_equal(fx->fake.ill_raised, 1);
	/* The GERROR was reported, then the bad command with its dwords. */
	assert_int_equal(fx->nerrors, 2);
	assert_int_equal(fx->errors[0].kind, SMMU_DEV_ERR_GERROR);
	assert_true(fx->errors[0].value & SMMU_GERROR_CMDQ_ERR);
	assert_int_equal(fx->errors[1].kind, SMMU_DEV_ERR_CMD_ILLEGAL);
	assert_int_equal(fx->errors[1].value, SMMU_CERROR_ILL);
	assert_memory_equal(fx->errors[1].cmd, cmds[1].dw, sizeof(cmds[1].dw));
	/* The SMMU ran: STE 1, the replacement SYNC, STE 2, our SYNC, STE 1, SYNC. */
	assert_int_equal(fx->fake.nlog - first, 6);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, fx->fake.log[first].dw[0]), 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, fx->fake.log[first + 1].dw[0]), SMMU_CMD_SYNC);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SYNC_CS, fx->fake.log[first + 1].dw[0]),
			 SMMU_SYNC_CS_NONE);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, fx->fake.log[first + 2].dw[0]), 2);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, fx->fake.log[first + 3].dw[0]), SMMU_CMD_SYNC);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, fx->fake.log[first + 5].dw[0]), SMMU_CMD_SYNC);
	assert_int_equal(fake_reg(&fx->fake, SMMU_GERROR), fake_reg(&fx->fake, SMMU_GERRORN));
	fixture_free(fx);
}

static void test_illegal_polled(void **state) { run_illegal(false, false, SYNC_MSI); }
static void test_illegal_irq(void **state) { run_illegal(false, true, SYNC_POLL); }
static void test_illegal_threaded(void **state) { run_illegal(true, false, SYNC_SEV); }

/* CERROR_ABT and ATC_INV_SYNC: reported, acknowledged, nothing replaced. */
static void run_cerror_kept(enum smmu_cmdq_cerror cerror, enum smmu_dev_error_kind kind)
{
	struct fixture *fx = fixture_new(false, SYNC_MSI, 7, false);
	const struct smmu_queue *q = smmu_cmdq_queue(fx->dev);
	uint32_t cons = fake_reg(&fx->fake, SMMU_CMDQ_CONS);
	uint64_t before[2], *slot = smmu_queue_entry(q, cons);

	memcpy(before, slot, sizeof(before));
	fake_set_reg(&fx->fake, SMMU_CMDQ_CONS,
		     cons | (uint32_t)SMMU_FIELD_PREP(SMMU_CMDQ_CONS_ERR, cerror));
	fake_set_reg(&fx->fake, SMMU_GERROR,
		     fake_reg(&fx->fake, SMMU_GERROR) ^ (uint32_t)SMMU_GERROR_CMDQ_ERR);
	assert_int_equal(smmu_dev_process_events(fx->dev), 0);
	assert_int_equal(fx->nerrors, 2);
	assert_int_equal(fx->errors[0].kind, SMMU_DEV_ERR_GERROR);
	assert_int_equal(fx->errors[1].kind, kind);
	assert_int_equal(fx->errors[1].value, cerror);
	assert_memory_equal(slot, before, sizeof(before));
	assert_int_equal(fake_reg(&fx->fake, SMMU_GERROR), fake_reg(&fx->fake, SMMU_GERRORN));
	/* Handled once: a second look finds nothing active. */
	smmu_dev_process_events(fx->dev);
	assert_int_equal(fx->nerrors, 2);
	fixture_free(fx);
}

static void test_cerror_abt(void **state)
{
	run_cerror_kept(SMMU_CERROR_ABT, SMMU_DEV_ERR_CMD_ABORT);
}

static void test_cerror_atc_inv_sync(void **state)
{
	run_cerror_kept(SMMU_CERROR_ATC_INV_SYNC, SMMU_DEV_ERR_ATC_INV_SYNC);
}

/* Service failure mode disables the SMMU; other bits are only reported. */
static void test_gerror_sfm(void **state)
{
	struct fixture *fx = fixture_new(false, SYNC_MSI, 7, true);
	uint32_t bits = (uint32_t)(SMMU_GERROR_SFM_ERR | SMMU_GERROR_EVENTQ_ABT_ERR |
				   SMMU_GERROR_MSI_GERROR_ABT_ERR);

	fake_set_reg(&fx->fake, SMMU_GERROR, fake_reg(&fx->fake, SMMU_GERROR) ^ bits);
	assert_int_equal(smmu_dev_handle_irq(fx->dev, SMMU_DEV_IRQ_GERROR), 0);
	assert_int_equal(fx->nerrors, 1);
	assert_int_equal(fx->errors[0].kind, SMMU_DEV_ERR_GERROR);
	assert_int_equal(fx->errors[0].value, bits);
	assert_int_equal(fake_reg(&fx->fake, SMMU_CR0), 0);
	assert_int_equal(fake_reg(&fx->fake, SMMU_GERROR), fake_reg(&fx->fake, SMMU_GERRORN));
	fixture_free(fx);
}

static void test_sync_timeout(void **state)
{
	struct fixture *fx = fixture_new(false, SYNC_MSI, 7, false);
	struct smmu_cmd cmd;

	fx->dev->plat.poll_timeout_us = 20000;
	fx->fake.stalled = true;
	smmu_cmd_cfgi_ste(&cmd, 1, true);
	assert_int_equal(smmu_cmdq_issue(fx->dev, &cmd, 1, true), -ETIMEDOUT);
	assert_int_equal(fx->nerrors, 1);
	assert_int_equal(fx->errors[0].kind, SMMU_DEV_ERR_SYNC_TIMEOUT);
	/* The queue fills up: waiting for room times out too. */
	for (unsigned i = 0; i < 200; i++) {
		int ret = smmu_cmdq_issue(fx->dev, &cmd, 1, false);

		if (ret) {
			assert_int_equal(ret, -ETIMEDOUT);
			assert_true(i >= 120);
			break;
		}
		assert_true(i < 127);
	}
	/* Once the SMMU runs again, so does the queue. */
	fake_resume(&fx->fake);
	assert_int_equal(smmu_cmdq_issue(fx->dev, &cmd, 1, true), 0);
	fixture_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_q_ptrs),
		cmocka_unit_test(test_mt_inline_msi),
		cmocka_unit_test(test_mt_inline_poll),
		cmocka_unit_test(test_mt_threaded_msi),
		cmocka_unit_test(test_mt_threaded_sev),
		cmocka_unit_test(test_mt_threaded_poll),
		cmocka_unit_test(test_long_batch),
		cmocka_unit_test(test_owner_takes_in_late_batch),
		cmocka_unit_test(test_illegal_polled),
		cmocka_unit_test(test_illegal_irq),
		cmocka_unit_test(test_illegal_threaded),
		cmocka_unit_test(test_cerror_abt),
		cmocka_unit_test(test_cerror_atc_inv_sync),
		cmocka_unit_test(test_gerror_sfm),
		cmocka_unit_test(test_sync_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
