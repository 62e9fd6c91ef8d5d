/*
 * The syncs of the hitless writer on a live SMMU, through the command queue.
 *
 * Concepts: after a step of a hitless write the SMMU must drop what it
 * cached of the entry before the next step.  For an STE that is
 * CFGI_STE(sid, leaf) + CMD_SYNC; once the STE is final, PREFETCH_CONFIG
 * (no sync) lets the SMMU load the configuration it will soon need.  For
 * a CD it is CFGI_CD(sid, ssid, leaf) through every SID of the master
 * (each SID may cache its own copy) gathered in one batch with one
 * CMD_SYNC.  The builders and the writer never see the command queue;
 * this file is the only glue.
 */
#include <errno.h>
#include <stddef.h>

#include "cdtab.h"
#include "cmdq.h"
#include "entry.h"
#include "ste.h"
#include "strtab.h"

struct ste_sync_ctx {
	struct smmu_dev *dev;
	uint32_t sid;
};

static int ste_sync(void *ctx)
{
	const struct ste_sync_ctx *c = ctx;
	struct smmu_cmd cmd;
	int ret = smmu_cmd_cfgi_ste(&cmd, c->sid, true);

	return ret ? ret : smmu_cmdq_issue(c->dev, &cmd, 1, true);
}

static const struct smmu_entry_ops ste_entry_ops = {
	.num_words = SMMU_STE_DWORDS,
	.get_used = smmu_ste_get_used,
	.get_update_safe = smmu_ste_get_update_safe,
	.sync = ste_sync,
};

int smmu_ste_install(struct smmu_dev *dev, uint32_t sid, uint64_t *live,
		     const struct smmu_ste *target)
{
	struct ste_sync_ctx ctx = { .dev = dev, .sid = sid };
	const struct smmu_entry_writer writer = {
		.ops = &ste_entry_ops, .ctx = &ctx,
	};
	struct smmu_cmd prefetch;
	int ret;

	if (!dev || !live || !target)
		return -EINVAL;
	ret = smmu_cmd_prefetch_config(&prefetch, sid);
	if (ret)
		return ret;
	ret = smmu_entry_write(&writer, live, target->dw);
	if (ret)
		return ret;
	/* A hint: its completion is not waited for. */
	return smmu_cmdq_issue(dev, &prefetch, 1, false);
}

static bool sid_seen_before(const uint32_t *sids, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (sids[j] == sids[i])
			return true;
	return false;
}

int smmu_ste_install_sids(struct smmu_dev *dev, const uint32_t *sids,
			  unsigned num_sids, const struct smmu_ste *target)
{
	int first_err = 0;

	if (!dev || !target || (num_sids && !sids))
		return -EINVAL;
	for (unsigned i = 0; i < num_sids; i++)
		if (!smmu_strtab_ste(dev, sids[i]))
			return -EINVAL;
	for (unsigned i = 0; i < num_sids; i++) {
		int ret;

		if (sid_seen_before(sids, i))
			continue;
		ret = smmu_ste_install(dev, sids[i],
				       smmu_strtab_ste(dev, sids[i]), target);
		if (ret && !first_err)
			first_err = ret;
	}
	return first_err;
}

int smmu_cd_inv_sids(void *ctx, uint32_t ssid, bool leaf)
{
	const struct smmu_cd_inv_sids *m = ctx;
	struct smmu_cmdq_batch batch;
	struct smmu_cmd cmd;
	int ret;

	if (!m || !m->dev || (m->num_sids && !m->sids))
		return -EINVAL;
	smmu_cmdq_batch_init(&batch);
	for (unsigned i = 0; i < m->num_sids; i++) {
		ret = smmu_cmd_cfgi_cd(&cmd, m->sids[i], ssid, leaf);
		if (!ret)
			ret = smmu_cmdq_batch_add(m->dev, &batch, &cmd);
		if (ret)
			return ret;
	}
	return smmu_cmdq_batch_submit(m->dev, &batch);
}
