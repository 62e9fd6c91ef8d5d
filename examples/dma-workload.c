/*
 * Multi-device, multi-thread DMA workload with live progress.
 *
 * Concepts: several simulated devices, one thread each, share one SMMU.
 * Every thread owns a stage-1 domain and loops: map a fresh page, DMA a
 * pattern into it through the model, read it back, check it, unmap it
 * (which invalidates through the domain's invalidation array), and every
 * few rounds detaches and re-attaches its device, so tags are freed and
 * reused under concurrent DMA.  The model runs on its own thread
 * (threaded mode, like hardware) with weakest-legal caching and the
 * coherency oracle.  A progress line is refreshed while the threads run;
 * the summary gives DMAs, bytes, data errors, oracle violations and the
 * commands the SMMU executed.  Exit status 0 means no error anywhere.
 *
 * Usage: dma-workload [THREADS [ROUNDS]]   (defaults 4 and 100000)
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <smmu/device.h>
#include <smmu/domain.h>
#include <smmu/driver.h>
#include <smmu/model.h>

#include "harness.h"

#define MAX_THREADS     16u
#define BASE_SID        0x200u
#define WORK_IOVA       0x100000ull
#define REATTACH_PERIOD 64u

struct workload {
	struct harness h;
	struct smmu_domain *blocked;
	unsigned rounds;
	atomic_uint_fast64_t dmas, bytes, errors;
	atomic_uint running;
};

struct worker {
	struct workload *w;
	unsigned index;
	pthread_t thread;
};

static int fill_and_check(struct workload *w, uint32_t sid, uint64_t iova,
			  unsigned round)
{
	uint8_t out[SMMU_MEM_PAGE_SIZE], in[SMMU_MEM_PAGE_SIZE];
	struct smmu_txn txn = { .sid = sid, .iova = iova, .write = true };

	memset(out, (int)(sid + round), sizeof(out));
	if (smmu_device_dma(w->h.model, &txn, out, sizeof(out), NULL, NULL))
		return -1;
	txn.write = false;
	if (smmu_device_dma(w->h.model, &txn, in, sizeof(in), NULL, NULL))
		return -1;
	atomic_fetch_add(&w->dmas, 2);
	atomic_fetch_add(&w->bytes, 2 * sizeof(in));
	return memcmp(in, out, sizeof(in)) ? -1 : 0;
}

static int one_round(struct workload *w, struct smmu_domain *d, uint32_t sid,
		     unsigned round)
{
	uint64_t iova = WORK_IOVA + (uint64_t)(round % 8) * SMMU_MEM_PAGE_SIZE;
	uint64_t pa;
	void *cpu;
	int ret;

	if (smmu_dma_alloc(w->h.dma, SMMU_MEM_PAGE_SIZE, SMMU_MEM_PAGE_SIZE, &cpu, &pa))
		return -1;
	ret = smmu_domain_map(d, iova, pa, SMMU_MEM_PAGE_SIZE,
			      SMMU_PROT_READ | SMMU_PROT_WRITE | SMMU_PROT_CACHE);
	if (!ret)
		ret = fill_and_check(w, sid, iova, round);
	if (smmu_domain_unmap(d, iova, SMMU_MEM_PAGE_SIZE) != SMMU_MEM_PAGE_SIZE)
		ret = -1;
	smmu_dma_free(w->h.dma, pa);
	return ret;
}

static void *worker_main(void *arg)
{
	struct worker *self = arg;
	struct workload *w = self->w;
	uint32_t sid = BASE_SID + self->index;
	struct smmu_master_config mcfg = { .sids = &sid, .num_sids = 1 };
	struct smmu_domain_config dcfg = { .type = SMMU_DOMAIN_S1 };
	struct smmu_master *master;
	struct smmu_domain *d;

	smmu_thread_register();
	if (smmu_master_add(w->h.dev, &mcfg, &master) ||
	    smmu_domain_alloc(w->h.dev, &dcfg, &d) || smmu_master_attach(master, d)) {
		atomic_fetch_add(&w->errors, 1);
		goto out;
	}
	for (unsigned round = 0; round < w->rounds; round++) {
		if (one_round(w, d, sid, round))
			atomic_fetch_add(&w->errors, 1);
		if (round % REATTACH_PERIOD == REATTACH_PERIOD - 1 &&
		    (smmu_master_attach(master, w->blocked) || smmu_master_attach(master, d)))
			atomic_fetch_add(&w->errors, 1);
	}
	smmu_master_remove(master);
	if (smmu_domain_free(d))
		atomic_fetch_add(&w->errors, 1);
out:
	smmu_thread_unregister();
	atomic_fetch_sub(&w->running, 1);
	return NULL;
}

static void show_progress(struct workload *w, unsigned threads)
{
	while (atomic_load(&w->running)) {
		printf("\r  %u threads running: %" PRIu64 " DMAs, %" PRIu64 " KiB, %" PRIu64
		       " errors   ", atomic_load(&w->running), (uint64_t)atomic_load(&w->dmas),
		       (uint64_t)atomic_load(&w->bytes) >> 10, (uint64_t)atomic_load(&w->errors));
		fflush(stdout);
		nanosleep(&(struct timespec){ .tv_nsec = 100 * 1000 * 1000 }, NULL);
	}
	printf("\r  %u threads finished%*s\n", threads, 40, "");
}

int main(int argc, char **argv)
{
	unsigned threads = argc > 1 ? (unsigned)atoi(argv[1]) : 4;
	struct smmu_domain_config bcfg = { .type = SMMU_DOMAIN_BLOCKED };
	struct worker workers[MAX_THREADS];
	struct smmu_model_config cfg;
	struct smmu_model_stats s;
	struct workload w = { .rounds = argc > 2 ? (unsigned)atoi(argv[2]) : 100000 };

	if (threads < 1 || threads > MAX_THREADS || w.rounds < 1 || argc > 3) {
		fprintf(stderr, "usage: %s [THREADS (1-%u) [ROUNDS]]\n", argv[0], MAX_THREADS);
		return 2;
	}
	smmu_model_config_default(&cfg);
	cfg.threaded = true;
	cfg.weakest_legal = true;
	cfg.check_coherency = true;
	harness_init(&w.h, &cfg);
	harness_check(smmu_domain_alloc(w.h.dev, &bcfg, &w.blocked), "blocked domain");
	printf("dma-workload: %u devices, one thread each, %u rounds of map/DMA/check/unmap\n",
	       threads, w.rounds);
	atomic_store(&w.running, threads);
	for (unsigned i = 0; i < threads; i++) {
		workers[i] = (struct worker){ .w = &w, .index = i };
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]))
			harness_die("cannot start a thread");
	}
	show_progress(&w, threads);
	for (unsigned i = 0; i < threads; i++)
		pthread_join(workers[i].thread, NULL);

	smmu_model_get_stats(w.h.model, &s);
	printf("summary: %" PRIu64 " DMAs, %" PRIu64 " KiB moved, %" PRIu64 " data errors\n",
	       (uint64_t)w.dmas, (uint64_t)w.bytes >> 10, (uint64_t)w.errors);
	harness_show_translation_stats(&w.h);
	harness_show_oracle(&w.h);
	harness_show_commands(&w.h);
	harness_check(smmu_domain_free(w.blocked), "free blocked");
	harness_fini(&w.h);
	return w.errors || s.coherency_violations ? EXIT_FAILURE : EXIT_SUCCESS;
}
