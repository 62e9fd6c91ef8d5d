/*
 * Integration tests: the driver's attach/detach and IOTLB cache tags on
 * the SMMUv3 model, through the public API only.  The model executes
 * every command (and would flag a malformed one), its trace shows their
 * order and its counters their number: the tag-wide TLBI and its
 * CMD_SYNC come before a freed ASID/VMID is handed out again, exhaustion
 * of 8-bit ASIDs and VMIDs issues no command at all, two SMMUs share one
 * ASID space, a failing DMA allocation anywhere in add or attach leaves
 * nothing behind, and map/unmap race attach/detach safely.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmu/arch.h>
#include <smmu/bits.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#define SZ_4K UINT64_C(0x1000)
#define IOVA UINT64_C(0x40000000)
#define PA UINT64_C(0x80000000)
#define DMA_BASE UINT64_C(0x100000000)
#define DMA_SIZE (UINT64_C(1) << 30)
#define TRACE_MAX 65536u
#define NUM_IDS_8BIT 255u
#define NONE (-1)

struct trace {
	pthread_mutex_t lock;
	uint64_t dw0[TRACE_MAX];
	size_t n;
};

struct smmu {
	struct smmu_model *m;
	struct smmu_dma *dma;
	struct smmu_platform model_plat;
	struct smmu_dev *dev;
	struct trace trace;
	int fail_at;            /* the Nth DMA allocation from now fails */
	long dma_live;
};

struct fixture {
	struct smmu_mem *mem;
	struct smmu_tag_ctx *tags;
	struct smmu smmu[2];
	unsigned n;
};

static void quiet_log(void *opaque, enum smmu_log_level level, const char *msg)
{
	(void)opaque;
	(void)level;
	(void)msg;
}

static void trace_cmd(void *opaque, enum smmu_model_trace_kind kind,
		      const uint64_t *dw, unsigned ndw)
{
	struct trace *t = opaque;

	(void)ndw;
	if (kind != SMMU_MODEL_TRACE_CMD)
		return;
	pthread_mutex_lock(&t->lock);
	if (t->n < TRACE_MAX)
		t->dw0[t->n++] = dw[0];
	pthread_mutex_unlock(&t->lock);
}

/* The platform the driver sees: the model's, with a failing allocator. */
static int plat_dma_alloc(void *opaque, size_t size, size_t align, void **cpu,
			  uint64_t *bus)
{
	struct smmu *s = opaque;
	int ret;

	if (s->fail_at && --s->fail_at == 0)
		return -ENOMEM;
	ret = s->model_plat.dma_alloc(s->model_plat.opaque, size, align, cpu, bus);
	if (!ret)
		__atomic_add_fetch(&s->dma_live, 1, __ATOMIC_RELAXED);
	return ret;
}

static void plat_dma_free(void *opaque, void *cpu, uint64_t bus, size_t size)
{
	struct smmu *s = opaque;

	__atomic_sub_fetch(&s->dma_live, 1, __ATOMIC_RELAXED);
	s->model_plat.dma_free(s->model_plat.opaque, cpu, bus, size);
}

static uint32_t plat_read32(void *o, uint64_t off)
{
	return smmu_model_mmio_read32(((struct smmu *)o)->m, off);
}

static uint64_t plat_read64(void *o, uint64_t off)
{
	return smmu_model_mmio_read64(((struct smmu *)o)->m, off);
}

static void plat_write32(void *o, uint64_t off, uint32_t v)
{
	smmu_model_mmio_write32(((struct smmu *)o)->m, off, v);
}

static void plat_write64(void *o, uint64_t off, uint64_t v)
{
	smmu_model_mmio_write64(((struct smmu *)o)->m, off, v);
}

static void smmu_up(struct fixture *fx, struct smmu *s, unsigned idx, bool small_ids,
		    bool stage1, struct smmu_tag_ctx *tags)
{
	struct smmu_model_config cfg;
	struct smmu_dev_options opts = { .log = quiet_log, .tags = tags };
	struct smmu_platform plat;

	smmu_model_config_default(&cfg);
	cfg.asid16 = cfg.vmid16 = !small_ids;
	cfg.stage1 = stage1;
	cfg.hyp = stage1;
	if (!stage1)
		cfg.ssid_bits = 0;
	cfg.weakest_legal = true;
	cfg.check_coherency = true;
	cfg.trace = trace_cmd;
	cfg.trace_opaque = &s->trace;
	pthread_mutex_init(&s->trace.lock, NULL);
	s->m = smmu_model_new(&cfg, fx->mem);
	assert_non_null(s->m);
	s->dma = smmu_dma_new(fx->mem, DMA_BASE + idx * DMA_SIZE, DMA_SIZE);
	assert_non_null(s->dma);
	smmu_model_platform_init(&s->model_plat, s->m, s->dma);
	plat = s->model_plat;
	plat.opaque = s;
	plat.read32 = plat_read32;
	plat.read64 = plat_read64;
	plat.write32 = plat_write32;
	plat.write64 = plat_write64;
	plat.dma_alloc = plat_dma_alloc;
	plat.dma_free = plat_dma_free;
	assert_int_equal(smmu_dev_probe(&plat, &opts, &s->dev), 0);
}

