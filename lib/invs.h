/*
 * Per-domain invalidation arrays (the kernel's arm_smmu_invs).
 *
 * Concepts: a domain does not keep a list of the masters and SMMUs it is
 * attached to; it keeps a sorted array of invalidation actions, one per
 * (SMMU, type, id[, ssid]): "TLBI this ASID on that SMMU", "ATC_INV this
 * StreamID".  Entry 0 of a master's contribution is its IOTLB cache tag.
 * Attach merges the master's entries into a new array (users + 1 for an
 * entry already there); detach unrefs them in place (users - 1; an entry at
 * 0 users is "trash", skipped by readers and dropped by the next merge or
 * purge).  Readers (unmap, the io-pgtable flush hooks) walk the array
 * under RCU without a lock, plus the array's read lock when it holds ATS
 * entries, so trimming on detach can fence ATC invalidations.
 *
 * RCU flavour: liburcu's memb flavour, used through its explicit names
 * (<urcu/urcu-memb.h>, urcu_memb_*), which is what pkg-config's `liburcu`
 * links.  Every thread that walks an array must be registered with
 * urcu_memb_register_thread(); updates (merge/unref/purge/publish) are
 * serialised by the caller's attach lock.
 */
#ifndef SMMU_LIB_INVS_H
#define SMMU_LIB_INVS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <urcu/urcu-memb.h>

struct smmu_dev;

/* Order is the sort key and the order commands are emitted in. */
enum smmu_inv_type {
	SMMU_INV_S1_ASID,
	SMMU_INV_S2_VMID,
	SMMU_INV_S2_VMID_VSMMU,
	SMMU_INV_S2_VMID_S1_CLEAR,
	SMMU_INV_ATS,
	SMMU_INV_ATS_FULL,
};

struct smmu_inv {
	struct smmu_dev *smmu;  /* which SMMU's queue; compared as a key only */
	uint8_t type;           /* enum smmu_inv_type */
	uint8_t size_opcode;    /* ranged invalidation */
	uint8_t nsize_opcode;   /* "everything for this tag" */
	uint32_t id;            /* ASID, VMID, or StreamID for ATS types */
	union {
		uint32_t pgsize;    /* tag types: log2 leaf page size, RIL only */
		uint32_t ssid;      /* ATS types; 0 = no PASID */
	};
	int users;              /* 0: trash; read by walkers without a lock */
};

struct smmu_invs {
	uint32_t max_invs;      /* capacity */
	uint32_t num_invs;      /* length incl. interior trash; walkers load it */
	uint32_t num_trashes;   /* interior trash entries */
	bool has_ats;
	pthread_rwlock_t rwlock; /* fences ATC_INV walkers against trimming */
	struct rcu_head rcu;
	struct smmu_inv inv[];
};

/* An array with room for n entries and num_invs = n; NULL on -ENOMEM. */
struct smmu_invs *smmu_invs_alloc(uint32_t n);
/* Free now (never published, or after a grace period). */
void smmu_invs_free(struct smmu_invs *invs);
/* Free after the current RCU grace period (a replaced, published array). */
void smmu_invs_free_rcu(struct smmu_invs *invs);

/* Order by smmu pointer, type, id, then ssid for ATS types. */
int smmu_inv_cmp(const struct smmu_inv *a, const struct smmu_inv *b);
bool smmu_inv_is_ats(const struct smmu_inv *inv);

/* Index of the first live entry at or after i, or num when none. */
uint32_t smmu_invs_next_live(const struct smmu_invs *invs, uint32_t i,
			     uint32_t num);
#define smmu_invs_for_each_live(invs, num, i)                     \
	for ((i) = smmu_invs_next_live((invs), 0, (num)); (i) < (num); \
	     (i) = smmu_invs_next_live((invs), (i) + 1, (num)))

/*
 * New array = invs (without its trash) + to_merge: equal entries gain a
 * user, new ones start with one.  0, -EINVAL (either array unsorted), or
 * -ENOMEM.  invs is unchanged; the caller publishes *out and frees invs
 * with smmu_invs_free_rcu().
 */
