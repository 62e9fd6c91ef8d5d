/*
 * Per-domain invalidation arrays: merge, unref, purge, the per-master
 * builder, RCU publication and the invalidation walk (see invs.h).
 *
 * Concepts: merge and unref walk two sorted arrays side by side (the
 * base array's live entries on the left, a master's scratch entries on
 * the right) exactly as the kernel's for_each_cmp does: the smaller key
 * advances, equal keys advance both, an exhausted side lets the other
 * win.  Merge counts the steps first and allocates exactly that many
 * entries, so it never reallocates.  Unref never allocates: it can run on
 * a detach path that must not fail.  users and num_invs are read by
 * lock-free walkers, so they are loaded and stored atomically.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <smmu/arch.h>
#include <smmu/bits.h>

#include "dev.h"
#include "invs.h"
#include "tlbi_range.h"

/*
 * ThreadSanitizer cannot see liburcu's grace periods, so a free after one
 * looks like a race with the array's last readers and its writer.  Under
 * TSan the array's address carries the happens-before edges explicitly:
 * writers (before call_rcu) and lock-free walkers (when done) release it,
 * the deferred free acquires it.  Elsewhere these are no-ops.
 */
#if defined(__SANITIZE_THREAD__)
#define INVS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define INVS_TSAN 1
#endif
#endif
#ifdef INVS_TSAN
#include <sanitizer/tsan_interface.h>
#define invs_tsan_release(p) __tsan_release(p)
#define invs_tsan_acquire(p) __tsan_acquire(p)
#else
#define invs_tsan_release(p) ((void)(p))
#define invs_tsan_acquire(p) ((void)(p))
#endif

static int inv_users(const struct smmu_inv *inv)
{
	return __atomic_load_n(&inv->users, __ATOMIC_RELAXED);
}

static void inv_set_users(struct smmu_inv *inv, int users)
{
	__atomic_store_n(&inv->users, users, __ATOMIC_RELAXED);
}

static uint32_t invs_num(const struct smmu_invs *invs)
{
	return __atomic_load_n(&invs->num_invs, __ATOMIC_RELAXED);
}

struct smmu_invs *smmu_invs_alloc(uint32_t n)
{
	struct smmu_invs *invs;

	invs = calloc(1, sizeof(*invs) + (size_t)n * sizeof(invs->inv[0]));
	if (!invs)
		return NULL;
	if (pthread_rwlock_init(&invs->rwlock, NULL)) {
		free(invs);
		return NULL;
	}
	invs->max_invs = n;
	invs->num_invs = n;
	return invs;
}

void smmu_invs_free(struct smmu_invs *invs)
{
	if (!invs)
		return;
	pthread_rwlock_destroy(&invs->rwlock);
	free(invs);
}

static void invs_free_rcu_cb(struct rcu_head *head)
{
	void *invs = (char *)head - offsetof(struct smmu_invs, rcu);

	invs_tsan_acquire(invs);
	smmu_invs_free(invs);
}

void smmu_invs_free_rcu(struct smmu_invs *invs)
{
	if (!invs)
		return;
	invs_tsan_release(invs);
	urcu_memb_call_rcu(&invs->rcu, invs_free_rcu_cb);
}

static bool inv_type_is_ats(unsigned type)
{
	return type == SMMU_INV_ATS || type == SMMU_INV_ATS_FULL;
}

