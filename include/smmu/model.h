/*
 * The SMMUv3 device model: the boundary users and conformance tests call.
 *
 * Concepts: a struct smmu_model is one SMMUv3 whose ID registers come from
 * struct smmu_model_config.  It is driven only through MMIO accesses
 * (smmu_model_mmio_*; offsets as in <smmu/arch.h>, page 1 at 0x10000) and
 * reads its queues and tables from the struct smmu_mem it was created
 * with.  Simulated devices call smmu_model_translate() with a struct
 * smmu_txn and get the output address or the fault the device would see.
 * The names in this file are fixed by docs/DESIGN (conformance suites
 * call them); fields may be added, never renamed.
 */
#ifndef SMMU_MODEL_H
#define SMMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmu/export.h>
#include <smmu/mem.h>
#include <smmu/platform.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmu_model;

/* Interrupt lines the model raises (wired form of each MSI). */
enum smmu_model_irq {
	SMMU_MODEL_IRQ_EVENTQ,
	SMMU_MODEL_IRQ_PRIQ,
	SMMU_MODEL_IRQ_CMD_SYNC,
	SMMU_MODEL_IRQ_GERROR,
};

/* What a trace record carries: raw little-endian dwords as in memory. */
enum smmu_model_trace_kind {
	SMMU_MODEL_TRACE_CMD,   /* a command, before it takes effect (2 dwords) */
	SMMU_MODEL_TRACE_EVENT, /* an event record written to EVENTQ (4 dwords) */
	SMMU_MODEL_TRACE_PRI,   /* a PRI record written to PRIQ (2 dwords) */
	SMMU_MODEL_TRACE_XLATE, /* a translation by the translation layer (4
				   dwords, SMMU_MODEL_TRACE_XLATE_* below);
				   called without the model's locks */
};

/*
 * SMMU_MODEL_TRACE_XLATE record: dword 0 StreamID, SubstreamID and SSV;
 * dword 1 the input address; dword 2 the output address (0 unless the
 * status is OK); dword 3 the enum smmu_txn_status and how it was reached.
 */
#define SMMU_MODEL_TRACE_XLATE_SID     UINT64_C(0x00000000ffffffff) /* dw0 */
#define SMMU_MODEL_TRACE_XLATE_SSID    UINT64_C(0x000fffff00000000) /* dw0 */
#define SMMU_MODEL_TRACE_XLATE_SSV     UINT64_C(0x8000000000000000) /* dw0 */
#define SMMU_MODEL_TRACE_XLATE_STATUS  UINT64_C(0x00000000000000ff) /* dw3 */
#define SMMU_MODEL_TRACE_XLATE_HIT     UINT64_C(0x0000000000000100) /* dw3: IOTLB hit */
#define SMMU_MODEL_TRACE_XLATE_WRITE   UINT64_C(0x0000000000000200) /* dw3 */
#define SMMU_MODEL_TRACE_XLATE_EXEC    UINT64_C(0x0000000000000400) /* dw3 */
#define SMMU_MODEL_TRACE_XLATE_PRIV    UINT64_C(0x0000000000000800) /* dw3 */

/*
 * What a translation grants, as a mask (coherency reports, ATS
 * Translation Completions): read, write, execute, privileged and not.
 */
enum smmu_model_perm {
	SMMU_MODEL_PERM_R_PRIV   = 1u << 0,
	SMMU_MODEL_PERM_W_PRIV   = 1u << 1,
	SMMU_MODEL_PERM_X_PRIV   = 1u << 2,
	SMMU_MODEL_PERM_R_UNPRIV = 1u << 3,
	SMMU_MODEL_PERM_W_UNPRIV = 1u << 4,
	SMMU_MODEL_PERM_X_UNPRIV = 1u << 5,
};
#define SMMU_MODEL_PERM_UNPRIV_SHIFT 3u

/* An ATS Invalidate Request for one device's ATC (from CMD_ATC_INV). */
struct smmu_model_atc_inv {
	uint32_t sid;
	bool ssv;               /* only translations made with this SubstreamID */
	uint32_t ssid;
	bool global;            /* with ssv: every SubstreamID's global entries too */
	uint64_t addr;          /* aligned to the span */
	unsigned span_log2;     /* bytes: 2^span_log2 (64 = everything) */
};

