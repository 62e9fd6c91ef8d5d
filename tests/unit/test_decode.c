/*
 * Unit tests for the text decoders (<smmu/decode.h>).
 *
 * Concepts: inputs are built field by field with SMMU_FIELD_PREP from
 * arch.h, and the expected text is written out by hand from the
 * specification's field names and encodings, so a wrong mask or a wrong
 * enumeration name shows up as a golden-string mismatch.  Around the
 * goldens: reserved-bit flagging, snprintf-style truncation, unknown
 * opcodes, events and registers, bad arguments, and a sweep over every
 * opcode and event number with pseudo-random words checking that the
 * decoders agree with themselves at every buffer size.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmu/decode.h>

#include "../rng.h"

#define P(mask, val) SMMU_FIELD_PREP(mask, val)

typedef int (*decoder)(const uint64_t *words, char *buf, size_t size);

static void expect_text(decoder fn, const uint64_t *words, const char *want)
{
	char buf[4096];
	int n = fn(words, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
	assert_int_equal(fn(words, NULL, 0), n);
}

static void expect_reg(uint32_t offset, uint64_t value, const char *want)
{
	char buf[1024];
	int n = smmu_decode_reg(offset, value, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_cmd_sync_msi(void **state)
{
	const uint64_t cmd[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_SYNC) | P(SMMU_CMD0_SYNC_CS, SMMU_SYNC_CS_IRQ) |
		P(SMMU_CMD0_SYNC_MSH, SMMU_SH_ISH) |
		P(SMMU_CMD0_SYNC_MSIATTR, SMMU_MEMATTR_OIWB) |
		P(SMMU_CMD0_SYNC_MSIDATA, 0xcafe),
		0x40001004ull,
	};

	(void)state;
	expect_text(smmu_decode_cmd, cmd,
		    "CMD_SYNC CS=SIG_IRQ MSH=ISH MSIATTR=0xf MSIDATA=0xcafe "
		    "MSIADDR=0x40001004");
}

static void test_cmd_tlbi_nh_va_range(void **state)
{
	const uint64_t cmd[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_TLBI_NH_VA) | P(SMMU_CMD0_VMID, 5) |
		P(SMMU_CMD0_ASID, 0x42) | P(SMMU_CMD0_TLBI_NUM, 3) |
		P(SMMU_CMD0_TLBI_SCALE, 33),
		P(SMMU_CMD1_TLBI_LEAF, 1) | P(SMMU_CMD1_TLBI_TTL, 3) |
		P(SMMU_CMD1_TLBI_TG, SMMU_TLBI_TG_4K) | 0xffff800000010000ull,
	};

	(void)state;
	/* SCALE 33 only fits because SCALE is [25:20]. */
	expect_text(smmu_decode_cmd, cmd,
		    "CMD_TLBI_NH_VA VMID=0x5 ASID=0x42 NUM=3 SCALE=33 LEAF=1 "
		    "TTL128=0 TTL=3 TG=4K VA=0xffff800000010000");
}

static void test_cmd_cfgi(void **state)
{
	const uint64_t ste[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_CFGI_STE) | P(SMMU_CMD0_SID, 0x1234),
		P(SMMU_CMD1_LEAF, 1),
	};
	const uint64_t all[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_CFGI_STE_RANGE),
		P(SMMU_CMD1_RANGE, SMMU_CFGI_RANGE_ALL),
	};
	const uint64_t cd[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_CFGI_CD) | P(SMMU_CMD0_SID, 9) |
		P(SMMU_CMD0_SSID, 0xfffff),
		0,
	};

	(void)state;
	expect_text(smmu_decode_cmd, ste, "CMD_CFGI_STE SSEC=0 SID=0x1234 LEAF=1");
	expect_text(smmu_decode_cmd, all,
		    "CMD_CFGI_STE_RANGE(CMD_CFGI_ALL) SSEC=0 SID=0x0 RANGE=31");
	expect_text(smmu_decode_cmd, cd,
		    "CMD_CFGI_CD SSEC=0 SSID=0xfffff SID=0x9 LEAF=0");
}

