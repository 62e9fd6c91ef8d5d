/*
 * The command queue: the kernel's lock-free multi-producer insertion.
 *
 * Concepts: `llq` is the shadow {prod, cons} pair in one 64-bit word, prod
 * in the low half.  A producer reserves slots [prod, prod + n + sync) with
 * one compare-and-swap that also checks free space against the shadow
 * cons, and sets OWNED (bit 31 of prod).  Whoever finds OWNED clear in the
 * prod it replaced is the owner: it will publish to the SMMU everything
 * gathered behind it.  Each producer writes its commands, then toggles
 * their bits in `valid_map` (a bit means "written" when it differs from the
 * lap's wrap bit, so the map is never cleared).  The owner waits until the
 * previous owner has published (`owner_prod`), then writes CMDQ_PROD for
 * the written prefix of what is gathered, with OWNED still set so that
 * producers arriving meanwhile join its gather; after a bounded number of
 * such rounds (or when none arrived) it clears OWNED (closing the gather:
 * later producers start a new owner), waits for every gathered slot to be
 * valid, writes CMDQ_PROD for the rest and hands over `owner_prod`.  (The
 * kernel closes before its one PROD write; an inline SMMU runs commands
 * inside that write, and staying open keeps them on one core.)
 * A producer whose batch ends in CMD_SYNC holds `lock` shared until the
 * SYNC has completed, so the shadow cons cannot be advanced by a space
 * refresh (which takes `lock` exclusive) past a SYNC slot still being
 * watched; the last sharer records the cons it observed.  A batch's slots
 * are contiguous and reserved at once, so batches never interleave.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cmdq.h"
#include "dev.h"
#include "log.h"
#include "poll.h"

#define CMDQ_LLQ_CONS_SHIFT 32u
#define CMDQ_MAP_BITS 64u
#define CMDQ_MIN_LOG2 7u /* a full batch plus its CMD_SYNC must fit */
#define CMDQ_SPINS_BEFORE_YIELD 64u
/* Waiters look at GERROR this often: it costs MMIO reads the SMMU serves. */
#define CMDQ_GERROR_CHECK_EVERY 16u
#define CACHELINE 64u
/* Rounds an owner may spend publishing batches reserved during its own. */
#define CMDQ_OWNER_EXTRA_ROUNDS 2u

enum cmdq_sync_mode {
	CMDQ_SYNC_POLL_CONS,
	CMDQ_SYNC_SEV,
	CMDQ_SYNC_MSI,
};

struct smmu_cmdq {
	struct smmu_queue q;
	enum cmdq_sync_mode sync_mode;
	_Atomic uint64_t *valid_map;
	/*
	 * Each hot word on its own line: the next owner spins on owner_prod
	 * while every SYNC batch takes and drops `lock`, and a line that
	 * moves between cores costs more than a batch's own work here.
	 */
	alignas(CACHELINE) _Atomic uint64_t llq;
	alignas(CACHELINE) _Atomic uint32_t owner_prod;
	/* 0 free, >0 sharers, INT_MIN + n: exclusive with n sharers queued. */
	alignas(CACHELINE) _Atomic int lock;
};

static uint32_t llq_prod(uint64_t llq)
{
	return (uint32_t)llq;
}

static uint32_t llq_cons(uint64_t llq)
{
	return (uint32_t)(llq >> CMDQ_LLQ_CONS_SHIFT);
}

static uint64_t llq_make(uint32_t prod, uint32_t cons)
{
	return (uint64_t)cons << CMDQ_LLQ_CONS_SHIFT | prod;
}

/* Busy-wait step: spin briefly, then let a descheduled producer run. */
static void cmdq_relax(unsigned *spins)
{
	if (++*spins < CMDQ_SPINS_BEFORE_YIELD)
		return;
	*spins = 0;
	sched_yield();
}

/* ---- Generic queue memory --------------------------------------------- */

int smmu_queue_alloc(struct smmu_dev *dev, struct smmu_queue *q, unsigned log2,
		     unsigned min_log2, unsigned ent_dwords, const char *name)
{
	for (; log2 >= min_log2; log2--) {
		size_t bytes = ((size_t)ent_dwords * 8u) << log2;
		size_t align = bytes < SMMU_Q_BASE_MIN_ALIGN ? SMMU_Q_BASE_MIN_ALIGN
							     : bytes;
		void *cpu;

		if (dev->plat.dma_alloc(dev->plat.opaque, bytes, align, &cpu,
					&q->bus))
			continue;
		q->cpu = cpu;
		q->log2 = log2;
		q->ent_dwords = ent_dwords;
		return 0;
	}
	smmu_err(dev, "%s: cannot allocate a queue of at least 2^%u entries",
		 name, min_log2);
	return -ENOMEM;
}

