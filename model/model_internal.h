/*
 * The model's private state and the functions its layers call on each other.
 *
 * Concepts: the model is layered like the architecture describes it.
 * regs.c decodes MMIO into struct smmu_model_regs; cmdq.c consumes the
 * command queue; eventq.c produces event and PRI records and raises
 * interrupts (wired callback and/or MSI) and global errors; config.c fetches
 * STEs, L1STDs, CDs and L1CDs through the configuration cache and checks
 * them; translate.c resolves a transaction's configuration into a struct
 * smmu_xlate_cfg, and cfgfast.c keeps resolved ones for the next
 * transaction of the same stream; the translation layer (xlate.c: walker,
 * IOTLB, ATC) turns that into an output address.  A lower layer never
 * calls a higher one.
 *
 * Locking (the order is top to bottom; never take an earlier lock while
 * holding a later one):
 *   1. m->lock - every register, the three queues, command execution and
 *      event/PRI record writes.  MMIO accesses, the command consumer (inline
 *      in a PROD write or on the model thread) and record writers take it.
 *      Command execution calls smmu_model_tlb_invalidate/_sync and the
 *      config-cache invalidations with it held, so the translation layer's
 *      own locks nest inside it.
 *   2. the config cache's mutex (config.c) - held only around a lookup,
 *      insert or invalidation, never across a memory read.
 *   3. the translation layer's locks (IOTLB etc.).
 *   (m->sev_lock is a leaf: it guards only the SEV event register.  So is
 *   the fast path's publish lock (cfgfast.c), only ever try-locked; its
 *   readers take no lock at all, and its generation is an atomic counter
 *   bumped under any of the locks above, or none.)
 * Consequently the translation layer must NOT hold its own locks when it
 * calls smmu_model_record_event() or smmu_model_enqueue_pri() (they take
 * m->lock).  smmu_model_translate() runs without m->lock: it copies the
 * registers it needs (struct smmu_model_snapshot) and works from the copy,
 * so devices translate concurrently with command execution; when the fast
 * path knows the stream it takes no lock before the translation layer.
 *
 * Interrupts are raised under m->lock but delivered after it is dropped
 * (smmu_model_unlock), so a callback may call straight back into the model's
 * MMIO (a driver's interrupt handler reading EVENTQ_PROD).  MSIs are memory
 * writes and happen in place.  The trace callback is called with m->lock
 * held and must not call the model.
 *
 * For the translation layer (xlate.c, xlate.h, tlb.h):
 *   - smmu_model_xlate() is called with no model lock held: record events
 *     with smmu_model_record_event() (after dropping your own locks), PRI
 *     page requests with smmu_model_enqueue_pri(); build dword 0 with
 *     smmu_evt0(); read tables with smmu_model_read64(), update descriptors
 *     (HTTU) with smmu_model_write64(); count in m->stats (add fields to
 *     struct smmu_model_stats in <smmu/model.h>) with SMMU_MODEL_COUNT.
 *   - smmu_model_tlb_invalidate(), smmu_model_tlb_sync() and
 *     smmu_model_fault_response() run inside command execution, with
 *     m->lock held: they may use smmu_model_record_event_locked() and
 *     smmu_model_irq_raise_locked(), never the unlocked forms.
 *   - smmu_model_xlate_cd_fetch() may run with m->lock held (PREFETCH_CONFIG)
 *     or not (translate); it returns its fault record instead of writing it.
 *   - m->xlate is yours: allocate it in smmu_model_xlate_init(), free it in
 *     smmu_model_xlate_fini(); m->cfg has the knobs (iotlb_capacity,
 *     weakest_legal, check_coherency) and the features.
 *
 * Memory: every table word and queue entry is read with one
 * smmu_model_read64() (single-copy atomic, PA checked against the OAS); an
 * address at or beyond 2^OAS, or a failing callback memory, is an external
 * abort (CERROR_ABT, F_STE_FETCH, F_CD_FETCH, *_ABT_ERR).
 */
#ifndef SMMU_MODEL_INTERNAL_H
#define SMMU_MODEL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <smmu/arch.h>
#include <smmu/model.h>

/* ---- Registers (regs.c) ---------------------------------------------- */

/* One circular queue: its BASE register and the PROD/CONS pair. */
struct smmu_model_queue {
	uint64_t base;          /* RA/WA, ADDR, LOG2SIZE as written */
	uint32_t prod;
	uint32_t cons;
	unsigned max_log2;      /* IDR1.{CMDQS,EVENTQS,PRIQS} */
	unsigned entry_size;    /* bytes */
};

