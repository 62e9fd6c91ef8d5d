/*
 * The harness the examples share: one model, its memory, a DMA window and
 * the driver probed on it, plus the printing every example wants.
 *
 * Concepts: struct harness is what a test harness of a libsmmu user looks
 * like - memory, model, platform, driver.  Commands are reported as the
 * change in the model's per-opcode counters since the last report, so a
 * reader sees exactly what each driver operation sent to the SMMU.
 */
#ifndef SMMU_EXAMPLES_HARNESS_H
#define SMMU_EXAMPLES_HARNESS_H

#include <smmu/driver.h>
#include <smmu/mem.h>
#include <smmu/model.h>
#include <smmu/platform.h>

struct harness {
	struct smmu_mem *mem;
	struct smmu_dma *dma;
	struct smmu_model *model;
	struct smmu_platform plat;
	struct smmu_dev *dev;
	struct smmu_model_stats last;
};

void harness_init(struct harness *h, const struct smmu_model_config *cfg);
void harness_init_opts(struct harness *h, const struct smmu_model_config *cfg,
		       const struct smmu_dev_options *opts);
/* Remove the driver, free the model; returns the exit status to use. */
int harness_fini(struct harness *h);
void harness_die(const char *what) __attribute__((noreturn));
/* Exit with a message when ret is a negative errno. */
void harness_check(int ret, const char *what);
void harness_show_features(struct harness *h);
void harness_show_commands(struct harness *h);
void harness_show_translation_stats(struct harness *h);
void harness_show_oracle(struct harness *h);

#endif /* SMMU_EXAMPLES_HARNESS_H */