static void smmu_down(struct smmu *s)
{
	smmu_dev_remove(s->dev);
	assert_int_equal(s->dma_live, 0);
	smmu_model_free(s->m);
	smmu_dma_free_all(s->dma);
	pthread_mutex_destroy(&s->trace.lock);
}

static int setup_n(void **state, unsigned n)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->mem = smmu_mem_new();
	assert_non_null(fx->mem);
	assert_int_equal(smmu_tag_ctx_new(&fx->tags), 0);
	fx->n = n;
	for (unsigned i = 0; i < n; i++)
		smmu_up(fx, &fx->smmu[i], i, true, true, fx->tags);
	smmu_thread_register();
	*state = fx;
	return 0;
}

static int setup_one(void **state)
{
	return setup_n(state, 1);
}

static int setup_two(void **state)
{
	return setup_n(state, 2);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	smmu_thread_unregister();
	for (unsigned i = 0; i < fx->n; i++)
		smmu_down(&fx->smmu[i]);
	assert_int_equal(smmu_tag_ctx_free(fx->tags), 0);
	smmu_mem_free(fx->mem);
	free(fx);
	return 0;
}

/* ---- Helpers ---------------------------------------------------------------- */

static struct smmu_model_stats stats(struct smmu *s)
{
	struct smmu_model_stats st;

	assert_int_equal(smmu_model_get_stats(s->m, &st), 0);
	return st;
}

static uint64_t total_cmds(struct smmu *s)
{
	struct smmu_model_stats st = stats(s);
	uint64_t n = 0;

	for (unsigned i = 0; i < SMMU_MODEL_NR_OPCODES; i++)
		n += st.cmds[i];
	return n;
}

/* Index of the first traced command op at or after from with that tag. */
static int traced(struct smmu *s, size_t from, unsigned op, int id)
{
	struct trace *t = &s->trace;
	int found = -1;

	pthread_mutex_lock(&t->lock);
	for (size_t i = from; i < t->n && found < 0; i++) {
		uint64_t dw0 = t->dw0[i];
		uint64_t tag = op == SMMU_CMD_TLBI_S12_VMALL ? SMMU_FIELD_GET(SMMU_CMD0_VMID, dw0)
							     : SMMU_FIELD_GET(SMMU_CMD0_ASID, dw0);

		if (SMMU_FIELD_GET(SMMU_CMD0_OP, dw0) == op && (id == NONE || tag == (uint64_t)id))
			found = (int)i;
	}
	pthread_mutex_unlock(&t->lock);
	return found;
}

static size_t trace_mark(struct smmu *s)
{
	size_t n;

	pthread_mutex_lock(&s->trace.lock);
	n = s->trace.n;
	pthread_mutex_unlock(&s->trace.lock);
	return n;
}

static struct smmu_domain *domain_new(struct smmu *s, enum smmu_domain_type type)
{
	struct smmu_domain_config cfg = { .type = type };
	struct smmu_domain *d;

	assert_int_equal(smmu_domain_alloc(s->dev, &cfg, &d), 0);
	return d;
}

static struct smmu_master *master_new(struct smmu *s, uint32_t sid)
{
	struct smmu_master_config cfg = { .sids = &sid, .num_sids = 1, .ssid_bits = 4 };
	struct smmu_master *m;

	assert_int_equal(smmu_master_add(s->dev, &cfg, &m), 0);
	return m;
}

static uint32_t tag_of(struct smmu_domain *d, struct smmu_dev *dev)
{
	uint32_t id = 0;

	assert_int_equal(smmu_domain_get_tag(d, dev, &id), 0);
	return id;
}