int smmu_invs_merge(const struct smmu_invs *invs,
		    const struct smmu_invs *to_merge, struct smmu_invs **out);
/*
 * Drop one user from each entry of invs that to_unref names, in place.
 * Writes back to_unref->inv[j].users = 1 if the entry still has users, 0
 * if it became trash (inv[0] at 0 means the IOTLB tag lost its last user).
 * Trailing trash is trimmed under the write lock.  Returns -EINVAL, with
 * nothing changed, if to_unref is unsorted or names an entry invs does not
 * hold live (an unbalanced detach); otherwise 0.
 */
int smmu_invs_unref(struct smmu_invs *invs, struct smmu_invs *to_unref);
/* A new array without trash, or NULL when there is none (or on OOM). */
struct smmu_invs *smmu_invs_purge(const struct smmu_invs *invs);

/* Scratch array for a master: 2 entries, or 2 + nsids if it can do ATS. */
struct smmu_invs *smmu_invs_alloc_scratch(bool ats_capable, unsigned nsids);

/* An IOTLB cache tag: S1_ASID, S2_VMID or S2_VMID_VSMMU on one SMMU. */
struct smmu_inv_tag {
	struct smmu_dev *smmu;
	enum smmu_inv_type type;
	uint32_t id;
};

struct smmu_master_invs_desc {
	struct smmu_inv_tag tag;
	uint64_t pgsize_bitmap; /* the domain's page sizes */
	bool nest_parent;       /* ATS entries invalidate the whole ATC */
	bool ats;
	uint32_t ssid;          /* PASID of the attachment; 0 = none */
	const uint32_t *sids;   /* strictly ascending */
	unsigned nsids;
};

/*
 * Fill a scratch array with a master's entries: the tag; S1_CLEAR for a
 * vSMMU-owned VMID; with ATS one ATS (or ATS_FULL) entry per StreamID.
 * 0, or -EINVAL (bad tag, unsorted SIDs, not enough room) with scratch
 * unchanged.  Opcodes follow the tag's SMMU (E2H selects EL2 forms).
 */
int smmu_invs_build_master(struct smmu_invs *scratch,
			   const struct smmu_master_invs_desc *desc);

/* Publication: the caller holds the attach lock; readers are registered. */
struct smmu_invs *smmu_invs_deref(struct smmu_invs *const *slot);
/* Make new visible (release) and free the array it replaces after RCU. */
void smmu_invs_publish(struct smmu_invs **slot, struct smmu_invs *new_invs);

/*
 * One command the walk asks for, decoded.  op is a TLBI_* opcode or
 * ATC_INV; the other fields are the command's fields for that op.
 */
struct smmu_inv_cmd {
	uint8_t op;
	uint16_t asid, vmid;
	uint64_t addr;
	unsigned num, scale, tg, ttl;
	bool leaf;
	uint32_t sid;
	bool ssv;
	uint32_t ssid;
	unsigned size_log2;     /* ATC_INV span */
};

/*
 * Where the walk sends commands: emit() adds one to the current batch of
 * that SMMU's queue, submit() issues the batch with a CMD_SYNC and waits.
 * Both return 0 or -errno.
 */
struct smmu_inv_ops {
	int (*emit)(void *opaque, struct smmu_dev *smmu,
		    const struct smmu_inv_cmd *cmd);
	int (*submit)(void *opaque, struct smmu_dev *smmu);
};

/*
 * Invalidate [iova, iova + size) of everything an array names (size 0:
 * everything).  The walk over one array; the caller is inside an RCU
 * read-side critical section.  Returns 0, -EINVAL (bad granule or range)
 * or the first error of the ops (the walk still visits every entry).
 */
int smmu_invs_walk_range(struct smmu_invs *invs, uint64_t iova, uint64_t size,
			 uint64_t granule, bool leaf,
			 const struct smmu_inv_ops *ops, void *opaque);
/* The same for the array published in *slot, taking the RCU read lock. */
int smmu_invs_inv_range(struct smmu_invs *const *slot, uint64_t iova,
			uint64_t size, uint64_t granule, bool leaf,
			const struct smmu_inv_ops *ops, void *opaque);

#endif /* SMMU_LIB_INVS_H */
