/*
 * Unit tests of the writer's syncs on a live SMMU (lib/entry_sync.c).
 *
 * Concepts: this test compiles the entry sources itself and links them
 * with a mock of the command queue (the builders and batch API of
 * cmdq.h) that logs every command and every CMD_SYNC, so it checks the
 * exact command stream of an STE install (CFGI_STE leaf + CMD_SYNC after
 * each step, PREFETCH_CONFIG at the end) and of a CD write (CFGI_CD over
 * all the master's SIDs + one CMD_SYNC; leaf=0 after a new L1 descriptor)
 * without depending on the real queue.  The stream table is mocked too.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cdtab.h"
#include "cmdq.h"
#include "fixtures.h"
#include "strtab.h"

#define LOG_MAX 512
#define MOCK_SIDS 16u

struct mock {
	struct smmu_dev dev;    /* first: mock_of() converts back */
	struct fx_dma dma;
	struct smmu_cmd log[LOG_MAX];   /* CMD_SYNC logged as its opcode */
	unsigned num;
	int sync_ret;                   /* what a CMD_SYNC returns */
	struct smmu_ste strtab[MOCK_SIDS];
};

static struct mock *mock_of(struct smmu_dev *dev)
{
	return (struct mock *)(void *)((char *)dev - offsetof(struct mock, dev));
}

/* The mocked stream table: SIDs below MOCK_SIDS have a slot. */
uint64_t *smmu_strtab_ste(struct smmu_dev *dev, uint32_t sid)
{
	return sid < MOCK_SIDS ? mock_of(dev)->strtab[sid].dw : NULL;
}

/* The mocked half of cmdq.h: only what entry_sync.c calls. */
int smmu_cmd_cfgi_ste(struct smmu_cmd *cmd, uint32_t sid, bool leaf)
{
	cmd->dw[0] = SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_STE) |
		     SMMU_FIELD_PREP(SMMU_CMD0_SID, sid);
	cmd->dw[1] = leaf ? SMMU_CMD1_LEAF : 0;
	return 0;
}

int smmu_cmd_cfgi_cd(struct smmu_cmd *cmd, uint32_t sid, uint32_t ssid,
		     bool leaf)
{
	cmd->dw[0] = SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_CD) |
		     SMMU_FIELD_PREP(SMMU_CMD0_SSID, ssid) |
		     SMMU_FIELD_PREP(SMMU_CMD0_SID, sid);
	cmd->dw[1] = leaf ? SMMU_CMD1_LEAF : 0;
	return 0;
}

int smmu_cmd_prefetch_config(struct smmu_cmd *cmd, uint32_t sid)
{
	cmd->dw[0] = SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_PREFETCH_CONFIG) |
		     SMMU_FIELD_PREP(SMMU_CMD0_SID, sid);
	cmd->dw[1] = 0;
	return 0;
}

int smmu_cmdq_issue(struct smmu_dev *dev, const struct smmu_cmd *cmds,
		    unsigned n, bool sync)
{
	struct mock *m = mock_of(dev);

	for (unsigned i = 0; i < n; i++) {
		assert_true(m->num < LOG_MAX);
		m->log[m->num++] = cmds[i];
	}
	if (!sync)
		return 0;
	assert_true(m->num < LOG_MAX);
	memset(&m->log[m->num], 0, sizeof(m->log[m->num]));
	m->log[m->num++].dw[0] = SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_SYNC);
	return m->sync_ret;
}

void smmu_cmdq_batch_init(struct smmu_cmdq_batch *batch)
{
	batch->num = 0;
}

int smmu_cmdq_batch_add(struct smmu_dev *dev, struct smmu_cmdq_batch *batch,
			const struct smmu_cmd *cmd)
{
	if (batch->num == SMMU_CMDQ_BATCH_MAX) {
		smmu_cmdq_issue(dev, batch->cmds, batch->num, false);
		batch->num = 0;
	}
	batch->cmds[batch->num++] = *cmd;
	return 0;
}