struct smmu_model_config {
	/* IDR0 */
	bool stage1;            /* S1P */
	bool stage2;            /* S2P */
	unsigned ttf;           /* enum smmu_idr0_ttf */
	bool coherent;          /* COHACC */
	bool btm;
	unsigned httu;          /* enum smmu_idr0_httu */
	bool hyp;
	bool ats;
	bool asid16;
	bool msi;
	bool sev;
	bool pri;
	bool vmid16;
	bool cd2l;
	unsigned ttendian;      /* enum smmu_idr0_ttendian */
	unsigned stall_model;   /* enum smmu_idr0_stall_model */
	bool term_model;
	bool st_2lvl;           /* ST_LEVEL = 2-level */
	/* IDR1 */
	unsigned sid_bits;
	unsigned ssid_bits;
	unsigned cmdq_log2;
	unsigned eventq_log2;
	unsigned priq_log2;
	bool attr_types_ovr;
	bool attr_perms_ovr;
	bool rel;
	bool queues_preset;
	bool tables_preset;
	/* IDR3 */
	bool ril;
	bool fwb;
	unsigned bbml;
	/* IDR5 */
	unsigned oas_bits;      /* 32, 36, 40, 42, 44, 48 or 52 */
	bool gran4k, gran16k, gran64k;
	unsigned vax;
	unsigned stall_max;
	/* IIDR, AIDR */
	uint32_t iidr;
	unsigned aidr_minor;
	/* GBPA.ABORT after reset (IMPLEMENTATION DEFINED) */
	bool gbpa_abort_at_reset;

	/* Model knobs */
	size_t iotlb_capacity;  /* entries; 0 = default */
	bool threaded;          /* execute commands on the model's own thread */
	bool weakest_legal;     /* cache all that is allowed, complete late */
	bool check_coherency;   /* compare cached translations with fresh walks */

	size_t config_cache_capacity; /* STE/CD/L1 entries; 0 = default */
	/*
	 * No micro-TLB: every translation asks the IOTLB.  It is off anyway
	 * with check_coherency or a trace callback.
	 */
	bool no_utlb;
	/*
	 * Pages the micro-TLB holds (16 bytes each, in lines of 4), a power
	 * of two from 4 up to 2^26; 0 = the IOTLB's capacity rounded down to
	 * a power of two, at least 1024.
	 */
	size_t utlb_slots;

	/*
	 * Wired interrupts; may be NULL.  Called without the model's locks
	 * held, so the callback may access MMIO.
	 */
	void (*irq)(void *opaque, enum smmu_model_irq line);
	void *irq_opaque;
	/* CMD_SYNC with CS = SIG_SEV (also wakes platform wait_event). */
	void (*sev_signal)(void *opaque);
	void *sev_opaque;
	/*
	 * Each executed command and each written event/PRI record.  Called
	 * with the model locked: it must not call the model.
	 */
	void (*trace)(void *opaque, enum smmu_model_trace_kind kind,
		      const uint64_t *dw, unsigned ndw);
	void *trace_opaque;
	/*
	 * CMD_ATC_INV, forwarded to the simulated devices' ATCs (may be NULL).
	 * Called with the model locked: it must not call the model.
	 */
	void (*atc_invalidate)(void *opaque, const struct smmu_model_atc_inv *inv);
	void *atc_invalidate_opaque;
};

/*
 * Counters.  Every field is a uint64_t (smmu_model_get_stats copies them
 * one by one); fields are only ever added.
 */
#define SMMU_MODEL_NR_OPCODES 256u
struct smmu_model_stats {
	uint64_t cmds[SMMU_MODEL_NR_OPCODES]; /* executed, by opcode */
	uint64_t cmd_errors[4];         /* by enum smmu_cmdq_cerror */
	uint64_t syncs;                 /* CMD_SYNCs completed */
	uint64_t sync_msis;             /* CMD_SYNC MSI writes */
	uint64_t sevs;                  /* SEV signals */
	uint64_t gerrors;               /* GERROR bits activated */
	uint64_t irqs[4];               /* by enum smmu_model_irq (wired or MSI) */
	uint64_t msi_aborts;            /* MSI writes that aborted */
	uint64_t events;                /* records written to EVENTQ */
	uint64_t events_dropped;        /* queue disabled, full or in error */
	uint64_t eventq_overflows;      /* OVFLG toggles */
	uint64_t pri_records;
	uint64_t pri_dropped;
	uint64_t priq_overflows;
	uint64_t cfg_hits;              /* config-cache lookups served */
	uint64_t cfg_misses;            /* structures fetched from memory */
	uint64_t cfg_invalidations;     /* cached structures removed by CFGI_* */
	uint64_t cfg_evictions;         /* removed for capacity */
	uint64_t translations;          /* smmu_model_translate calls */
	uint64_t translation_aborts;
	/* The translation layer */
	uint64_t iotlb_hits;
	uint64_t iotlb_misses;
	uint64_t iotlb_evictions;       /* removed for capacity */
	uint64_t iotlb_invalidated;     /* removed by TLBI_* */
	uint64_t iotlb_invalidated_by_op[SMMU_MODEL_NR_OPCODES]; /* by TLBI opcode */
	uint64_t walks;                 /* table walks (translations, CD fetches) */
	uint64_t oracle_walks;          /* side-effect-free walks of check_coherency */
	uint64_t f_translation;         /* translation faults, by event type */
	uint64_t f_addr_size;
	uint64_t f_access;
	uint64_t f_permission;
	uint64_t f_walk_eabt;
	uint64_t stalls;                /* transactions stalled (CD.S / STE.S2S) */
	uint64_t stall_responses;       /* RESUME / STALL_TERM commands seen */
	uint64_t coherency_violations;  /* see smmu_model_coherency_violations */
	uint64_t utlb_hits;             /* iotlb_hits the micro-TLB answered */
	uint64_t walk_cache_hits;       /* walks begun at a cached table (weakest_legal) */
	uint64_t syncs_waiting_for_walks; /* CMD_SYNCs that waited for walks in flight */
};