bool smmu_inv_is_ats(const struct smmu_inv *inv)
{
	return inv_type_is_ats(inv->type);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

int smmu_inv_cmp(const struct smmu_inv *a, const struct smmu_inv *b)
{
	int c = cmp_u64((uintptr_t)a->smmu, (uintptr_t)b->smmu);

	if (!c)
		c = cmp_u64(a->type, b->type);
	if (!c)
		c = cmp_u64(a->id, b->id);
	if (!c && smmu_inv_is_ats(a))
		c = cmp_u64(a->ssid, b->ssid);
	return c;
}

uint32_t smmu_invs_next_live(const struct smmu_invs *invs, uint32_t i,
			     uint32_t num)
{
	while (i < num && !inv_users(&invs->inv[i]))
		i++;
	return i;
}

/* The kernel's for_each_cmp: left = live entries of a base array. */
struct invs_pair {
	const struct smmu_invs *l, *r;
	uint32_t i, j, ln, rn;
	int cmp;
};

static void pair_compare(struct invs_pair *p)
{
	if (p->i >= p->ln)
		p->cmp = 1;
	else if (p->j >= p->rn)
		p->cmp = -1;
	else
		p->cmp = smmu_inv_cmp(&p->l->inv[p->i], &p->r->inv[p->j]);
}

static void pair_init(struct invs_pair *p, const struct smmu_invs *l,
		      const struct smmu_invs *r)
{
	p->l = l;
	p->r = r;
	p->ln = invs_num(l);
	p->rn = r->num_invs;
	p->i = smmu_invs_next_live(l, 0, p->ln);
	p->j = 0;
	pair_compare(p);
}

static bool pair_valid(const struct invs_pair *p)
{
	return p->i < p->ln || p->j < p->rn;
}

static void pair_next(struct invs_pair *p)
{
	if (p->cmp <= 0)
		p->i = smmu_invs_next_live(p->l, p->i + 1, p->ln);
	if (p->cmp >= 0)
		p->j++;
	pair_compare(p);
}

/* Live entries strictly ascending: the merge output stays sorted. */
static bool invs_sorted(const struct smmu_invs *invs)
{
	uint32_t num = invs_num(invs), i, prev = num;

	if (num > invs->max_invs)
		return false;
	smmu_invs_for_each_live(invs, num, i) {
		if (prev < num && smmu_inv_cmp(&invs->inv[prev], &invs->inv[i]) >= 0)
			return false;
		prev = i;
	}
	return true;
}

/* A scratch array has no trash: every entry must be live and ordered. */
static bool invs_dense_sorted(const struct smmu_invs *invs)
{
	for (uint32_t j = 0; j < invs->num_invs; j++)
		if (!inv_users(&invs->inv[j]))
			return false;
	return invs_sorted(invs);
}

static bool invs_any_ats(const struct smmu_invs *invs)
{
	for (uint32_t i = 0; i < invs->num_invs; i++)
		if (smmu_inv_is_ats(&invs->inv[i]))
			return true;
	return false;
}

int smmu_invs_merge(const struct smmu_invs *invs,
		    const struct smmu_invs *to_merge, struct smmu_invs **out)
{
	struct smmu_invs *merged;
	struct invs_pair p;
	uint32_t n = 0;

	if (!invs || !to_merge || !out || !invs_sorted(invs) ||
	    !invs_dense_sorted(to_merge))
		return -EINVAL;
	for (pair_init(&p, invs, to_merge); pair_valid(&p); pair_next(&p))
		n++;
	merged = smmu_invs_alloc(n);
	if (!merged)
		return -ENOMEM;
	n = 0;
	for (pair_init(&p, invs, to_merge); pair_valid(&p); pair_next(&p)) {
		struct smmu_inv *dst = &merged->inv[n++];

		if (p.cmp > 0) {
			*dst = to_merge->inv[p.j];
			dst->users = 1;
			continue;
		}
		*dst = invs->inv[p.i];
		dst->users = inv_users(&invs->inv[p.i]) + (p.cmp == 0);
	}
	merged->has_ats = invs_any_ats(merged);
	*out = merged;
	return 0;
}

/* Every entry of to_unref must be a live entry of invs. */
static bool invs_unref_balanced(const struct smmu_invs *invs,
				const struct smmu_invs *to_unref)
{
	struct invs_pair p;

	if (!invs_sorted(invs) || !invs_dense_sorted(to_unref))
		return false;
	for (pair_init(&p, invs, to_unref); pair_valid(&p); pair_next(&p))
		if (p.cmp > 0)
			return false;
	return true;
}

int smmu_invs_unref(struct smmu_invs *invs, struct smmu_invs *to_unref)
{
	uint32_t num, last_live = 0;
	struct invs_pair p;

	if (!invs || !to_unref || !invs_unref_balanced(invs, to_unref))
		return -EINVAL;
	num = invs_num(invs);
	for (pair_init(&p, invs, to_unref); pair_valid(&p); pair_next(&p)) {
		struct smmu_inv *inv = &invs->inv[p.i];
		int users;

		if (p.cmp < 0) {
			last_live = p.i + 1;
			continue;
		}
		users = inv_users(inv) - 1;
		inv_set_users(inv, users);
		inv_set_users(&to_unref->inv[p.j], users > 0);
		if (users > 0)
			last_live = p.i + 1;
		else
			invs->num_trashes++;
	}
	/* Everything past the last live entry is trash and goes now. */
	invs->num_trashes -= num - last_live;
	pthread_rwlock_wrlock(&invs->rwlock);
	__atomic_store_n(&invs->num_invs, last_live, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&invs->rwlock);
	return 0;
}

struct smmu_invs *smmu_invs_purge(const struct smmu_invs *invs)
{
	struct smmu_invs *purged;
	uint32_t num, i, n = 0;

	if (!invs)
		return NULL;
	num = invs_num(invs);
	if (!num || !invs->num_trashes || invs->num_trashes > num)
		return NULL;
	purged = smmu_invs_alloc(num - invs->num_trashes);
	if (!purged)
		return NULL;
	smmu_invs_for_each_live(invs, num, i) {
		if (n == purged->max_invs)
			break;
		purged->inv[n++] = invs->inv[i];
	}
	purged->num_invs = n;
	purged->has_ats = invs_any_ats(purged);
	return purged;
}

struct smmu_invs *smmu_invs_alloc_scratch(bool ats_capable, unsigned nsids)
{
	const uint32_t base = 2; /* the tag and an S1_CLEAR */
	struct smmu_invs *invs;

	if (ats_capable && nsids > UINT32_MAX - base)
		return NULL;
	invs = smmu_invs_alloc(base + (ats_capable ? nsids : 0));
	if (invs)
		invs->num_invs = 0;
	return invs;
}

static bool inv_tag_valid(const struct smmu_inv_tag *tag)
{
	if (!tag->smmu)
		return false;
	switch (tag->type) {
	case SMMU_INV_S1_ASID:
		return SMMU_FIELD_FITS(SMMU_CMD0_ASID, tag->id);
	case SMMU_INV_S2_VMID:
	case SMMU_INV_S2_VMID_VSMMU:
		return SMMU_FIELD_FITS(SMMU_CMD0_VMID, tag->id);
	default:
		return false;
	}
}

static bool master_desc_valid(const struct smmu_invs *scratch,
			      const struct smmu_master_invs_desc *d)
{
	uint64_t need = 1u + (d->tag.type == SMMU_INV_S2_VMID_VSMMU);

	if (!inv_tag_valid(&d->tag))
		return false;
	if (!d->ats)
		return need <= scratch->max_invs;
	if ((d->nsids && !d->sids) || !SMMU_FIELD_FITS(SMMU_CMD0_SSID, d->ssid))
		return false;
	for (unsigned k = 1; k < d->nsids; k++)
		if (d->sids[k - 1] >= d->sids[k])
			return false;
	return need + d->nsids <= scratch->max_invs;
}

static struct smmu_inv master_tag_inv(const struct smmu_master_invs_desc *d)
{
	const struct smmu_features *feat = &d->tag.smmu->feat;
	struct smmu_inv inv = {
		.smmu = d->tag.smmu, .type = (uint8_t)d->tag.type,
		.id = d->tag.id, .users = 1,
	};

	if (d->tag.type == SMMU_INV_S1_ASID) {
		inv.size_opcode = feat->e2h ? SMMU_CMD_TLBI_EL2_VA : SMMU_CMD_TLBI_NH_VA;
		inv.nsize_opcode = feat->e2h ? SMMU_CMD_TLBI_EL2_ASID :
					       SMMU_CMD_TLBI_NH_ASID;
	} else {
		inv.size_opcode = SMMU_CMD_TLBI_S2_IPA;
		inv.nsize_opcode = SMMU_CMD_TLBI_S12_VMALL;
	}
	if (feat->ril && d->pgsize_bitmap)
		inv.pgsize = (uint32_t)__builtin_ctzll(d->pgsize_bitmap);
	return inv;
}

int smmu_invs_build_master(struct smmu_invs *scratch,
			   const struct smmu_master_invs_desc *d)
{
	struct smmu_inv *inv;
	uint32_t n = 0;

	if (!scratch || !d || !master_desc_valid(scratch, d))
		return -EINVAL;
	inv = scratch->inv;
	inv[n++] = master_tag_inv(d);
	if (d->tag.type == SMMU_INV_S2_VMID_VSMMU)
		inv[n++] = (struct smmu_inv){
			.smmu = d->tag.smmu, .type = SMMU_INV_S2_VMID_S1_CLEAR,
			.size_opcode = SMMU_CMD_TLBI_NH_ALL,
			.nsize_opcode = SMMU_CMD_TLBI_NH_ALL,
			.id = d->tag.id, .users = 1,
		};
	for (unsigned k = 0; d->ats && k < d->nsids; k++)
		inv[n++] = (struct smmu_inv){
			.smmu = d->tag.smmu,
			.type = d->nest_parent ? SMMU_INV_ATS_FULL : SMMU_INV_ATS,
			.size_opcode = SMMU_CMD_ATC_INV,
			.nsize_opcode = SMMU_CMD_ATC_INV,
			.id = d->sids[k],
			.ssid = d->nest_parent ? 0 : d->ssid,
			.users = 1,
		};
	scratch->num_invs = n;
	scratch->num_trashes = 0;
	scratch->has_ats = d->ats && d->nsids;
	return 0;
}

/*
 * The pointer itself is published with C11 release/acquire: the same
 * ordering rcu_assign_pointer()/rcu_dereference() give, but visible to
 * ThreadSanitizer, which cannot see liburcu's asm barriers.  Grace
 * periods and deferred frees are liburcu's.
 */
struct smmu_invs *smmu_invs_deref(struct smmu_invs *const *slot)
{
	return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

void smmu_invs_publish(struct smmu_invs **slot, struct smmu_invs *new_invs)
{
	struct smmu_invs *old = __atomic_load_n(slot, __ATOMIC_RELAXED);

	__atomic_store_n(slot, new_invs, __ATOMIC_RELEASE);
	smmu_invs_free_rcu(old);
}

/*
 * The invalidation walk (the kernel's __arm_smmu_domain_inv_range).
 *
 * Commands for consecutive entries of one SMMU share a batch; a batch is
 * submitted (with its CMD_SYNC) when the SMMU changes, before the first
 * nested-S1 clear (the S2 TLBI must complete first), before the first
 * ATC_INV (the ATC may refill from the IOTLB until the TLBIs complete),
 * and after the last entry.  An S1_CLEAR is skipped when the S2 entry
 * used its tag-wide form: TLBI_S12_VMALL already removed stage-1 entries.
 */
struct inv_walk {
	const struct smmu_inv_ops *ops;
	void *opaque;
	const struct smmu_inv *inv;
	uint64_t iova, size, granule;
	bool leaf;
	unsigned pending;   /* commands emitted since the last submit */
	int err;
};

static void walk_emit(struct inv_walk *w, const struct smmu_inv_cmd *cmd)
{
	int ret = w->ops->emit(w->opaque, w->inv->smmu, cmd);

	if (ret && !w->err)
		w->err = ret;
	w->pending++;
}

static void walk_submit(struct inv_walk *w, struct smmu_dev *smmu)
{
	int ret;

	if (!w->pending)
		return;
	ret = w->ops->submit(w->opaque, smmu);
	if (ret && !w->err)
		w->err = ret;
	w->pending = 0;
}

/* Past this many granules a per-page flood costs more than a full flush. */
static bool inv_size_too_big(const struct smmu_dev *smmu, uint64_t size,
			     uint64_t granule)
{
	if (!size || size == UINT64_MAX)
		return true;
	if (smmu->feat.ril)
		return false;
	return size >= (granule >> SMMU_PTE_SIZE_LOG2) * granule;
}

/* The TLBI template of a tag entry: S1 ASIDs always go with VMID 0. */
static struct smmu_inv_cmd walk_tag_cmd(const struct smmu_inv *inv, uint8_t op)
{
	struct smmu_inv_cmd cmd = { .op = op };

	if (inv->type == SMMU_INV_S1_ASID)
		cmd.asid = (uint16_t)inv->id;
	else
		cmd.vmid = (uint16_t)inv->id;
	return cmd;
}

static int walk_range_cb(void *opaque, const struct smmu_tlbi_range *r)
{
	struct inv_walk *w = opaque;
	struct smmu_inv_cmd cmd = walk_tag_cmd(w->inv, w->inv->size_opcode);

	cmd.addr = r->addr;
	cmd.num = r->num;
	cmd.scale = r->scale;
	cmd.tg = r->tg;
	cmd.ttl = r->ttl;
	cmd.leaf = r->leaf;
	walk_emit(w, &cmd);
	return 0;
}

static void walk_tlbi(struct inv_walk *w)
{
	const struct smmu_inv *inv = w->inv;
	struct smmu_tlbi_range_req req = {
		.iova = w->iova, .size = w->size, .granule = w->granule,
		.pgsize_log2 = inv->pgsize, .ril = inv->smmu->feat.ril,
		.leaf = w->leaf,
	};
	struct smmu_inv_cmd all = walk_tag_cmd(inv, inv->nsize_opcode);

	if (inv_size_too_big(inv->smmu, w->size, w->granule)) {
		walk_emit(w, &all);
		return;
	}
	/* A range RIL cannot express (no page size): flushing the tag is safe. */
	if (smmu_tlbi_range_expand(&req, walk_range_cb, w) == -EINVAL)
		walk_emit(w, &all);
}

static void walk_atc(struct inv_walk *w, bool full)
{
	const struct smmu_inv *inv = w->inv;
	struct smmu_atc_span span = smmu_atc_inv_span(w->iova, full ? 0 : w->size);
	struct smmu_inv_cmd cmd = {
		.op = inv->size_opcode, .sid = inv->id,
		.ssv = !full && inv->ssid != 0, .ssid = full ? 0 : inv->ssid,
		.addr = span.addr, .size_log2 = span.size_log2,
	};

	walk_emit(w, &cmd);
}

static void walk_entry(struct inv_walk *w)
{
	const struct smmu_inv *inv = w->inv;
	struct smmu_inv_cmd clear;

	switch (inv->type) {
	case SMMU_INV_S1_ASID:
	case SMMU_INV_S2_VMID:
	case SMMU_INV_S2_VMID_VSMMU:
		walk_tlbi(w);
		break;
	case SMMU_INV_S2_VMID_S1_CLEAR:
		if (inv_size_too_big(inv->smmu, w->size, w->granule))
			break;
		clear = walk_tag_cmd(inv, inv->nsize_opcode);
		walk_emit(w, &clear);
		break;
	case SMMU_INV_ATS:
		walk_atc(w, false);
		break;
	case SMMU_INV_ATS_FULL:
		walk_atc(w, true);
		break;
	}
}

static bool walk_end_batch(const struct smmu_inv *cur, const struct smmu_inv *next)
{
	if (cur->smmu != next->smmu)
		return true;
	if (next->type == SMMU_INV_S2_VMID_S1_CLEAR &&
	    cur->type != SMMU_INV_S2_VMID_S1_CLEAR)
		return true;
	return smmu_inv_is_ats(next) && !smmu_inv_is_ats(cur);
}

static bool walk_args_valid(uint64_t iova, uint64_t size, uint64_t granule)
{
	if (!size || size == UINT64_MAX)
		return true;
	return smmu_is_pow2(granule) && granule >= (UINT64_C(1) << SMMU_GRANULE_4K_LOG2) &&
	       iova + size > iova;
}

int smmu_invs_walk_range(struct smmu_invs *invs, uint64_t iova, uint64_t size,
			 uint64_t granule, bool leaf,
			 const struct smmu_inv_ops *ops, void *opaque)
{
	struct inv_walk w = {
		.ops = ops, .opaque = opaque, .iova = iova, .size = size,
		.granule = granule, .leaf = leaf,
	};
	uint32_t num, i, next;

	if (!invs || !ops || !ops->emit || !ops->submit ||
	    !walk_args_valid(iova, size, granule))
		return -EINVAL;
	/* Our page-table write before the array load (pairs with attach). */
	atomic_thread_fence(memory_order_seq_cst);
	if (invs->has_ats)
		pthread_rwlock_rdlock(&invs->rwlock);
	num = invs_num(invs);
	for (i = smmu_invs_next_live(invs, 0, num); i < num; i = next) {
		w.inv = &invs->inv[i];
		walk_entry(&w);
		next = smmu_invs_next_live(invs, i + 1, num);
		if (next >= num || walk_end_batch(w.inv, &invs->inv[next]))
			walk_submit(&w, w.inv->smmu);
	}
	if (invs->has_ats)
		pthread_rwlock_unlock(&invs->rwlock);
	invs_tsan_release(invs);
	return w.err;
}

int smmu_invs_inv_range(struct smmu_invs *const *slot, uint64_t iova,
			uint64_t size, uint64_t granule, bool leaf,
			const struct smmu_inv_ops *ops, void *opaque)
{
	int ret;

	if (!slot)
		return -EINVAL;
	urcu_memb_read_lock();
	ret = smmu_invs_walk_range(smmu_invs_deref(slot), iova, size, granule,
				   leaf, ops, opaque);
	urcu_memb_read_unlock();
	return ret;
}

/* ---- the command-queue backend ---------------------------------------- */

static bool inv_op_is_range(uint8_t op)
{
	return op == SMMU_CMD_TLBI_NH_VA || op == SMMU_CMD_TLBI_EL2_VA ||
	       op == SMMU_CMD_TLBI_S2_IPA;
}

int smmu_inv_cmd_encode(const struct smmu_inv_cmd *c, struct smmu_cmd *out)
{
	if (!c || !out)
		return -EINVAL;
	if (c->op == SMMU_CMD_ATC_INV)
		return smmu_cmd_atc_inv(out, c->sid, c->ssv, c->ssid, c->addr,
					c->size_log2);
	if (inv_op_is_range(c->op))
		return smmu_cmd_tlbi_range(out, c->op, c->asid, c->vmid, c->addr,
					   c->leaf, c->tg, c->ttl, c->num,
					   c->scale);
	return smmu_cmd_tlbi_tag(out, c->op, c->asid, c->vmid);
}

static int invs_cmdq_emit(void *opaque, struct smmu_dev *smmu,
			  const struct smmu_inv_cmd *c)
{
	struct smmu_invs_cmdq *q = opaque;
	struct smmu_cmd cmd;
	int ret = smmu_inv_cmd_encode(c, &cmd);

	return ret ? ret : smmu_cmdq_batch_add(smmu, &q->batch, &cmd);
}

static int invs_cmdq_submit(void *opaque, struct smmu_dev *smmu)
{
	struct smmu_invs_cmdq *q = opaque;

	return smmu_cmdq_batch_submit(smmu, &q->batch);
}

const struct smmu_inv_ops smmu_invs_cmdq_ops = {
	.emit = invs_cmdq_emit,
	.submit = invs_cmdq_submit,
};

int smmu_invs_inv_range_cmdq(struct smmu_invs *const *slot, uint64_t iova,
			     uint64_t size, uint64_t granule, bool leaf)
{
	struct smmu_invs_cmdq q;

	smmu_cmdq_batch_init(&q.batch);
	return smmu_invs_inv_range(slot, iova, size, granule, leaf,
				   &smmu_invs_cmdq_ops, &q);
}
