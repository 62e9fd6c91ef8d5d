/*
 * Entries on a probed driver: the real command queue and stream table on
 * the driver tests' fake SMMU.
 *
 * Concepts: the fake executes (and logs) every command the queue hands
 * it, so after a CD write and STE installs the test checks the command
 * stream the SMMU actually saw, and that the stream table slot holds the
 * target.  Inline mode gives an exact log; threaded mode checks that the
 * syncs complete against a consumer running on its own thread.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cdtab.h"
#include "fake_smmu.h"
#include "fixtures.h"
#include "strtab.h"

#define SID 3u

struct live {
	struct fake_smmu fake;
	struct smmu_dev *dev;
	uint32_t sids[1];
	struct smmu_cd_inv_sids master;
	struct smmu_cdtab *cdtab;
};

static void silent(void *opaque, enum smmu_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	(void)msg;
}

static struct live *live_new(bool threaded)
{
	const struct smmu_dev_options opts = { .log = silent };
	struct live *l = calloc(1, sizeof(*l));
	struct smmu_platform plat;
	struct smmu_cdtab_inv inv = { .inv_cd = smmu_cd_inv_sids };

	assert_non_null(l);
	fake_smmu_init(&l->fake);
	l->fake.threaded = threaded;
	fake_smmu_start(&l->fake);
	fake_smmu_platform(&l->fake, &plat);
	assert_int_equal(smmu_dev_probe(&plat, &opts, &l->dev), 0);
	assert_int_equal(smmu_strtab_ensure(l->dev, SID), 0);
	l->sids[0] = SID;
	l->master = (struct smmu_cd_inv_sids){
		.dev = l->dev, .sids = l->sids, .num_sids = 1,
	};
	inv.ctx = &l->master;
	assert_int_equal(smmu_cdtab_new(l->dev, 8, &inv, &l->cdtab), 0);
	return l;
}

static void live_free(struct live *l)
{
	smmu_cdtab_free(l->cdtab);
	smmu_dev_remove(l->dev);
	fake_smmu_fini(&l->fake);
	assert_int_equal(l->fake.dma_live, 0);
	free(l);
}

/* Give the S1 CD at SSID 0 and install a CD-table STE, then abort. */
static void attach_and_detach(struct live *l)
{
	const struct smmu_features *feat = smmu_dev_get_features(l->dev);
	struct smmu_ste_cdtab_cfg cfg = { .s1dss = SMMU_S1DSS_SSID0 };
	struct smmu_cd_s1_cfg cd_cfg;
	struct smmu_ste cdtab_ste, abort_ste;
	uint64_t *slot = smmu_strtab_ste(l->dev, SID);
	struct smmu_cd cd;

	assert_non_null(slot);
	fx_sva_cd_cfg(&cd_cfg, 1);     /* 4K: the fake has no 16K granule */
	assert_int_equal(smmu_cd_make_s1(feat, &cd_cfg, &cd), 0);
	assert_int_equal(smmu_cdtab_write_cd(l->cdtab, 0, &cd), 0);

	smmu_cdtab_ste_cfg(l->cdtab, &cfg);
	cfg.stall = feat->stall_force;
	assert_int_equal(smmu_ste_make_cdtable(feat, &cfg, &cdtab_ste), 0);
	assert_int_equal(smmu_ste_install(l->dev, SID, slot, &cdtab_ste), 0);
	assert_memory_equal(slot, cdtab_ste.dw, sizeof(cdtab_ste.dw));

	smmu_ste_make_abort(&abort_ste);
	assert_int_equal(smmu_ste_install(l->dev, SID, slot, &abort_ste), 0);
	assert_memory_equal(slot, abort_ste.dw, sizeof(abort_ste.dw));
}

static void assert_cmd(const struct fake_smmu *f, size_t i, unsigned op,
		       uint32_t sid, bool leaf)
{
	assert_true(i < f->nlog);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, f->log[i].dw[0]), op);
	if (op == SMMU_CMD_SYNC)
		return;
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, f->log[i].dw[0]), sid);
	if (op != SMMU_CMD_PREFETCH_CONFIG)
		assert_int_equal(!!(f->log[i].dw[1] & SMMU_CMD1_LEAF), leaf);
}

static void test_inline_command_stream(void **state)
{
	/* CD: invalid -> valid is two steps; STE: two steps each way. */
	static const unsigned ops[] = {
		SMMU_CMD_CFGI_CD, SMMU_CMD_SYNC, SMMU_CMD_CFGI_CD, SMMU_CMD_SYNC,
		SMMU_CMD_CFGI_STE, SMMU_CMD_SYNC, SMMU_CMD_CFGI_STE, SMMU_CMD_SYNC,
		SMMU_CMD_PREFETCH_CONFIG,
		SMMU_CMD_CFGI_STE, SMMU_CMD_SYNC, SMMU_CMD_CFGI_STE, SMMU_CMD_SYNC,
		SMMU_CMD_PREFETCH_CONFIG,
	};
	struct live *l = live_new(false);
	size_t n = sizeof(ops) / sizeof(ops[0]);

	(void)state;
	l->fake.nlog = 0;
	attach_and_detach(l);
	assert_int_equal(l->fake.nlog, n);
	for (size_t i = 0; i < n; i++)
		assert_cmd(&l->fake, i, ops[i], SID, true);
	live_free(l);
}

/* The consumer thread counts syncs under the fake's lock. */
static unsigned fake_syncs(struct fake_smmu *f)
{
	unsigned n;

	pthread_mutex_lock(&f->lock);
	n = f->syncs;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static void test_threaded_syncs_complete(void **state)
{
	struct live *l = live_new(true);
	unsigned syncs_before = fake_syncs(&l->fake);

	(void)state;
	attach_and_detach(l);
	/* Each sync was waited for, so the consumer has run all six. */
	assert_int_equal(fake_syncs(&l->fake) - syncs_before, 6);
	live_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inline_command_stream),
		cmocka_unit_test(test_threaded_syncs_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