static void test_cmd_atc_inv_pri_resume(void **state)
{
	const uint64_t atc[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_ATC_INV) | P(SMMU_CMD0_SSV, 1) |
		P(SMMU_CMD0_SSID, 7) | P(SMMU_CMD0_SID, 0x10),
		P(SMMU_CMD1_ATC_SIZE, SMMU_ATC_INV_SIZE_ALL),
	};
	const uint64_t pri[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_PRI_RESP) | P(SMMU_CMD0_SID, 0x20),
		P(SMMU_CMD1_PRI_GRPID, 0x1ab) |
		P(SMMU_CMD1_PRI_RESP, SMMU_PRI_RESP_SUCC),
	};
	const uint64_t resume[2] = {
		P(SMMU_CMD0_OP, SMMU_CMD_RESUME) | P(SMMU_CMD0_SID, 3) |
		P(SMMU_CMD0_RESUME_RESP, SMMU_RESUME_ABORT),
		P(SMMU_CMD1_RESUME_STAG, 0xbeef),
	};

	(void)state;
	expect_text(smmu_decode_cmd, atc,
		    "CMD_ATC_INV SSV=1 SSID=0x7 SID=0x10 GLOBAL=0 SIZE=52 ADDR=0x0");
	expect_text(smmu_decode_cmd, pri,
		    "CMD_PRI_RESP SSV=0 SSID=0x0 SID=0x20 PRGINDEX=0x1ab RESP=SUCCESS");
	expect_text(smmu_decode_cmd, resume,
		    "CMD_RESUME SSEC=0 SID=0x3 ACTION=ABORT STAG=0xbeef");
}

static void test_ste_s1(void **state)
{
	const uint64_t ste[8] = {
		P(SMMU_STE0_V, 1) | P(SMMU_STE0_CONFIG, SMMU_STE_CFG_S1) |
		P(SMMU_STE0_S1FMT, SMMU_S1FMT_64_L2) | 0x81000040ull |
		P(SMMU_STE0_S1CDMAX, 8),
		P(SMMU_STE1_S1DSS, SMMU_S1DSS_SSID0) | P(SMMU_STE1_S1CIR, 1) |
		P(SMMU_STE1_S1COR, 1) | P(SMMU_STE1_S1CSH, SMMU_SH_ISH) |
		P(SMMU_STE1_EATS, SMMU_EATS_TRANS) |
		P(SMMU_STE1_SHCFG, SMMU_SHCFG_INCOMING),
	};

	(void)state;
	expect_text(smmu_decode_ste, ste,
		"STE\n"
		"  DW0: V=1 CONFIG=S1 S1FMT=4K_L2 S1CTXPTR=0x81000040 S1CDMAX=8\n"
		"  DW1: S1DSS=SSID0 S1CIR=WB S1COR=WB S1CSH=ISH S2HWU=0x0 DRE=0"
		" CONT=0 DCP=0 PPAR=0 MEV=0 SW_RESERVED=0x0 S1PIE=0 S2FWB=0"
		" S1MPAM=0 S1STALLD=0 EATS=FULL STRW=NSEL1 MEMATTR=0x0 MTCFG=0"
		" ALLOCCFG=0x0 SHCFG=INCOMING NSCFG=INCOMING PRIVCFG=INCOMING"
		" INSTCFG=INCOMING IMPDEF=0x0\n"
		"  DW2: S2VMID=0x0 IMPDEF=0x0 S2T0SZ=0 S2SL0=0 S2IR0=NC S2OR0=NC"
		" S2SH0=NSH S2TG=4K S2PS=32BIT S2AA64=0 S2ENDI=0 S2AFFD=0"
		" S2PTW=0 S2HD=0 S2HA=0 S2S=0 S2R=0 S2HAFT=0 S2PIE=0 S2POE=0"
		" DPT_VMATCH=0x0\n"
		"  DW3: S2NSW=0 S2NSA=0 S2SL0_2=0 S2DS=0 S2TTB=0x0 S2SKL=0x0\n"
		"  DW4: RAW=0x0\n  DW5: RAW=0x0\n  DW6: RAW=0x0\n  DW7: RAW=0x0");
}

/* Only the lines that differ from an all-zero STE are checked here. */
static void expect_lines(decoder fn, const uint64_t *words, const char *const *lines,
			 size_t n)
{
	char buf[4096];

	assert_true(fn(words, buf, sizeof(buf)) > 0);
	for (size_t i = 0; i < n; i++)
		if (!strstr(buf, lines[i]))
			fail_msg("missing \"%s\" in:\n%s", lines[i], buf);
}