int smmu_cmdq_batch_submit(struct smmu_dev *dev, struct smmu_cmdq_batch *batch)
{
	int ret = smmu_cmdq_issue(dev, batch->cmds, batch->num, true);

	batch->num = 0;
	return ret;
}

/* Expected commands, in order. */
struct expect {
	unsigned op;
	uint32_t sid, ssid;
	bool leaf;
};

static void assert_log(const struct mock *m, const struct expect *e,
		       unsigned n)
{
	assert_int_equal(m->num, n);
	for (unsigned i = 0; i < n; i++) {
		const struct smmu_cmd *c = &m->log[i];

		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, c->dw[0]), e[i].op);
		if (e[i].op == SMMU_CMD_SYNC)
			continue;
		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, c->dw[0]),
				 e[i].sid);
		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SSID, c->dw[0]),
				 e[i].ssid);
		assert_int_equal(!!(c->dw[1] & SMMU_CMD1_LEAF), e[i].leaf);
	}
}

static struct mock *mock_new(void)
{
	struct mock *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	fx_features(&m->dev.feat);
	fx_dma_attach(&m->dma, &m->dev.plat);
	return m;
}

#define CFGI_STE_LEAF(sid) { SMMU_CMD_CFGI_STE, (sid), 0, true }
#define SYNC { SMMU_CMD_SYNC, 0, 0, false }

static void test_ste_install_syncs_each_step(void **state)
{
	struct mock *m = mock_new();
	struct smmu_ste live, target;
	const struct expect e[] = {
		CFGI_STE_LEAF(7), SYNC, CFGI_STE_LEAF(7), SYNC,
		CFGI_STE_LEAF(7), SYNC,
		{ SMMU_CMD_PREFETCH_CONFIG, 7, 0, false },
	};

	(void)state;
	fx_cdtable_ste(&live, SMMU_S1DSS_SSID0, FX_CDTAB_BUS, FX_ATS);
	fx_s2_ste(&target, FX_ATS);
	assert_int_equal(smmu_ste_install(&m->dev, 7, live.dw, &target), 0);
	assert_memory_equal(&live, &target, sizeof(live));
	assert_log(m, e, sizeof(e) / sizeof(e[0]));

	/* Nothing to change: no CFGI, only the prefetch. */
	m->num = 0;
	assert_int_equal(smmu_ste_install(&m->dev, 7, live.dw, &target), 0);
	assert_log(m, &e[6], 1);
	free(m);
}

static void test_ste_install_sync_error(void **state)
{
	struct mock *m = mock_new();
	struct smmu_ste live, target;

	(void)state;
	smmu_ste_make_abort(&live);
	smmu_ste_make_bypass(&m->dev.feat, &target);
	m->sync_ret = -ETIMEDOUT;
	assert_int_equal(smmu_ste_install(&m->dev, 3, live.dw, &target),
			 -ETIMEDOUT);
	/* No prefetch of a configuration the SMMU may not have taken. */
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP, m->log[m->num - 1].dw[0]),
			 SMMU_CMD_SYNC);
	assert_int_equal(smmu_ste_install(NULL, 3, live.dw, &target), -EINVAL);
	free(m);
}