void smmu_queue_free(struct smmu_dev *dev, struct smmu_queue *q)
{
	if (!q->cpu)
		return;
	dev->plat.dma_free(dev->plat.opaque, q->cpu, q->bus,
			   ((size_t)q->ent_dwords * 8u) << q->log2);
	q->cpu = NULL;
}

uint64_t smmu_queue_base_reg(const struct smmu_queue *q)
{
	return SMMU_Q_BASE_RA | (q->bus & SMMU_Q_BASE_ADDR) |
	       SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, q->log2);
}

uint64_t *smmu_queue_entry(const struct smmu_queue *q, uint32_t idx)
{
	return q->cpu + (size_t)smmu_q_idx(q->log2, idx) * q->ent_dwords;
}

/* ---- Shared/exclusive lock guarding the shadow cons ------------------- */

static void cmdq_shared_lock(struct smmu_cmdq *c)
{
	unsigned spins = 0;

	/* With the fairness fix a sharer queues by incrementing even while
	 * an exclusive holder is in, and proceeds when the sign bit clears. */
	if (atomic_fetch_add_explicit(&c->lock, 1, memory_order_acquire) >= 0)
		return;
	while (atomic_load_explicit(&c->lock, memory_order_acquire) <= 0)
		cmdq_relax(&spins);
}

static void cmdq_shared_unlock(struct smmu_cmdq *c)
{
	atomic_fetch_sub_explicit(&c->lock, 1, memory_order_release);
}

/* Drop a shared hold unless it is the last one (then the caller keeps it). */
static bool cmdq_shared_tryunlock(struct smmu_cmdq *c)
{
	int v = atomic_load_explicit(&c->lock, memory_order_relaxed);

	do {
		if (v == 1)
			return false;
	} while (!atomic_compare_exchange_weak_explicit(&c->lock, &v, v - 1,
							memory_order_release,
							memory_order_relaxed));
	return true;
}

static bool cmdq_exclusive_trylock(struct smmu_cmdq *c)
{
	int expected = 0;

	return atomic_compare_exchange_strong_explicit(&c->lock, &expected, INT_MIN,
						       memory_order_acquire,
						       memory_order_relaxed);
}

static void cmdq_exclusive_unlock(struct smmu_cmdq *c)
{
	/* Clear only the sign bit: sharers that queued meanwhile stay counted. */
	atomic_fetch_and_explicit(&c->lock, INT_MAX, memory_order_release);
}

/* ---- Shadow pointers --------------------------------------------------- */

static void cmdq_set_shadow_cons(struct smmu_cmdq *c, uint32_t cons)
{
	uint64_t old = atomic_load_explicit(&c->llq, memory_order_relaxed);

	while (!atomic_compare_exchange_weak_explicit(
		&c->llq, &old, llq_make(llq_prod(old), cons),
		memory_order_relaxed, memory_order_relaxed))
		;
}

static uint32_t cmdq_hw_cons(const struct smmu_dev *dev)
{
	return smmu_q_pos(dev->cmdq->q.log2, smmu_read32(dev, SMMU_CMDQ_CONS));
}

/* Refresh the shadow cons until n slots are free; 0 or -ETIMEDOUT. */
static int cmdq_wait_for_space(struct smmu_dev *dev, uint64_t *llq, uint32_t n)
{
	struct smmu_cmdq *c = dev->cmdq;
	struct smmu_poll poll;
	unsigned tries = 0;

	smmu_poll_init(&poll, dev, false);
	for (;;) {
		if (cmdq_exclusive_trylock(c)) {
			cmdq_set_shadow_cons(c, cmdq_hw_cons(dev));
			cmdq_exclusive_unlock(c);
		}
		*llq = atomic_load_explicit(&c->llq, memory_order_relaxed);
		if (smmu_q_space(c->q.log2, llq_prod(*llq), llq_cons(*llq)) >= n)
			return 0;
		/* A queue stopped on an error makes no room until handled. */
		if (++tries % CMDQ_GERROR_CHECK_EVERY == 0)
			smmu_dev_handle_gerror(dev);
		if (smmu_poll_wait(&poll)) {
			smmu_err(dev, "CMDQ timeout: no room for %u commands (prod 0x%x cons 0x%x)",
				 n, llq_prod(*llq), llq_cons(*llq));
			return -ETIMEDOUT;
		}
	}
}