/* The SMMU accepted the configuration: no C_BAD_* event for this stream. */
static void assert_config_ok(struct smmu *s, uint32_t sid)
{
	struct smmu_txn txn = { .sid = sid, .iova = IOVA };
	struct smmu_txn_result res;
	unsigned id;

	assert_int_equal(smmu_model_translate(s->m, &txn, &res), 0);
	if (res.status == SMMU_TXN_OK || !res.event_recorded)
		return;
	id = (unsigned)SMMU_FIELD_GET(SMMU_EVT0_ID, res.event[0]);
	assert_true(id >= SMMU_EVT_F_TRANSLATION);
}

/* Occupy the ID space with attached fillers, keeping `keep` IDs free. */
struct fillers {
	struct smmu_domain *d[NUM_IDS_8BIT];
	struct smmu_master *m[NUM_IDS_8BIT];
	unsigned n;
};

static void fill(struct smmu *s, struct fillers *f, enum smmu_domain_type type,
		 unsigned keep, uint32_t sid_base)
{
	f->n = 0;
	for (unsigned i = 0; i + keep < NUM_IDS_8BIT; i++) {
		f->d[i] = domain_new(s, type);
		f->m[i] = master_new(s, sid_base + i);
		if (smmu_master_attach(f->m[i], f->d[i])) {
			smmu_master_remove(f->m[i]);
			assert_int_equal(smmu_domain_free(f->d[i]), 0);
			break;
		}
		f->n++;
	}
}

static void unfill(struct fillers *f)
{
	for (unsigned i = 0; i < f->n; i++) {
		smmu_master_remove(f->m[i]);
		assert_int_equal(smmu_domain_free(f->d[i]), 0);
	}
	f->n = 0;
}

/* ---- The seed: a tag freed, flushed and reused ------------------------------ */

static void seed_scenario(struct smmu *s, enum smmu_domain_type type, unsigned flush_op)
{
	struct fillers *f = calloc(1, sizeof(*f));
	struct smmu_domain *a = domain_new(s, type), *b = domain_new(s, type);
	struct smmu_domain *c = domain_new(s, type);
	struct smmu_domain *blocked = domain_new(s, SMMU_DOMAIN_BLOCKED);
	struct smmu_master *x = master_new(s, 0x1000);
	uint64_t before_flush, before_cmds;
	uint32_t ida;
	size_t mark;
	int flush, sync;

	assert_non_null(f);
	fill(s, f, type, 1, 0x2000);
	assert_int_equal(f->n, NUM_IDS_8BIT - 1);
	assert_int_equal(smmu_master_attach(x, a), 0);
	ida = tag_of(a, s->dev);
	assert_int_equal(smmu_domain_map(a, IOVA, PA, SZ_4K, SMMU_PROT_READ | SMMU_PROT_WRITE), 0);
	assert_config_ok(s, 0x1000);

	/* Every ID is taken: C cannot attach, and nothing reaches the SMMU. */
	before_cmds = total_cmds(s);
	assert_int_equal(smmu_master_attach(x, c), -ENOSPC);
	assert_int_equal(total_cmds(s), before_cmds);
	assert_ptr_equal(smmu_master_domain(x), a);

	/* A's last user leaves: tag-wide TLBI, then CMD_SYNC, then free. */
	assert_int_equal(smmu_domain_unmap(a, IOVA, SZ_4K), (int64_t)SZ_4K);
	before_flush = stats(s).cmds[flush_op];
	mark = trace_mark(s);
	assert_int_equal(smmu_master_attach(x, blocked), 0);
	assert_int_equal(stats(s).cmds[flush_op], before_flush + 1);
	flush = traced(s, mark, flush_op, (int)ida);
	assert_true(flush >= 0);
	sync = traced(s, (size_t)flush, SMMU_CMD_SYNC, NONE);
	assert_true(sync > flush);
	assert_int_equal(smmu_domain_free(a), 0);

	/* B gets the very ID A had, and its configuration comes after. */
	mark = trace_mark(s);
	assert_int_equal(smmu_master_attach(x, b), 0);
	assert_int_equal(tag_of(b, s->dev), ida);
	assert_int_equal(traced(s, mark, flush_op, NONE), -1);
	assert_config_ok(s, 0x1000);

	smmu_master_remove(x);
	unfill(f);
	assert_int_equal(smmu_domain_free(b), 0);
	assert_int_equal(smmu_domain_free(c), 0);
	assert_int_equal(smmu_domain_free(blocked), 0);
	free(f);
}

static void test_seed_asid(void **state)
{
	struct fixture *fx = *state;

	seed_scenario(&fx->smmu[0], SMMU_DOMAIN_S1, SMMU_CMD_TLBI_NH_ASID);
}

