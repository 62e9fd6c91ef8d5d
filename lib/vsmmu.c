/*
 * Virtual SMMUs: the VMID a guest's nested domains share.
 *
 * Concepts (linux-driver.md 2, patches 06 and 08): a vSMMU stands for the
 * SMMU a VM sees.  It takes one VMID from its SMMU's map when it is
 * created, and every nested domain attached through it uses that VMID as
 * an S2_VMID_VSMMU tag, so the tag outlives the attachments: the attach
 * path never frees it.  Destroying the vSMMU (only once no nested domain
 * refers to it) invalidates everything tagged with the VMID - stage 2 and
 * the guest's stage 1 alike, which TLBI_S12_VMALL covers - waits for the
 * CMD_SYNC, and only then returns the VMID.  The stage-2 parent is
 * pinned (it cannot be freed) while the vSMMU exists.
 */
#include <errno.h>
#include <stdlib.h>

#include "domain.h"
#include "idmap.h"
#include "log.h"
#include "tags.h"

int smmu_vsmmu_new(struct smmu_dev *dev, struct smmu_domain *s2_parent,
		   struct smmu_vsmmu **out)
{
	struct smmu_vsmmu *v;
	int ret;

	if (!dev || !s2_parent || !out || s2_parent->type != SMMU_DOMAIN_S2 ||
	    !s2_parent->nest_parent || !smmu_domain_can_share(s2_parent, dev))
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->dev = dev;
	v->s2_parent = s2_parent;
	smmu_attach_lock(dev->tags);
	ret = smmu_vmid_alloc(dev, v, &v->vmid);
	if (!ret)
		s2_parent->refs++;
	smmu_attach_unlock(dev->tags);
	if (ret) {
		free(v);
		return ret;
	}
	*out = v;
	return 0;
}

int smmu_vsmmu_free(struct smmu_vsmmu *v)
{
	struct smmu_inv_tag tag;
	struct smmu_tag_ctx *tags;

	if (!v)
		return -EINVAL;
	tags = v->dev->tags;
	smmu_attach_lock(tags);
	if (v->nested) {
		smmu_attach_unlock(tags);
		return -EBUSY;
	}
	/* Flushed and released as a plain VMID: the vSMMU is its owner. */
	tag = (struct smmu_inv_tag){ .smmu = v->dev, .type = SMMU_INV_S2_VMID, .id = v->vmid };
	smmu_iotlb_tag_free(&tag);
	v->s2_parent->refs--;
	smmu_attach_unlock(tags);
	free(v);
	return 0;
}

uint32_t smmu_vsmmu_vmid(const struct smmu_vsmmu *v)
{
	return v ? v->vmid : 0;
}