/* Reserve n slots; returns the old prod (with its OWNED flag) or -errno. */
static int64_t cmdq_reserve(struct smmu_dev *dev, uint32_t n)
{
	struct smmu_cmdq *c = dev->cmdq;
	uint64_t old = atomic_load_explicit(&c->llq, memory_order_relaxed);
	uint64_t head;
	int ret;

	do {
		while (smmu_q_space(c->q.log2, llq_prod(old), llq_cons(old)) < n) {
			ret = cmdq_wait_for_space(dev, &old, n);
			if (ret)
				return ret;
		}
		head = llq_make(smmu_q_inc(c->q.log2, llq_prod(old), n) | SMMU_Q_FLAG,
				llq_cons(old));
	} while (!atomic_compare_exchange_weak_explicit(&c->llq, &old, head,
							memory_order_relaxed,
							memory_order_relaxed));
	return llq_prod(old);
}

/* ---- Valid bitmap ------------------------------------------------------ */

/*
 * The valid-map word holding slot sprod, and the bits in it of the slots
 * from sprod up to eprod (or the word's end); returns how many slots.
 */
static uint32_t cmdq_map_span(struct smmu_cmdq *c, uint32_t sprod, uint32_t eprod,
			      _Atomic uint64_t **word, uint64_t *mask)
{
	unsigned log2 = c->q.log2;
	uint32_t idx = smmu_q_idx(log2, sprod);
	uint32_t limit = smmu_q_wrp(log2, sprod) == smmu_q_wrp(log2, eprod)
				 ? smmu_q_idx(log2, eprod) : UINT32_C(1) << log2;
	unsigned bit = idx % CMDQ_MAP_BITS;
	uint32_t span = limit - idx < CMDQ_MAP_BITS - bit ? limit - idx : CMDQ_MAP_BITS - bit;

	*word = &c->valid_map[idx / CMDQ_MAP_BITS];
	*mask = SMMU_GENMASK(bit + span - 1, bit);
	return span;
}

/* A slot's bit reads valid when it differs from its lap's wrap bit. */
static uint64_t cmdq_map_valid_bits(const struct smmu_cmdq *c, uint32_t sprod, uint64_t mask)
{
	return smmu_q_wrp(c->q.log2, sprod) ? 0 : mask;
}

/* Toggle the bits of slots [sprod, eprod): they are written. */
static void cmdq_map_publish(struct smmu_cmdq *c, uint32_t sprod, uint32_t eprod)
{
	while (!smmu_q_empty(c->q.log2, sprod, eprod)) {
		_Atomic uint64_t *word;
		uint64_t mask;
		uint32_t span = cmdq_map_span(c, sprod, eprod, &word, &mask);

		atomic_fetch_xor_explicit(word, mask, memory_order_release);
		sprod = smmu_q_inc(c->q.log2, sprod, span);
	}
}

/*
 * The end of the run of valid slots from sprod, looking no further than
 * eprod; with wait, it first waits until the whole of [sprod, eprod) is
 * valid.  The acquire loads order the writers' commands before what the
 * caller does next.
 */
static uint32_t cmdq_map_valid_until(struct smmu_cmdq *c, uint32_t sprod,
				     uint32_t eprod, bool wait)
{
	while (!smmu_q_empty(c->q.log2, sprod, eprod)) {
		_Atomic uint64_t *word;
		uint64_t mask, valid, invalid;
		uint32_t span = cmdq_map_span(c, sprod, eprod, &word, &mask);
		unsigned spins = 0;

		valid = cmdq_map_valid_bits(c, sprod, mask);
		while ((invalid = (atomic_load_explicit(word, memory_order_acquire) ^ valid) & mask) &&
		       wait)
			cmdq_relax(&spins);
		if (invalid)
			return smmu_q_inc(c->q.log2, sprod,
					  (uint32_t)(__builtin_ctzll(invalid) -
						     __builtin_ctzll(mask)));
		sprod = smmu_q_inc(c->q.log2, sprod, span);
	}
	return eprod;
}

/* ---- Insertion --------------------------------------------------------- */

