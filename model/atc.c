/*
 * A simulated PCIe function's Address Translation Cache (ATS).
 *
 * Concepts: an ATS-capable device does not send its DMA untranslated.  It
 * looks its ATC up first; on a miss it sends an ATS Translation Request
 * (smmu_model_translate with ats_request) and caches the completion - the
 * physical base of the translated region, its size and the permissions
 * granted - then issues the access as a Translated transaction, which the
 * SMMU checks only as CR0.ATSCHK asks.  Only ATC_INV commands, forwarded
 * by the model as ATS Invalidate Requests (smmu_device_atc_invalidate),
 * remove entries.  With check_coherency, every access served from the ATC
 * is compared with a fresh Translation Request: a mismatch means software
 * changed a translation without invalidating the ATC, and is counted as
 * stale - the ATC's own coherency oracle.  Negative completions (no
 * permission) are not cached.  Entries are few (a device's
 * ATC is small), looked up linearly and replaced round-robin.  Not
 * thread-safe: one device issues its DMA from one thread.
 */
#include <errno.h>
#include <stdlib.h>

#include <smmu/device.h>

#include "device_internal.h"

#define ATC_MAX_ENTRIES 4096u

struct atc_entry {
	bool valid;
	bool ssv;
	uint32_t ssid;
	uint64_t base;          /* translated region's input base */
	uint64_t pa;            /* its physical base */
	unsigned size_log2;
	unsigned perms;         /* enum smmu_model_perm mask */
};

struct smmu_device_atc {
	struct smmu_model *m;
	uint32_t sid;
	bool check_coherency;
	size_t capacity;
	size_t next_victim;
	struct smmu_device_atc_stats stats;
	struct atc_entry entries[];
};

int smmu_device_atc_new(struct smmu_model *m, const struct smmu_device_atc_config *cfg,
			struct smmu_device_atc **out)
{
	struct smmu_device_atc *atc;

	if (!m || !cfg || !out || !cfg->entries || cfg->entries > ATC_MAX_ENTRIES)
		return -EINVAL;
	atc = calloc(1, sizeof(*atc) + cfg->entries * sizeof(atc->entries[0]));
	if (!atc)
		return -ENOMEM;
	atc->m = m;
	atc->sid = cfg->sid;
	atc->check_coherency = cfg->check_coherency;
	atc->capacity = cfg->entries;
	*out = atc;
	return 0;
}

void smmu_device_atc_free(struct smmu_device_atc *atc)
{
	free(atc);
}

static uint64_t region_mask(unsigned size_log2)
{
	return size_log2 >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << size_log2) - 1;
}

static bool entry_covers(const struct atc_entry *e, const struct smmu_txn *txn)
{
	return e->valid && e->ssv == txn->ssv && (!txn->ssv || e->ssid == txn->ssid) &&
	       (txn->iova & ~region_mask(e->size_log2)) == e->base;
}

/* Does an ATS Invalidate Request with this scope remove e? */
static bool entry_in_scope(const struct atc_entry *e, const struct smmu_model_atc_inv *inv)
{
	uint64_t lo = inv->addr, hi = inv->addr | region_mask(inv->span_log2);

	/* Without a PASID the request reaches every PASID's entries too. */
	if (inv->ssv && (!e->ssv || e->ssid != inv->ssid))
		return false;
	return e->base <= hi && (e->base | region_mask(e->size_log2)) >= lo;
}

void smmu_device_atc_invalidate(struct smmu_device_atc *atc,
				const struct smmu_model_atc_inv *inv)
{
	if (!atc || !inv || inv->sid != atc->sid)
		return;
	for (size_t i = 0; i < atc->capacity; i++) {
		struct atc_entry *e = &atc->entries[i];

		if (e->valid && entry_in_scope(e, inv)) {
			e->valid = false;
			atc->stats.invalidated++;
		}
	}
}

static unsigned needed_perm(const struct smmu_txn *txn)
{
	unsigned bit = txn->exec ? SMMU_MODEL_PERM_X_PRIV :
		       txn->write ? SMMU_MODEL_PERM_W_PRIV : SMMU_MODEL_PERM_R_PRIV;

	return txn->priv ? bit : bit << SMMU_MODEL_PERM_UNPRIV_SHIFT;
}

