/*
 * The driver's per-SMMU state, shared by the driver's modules.
 *
 * Concepts: struct smmu_dev is one probed SMMU.  probe.c fills `feat` from
 * the ID registers; every other module reads it and owns one part of the
 * device (command queue, event/PRI queues, stream table, VMID map), each
 * behind its own header and reached through the pointers below, so no
 * module depends on another's layout.  All hardware access goes through
 * `plat` (<smmu/platform.h>); the user's callbacks live in `opts`.
 */
#ifndef SMMU_LIB_DEV_H
#define SMMU_LIB_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/driver.h>
#include <smmu/platform.h>

#include "poll.h"

struct smmu_cmdq;
struct smmu_queue_rx;   /* event or PRI queue */
struct smmu_strtab;
struct smmu_idmap;
struct smmu_tag_ctx;    /* the ASID map shared by the SMMUs of one harness */
struct smmu_sid_owners; /* which master owns each stream ID (master.c) */

struct smmu_dev {
	struct smmu_platform plat;
	struct smmu_dev_options opts;
	struct smmu_features feat;
	struct smmu_cmdq *cmdq;
	struct smmu_queue_rx *evtq;
	struct smmu_queue_rx *priq;
	struct smmu_strtab *strtab;
	struct smmu_idmap *vmid_map;
	struct smmu_tag_ctx *tags;
	struct smmu_sid_owners *masters;
	struct smmu_worker gerror; /* one GERROR handler at a time */
};

static inline uint32_t smmu_read32(const struct smmu_dev *dev, uint64_t off)
{
	return dev->plat.read32(dev->plat.opaque, off);
}

static inline void smmu_write32(const struct smmu_dev *dev, uint64_t off,
				uint32_t val)
{
	dev->plat.write32(dev->plat.opaque, off, val);
}

static inline void smmu_write64(const struct smmu_dev *dev, uint64_t off,
				uint64_t val)
{
	dev->plat.write64(dev->plat.opaque, off, val);
}

/* Report a recovered (or unrecoverable) problem to the user's callback. */
void smmu_dev_report(const struct smmu_dev *dev, const struct smmu_dev_error *err);
/* Handle active GERROR bits (acknowledging them); safe from any thread. */
void smmu_dev_handle_gerror(struct smmu_dev *dev);

#endif /* SMMU_LIB_DEV_H */
