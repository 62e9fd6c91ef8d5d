/*
 * Domains, masters and IOTLB cache tags: the driver's attach/detach API.
 *
 * Concepts (the Linux arm-smmu-v3 "IOTLB cache tag" design): a domain is
 * an address space - a stage-1 or stage-2 page table, or the identity
 * (bypass) or blocked (abort) configuration.  A master is a device with
 * one or more stream IDs on one SMMU.  Attaching a master to a paging
 * domain gives the attachment an IOTLB cache tag on that SMMU (an ASID for
 * stage 1, a VMID for stage 2), reused when the domain already holds one
 * there, and records it in the domain's invalidation array; unmap then
 * invalidates through that array.  When the last master using a tag on
 * an SMMU detaches, the driver invalidates the tag (TLBI + CMD_SYNC) and
 * only then frees the ID, so a later domain given the same ASID or VMID
 * can never hit stale IOTLB entries.  ASIDs come from a map shared by the
 * SMMUs of one harness (struct smmu_tag_ctx, the kernel's global ASID
 * map); VMIDs from a map per SMMU.  A domain may be attached to masters on
 * several SMMUs when it is compatible with each.  A virtual SMMU
 * (struct smmu_vsmmu) owns one VMID for the nested domains of its guest.
 *
 * Every call validates its arguments and returns 0 or a negative errno,
 * leaving every object unchanged on error.  Calls on objects of one
 * harness may come from several threads: attach and detach serialise on
 * the tag context's lock; map, unmap and DMA run concurrently with them.
 * Threads that call smmu_domain_map/unmap or attach/detach must be
 * registered with liburcu (smmu_thread_register): invalidation walks are
 * RCU readers, as in the kernel, and replaced arrays are freed with
 * call_rcu.
 */
#ifndef SMMU_DOMAIN_H
#define SMMU_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <smmu/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmu_dev;
struct smmu_tag_ctx;
struct smmu_domain;
struct smmu_master;
struct smmu_vsmmu;

/* Register / unregister the calling thread as an RCU reader. */
SMMU_EXPORT void smmu_thread_register(void);
SMMU_EXPORT void smmu_thread_unregister(void);

/*
 * The ASID space shared by the SMMUs of one harness.  Pass it in
 * struct smmu_dev_options.tags; a device probed without one gets its own
 * (freed with the last device or domain using it).  Free a shared one
 * after every device and domain that uses it (-EBUSY before).
 */
SMMU_EXPORT int smmu_tag_ctx_new(struct smmu_tag_ctx **out);
SMMU_EXPORT int smmu_tag_ctx_free(struct smmu_tag_ctx *ctx);

enum smmu_domain_type {
	SMMU_DOMAIN_BLOCKED,    /* every transaction aborts */
	SMMU_DOMAIN_IDENTITY,   /* bypass */
	SMMU_DOMAIN_S1,         /* stage-1 page table, ASID-tagged */
	SMMU_DOMAIN_S2,         /* stage-2 page table, VMID-tagged */
	SMMU_DOMAIN_NESTED,     /* a guest's stage 1 over a vSMMU's stage 2 */
};

/* Mapping permissions (smmu_domain_map). */
#define SMMU_PROT_READ  (1u << 0)
#define SMMU_PROT_WRITE (1u << 1)
#define SMMU_PROT_EXEC  (1u << 2) /* without it: execute-never */
#define SMMU_PROT_PRIV  (1u << 3) /* stage 1: privileged accesses only */
#define SMMU_PROT_CACHE (1u << 4) /* write-back cacheable, else non-cacheable */
#define SMMU_PROT_MMIO  (1u << 5) /* device memory */

struct smmu_domain_config {
	enum smmu_domain_type type;
	unsigned granule_log2;  /* 12, 14 or 16; 0: the smallest supported */
	unsigned ias_bits;      /* input address bits; 0: the SMMU's maximum */
	bool nest_parent;       /* S2: may be the stage 2 of a vSMMU */
	/* NESTED only: the vSMMU and the guest's STE words 0 and 1 (CD-table
	 * pointer as an IPA, S1FMT, S1CDMAX, S1DSS, EATS). */
	struct smmu_vsmmu *vsmmu;
	uint64_t guest_ste[2];
};