/* Send a Translation Request for txn's page; 0 with *e filled, or -EFAULT. */
static int ats_translate(struct smmu_device_atc *atc, const struct smmu_txn *txn,
			 struct atc_entry *e, struct smmu_txn_result *res)
{
	struct smmu_txn req = *txn;
	int ret;

	req.sid = atc->sid;
	req.ats_request = true;
	req.translated = false;
	ret = smmu_model_translate(atc->m, &req, res);
	if (ret)
		return ret;
	if (res->status != SMMU_TXN_OK)
		return -EFAULT;
	*e = (struct atc_entry){
		.valid = true, .ssv = txn->ssv, .ssid = txn->ssv ? txn->ssid : 0,
		.base = txn->iova & ~region_mask(res->ats_size_log2),
		.pa = res->pa & ~region_mask(res->ats_size_log2),
		.size_log2 = res->ats_size_log2, .perms = res->ats_perms,
	};
	return 0;
}

/* The oracle: does a fresh Translation Request still give what e says? */
static void check_entry(struct smmu_device_atc *atc, const struct smmu_txn *txn,
			const struct atc_entry *e)
{
	struct smmu_txn_result res;
	struct atc_entry fresh;

	if (ats_translate(atc, txn, &fresh, &res) || fresh.pa != e->pa ||
	    fresh.size_log2 != e->size_log2 || fresh.perms != e->perms)
		atc->stats.stale++;
}

/*
 * The translation for txn into *out: an ATC hit, or a Translation Request
 * whose completion is cached unless it granted nothing (a negative answer
 * is not kept, so a page mapped later is seen without an invalidation).
 */
static int atc_lookup(struct smmu_device_atc *atc, const struct smmu_txn *txn,
		      struct atc_entry *out, struct smmu_txn_result *res)
{
	int ret;

	for (size_t i = 0; i < atc->capacity; i++) {
		if (entry_covers(&atc->entries[i], txn)) {
			atc->stats.hits++;
			if (atc->check_coherency)
				check_entry(atc, txn, &atc->entries[i]);
			*out = atc->entries[i];
			return 0;
		}
	}
	atc->stats.misses++;
	ret = ats_translate(atc, txn, out, res);
	if (ret || !out->perms)
		return ret;
	atc->entries[atc->next_victim] = *out;
	atc->next_victim = (atc->next_victim + 1) % atc->capacity;
	return 0;
}

/* One piece: from the ATC (or a Translation Request), then Translated. */
static int atc_piece(void *ctx, const struct smmu_txn *txn, uint8_t *buf, size_t len,
		     struct smmu_txn_result *res)
{
	struct smmu_device_atc *atc = ctx;
	struct smmu_txn translated = *txn;
	struct atc_entry e;
	int ret = atc_lookup(atc, txn, &e, res);

	if (ret)
		return ret;
	if (!(e.perms & needed_perm(txn))) {
		res->status = SMMU_TXN_ABORT;
		return -EFAULT;
	}
	translated.sid = atc->sid;
	translated.translated = true;
	translated.iova = e.pa | (txn->iova & region_mask(e.size_log2));
	ret = smmu_model_translate(atc->m, &translated, res);
	if (ret)
		return ret;
	if (res->status != SMMU_TXN_OK)
		return -EFAULT;
	return smmu_device_access(atc->m, txn->write, res->pa, buf, len);
}

int smmu_device_atc_dma(struct smmu_device_atc *atc, const struct smmu_txn *txn,
			void *buf, size_t len, size_t *done, struct smmu_txn_result *fault)
{
	if (!atc || !txn || (!buf && len))
		return -EINVAL;
	return smmu_device_pieces(txn, buf, len, done, fault, atc_piece, atc);
}

int smmu_device_atc_get_stats(const struct smmu_device_atc *atc,
			      struct smmu_device_atc_stats *out)
{
	if (!atc || !out)
		return -EINVAL;
	*out = atc->stats;
	return 0;
}
