/*
 * Unit tests for <smmu/arch.h> and <smmu/bits.h>.
 *
 * Concepts: every field mask of arch.h (listed at build time by
 * gen_arch_masks.py) must be one contiguous run of bits that survives a
 * SMMU_FIELD_PREP/SMMU_FIELD_GET round trip at its maximum value and at
 * zero without touching neighbouring bits.  The fields of each structure
 * word and register must not overlap, except where the architecture
 * defines aliases (VTCR, the TCR part of CD dword 0), which are left out
 * of the lists below.  The OAS encoding helpers must agree with IDR5.OAS.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <smmu/arch.h>

struct named_mask {
	const char *name;
	uint64_t mask;
};

static const struct named_mask all_masks[] = {
#include "arch_masks.h"
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Fail naming the mask: a bare assert would only give the line. */
#define EXPECT(name, cond) \
	do { if (!(cond)) fail_msg("%s: %s", name, #cond); } while (0)

static void check_mask(const char *name, uint64_t m)
{
	unsigned shift;
	uint64_t max;

	EXPECT(name, m != 0);
	shift = SMMU_MASK_SHIFT(m);
	max = m >> shift;
	/* Contiguous: the field value mask is 2^width - 1. */
	EXPECT(name, (max & (max + 1)) == 0);
	EXPECT(name, SMMU_FIELD_PREP(m, max) == m);
	EXPECT(name, SMMU_FIELD_GET(m, SMMU_FIELD_PREP(m, max)) == max);
	EXPECT(name, SMMU_FIELD_PREP(m, 0) == 0);
	EXPECT(name, SMMU_FIELD_GET(m, ~m) == 0);
	EXPECT(name, SMMU_FIELD_SET(m, UINT64_MAX, 0) == ~m);
	EXPECT(name, SMMU_FIELD_SET(m, 0, max) == m);
	EXPECT(name, SMMU_FIELD_FITS(m, max));
	EXPECT(name, max == UINT64_MAX || !SMMU_FIELD_FITS(m, max + 1));
}

static void test_masks_round_trip(void **state)
{
	(void)state;
	assert_true(N(all_masks) > 200);
	for (size_t i = 0; i < N(all_masks); i++)
		check_mask(all_masks[i].name, all_masks[i].mask);
}

/* Fields of one word, pairwise disjoint. */
static void assert_disjoint(const char *what, const uint64_t *m, size_t n,
			    unsigned width)
{
	uint64_t seen = 0;

	for (size_t i = 0; i < n; i++) {
		if (seen & m[i])
			fail_msg("%s: field %zu overlaps 0x%" PRIx64, what, i,
				 seen & m[i]);
		seen |= m[i];
	}
	EXPECT(what, width == 64 || seen >> width == 0);
}

#define DISJOINT(name, width, ...)                                         \
	do {                                                               \
		static const uint64_t m_[] = { __VA_ARGS__ };               \
		assert_disjoint(name, m_, N(m_), width);                   \
	} while (0)

static void test_register_fields_disjoint(void **state)
{
	(void)state;
	DISJOINT("IDR0", 32, SMMU_IDR0_S2P, SMMU_IDR0_S1P, SMMU_IDR0_TTF,
		 SMMU_IDR0_COHACC, SMMU_IDR0_BTM, SMMU_IDR0_HTTU,
		 SMMU_IDR0_DORMHINT, SMMU_IDR0_HYP, SMMU_IDR0_ATS,
		 SMMU_IDR0_NS1ATS, SMMU_IDR0_ASID16, SMMU_IDR0_MSI,
		 SMMU_IDR0_SEV, SMMU_IDR0_ATOS, SMMU_IDR0_PRI, SMMU_IDR0_VMW,
		 SMMU_IDR0_VMID16, SMMU_IDR0_CD2L, SMMU_IDR0_VATOS,
		 SMMU_IDR0_TTENDIAN, SMMU_IDR0_ATSRECERR,
		 SMMU_IDR0_STALL_MODEL, SMMU_IDR0_TERM_MODEL,
		 SMMU_IDR0_ST_LEVEL, SMMU_IDR0_RME_IMPL);
	DISJOINT("IDR1", 32, SMMU_IDR1_SIDSIZE, SMMU_IDR1_SSIDSIZE,
		 SMMU_IDR1_PRIQS, SMMU_IDR1_EVENTQS, SMMU_IDR1_CMDQS,
		 SMMU_IDR1_ATTR_PERMS_OVR, SMMU_IDR1_ATTR_TYPES_OVR,
		 SMMU_IDR1_REL, SMMU_IDR1_QUEUES_PRESET,
		 SMMU_IDR1_TABLES_PRESET, SMMU_IDR1_ECMDQ);
	DISJOINT("IDR3", 32, SMMU_IDR3_HAD, SMMU_IDR3_PBHA, SMMU_IDR3_XNX,
		 SMMU_IDR3_PPS, SMMU_IDR3_MPAM, SMMU_IDR3_FWB, SMMU_IDR3_STT,
		 SMMU_IDR3_RIL, SMMU_IDR3_BBML, SMMU_IDR3_E0PD,
		 SMMU_IDR3_PTWNNC, SMMU_IDR3_DPT, SMMU_IDR3_PASIDTT,
		 SMMU_IDR3_EPAN, SMMU_IDR3_S1PI, SMMU_IDR3_S2PI,
		 SMMU_IDR3_S2PO, SMMU_IDR3_THE, SMMU_IDR3_MTEPERM,
		 SMMU_IDR3_AIE);
	DISJOINT("IDR5", 32, SMMU_IDR5_OAS, SMMU_IDR5_GRAN4K,
		 SMMU_IDR5_GRAN16K, SMMU_IDR5_GRAN64K, SMMU_IDR5_DS,
		 SMMU_IDR5_D128, SMMU_IDR5_VAX, SMMU_IDR5_STALL_MAX);
	DISJOINT("CR0", 32, SMMU_CR0_SMMUEN, SMMU_CR0_PRIQEN,
		 SMMU_CR0_EVENTQEN, SMMU_CR0_CMDQEN, SMMU_CR0_ATSCHK,
		 SMMU_CR0_VMW, SMMU_CR0_DPT_WALK_EN);
	DISJOINT("CR1", 32, SMMU_CR1_QUEUE_IC, SMMU_CR1_QUEUE_OC,
		 SMMU_CR1_QUEUE_SH, SMMU_CR1_TABLE_IC, SMMU_CR1_TABLE_OC,
		 SMMU_CR1_TABLE_SH);
	DISJOINT("CR2", 32, SMMU_CR2_E2H, SMMU_CR2_RECINVSID, SMMU_CR2_PTM,
		 SMMU_CR2_REC_CFG_ATS);
	DISJOINT("GBPA", 32, SMMU_GBPA_MEMATTR, SMMU_GBPA_MTCFG,
		 SMMU_GBPA_ALLOCCFG, SMMU_GBPA_SHCFG, SMMU_GBPA_PRIVCFG,
		 SMMU_GBPA_INSTCFG, SMMU_GBPA_ABORT, SMMU_GBPA_UPDATE);
	DISJOINT("GERROR", 32, SMMU_GERROR_CMDQ_ERR,
		 SMMU_GERROR_EVENTQ_ABT_ERR, SMMU_GERROR_PRIQ_ABT_ERR,
		 SMMU_GERROR_MSI_CMDQ_ABT_ERR, SMMU_GERROR_MSI_EVENTQ_ABT_ERR,
		 SMMU_GERROR_MSI_PRIQ_ABT_ERR, SMMU_GERROR_MSI_GERROR_ABT_ERR,
		 SMMU_GERROR_SFM_ERR, SMMU_GERROR_CMDQP_ERR,
		 SMMU_GERROR_DPT_ERR);
	DISJOINT("STRTAB_BASE", 64, SMMU_STRTAB_BASE_RA, SMMU_STRTAB_BASE_ADDR);
	DISJOINT("STRTAB_BASE_CFG", 32, SMMU_STRTAB_BASE_CFG_LOG2SIZE,
		 SMMU_STRTAB_BASE_CFG_SPLIT, SMMU_STRTAB_BASE_CFG_FMT);
	DISJOINT("Q_BASE", 64, SMMU_Q_BASE_RA, SMMU_Q_BASE_ADDR,
		 SMMU_Q_BASE_LOG2SIZE);
	DISJOINT("CMDQ_CONS", 32, SMMU_Q_PTR_WRAP_IDX, SMMU_CMDQ_CONS_ERR);
	DISJOINT("EVENTQ_PROD", 32, SMMU_Q_PTR_WRAP_IDX, SMMU_Q_PROD_OVFLG);
	DISJOINT("IRQ_CFG2", 32, SMMU_IRQ_CFG2_MEMATTR, SMMU_IRQ_CFG2_SH);
}

static void test_command_fields_disjoint(void **state)
{
	(void)state;
	DISJOINT("CMD0 common", 64, SMMU_CMD0_OP, SMMU_CMD0_SSEC,
		 SMMU_CMD0_SSV, SMMU_CMD0_SSID, SMMU_CMD0_SID);
	DISJOINT("CMD0 TLBI", 64, SMMU_CMD0_OP, SMMU_CMD0_TLBI_NUM,
		 SMMU_CMD0_TLBI_SCALE, SMMU_CMD0_VMID, SMMU_CMD0_ASID);
	DISJOINT("CMD1 TLBI VA", 64, SMMU_CMD1_TLBI_LEAF,
		 SMMU_CMD1_TLBI_TTL128, SMMU_CMD1_TLBI_TTL, SMMU_CMD1_TLBI_TG,
		 SMMU_CMD1_TLBI_VA);
	DISJOINT("CMD1 TLBI IPA", 64, SMMU_CMD1_TLBI_LEAF,
		 SMMU_CMD1_TLBI_TTL128, SMMU_CMD1_TLBI_TTL, SMMU_CMD1_TLBI_TG,
		 SMMU_CMD1_TLBI_IPA);
	DISJOINT("CMD ATC_INV", 64, SMMU_CMD0_OP, SMMU_CMD0_ATC_GLOBAL,
		 SMMU_CMD0_SSV, SMMU_CMD0_SSID, SMMU_CMD0_SID);
	DISJOINT("CMD1 ATC_INV", 64, SMMU_CMD1_ATC_SIZE, SMMU_CMD1_ATC_ADDR);
	DISJOINT("CMD1 PREFETCH", 64, SMMU_CMD1_PREFETCH_SIZE,
		 SMMU_CMD1_PREFETCH_ADDR);
	DISJOINT("CMD1 PRI_RESP", 64, SMMU_CMD1_PRI_GRPID, SMMU_CMD1_PRI_RESP);
	DISJOINT("CMD RESUME", 64, SMMU_CMD0_OP, SMMU_CMD0_SSEC,
		 SMMU_CMD0_RESUME_RESP, SMMU_CMD0_SID);
	DISJOINT("CMD0 SYNC", 64, SMMU_CMD0_OP, SMMU_CMD0_SYNC_CS,
		 SMMU_CMD0_SYNC_MSH, SMMU_CMD0_SYNC_MSIATTR,
		 SMMU_CMD0_SYNC_MSIDATA);
	DISJOINT("CMD1 DPTI_PA", 64, SMMU_CMD1_DPTI_LEAF, SMMU_CMD1_DPTI_SIZE,
		 SMMU_CMD1_DPTI_ADDR);
}

static void test_table_fields_disjoint(void **state)
{
	(void)state;
	DISJOINT("L1STD", 64, SMMU_L1STD_SPAN, SMMU_L1STD_L2PTR);
	DISJOINT("L1CD", 64, SMMU_L1CD_V, SMMU_L1CD_L2PTR);
	DISJOINT("STE0", 64, SMMU_STE0_V, SMMU_STE0_CONFIG, SMMU_STE0_S1FMT,
		 SMMU_STE0_S1CTXPTR, SMMU_STE0_S1CDMAX);
	DISJOINT("STE1", 64, SMMU_STE1_S1DSS, SMMU_STE1_S1CIR,
		 SMMU_STE1_S1COR, SMMU_STE1_S1CSH, SMMU_STE1_S2HWU,
		 SMMU_STE1_DRE, SMMU_STE1_CONT, SMMU_STE1_DCP, SMMU_STE1_PPAR,
		 SMMU_STE1_MEV, SMMU_STE1_SW_RESERVED, SMMU_STE1_S1PIE,
		 SMMU_STE1_S2FWB, SMMU_STE1_S1MPAM, SMMU_STE1_S1STALLD,
		 SMMU_STE1_EATS, SMMU_STE1_STRW, SMMU_STE1_MEMATTR,
		 SMMU_STE1_MTCFG, SMMU_STE1_ALLOCCFG, SMMU_STE1_SHCFG,
		 SMMU_STE1_NSCFG, SMMU_STE1_PRIVCFG, SMMU_STE1_INSTCFG,
		 SMMU_STE1_IMPDEF);
	/* SMMU_STE2_VTCR is the union of S2T0SZ..S2PS and is left out. */
	DISJOINT("STE2", 64, SMMU_STE2_S2VMID, SMMU_STE2_IMPDEF,
		 SMMU_STE2_S2T0SZ, SMMU_STE2_S2SL0, SMMU_STE2_S2IR0,
		 SMMU_STE2_S2OR0, SMMU_STE2_S2SH0, SMMU_STE2_S2TG,
		 SMMU_STE2_S2PS, SMMU_STE2_S2AA64, SMMU_STE2_S2ENDI,
		 SMMU_STE2_S2AFFD, SMMU_STE2_S2PTW, SMMU_STE2_S2HD,
		 SMMU_STE2_S2HA, SMMU_STE2_S2S, SMMU_STE2_S2R,
		 SMMU_STE2_S2HAFT, SMMU_STE2_S2PIE, SMMU_STE2_S2POE,
		 SMMU_STE2_DPT_VMATCH);
	assert_int_equal(SMMU_STE2_VTCR,
			 SMMU_STE2_S2T0SZ | SMMU_STE2_S2SL0 | SMMU_STE2_S2IR0 |
			 SMMU_STE2_S2OR0 | SMMU_STE2_S2SH0 | SMMU_STE2_S2TG |
			 SMMU_STE2_S2PS);
	DISJOINT("STE3", 64, SMMU_STE3_S2NSW, SMMU_STE3_S2NSA,
		 SMMU_STE3_S2SL0_2, SMMU_STE3_S2DS, SMMU_STE3_S2TTB,
		 SMMU_STE3_S2SKL);
	DISJOINT("CD0", 64, SMMU_CD0_T0SZ, SMMU_CD0_TG0, SMMU_CD0_IR0,
		 SMMU_CD0_OR0, SMMU_CD0_SH0, SMMU_CD0_EPD0, SMMU_CD0_ENDI,
		 SMMU_CD0_T1SZ, SMMU_CD0_TG1, SMMU_CD0_IR1, SMMU_CD0_OR1,
		 SMMU_CD0_SH1, SMMU_CD0_EPD1, SMMU_CD0_V, SMMU_CD0_IPS,
		 SMMU_CD0_AFFD, SMMU_CD0_WXN, SMMU_CD0_UWXN, SMMU_CD0_TBI,
		 SMMU_CD0_PAN, SMMU_CD0_AA64, SMMU_CD0_HD, SMMU_CD0_HA,
		 SMMU_CD0_S, SMMU_CD0_R, SMMU_CD0_A, SMMU_CD0_ASET,
		 SMMU_CD0_ASID);
	DISJOINT("CD1", 64, SMMU_CD1_NSCFG0, SMMU_CD1_HAD0, SMMU_CD1_E0PD0,
		 SMMU_CD1_HAFT, SMMU_CD1_TTB0, SMMU_CD1_PNCH, SMMU_CD1_EPAN,
		 SMMU_CD1_HWU0);
	DISJOINT("CD2", 64, SMMU_CD2_NSCFG1, SMMU_CD2_HAD1, SMMU_CD2_E0PD1,
		 SMMU_CD2_AIE, SMMU_CD2_TTB1, SMMU_CD2_DS, SMMU_CD2_PIE,
		 SMMU_CD2_HWU1);
	DISJOINT("CD5", 64, SMMU_CD5_IMPDEF, SMMU_CD5_PARTID, SMMU_CD5_PMG);
}

static void test_record_fields_disjoint(void **state)
{
	(void)state;
	DISJOINT("EVT0", 64, SMMU_EVT0_ID, SMMU_EVT0_SSV, SMMU_EVT0_SSID,
		 SMMU_EVT0_SID);
	DISJOINT("EVT1", 64, SMMU_EVT1_STAG, SMMU_EVT1_STALL, SMMU_EVT1_PNU,
		 SMMU_EVT1_IND, SMMU_EVT1_RNW, SMMU_EVT1_NSIPA, SMMU_EVT1_S2,
		 SMMU_EVT1_CLASS, SMMU_EVT1_TTRNW);
	DISJOINT("PRI0", 64, SMMU_PRI0_SID, SMMU_PRI0_SSID, SMMU_PRI0_PRIV,
		 SMMU_PRI0_EXEC, SMMU_PRI0_READ, SMMU_PRI0_WRITE,
		 SMMU_PRI0_LAST, SMMU_PRI0_SSV);
	DISJOINT("PRI1", 64, SMMU_PRI1_GRPID, SMMU_PRI1_ADDR);
}

static void test_oas_encoding(void **state)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };

	(void)state;
	for (unsigned enc = 0; enc < N(bits); enc++) {
		assert_int_equal(smmu_oas_bits(enc), bits[enc]);
		assert_int_equal(smmu_oas_encode(bits[enc]), (int)enc);
	}
	assert_int_equal(smmu_oas_bits(SMMU_OAS_56 + 1), 0);
	assert_int_equal(smmu_oas_bits(~0u), 0);
	assert_int_equal(smmu_oas_encode(47), -1);
	assert_int_equal(smmu_oas_encode(0), -1);
	assert_int_equal(smmu_oas_encode(64), -1);
	/* The encoding fills IDR5.OAS, CD.IPS and STE.S2PS exactly. */
	assert_int_equal(SMMU_FIELD_GET(SMMU_IDR5_OAS, SMMU_IDR5_OAS), SMMU_OAS_56);
	assert_int_equal(SMMU_FIELD_GET(SMMU_CD0_IPS, SMMU_CD0_IPS), SMMU_OAS_56);
	assert_int_equal(SMMU_FIELD_GET(SMMU_STE2_S2PS, SMMU_STE2_S2PS), SMMU_OAS_56);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masks_round_trip),
		cmocka_unit_test(test_register_fields_disjoint),
		cmocka_unit_test(test_command_fields_disjoint),
		cmocka_unit_test(test_table_fields_disjoint),
		cmocka_unit_test(test_record_fields_disjoint),
		cmocka_unit_test(test_oas_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