static void cmdq_write_slot(struct smmu_cmdq *c, uint32_t prod,
			    const struct smmu_cmd *cmd)
{
	_Atomic uint64_t *slot = (_Atomic uint64_t *)smmu_queue_entry(&c->q, prod);

	for (unsigned i = 0; i < SMMU_CMD_DWORDS; i++)
		atomic_store_explicit(&slot[i], htole64(cmd->dw[i]),
				      memory_order_relaxed);
}

static void cmdq_build_sync(const struct smmu_cmdq *c, uint32_t prod,
			    struct smmu_cmd *sync)
{
	uint64_t slot_bus = c->q.bus + (uint64_t)smmu_q_idx(c->q.log2, prod) *
					       SMMU_CMD_SIZE;

	switch (c->sync_mode) {
	case CMDQ_SYNC_MSI:
		/* The SMMU zeroes the SYNC's first word: that is our signal. */
		smmu_cmd_sync(sync, SMMU_SYNC_CS_IRQ, slot_bus, 0);
		break;
	default:
		smmu_cmd_sync(sync, SMMU_SYNC_CS_SEV, 0, 0);
		break;
	}
}

/*
 * Take in what was reserved behind *end: with force, or when nothing was,
 * clear OWNED (closing the gather: the next producer owns what follows)
 * and return true; otherwise keep OWNED and return false.  *end becomes
 * the prod seen.
 */
static bool cmdq_close_or_extend(struct smmu_cmdq *c, uint32_t *end, bool force)
{
	uint64_t old = atomic_load_explicit(&c->llq, memory_order_relaxed);
	uint32_t prod;

	do {
		prod = llq_prod(old) & ~SMMU_Q_FLAG;
		if (prod != *end && !force) {
			*end = prod;
			return false;
		}
	} while (!atomic_compare_exchange_weak_explicit(&c->llq, &old,
							llq_make(prod, llq_cons(old)),
							memory_order_relaxed,
							memory_order_relaxed));
	*end = prod;
	return true;
}

/*
 * The owner publishes everything gathered from start.  Unlike the kernel,
 * it keeps OWNED set while it writes PROD, and then publishes what
 * producers reserved meanwhile, closing the gather only when nothing more
 * came or after CMDQ_OWNER_EXTRA_ROUNDS rounds (so its own caller waits
 * for a bounded number of other batches): with an inline SMMU the PROD
 * write runs the commands, and running the next batch on the core that
 * ran this one keeps the SMMU's state there instead of handing it, with
 * the owner role, to another core per batch.  While the gather is open it
 * publishes only the written prefix, so the SMMU runs what is ready while
 * a late writer finishes; once closed it waits for every gathered slot.
 */
static void cmdq_publish_as_owner(struct smmu_dev *dev, uint32_t start)
{
	struct smmu_cmdq *c = dev->cmdq;
	uint32_t seen = start, published = start, upto;
	unsigned spins = 0;
	bool closed = false;

	while (atomic_load_explicit(&c->owner_prod, memory_order_acquire) != start)
		cmdq_relax(&spins);
	for (unsigned round = 0;; round++) {
		if (!closed)
			closed = cmdq_close_or_extend(c, &seen, round >= CMDQ_OWNER_EXTRA_ROUNDS);
		if (published == seen)
			break;
		/*
		 * The valid map's acquire loads order the gathered producers'
		 * writes (commands, and the tables they refer to) before this
		 * PROD write, which the SMMU side observes with acquire.
		 */
		upto = cmdq_map_valid_until(c, published, seen, closed);
		if (upto == published)
			upto = cmdq_map_valid_until(c, published, seen, true);
		smmu_write32(dev, SMMU_CMDQ_PROD, upto);
		published = upto;
	}
	atomic_store_explicit(&c->owner_prod, published, memory_order_release);
}

static bool cmdq_sync_done(struct smmu_dev *dev, uint32_t sync_prod,
			   uint32_t *cons)
{
	struct smmu_cmdq *c = dev->cmdq;

	if (c->sync_mode == CMDQ_SYNC_MSI) {
		_Atomic uint64_t *slot =
			(_Atomic uint64_t *)smmu_queue_entry(&c->q, sync_prod);

		*cons = smmu_q_inc(c->q.log2, sync_prod, 1);
		return (uint32_t)le64toh(atomic_load_explicit(slot, memory_order_acquire)) == 0;
	}
	*cons = cmdq_hw_cons(dev);
	return smmu_q_consumed(c->q.log2, *cons, sync_prod);
}

