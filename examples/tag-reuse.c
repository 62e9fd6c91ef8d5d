/*
 * Tag reuse under the weakest legal hardware, with the coherency oracle.
 *
 * Concepts: the scenario the IOTLB cache tag design exists for.  Domain A
 * is attached to a device, used (the IOTLB caches its translation), then
 * detached and freed; domain B maps the same IOVA to other memory and is
 * given the same ASID.  The driver must invalidate the ASID before freeing
 * it.  With --skip-flush the driver is told to skip that invalidation
 * (a fault-injection option): the model, which keeps every entry the
 * architecture lets it keep, then serves B's DMA from A's stale entry,
 * and the oracle reports it.  Exit status 0 means the run behaved as its
 * mode predicts: clean without the flag, caught by the oracle with it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/device.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/model.h>

#include "harness.h"

#define SID  0x20u
#define IOVA 0x10000000ull

struct run {
	struct harness h;
	struct smmu_master *master;
	struct smmu_domain *blocked;
};

static struct smmu_domain *domain_with(struct run *r, const char *msg, uint64_t *pa)
{
	struct smmu_domain_config cfg = { .type = SMMU_DOMAIN_S1 };
	struct smmu_domain *d;
	void *cpu;

	harness_check(smmu_dma_alloc(r->h.dma, SMMU_MEM_PAGE_SIZE, SMMU_MEM_PAGE_SIZE,
				     &cpu, pa), "allocate a buffer");
	snprintf(cpu, SMMU_MEM_PAGE_SIZE, "%s", msg);
	harness_check(smmu_domain_alloc(r->h.dev, &cfg, &d), "allocate a domain");
	harness_check(smmu_domain_map(d, IOVA, *pa, SMMU_MEM_PAGE_SIZE,
				      SMMU_PROT_READ | SMMU_PROT_CACHE), "map");
	harness_check(smmu_master_attach(r->master, d), "attach");
	return d;
}

static void dma_read(struct run *r, char *buf, size_t len)
{
	struct smmu_txn txn = { .sid = SID, .iova = IOVA };

	memset(buf, 0, len);
	harness_check(smmu_device_dma(r->h.model, &txn, buf, len - 1, NULL, NULL),
		      "device DMA");
}

int main(int argc, char **argv)
{
	bool skip_flush = argc > 1 && !strcmp(argv[1], "--skip-flush");
	struct smmu_master_config mcfg = { .sids = (uint32_t[]){ SID }, .num_sids = 1 };
	struct smmu_domain_config bcfg = { .type = SMMU_DOMAIN_BLOCKED };
	struct smmu_dev_options opts = { .unsafe_skip_tag_flush = skip_flush };
	struct smmu_model_config cfg;
	struct smmu_model_stats stats;
	struct smmu_domain *a, *b;
	uint32_t tag_a, tag_b;
	char got[32];
	uint64_t pa;
	struct run r;

	if (argc > 2 || (argc == 2 && !skip_flush)) {
		fprintf(stderr, "usage: %s [--skip-flush]\n", argv[0]);
		return 2;
	}
	smmu_model_config_default(&cfg);
	cfg.weakest_legal = true;
	cfg.check_coherency = true;
	harness_init_opts(&r.h, &cfg, &opts);
	harness_check(smmu_master_add(r.h.dev, &mcfg, &r.master), "add the device");
	harness_check(smmu_domain_alloc(r.h.dev, &bcfg, &r.blocked), "blocked domain");

	a = domain_with(&r, "A's secret", &pa);
	smmu_domain_get_tag(a, r.h.dev, &tag_a);
	dma_read(&r, got, sizeof(got));
	printf("domain A (ASID %u) read \"%s\"\n", tag_a, got);
	harness_check(smmu_master_attach(r.master, r.blocked), "detach A");
	harness_check(smmu_domain_free(a), "free A");
	printf("A detached and freed %s\n", skip_flush ? "WITHOUT invalidating its ASID (--skip-flush)"
						      : "after TLBI_NH_ASID + CMD_SYNC");

	b = domain_with(&r, "B's data", &pa);
	smmu_domain_get_tag(b, r.h.dev, &tag_b);
	dma_read(&r, got, sizeof(got));
	smmu_model_get_stats(r.h.model, &stats);
	printf("domain B (ASID %u) read \"%s\"\n", tag_b, got);
	printf("oracle violations: %" PRIu64 "\n", stats.coherency_violations);

	smmu_master_remove(r.master);
	harness_check(smmu_domain_free(b), "free B");
	harness_check(smmu_domain_free(r.blocked), "free blocked");
	harness_fini(&r.h);
	if (skip_flush) {
		printf("%s\n", stats.coherency_violations ? "the oracle caught the missing invalidation"
						       : "UNEXPECTED: the stale entry went unnoticed");
		return stats.coherency_violations ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	return strcmp(got, "B's data") || stats.coherency_violations ? EXIT_FAILURE : EXIT_SUCCESS;
}
