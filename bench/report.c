/*
 * Figure printing for the bench program (see report.h).
 */
#include <stdio.h>
#include <time.h>

#include "report.h"

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * BENCH_NS_PER_S + (double)ts.tv_nsec;
}

void bench_figure(struct bench_report *r, const char *name, double value,
		  const char *unit)
{
	if (r->json)
		printf("%s\n  \"%s\": %.3f", r->first ? "{" : ",", name, value);
	else
		printf("%s: %.3f %s\n", name, value, unit);
	r->first = false;
}

void bench_report_end(const struct bench_report *r)
{
	if (r->json)
		printf("%s\n}\n", r->first ? "{" : "");
}