static void test_ste_s2_and_abort(void **state)
{
	const uint64_t s2[8] = {
		P(SMMU_STE0_V, 1) | P(SMMU_STE0_CONFIG, SMMU_STE_CFG_S2),
		0,
		P(SMMU_STE2_S2VMID, 7) | P(SMMU_STE2_S2T0SZ, 25) |
		P(SMMU_STE2_S2SL0, 1) | P(SMMU_STE2_S2IR0, 1) |
		P(SMMU_STE2_S2OR0, 1) | P(SMMU_STE2_S2SH0, SMMU_SH_ISH) |
		P(SMMU_STE2_S2TG, SMMU_S2TG_64K) | P(SMMU_STE2_S2PS, SMMU_OAS_48) |
		P(SMMU_STE2_S2AA64, 1) | P(SMMU_STE2_S2R, 1),
		0x8200000ull,
	};
	const char *const s2_lines[] = {
		"  DW0: V=1 CONFIG=S2 S1FMT=LINEAR S1CTXPTR=0x0 S1CDMAX=0\n",
		"  DW2: S2VMID=0x7 IMPDEF=0x0 S2T0SZ=25 S2SL0=1 S2IR0=WB S2OR0=WB"
		" S2SH0=ISH S2TG=64K S2PS=48BIT S2AA64=1 S2ENDI=0 S2AFFD=0 S2PTW=0"
		" S2HD=0 S2HA=0 S2S=0 S2R=1 ",
		"  DW3: S2NSW=0 S2NSA=0 S2SL0_2=0 S2DS=0 S2TTB=0x8200000 S2SKL=0x0\n",
	};
	const uint64_t abort_ste[8] = { P(SMMU_STE0_V, 1) };
	const char *const abort_lines[] = {
		"STE\n  DW0: V=1 CONFIG=ABORT S1FMT=LINEAR S1CTXPTR=0x0 S1CDMAX=0\n",
	};
	const uint64_t reserved_cfg[8] = { P(SMMU_STE0_V, 1) | P(SMMU_STE0_CONFIG, 2) };
	const char *const reserved_lines[] = { "CONFIG=RESERVED(0x2)" };
	char buf[4096];

	(void)state;
	expect_lines(smmu_decode_ste, s2, s2_lines, 3);
	expect_lines(smmu_decode_ste, abort_ste, abort_lines, 1);
	expect_lines(smmu_decode_ste, reserved_cfg, reserved_lines, 1);
	smmu_decode_ste(abort_ste, buf, sizeof(buf));
	assert_null(strstr(buf, "RES0"));
}

static void test_cd(void **state)
{
	const uint64_t cd[8] = {
		P(SMMU_CD0_T0SZ, 16) | P(SMMU_CD0_TG0, SMMU_TG0_4K) |
		P(SMMU_CD0_IR0, 1) | P(SMMU_CD0_OR0, 1) |
		P(SMMU_CD0_SH0, SMMU_SH_ISH) | P(SMMU_CD0_EPD1, 1) |
		P(SMMU_CD0_V, 1) | P(SMMU_CD0_IPS, SMMU_OAS_48) |
		P(SMMU_CD0_AA64, 1) | P(SMMU_CD0_R, 1) | P(SMMU_CD0_A, 1) |
		P(SMMU_CD0_ASET, 1) | P(SMMU_CD0_ASID, 0x21),
		0x90000000ull,
		0,
		0xff4404ull,
	};

	(void)state;
	expect_text(smmu_decode_cd, cd,
		"CD\n"
		"  DW0: T0SZ=16 TG0=4K IR0=WB OR0=WB SH0=ISH EPD0=0 ENDI=0 T1SZ=0"
		" TG1=RESERVED(0x0) IR1=NC OR1=NC SH1=NSH EPD1=1 V=1 IPS=48BIT"
		" AFFD=0 WXN=0 UWXN=0 TBI=0x0 PAN=0 AA64=1 HD=0 HA=0 S=0 R=1 A=1"
		" ASET=1 ASID=0x21\n"
		"  DW1: NSCFG0=0 HAD0=0 E0PD0=0 HAFT=0 TTB0=0x90000000 PNCH=0"
		" EPAN=0 HWU0=0x0\n"
		"  DW2: NSCFG1=0 HAD1=0 E0PD1=0 AIE=0 TTB1=0x0 DS=0 PIE=0 HWU1=0x0\n"
		"  DW3: MAIR=0xff4404\n"
		"  DW4: AMAIR=0x0\n"
		"  DW5: IMPDEF=0x0 PARTID=0x0 PMG=0x0\n"
		"  DW6: PIIU=0x0\n"
		"  DW7: PIIP=0x0");
}

