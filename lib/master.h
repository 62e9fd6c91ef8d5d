/*
 * Masters and the attach/detach state machine (internal view; the API is
 * <smmu/domain.h>).
 *
 * Concepts: a master is a device with sorted stream IDs on one SMMU, each
 * SID owned by exactly one master (the per-SMMU owner tree refuses a
 * second claim).  It owns a scratch invalidation array sized at add, so a
 * detach never allocates, and, from its first stage-1 or PASID
 * attachment on, a CD table.  Its SSID-0 domain (NULL: blocked, the state
 * it starts in) and its PASID attachments decide its STE.  Every change
 * runs under the tag context's attach lock in the kernel's order: prepare
 * (everything that can fail), publish the new domain's array, write CD
 * and STE hitlessly, commit (unref the old domain's entries, flush and
 * free a tag that lost its last user, purge).
 */
#ifndef SMMU_LIB_MASTER_H
#define SMMU_LIB_MASTER_H

#include <smmu/domain.h>

#include "dev.h"

/* Probe/remove: the tag context, VMID map and SID owner tree of dev. */
int smmu_attach_dev_init(struct smmu_dev *dev);
void smmu_attach_dev_fini(struct smmu_dev *dev);

#endif /* SMMU_LIB_MASTER_H */
