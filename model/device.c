/*
 * Simulated-device DMA: one translated transaction per page.
 *
 * Concepts: the device splits its buffer at 4 KiB boundaries of the IOVA
 * (the smallest translation granule, so no transaction can straddle two
 * translations), asks the model to translate each piece with the same
 * stream, substream and access, and moves the bytes at the output address.
 * It stops at the first piece that faults and reports it.  The page loop
 * and the final access also serve the device ATC (atc.c).
 */
#include <errno.h>
#include <stdbool.h>

#include <smmu/device.h>

#include "device_internal.h"
#include "model_internal.h"

#define DMA_CHUNK_SHIFT 12u
#define DMA_CHUNK_SIZE (UINT64_C(1) << DMA_CHUNK_SHIFT)

struct smmu_mem *smmu_model_mem(struct smmu_model *m)
{
	return m ? m->mem : NULL;
}

int smmu_device_access(struct smmu_model *m, bool write, uint64_t pa, void *buf,
		       size_t len)
{
	int ret = write ? smmu_mem_write(m->mem, pa, buf, len)
			: smmu_mem_read(m->mem, pa, buf, len);

	return ret ? -EIO : 0;
}

int smmu_device_pieces(const struct smmu_txn *txn, void *buf, size_t len,
		       size_t *done, struct smmu_txn_result *fault,
		       smmu_device_piece_fn fn, void *ctx)
{
	struct smmu_txn piece = *txn;
	struct smmu_txn_result res = { 0 };
	size_t moved = 0;
	int ret = 0;

	while (moved < len) {
		size_t chunk = DMA_CHUNK_SIZE - (piece.iova & (DMA_CHUNK_SIZE - 1));

		if (chunk > len - moved)
			chunk = len - moved;
		ret = fn(ctx, &piece, (uint8_t *)buf + moved, chunk, &res);
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

static int dma_piece(void *ctx, const struct smmu_txn *txn, uint8_t *buf, size_t len,
		     struct smmu_txn_result *res)
{
	struct smmu_model *m = ctx;
	int ret = smmu_model_translate(m, txn, res);

	if (ret)
		return ret;
	if (res->status != SMMU_TXN_OK)
		return -EFAULT;
	return smmu_device_access(m, txn->write, res->pa, buf, len);
}

int smmu_device_dma(struct smmu_model *m, const struct smmu_txn *txn, void *buf,
		    size_t len, size_t *done, struct smmu_txn_result *fault)
{
	if (!m || !txn || (!buf && len))
		return -EINVAL;
	return smmu_device_pieces(txn, buf, len, done, fault, dma_piece, m);
}
