/*
 * Masters: stream ID ownership, and attach/detach of SSID 0 and PASIDs
 * following the kernel's order (see master.h, linux-driver.md 1.10).
 *
 * Concepts: one struct attach_state carries an attachment change from
 * prepare to commit.  Prepare takes the IOTLB tag (reusing the domain's
 * on this SMMU when it has one), builds the master's entries into the
 * scratch array and merges them into a new array for the domain, makes
 * sure the CD table and its leaf exist when a CD will be written, and
 * finally rebuilds the scratch array as the old attachment's entries
 * (those it merged then), ready for the unref; on error it gives back
 * what it took, and nothing visible has changed.  The new array is
 * published before the STE or CD points at the domain, so an unmap racing
 * with the attach invalidates the new tag; the old domain keeps
 * invalidating for the master until commit, after the entries switched.
 * ATS: the STE enables it (EATS) whenever the master is ATS-capable and a
 * paging domain or a PASID is attached; the ATC is wiped for every SID
 * before the first such STE, and the ATS entries live in the arrays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>
#include <smmu/arch.h>

#include "cd.h"
#include "cdtab.h"
#include "cmdq.h"
#include "domain.h"
#include "log.h"
#include "master.h"
#include "pgtable.h"
#include "ste.h"
#include "strtab.h"
#include "tags.h"

struct sid_owner {
	RB_ENTRY(sid_owner) node;
	uint32_t sid;
	struct smmu_master *master;
};

static int sid_owner_cmp(const struct sid_owner *a, const struct sid_owner *b)
{
	return a->sid < b->sid ? -1 : a->sid > b->sid;
}

RB_HEAD(sid_tree, sid_owner);
RB_GENERATE_INTERNAL(sid_tree, sid_owner, node, sid_owner_cmp,
		     static __attribute__((unused)))

struct smmu_sid_owners {
	struct sid_tree root;
};

struct pasid_attach {
	LIST_ENTRY(pasid_attach) link;
	uint32_t ssid;
	struct smmu_domain *domain;
};

struct smmu_master {
	struct smmu_dev *dev;
	uint32_t *sids;                 /* ascending */
	unsigned num_sids;
	struct sid_owner *owners;       /* one per SID */
	unsigned ssid_bits;
	bool ats_capable, stall;
	bool ats_enabled;               /* the STEs have EATS set */
	struct smmu_invs *scratch;
	struct smmu_cdtab *cdtab;       /* made on first use */
	struct smmu_cd_inv_sids cd_inv;
	struct smmu_domain *domain;     /* SSID 0; NULL: blocked */
	LIST_HEAD(, pasid_attach) pasids;
	unsigned num_pasids;
};

struct attach_state {
	struct smmu_master *master;
	uint32_t ssid;
	struct smmu_domain *new_dom, *old_dom;  /* NULL: blocked */
	struct smmu_inv_tag new_tag, old_tag;
	bool new_tagged, old_tagged, fresh_tag;
	struct smmu_invs *new_invs;             /* merged, not yet published */
	bool made_cdtab;
	struct pasid_attach *pasid;             /* the PASID's record */
	bool new_pasid;                         /* made by this attach */
};

/* ---- Probe/remove hooks ------------------------------------------------- */

int smmu_attach_dev_init(struct smmu_dev *dev)
{
	int ret;

	dev->masters = calloc(1, sizeof(*dev->masters));
	if (!dev->masters)
		return -ENOMEM;
	RB_INIT(&dev->masters->root);
	ret = smmu_tags_dev_init(dev);
	if (ret) {
		free(dev->masters);
		dev->masters = NULL;
	}
	return ret;
}

void smmu_attach_dev_fini(struct smmu_dev *dev)
{
	if (dev->masters && !RB_EMPTY(&dev->masters->root))
		smmu_warn(dev, "removed with masters still added");
	/* No invalidation walk may still use an array naming this SMMU. */
	urcu_memb_synchronize_rcu();
	free(dev->masters);
	dev->masters = NULL;
	smmu_tags_dev_fini(dev);
}

/* ---- Small helpers --------------------------------------------------------- */

static bool master_ats_supported(const struct smmu_master *m)
{
	return m->ats_capable && m->dev->feat.ats;
}

static bool dom_paging(const struct smmu_domain *d)
{
	return d && smmu_domain_is_paging(d);
}

static bool dom_is(const struct smmu_domain *d, enum smmu_domain_type type)
{
	return d ? d->type == type : type == SMMU_DOMAIN_BLOCKED;
}