static void test_seed_vmid(void **state)
{
	struct fixture *fx = *state;

	seed_scenario(&fx->smmu[0], SMMU_DOMAIN_S2, SMMU_CMD_TLBI_S12_VMALL);
}

/* ---- Two SMMUs, one ASID space ------------------------------------------------- */

static void test_two_smmus_share_asids(void **state)
{
	struct fixture *fx = *state;
	struct smmu *s0 = &fx->smmu[0], *s1 = &fx->smmu[1];
	struct smmu_domain *d = domain_new(s0, SMMU_DOMAIN_S1);
	struct smmu_domain *e = domain_new(s1, SMMU_DOMAIN_S1);
	struct smmu_master *m0 = master_new(s0, 0x10), *m1 = master_new(s1, 0x10);
	struct smmu_master *m2 = master_new(s1, 0x11);
	uint64_t va0, va1, asid0;
	uint32_t t0;

	assert_int_equal(smmu_master_attach(m0, d), 0);
	assert_int_equal(smmu_master_attach(m1, d), 0);
	t0 = tag_of(d, s0->dev);
	assert_int_not_equal(t0, tag_of(d, s1->dev));
	assert_int_equal(smmu_domain_map(d, IOVA, PA, SZ_4K, SMMU_PROT_READ), 0);
	va0 = stats(s0).cmds[SMMU_CMD_TLBI_NH_VA];
	va1 = stats(s1).cmds[SMMU_CMD_TLBI_NH_VA];
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_int_equal(stats(s0).cmds[SMMU_CMD_TLBI_NH_VA], va0 + 1);
	assert_int_equal(stats(s1).cmds[SMMU_CMD_TLBI_NH_VA], va1 + 1);

	/* Leaving SMMU 0 flushes there only. */
	asid0 = stats(s1).cmds[SMMU_CMD_TLBI_NH_ASID];
	smmu_master_remove(m0);
	assert_true(traced(s0, 0, SMMU_CMD_TLBI_NH_ASID, (int)t0) >= 0);
	assert_int_equal(stats(s1).cmds[SMMU_CMD_TLBI_NH_ASID], asid0);

	/* The ASID SMMU 0 flushed is the lowest free one: SMMU 1 reuses it. */
	assert_int_equal(smmu_master_attach(m2, e), 0);
	assert_int_equal(tag_of(e, s1->dev), t0);
	assert_config_ok(s1, 0x11);

	smmu_master_remove(m1);
	smmu_master_remove(m2);
	assert_int_equal(smmu_domain_free(d), 0);
	assert_int_equal(smmu_domain_free(e), 0);
}

/* ---- ATS, identity and blocked on the model -------------------------------- */

static struct smmu_txn_result translate(struct smmu *s, uint32_t sid)
{
	struct smmu_txn txn = { .sid = sid, .iova = IOVA };
	struct smmu_txn_result res;

	assert_int_equal(smmu_model_translate(s->m, &txn, &res), 0);
	return res;
}

static void test_ats_identity_blocked(void **state)
{
	struct fixture *fx = *state;
	struct smmu *s = &fx->smmu[0];
	const uint32_t sids[] = { 0x620, 0x610 };
	struct smmu_master_config cfg = { .sids = sids, .num_sids = 2, .ats = true };
	struct smmu_domain *d = domain_new(s, SMMU_DOMAIN_S2);
	struct smmu_domain *ident = domain_new(s, SMMU_DOMAIN_IDENTITY);
	struct smmu_master *m;
	uint64_t atc, vmall;
	struct smmu_txn_result res;

	assert_int_equal(smmu_master_add(s->dev, &cfg, &m), 0);
	assert_int_equal(translate(s, 0x610).status, SMMU_TXN_ABORT);
	atc = stats(s).cmds[SMMU_CMD_ATC_INV];
	assert_int_equal(smmu_master_attach(m, d), 0);
	assert_int_equal(stats(s).cmds[SMMU_CMD_ATC_INV], atc + 2);  /* before EATS */
	assert_config_ok(s, 0x610);
	assert_config_ok(s, 0x620);
	assert_int_equal(smmu_domain_map(d, IOVA, PA, SZ_4K, SMMU_PROT_READ), 0);
	atc = stats(s).cmds[SMMU_CMD_ATC_INV];
	assert_int_equal(smmu_domain_unmap(d, IOVA, SZ_4K), (int64_t)SZ_4K);
	assert_int_equal(stats(s).cmds[SMMU_CMD_ATC_INV], atc + 2);

	vmall = stats(s).cmds[SMMU_CMD_TLBI_S12_VMALL];
	assert_int_equal(smmu_master_attach(m, ident), 0);
	assert_int_equal(stats(s).cmds[SMMU_CMD_TLBI_S12_VMALL], vmall + 1);
	res = translate(s, 0x620);
	assert_int_equal(res.status, SMMU_TXN_OK);
	assert_int_equal(res.pa, IOVA);
	smmu_master_remove(m);
	assert_int_equal(translate(s, 0x620).status, SMMU_TXN_ABORT);
	assert_int_equal(smmu_domain_free(d), 0);
	assert_int_equal(smmu_domain_free(ident), 0);
}