/* One MSI source: *_IRQ_CFG0/1/2. */
struct smmu_model_msi {
	uint64_t addr;          /* CFG0 */
	uint32_t data;          /* CFG1 */
	uint32_t attr;          /* CFG2 */
};

struct smmu_model_regs {
	uint32_t idr[6];
	uint32_t iidr, aidr;
	uint32_t cr0, cr0ack, cr1, cr2;
	uint32_t gbpa;
	uint32_t irq_ctrl, irq_ctrlack;
	uint32_t gerror, gerrorn;
	struct smmu_model_msi gerror_msi, eventq_msi, priq_msi;
	uint64_t strtab_base;
	uint32_t strtab_base_cfg;
	struct smmu_model_queue cmdq, eventq, priq;
};

/* Register state translate.c and config.c work from (copied under m->lock). */
struct smmu_model_snapshot {
	bool smmuen;            /* CR0ACK.SMMUEN */
	bool atschk;            /* CR0ACK.ATSCHK */
	uint32_t gbpa;
	uint32_t cr2;
	uint64_t strtab_base;
	uint32_t strtab_base_cfg;
};

/* ---- The model --------------------------------------------------------- */

/* Structures one resolution looks up at most: L1STD, STE, L1CD, CD. */
#define SMMU_CFG_MAX_LOOKUPS 4u
/* The host's cache line: what prefetches step by and hot words keep apart. */
#define SMMU_MODEL_CACHELINE 64u

struct smmu_cfg_cache;          /* config.c */
struct smmu_cfg_fast;           /* cfgfast.c */
struct smmu_utlb;               /* utlb.c */
struct smmu_xlate_state;        /* owned by the translation layer (xlate.c) */

struct smmu_model {
	struct smmu_model_config cfg;
	struct smmu_mem *mem;
	unsigned oas_bits;

	pthread_mutex_t lock;
	struct smmu_model_regs regs;
	atomic_uint pending_irqs;       /* bit per enum smmu_model_irq, + SEV */

	/* Threaded execution (cfg.threaded). */
	pthread_t thread;
	pthread_cond_t cmdq_wake;       /* with lock: PROD moved, error acked */
	bool thread_stop;

	/* SEV: a WFE-style event register the platform's wait_event sleeps on. */
	pthread_mutex_t sev_lock;
	pthread_cond_t sev_cond;
	bool sev_pending;

	struct smmu_cfg_cache *cfg_cache;
	struct smmu_cfg_fast *cfg_fast;
	struct smmu_utlb *utlb;
	struct smmu_xlate_state *xlate;
	struct smmu_dma *plat_dma;      /* set by smmu_model_platform_init */

	struct smmu_model_stats stats;  /* every field updated atomically */
	/*
	 * Translations the configuration fast path served, by how many
	 * configuration-cache hits each stands for: one locked add per
	 * translation instead of two (translations and cfg_hits);
	 * smmu_model_get_stats folds them in.
	 */
	uint64_t fast_translations[SMMU_CFG_MAX_LOOKUPS + 1];
	/* cfg_hits of remembered PREFETCH_*s: written only under m->lock. */
	uint64_t fast_prefetch_hits;
};

/* pending_irqs bit for the cfg.sev callback (after the irq lines). */
#define SMMU_MODEL_PENDING_SEV (1u << 4)

/* Take and release m->lock; release delivers the interrupts raised meanwhile. */
void smmu_model_lock(struct smmu_model *m);
void smmu_model_unlock(struct smmu_model *m);

/* Count one occurrence in m->stats (any thread). */
#define SMMU_MODEL_COUNT(m, field) \
	__atomic_fetch_add(&(m)->stats.field, 1, __ATOMIC_RELAXED)
#define SMMU_MODEL_COUNT_N(m, field, n) \
	__atomic_fetch_add(&(m)->stats.field, (n), __ATOMIC_RELAXED)
/*
 * The same for a counter only ever written with m->lock held: readers see
 * whole values, and no locked read-modify-write is paid per command.
 */
#define SMMU_MODEL_COUNT_LOCKED(m, field) \
	__atomic_store_n(&(m)->stats.field, \
			 __atomic_load_n(&(m)->stats.field, __ATOMIC_RELAXED) + 1, \
			 __ATOMIC_RELAXED)

/* Emit a trace record if cfg.trace is set (inline: one branch when off). */
static inline void smmu_model_trace(struct smmu_model *m, enum smmu_model_trace_kind kind,
				    const uint64_t *dw, unsigned ndw)
{
	if (m->cfg.trace)
		m->cfg.trace(m->cfg.trace_opaque, kind, dw, ndw);
}

