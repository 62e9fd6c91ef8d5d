/*
 * Model lifecycle: configuration defaults and checks, creation, the model
 * lock with deferred interrupt delivery, device-side memory access,
 * counters and tracing.
 *
 * Concepts: struct smmu_model_config says what hardware is being modelled;
 * smmu_model_new() refuses a configuration no SMMUv3 could have (a feature
 * that depends on a missing one, a reserved encoding, a size beyond the
 * architecture's range) and builds the register file, the configuration
 * cache, the translation layer's state and, when threaded, the command
 * thread.  Everything else in the model reaches memory through
 * smmu_model_read64/write64/write32 here, which turn an address beyond the
 * OAS into the external abort real hardware would see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "utlb.h"
#include "xlate.h"

#define MODEL_DEFAULT_SID_BITS 16u
#define MODEL_DEFAULT_QUEUE_LOG2 19u
#define MODEL_DEFAULT_OAS_BITS 48u
#define MODEL_DEFAULT_STALL_MAX 32u
#define MODEL_DEFAULT_AIDR_MINOR 2u     /* SMMUv3.2 */
#define MODEL_DEFAULT_BBML 2u
#define MODEL_MAX_BBML 2u
#define MODEL_MAX_VAX 1u                /* 52-bit VA; 56-bit needs D128 */
#define MODEL_MAX_OAS_BITS 52u          /* 56-bit needs D128 */
#define MODEL_MAX_AIDR_MINOR 0xfu
#define MODEL_MAX_STALL_MAX 0xffffu
/* Arm Ltd's JEP106 code, as an IIDR implementer. */
#define MODEL_IIDR_IMPLEMENTER_ARM 0x43bu

void smmu_model_config_default(struct smmu_model_config *cfg)
{
	if (!cfg)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->stage1 = true;
	cfg->stage2 = true;
	cfg->ttf = SMMU_TTF_AARCH64;
	cfg->coherent = true;
	cfg->httu = SMMU_HTTU_HA_HD;
	cfg->hyp = true;
	cfg->ats = true;
	cfg->asid16 = true;
	cfg->msi = true;
	cfg->sev = true;
	cfg->pri = true;
	cfg->vmid16 = true;
	cfg->cd2l = true;
	cfg->ttendian = SMMU_TTENDIAN_LE;
	cfg->stall_model = SMMU_STALL_MODEL_STALL_TERM;
	cfg->st_2lvl = true;
	cfg->sid_bits = MODEL_DEFAULT_SID_BITS;
	cfg->ssid_bits = SMMU_SSIDSIZE_MAX;
	cfg->cmdq_log2 = MODEL_DEFAULT_QUEUE_LOG2;
	cfg->eventq_log2 = MODEL_DEFAULT_QUEUE_LOG2;
	cfg->priq_log2 = MODEL_DEFAULT_QUEUE_LOG2;
	cfg->attr_types_ovr = true;
	cfg->attr_perms_ovr = true;
	cfg->ril = true;
	cfg->fwb = true;
	cfg->bbml = MODEL_DEFAULT_BBML;
	cfg->oas_bits = MODEL_DEFAULT_OAS_BITS;
	cfg->gran4k = cfg->gran16k = cfg->gran64k = true;
	cfg->stall_max = MODEL_DEFAULT_STALL_MAX;
	cfg->iidr = (uint32_t)SMMU_FIELD_PREP(SMMU_IIDR_IMPLEMENTER,
					      MODEL_IIDR_IMPLEMENTER_ARM);
	cfg->aidr_minor = MODEL_DEFAULT_AIDR_MINOR;
}

/* Features that need another feature, and encodings the architecture reserves. */
static bool config_consistent(const struct smmu_model_config *c)
{
	if (!c->stage1 && !c->stage2)
		return false;
	if (c->hyp && !(c->stage1 && c->stage2))
		return false;
	if (c->pri && !c->ats)
		return false;
	if (c->ssid_bits && !c->stage1)
		return false;
	/* Preset queue and table bases need addresses the config cannot give. */
	if (c->queues_preset || c->tables_preset || c->rel)
		return false;
	if (c->ttf < SMMU_TTF_AARCH32 || c->ttf > SMMU_TTF_BOTH)
		return false;
	if (c->httu > SMMU_HTTU_HA_HD)
		return false;
	if (c->ttendian != SMMU_TTENDIAN_MIXED && c->ttendian != SMMU_TTENDIAN_LE &&
	    c->ttendian != SMMU_TTENDIAN_BE)
		return false;
	if (c->stall_model > SMMU_STALL_MODEL_STALL_FORCE)
		return false;
	return c->gran4k || c->gran16k || c->gran64k;
}

static bool config_sizes_ok(const struct smmu_model_config *c)
{
	return c->sid_bits <= SMMU_SIDSIZE_MAX && c->ssid_bits <= SMMU_SSIDSIZE_MAX &&
	       c->cmdq_log2 <= SMMU_QUEUE_LOG2_MAX &&
	       c->eventq_log2 <= SMMU_QUEUE_LOG2_MAX &&
	       c->priq_log2 <= SMMU_QUEUE_LOG2_MAX &&
	       smmu_oas_encode(c->oas_bits) >= 0 && c->oas_bits <= MODEL_MAX_OAS_BITS &&
	       c->vax <= MODEL_MAX_VAX && c->bbml <= MODEL_MAX_BBML &&
	       c->stall_max <= MODEL_MAX_STALL_MAX &&
	       c->aidr_minor <= MODEL_MAX_AIDR_MINOR && smmu_utlb_slots_ok(c->utlb_slots);
}

