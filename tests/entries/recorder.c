/*
 * The recording sync op of the hitless-writer tests (see recorder.h).
 */
#include <errno.h>
#include <string.h>

#include "cd.h"
#include "recorder.h"
#include "ste.h"

static bool differs_in_used(const uint64_t *entry, const uint64_t *used,
			    const uint64_t *ref, const uint64_t *safe)
{
	for (unsigned i = 0; i < REC_WORDS; i++) {
		uint64_t mask = used[i] & ~safe[i];

		if ((entry[i] & mask) != (ref[i] & mask))
			return true;
	}
	return false;
}

static bool means_neither(const struct rec *r)
{
	uint64_t used[REC_WORDS] = { 0 };
	uint64_t safe_init[REC_WORDS] = { 0 }, safe_target[REC_WORDS] = { 0 };

	r->ops->get_used(r->live, used);
	if (r->ops->get_update_safe) {
		r->ops->get_update_safe(r->live, r->init, safe_init);
		r->ops->get_update_safe(r->live, r->target, safe_target);
	}
	return differs_in_used(r->live, used, r->init, safe_init) &&
	       differs_in_used(r->live, used, r->target, safe_target);
}

int rec_sync(void *ctx)
{
	struct rec *r = ctx;

	r->syncs++;
	if (!memcmp(r->live, r->at_last_sync, sizeof(r->at_last_sync)))
		r->redundant_sync = true;
	memcpy(r->at_last_sync, r->live, sizeof(r->at_last_sync));
	if (!(r->live[0] & r->v_mask))
		r->invalid_seen = true;
	else if (means_neither(r))
		r->mixed_seen = true;
	return r->syncs == r->fail_sync ? -ETIMEDOUT : 0;
}

const struct smmu_entry_ops rec_ste_ops = {
	.num_words = SMMU_STE_DWORDS,
	.get_used = smmu_ste_get_used,
	.get_update_safe = smmu_ste_get_update_safe,
	.sync = rec_sync,
};

const struct smmu_entry_ops rec_cd_ops = {
	.num_words = SMMU_CD_DWORDS,
	.get_used = smmu_cd_get_used,
	.sync = rec_sync,
};

int rec_write(struct rec *r, const uint64_t *init, const uint64_t *target,
	      uint64_t *live)
{
	const struct smmu_entry_writer writer = { .ops = r->ops, .ctx = r };

	memcpy(live, init, REC_WORDS * sizeof(*live));
	memcpy(r->at_last_sync, init, sizeof(r->at_last_sync));
	r->init = init;
	r->target = target;
	r->live = live;
	return smmu_entry_write(&writer, live, target);
}
