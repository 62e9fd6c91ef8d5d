/*
 * The driver's figures in the bench program.
 *
 * Concepts: the libsmmu driver probed on the inline model (commands run
 * inside the PROD write, so a figure is driver + model work on one core,
 * with no waiting).  Figures: command-queue throughput in batches of 64
 * PREFETCH_CONFIG closed by one CMD_SYNC (MSI completion), from 1 and 2
 * producer threads, commands summed over producers; map + unmap of one
 * 4 KiB page of an attached stage-1 domain, each unmap invalidating with a
 * TLBI and a CMD_SYNC, with a neighbouring page keeping the tables (the
 * steady state of a busy domain) and on an otherwise empty domain (tables
 * freed and rebuilt each time); and attach + detach of a master (STE and
 * CD writes with their CFGI + CMD_SYNC steps, an ASID allocated and, on
 * detach, invalidated and freed).  Each runs for a fixed wall time.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#include "cmdq.h"
#include "report.h"

#define RUN_NS (0.5 * BENCH_NS_PER_S)
#define MAX_PRODUCERS 2u
#define DMA_BASE (UINT64_C(1) << 32)
#define DMA_SIZE (UINT64_C(1) << 28)
#define SID 0x40u
#define IOVA 0x100000ull
#define PAGE 4096ull
#define PROT (SMMU_PROT_READ | SMMU_PROT_WRITE | SMMU_PROT_CACHE)

struct driver_rig {
	struct smmu_mem *mem;
	struct smmu_dma *dma;
	struct smmu_model *model;
	struct smmu_platform plat;
	struct smmu_dev *dev;
	struct smmu_master *master;
	struct smmu_domain *s1, *blocked;
};

static void die(const char *what)
{
	fprintf(stderr, "bench: %s failed\n", what);
	exit(EXIT_FAILURE);
}

static void rig_init(struct driver_rig *g)
{
	struct smmu_model_config cfg;
	struct smmu_master_config mcfg = { .sids = (uint32_t[]){ SID }, .num_sids = 1 };
	struct smmu_domain_config s1 = { .type = SMMU_DOMAIN_S1 };
	struct smmu_domain_config blocked = { .type = SMMU_DOMAIN_BLOCKED };

	smmu_model_config_default(&cfg);
	g->mem = smmu_mem_new();
	g->dma = g->mem ? smmu_dma_new(g->mem, DMA_BASE, DMA_SIZE) : NULL;
	g->model = g->dma ? smmu_model_new(&cfg, g->mem) : NULL;
	if (!g->model)
		die("model setup");
	smmu_model_platform_init(&g->plat, g->model, g->dma);
	if (smmu_dev_probe(&g->plat, NULL, &g->dev) ||
	    smmu_master_add(g->dev, &mcfg, &g->master) ||
	    smmu_domain_alloc(g->dev, &s1, &g->s1) ||
	    smmu_domain_alloc(g->dev, &blocked, &g->blocked))
		die("driver setup");
}

static void rig_fini(struct driver_rig *g)
{
	smmu_master_remove(g->master);
	smmu_domain_free(g->s1);
	smmu_domain_free(g->blocked);
	smmu_dev_remove(g->dev);
	smmu_model_free(g->model);
	smmu_dma_free_all(g->dma);
	smmu_mem_free(g->mem);
}

struct producers {
	struct smmu_dev *dev;
	atomic_bool stop;
	atomic_ullong commands;
	atomic_int failures;
};

static void *producer(void *arg)
{
	struct producers *p = arg;
	struct smmu_cmd cmds[SMMU_CMDQ_BATCH_MAX];
	unsigned long long done = 0;

	for (unsigned i = 0; i < SMMU_CMDQ_BATCH_MAX; i++)
		smmu_cmd_prefetch_config(&cmds[i], i);
	while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
		if (smmu_cmdq_issue(p->dev, cmds, SMMU_CMDQ_BATCH_MAX, true)) {
			atomic_fetch_add(&p->failures, 1);
			break;
		}
		done += SMMU_CMDQ_BATCH_MAX;
	}
	atomic_fetch_add(&p->commands, done);
	return NULL;
}

/* Million commands per second from n producers. */
static double cmdq_rate(struct smmu_dev *dev, unsigned n)
{
	struct producers p = { .dev = dev };
	pthread_t th[MAX_PRODUCERS];
	double start = bench_now_ns();

	for (unsigned t = 0; t < n; t++)
		if (pthread_create(&th[t], NULL, producer, &p))
			die("pthread_create");
	nanosleep(&(struct timespec){ .tv_nsec = (long)RUN_NS }, NULL);
	atomic_store(&p.stop, true);
	for (unsigned t = 0; t < n; t++)
		pthread_join(th[t], NULL);
	if (atomic_load(&p.failures))
		die("command issue");
	return (double)atomic_load(&p.commands) * BENCH_NS_PER_S /
	       (bench_now_ns() - start) / BENCH_MILLION;
}

/* Million map + unmap pairs of one page per second. */
static double map_unmap_rate(struct driver_rig *g, bool keep_tables)
{
	uint64_t pa = DMA_BASE, pairs = 0;
	double start = bench_now_ns();

	if (keep_tables && smmu_domain_map(g->s1, IOVA + PAGE, pa, PAGE, PROT))
		die("map");
	while (bench_now_ns() - start < RUN_NS) {
		if (smmu_domain_map(g->s1, IOVA, pa, PAGE, PROT) ||
		    smmu_domain_unmap(g->s1, IOVA, PAGE) != (int64_t)PAGE)
			die("map/unmap");
		pairs++;
	}
	if (keep_tables && smmu_domain_unmap(g->s1, IOVA + PAGE, PAGE) != (int64_t)PAGE)
		die("unmap");
	return (double)pairs * BENCH_NS_PER_S / (bench_now_ns() - start) / BENCH_MILLION;
}

/* Thousand attach + detach pairs per second. */
static double attach_detach_rate(struct driver_rig *g)
{
	uint64_t pairs = 0;
	double start = bench_now_ns();

	while (bench_now_ns() - start < RUN_NS) {
		if (smmu_master_attach(g->master, g->s1) ||
		    smmu_master_attach(g->master, g->blocked))
			die("attach/detach");
		pairs++;
	}
	return (double)pairs * BENCH_NS_PER_S / (bench_now_ns() - start) / 1000.0;
}

void bench_driver_figures(struct bench_report *r)
{
	struct driver_rig g;

	smmu_thread_register();
	rig_init(&g);
	bench_figure(r, "cmdq_1_producer_mcmds_per_s", cmdq_rate(g.dev, 1), "M commands/s");
	bench_figure(r, "cmdq_2_producers_mcmds_per_s", cmdq_rate(g.dev, 2), "M commands/s");
	bench_figure(r, "attach_detach_kpairs_per_s", attach_detach_rate(&g), "K pairs/s");
	if (smmu_master_attach(g.master, g.s1))
		die("attach");
	bench_figure(r, "map_unmap_4k_mpairs_per_s", map_unmap_rate(&g, true), "M pairs/s");
	bench_figure(r, "map_unmap_4k_empty_domain_mpairs_per_s", map_unmap_rate(&g, false),
		     "M pairs/s");
	rig_fini(&g);
	smmu_thread_unregister();
}
