/*
 * Random driver operations against a shadow of what they should mean.
 *
 * Concepts: masters are attached and detached, domains (stage 1 or 2)
 * mapped, unmapped, freed and re-allocated, in a seeded random order,
 * while devices read and write through the model; each DMA's outcome is
 * checked against a shadow of the mappings (every new mapping goes to a
 * new PA, so a stale translation shows).  Once in the weakest-legal mode
 * with the coherency oracle (which caches all it may and completes
 * invalidations late: a missing TLBI, CFGI or CMD_SYNC in the driver
 * gives a wrong answer), once with the default model and its micro-TLB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#include "../rng.h"
#include "harness.h"

#define SZ_4K UINT64_C(0x1000)
#define DOMAINS 4u
#define MASTERS 4u
#define PAGES 16u
#define ROUNDS 3000u
#define IOVA_BASE UINT64_C(0x40000000)
#define PA_BASE UINT64_C(0x80000000)
#define SID_BASE 0x100u
#define DETACHED (-1)

struct world {
	struct harness *h;
	struct smmu_domain *blocked;
	struct smmu_domain *dom[DOMAINS];
	uint64_t pa[DOMAINS][PAGES];            /* 0: unmapped */
	unsigned prot[DOMAINS][PAGES];
	struct smmu_master *mst[MASTERS];
	int attached[MASTERS];                  /* a domain index or DETACHED */
	uint64_t next_pa;
	uint64_t rng;
};

static unsigned pick(struct world *w, unsigned n)
{
	return test_pick(&w->rng, n);
}

static struct smmu_domain *domain_new(struct world *w, enum smmu_domain_type type)
{
	struct smmu_domain_config cfg = { .type = type, .granule_log2 = 12 };
	struct smmu_domain *d;

	assert_int_equal(smmu_domain_alloc(w->h->dev, &cfg, &d), 0);
	return d;
}

static void world_init(struct world *w, const struct smmu_model_config *cfg, uint64_t seed)
{
	int ret = -1;

	*w = (struct world){ .rng = seed, .next_pa = PA_BASE };
	w->h = harness_new(cfg, false, &ret);
	assert_non_null(w->h);
	assert_int_equal(ret, 0);
	w->blocked = domain_new(w, SMMU_DOMAIN_BLOCKED);
	for (unsigned j = 0; j < DOMAINS; j++)
		w->dom[j] = domain_new(w, j % 2 ? SMMU_DOMAIN_S2 : SMMU_DOMAIN_S1);
	for (unsigned i = 0; i < MASTERS; i++) {
		uint32_t sid = SID_BASE + i;
		struct smmu_master_config mc = { .sids = &sid, .num_sids = 1 };

		assert_int_equal(smmu_master_add(w->h->dev, &mc, &w->mst[i]), 0);
		w->attached[i] = DETACHED;
	}
}

static void world_fini(struct world *w)
{
	for (unsigned i = 0; i < MASTERS; i++)
		smmu_master_remove(w->mst[i]);
	for (unsigned j = 0; j < DOMAINS; j++)
		assert_int_equal(smmu_domain_free(w->dom[j]), 0);
	assert_int_equal(smmu_domain_free(w->blocked), 0);
	harness_free(w->h);
}

static bool domain_in_use(const struct world *w, unsigned j)
{
	for (unsigned i = 0; i < MASTERS; i++)
		if (w->attached[i] == (int)j)
			return true;
	return false;
}

static void op_attach(struct world *w)
{
	unsigned i = pick(w, MASTERS), j = pick(w, DOMAINS + 1);

	if (j == DOMAINS) {
		assert_int_equal(smmu_master_attach(w->mst[i], w->blocked), 0);
		w->attached[i] = DETACHED;
		return;
	}
	assert_int_equal(smmu_master_attach(w->mst[i], w->dom[j]), 0);
	w->attached[i] = (int)j;
}