static void model_destroy(struct smmu_model *m)
{
	smmu_model_xlate_fini(m);
	smmu_cfg_fast_free(m);
	smmu_cfg_cache_free(m);
	pthread_cond_destroy(&m->sev_cond);
	pthread_mutex_destroy(&m->sev_lock);
	pthread_cond_destroy(&m->cmdq_wake);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct smmu_model *smmu_model_new(const struct smmu_model_config *cfg,
				  struct smmu_mem *mem)
{
	struct smmu_model *m;
	int ret;

	if (!cfg || !mem || !config_consistent(cfg) || !config_sizes_ok(cfg)) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		errno = ENOMEM;
		return NULL;
	}
	m->cfg = *cfg;
	m->mem = mem;
	m->oas_bits = cfg->oas_bits;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cmdq_wake, NULL);
	pthread_mutex_init(&m->sev_lock, NULL);
	pthread_cond_init(&m->sev_cond, NULL);
	smmu_model_regs_reset(m);

	ret = smmu_cfg_cache_new(m);
	if (!ret)
		ret = smmu_cfg_fast_new(m);
	if (!ret)
		ret = smmu_model_xlate_init(m);
	if (!ret && cfg->threaded)
		ret = smmu_model_cmdq_start_thread(m);
	if (ret) {
		model_destroy(m);
		errno = -ret;
		return NULL;
	}
	return m;
}

void smmu_model_free(struct smmu_model *m)
{
	if (!m)
		return;
	if (m->cfg.threaded)
		smmu_model_cmdq_stop_thread(m);
	model_destroy(m);
}

void smmu_model_lock(struct smmu_model *m)
{
	pthread_mutex_lock(&m->lock);
}

void smmu_model_unlock(struct smmu_model *m)
{
	unsigned pending;

	pthread_mutex_unlock(&m->lock);
	pending = atomic_exchange(&m->pending_irqs, 0u);
	if ((pending & SMMU_MODEL_PENDING_SEV) && m->cfg.sev_signal)
		m->cfg.sev_signal(m->cfg.sev_opaque);
	pending &= ~SMMU_MODEL_PENDING_SEV;
	for (unsigned line = 0; pending; line++, pending >>= 1)
		if ((pending & 1u) && m->cfg.irq)
			m->cfg.irq(m->cfg.irq_opaque, (enum smmu_model_irq)line);
}

bool smmu_model_pa_ok(const struct smmu_model *m, uint64_t pa, uint64_t len)
{
	uint64_t limit = UINT64_C(1) << m->oas_bits;

	return pa < limit && len <= limit - pa;
}

int smmu_model_read64(struct smmu_model *m, uint64_t pa, uint64_t *val)
{
	if (!smmu_model_pa_ok(m, pa, sizeof(*val)) || smmu_mem_read64(m->mem, pa, val))
		return -EFAULT;
	return 0;
}

int smmu_model_write64(struct smmu_model *m, uint64_t pa, uint64_t val)
{
	if (!smmu_model_pa_ok(m, pa, sizeof(val)) || smmu_mem_write64(m->mem, pa, val))
		return -EFAULT;
	return 0;
}

int smmu_model_write32(struct smmu_model *m, uint64_t pa, uint32_t val)
{
	if (!smmu_model_pa_ok(m, pa, sizeof(val)) || smmu_mem_write32(m->mem, pa, val))
		return -EFAULT;
	return 0;
}

/* The stats struct is an array of uint64_t counters, read one by one. */
_Static_assert(sizeof(struct smmu_model_stats) % sizeof(uint64_t) == 0,
	       "struct smmu_model_stats holds only uint64_t counters");
#define STATS_WORDS (sizeof(struct smmu_model_stats) / sizeof(uint64_t))

int smmu_model_get_stats(struct smmu_model *m, struct smmu_model_stats *out)
{
	const uint64_t *src;
	uint64_t *dst;

	if (!m || !out)
		return -EINVAL;
	src = (const uint64_t *)&m->stats;
	dst = (uint64_t *)out;
	for (size_t i = 0; i < STATS_WORDS; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	for (unsigned hits = 0; hits <= SMMU_CFG_MAX_LOOKUPS; hits++) {
		uint64_t n = __atomic_load_n(&m->fast_translations[hits], __ATOMIC_RELAXED);

		out->translations += n;
		out->cfg_hits += n * hits;
	}
	out->cfg_hits += __atomic_load_n(&m->fast_prefetch_hits, __ATOMIC_RELAXED);
	smmu_utlb_fold_stats(m, out);
	return 0;
}

void smmu_model_reset_stats(struct smmu_model *m)
{
	uint64_t *words;

	if (!m)
		return;
	words = (uint64_t *)&m->stats;
	/* Under m->lock: SMMU_MODEL_COUNT_LOCKED's load + store is not torn. */
	smmu_model_lock(m);
	for (size_t i = 0; i < STATS_WORDS; i++)
		__atomic_store_n(&words[i], 0, __ATOMIC_RELAXED);
	for (unsigned hits = 0; hits <= SMMU_CFG_MAX_LOOKUPS; hits++)
		__atomic_store_n(&m->fast_translations[hits], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&m->fast_prefetch_hits, 0, __ATOMIC_RELAXED);
	smmu_utlb_reset_stats(m);
	smmu_model_unlock(m);
}
