/*
 * How the bench program prints its figures.
 *
 * Concepts: every figure is one "name: value unit" line, or one member of
 * a single JSON object with --json, so a run can be read by a person or
 * compared by a script.  Figures are measured, never judged.
 */
#ifndef SMMU_BENCH_REPORT_H
#define SMMU_BENCH_REPORT_H

#include <stdbool.h>

#define BENCH_NS_PER_S 1e9
#define BENCH_MILLION 1000000.0

struct bench_report {
	bool json;
	bool first;
};

double bench_now_ns(void);
void bench_figure(struct bench_report *r, const char *name, double value,
		  const char *unit);
void bench_report_end(const struct bench_report *r);

/* The driver's figures (driver.c). */
void bench_driver_figures(struct bench_report *r);

#endif /* SMMU_BENCH_REPORT_H */