/*
 * Device-side memory access: 0, or -EFAULT for an external abort (PA at or
 * beyond the OAS, or the memory failed).
 */
int smmu_model_read64(struct smmu_model *m, uint64_t pa, uint64_t *val);
/* [pa, pa + len) lies below 2^OAS (else an access is an external abort). */
bool smmu_model_pa_ok(const struct smmu_model *m, uint64_t pa, uint64_t len);
int smmu_model_write64(struct smmu_model *m, uint64_t pa, uint64_t val);
int smmu_model_write32(struct smmu_model *m, uint64_t pa, uint32_t val);

/* ---- Queue pointer arithmetic (shared by cmdq.c and eventq.c) ---------- */

static inline unsigned smmu_queue_log2(const struct smmu_model_queue *q)
{
	unsigned log2 = (unsigned)SMMU_FIELD_GET(SMMU_Q_BASE_LOG2SIZE, q->base);

	return log2 < q->max_log2 ? log2 : q->max_log2;
}

/* The wrap flag and index bits of a PROD or CONS value. */
static inline uint32_t smmu_queue_ptr_mask(const struct smmu_model_queue *q)
{
	return (2u << smmu_queue_log2(q)) - 1u;
}

static inline uint32_t smmu_queue_idx(const struct smmu_model_queue *q, uint32_t ptr)
{
	return ptr & ((1u << smmu_queue_log2(q)) - 1u);
}

static inline bool smmu_queue_empty(const struct smmu_model_queue *q)
{
	return ((q->prod ^ q->cons) & smmu_queue_ptr_mask(q)) == 0;
}

static inline bool smmu_queue_full(const struct smmu_model_queue *q)
{
	return ((q->prod ^ q->cons) & smmu_queue_ptr_mask(q)) ==
	       (1u << smmu_queue_log2(q));
}

/* ptr advanced by one entry, wrap flag included; other bits kept. */
static inline uint32_t smmu_queue_next(const struct smmu_model_queue *q, uint32_t ptr)
{
	uint32_t mask = smmu_queue_ptr_mask(q);

	return (ptr & ~mask) | ((ptr + 1u) & mask);
}

static inline uint64_t smmu_queue_entry_pa(const struct smmu_model_queue *q,
					   uint32_t ptr)
{
	return (q->base & SMMU_Q_BASE_ADDR) +
	       (uint64_t)smmu_queue_idx(q, ptr) * q->entry_size;
}

/* ---- regs.c ------------------------------------------------------------- */

void smmu_model_regs_reset(struct smmu_model *m);
/* Copy what translation needs; the first takes m->lock. */
void smmu_model_snapshot(struct smmu_model *m, struct smmu_model_snapshot *snap);
void smmu_model_snapshot_locked(struct smmu_model *m, struct smmu_model_snapshot *snap);

/* ---- eventq.c: records, interrupts, global errors (m->lock held) -------- */

/* Activate a GERROR bit unless it is already active; raises the interrupt. */
void smmu_model_gerror_raise_locked(struct smmu_model *m, uint32_t bit);
/* Signal one interrupt source: wired callback and MSI per its IRQ_CFG. */
void smmu_model_irq_raise_locked(struct smmu_model *m, enum smmu_model_irq line);
bool smmu_model_record_event_locked(struct smmu_model *m,
				    const uint64_t evt[SMMU_EVT_DWORDS]);

/*
 * For the translation layer (call without holding its own locks): write an
 * event record, or a PRI page request, as the architecture's queue rules
 * say (queue enabled, not full - else OVFLG and drop - no active abort
 * error).  True when the record reached the queue.
 */
bool smmu_model_record_event(struct smmu_model *m,
			     const uint64_t evt[SMMU_EVT_DWORDS]);
bool smmu_model_enqueue_pri(struct smmu_model *m,
			    const uint64_t rec[SMMU_PRI_DWORDS]);

/* SIG_SEV: set the event register, wake waiters, call cfg.sev. */
void smmu_model_sev(struct smmu_model *m);
/* Wait until the event register is set (then clear it) or timeout_us. */
void smmu_model_wait_sev(struct smmu_model *m, uint64_t timeout_us);

/* ---- cmdq.c ------------------------------------------------------------- */

/* New work may be available (PROD, CMDQEN, error ack): run it or wake. */
void smmu_model_cmdq_kick_locked(struct smmu_model *m);
int smmu_model_cmdq_start_thread(struct smmu_model *m);
void smmu_model_cmdq_stop_thread(struct smmu_model *m);

