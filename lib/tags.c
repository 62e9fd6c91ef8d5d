/*
 * IOTLB cache tags: the tag context, the VMID map of each SMMU, and the
 * find / alloc / free algorithm of the kernel's tag series (see tags.h).
 *
 * Concepts: an SMMU joins a tag context at probe (the harness's, or a
 * private one made for it) and leaves it at removal, and each domain holds
 * its SMMU's context until it is freed; the context is freed by its owner
 * once no SMMU or domain uses it, or, when it was private, by its last
 * user.  IDs are handed out next-fit, so a just-freed ID is the last to
 * come back; the safety rule does not depend on that, only on the flush
 * in smmu_iotlb_tag_free.
 */
#include <errno.h>
#include <stdlib.h>
#include <smmu/arch.h>

#include "cmdq.h"
#include "domain.h"
#include "idmap.h"
#include "log.h"
#include "tags.h"

#define ASID_MAX_BITS 16u

static uint32_t id_limit(unsigned bits)
{
	return (UINT32_C(1) << bits) - 1;
}

int smmu_tag_ctx_new(struct smmu_tag_ctx **out)
{
	struct smmu_tag_ctx *ctx;
	int ret;

	if (!out)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ret = smmu_idmap_create(1, id_limit(ASID_MAX_BITS), &ctx->asid_map);
	if (!ret && pthread_mutex_init(&ctx->lock, NULL)) {
		smmu_idmap_destroy(ctx->asid_map);
		ret = -ENOMEM;
	}
	if (ret) {
		free(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

int smmu_tag_ctx_free(struct smmu_tag_ctx *ctx)
{
	if (!ctx)
		return 0;
	pthread_mutex_lock(&ctx->lock);
	if (ctx->users) {
		pthread_mutex_unlock(&ctx->lock);
		return -EBUSY;
	}
	pthread_mutex_unlock(&ctx->lock);
	pthread_mutex_destroy(&ctx->lock);
	smmu_idmap_destroy(ctx->asid_map);
	free(ctx);
	return 0;
}

void smmu_attach_lock(struct smmu_tag_ctx *ctx)
{
	pthread_mutex_lock(&ctx->lock);
}

void smmu_attach_unlock(struct smmu_tag_ctx *ctx)
{
	pthread_mutex_unlock(&ctx->lock);
}

void smmu_tag_ctx_get(struct smmu_tag_ctx *ctx)
{
	smmu_attach_lock(ctx);
	ctx->users++;
	smmu_attach_unlock(ctx);
}

void smmu_tag_ctx_put(struct smmu_tag_ctx *ctx)
{
	bool last;

	smmu_attach_lock(ctx);
	last = --ctx->users == 0;
	smmu_attach_unlock(ctx);
	if (last && ctx->implicit)
		smmu_tag_ctx_free(ctx);
}

int smmu_tags_dev_init(struct smmu_dev *dev)
{
	struct smmu_tag_ctx *ctx = dev->opts.tags;
	int ret;

	ret = smmu_idmap_create(1, id_limit(dev->feat.vmid_bits), &dev->vmid_map);
	if (ret)
		return ret;
	if (!ctx) {
		ret = smmu_tag_ctx_new(&ctx);
		if (ret) {
			smmu_idmap_destroy(dev->vmid_map);
			dev->vmid_map = NULL;
			return ret;
		}
		ctx->implicit = true;
	}
	smmu_tag_ctx_get(ctx);
	dev->tags = ctx;
	return 0;
}

void smmu_tags_dev_fini(struct smmu_dev *dev)
{
	smmu_idmap_destroy(dev->vmid_map);
	dev->vmid_map = NULL;
	if (dev->tags)
		smmu_tag_ctx_put(dev->tags);
	dev->tags = NULL;
}

bool smmu_domain_tag_type(enum smmu_domain_type type, enum smmu_inv_type *out)
{
	switch (type) {
	case SMMU_DOMAIN_S1:
		*out = SMMU_INV_S1_ASID;
		return true;
	case SMMU_DOMAIN_S2:
		*out = SMMU_INV_S2_VMID;
		return true;
	case SMMU_DOMAIN_NESTED:
		*out = SMMU_INV_S2_VMID_VSMMU;
		return true;
	default:
		return false;
	}
}

int smmu_find_iotlb_tag(struct smmu_domain *domain, struct smmu_dev *smmu,
			struct smmu_inv_tag *tag)
{
	struct smmu_domain *owner;
	struct smmu_invs *invs;
	enum smmu_inv_type type;
	uint32_t num, i;
	int ret = -ENOENT;

	if (!domain || !smmu || !tag || !smmu_domain_tag_type(domain->type, &type))
		return -EINVAL;
	owner = smmu_domain_devices(domain);
	urcu_memb_read_lock();
	invs = smmu_invs_deref(&owner->invs);
	num = __atomic_load_n(&invs->num_invs, __ATOMIC_RELAXED);
	smmu_invs_for_each_live(invs, num, i) {
		const struct smmu_inv *inv = &invs->inv[i];

		/* Several vSMMUs may share one parent: theirs is the VMID. */
		if (inv->smmu != smmu || inv->type != type ||
		    (type == SMMU_INV_S2_VMID_VSMMU && inv->id != domain->vsmmu->vmid))
			continue;
		*tag = (struct smmu_inv_tag){ .smmu = smmu, .type = type, .id = inv->id };
		ret = 0;
		break;
	}
	urcu_memb_read_unlock();
	return ret;
}

/*
 * Lowest free first, like the kernel's xa_alloc and ida_alloc_range: a
 * freed tag is the next one handed out, which is safe only because it was
 * invalidated before it was freed.
 */
static int alloc_asid(struct smmu_domain *domain, struct smmu_dev *smmu,
		      uint32_t *id)
{
	return smmu_idmap_alloc_lowest(smmu->tags->asid_map, domain, 1,
				       id_limit(smmu->feat.asid_bits), id);
}

int smmu_vmid_alloc(struct smmu_dev *smmu, void *owner, uint32_t *id)
{
	return smmu_idmap_alloc_lowest(smmu->vmid_map, owner, 1,
				       id_limit(smmu->feat.vmid_bits), id);
}

int smmu_alloc_iotlb_tag(struct smmu_domain *domain, struct smmu_dev *smmu,
			 struct smmu_inv_tag *tag, bool *fresh)
{
	int ret;

	if (!fresh)
		return -EINVAL;
	*fresh = false;
	ret = smmu_find_iotlb_tag(domain, smmu, tag);
	if (ret != -ENOENT)
		return ret;
	*tag = (struct smmu_inv_tag){ .smmu = smmu };
	switch (domain->type) {
	case SMMU_DOMAIN_S1:
		tag->type = SMMU_INV_S1_ASID;
		ret = alloc_asid(domain, smmu, &tag->id);
		break;
	case SMMU_DOMAIN_S2:
		tag->type = SMMU_INV_S2_VMID;
		ret = smmu_vmid_alloc(smmu, domain, &tag->id);
		break;
	default: /* NESTED: the vSMMU allocated its VMID at creation. */
		if (domain->vsmmu->dev != smmu)
			return -EINVAL;
		tag->type = SMMU_INV_S2_VMID_VSMMU;
		tag->id = domain->vsmmu->vmid;
		return 0;
	}
	if (ret == -ENOSPC)
		smmu_warn(smmu, "no %s left for a new domain",
			  tag->type == SMMU_INV_S1_ASID ? "ASID" : "VMID");
	*fresh = !ret;
	return ret;
}

void smmu_iotlb_tag_release(const struct smmu_inv_tag *tag)
{
	if (tag->type == SMMU_INV_S1_ASID)
		smmu_idmap_release(tag->smmu->tags->asid_map, tag->id);
	else if (tag->type == SMMU_INV_S2_VMID)
		smmu_idmap_release(tag->smmu->vmid_map, tag->id);
}

/* TLBI for the whole tag (its nsize form) + CMD_SYNC: 0 or -errno. */
static int iotlb_tag_flush(const struct smmu_inv_tag *tag)
{
	const struct smmu_features *feat = &tag->smmu->feat;
	struct smmu_cmd cmd;
	int ret;

	if (tag->type == SMMU_INV_S1_ASID)
		ret = smmu_cmd_tlbi_tag(&cmd, feat->e2h ? SMMU_CMD_TLBI_EL2_ASID :
							  SMMU_CMD_TLBI_NH_ASID,
					(uint16_t)tag->id, 0);
	else
		ret = smmu_cmd_tlbi_tag(&cmd, SMMU_CMD_TLBI_S12_VMALL, 0,
					(uint16_t)tag->id);
	return ret ? ret : smmu_cmdq_issue(tag->smmu, &cmd, 1, true);
}

void smmu_iotlb_tag_free(const struct smmu_inv_tag *tag)
{
	int ret;

	if (tag->type == SMMU_INV_S2_VMID_VSMMU)
		return;
	ret = tag->smmu->opts.unsafe_skip_tag_flush ? 0 : iotlb_tag_flush(tag);
	if (ret) {
		smmu_err(tag->smmu, "%s %u not flushed (%d): never reused",
			 tag->type == SMMU_INV_S1_ASID ? "ASID" : "VMID", tag->id, ret);
		return;
	}
	smmu_iotlb_tag_release(tag);
}
