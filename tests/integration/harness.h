/*
 * The integration harness: the driver probed on the model.
 *
 * Concepts: a struct harness owns simulated memory, a DMA window over it,
 * a model built from a config the test adjusts, and the driver probed on
 * the model's platform.  With wire_irqs the model's interrupt lines reach
 * smmu_dev_handle_irq(); otherwise the test polls.  Events, page requests
 * and error reports are counted (and the first few kept) for assertions.
 */
#ifndef SMMU_TEST_HARNESS_H
#define SMMU_TEST_HARNESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>

#define HARNESS_KEEP 16u

struct harness {
	struct smmu_mem *mem;
	struct smmu_dma *dma;
	struct smmu_model *model;
	struct smmu_platform plat;
	struct smmu_dev *dev;
	pthread_rwlock_t irq_lock; /* an interrupt in flight keeps dev alive */
	atomic_uint nevents, nerrors, nreqs;
	struct smmu_event events[HARNESS_KEEP];
	struct smmu_dev_error errors[HARNESS_KEEP];
};

/* Probe result in *ret; NULL only if the model itself could not be built. */
struct harness *harness_new(const struct smmu_model_config *cfg, bool wire_irqs,
			    int *ret);
void harness_free(struct harness *h);

#endif /* SMMU_TEST_HARNESS_H */