static struct pasid_attach *pasid_find(struct smmu_master *m, uint32_t ssid)
{
	struct pasid_attach *p;

	LIST_FOREACH(p, &m->pasids, link)
		if (p->ssid == ssid)
			return p;
	return NULL;
}

static int build_master_invs(struct smmu_master *m, struct smmu_domain *d,
			     uint32_t ssid, const struct smmu_inv_tag *tag)
{
	struct smmu_domain *owner = smmu_domain_devices(d);
	const struct smmu_master_invs_desc desc = {
		.tag = *tag,
		.pgsize_bitmap = owner->pgsize_bitmap,
		.nest_parent = owner->nest_parent,
		.ats = master_ats_supported(m),
		.ssid = ssid,
		.sids = m->sids,
		.nsids = m->num_sids,
	};

	return smmu_invs_build_master(m->scratch, &desc);
}

/* ---- Entry builders --------------------------------------------------------- */

static int make_s1_cd(const struct smmu_master *m, struct smmu_domain *d,
		      uint16_t asid, struct smmu_cd *cd)
{
	struct smmu_pgtable_s1_tcr tcr;
	struct smmu_cd_s1_cfg cfg;
	int ret = smmu_pgtable_s1_tcr(d->pgtable, &tcr);

	if (ret)
		return ret;
	cfg = (struct smmu_cd_s1_cfg){
		.tcr = { .tsz = tcr.t0sz, .tg = tcr.tg0, .irgn = tcr.irgn0,
			 .orgn = tcr.orgn0, .sh = tcr.sh0, .ips = tcr.ips },
		.ttbr = tcr.ttbr, .mair = tcr.mair, .asid = asid, .stall = m->stall,
	};
	return smmu_cd_make_s1(&m->dev->feat, &cfg, cd);
}

static int s2_cfg(const struct smmu_master *m, struct smmu_domain *d,
		  uint16_t vmid, bool ats, struct smmu_ste_s2_cfg *cfg)
{
	struct smmu_pgtable_s2_vtcr v;
	int ret = smmu_pgtable_s2_vtcr(d->pgtable, &v);

	if (ret)
		return ret;
	*cfg = (struct smmu_ste_s2_cfg){
		.vtcr = { .tsz = v.t0sz, .sl = v.sl0, .irgn = v.irgn0,
			  .orgn = v.orgn0, .sh = v.sh0, .tg = v.tg, .ps = v.ps },
		.vttbr = v.vttbr, .vmid = vmid, .ats = ats, .stall = m->stall,
	};
	return 0;
}

static int make_cdtab_ste(const struct smmu_master *m, unsigned s1dss, bool ats,
			  struct smmu_ste *ste)
{
	struct smmu_ste_cdtab_cfg cfg = { .s1dss = s1dss, .ats = ats, .stall = m->stall };

	smmu_cdtab_ste_cfg(m->cdtab, &cfg);
	return smmu_ste_make_cdtable(&m->dev->feat, &cfg, ste);
}

/* A nested domain: the guest's choice, over its vSMMU's stage 2. */
static int make_nested_ste(const struct smmu_master *m, struct smmu_domain *d,
			   bool ats, struct smmu_ste *ste)
{
	const struct smmu_features *feat = &m->dev->feat;
	unsigned config = (unsigned)SMMU_FIELD_GET(SMMU_STE0_CONFIG, d->guest_ste[0]);
	struct smmu_ste_s2_cfg s2;
	struct smmu_ste_cdtab_cfg s1;
	int ret;

	if (!(d->guest_ste[0] & SMMU_STE0_V) || config == SMMU_STE_CFG_ABORT)
		return smmu_ste_make_abort(ste);
	ret = s2_cfg(m, d->vsmmu->s2_parent, (uint16_t)d->vsmmu->vmid, ats, &s2);
	if (ret || config == SMMU_STE_CFG_BYPASS)
		return ret ? ret : smmu_ste_make_s2(feat, &s2, ste);
	s1 = (struct smmu_ste_cdtab_cfg){
		.cdtab_bus = d->guest_ste[0] & SMMU_STE0_S1CTXPTR,
		.s1fmt = (unsigned)SMMU_FIELD_GET(SMMU_STE0_S1FMT, d->guest_ste[0]),
		.s1cdmax = (unsigned)SMMU_FIELD_GET(SMMU_STE0_S1CDMAX, d->guest_ste[0]),
		.s1dss = (unsigned)SMMU_FIELD_GET(SMMU_STE1_S1DSS, d->guest_ste[1]),
		.ats = ats, .stall = m->stall,
	};
	return smmu_ste_make_nested(feat, &s1, &s2, ste);
}

