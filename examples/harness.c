/*
 * The examples' shared harness (see harness.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/decode.h>

#include "harness.h"

#define HARNESS_DMA_BASE 0x80000000ull
#define HARNESS_DMA_SIZE (256ull << 20)

void harness_die(const char *what)
{
	fprintf(stderr, "error: %s\n", what);
	exit(EXIT_FAILURE);
}

void harness_check(int ret, const char *what)
{
	if (ret < 0) {
		fprintf(stderr, "error: %s: %s\n", what, strerror(-ret));
		exit(EXIT_FAILURE);
	}
}

void harness_init(struct harness *h, const struct smmu_model_config *cfg)
{
	harness_init_opts(h, cfg, NULL);
}

void harness_init_opts(struct harness *h, const struct smmu_model_config *cfg,
		       const struct smmu_dev_options *opts)
{
	memset(h, 0, sizeof(*h));
	h->mem = smmu_mem_new();
	if (!h->mem)
		harness_die("cannot create simulated memory");
	h->dma = smmu_dma_new(h->mem, HARNESS_DMA_BASE, HARNESS_DMA_SIZE);
	h->model = smmu_model_new(cfg, h->mem);
	if (!h->dma || !h->model)
		harness_die("cannot create the model");
	smmu_model_platform_init(&h->plat, h->model, h->dma);
	harness_check(smmu_dev_probe(&h->plat, opts, &h->dev), "probe the driver");
}

int harness_fini(struct harness *h)
{
	smmu_dev_remove(h->dev);
	smmu_model_free(h->model);
	smmu_dma_free_all(h->dma);
	smmu_mem_free(h->mem);
	return EXIT_SUCCESS;
}

void harness_show_features(struct harness *h)
{
	const struct smmu_features *f = smmu_dev_get_features(h->dev);

	printf("    stages:%s%s  ASID bits %u  VMID bits %u  SID bits %u  SSID bits %u\n",
	       f->trans_s1 ? " S1" : "", f->trans_s2 ? " S2" : "", f->asid_bits,
	       f->vmid_bits, f->sid_bits, f->ssid_bits);
	printf("    stream table %s, OAS %u bits, range invalidation %s, "
	       "CMD_SYNC completion by %s\n",
	       f->st_2lvl ? "2-level" : "linear", f->oas_bits, f->ril ? "yes" : "no",
	       f->msi_polling ? "MSI" : f->sev ? "SEV" : "polling");
}

void harness_show_commands(struct harness *h)
{
	struct smmu_model_stats now;
	bool any = false;

	smmu_model_get_stats(h->model, &now);
	printf("    commands the SMMU executed:");
	for (unsigned op = 0; op < SMMU_MODEL_NR_OPCODES; op++) {
		uint64_t n = now.cmds[op] - h->last.cmds[op];

		if (n) {
			printf(" %s x%" PRIu64, smmu_decode_cmd_name(op), n);
			any = true;
		}
	}
	printf("%s\n", any ? "" : " none");
	h->last = now;
}

void harness_show_translation_stats(struct harness *h)
{
	struct smmu_model_stats s;

	smmu_model_get_stats(h->model, &s);
	printf("    translations %" PRIu64 ", IOTLB hits %" PRIu64 ", misses %" PRIu64
	       ", table walks %" PRIu64 "\n",
	       s.translations, s.iotlb_hits, s.iotlb_misses, s.walks);
}

void harness_show_oracle(struct harness *h)
{
	struct smmu_model_stats s;

	smmu_model_get_stats(h->model, &s);
	printf("    coherency oracle: %" PRIu64 " cached translations checked, %" PRIu64
	       " violations\n", s.oracle_walks, s.coherency_violations);
}
