/*
 * The integration harness (see harness.h).  Callbacks may run on the
 * model's thread, so counters are atomic and the kept records are
 * written only by the first HARNESS_KEEP callers.
 */
#include <stdlib.h>

#include "harness.h"

#define DMA_BASE (UINT64_C(1) << 32)
#define DMA_SIZE (UINT64_C(1) << 28)

static void on_event(void *opaque, const struct smmu_event *evt)
{
	struct harness *h = opaque;
	unsigned n = atomic_fetch_add(&h->nevents, 1);

	if (n < HARNESS_KEEP)
		h->events[n] = *evt;
}

static bool on_pri(void *opaque, const struct smmu_pri_req *req)
{
	struct harness *h = opaque;

	atomic_fetch_add(&h->nreqs, 1);
	return false;
}

static void on_error(void *opaque, const struct smmu_dev_error *err)
{
	struct harness *h = opaque;
	unsigned n = atomic_fetch_add(&h->nerrors, 1);

	if (n < HARNESS_KEEP)
		h->errors[n] = *err;
}

static void on_log(void *opaque, enum smmu_log_level level, const char *msg)
{
}

static void on_irq(void *opaque, enum smmu_model_irq line)
{
	struct harness *h = opaque;

	/* The lines are numbered alike in the model and the driver. */
	pthread_rwlock_rdlock(&h->irq_lock);
	if (h->dev)
		smmu_dev_handle_irq(h->dev, (enum smmu_dev_irq)line);
	pthread_rwlock_unlock(&h->irq_lock);
}

struct harness *harness_new(const struct smmu_model_config *cfg, bool wire_irqs,
			    int *ret)
{
	struct harness *h = calloc(1, sizeof(*h));
	struct smmu_model_config c = *cfg;
	struct smmu_dev_options opts = { .opaque = h, .event = on_event, .pri = on_pri,
					 .error = on_error, .log = on_log };
	struct smmu_dev *dev = NULL;

	if (wire_irqs) {
		c.irq = on_irq;
		c.irq_opaque = h;
	}
	pthread_rwlock_init(&h->irq_lock, NULL);
	h->mem = smmu_mem_new();
	h->dma = h->mem ? smmu_dma_new(h->mem, DMA_BASE, DMA_SIZE) : NULL;
	h->model = h->dma ? smmu_model_new(&c, h->mem) : NULL;
	if (!h->model) {
		harness_free(h);
		return NULL;
	}
	smmu_model_platform_init(&h->plat, h->model, h->dma);
	*ret = smmu_dev_probe(&h->plat, &opts, &dev);
	pthread_rwlock_wrlock(&h->irq_lock);
	h->dev = dev;
	pthread_rwlock_unlock(&h->irq_lock);
	return h;
}

void harness_free(struct harness *h)
{
	struct smmu_dev *dev;

	pthread_rwlock_wrlock(&h->irq_lock);
	dev = h->dev;
	h->dev = NULL;
	pthread_rwlock_unlock(&h->irq_lock);
	smmu_dev_remove(dev);
	if (h->model)
		smmu_model_free(h->model);
	if (h->dma)
		smmu_dma_free_all(h->dma);
	if (h->mem)
		smmu_mem_free(h->mem);
	pthread_rwlock_destroy(&h->irq_lock);
	free(h);
}