/* A transaction from a simulated device. */
struct smmu_txn {
	uint32_t sid;
	uint32_t ssid;
	bool ssv;               /* substream ID valid */
	uint64_t iova;
	bool write;
	bool exec;
	bool priv;
	bool translated;        /* ATS translated request */
	bool ats_request;       /* ATS Translation Request: translate, access
				   nothing; the answer is res.ats_* */
};

enum smmu_txn_status {
	SMMU_TXN_OK = 0,
	SMMU_TXN_ABORT,         /* terminated with an abort to the device */
	SMMU_TXN_STALLED,       /* stalled; awaits RESUME / STALL_TERM */
	SMMU_TXN_RAZ_WI,        /* terminated silently: reads zero, writes
				   ignored (stage-1 fault with CD.A = 0) */
};

struct smmu_txn_result {
	enum smmu_txn_status status;
	uint64_t pa;            /* output address when status == OK */
	bool event_recorded;    /* an event was written to the event queue */
	uint64_t event[4];      /* the event record, when one was generated */
	uint16_t stag;          /* when STALLED: the tag RESUME names */
	/*
	 * ATS Translation Completion, when status == OK for an ats_request:
	 * the permissions granted (mask as in the coherency report; 0 is the
	 * negative R = W = 0 answer to a translation fault, which records no
	 * event) and the size of the translated region.
	 */
	unsigned ats_perms;
	unsigned ats_size_log2;
};

/* What became of a stalled transaction (SID, STAG). */
enum smmu_stall_state {
	SMMU_STALL_PENDING,     /* no RESUME / STALL_TERM yet */
	SMMU_STALL_RETRY,       /* RESUME with retry: translate it again */
	SMMU_STALL_TERMINATED,  /* RESUME with abort/terminate, or STALL_TERM */
};

SMMU_EXPORT void smmu_model_config_default(struct smmu_model_config *cfg);
/*
 * NULL with errno = EINVAL for an impossible config, ENOMEM on OOM.
 * Impossible: no stage; HYP without both stages; PRI without ATS;
 * ssid_bits without stage 1; a reserved TTF/HTTU/TTENDIAN/STALL_MODEL
 * encoding; SID/SSID/queue sizes beyond 32/20/19 bits; an OAS that is not
 * 32/36/40/42/44/48/52; no granule; vax > 1; bbml > 2; preset queues or
 * tables (not modelled).
 */
SMMU_EXPORT struct smmu_model *smmu_model_new(const struct smmu_model_config *cfg,
					      struct smmu_mem *mem);
SMMU_EXPORT void smmu_model_free(struct smmu_model *m);

SMMU_EXPORT uint32_t smmu_model_mmio_read32(struct smmu_model *m,
					    uint64_t offset);
SMMU_EXPORT uint64_t smmu_model_mmio_read64(struct smmu_model *m,
					    uint64_t offset);
SMMU_EXPORT void smmu_model_mmio_write32(struct smmu_model *m, uint64_t offset,
					 uint32_t v);
SMMU_EXPORT void smmu_model_mmio_write64(struct smmu_model *m, uint64_t offset,
					 uint64_t v);

/* 0, or -EINVAL for a NULL argument. */
SMMU_EXPORT int smmu_model_get_stats(struct smmu_model *m,
				     struct smmu_model_stats *out);
SMMU_EXPORT void smmu_model_reset_stats(struct smmu_model *m);

/*
 * Translate one transaction: 0 with *res filled, or -EINVAL for a NULL
 * argument.  Only the fields its status names are meaningful: pa when OK,
 * event[] when event_recorded, stag when STALLED, ats_* when OK for an
 * ats_request; others may keep what they held (an answer from the
 * micro-TLB writes only status, pa and event_recorded).
 */
SMMU_EXPORT int smmu_model_translate(struct smmu_model *m,
				     const struct smmu_txn *txn,
				     struct smmu_txn_result *res);

