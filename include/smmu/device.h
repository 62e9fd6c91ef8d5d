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

#ifdef __cplusplus
}
#endif

#endif /* SMMU_DEVICE_H */
