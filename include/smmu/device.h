/*
 * Simulated devices: DMA through the model.
 *
 * Concepts: a device reaches memory the way a PCIe function does - every
 * access is translated by the SMMU first.  smmu_device_dma() moves a
 * buffer between host memory and simulated physical memory, translating
 * each 4 KiB page of the IOVA range with smmu_model_translate() (so each
 * page is one transaction the model may cache, fault or stall) and stops
 * at the first page that does not translate.  Examples and most tests use
 * it rather than raw translate calls.
 */
#ifndef SMMU_DEVICE_H
#define SMMU_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmu/export.h>
#include <smmu/model.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The simulated memory the model was created with. */
SMMU_EXPORT struct smmu_mem *smmu_model_mem(struct smmu_model *m);

/*
 * txn gives the stream, substream, IOVA of the first byte and the access
 * (txn->write: buf is written to memory, else memory is read into buf).
 * Returns 0; -EFAULT when a page faults (*fault, if given, holds that
 * transaction's result, and *done the bytes moved before it); -EIO when
 * memory cannot be accessed at the output address; -EINVAL for bad
 * arguments.
 */
SMMU_EXPORT int smmu_device_dma(struct smmu_model *m, const struct smmu_txn *txn,
				void *buf, size_t len, size_t *done,
				struct smmu_txn_result *fault);

/*
 * A PCIe function with ATS: its Address Translation Cache.  It fills from
 * ATS Translation Requests, sends its DMA as Translated transactions and
 * forgets entries only on ATS Invalidate Requests, which the model's
 * cfg.atc_invalidate callback must pass to smmu_device_atc_invalidate
 * (requests for other StreamIDs are ignored, so one callback may offer
 * each request to every device).  With check_coherency each hit is
 * compared with a fresh Translation Request and counted as stale when
 * they differ: a translation changed without its ATC_INV.
 */
struct smmu_device_atc;

struct smmu_device_atc_config {
	uint32_t sid;
	size_t entries;         /* 1 to 4096 */
	bool check_coherency;
};

struct smmu_device_atc_stats {
	uint64_t hits;
	uint64_t misses;        /* Translation Requests that filled an entry */
	uint64_t invalidated;   /* entries removed by ATS Invalidate Requests */
	uint64_t stale;         /* hits a fresh translation disagreed with */
};

/* 0, -EINVAL or -ENOMEM. */
SMMU_EXPORT int smmu_device_atc_new(struct smmu_model *m,
				    const struct smmu_device_atc_config *cfg,
				    struct smmu_device_atc **out);
SMMU_EXPORT void smmu_device_atc_free(struct smmu_device_atc *atc);
SMMU_EXPORT void smmu_device_atc_invalidate(struct smmu_device_atc *atc,
					    const struct smmu_model_atc_inv *inv);
/*
 * smmu_device_dma through the ATC (txn->sid is the ATC's).  A page the
 * completion grants no permission for is -EFAULT with status ABORT.
 */
SMMU_EXPORT int smmu_device_atc_dma(struct smmu_device_atc *atc,
				    const struct smmu_txn *txn, void *buf, size_t len,
				    size_t *done, struct smmu_txn_result *fault);
SMMU_EXPORT int smmu_device_atc_get_stats(const struct smmu_device_atc *atc,
					  struct smmu_device_atc_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* SMMU_DEVICE_H */