/* The STE for the master's SSID-0 domain d and its PASIDs. */
static int make_master_ste(const struct smmu_master *m, struct smmu_domain *d,
			   uint32_t tag_id, bool ats, struct smmu_ste *ste)
{
	struct smmu_ste_s2_cfg s2;
	bool pasids = m->num_pasids != 0;
	int ret;

	switch (d ? d->type : SMMU_DOMAIN_BLOCKED) {
	case SMMU_DOMAIN_S1:
		return make_cdtab_ste(m, SMMU_S1DSS_SSID0, ats, ste);
	case SMMU_DOMAIN_S2:
		ret = s2_cfg(m, d, (uint16_t)tag_id, ats, &s2);
		return ret ? ret : smmu_ste_make_s2(&m->dev->feat, &s2, ste);
	case SMMU_DOMAIN_NESTED:
		return make_nested_ste(m, d, ats, ste);
	case SMMU_DOMAIN_IDENTITY:
		return pasids ? make_cdtab_ste(m, SMMU_S1DSS_BYPASS, ats, ste) :
				smmu_ste_make_bypass(&m->dev->feat, ste);
	default:
		return pasids ? make_cdtab_ste(m, SMMU_S1DSS_TERMINATE, ats, ste) :
				smmu_ste_make_abort(ste);
	}
}

/* ---- ATS --------------------------------------------------------------------- */

static bool master_wants_ats(const struct smmu_master *m)
{
	return master_ats_supported(m) && (dom_paging(m->domain) || m->num_pasids);
}

/* Wipe each SID's ATC whole before the STEs let the device use ATS. */
static int master_atc_inv_all(struct smmu_master *m)
{
	struct smmu_cmdq_batch batch;
	struct smmu_cmd cmd;
	int ret;

	smmu_cmdq_batch_init(&batch);
	for (unsigned i = 0; i < m->num_sids; i++) {
		ret = smmu_cmd_atc_inv(&cmd, m->sids[i], false, 0, 0,
				       SMMU_ATC_INV_SIZE_ALL);
		if (!ret)
			ret = smmu_cmdq_batch_add(m->dev, &batch, &cmd);
		if (ret)
			return ret;
	}
	return smmu_cmdq_batch_submit(m->dev, &batch);
}

/* ---- The state machine ------------------------------------------------------- */

static bool needs_cd(const struct attach_state *st)
{
	return st->ssid || dom_is(st->new_dom, SMMU_DOMAIN_S1);
}

/* Make the CD table, and the leaf of the SSID, exist (may allocate). */
static int prepare_cd(struct attach_state *st)
{
	static const struct smmu_cd invalid;
	struct smmu_master *m = st->master;
	const uint64_t *cd;
	int ret;

	if (!m->cdtab) {
		ret = smmu_cdtab_new(m->dev, m->ssid_bits,
				     &(struct smmu_cdtab_inv){ smmu_cd_inv_sids, &m->cd_inv },
				     &m->cdtab);
		if (ret)
			return ret;
		st->made_cdtab = true;
	}
	ret = smmu_cdtab_get_cd(m->cdtab, st->ssid, &cd);
	/* Writing an invalid CD over an invalid one only allocates the leaf. */
	if (ret == -ENOENT)
		ret = smmu_cdtab_write_cd(m->cdtab, st->ssid, &invalid);
	return ret;
}

static int prepare_new(struct attach_state *st)
{
	struct smmu_master *m = st->master;
	struct smmu_domain *owner;
	int ret;

	if (!dom_paging(st->new_dom))
		return 0;
	ret = smmu_alloc_iotlb_tag(st->new_dom, m->dev, &st->new_tag, &st->fresh_tag);
	if (ret)
		return ret;
	st->new_tagged = true;
	ret = build_master_invs(m, st->new_dom, st->ssid, &st->new_tag);
	if (ret)
		return ret;
	owner = smmu_domain_devices(st->new_dom);
	return smmu_invs_merge(smmu_invs_deref(&owner->invs), m->scratch,
			       &st->new_invs);
}

