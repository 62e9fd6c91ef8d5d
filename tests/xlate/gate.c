/* Race tests' tools (gate.h): the gated memory and the two threads. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <cmocka.h>

#include "gate.h"
#include "streams.h"

static int gate_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	struct gate *g = opaque;
	int rc = smmu_mem_read(g->backing, pa, buf, len);

	if (pa == g->pa && atomic_exchange(&g->armed, false)) {
		atomic_store(&g->holding, true);
		while (!atomic_load(&g->released))
			sched_yield();
	}
	return rc;
}

static int gate_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
	return smmu_mem_write(((struct gate *)opaque)->backing, pa, buf, len);
}

void gate_install(struct harness *h, struct gate *g)
{
	static const struct smmu_mem_ops ops = { .read = gate_read, .write = gate_write };

	g->backing = h->mem;
	g->mem = smmu_mem_new_ops(&ops, g);
	assert_non_null(g->mem);
	smmu_model_free(h->m);
	h->m = smmu_model_new(&h->cfg, g->mem);
	assert_non_null(h->m);
}

void gate_remove(struct harness *h, struct gate *g)
{
	smmu_model_free(h->m);
	h->m = NULL;
	smmu_mem_free(g->mem);
	harness_rebuild(h);
}

void gate_arm(struct gate *g, uint64_t pa)
{
	g->pa = pa;
	atomic_store(&g->released, false);
	atomic_store(&g->holding, false);
	atomic_store(&g->armed, true);
}

/* Long enough for a loaded machine under valgrind; a test that hangs tells nothing. */
#define GATE_WAIT_S 20

void gate_wait_holding(const struct gate *g)
{
	time_t deadline = time(NULL) + GATE_WAIT_S;

	while (!atomic_load(&g->holding)) {
		if (time(NULL) > deadline)
			fail_msg("no read of %#llx came to the gate", (unsigned long long)g->pa);
		sched_yield();
	}
}

void gate_wait_sync_waiting(struct harness *h, uint64_t before)
{
	time_t deadline = time(NULL) + GATE_WAIT_S;

	while (h_stats(h).syncs_waiting_for_walks == before) {
		if (time(NULL) > deadline)
			fail_msg("no CMD_SYNC waited for the held walk");
		sched_yield();
	}
}

void gate_release(struct gate *g)
{
	atomic_store(&g->released, true);
}

static void *translate_thread(void *arg)
{
	struct gate_txn *t = arg;
	struct smmu_txn txn = { .sid = SID, .iova = t->iova };

	smmu_model_translate(t->m, &txn, &t->res);
	return NULL;
}

void gate_txn_start(struct gate_txn *t)
{
	assert_int_equal(pthread_create(&t->thread, NULL, translate_thread, t), 0);
}

void gate_txn_join(struct gate_txn *t)
{
	assert_int_equal(pthread_join(t->thread, NULL), 0);
}

static void *sync_thread(void *arg)
{
	struct gate_sync *s = arg;

	for (unsigned i = 0; i < s->n; i++)
		h_cmd(s->h, s->dw0[i], s->dw1[i]);
	h_sync(s->h);
	atomic_store(&s->synced, true);
	return NULL;
}

void gate_sync_start(struct gate_sync *s)
{
	assert_int_equal(pthread_create(&s->thread, NULL, sync_thread, s), 0);
}

void gate_sync_join(struct gate_sync *s)
{
	assert_int_equal(pthread_join(s->thread, NULL), 0);
}
