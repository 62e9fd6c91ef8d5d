/*
 * Simulated-device DMA: one translated transaction per page.
 *
 * Concepts: the device splits its buffer at 4 KiB boundaries of the IOVA
 * (the smallest translation granule, so no transaction can straddle two
 * translations), asks the model to translate each piece with the same
 * stream, substream and access, and moves the bytes at the output address.
 * It stops at the first piece that faults and reports it.
 */
#include <errno.h>
#include <stdbool.h>

#include <smmu/device.h>

#include "model_internal.h"

#define DMA_CHUNK_SHIFT 12u
#define DMA_CHUNK_SIZE (UINT64_C(1) << DMA_CHUNK_SHIFT)

struct smmu_mem *smmu_model_mem(struct smmu_model *m)
{
	return m ? m->mem : NULL;
}

static int dma_chunk(struct smmu_model *m, const struct smmu_txn *txn,
		     uint8_t *buf, size_t len, struct smmu_txn_result *res)
{
	int ret = smmu_model_translate(m, txn, res);

	if (ret)
		return ret;
	if (res->status != SMMU_TXN_OK)
		return -EFAULT;
	ret = txn->write ? smmu_mem_write(smmu_model_mem(m), res->pa, buf, len)
			 : smmu_mem_read(smmu_model_mem(m), res->pa, buf, len);
	return ret ? -EIO : 0;
}

int smmu_device_dma(struct smmu_model *m, const struct smmu_txn *txn, void *buf,
		    size_t len, size_t *done, struct smmu_txn_result *fault)
{
	struct smmu_txn piece;
	struct smmu_txn_result res;
	size_t moved = 0;
	int ret = 0;

	if (!m || !txn || (!buf && len))
		return -EINVAL;
	piece = *txn;
	while (moved < len) {
		size_t chunk = DMA_CHUNK_SIZE - (piece.iova & (DMA_CHUNK_SIZE - 1));

		if (chunk > len - moved)
			chunk = len - moved;
		ret = dma_chunk(m, &piece, (uint8_t *)buf + moved, chunk, &res);
		if (ret)
			break;
		moved += chunk;
		piece.iova += chunk;
	}
	if (done)
		*done = moved;
	if (ret == -EFAULT && fault)
		*fault = res;
	return ret;
}
