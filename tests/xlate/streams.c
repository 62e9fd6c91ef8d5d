/* Streams for the translation tests (streams.h). */
#include "streams.h"

struct xt xt_begin(void **state)
{
	struct xt t = { .h = *state };

	h_enable_all(t.h);
	ptb_init(&t.b, t.h->mem, TABLES, SMMU_GRANULE_4K_LOG2);
	t.s1_root = ptb_table(&t.b, 512);
	t.s2_root = ptb_table(&t.b, 1024);
	return t;
}

uint64_t cd_word0(uint16_t asid, uint64_t flags)
{
	return SMMU_CD0_V | SMMU_CD0_AA64 | SMMU_FIELD_PREP(SMMU_CD0_T0SZ, 16) |
	       SMMU_FIELD_PREP(SMMU_CD0_TG0, SMMU_TG0_4K) | SMMU_CD0_EPD1 |
	       SMMU_FIELD_PREP(SMMU_CD0_IPS, SMMU_OAS_48) |
	       SMMU_FIELD_PREP(SMMU_CD0_ASID, asid) | flags;
}

void write_cd(struct xt *t, uint32_t sid, uint16_t asid, uint64_t flags)
{
	uint64_t cd[SMMU_CD_DWORDS] = { cd_word0(asid, flags), t->s1_root };

	for (unsigned i = 0; i < SMMU_CD_DWORDS; i++)
		assert_int_equal(smmu_mem_write64(t->h->mem, CD_BASE + sid * SMMU_CD_SIZE + i * 8,
						  cd[i]), 0);
}

uint64_t ste_s2_words(struct xt *t, uint64_t *ste, uint64_t flags)
{
	ste[2] = SMMU_FIELD_PREP(SMMU_STE2_S2VMID, VMID) |
		 SMMU_FIELD_PREP(SMMU_STE2_S2T0SZ, 24) | SMMU_FIELD_PREP(SMMU_STE2_S2SL0, 1) |
		 SMMU_FIELD_PREP(SMMU_STE2_S2TG, SMMU_S2TG_4K) |
		 SMMU_FIELD_PREP(SMMU_STE2_S2PS, SMMU_OAS_48) | SMMU_STE2_S2AA64 | flags;
	ste[3] = t->s2_root;
	return ste[2];
}

void write_ste(struct xt *t, uint32_t sid, unsigned config, uint64_t cd_flags,
		      uint64_t s2_flags)
{
	uint64_t ste[SMMU_STE_DWORDS] = {
		SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, config) |
		((CD_BASE + sid * SMMU_CD_SIZE) & SMMU_STE0_S1CTXPTR),
	};

	if (config & SMMU_STE_CFG_S1_BIT)
		write_cd(t, sid, ASID, cd_flags);
	ste_s2_words(t, ste, s2_flags);
	if (!(config & SMMU_STE_CFG_S2_BIT))
		ste[2] &= SMMU_STE2_S2VMID;
	h_write_ste(t->h, h_ste_pa(t->h, sid), ste);
}

void map_s1(struct xt *t, uint64_t va, uint64_t pa, uint64_t attrs)
{
	ptb_map(&t->b, t->s1_root, 48, 0, va, pa, 3, attrs);
}

uint64_t cmd_tlbi_va(uint16_t asid, uint16_t vmid)
{
	return cmd_tlbi(SMMU_CMD_TLBI_NH_VA, asid, vmid);
}


uint64_t cmd_tlbi(unsigned op, uint16_t asid, uint16_t vmid)
{
	return SMMU_FIELD_PREP(SMMU_CMD0_OP, op) | SMMU_FIELD_PREP(SMMU_CMD0_ASID, asid) |
	       SMMU_FIELD_PREP(SMMU_CMD0_VMID, vmid);
}

void xt_on_violation(void *opaque, const struct smmu_model_coherency_report *rep)
{
	struct oracle_seen *seen = opaque;

	seen->calls++;
	seen->last = *rep;
}

uint64_t walks(struct harness *h)
{
	return h_stats(h).walks;
}

struct smmu_txn_result xt_access(struct harness *h, uint64_t iova, bool priv, bool exec,
				 bool write)
{
	struct smmu_txn txn = { .sid = SID, .iova = iova, .priv = priv, .exec = exec,
				.write = write };
	struct smmu_txn_result r;

	assert_int_equal(smmu_model_translate(h->m, &txn, &r), 0);
	return r;
}