/*
 * The state of a stalled transaction, or -ENOENT (unknown tag, or already
 * collected; -EINVAL for a NULL model).  A simulated device polls this after
 * SMMU_TXN_STALLED; a RETRY or TERMINATED answer is given once, which
 * releases the tag.
 */
SMMU_EXPORT int smmu_model_stall_state(struct smmu_model *m, uint32_t sid,
				       uint16_t stag);

/*
 * PCIe page requests (PRI): a simulated device asks for pages; the request
 * goes to the PRI queue, and the driver answers the group (PRGIndex) with
 * CMD_PRI_RESP.  smmu_model_page_request returns 0 when the record was
 * queued, -ENOSPC when the PRI queue dropped it (disabled, full, or in
 * error; a dropped last request gets the automatic successful response the
 * architecture gives, so the device retries), -EINVAL for a model without
 * PRI or a PRG index above 511.  smmu_model_page_response gives the answer
 * to a group whose last request was made - an enum smmu_pri_resp, once -
 * or -EAGAIN while unanswered, -ENOENT for a group that is not outstanding.
 */
struct smmu_page_request {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	uint64_t addr;          /* page address (bits [11:0] ignored) */
	bool read, write, exec, priv;
	bool last;              /* last request of the group */
	uint16_t grpid;         /* PRGIndex, 9 bits */
};

SMMU_EXPORT int smmu_model_page_request(struct smmu_model *m,
					const struct smmu_page_request *pr);
SMMU_EXPORT int smmu_model_page_response(struct smmu_model *m, uint32_t sid,
					 bool ssv, uint32_t ssid, uint16_t grpid);

/*
 * The coherency oracle (cfg.check_coherency): every translation served from
 * the IOTLB is compared with a fresh walk of the tables in memory (one that
 * changes nothing: no Access-flag or dirty updates).  A cached translation
 * the tables no longer give - another output address, a permission the
 * tables no longer grant, or a fault - is a violation: counted, and passed
 * to the callback.  Permissions are masks: bit 0 read, 1 write, 2 execute
 * (privileged), bits 3-5 the same unprivileged.
 */
enum smmu_model_tag_kind {
	SMMU_MODEL_TAG_S1,      /* stage 1 only (VMID when stage 2 exists) */
	SMMU_MODEL_TAG_S2,      /* stage 2 only (no ASID) */
	SMMU_MODEL_TAG_NESTED,  /* stage 1 + 2 */
	SMMU_MODEL_TAG_EL2,     /* EL2 / EL2-E2H stage 1 (no VMID) */
};

struct smmu_model_coherency_report {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	enum smmu_model_tag_kind tag_kind;
	uint16_t vmid;
	uint16_t asid;
	uint64_t iova;
	uint64_t cached_pa;
	unsigned cached_perms;
	unsigned fresh_event;   /* the fault a fresh walk gives (event id), or 0 */
	uint64_t fresh_pa;      /* when fresh_event == 0 */
	unsigned fresh_perms;
};

typedef void (*smmu_model_coherency_fn)(void *opaque,
					const struct smmu_model_coherency_report *r);

/* The callback runs on the translating thread, without the model's locks. */
SMMU_EXPORT void smmu_model_set_coherency_callback(struct smmu_model *m,
						   smmu_model_coherency_fn fn,
						   void *opaque);
SMMU_EXPORT uint64_t smmu_model_coherency_violations(struct smmu_model *m);
/*
 * Entries the IOTLB holds for one tag (for stage-1 kinds, the non-global
 * entries of that ASID; vmid is ignored for EL2, asid for S2).  Lets a
 * test check a driver's invariant: an ASID or VMID no invalidation array
 * references has no entry left once the driver's operation completed.
 */
SMMU_EXPORT size_t smmu_model_iotlb_entries(struct smmu_model *m,
					    enum smmu_model_tag_kind kind,
					    uint16_t vmid, uint16_t asid);
SMMU_EXPORT void smmu_model_reset_coherency(struct smmu_model *m);

/*
 * Fill *plat so a driver reaches this model through MMIO and allocates DMA
 * buffers from dma (which must be over the model's memory).  Its poll
 * timeout is SMMU_MODEL_POLL_TIMEOUT_US: a threaded model shares the
 * host's CPUs with the driver and, on a loaded host or under a sanitizer,
 * may be descheduled far longer than hardware takes; set a shorter one to
 * test timeouts.
 */
#define SMMU_MODEL_POLL_TIMEOUT_US 10000000u
SMMU_EXPORT void smmu_model_platform_init(struct smmu_platform *plat,
					  struct smmu_model *m,
					  struct smmu_dma *dma);

#ifdef __cplusplus
}
#endif

#endif /* SMMU_MODEL_H */