/* ---- A vSMMU: its VMID serves the nested domains, freed with it ----------- */

static void test_vsmmu_nested(void **state)
{
	struct fixture *fx = *state;
	struct smmu *s = &fx->smmu[0];
	struct smmu_domain_config pcfg = { .type = SMMU_DOMAIN_S2, .nest_parent = true };
	struct smmu_domain_config ncfg = { .type = SMMU_DOMAIN_NESTED };
	struct smmu_domain *parent, *nested;
	struct smmu_master *m = master_new(s, 0x700);
	struct smmu_vsmmu *v;
	uint64_t vmall;
	uint32_t vmid;

	assert_int_equal(smmu_domain_alloc(s->dev, &pcfg, &parent), 0);
	assert_int_equal(smmu_vsmmu_new(s->dev, parent, &v), 0);
	vmid = smmu_vsmmu_vmid(v);
	/* The guest bypasses its stage 1: the STE is the parent's stage 2. */
	ncfg.vsmmu = v;
	ncfg.guest_ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS);
	assert_int_equal(smmu_domain_alloc(s->dev, &ncfg, &nested), 0);
	assert_int_equal(smmu_master_attach(m, nested), 0);
	assert_int_equal(tag_of(nested, s->dev), vmid);
	assert_config_ok(s, 0x700);
	vmall = stats(s).cmds[SMMU_CMD_TLBI_S12_VMALL];
	smmu_master_remove(m);
	assert_int_equal(stats(s).cmds[SMMU_CMD_TLBI_S12_VMALL], vmall);  /* the vSMMU's */
	assert_int_equal(smmu_vsmmu_free(v), -EBUSY);
	assert_int_equal(smmu_domain_free(nested), 0);
	assert_int_equal(smmu_vsmmu_free(v), 0);
	assert_int_equal(stats(s).cmds[SMMU_CMD_TLBI_S12_VMALL], vmall + 1);
	assert_true(traced(s, 0, SMMU_CMD_TLBI_S12_VMALL, (int)vmid) >= 0);
	assert_int_equal(smmu_domain_free(parent), 0);
}

/* ---- Arguments ----------------------------------------------------------------- */

static void test_arguments(void **state)
{
	struct fixture *fx = *state;
	struct smmu *s = &fx->smmu[0];
	struct smmu_domain *d = domain_new(s, SMMU_DOMAIN_S1);
	const uint32_t beyond = UINT32_C(1) << 20;
	struct smmu_master_config cfg = { .sids = &beyond, .num_sids = 1 };
	struct smmu_master *m = master_new(s, 0x33), *m2;
	struct smmu s2only = { 0 };
	struct smmu_domain *other;

	assert_int_equal(smmu_master_add(s->dev, &cfg, &m2), -EINVAL);
	cfg.sids = &(uint32_t){ 0x33 };
	assert_int_equal(smmu_master_add(s->dev, &cfg, &m2), -EBUSY);
	assert_int_equal(smmu_master_detach_pasid(m, 3), -ENOENT);

	/* An S1 domain cannot go to an SMMU without stage 1. */
	smmu_up(fx, &s2only, 1, true, false, fx->tags);
	m2 = master_new(&s2only, 0x33);
	assert_int_equal(smmu_master_attach(m2, d), -EINVAL);
	/* An S2 domain made there can be shared here (one tag context). */
	other = domain_new(&s2only, SMMU_DOMAIN_S2);
	assert_int_equal(smmu_master_attach(m2, other), 0);
	assert_int_equal(smmu_master_attach(m, other), 0);
	assert_config_ok(s, 0x33);
	assert_int_equal(smmu_master_attach(m, d), 0);
	smmu_master_remove(m2);
	assert_int_equal(smmu_domain_free(other), 0);
	smmu_down(&s2only);

	assert_int_equal(smmu_domain_free(d), -EBUSY);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(d), 0);
}