/*
 * Wait for our CMD_SYNC.  It may already be complete (an inline SMMU runs
 * commands inside the PROD write), so look before waiting.  Nobody may be
 * wired to the GERROR interrupt, so a waiter handles errors itself.
 */
static int cmdq_wait_sync(struct smmu_dev *dev, uint32_t sync_prod,
			  uint32_t *cons)
{
	struct smmu_poll poll;
	unsigned tries = 0;

	smmu_poll_init(&poll, dev, dev->cmdq->sync_mode == CMDQ_SYNC_SEV);
	while (!cmdq_sync_done(dev, sync_prod, cons)) {
		if (++tries % CMDQ_GERROR_CHECK_EVERY == 0)
			smmu_dev_handle_gerror(dev);
		if (smmu_poll_wait(&poll)) {
			struct smmu_dev_error err = { .kind = SMMU_DEV_ERR_SYNC_TIMEOUT,
						      .value = sync_prod };

			smmu_err(dev, "CMD_SYNC timeout at 0x%x (hw prod 0x%x cons 0x%x)",
				 sync_prod, smmu_read32(dev, SMMU_CMDQ_PROD),
				 smmu_read32(dev, SMMU_CMDQ_CONS));
			smmu_dev_report(dev, &err);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

static int cmdq_issue_cmdlist(struct smmu_dev *dev, const struct smmu_cmd *cmds,
			      uint32_t n, bool sync)
{
	struct smmu_cmdq *c = dev->cmdq;
	uint32_t start, sync_prod = 0, cons = 0;
	struct smmu_cmd sync_cmd;
	int64_t old;
	int ret = 0;

	old = cmdq_reserve(dev, n + sync);
	if (old < 0)
		return (int)old;
	start = (uint32_t)old & ~SMMU_Q_FLAG;
	for (uint32_t i = 0; i < n; i++)
		cmdq_write_slot(c, smmu_q_inc(c->q.log2, start, i), &cmds[i]);
	if (sync) {
		sync_prod = smmu_q_inc(c->q.log2, start, n);
		cmdq_build_sync(c, sync_prod, &sync_cmd);
		cmdq_write_slot(c, sync_prod, &sync_cmd);
		cmdq_shared_lock(c);
	}
	cmdq_map_publish(c, start, smmu_q_inc(c->q.log2, start, n + sync));
	if (!((uint32_t)old & SMMU_Q_FLAG))
		cmdq_publish_as_owner(dev, start);
	if (!sync)
		return 0;
	ret = cmdq_wait_sync(dev, sync_prod, &cons);
	if (!cmdq_shared_tryunlock(c)) {
		if (!ret)
			cmdq_set_shadow_cons(c, cons);
		cmdq_shared_unlock(c);
	}
	return ret;
}

int smmu_cmdq_issue(struct smmu_dev *dev, const struct smmu_cmd *cmds,
		    unsigned n, bool sync)
{
	int ret;

	if (!dev || !dev->cmdq || (n && !cmds))
		return -EINVAL;
	for (;;) {
		unsigned chunk = n < SMMU_CMDQ_BATCH_MAX ? n : SMMU_CMDQ_BATCH_MAX;
		bool last = chunk == n;

		if (!chunk && !sync)
			return 0;
		ret = cmdq_issue_cmdlist(dev, cmds, chunk, last && sync);
		if (ret || last)
			return ret;
		cmds += chunk;
		n -= chunk;
	}
}

void smmu_cmdq_batch_init(struct smmu_cmdq_batch *batch)
{
	if (batch)
		batch->num = 0;
}

int smmu_cmdq_batch_add(struct smmu_dev *dev, struct smmu_cmdq_batch *batch,
			const struct smmu_cmd *cmd)
{
	int ret;

	if (!dev || !batch || !cmd || batch->num > SMMU_CMDQ_BATCH_MAX)
		return -EINVAL;
	if (batch->num == SMMU_CMDQ_BATCH_MAX) {
		ret = smmu_cmdq_issue(dev, batch->cmds, batch->num, false);
		if (ret)
			return ret;
		batch->num = 0;
	}
	batch->cmds[batch->num++] = *cmd;
	return 0;
}

int smmu_cmdq_batch_submit(struct smmu_dev *dev, struct smmu_cmdq_batch *batch)
{
	int ret;

	if (!dev || !batch || batch->num > SMMU_CMDQ_BATCH_MAX)
		return -EINVAL;
	ret = smmu_cmdq_issue(dev, batch->cmds, batch->num, true);
	batch->num = 0;
	return ret;
}

/* ---- Errors ------------------------------------------------------------ */

static void cmdq_read_slot(const struct smmu_cmdq *c, uint32_t idx, uint64_t dw[2])
{
	_Atomic uint64_t *slot = (_Atomic uint64_t *)smmu_queue_entry(&c->q, idx);

	for (unsigned i = 0; i < SMMU_CMD_DWORDS; i++)
		dw[i] = le64toh(atomic_load_explicit(&slot[i], memory_order_relaxed));
}

void smmu_cmdq_skip_err(struct smmu_dev *dev)
{
	struct smmu_cmdq *c = dev->cmdq;
	uint32_t cons = smmu_read32(dev, SMMU_CMDQ_CONS);
	unsigned cerror = (unsigned)SMMU_FIELD_GET(SMMU_CMDQ_CONS_ERR, cons);
	struct smmu_dev_error err = { .value = cerror };
	struct smmu_cmd sync;

	switch (cerror) {
	case SMMU_CERROR_NONE:
		return;
	case SMMU_CERROR_ABT:
		/* The SMMU fetches the command again once GERROR is acked. */
		smmu_err(dev, "command fetch abort at CONS 0x%x: retrying", cons);
		err.kind = SMMU_DEV_ERR_CMD_ABORT;
		break;
	case SMMU_CERROR_ATC_INV_SYNC:
		/* CONS points at the CMD_SYNC, which the SMMU retries. */
		smmu_err(dev, "ATC invalidation timed out before CMD_SYNC at CONS 0x%x", cons);
		err.kind = SMMU_DEV_ERR_ATC_INV_SYNC;
		break;
	default:
		cmdq_read_slot(c, cons, err.cmd);
		smmu_err(dev, "illegal command 0x%016llx 0x%016llx at CONS 0x%x (CERROR %u): skipped",
			 (unsigned long long)err.cmd[0], (unsigned long long)err.cmd[1],
			 smmu_q_pos(c->q.log2, cons), cerror);
		smmu_cmd_sync(&sync, SMMU_SYNC_CS_NONE, 0, 0);
		cmdq_write_slot(c, cons, &sync);
		err.kind = SMMU_DEV_ERR_CMD_ILLEGAL;
		break;
	}
	smmu_dev_report(dev, &err);
}

/* ---- Life cycle -------------------------------------------------------- */

static enum cmdq_sync_mode cmdq_pick_sync_mode(struct smmu_dev *dev)
{
	dev->feat.msi_polling = dev->feat.msi && dev->feat.coherent &&
				!dev->opts.disable_msi_polling;
	if (dev->feat.msi_polling)
		return CMDQ_SYNC_MSI;
	return dev->feat.sev ? CMDQ_SYNC_SEV : CMDQ_SYNC_POLL_CONS;
}

int smmu_cmdq_init(struct smmu_dev *dev)
{
	unsigned log2 = dev->feat.cmdq_log2 < SMMU_CMDQ_LOG2_CAP ? dev->feat.cmdq_log2
								 : SMMU_CMDQ_LOG2_CAP;
	struct smmu_cmdq *c;
	size_t words;

	c = aligned_alloc(CACHELINE, (sizeof(*c) + CACHELINE - 1) / CACHELINE * CACHELINE);
	if (!c)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	if (smmu_queue_alloc(dev, &c->q, log2, CMDQ_MIN_LOG2, SMMU_CMD_DWORDS, "cmdq")) {
		free(c);
		return -ENOMEM;
	}
	words = ((size_t)1 << c->q.log2) / CMDQ_MAP_BITS;
	c->valid_map = calloc(words, sizeof(*c->valid_map));
	if (!c->valid_map) {
		smmu_queue_free(dev, &c->q);
		free(c);
		return -ENOMEM;
	}
	c->sync_mode = cmdq_pick_sync_mode(dev);
	dev->feat.cmdq_log2 = c->q.log2;
	dev->cmdq = c;
	return 0;
}

void smmu_cmdq_free(struct smmu_dev *dev)
{
	struct smmu_cmdq *c = dev->cmdq;

	if (!c)
		return;
	smmu_queue_free(dev, &c->q);
	free(c->valid_map);
	free(c);
	dev->cmdq = NULL;
}

const struct smmu_queue *smmu_cmdq_queue(const struct smmu_dev *dev)
{
	return &dev->cmdq->q;
}
