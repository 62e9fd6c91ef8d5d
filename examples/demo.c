/*
 * The libsmmu demo: an IOTLB cache tag allocated, used, flushed, freed and
 * safely reused - the story of the Linux driver's "IOTLB cache tag" work,
 * told step by step against the model.
 *
 * Concepts: one simulated SMMUv3 (weakest-legal mode: it caches all the
 * architecture allows; coherency oracle on: every cached translation is
 * checked against a fresh walk), the libsmmu driver probed on it, one
 * simulated device.  Domain A is attached and used, then detached and
 * freed: the driver invalidates A's ASID (TLBI_NH_ASID + CMD_SYNC) before
 * releasing it.  Domain B then receives the same ASID and maps the same
 * IOVA elsewhere; the device must read B's data, never A's stale
 * translation, and the oracle must count no violation.  Every step prints
 * the commands the driver issued, as the model counted them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/decode.h>
#include <smmu/device.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/model.h>

#include "harness.h"

#define DEMO_SID     0x100u
#define DEMO_IOVA    0x40000000ull
#define DEMO_MSG_LEN 32u

static void step(unsigned n, const char *what)
{
	printf("\n[%u] %s\n", n, what);
}

/* Put a message in a fresh DMA buffer; its bus address is the PA to map. */
static uint64_t make_buffer(struct harness *h, const char *msg)
{
	void *cpu;
	uint64_t pa;

	if (smmu_dma_alloc(h->dma, SMMU_MEM_PAGE_SIZE, SMMU_MEM_PAGE_SIZE, &cpu, &pa))
		harness_die("cannot allocate a DMA buffer");
	snprintf(cpu, DEMO_MSG_LEN, "%s", msg);
	return pa;
}

static void device_read(struct harness *h, const char *who)
{
	struct smmu_txn txn = { .sid = DEMO_SID, .iova = DEMO_IOVA };
	struct smmu_txn_result fault;
	char buf[DEMO_MSG_LEN] = "";
	int ret = smmu_device_dma(h->model, &txn, buf, sizeof(buf), NULL, &fault);

	if (ret == -EFAULT) {
		char evt[512];

		smmu_decode_evt(fault.event, evt, sizeof(evt));
		printf("    %s DMA from IOVA 0x%" PRIx64 " aborted: %s\n", who,
		       (uint64_t)DEMO_IOVA,
		       fault.event_recorded ? evt : "no event (an abort STE records none)");
		return;
	}
	if (ret)
		harness_die("device DMA failed");
	printf("    %s DMA read at IOVA 0x%" PRIx64 ": \"%s\"\n", who,
	       (uint64_t)DEMO_IOVA, buf);
}

static struct smmu_domain *make_domain(struct harness *h, const char *name,
				       const char *msg)
{
	struct smmu_domain_config cfg = { .type = SMMU_DOMAIN_S1 };
	struct smmu_domain *d;
	uint64_t pa = make_buffer(h, msg);

	harness_check(smmu_domain_alloc(h->dev, &cfg, &d), "allocate a domain");
	harness_check(smmu_domain_map(d, DEMO_IOVA, pa, SMMU_MEM_PAGE_SIZE,
				      SMMU_PROT_READ | SMMU_PROT_WRITE | SMMU_PROT_CACHE),
		      "map the buffer");
	printf("    domain %s (stage 1, 4 KiB pages): IOVA 0x%" PRIx64
	       " -> PA 0x%" PRIx64 " holding \"%s\"\n", name, (uint64_t)DEMO_IOVA, pa, msg);
	return d;
}

static uint32_t show_tag(struct harness *h, struct smmu_domain *d, const char *name)
{
	uint32_t asid;

	harness_check(smmu_domain_get_tag(d, h->dev, &asid), "read the tag");
	printf("    domain %s holds IOTLB cache tag ASID %u on this SMMU\n", name, asid);
	return asid;
}

int main(void)
{
	struct smmu_master_config mcfg = { .sids = (uint32_t[]){ DEMO_SID }, .num_sids = 1 };
	struct smmu_model_config cfg;
	struct smmu_master *master;
	struct smmu_domain *a, *b, *blocked;
	struct smmu_domain_config bcfg = { .type = SMMU_DOMAIN_BLOCKED };
	struct harness h;
	uint32_t asid_a, asid_b;

	printf("libsmmu demo: an IOTLB cache tag allocated, used, flushed, freed and reused\n");
	smmu_model_config_default(&cfg);
	cfg.weakest_legal = true;
	cfg.check_coherency = true;
	step(1, "Model: full-featured SMMUv3, weakest-legal caching, coherency oracle on");
	harness_init(&h, &cfg);
	step(2, "Driver probed: reset sequence issued through the command queue");
	harness_show_features(&h);
	harness_show_commands(&h);

	step(3, "Device on stream 0x100 added; it starts blocked (abort STE)");
	harness_check(smmu_master_add(h.dev, &mcfg, &master), "add the device");
	harness_check(smmu_domain_alloc(h.dev, &bcfg, &blocked), "blocked domain");
	device_read(&h, "blocked device");
	harness_show_commands(&h);

	step(4, "Domain A maps a buffer; attaching it allocates an ASID");
	a = make_domain(&h, "A", "hello from domain A");
	harness_check(smmu_master_attach(master, a), "attach A");
	asid_a = show_tag(&h, a, "A");
	harness_show_commands(&h);

	step(5, "The device DMAs through A twice: the first walks A's tables, the\n"
		"    second hits the IOTLB entry tagged with A's ASID");
	device_read(&h, "device");
	device_read(&h, "device");
	harness_show_translation_stats(&h);

	step(6, "Detach (to blocked) and free A: the last user of A's ASID is gone, so the\n"
		"    driver invalidates it (TLBI_NH_ASID + CMD_SYNC) before freeing the ID");
	harness_check(smmu_master_attach(master, blocked), "detach A");
	harness_check(smmu_domain_free(a), "free A");
	harness_show_commands(&h);
	printf("    IOTLB entries still tagged with ASID %u: %zu\n", asid_a,
	       smmu_model_iotlb_entries(h.model, SMMU_MODEL_TAG_S1, 0, (uint16_t)asid_a));

	step(7, "Domain B maps the same IOVA to another buffer and is attached");
	b = make_domain(&h, "B", "hello from domain B");
	harness_check(smmu_master_attach(master, b), "attach B");
	asid_b = show_tag(&h, b, "B");
	printf("    %s\n", asid_a == asid_b ? "same ASID as A had: the freed tag was reused"
					     : "a different ASID than A had");
	harness_show_commands(&h);

	step(8, "The device DMAs twice: it must see B's data, never A's stale entry");
	device_read(&h, "device");
	device_read(&h, "device");
	harness_show_translation_stats(&h);
	harness_show_oracle(&h);

	step(9, "Tear down: detach, free the domains, remove the device and the SMMU");
	smmu_master_remove(master);
	harness_check(smmu_domain_free(b), "free B");
	harness_check(smmu_domain_free(blocked), "free blocked");
	harness_show_commands(&h);
	return harness_fini(&h);
}