/* ---- A DMA allocation fails at every step of add and attach -------------------- */

static void test_dma_failure_anywhere(void **state)
{
	struct fixture *fx = *state;
	struct smmu *s = &fx->smmu[0];
	const uint32_t sids[] = { 0x4100, 0x4300 };
	struct smmu_master_config cfg = { .sids = sids, .num_sids = 2, .ssid_bits = 16 };
	struct smmu_domain *d = domain_new(s, SMMU_DOMAIN_S1);
	struct smmu_master *m = NULL;
	unsigned failures = 0;
	uint64_t cmds;
	long live;
	int ret;

	do {
		live = s->dma_live;
		s->fail_at = (int)failures + 1;
		ret = smmu_master_add(s->dev, &cfg, &m);
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			failures++;
		}
	} while (ret);
	s->fail_at = 0;
	assert_true(failures >= 1);
	(void)live;

	failures = 0;
	do {
		live = s->dma_live;
		cmds = total_cmds(s);
		s->fail_at = (int)failures + 1;
		ret = smmu_master_attach(m, d);
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			assert_int_equal(s->dma_live, live);
			assert_int_equal(total_cmds(s), cmds);
			assert_null(smmu_master_domain(m));
			assert_int_equal(smmu_domain_get_tag(d, s->dev, &(uint32_t){ 0 }), -ENOENT);
			failures++;
		}
	} while (ret);
	s->fail_at = 0;
	assert_true(failures >= 2);     /* the CD table, its first leaf */
	assert_config_ok(s, 0x4100);
	smmu_master_remove(m);
	assert_int_equal(smmu_domain_free(d), 0);
}

/* ---- map/unmap racing attach/detach ------------------------------------------- */

#define RACE_ROUNDS 200

struct race {
	struct smmu *s;
	struct smmu_domain *d;
	int err;
};

static void *map_unmap_loop(void *arg)
{
	struct race *r = arg;

	smmu_thread_register();
	for (unsigned i = 0; i < RACE_ROUNDS && !r->err; i++) {
		uint64_t iova = IOVA + (i % 16) * SZ_4K;

		if (smmu_domain_map(r->d, iova, PA + iova, SZ_4K, SMMU_PROT_READ) ||
		    smmu_domain_unmap(r->d, iova, SZ_4K) != (int64_t)SZ_4K)
			r->err = -EIO;
	}
	smmu_thread_unregister();
	return NULL;
}

static void test_concurrent_map_and_attach(void **state)
{
	struct fixture *fx = *state;
	struct smmu *s = &fx->smmu[0];
	struct race r = { .s = s, .d = domain_new(s, SMMU_DOMAIN_S1) };
	struct smmu_domain *e = domain_new(s, SMMU_DOMAIN_S2);
	struct smmu_master *m[2] = { master_new(s, 0x500), master_new(s, 0x501) };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, map_unmap_loop, &r), 0);
	for (unsigned i = 0; i < RACE_ROUNDS / 4; i++) {
		assert_int_equal(smmu_master_attach(m[i % 2], r.d), 0);
		assert_int_equal(smmu_master_attach(m[(i + 1) % 2], e), 0);
		assert_config_ok(s, 0x500);
	}
	pthread_join(t, NULL);
	assert_int_equal(r.err, 0);
	smmu_master_remove(m[0]);
	smmu_master_remove(m[1]);
	assert_int_equal(smmu_domain_get_tag(r.d, s->dev, &(uint32_t){ 0 }), -ENOENT);
	assert_int_equal(smmu_domain_get_tag(e, s->dev, &(uint32_t){ 0 }), -ENOENT);
	assert_int_equal(stats(s).gerrors, 0);
	assert_int_equal(smmu_domain_free(r.d), 0);
	assert_int_equal(smmu_domain_free(e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_asid, setup_one, teardown),
		cmocka_unit_test_setup_teardown(test_seed_vmid, setup_one, teardown),
		cmocka_unit_test_setup_teardown(test_two_smmus_share_asids, setup_two, teardown),
		cmocka_unit_test_setup_teardown(test_ats_identity_blocked, setup_one, teardown),
		cmocka_unit_test_setup_teardown(test_vsmmu_nested, setup_one, teardown),
		cmocka_unit_test_setup_teardown(test_arguments, setup_one, teardown),
		cmocka_unit_test_setup_teardown(test_dma_failure_anywhere, setup_one, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_map_and_attach, setup_one,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