static void test_events(void **state)
{
	const uint64_t bad_ste[4] = {
		P(SMMU_EVT0_ID, SMMU_EVT_C_BAD_STE) | P(SMMU_EVT0_SID, 0x55),
	};
	const uint64_t xlat[4] = {
		P(SMMU_EVT0_ID, SMMU_EVT_F_TRANSLATION) | P(SMMU_EVT0_SSV, 1) |
		P(SMMU_EVT0_SSID, 2) | P(SMMU_EVT0_SID, 3),
		P(SMMU_EVT1_PNU, 1) | P(SMMU_EVT1_RNW, 1) | P(SMMU_EVT1_S2, 1) |
		P(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN),
		0x1234567ull,
		0x5678000ull,
	};
	const uint64_t fetch[4] = {
		P(SMMU_EVT0_ID, SMMU_EVT_F_CD_FETCH) | P(SMMU_EVT0_SID, 1),
		0, 0, 0xabcdef8ull,
	};

	(void)state;
	expect_text(smmu_decode_evt, bad_ste,
		    "C_BAD_STE SSV=0 SSID=0x0 SID=0x55 DW1=0x0 DW2=0x0 DW3=0x0");
	expect_text(smmu_decode_evt, xlat,
		    "F_TRANSLATION SSV=1 SSID=0x2 SID=0x3 STAG=0x0 STALL=0 PNU=1"
		    " IND=0 RNW=1 NSIPA=0 S2=1 CLASS=IN TTRNW=0"
		    " INPUT_ADDR=0x1234567 IPA=0x5678000");
	expect_text(smmu_decode_evt, fetch,
		    "F_CD_FETCH SSV=0 SSID=0x0 SID=0x1 DW1=0x0 DW2=0x0"
		    " FETCH_ADDR=0xabcdef8");
}

static void test_pri(void **state)
{
	const uint64_t pri[2] = {
		P(SMMU_PRI0_SID, 0x20) | P(SMMU_PRI0_SSID, 5) |
		P(SMMU_PRI0_SSV, 1) | P(SMMU_PRI0_READ, 1) | P(SMMU_PRI0_LAST, 1),
		P(SMMU_PRI1_GRPID, 0x1ab) | 0x7f0000001000ull,
	};

	(void)state;
	expect_text(smmu_decode_pri, pri,
		    "PRI SID=0x20 SSID=0x5 PRIV=0 EXEC=0 READ=1 WRITE=0 LAST=1"
		    " SSV=1 PRGINDEX=0x1ab ADDR=0x7f0000001000");
}

static void test_registers(void **state)
{
	(void)state;
	expect_reg(SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN,
		   "SMMU_CR0 SMMUEN=1 PRIQEN=0 EVENTQEN=1 CMDQEN=1 ATSCHK=0"
		   " VMW=0 DPT_WALK_EN=0");
	expect_reg(SMMU_GERROR, SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_SFM_ERR,
		   "SMMU_GERROR CMDQ_ERR=1 EVENTQ_ABT_ERR=0 PRIQ_ABT_ERR=0"
		   " MSI_CMDQ_ABT_ERR=0 MSI_EVENTQ_ABT_ERR=0 MSI_PRIQ_ABT_ERR=0"
		   " MSI_GERROR_ABT_ERR=0 SFM_ERR=1 CMDQP_ERR=0 DPT_ERR=0");
	expect_reg(SMMU_CMDQ_CONS, P(SMMU_CMDQ_CONS_ERR, SMMU_CERROR_ILL) | 0x105,
		   "SMMU_CMDQ_CONS RD=0x105 ERR=ILL");
	expect_reg(SMMU_EVENTQ_PROD, SMMU_Q_PROD_OVFLG | 3,
		   "SMMU_EVENTQ_PROD WR=0x3 OVFLG=1");
	expect_reg(SMMU_IDR5, P(SMMU_IDR5_OAS, SMMU_OAS_48) | SMMU_IDR5_GRAN4K |
		   SMMU_IDR5_GRAN64K,
		   "SMMU_IDR5 OAS=48BIT GRAN4K=1 GRAN16K=0 GRAN64K=1 DS=0 D128=0"
		   " VAX=48BIT STALL_MAX=0");
	expect_reg(SMMU_CIDR1, 0xf0, "SMMU_CIDR1 VALUE=0xf0");
	expect_reg(0xabc, 1, "UNKNOWN(0x00abc) VALUE=0x1");
}

