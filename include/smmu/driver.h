/*
 * libsmmu: the SMMUv3 driver's public interface.
 *
 * Concepts: smmu_dev_probe() takes a struct smmu_platform (MMIO accessors
 * and a DMA allocator, <smmu/platform.h>), reads the ID registers, refuses
 * an SMMU the driver cannot use, builds the command, event and PRI queues
 * and the stream table, and runs the kernel's reset sequence, leaving the
 * SMMU enabled with every stream aborting.  The driver learns about
 * events, page requests and global errors either from interrupts (a
 * harness forwards the SMMU's wired lines to smmu_dev_handle_irq()) or by
 * polling (smmu_dev_process_events()); what it learns reaches the user
 * through the callbacks in struct smmu_dev_options, with every field
 * already decoded.  A struct smmu_dev is used from any number of threads.
 */
#ifndef SMMU_DRIVER_H
#define SMMU_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/export.h>
#include <smmu/platform.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmu_dev;
struct smmu_tag_ctx;

/* What the driver may use, decided once at probe from IDR0/1/3/5. */
struct smmu_features {
	bool trans_s1, trans_s2, nesting;
	bool coherent;          /* IDR0.COHACC */
	bool hyp, e2h;
	bool ats, pri;
	bool msi, sev;
	bool cd2l, st_2lvl;
	bool stalls, stall_force;
	bool ril, fwb, bbml2;
	bool ha, hd;            /* HTTU */
	bool attr_types_ovr;
	bool btm;
	bool msi_polling;       /* CMD_SYNC completes by an MSI into its slot */
	unsigned asid_bits, vmid_bits;
	unsigned sid_bits, ssid_bits;
	unsigned cmdq_log2, evtq_log2, priq_log2;
	unsigned oas_bits;      /* output address size */
	unsigned ias_bits;      /* stage-1 input size (48, or 52 with VAX) */
	uint64_t pgsize_bitmap; /* page and block sizes from IDR5.GRAN* */
	unsigned stall_max;
	uint32_t iidr;
};

/* One event record, decoded (fields as in the architecture's layout). */
struct smmu_event {
	uint8_t id;             /* enum smmu_event_id */
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	uint16_t stag;
	bool stall, pnu, ind, rnw, s2;
	uint8_t class;          /* enum smmu_evt_class */
	uint64_t input_addr;
	uint64_t addr;          /* faulting IPA or fetch address, as the ID says */
	uint64_t raw[4];
};

/* One PCIe page request from the PRI queue. */
struct smmu_pri_req {
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	bool priv, exec, read, write, last;
	uint16_t grpid;
	uint64_t addr;
	uint64_t raw[2];
};

/* Problems the driver found and recovered from (or could not). */
enum smmu_dev_error_kind {
	SMMU_DEV_ERR_GERROR,        /* value: the active GERROR bits */
	SMMU_DEV_ERR_CMD_ILLEGAL,   /* cmd: the command replaced by a CMD_SYNC */
	SMMU_DEV_ERR_CMD_ABORT,     /* command fetch abort; the SMMU retries */
	SMMU_DEV_ERR_ATC_INV_SYNC,  /* ATC invalidation timed out */
	SMMU_DEV_ERR_EVTQ_OVERFLOW, /* events were lost */
	SMMU_DEV_ERR_PRIQ_OVERFLOW, /* page requests were lost */
	SMMU_DEV_ERR_SYNC_TIMEOUT,  /* a CMD_SYNC did not complete in time */
};

struct smmu_dev_error {
	enum smmu_dev_error_kind kind;
	uint32_t value;
	uint64_t cmd[2];
};

enum smmu_log_level {
	SMMU_LOG_ERR = 1,
	SMMU_LOG_WARN,
	SMMU_LOG_INFO,
	SMMU_LOG_DEBUG,
};

/* The SMMU's wired interrupt lines, in the model's order. */
enum smmu_dev_irq {
	SMMU_DEV_IRQ_EVENTQ,
	SMMU_DEV_IRQ_PRIQ,
	SMMU_DEV_IRQ_CMD_SYNC,
	SMMU_DEV_IRQ_GERROR,
};

struct smmu_dev_options {
	void *opaque;           /* passed to every callback */
	void (*event)(void *opaque, const struct smmu_event *evt);
	/*
	 * Return true when the request will be answered (PRI_RESP) by the
	 * user; otherwise the driver denies the group on its LAST request.
	 */
	bool (*pri)(void *opaque, const struct smmu_pri_req *req);
	void (*error)(void *opaque, const struct smmu_dev_error *err);
	/* Default: messages at level <= log_level go to stderr. */
	void (*log)(void *opaque, enum smmu_log_level level, const char *msg);
	enum smmu_log_level log_level; /* 0 means SMMU_LOG_WARN */
	bool disable_msi_polling;
	/*
	 * Fault injection for tests and the tag-reuse example: release an
	 * IOTLB cache tag without the TLBI + CMD_SYNC that must precede it,
	 * so a coherency oracle can be shown catching the stale entries.
	 * Never set it otherwise.
	 */
	bool unsafe_skip_tag_flush;
	/*
	 * The ASID space and attach lock shared with other SMMUs
	 * (<smmu/domain.h>); NULL: the device gets a private one.
	 */
	struct smmu_tag_ctx *tags;
};

/*
 * 0 and *out, or -EINVAL (bad platform), -ENODEV (an SMMU the driver
 * cannot use), -ENOMEM, -ETIMEDOUT (the SMMU did not acknowledge).
 * opts may be NULL.
 */
SMMU_EXPORT int smmu_dev_probe(const struct smmu_platform *plat,
			       const struct smmu_dev_options *opts,
			       struct smmu_dev **out);
/*
 * Disable the SMMU's interrupts, then the SMMU, and free everything the
 * driver allocated.  The harness must not call smmu_dev_handle_irq() for
 * this device once remove has started (an interrupt already in flight
 * must have returned).
 */
SMMU_EXPORT void smmu_dev_remove(struct smmu_dev *dev);
SMMU_EXPORT const struct smmu_features *
smmu_dev_get_features(const struct smmu_dev *dev);
/* Drain the event and PRI queues and handle any global error now. */
SMMU_EXPORT int smmu_dev_process_events(struct smmu_dev *dev);
/* Call from the SMMU's interrupt callback; -EINVAL for an unknown line. */
SMMU_EXPORT int smmu_dev_handle_irq(struct smmu_dev *dev, enum smmu_dev_irq line);

#ifdef __cplusplus
}
#endif

#endif /* SMMU_DRIVER_H */