/* ---- config.c: structure fetch, validity, configuration cache ---------- */

/* Who is asking: the stream and substream of a transaction or command. */
struct smmu_stream_id {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
};

/*
 * The outcome of a failed configuration lookup: the transaction aborts and,
 * unless silent (STE.Config == abort), evt is the record to write.
 */
struct smmu_cfg_fault {
	bool silent;
	uint64_t evt[SMMU_EVT_DWORDS];
	/*
	 * Structures the lookups took from the configuration cache and from
	 * memory (start both at 0; a failure keeps them): a resolution with
	 * no miss may be published to the fast path (cfgfast.c).
	 */
	unsigned cache_hits, cache_misses;
};

/* Event record dword 0 for id about the stream in *who. */
uint64_t smmu_evt0(unsigned id, const struct smmu_stream_id *who);

struct smmu_xlate_cfg;

/* STE.STRW matters only for stage-1-only streams on a part with HYP. */
bool smmu_ste_strw_used(const struct smmu_model_config *c, unsigned config);

/* STE.S1CDMax as used: 0 on a part without substreams. */
unsigned smmu_ste_cdmax(const struct smmu_model_config *c, const uint64_t *ste);

int smmu_cfg_cache_new(struct smmu_model *m);
void smmu_cfg_cache_free(struct smmu_model *m);

/* The valid STE for who->sid; 0, or -EIO with *fault filled. */
int smmu_model_fetch_ste(struct smmu_model *m, const struct smmu_model_snapshot *snap,
			 const struct smmu_stream_id *who,
			 uint64_t ste[SMMU_STE_DWORDS], struct smmu_cfg_fault *fault);
/*
 * The valid CD at index ssid of the CD table ste points to.  xc is the
 * stream's configuration as resolved so far (kind, e2h, and s2 for a nested
 * stream, whose CD table addresses are IPAs).  0, or -EIO with *fault.
 */
int smmu_model_fetch_cd(struct smmu_model *m, const struct smmu_stream_id *who,
			uint32_t ssid, const uint64_t ste[SMMU_STE_DWORDS],
			const struct smmu_xlate_cfg *xc,
			uint64_t cd[SMMU_CD_DWORDS], struct smmu_cfg_fault *fault);

/* CFGI_* (m->lock held). */
void smmu_cfg_invalidate_ste(struct smmu_model *m, uint32_t sid, bool leaf);
void smmu_cfg_invalidate_ste_range(struct smmu_model *m, uint32_t sid, unsigned range);
void smmu_cfg_invalidate_cd(struct smmu_model *m, uint32_t sid, uint32_t ssid, bool leaf);
void smmu_cfg_invalidate_cd_all(struct smmu_model *m, uint32_t sid);
void smmu_cfg_invalidate_all(struct smmu_model *m);

/* ---- cfgfast.c: resolved configurations, read without locks ---------- */

int smmu_cfg_fast_new(struct smmu_model *m);
void smmu_cfg_fast_free(struct smmu_model *m);
/*
 * Something a resolution depends on changed (a configuration-cache entry
 * left, a snapshot register changed): every published entry is stale.
 * Call after the change is made.
 */
void smmu_cfg_fast_bump(struct smmu_model *m);
/* The current generation: read it before resolving, publish under it. */
uint64_t smmu_cfg_fast_gen(struct smmu_model *m);
/*
 * True when who has a current entry, counting its configuration-cache hits
 * as the slow path would.  With xc (a translation: any thread, no lock
 * needed), only an entry with a configuration counts, *xc receives it and
 * the call counts as one translation.  Without (PREFETCH_*), m->lock held.
 */
bool smmu_cfg_fast_lookup(struct smmu_model *m, const struct smmu_stream_id *who,
			  struct smmu_xlate_cfg *xc);
/*
 * Remember a resolution for who that took hits structures, all from the
 * configuration cache, with the generation read before it started: xc, or
 * NULL for a PREFETCH_* that found everything cached.  Dropped if the
 * generation moved on.  The publish lock is a leaf.
 */
void smmu_cfg_fast_publish(struct smmu_model *m, uint64_t gen,
			   const struct smmu_stream_id *who, unsigned hits,
			   const struct smmu_xlate_cfg *xc);

/* ---- translate.c -------------------------------------------------------- */

/* PREFETCH_*: fill the configuration cache, silently (m->lock held). */
void smmu_model_prefetch_config(struct smmu_model *m, const struct smmu_stream_id *who);

#endif /* SMMU_MODEL_INTERNAL_H */