/* The old attachment's entries, exactly as they were merged. */
static int prepare_old(struct attach_state *st)
{
	struct smmu_master *m = st->master;
	int ret;

	if (!dom_paging(st->old_dom))
		return 0;
	ret = smmu_find_iotlb_tag(st->old_dom, m->dev, &st->old_tag);
	if (ret) {
		smmu_err(m->dev, "attached domain has no tag on this SMMU");
		return -EINVAL;
	}
	st->old_tagged = true;
	return build_master_invs(m, st->old_dom, st->ssid, &st->old_tag);
}

static void prepare_undo(struct attach_state *st)
{
	struct smmu_master *m = st->master;

	smmu_invs_free(st->new_invs);
	st->new_invs = NULL;
	/* No STE or CD ever held a fresh tag: no flush needed. */
	if (st->fresh_tag)
		smmu_iotlb_tag_release(&st->new_tag);
	if (st->made_cdtab) {
		smmu_cdtab_free(m->cdtab);
		m->cdtab = NULL;
	}
	if (st->new_pasid)
		free(st->pasid);
}

static int attach_prepare(struct attach_state *st)
{
	struct smmu_master *m = st->master;
	int ret = 0;

	if (st->ssid && !st->pasid) {
		st->pasid = calloc(1, sizeof(*st->pasid));
		if (!st->pasid)
			return -ENOMEM;
		st->pasid->ssid = st->ssid;
		st->new_pasid = true;
	}
	ret = prepare_new(st);
	if (!ret && (needs_cd(st) || (!st->ssid && m->num_pasids)))
		ret = prepare_cd(st);
	if (!ret)
		ret = prepare_old(st);
	if (ret)
		prepare_undo(st);
	return ret;
}

static void install_new_invs(struct attach_state *st)
{
	if (st->new_invs)
		smmu_invs_publish(&smmu_domain_devices(st->new_dom)->invs, st->new_invs);
	if (st->new_dom)
		st->new_dom->refs++;
}

/* The CD at the SSID: the new stage-1 domain's, or none for a PASID. */
static int write_cd(struct attach_state *st)
{
	struct smmu_master *m = st->master;
	struct smmu_cd cd;
	int ret;

	if (dom_is(st->new_dom, SMMU_DOMAIN_S1)) {
		ret = make_s1_cd(m, st->new_dom, (uint16_t)st->new_tag.id, &cd);
		return ret ? ret : smmu_cdtab_write_cd(m->cdtab, st->ssid, &cd);
	}
	return st->ssid ? smmu_cdtab_clear_cd(m->cdtab, st->ssid) : 0;
}

/* The master's own record of the attachment (the STE depends on it). */
static void record_attachment(struct attach_state *st)
{
	struct smmu_master *m = st->master;

	if (!st->ssid) {
		m->domain = st->new_dom;
	} else if (!st->new_dom) {
		LIST_REMOVE(st->pasid, link);
		m->num_pasids--;
		free(st->pasid);
	} else {
		st->pasid->domain = st->new_dom;
		if (st->new_pasid) {
			LIST_INSERT_HEAD(&m->pasids, st->pasid, link);
			m->num_pasids++;
		}
	}
}

/*
 * Every STE of the master for its current state.  The ATC is wiped before
 * EATS lets the device use ATS, and again once ATS is turned off (the
 * kernel's arm_smmu_disable_ats): translations it cached while enabled
 * must not outlive the domain they came from.
 */
static int write_stes(struct smmu_master *m, uint32_t tag_id)
{
	bool ats = master_wants_ats(m), was_enabled = m->ats_enabled;
	struct smmu_ste target;
	int ret = 0, err;

	if (ats && !was_enabled)
		ret = master_atc_inv_all(m);
	err = make_master_ste(m, m->domain, tag_id, ats, &target);
	if (!err)
		err = smmu_ste_install_sids(m->dev, m->sids, m->num_sids, &target);
	m->ats_enabled = ats;
	if (!ats && was_enabled)
		ret = master_atc_inv_all(m);
	return ret ? ret : err;
}

/*
 * CD, bookkeeping, STEs; then CD 0 is cleared if no longer used.  A sync
 * failure does not stop the sequence: memory reaches the target anyway.
 */
static int write_entries(struct attach_state *st)
{
	struct smmu_master *m = st->master;
	int ret = write_cd(st), err;

	record_attachment(st);
	err = write_stes(m, st->ssid ? 0 : st->new_tag.id);
	ret = ret ? ret : err;
	if (!st->ssid && !dom_is(m->domain, SMMU_DOMAIN_S1) && m->cdtab) {
		err = smmu_cdtab_clear_cd(m->cdtab, 0);
		ret = ret ? ret : err;
	}
	return ret;
}

