/*
 * Driver log lines.
 *
 * Concepts: every message goes to the user's log callback from struct
 * smmu_dev_options, or to stderr when there is none, and only at or above
 * the level the user chose (warnings by default).  A boundary check that
 * refuses a value logs the value, so a failed call explains itself.
 * dev may be NULL (before a device exists): then the defaults apply.
 */
#ifndef SMMU_LIB_LOG_H
#define SMMU_LIB_LOG_H

#include <smmu/driver.h>

struct smmu_dev;

void smmu_log(const struct smmu_dev *dev, enum smmu_log_level level,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define smmu_err(dev, ...)  smmu_log(dev, SMMU_LOG_ERR, __VA_ARGS__)
#define smmu_warn(dev, ...) smmu_log(dev, SMMU_LOG_WARN, __VA_ARGS__)
#define smmu_info(dev, ...) smmu_log(dev, SMMU_LOG_INFO, __VA_ARGS__)
#define smmu_dbg(dev, ...)  smmu_log(dev, SMMU_LOG_DEBUG, __VA_ARGS__)

#endif /* SMMU_LIB_LOG_H */
