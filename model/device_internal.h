/*
 * What the two simulated-device paths share (device.c, atc.c).
 *
 * Concepts: a device's DMA is cut at 4 KiB boundaries of the IOVA, the
 * smallest granule, so no piece straddles two translations; each piece is
 * translated its own way (plain, or through the device's ATC) and then the
 * bytes move at the output address.
 */
#ifndef SMMU_MODEL_DEVICE_INTERNAL_H
#define SMMU_MODEL_DEVICE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <smmu/model.h>

/* Translate and move one piece; 0, -EFAULT (with *res) or -EIO. */
typedef int (*smmu_device_piece_fn)(void *ctx, const struct smmu_txn *txn,
				    uint8_t *buf, size_t len,
				    struct smmu_txn_result *res);

/* Run fn over the pieces of [txn->iova, +len); the smmu_device_dma contract. */
int smmu_device_pieces(const struct smmu_txn *txn, void *buf, size_t len,
		       size_t *done, struct smmu_txn_result *fault,
		       smmu_device_piece_fn fn, void *ctx);

/* Move len bytes at pa, the direction given by write: 0 or -EIO. */
int smmu_device_access(struct smmu_model *m, bool write, uint64_t pa, void *buf,
		       size_t len);

#endif /* SMMU_MODEL_DEVICE_INTERNAL_H */