static void attach_commit(struct attach_state *st)
{
	struct smmu_master *m = st->master;
	struct smmu_domain *owner;
	struct smmu_invs *invs, *purged;

	if (st->old_dom)
		st->old_dom->refs--;
	if (!st->old_tagged)
		return;
	owner = smmu_domain_devices(st->old_dom);
	invs = smmu_invs_deref(&owner->invs);
	if (smmu_invs_unref(invs, m->scratch)) {
		smmu_err(m->dev, "unbalanced detach: array left as it was");
		return;
	}
	if (m->scratch->inv[0].users == 0)
		smmu_iotlb_tag_free(&st->old_tag);
	purged = smmu_invs_purge(invs);
	if (purged)
		smmu_invs_publish(&owner->invs, purged);
}

/*
 * Move one attachment (SSID 0 or a PASID) of m to new_dom (NULL: blocked
 * for SSID 0, detached for a PASID).  Caller holds the attach lock and
 * has validated the request.
 */
static int master_set_domain(struct smmu_master *m, uint32_t ssid,
			     struct smmu_domain *new_dom)
{
	struct attach_state st = { .master = m, .ssid = ssid, .new_dom = new_dom };
	int ret;

	if (ssid) {
		st.pasid = pasid_find(m, ssid);
		st.old_dom = st.pasid ? st.pasid->domain : NULL;
	} else {
		st.old_dom = m->domain;
	}
	if (st.old_dom == new_dom)
		return 0;
	ret = attach_prepare(&st);
	if (ret)
		return ret;
	install_new_invs(&st);
	ret = write_entries(&st);
	attach_commit(&st);
	return ret;
}

/* ---- Validation ---------------------------------------------------------------- */

static int check_attach(const struct smmu_master *m, uint32_t ssid,
			const struct smmu_domain *d)
{
	if (!smmu_domain_can_share(d, m->dev)) {
		smmu_warn(m->dev, "domain of type %d cannot be used on this SMMU",
			  (int)d->type);
		return -EINVAL;
	}
	if (ssid) {
		if (d->type != SMMU_DOMAIN_S1 || (ssid >> m->ssid_bits) ||
		    !m->dev->feat.trans_s1)
			return -EINVAL;
		/* PASIDs need the CD-table STE: an S2 or nested SSID 0 has none. */
		if (dom_is(m->domain, SMMU_DOMAIN_S2) || dom_is(m->domain, SMMU_DOMAIN_NESTED))
			return -EBUSY;
		return 0;
	}
	if (m->num_pasids && (d->type == SMMU_DOMAIN_S2 || d->type == SMMU_DOMAIN_NESTED))
		return -EBUSY;
	return 0;
}

int smmu_master_attach(struct smmu_master *m, struct smmu_domain *d)
{
	int ret;

	if (!m || !d)
		return -EINVAL;
	smmu_attach_lock(m->dev->tags);
	ret = check_attach(m, 0, d);
	if (!ret)
		ret = master_set_domain(m, 0, d);
	smmu_attach_unlock(m->dev->tags);
	return ret;
}

int smmu_master_attach_pasid(struct smmu_master *m, uint32_t ssid,
			     struct smmu_domain *d)
{
	int ret;

	if (!m || !d || !ssid)
		return -EINVAL;
	smmu_attach_lock(m->dev->tags);
	ret = check_attach(m, ssid, d);
	if (!ret)
		ret = master_set_domain(m, ssid, d);
	smmu_attach_unlock(m->dev->tags);
	return ret;
}

int smmu_master_detach_pasid(struct smmu_master *m, uint32_t ssid)
{
	int ret = -ENOENT;

	if (!m || !ssid)
		return -EINVAL;
	smmu_attach_lock(m->dev->tags);
	if (pasid_find(m, ssid))
		ret = master_set_domain(m, ssid, NULL);
	smmu_attach_unlock(m->dev->tags);
	return ret;
}

struct smmu_domain *smmu_master_domain(const struct smmu_master *m)
{
	return m ? m->domain : NULL;
}