/* A master's SIDs: each written once, in order; nothing if one is bad. */
static void test_ste_install_sids(void **state)
{
	static const uint32_t sids[] = { 5, 2, 5 };
	static const uint32_t bad[] = { 2, MOCK_SIDS };
	struct mock *m = mock_new();
	struct smmu_ste target;
	const struct expect e[] = {
		CFGI_STE_LEAF(5), SYNC, CFGI_STE_LEAF(5), SYNC,
		{ SMMU_CMD_PREFETCH_CONFIG, 5, 0, false },
		CFGI_STE_LEAF(2), SYNC, CFGI_STE_LEAF(2), SYNC,
		{ SMMU_CMD_PREFETCH_CONFIG, 2, 0, false },
	};

	(void)state;
	for (unsigned i = 0; i < MOCK_SIDS; i++)
		smmu_ste_make_abort(&m->strtab[i]);
	smmu_ste_make_bypass(&m->dev.feat, &target);
	assert_int_equal(smmu_ste_install_sids(&m->dev, bad, 2, &target),
			 -EINVAL);
	assert_int_equal(m->num, 0);
	assert_int_equal(smmu_ste_install_sids(&m->dev, sids, 3, &target), 0);
	assert_log(m, e, sizeof(e) / sizeof(e[0]));
	assert_memory_equal(&m->strtab[5], &target, sizeof(target));
	assert_memory_equal(&m->strtab[2], &target, sizeof(target));
	free(m);
}

#define CFGI_CD(sid, ssid, leaf) { SMMU_CMD_CFGI_CD, (sid), (ssid), (leaf) }

static void test_cd_write_invalidates_every_sid(void **state)
{
	static const uint32_t sids[] = { 4, 9, 12 };
	struct mock *m = mock_new();
	struct smmu_cd_inv_sids master = {
		.dev = &m->dev, .sids = sids, .num_sids = 3,
	};
	const struct smmu_cdtab_inv inv = {
		.inv_cd = smmu_cd_inv_sids, .ctx = &master,
	};
	const struct expect e[] = {
		/* The new leaf's L1 descriptor, then the CD's two steps. */
		CFGI_CD(4, 2000, false), CFGI_CD(9, 2000, false),
		CFGI_CD(12, 2000, false), SYNC,
		CFGI_CD(4, 2000, true), CFGI_CD(9, 2000, true),
		CFGI_CD(12, 2000, true), SYNC,
		CFGI_CD(4, 2000, true), CFGI_CD(9, 2000, true),
		CFGI_CD(12, 2000, true), SYNC,
	};
	struct smmu_cd_s1_cfg cfg;
	struct smmu_cdtab *tab;
	struct smmu_cd cd;

	(void)state;
	assert_int_equal(smmu_cdtab_new(&m->dev, 16, &inv, &tab), 0);
	fx_s1_cd_cfg(&cfg, 11);
	assert_int_equal(smmu_cd_make_s1(&m->dev.feat, &cfg, &cd), 0);
	assert_int_equal(smmu_cdtab_write_cd(tab, 2000, &cd), 0);
	assert_log(m, e, sizeof(e) / sizeof(e[0]));
	smmu_cdtab_free(tab);
	assert_int_equal(m->dma.live_allocs, 0);
	free(m);
}

/* More SIDs than a batch holds: still one CMD_SYNC, after all of them. */
static void test_cd_inv_many_sids(void **state)
{
	uint32_t sids[SMMU_CMDQ_BATCH_MAX + 6];
	struct mock *m = mock_new();
	struct smmu_cd_inv_sids master = {
		.dev = &m->dev, .sids = sids,
		.num_sids = SMMU_CMDQ_BATCH_MAX + 6,
	};

	(void)state;
	for (unsigned i = 0; i < master.num_sids; i++)
		sids[i] = 100 + i;
	assert_int_equal(smmu_cd_inv_sids(&master, 5, true), 0);
	assert_int_equal(m->num, master.num_sids + 1);
	for (unsigned i = 0; i < master.num_sids; i++)
		assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_SID, m->log[i].dw[0]),
				 100 + i);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CMD0_OP,
					m->log[master.num_sids].dw[0]),
			 SMMU_CMD_SYNC);
	assert_int_equal(smmu_cd_inv_sids(NULL, 5, true), -EINVAL);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ste_install_syncs_each_step),
		cmocka_unit_test(test_ste_install_sync_error),
		cmocka_unit_test(test_ste_install_sids),
		cmocka_unit_test(test_cd_write_invalidates_every_sid),
		cmocka_unit_test(test_cd_inv_many_sids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