static void test_reserved_bits_flagged(void **state)
{
	const uint64_t sync[2] = { P(SMMU_CMD0_OP, SMMU_CMD_SYNC) | SMMU_BIT(9), 0x3 };
	const uint64_t ste[8] = { SMMU_BIT(56), 0, SMMU_BIT(0) };
	const uint64_t pri[2] = { SMMU_BIT(52), SMMU_BIT(9) };
	char buf[4096];

	(void)state;
	/* MSIADDR is [55:2], so DW1 bits [1:0] are reserved too. */
	expect_text(smmu_decode_cmd, sync,
		    "CMD_SYNC CS=SIG_NONE MSH=NSH MSIATTR=0x0 MSIDATA=0x0"
		    " MSIADDR=0x0 RES0 bits set: DW0=0x200 DW1=0x3");
	smmu_decode_ste(ste, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\n  RES0 bits set: DW0=0x100000000000000"));
	expect_text(smmu_decode_pri, pri,
		    "PRI SID=0x0 SSID=0x0 PRIV=0 EXEC=0 READ=0 WRITE=0 LAST=0"
		    " SSV=0 PRGINDEX=0x0 ADDR=0x0 RES0 bits set: DW0=0x10000000000000"
		    " DW1=0x200");
	expect_reg(SMMU_CR0, SMMU_BIT(5) | SMMU_BIT(40),
		   "SMMU_CR0 SMMUEN=0 PRIQEN=0 EVENTQEN=0 CMDQEN=0 ATSCHK=0"
		   " VMW=0 DPT_WALK_EN=0 RES0 bits set: 0x10000000020");
	/* A register the decoder has no fields for is never flagged. */
	expect_reg(SMMU_IDR4, UINT64_MAX, "SMMU_IDR4 VALUE=0xffffffffffffffff");
}

static void test_truncation_is_safe(void **state)
{
	const uint64_t cmd[2] = { P(SMMU_CMD0_OP, SMMU_CMD_SYNC), 0 };
	char full[256], small[16];
	int n = smmu_decode_cmd(cmd, full, sizeof(full));

	(void)state;
	memset(small, '#', sizeof(small));
	assert_int_equal(smmu_decode_cmd(cmd, small, 10), n);
	assert_int_equal(strlen(small), 9);
	assert_memory_equal(small, full, 9);
	for (size_t i = 10; i < sizeof(small); i++)
		assert_int_equal(small[i], '#');
	assert_int_equal(smmu_decode_cmd(cmd, small, 1), n);
	assert_string_equal(small, "");
	assert_int_equal(smmu_decode_reg(SMMU_CR0, 1, small, 1), (int)strlen(
		"SMMU_CR0 SMMUEN=1 PRIQEN=0 EVENTQEN=0 CMDQEN=0 ATSCHK=0 VMW=0"
		" DPT_WALK_EN=0"));
	assert_int_equal(small[0], '\0');
}

static void test_unknown_ids_and_names(void **state)
{
	const uint64_t reserved[2] = { 0x5e, 0 };
	const uint64_t impdef[2] = { 0x85, 0x1 };
	const uint64_t evt[4] = { 0xe3, 0, 0, 0x9 };

	(void)state;
	expect_text(smmu_decode_cmd, reserved, "UNKNOWN(0x5e) DW0=0x5e DW1=0x0");
	expect_text(smmu_decode_cmd, impdef, "IMPDEF(0x85) DW0=0x85 DW1=0x1");
	expect_text(smmu_decode_evt, evt,
		    "IMPDEF(0xe3) DW0=0xe3 DW1=0x0 DW2=0x0 DW3=0x9");
	assert_null(smmu_decode_cmd_name(0x5e));
	assert_null(smmu_decode_cmd_name(0x85));
	assert_string_equal(smmu_decode_cmd_name(SMMU_CMD_SYNC), "CMD_SYNC");
	assert_string_equal(smmu_decode_cmd_name(SMMU_CMD_TLBI_S2_IPA),
			    "CMD_TLBI_S2_IPA");
	assert_null(smmu_decode_event_name(0));
	assert_string_equal(smmu_decode_event_name(SMMU_EVT_F_WALK_EABT),
			    "F_WALK_EABT");
	assert_string_equal(smmu_decode_reg_name(SMMU_EVENTQ_CONS),
			    "SMMU_EVENTQ_CONS");
	assert_null(smmu_decode_reg_name(SMMU_CR0 + 1));
	assert_int_equal(smmu_decode_reg_offset("cr0"), SMMU_CR0);
	assert_int_equal(smmu_decode_reg_offset("SMMU_PRIQ_PROD"), SMMU_PRIQ_PROD);
	assert_int_equal(smmu_decode_reg_offset("SMMU_"), -EINVAL);
	assert_int_equal(smmu_decode_reg_offset("bogus"), -EINVAL);
	assert_int_equal(smmu_decode_reg_offset(NULL), -EINVAL);
}

static void test_bad_arguments(void **state)
{
	const uint64_t w[8] = { 0 };
	char buf[8];

	(void)state;
	assert_int_equal(smmu_decode_cmd(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(smmu_decode_ste(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(smmu_decode_cd(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(smmu_decode_evt(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(smmu_decode_pri(NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(smmu_decode_cmd(w, NULL, 5), -EINVAL);
	assert_int_equal(smmu_decode_reg(SMMU_CR0, 0, NULL, 5), -EINVAL);
}

/* Every prefix the decoder writes must be a prefix of the full text. */
static void check_consistent(decoder fn, const uint64_t *w)
{
	char full[4096], part[4096];
	int n = fn(w, full, sizeof(full));

	assert_in_range(n, 1, (int)sizeof(full) - 1);
	assert_int_equal((int)strlen(full), n);
	for (size_t size = 1; size <= (size_t)n + 1; size += 37) {
		assert_int_equal(fn(w, part, size), n);
		assert_int_equal(strlen(part), size - 1 < (size_t)n ? size - 1 : (size_t)n);
		assert_memory_equal(part, full, strlen(part));
	}
}

static void test_sweep_all_ids(void **state)
{
	decoder structs[] = { smmu_decode_ste, smmu_decode_cd, smmu_decode_pri };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	uint64_t w[8];

	(void)state;
	for (unsigned id = 0; id < 256; id++) {
		for (unsigned i = 0; i < 8; i++)
			w[i] = test_rnd(&seed);
		w[0] = SMMU_FIELD_SET(SMMU_CMD0_OP, w[0], id);
		check_consistent(smmu_decode_cmd, w);
		check_consistent(smmu_decode_evt, w);
		check_consistent(structs[id % 3], w);
		check_consistent(smmu_decode_cmd, (uint64_t[2]){ id, 0 });
	}
	for (uint32_t off = 0; off < 2 * SMMU_PAGE_SIZE; off += 4) {
		char buf[1024];
		int n = smmu_decode_reg(off, test_rnd(&seed), buf, sizeof(buf));

		assert_int_equal((int)strlen(buf), n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_sync_msi),
		cmocka_unit_test(test_cmd_tlbi_nh_va_range),
		cmocka_unit_test(test_cmd_cfgi),
		cmocka_unit_test(test_cmd_atc_inv_pri_resume),
		cmocka_unit_test(test_ste_s1),
		cmocka_unit_test(test_ste_s2_and_abort),
		cmocka_unit_test(test_cd),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_pri),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_reserved_bits_flagged),
		cmocka_unit_test(test_truncation_is_safe),
		cmocka_unit_test(test_unknown_ids_and_names),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_sweep_all_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