/*
 * A domain whose page table fits dev (its granules, OAS, stages); it can
 * later be attached to masters of any SMMU it is compatible with.  Its
 * tables come from dev's DMA allocator: free it before removing dev.
 */
SMMU_EXPORT int smmu_domain_alloc(struct smmu_dev *dev,
				  const struct smmu_domain_config *cfg,
				  struct smmu_domain **out);
/* -EBUSY while a master is attached to it. */
SMMU_EXPORT int smmu_domain_free(struct smmu_domain *domain);
SMMU_EXPORT enum smmu_domain_type smmu_domain_type(const struct smmu_domain *domain);

/*
 * Map [iova, iova + size) to [pa, pa + size): 0, -EINVAL (alignment,
 * range, permissions, not a paging domain), -EEXIST or -ENOMEM.
 */
SMMU_EXPORT int smmu_domain_map(struct smmu_domain *domain, uint64_t iova,
				uint64_t pa, uint64_t size, unsigned prot);
/*
 * Unmap and invalidate every IOTLB and ATC that may hold the range (one
 * CMD_SYNC per SMMU per batch).  Returns the bytes unmapped (stops at a
 * hole or a partial block) or a negative errno.
 */
SMMU_EXPORT int64_t smmu_domain_unmap(struct smmu_domain *domain, uint64_t iova,
				      uint64_t size);
SMMU_EXPORT int smmu_domain_iova_to_phys(struct smmu_domain *domain,
					 uint64_t iova, uint64_t *pa);
/*
 * The IOTLB cache tag the domain holds on dev: 0 with *id (ASID or VMID),
 * or -ENOENT when no master of dev is attached.
 */
SMMU_EXPORT int smmu_domain_get_tag(struct smmu_domain *domain,
				    struct smmu_dev *dev, uint32_t *id);

struct smmu_master_config {
	const uint32_t *sids;   /* stream IDs; any order, no duplicates */
	unsigned num_sids;
	unsigned ssid_bits;     /* PASID bits the device uses; 0: none */
	bool ats;               /* PCIe ATS capable */
	bool stall;             /* the device can stall on faults */
};

/*
 * A master starts attached to the blocked domain (abort STEs).  -EINVAL
 * for a SID outside the stream table or listed twice, -EBUSY for a SID
 * another master owns, -ENOMEM.
 */
SMMU_EXPORT int smmu_master_add(struct smmu_dev *dev,
				const struct smmu_master_config *cfg,
				struct smmu_master **out);
/* Detach (to blocked) and forget the master. */
SMMU_EXPORT void smmu_master_remove(struct smmu_master *master);
/*
 * Attach the master's stream (no PASID) to domain.  -EINVAL for a domain
 * this SMMU cannot use, -ENOSPC when no tag is left, -ENOMEM.
 */
SMMU_EXPORT int smmu_master_attach(struct smmu_master *master,
				   struct smmu_domain *domain);
/* Attach a stage-1 domain to one PASID (substream) of the master. */
SMMU_EXPORT int smmu_master_attach_pasid(struct smmu_master *master,
					 uint32_t ssid, struct smmu_domain *domain);
SMMU_EXPORT int smmu_master_detach_pasid(struct smmu_master *master,
					 uint32_t ssid);
/* The SSID-0 domain; NULL while blocked without a domain (after add). */
SMMU_EXPORT struct smmu_domain *smmu_master_domain(const struct smmu_master *master);

/*
 * A virtual SMMU over a nest-parent stage-2 domain: it owns one VMID on
 * dev from creation to smmu_vsmmu_free (-EBUSY while nested domains use it).
 */
SMMU_EXPORT int smmu_vsmmu_new(struct smmu_dev *dev, struct smmu_domain *s2_parent,
			       struct smmu_vsmmu **out);
SMMU_EXPORT int smmu_vsmmu_free(struct smmu_vsmmu *vsmmu);
SMMU_EXPORT uint32_t smmu_vsmmu_vmid(const struct smmu_vsmmu *vsmmu);

#ifdef __cplusplus
}
#endif

#endif /* SMMU_DOMAIN_H */