static void op_map_or_unmap(struct world *w)
{
	unsigned j = pick(w, DOMAINS), k = pick(w, PAGES);
	uint64_t iova = IOVA_BASE + k * SZ_4K;

	if (w->pa[j][k]) {
		assert_int_equal(smmu_domain_unmap(w->dom[j], iova, SZ_4K), (int64_t)SZ_4K);
		w->pa[j][k] = 0;
		return;
	}
	w->prot[j][k] = SMMU_PROT_READ | (pick(w, 2) ? SMMU_PROT_WRITE : 0);
	/* Never the same PA twice: a stale translation cannot pass for a fresh one. */
	w->pa[j][k] = w->next_pa;
	w->next_pa += SZ_4K;
	assert_int_equal(smmu_domain_map(w->dom[j], iova, w->pa[j][k], SZ_4K, w->prot[j][k]), 0);
}

/* A domain nobody uses is freed and replaced, so tags are freed and reused. */
static void op_replace_domain(struct world *w)
{
	unsigned j = pick(w, DOMAINS);

	if (domain_in_use(w, j))
		return;
	assert_int_equal(smmu_domain_free(w->dom[j]), 0);
	w->dom[j] = domain_new(w, pick(w, 2) ? SMMU_DOMAIN_S2 : SMMU_DOMAIN_S1);
	for (unsigned k = 0; k < PAGES; k++)
		w->pa[j][k] = 0;
}

/* One device access, checked against the shadow. */
static void op_dma(struct world *w, unsigned round)
{
	unsigned i = pick(w, MASTERS), k = pick(w, PAGES);
	struct smmu_txn txn = { .sid = SID_BASE + i, .iova = IOVA_BASE + k * SZ_4K + pick(w, 4096),
				.write = pick(w, 2) };
	struct smmu_txn_result res;
	int j = w->attached[i];
	bool ok = j != DETACHED && w->pa[j][k] &&
		  (!txn.write || (w->prot[j][k] & SMMU_PROT_WRITE));

	assert_int_equal(smmu_model_translate(w->h->model, &txn, &res), 0);
	if (ok != (res.status == SMMU_TXN_OK) ||
	    (ok && res.pa != w->pa[j][k] + (txn.iova & (SZ_4K - 1))))
		fail_msg("round %u: master %u page %u %s: status %d pa %#llx, expected %s %#llx",
			 round, i, k, txn.write ? "write" : "read", res.status,
			 (unsigned long long)res.pa, ok ? "OK" : "a fault",
			 ok ? (unsigned long long)w->pa[j][k] : 0ull);
}

static void run(const struct smmu_model_config *cfg, uint64_t seed)
{
	struct world w;

	smmu_thread_register();
	world_init(&w, cfg, seed);
	for (unsigned round = 0; round < ROUNDS; round++) {
		switch (pick(&w, 10)) {
		case 0:
			op_attach(&w);
			break;
		case 1:
		case 2:
			op_map_or_unmap(&w);
			break;
		case 3:
			op_replace_domain(&w);
			break;
		default:
			op_dma(&w, round);
			break;
		}
	}
	assert_int_equal(smmu_model_coherency_violations(w.h->model), 0);
	world_fini(&w);
	smmu_thread_unregister();
}

static void test_weakest_legal_with_oracle(void **state)
{
	struct smmu_model_config cfg;

	(void)state;
	smmu_model_config_default(&cfg);
	cfg.weakest_legal = true;
	cfg.check_coherency = true;
	run(&cfg, UINT64_C(0xa11ce001));
	run(&cfg, UINT64_C(0xa11ce002));
}

static void test_default_model_with_utlb(void **state)
{
	struct smmu_model_config cfg;

	(void)state;
	smmu_model_config_default(&cfg);
	run(&cfg, UINT64_C(0xa11ce101));
	run(&cfg, UINT64_C(0xa11ce102));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weakest_legal_with_oracle),
		cmocka_unit_test(test_default_model_with_utlb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
