/*
 * Command queue throughput: the driver's lock-free queue feeding the
 * inline model.
 *
 * Concepts: producers issue batches of 64 PREFETCH_CONFIG commands, each
 * closed by one CMD_SYNC (MSI completion, as on a coherent SMMU), for a
 * fixed wall time; the figure is commands per second summed over all
 * producers (SYNCs not counted), for 1 and 2 producer threads.  Printed
 * as "name: value unit" lines, or one JSON object with --json.  Timings
 * are reported, never judged.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#include "cmdq.h"

#define RUN_SECONDS 1.0
#define MAX_PRODUCERS 2u
#define DMA_BASE (UINT64_C(1) << 32)
#define DMA_SIZE (UINT64_C(1) << 26)
#define NS_PER_S 1e9

struct bench {
	struct smmu_dev *dev;
	atomic_bool stop;
	atomic_ullong commands;
	atomic_int failures;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_S;
}

static void *producer(void *arg)
{
	struct bench *b = arg;
	struct smmu_cmd cmds[SMMU_CMDQ_BATCH_MAX];
	unsigned long long done = 0;

	for (unsigned i = 0; i < SMMU_CMDQ_BATCH_MAX; i++)
		smmu_cmd_prefetch_config(&cmds[i], i);
	while (!atomic_load_explicit(&b->stop, memory_order_relaxed)) {
		if (smmu_cmdq_issue(b->dev, cmds, SMMU_CMDQ_BATCH_MAX, true)) {
			atomic_fetch_add(&b->failures, 1);
			break;
		}
		done += SMMU_CMDQ_BATCH_MAX;
	}
	atomic_fetch_add(&b->commands, done);
	return NULL;
}

/* Commands per second with n producers; negative on failure. */
static double run(struct smmu_dev *dev, unsigned n)
{
	struct bench b = { .dev = dev };
	struct timespec nap = { .tv_sec = (time_t)RUN_SECONDS,
				.tv_nsec = (long)((RUN_SECONDS - (time_t)RUN_SECONDS) * NS_PER_S) };
	pthread_t th[MAX_PRODUCERS];
	double start = now_s();

	for (unsigned t = 0; t < n; t++)
		pthread_create(&th[t], NULL, producer, &b);
	nanosleep(&nap, NULL);
	atomic_store(&b.stop, true);
	for (unsigned t = 0; t < n; t++)
		pthread_join(th[t], NULL);
	if (atomic_load(&b.failures))
		return -1;
	return (double)atomic_load(&b.commands) / (now_s() - start);
}

int main(int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	struct smmu_model_config cfg;
	struct smmu_mem *mem = smmu_mem_new();
	struct smmu_dma *dma = mem ? smmu_dma_new(mem, DMA_BASE, DMA_SIZE) : NULL;
	struct smmu_model *model;
	struct smmu_platform plat;
	struct smmu_dev *dev;
	double rate[MAX_PRODUCERS + 1];

	smmu_model_config_default(&cfg);
	model = dma ? smmu_model_new(&cfg, mem) : NULL;
	if (!model)
		return 1;
	smmu_model_platform_init(&plat, model, dma);
	if (smmu_dev_probe(&plat, NULL, &dev))
		return 1;
	for (unsigned n = 1; n <= MAX_PRODUCERS; n++)
		rate[n] = run(dev, n);
	if (json)
		printf("{\n  \"cmdq_cmds_per_s_1_producer\": %.0f,\n"
		       "  \"cmdq_cmds_per_s_2_producers\": %.0f\n}\n", rate[1], rate[2]);
	else
		printf("cmdq_cmds_per_s_1_producer: %.0f commands/s\n"
		       "cmdq_cmds_per_s_2_producers: %.0f commands/s\n", rate[1], rate[2]);
	smmu_dev_remove(dev);
	smmu_model_free(model);
	smmu_dma_free_all(dma);
	smmu_mem_free(mem);
	return rate[1] < 0 || rate[2] < 0;
}
