/*
 * Driver log lines: format once, then hand the text to the user's
 * callback or to stderr, filtered by the level in the device's options.
 */
#include <stdarg.h>
#include <stdio.h>

#include "dev.h"
#include "log.h"

#define SMMU_LOG_LINE_MAX 256

static enum smmu_log_level effective_level(const struct smmu_dev *dev)
{
	if (!dev || !dev->opts.log_level)
		return SMMU_LOG_WARN;
	return dev->opts.log_level;
}

void smmu_log(const struct smmu_dev *dev, enum smmu_log_level level,
	      const char *fmt, ...)
{
	char line[SMMU_LOG_LINE_MAX];
	va_list ap;

	if (level > effective_level(dev))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (dev && dev->opts.log)
		dev->opts.log(dev->opts.opaque, level, line);
	else
		fprintf(stderr, "libsmmu: %s\n", line);
}