/* ---- Add and remove -------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool sid_fits(struct smmu_dev *dev, uint32_t sid)
{
	unsigned bits = smmu_strtab_sid_bits(dev);

	return bits >= 32 || (sid >> bits) == 0;
}

static int check_master_config(struct smmu_dev *dev,
			       const struct smmu_master_config *cfg)
{
	if (!cfg->sids || !cfg->num_sids ||
	    !smmu_stall_cfg_valid(&dev->feat, cfg->stall))
		return -EINVAL;
	for (unsigned i = 0; i < cfg->num_sids; i++)
		if (!sid_fits(dev, cfg->sids[i]))
			return -EINVAL;
	return 0;
}

/* Sorted, without duplicates, each SID free: claim them all or none. */
static int claim_sids(struct smmu_master *m)
{
	struct sid_tree *root = &m->dev->masters->root;

	for (unsigned i = 1; i < m->num_sids; i++)
		if (m->sids[i] == m->sids[i - 1])
			return -EINVAL;
	for (unsigned i = 0; i < m->num_sids; i++)
		if (RB_FIND(sid_tree, root, &(struct sid_owner){ .sid = m->sids[i] }))
			return -EBUSY;
	for (unsigned i = 0; i < m->num_sids; i++) {
		m->owners[i] = (struct sid_owner){ .sid = m->sids[i], .master = m };
		RB_INSERT(sid_tree, root, &m->owners[i]);
	}
	return 0;
}

static void release_sids(struct smmu_master *m)
{
	for (unsigned i = 0; i < m->num_sids; i++)
		RB_REMOVE(sid_tree, &m->dev->masters->root, &m->owners[i]);
}

static void master_free(struct smmu_master *m)
{
	smmu_cdtab_free(m->cdtab);
	smmu_invs_free(m->scratch);
	free(m->owners);
	free(m->sids);
	free(m);
}

static struct smmu_master *master_new(struct smmu_dev *dev,
				      const struct smmu_master_config *cfg)
{
	struct smmu_master *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->dev = dev;
	m->num_sids = cfg->num_sids;
	m->ssid_bits = cfg->ssid_bits;
	m->ats_capable = cfg->ats;
	m->stall = cfg->stall;
	LIST_INIT(&m->pasids);
	m->sids = malloc(cfg->num_sids * sizeof(*m->sids));
	m->owners = calloc(cfg->num_sids, sizeof(*m->owners));
	m->scratch = smmu_invs_alloc_scratch(master_ats_supported(m), cfg->num_sids);
	if (!m->sids || !m->owners || !m->scratch) {
		master_free(m);
		return NULL;
	}
	memcpy(m->sids, cfg->sids, cfg->num_sids * sizeof(*m->sids));
	qsort(m->sids, m->num_sids, sizeof(*m->sids), cmp_u32);
	m->cd_inv = (struct smmu_cd_inv_sids){ dev, m->sids, m->num_sids };
	return m;
}

/* Leaves for every SID (2-level stream table); a new leaf is all abort. */
static int ensure_stes(struct smmu_master *m)
{
	for (unsigned i = 0; i < m->num_sids; i++) {
		int ret = smmu_strtab_ensure(m->dev, m->sids[i]);

		if (ret)
			return ret;
	}
	return 0;
}

int smmu_master_add(struct smmu_dev *dev, const struct smmu_master_config *cfg,
		    struct smmu_master **out)
{
	struct smmu_master *m;
	int ret;

	if (!dev || !cfg || !out || !dev->masters)
		return -EINVAL;
	ret = check_master_config(dev, cfg);
	if (ret) {
		smmu_warn(dev, "master: bad stream IDs or stall setting");
		return ret;
	}
	m = master_new(dev, cfg);
	if (!m)
		return -ENOMEM;
	smmu_attach_lock(dev->tags);
	ret = claim_sids(m);
	if (!ret) {
		ret = ensure_stes(m);
		if (ret)
			release_sids(m);
	}
	smmu_attach_unlock(dev->tags);
	if (ret) {
		master_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

void smmu_master_remove(struct smmu_master *m)
{
	struct pasid_attach *p, *tmp;

	if (!m)
		return;
	smmu_attach_lock(m->dev->tags);
	LIST_FOREACH_SAFE(p, &m->pasids, link, tmp)
		master_set_domain(m, p->ssid, NULL);
	master_set_domain(m, 0, NULL);
	/* Only a broken invariant leaves a PASID behind: forget it anyway. */
	while ((p = LIST_FIRST(&m->pasids))) {
		LIST_REMOVE(p, link);
		free(p);
	}
	release_sids(m);
	smmu_attach_unlock(m->dev->tags);
	master_free(m);
}
