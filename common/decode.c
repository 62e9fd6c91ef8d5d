/*
 * Decoders for the in-memory structures: commands, STEs, CDs, event and
 * PRI records, plus the formatter every decoder shares.
 *
 * Concepts: each structure is described once, as tables of field
 * descriptors built from the masks in <smmu/arch.h> (see
 * decode_internal.h); decode_put_layout() prints any of them.  Commands
 * and events pick their layout by opcode or event number, so a field that
 * means different things in different commands (dword 1 bits [4:0] are
 * Range, Size or part of an address) is named by what it means in that
 * command.  This file is compiled into both libraries; only libsmmu
 * exports the smmu_decode_* entry points.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include <smmu/decode.h>

#include "decode_internal.h"

/* ------------------------------------------------------------------ */
/* Output and the generic formatter                                    */
/* ------------------------------------------------------------------ */
int decode_begin(struct decode_out *o, const uint64_t *words, char *buf,
		 size_t size)
{
	if (!words || (!buf && size))
		return -EINVAL;
	o->buf = buf;
	o->size = size;
	o->len = 0;
	if (size)
		buf[0] = '\0';
	return 0;
}

void decode_put(struct decode_out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

int decode_end(const struct decode_out *o)
{
	return o->len > INT_MAX ? -EOVERFLOW : (int)o->len;
}

static void put_value(struct decode_out *o, const struct decode_field *f,
		      uint64_t word)
{
	uint64_t v = SMMU_FIELD_GET(f->mask, word);

	switch (f->kind) {
	case DECODE_ENUM:
		if (v < f->nnames && f->names[v])
			decode_put(o, "%s", f->names[v]);
		else
			decode_put(o, "RESERVED(0x%" PRIx64 ")", v);
		break;
	case DECODE_DEC:
		decode_put(o, "%" PRIu64, v);
		break;
	case DECODE_ADDR:
		decode_put(o, "0x%" PRIx64, word & f->mask);
		break;
	default:
		if (smmu_is_pow2(f->mask))
			decode_put(o, "%" PRIu64, v);
		else
			decode_put(o, "0x%" PRIx64, v);
		break;
	}
}

static void put_res0(struct decode_out *o, const struct decode_layout *l,
		     const uint64_t *words, unsigned nwords,
		     const uint64_t *defined)
{
	bool first = true;

	for (unsigned i = 0; i < nwords; i++) {
		uint64_t stray = words[i] & ~defined[i];

		if (!(l->res0_words & (1u << i)) || !stray)
			continue;
		if (first)
			decode_put(o, "%sRES0 bits set:",
				   l->per_word_lines ? "\n  " : " ");
		first = false;
		if (nwords == 1)
			decode_put(o, " 0x%" PRIx64, stray);
		else
			decode_put(o, " DW%u=0x%" PRIx64, i, stray);
	}
}

void decode_put_layout(struct decode_out *o, const struct decode_layout *l,
		       const uint64_t *words, unsigned nwords, uint64_t id_mask)
{
	uint64_t defined[DECODE_MAX_WORDS] = { id_mask };
	int line = -1;

	for (unsigned g = 0; g < DECODE_MAX_GROUPS; g++) {
		const struct decode_group *grp = &l->groups[g];

		for (size_t i = 0; i < grp->nfields; i++) {
			const struct decode_field *f = &grp->fields[i];

			if (f->word >= nwords)
				continue;
			if (l->per_word_lines && f->word != line) {
				line = f->word;
				decode_put(o, "\n  DW%d:", line);
			}
			decode_put(o, " %s=", f->name);
			put_value(o, f, words[f->word]);
			defined[f->word] |= f->mask;
		}
	}
	put_res0(o, l, words, nwords, defined);
}

const struct decode_entry *decode_find(const struct decode_entry *t, size_t n,
				       uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return &t[i];
	return NULL;
}

const char *decode_name(const struct decode_entry *t, size_t n, uint32_t id)
{
	const struct decode_entry *e = decode_find(t, n, id);

	return e ? e->name : NULL;
}

int decode_structure(const char *name, const struct decode_layout *l,
		     const uint64_t *words, unsigned nwords, uint64_t id_mask,
		     char *buf, size_t size)
{
	struct decode_out o;
	int err = decode_begin(&o, words, buf, size);

	if (err)
		return err;
	decode_put(&o, "%s", name);
	decode_put_layout(&o, l, words, nwords, id_mask);
	return decode_end(&o);
}

/* An opcode or event number with no layout: print the words whole. */
static int decode_unknown(unsigned id, bool impdef, const uint64_t *words,
			  unsigned nwords, char *buf, size_t size)
{
	struct decode_out o;
	int err = decode_begin(&o, words, buf, size);

	if (err)
		return err;
	decode_put(&o, "%s(0x%02x)", impdef ? "IMPDEF" : "UNKNOWN", id);
	for (unsigned i = 0; i < nwords; i++)
		decode_put(&o, " DW%u=0x%" PRIx64, i, words[i]);
	return decode_end(&o);
}

/* ------------------------------------------------------------------ */
/* Enumerations                                                        */
/* ------------------------------------------------------------------ */
const char *const decode_sh_names[4] = { "NSH", NULL, "OSH", "ISH" };
/* Translation-table walk cacheability (TCR IRGN/ORGN style). */
const char *const decode_cache_names[4] = { "NC", "WB", "WT", "WB_NWA" };
const char *const decode_size_names[8] = {
	"32BIT", "36BIT", "40BIT", "42BIT", "44BIT", "48BIT", "52BIT", "56BIT",
};
/* The attribute overrides of STE and GBPA. */
const char *const decode_override_names[4] = { "NSH", "INCOMING", "OSH", "ISH" };
const char *const decode_privcfg_names[4] = { "INCOMING", NULL, "UNPRIV", "PRIV" };
const char *const decode_instcfg_names[4] = { "INCOMING", NULL, "DATA", "INSTR" };

static const char *const sync_cs_names[] = { "SIG_NONE", "SIG_IRQ", "SIG_SEV" };
static const char *const tlbi_tg_names[] = { "ANY", "4K", "16K", "64K" };
static const char *const pri_resp_names[] = { "FAILURE", "INVALID", "SUCCESS" };
static const char *const resume_names[] = { "TERM", "RETRY", "ABORT" };
static const char *const ste_config_names[] = {
	"ABORT", NULL, NULL, NULL, "BYPASS", "S1", "S2", "NESTED",
};
static const char *const s1fmt_names[] = { "LINEAR", "4K_L2", "64K_L2" };
static const char *const s1dss_names[] = { "TERMINATE", "BYPASS", "SSID0" };
static const char *const ctx_cache_names[] = { "NC", "WB", "WT", "WB_NRA" };
static const char *const eats_names[] = { "ABT", "FULL", "SPLIT", "FULL_DPT" };
static const char *const strw_names[] = { "NSEL1", "EL3", "EL2" };
static const char *const nscfg_names[] = { "INCOMING", NULL, "SECURE", "NONSECURE" };
static const char *const s2tg_names[] = { "4K", "64K", "16K" };
static const char *const tg0_names[] = { "4K", "64K", "16K" };
static const char *const tg1_names[] = { NULL, "16K", "4K", "64K" };
static const char *const evt_class_names[] = { "CD", "TT", "IN" };

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */
static const struct decode_field cmd_ssec[] = {
	DF_HEX(0, "SSEC", SMMU_CMD0_SSEC),
};
static const struct decode_field cmd_sid[] = {
	DF_HEX(0, "SID", SMMU_CMD0_SID),
};
static const struct decode_field cmd_ssid[] = {
	DF_HEX(0, "SSV", SMMU_CMD0_SSV),
	DF_HEX(0, "SSID", SMMU_CMD0_SSID),
};
static const struct decode_field cmd_ssid_nossv[] = {
	DF_HEX(0, "SSID", SMMU_CMD0_SSID),
};
static const struct decode_field cmd_prefetch[] = {
	DF_DEC(1, "SIZE", SMMU_CMD1_PREFETCH_SIZE),
	DF_ADDR(1, "ADDR", SMMU_CMD1_PREFETCH_ADDR),
};
static const struct decode_field cmd_leaf[] = {
	DF_HEX(1, "LEAF", SMMU_CMD1_LEAF),
};
static const struct decode_field cmd_range[] = {
	DF_DEC(1, "RANGE", SMMU_CMD1_RANGE),
};
static const struct decode_field cmd_vmid[] = {
	DF_HEX(0, "VMID", SMMU_CMD0_VMID),
};
static const struct decode_field cmd_asid[] = {
	DF_HEX(0, "ASID", SMMU_CMD0_ASID),
};
static const struct decode_field cmd_tlbi_range[] = {
	DF_DEC(0, "NUM", SMMU_CMD0_TLBI_NUM),
	DF_DEC(0, "SCALE", SMMU_CMD0_TLBI_SCALE),
};
static const struct decode_field cmd_tlbi_hint[] = {
	DF_HEX(1, "LEAF", SMMU_CMD1_TLBI_LEAF),
	DF_HEX(1, "TTL128", SMMU_CMD1_TLBI_TTL128),
	DF_DEC(1, "TTL", SMMU_CMD1_TLBI_TTL),
	DF_ENUM(1, "TG", SMMU_CMD1_TLBI_TG, tlbi_tg_names),
};
static const struct decode_field cmd_tlbi_va[] = {
	DF_ADDR(1, "VA", SMMU_CMD1_TLBI_VA),
};
static const struct decode_field cmd_tlbi_ipa[] = {
	DF_ADDR(1, "IPA", SMMU_CMD1_TLBI_IPA),
};
static const struct decode_field cmd_atc_inv[] = {
	DF_HEX(0, "GLOBAL", SMMU_CMD0_ATC_GLOBAL),
	DF_DEC(1, "SIZE", SMMU_CMD1_ATC_SIZE),
	DF_ADDR(1, "ADDR", SMMU_CMD1_ATC_ADDR),
};
static const struct decode_field cmd_pri_resp[] = {
	DF_HEX(1, "PRGINDEX", SMMU_CMD1_PRI_GRPID),
	DF_ENUM(1, "RESP", SMMU_CMD1_PRI_RESP, pri_resp_names),
};
static const struct decode_field cmd_resume[] = {
	DF_ENUM(0, "ACTION", SMMU_CMD0_RESUME_RESP, resume_names),
	DF_HEX(1, "STAG", SMMU_CMD1_RESUME_STAG),
};
static const struct decode_field cmd_sync[] = {
	DF_ENUM(0, "CS", SMMU_CMD0_SYNC_CS, sync_cs_names),
	DF_ENUM(0, "MSH", SMMU_CMD0_SYNC_MSH, decode_sh_names),
	DF_HEX(0, "MSIATTR", SMMU_CMD0_SYNC_MSIATTR),
	DF_HEX(0, "MSIDATA", SMMU_CMD0_SYNC_MSIDATA),
	DF_ADDR(1, "MSIADDR", SMMU_CMD1_SYNC_MSIADDR),
};
static const struct decode_field cmd_dpti_pa[] = {
	DF_HEX(1, "LEAF", SMMU_CMD1_DPTI_LEAF),
	DF_DEC(1, "SIZE", SMMU_CMD1_DPTI_SIZE),
	DF_ADDR(1, "ADDR", SMMU_CMD1_DPTI_ADDR),
};

/* Reserved bits are checked in both dwords unless a layout says otherwise. */
#define CMD_RES0_ALL  0x3u
#define CMD_RES0_DW0  0x1u
#define CMD_RES0_NONE 0x0u
#define CMD(op, name, res0, ...) \
	{ SMMU_CMD_##op, name, { .groups = { __VA_ARGS__ }, .res0_words = res0 } }
#define TLBI_VA_GROUPS  DG(cmd_tlbi_range), DG(cmd_tlbi_hint), DG(cmd_tlbi_va)
#define TLBI_IPA_GROUPS DG(cmd_tlbi_range), DG(cmd_tlbi_hint), DG(cmd_tlbi_ipa)

/*
 * The Secure-queue TLBIs and commands whose dword layout the text of the
 * specification does not give (it shows them only as figures) are not
 * checked for RES0 bits, so the decoder never cries wolf.
 */
static const struct decode_entry cmds[] = {
	CMD(PREFETCH_CONFIG, "CMD_PREFETCH_CONFIG", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_ssid), DG(cmd_sid)),
	CMD(PREFETCH_ADDR, "CMD_PREFETCH_ADDR", CMD_RES0_DW0,
	    DG(cmd_ssec), DG(cmd_ssid), DG(cmd_sid), DG(cmd_prefetch)),
	CMD(CFGI_STE, "CMD_CFGI_STE", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_sid), DG(cmd_leaf)),
	CMD(CFGI_STE_RANGE, "CMD_CFGI_STE_RANGE", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_sid), DG(cmd_range)),
	CMD(CFGI_CD, "CMD_CFGI_CD", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_ssid_nossv), DG(cmd_sid), DG(cmd_leaf)),
	CMD(CFGI_CD_ALL, "CMD_CFGI_CD_ALL", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_sid)),
	CMD(CFGI_VMS_PIDM, "CMD_CFGI_VMS_PIDM", CMD_RES0_NONE,
	    DG(cmd_ssec), DG(cmd_vmid)),
	CMD(TLBI_NH_ALL, "CMD_TLBI_NH_ALL", CMD_RES0_ALL, DG(cmd_vmid)),
	CMD(TLBI_NH_ASID, "CMD_TLBI_NH_ASID", CMD_RES0_ALL,
	    DG(cmd_vmid), DG(cmd_asid)),
	CMD(TLBI_NH_VA, "CMD_TLBI_NH_VA", CMD_RES0_ALL,
	    DG(cmd_vmid), DG(cmd_asid), TLBI_VA_GROUPS),
	CMD(TLBI_NH_VAA, "CMD_TLBI_NH_VAA", CMD_RES0_ALL,
	    DG(cmd_vmid), TLBI_VA_GROUPS),
	CMD(TLBI_EL3_ALL, "CMD_TLBI_EL3_ALL", CMD_RES0_ALL, { NULL, 0 }),
	CMD(TLBI_EL3_VA, "CMD_TLBI_EL3_VA", CMD_RES0_ALL, TLBI_VA_GROUPS),
	CMD(TLBI_EL2_ALL, "CMD_TLBI_EL2_ALL", CMD_RES0_ALL, { NULL, 0 }),
	CMD(TLBI_EL2_ASID, "CMD_TLBI_EL2_ASID", CMD_RES0_ALL, DG(cmd_asid)),
	CMD(TLBI_EL2_VA, "CMD_TLBI_EL2_VA", CMD_RES0_ALL,
	    DG(cmd_asid), TLBI_VA_GROUPS),
	CMD(TLBI_EL2_VAA, "CMD_TLBI_EL2_VAA", CMD_RES0_ALL, TLBI_VA_GROUPS),
	CMD(TLBI_S12_VMALL, "CMD_TLBI_S12_VMALL", CMD_RES0_ALL, DG(cmd_vmid)),
	CMD(TLBI_S2_IPA, "CMD_TLBI_S2_IPA", CMD_RES0_ALL,
	    DG(cmd_vmid), TLBI_IPA_GROUPS),
	CMD(TLBI_NSNH_ALL, "CMD_TLBI_NSNH_ALL", CMD_RES0_ALL, { NULL, 0 }),
	CMD(ATC_INV, "CMD_ATC_INV", CMD_RES0_ALL,
	    DG(cmd_ssid), DG(cmd_sid), DG(cmd_atc_inv)),
	CMD(PRI_RESP, "CMD_PRI_RESP", CMD_RES0_ALL,
	    DG(cmd_ssid), DG(cmd_sid), DG(cmd_pri_resp)),
	CMD(RESUME, "CMD_RESUME", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_sid), DG(cmd_resume)),
	CMD(STALL_TERM, "CMD_STALL_TERM", CMD_RES0_ALL,
	    DG(cmd_ssec), DG(cmd_sid)),
	CMD(SYNC, "CMD_SYNC", CMD_RES0_ALL, DG(cmd_sync)),
	CMD(TLBI_S_EL2_ALL, "CMD_TLBI_S_EL2_ALL", CMD_RES0_NONE, { NULL, 0 }),
	CMD(TLBI_S_EL2_ASID, "CMD_TLBI_S_EL2_ASID", CMD_RES0_NONE, DG(cmd_asid)),
	CMD(TLBI_S_EL2_VA, "CMD_TLBI_S_EL2_VA", CMD_RES0_NONE,
	    DG(cmd_asid), TLBI_VA_GROUPS),
	CMD(TLBI_S_EL2_VAA, "CMD_TLBI_S_EL2_VAA", CMD_RES0_NONE, TLBI_VA_GROUPS),
	CMD(TLBI_S_S12_VMALL, "CMD_TLBI_S_S12_VMALL", CMD_RES0_NONE,
	    DG(cmd_vmid)),
	CMD(TLBI_S_S2_IPA, "CMD_TLBI_S_S2_IPA", CMD_RES0_NONE,
	    DG(cmd_vmid), TLBI_IPA_GROUPS),
	CMD(TLBI_SNH_ALL, "CMD_TLBI_SNH_ALL", CMD_RES0_NONE, { NULL, 0 }),
	CMD(DPTI_ALL, "CMD_DPTI_ALL", CMD_RES0_ALL, { NULL, 0 }),
	CMD(DPTI_PA, "CMD_DPTI_PA", CMD_RES0_ALL, DG(cmd_dpti_pa)),
};

const char *smmu_decode_cmd_name(unsigned op)
{
	return decode_name(cmds, DECODE_ARRAY_SIZE(cmds), op);
}

int smmu_decode_cmd(const uint64_t *cmd, char *buf, size_t size)
{
	const struct decode_entry *c;
	const char *name;
	unsigned op;

	if (!cmd)
		return -EINVAL;
	op = (unsigned)SMMU_FIELD_GET(SMMU_CMD0_OP, cmd[0]);
	c = decode_find(cmds, DECODE_ARRAY_SIZE(cmds), op);
	if (!c)
		return decode_unknown(op, op >= SMMU_CMD_IMPDEF_FIRST &&
					  op <= SMMU_CMD_IMPDEF_LAST,
				      cmd, SMMU_CMD_DWORDS, buf, size);
	name = c->name;
	/* CFGI_ALL is CFGI_STE_RANGE with the widest range (4.3.6). */
	if (op == SMMU_CMD_CFGI_STE_RANGE &&
	    SMMU_FIELD_GET(SMMU_CMD1_RANGE, cmd[1]) == SMMU_CFGI_RANGE_ALL)
		name = "CMD_CFGI_STE_RANGE(CMD_CFGI_ALL)";
	return decode_structure(name, &c->layout, cmd, SMMU_CMD_DWORDS,
				SMMU_CMD0_OP, buf, size);
}

/* ------------------------------------------------------------------ */
/* Stream table entries                                                */
/* ------------------------------------------------------------------ */
static const struct decode_field ste0[] = {
	DF_HEX(0, "V", SMMU_STE0_V),
	DF_ENUM(0, "CONFIG", SMMU_STE0_CONFIG, ste_config_names),
	DF_ENUM(0, "S1FMT", SMMU_STE0_S1FMT, s1fmt_names),
	DF_ADDR(0, "S1CTXPTR", SMMU_STE0_S1CTXPTR),
	DF_DEC(0, "S1CDMAX", SMMU_STE0_S1CDMAX),
};
static const struct decode_field ste1[] = {
	DF_ENUM(1, "S1DSS", SMMU_STE1_S1DSS, s1dss_names),
	DF_ENUM(1, "S1CIR", SMMU_STE1_S1CIR, ctx_cache_names),
	DF_ENUM(1, "S1COR", SMMU_STE1_S1COR, ctx_cache_names),
	DF_ENUM(1, "S1CSH", SMMU_STE1_S1CSH, decode_sh_names),
	DF_HEX(1, "S2HWU", SMMU_STE1_S2HWU),
	DF_HEX(1, "DRE", SMMU_STE1_DRE),
	DF_DEC(1, "CONT", SMMU_STE1_CONT),
	DF_HEX(1, "DCP", SMMU_STE1_DCP),
	DF_HEX(1, "PPAR", SMMU_STE1_PPAR),
	DF_HEX(1, "MEV", SMMU_STE1_MEV),
	DF_HEX(1, "SW_RESERVED", SMMU_STE1_SW_RESERVED),
	DF_HEX(1, "S1PIE", SMMU_STE1_S1PIE),
	DF_HEX(1, "S2FWB", SMMU_STE1_S2FWB),
	DF_HEX(1, "S1MPAM", SMMU_STE1_S1MPAM),
	DF_HEX(1, "S1STALLD", SMMU_STE1_S1STALLD),
	DF_ENUM(1, "EATS", SMMU_STE1_EATS, eats_names),
	DF_ENUM(1, "STRW", SMMU_STE1_STRW, strw_names),
	DF_HEX(1, "MEMATTR", SMMU_STE1_MEMATTR),
	DF_HEX(1, "MTCFG", SMMU_STE1_MTCFG),
	DF_HEX(1, "ALLOCCFG", SMMU_STE1_ALLOCCFG),
	DF_ENUM(1, "SHCFG", SMMU_STE1_SHCFG, decode_override_names),
	DF_ENUM(1, "NSCFG", SMMU_STE1_NSCFG, nscfg_names),
	DF_ENUM(1, "PRIVCFG", SMMU_STE1_PRIVCFG, decode_privcfg_names),
	DF_ENUM(1, "INSTCFG", SMMU_STE1_INSTCFG, decode_instcfg_names),
	DF_HEX(1, "IMPDEF", SMMU_STE1_IMPDEF),
};
static const struct decode_field ste2[] = {
	DF_HEX(2, "S2VMID", SMMU_STE2_S2VMID),
	DF_HEX(2, "IMPDEF", SMMU_STE2_IMPDEF),
	DF_DEC(2, "S2T0SZ", SMMU_STE2_S2T0SZ),
	DF_DEC(2, "S2SL0", SMMU_STE2_S2SL0),
	DF_ENUM(2, "S2IR0", SMMU_STE2_S2IR0, decode_cache_names),
	DF_ENUM(2, "S2OR0", SMMU_STE2_S2OR0, decode_cache_names),
	DF_ENUM(2, "S2SH0", SMMU_STE2_S2SH0, decode_sh_names),
	DF_ENUM(2, "S2TG", SMMU_STE2_S2TG, s2tg_names),
	DF_ENUM(2, "S2PS", SMMU_STE2_S2PS, decode_size_names),
	DF_HEX(2, "S2AA64", SMMU_STE2_S2AA64),
	DF_HEX(2, "S2ENDI", SMMU_STE2_S2ENDI),
	DF_HEX(2, "S2AFFD", SMMU_STE2_S2AFFD),
	DF_HEX(2, "S2PTW", SMMU_STE2_S2PTW),
	DF_HEX(2, "S2HD", SMMU_STE2_S2HD),
	DF_HEX(2, "S2HA", SMMU_STE2_S2HA),
	DF_HEX(2, "S2S", SMMU_STE2_S2S),
	DF_HEX(2, "S2R", SMMU_STE2_S2R),
	DF_HEX(2, "S2HAFT", SMMU_STE2_S2HAFT),
	DF_HEX(2, "S2PIE", SMMU_STE2_S2PIE),
	DF_HEX(2, "S2POE", SMMU_STE2_S2POE),
	DF_HEX(2, "DPT_VMATCH", SMMU_STE2_DPT_VMATCH),
};
static const struct decode_field ste3[] = {
	DF_HEX(3, "S2NSW", SMMU_STE3_S2NSW),
	DF_HEX(3, "S2NSA", SMMU_STE3_S2NSA),
	DF_HEX(3, "S2SL0_2", SMMU_STE3_S2SL0_2),
	DF_HEX(3, "S2DS", SMMU_STE3_S2DS),
	DF_ADDR(3, "S2TTB", SMMU_STE3_S2TTB),
	DF_HEX(3, "S2SKL", SMMU_STE3_S2SKL),
};
/* Secure, MPAM, MEC and permission-overlay dwords: shown whole. */
static const struct decode_field ste_rest[] = {
	DF_HEX(4, "RAW", DECODE_WHOLE_WORD),
	DF_HEX(5, "RAW", DECODE_WHOLE_WORD),
	DF_HEX(6, "RAW", DECODE_WHOLE_WORD),
	DF_HEX(7, "RAW", DECODE_WHOLE_WORD),
};
static const struct decode_layout ste_layout = {
	.groups = { DG(ste0), DG(ste1), DG(ste2), DG(ste3), DG(ste_rest) },
	.res0_words = 0x0f,
	.per_word_lines = true,
};

int smmu_decode_ste(const uint64_t *ste, char *buf, size_t size)
{
	return decode_structure("STE", &ste_layout, ste, SMMU_STE_DWORDS, 0, buf, size);
}

/* ------------------------------------------------------------------ */
/* Context descriptors                                                 */
/* ------------------------------------------------------------------ */
static const struct decode_field cd0[] = {
	DF_DEC(0, "T0SZ", SMMU_CD0_T0SZ),
	DF_ENUM(0, "TG0", SMMU_CD0_TG0, tg0_names),
	DF_ENUM(0, "IR0", SMMU_CD0_IR0, decode_cache_names),
	DF_ENUM(0, "OR0", SMMU_CD0_OR0, decode_cache_names),
	DF_ENUM(0, "SH0", SMMU_CD0_SH0, decode_sh_names),
	DF_HEX(0, "EPD0", SMMU_CD0_EPD0),
	DF_HEX(0, "ENDI", SMMU_CD0_ENDI),
	DF_DEC(0, "T1SZ", SMMU_CD0_T1SZ),
	DF_ENUM(0, "TG1", SMMU_CD0_TG1, tg1_names),
	DF_ENUM(0, "IR1", SMMU_CD0_IR1, decode_cache_names),
	DF_ENUM(0, "OR1", SMMU_CD0_OR1, decode_cache_names),
	DF_ENUM(0, "SH1", SMMU_CD0_SH1, decode_sh_names),
	DF_HEX(0, "EPD1", SMMU_CD0_EPD1),
	DF_HEX(0, "V", SMMU_CD0_V),
	DF_ENUM(0, "IPS", SMMU_CD0_IPS, decode_size_names),
	DF_HEX(0, "AFFD", SMMU_CD0_AFFD),
	DF_HEX(0, "WXN", SMMU_CD0_WXN),
	DF_HEX(0, "UWXN", SMMU_CD0_UWXN),
	DF_HEX(0, "TBI", SMMU_CD0_TBI),
	DF_HEX(0, "PAN", SMMU_CD0_PAN),
	DF_HEX(0, "AA64", SMMU_CD0_AA64),
	DF_HEX(0, "HD", SMMU_CD0_HD),
	DF_HEX(0, "HA", SMMU_CD0_HA),
	DF_HEX(0, "S", SMMU_CD0_S),
	DF_HEX(0, "R", SMMU_CD0_R),
	DF_HEX(0, "A", SMMU_CD0_A),
	DF_HEX(0, "ASET", SMMU_CD0_ASET),
	DF_HEX(0, "ASID", SMMU_CD0_ASID),
};
static const struct decode_field cd1[] = {
	DF_HEX(1, "NSCFG0", SMMU_CD1_NSCFG0),
	DF_HEX(1, "HAD0", SMMU_CD1_HAD0),
	DF_HEX(1, "E0PD0", SMMU_CD1_E0PD0),
	DF_HEX(1, "HAFT", SMMU_CD1_HAFT),
	DF_ADDR(1, "TTB0", SMMU_CD1_TTB0),
	DF_HEX(1, "PNCH", SMMU_CD1_PNCH),
	DF_HEX(1, "EPAN", SMMU_CD1_EPAN),
	DF_HEX(1, "HWU0", SMMU_CD1_HWU0),
};
static const struct decode_field cd2[] = {
	DF_HEX(2, "NSCFG1", SMMU_CD2_NSCFG1),
	DF_HEX(2, "HAD1", SMMU_CD2_HAD1),
	DF_HEX(2, "E0PD1", SMMU_CD2_E0PD1),
	DF_HEX(2, "AIE", SMMU_CD2_AIE),
	DF_ADDR(2, "TTB1", SMMU_CD2_TTB1),
	DF_HEX(2, "DS", SMMU_CD2_DS),
	DF_HEX(2, "PIE", SMMU_CD2_PIE),
	DF_HEX(2, "HWU1", SMMU_CD2_HWU1),
};
static const struct decode_field cd_rest[] = {
	DF_HEX(SMMU_CD_MAIR_DWORD, "MAIR", DECODE_WHOLE_WORD),
	DF_HEX(SMMU_CD_AMAIR_DWORD, "AMAIR", DECODE_WHOLE_WORD),
	DF_HEX(5, "IMPDEF", SMMU_CD5_IMPDEF),
	DF_HEX(5, "PARTID", SMMU_CD5_PARTID),
	DF_HEX(5, "PMG", SMMU_CD5_PMG),
	DF_HEX(6, "PIIU", SMMU_CD6_PIIU),
	DF_HEX(7, "PIIP", SMMU_CD7_PIIP),
};
static const struct decode_layout cd_layout = {
	.groups = { DG(cd0), DG(cd1), DG(cd2), DG(cd_rest) },
	.res0_words = 0xff,
	.per_word_lines = true,
};

int smmu_decode_cd(const uint64_t *cd, char *buf, size_t size)
{
	return decode_structure("CD", &cd_layout, cd, SMMU_CD_DWORDS, 0, buf, size);
}

/* ------------------------------------------------------------------ */
/* Event records                                                       */
/* ------------------------------------------------------------------ */
static const struct decode_field evt_head[] = {
	DF_HEX(0, "SSV", SMMU_EVT0_SSV),
	DF_HEX(0, "SSID", SMMU_EVT0_SSID),
	DF_HEX(0, "SID", SMMU_EVT0_SID),
};
static const struct decode_field evt_access[] = {
	DF_HEX(1, "STAG", SMMU_EVT1_STAG),
	DF_HEX(1, "STALL", SMMU_EVT1_STALL),
	DF_HEX(1, "PNU", SMMU_EVT1_PNU),
	DF_HEX(1, "IND", SMMU_EVT1_IND),
	DF_HEX(1, "RNW", SMMU_EVT1_RNW),
	DF_HEX(1, "NSIPA", SMMU_EVT1_NSIPA),
	DF_HEX(1, "S2", SMMU_EVT1_S2),
	DF_ENUM(1, "CLASS", SMMU_EVT1_CLASS, evt_class_names),
	DF_HEX(1, "TTRNW", SMMU_EVT1_TTRNW),
};
static const struct decode_field evt_dw1[] = {
	DF_HEX(1, "DW1", DECODE_WHOLE_WORD),
};
static const struct decode_field evt_input[] = {
	DF_ADDR(2, "INPUT_ADDR", DECODE_WHOLE_WORD),
};
static const struct decode_field evt_dw2[] = {
	DF_HEX(2, "DW2", DECODE_WHOLE_WORD),
};
static const struct decode_field evt_ipa[] = {
	DF_ADDR(3, "IPA", SMMU_EVT3_IPA),
};
static const struct decode_field evt_fetch[] = {
	DF_ADDR(3, "FETCH_ADDR", SMMU_EVT3_FETCH_ADDR),
};
static const struct decode_field evt_dw3[] = {
	DF_HEX(3, "DW3", DECODE_WHOLE_WORD),
};

/*
 * Only dword 0 is checked for RES0 bits: the other dwords carry
 * IMPLEMENTATION DEFINED reasons and per-event fields.
 */
#define EVT(id, ...) \
	{ SMMU_EVT_##id, #id, { .groups = { DG(evt_head), __VA_ARGS__ }, .res0_words = 0x1 } }
#define EVT_OPAQUE(id)   EVT(id, DG(evt_dw1), DG(evt_dw2), DG(evt_dw3))
#define EVT_FAULT(id)    EVT(id, DG(evt_access), DG(evt_input), DG(evt_ipa))
#define EVT_FETCH(id)    EVT(id, DG(evt_dw1), DG(evt_dw2), DG(evt_fetch))

static const struct decode_entry evts[] = {
	EVT_OPAQUE(F_UUT),
	EVT_OPAQUE(C_BAD_STREAMID),
	EVT_FETCH(F_STE_FETCH),
	EVT_OPAQUE(C_BAD_STE),
	EVT_OPAQUE(F_BAD_ATS_TREQ),
	EVT_OPAQUE(F_STREAM_DISABLED),
	EVT_OPAQUE(F_TRANSL_FORBIDDEN),
	EVT_OPAQUE(C_BAD_SUBSTREAMID),
	EVT_FETCH(F_CD_FETCH),
	EVT_OPAQUE(C_BAD_CD),
	EVT(F_WALK_EABT, DG(evt_access), DG(evt_input), DG(evt_fetch)),
	EVT_FAULT(F_TRANSLATION),
	EVT_FAULT(F_ADDR_SIZE),
	EVT_FAULT(F_ACCESS),
	EVT_FAULT(F_PERMISSION),
	EVT_FAULT(F_TLB_CONFLICT),
	EVT_OPAQUE(F_CFG_CONFLICT),
	EVT_OPAQUE(E_PAGE_REQUEST),
	EVT_FETCH(F_VMS_FETCH),
};

const char *smmu_decode_event_name(unsigned id)
{
	return decode_name(evts, DECODE_ARRAY_SIZE(evts), id);
}

int smmu_decode_evt(const uint64_t *evt, char *buf, size_t size)
{
	const struct decode_entry *e;
	unsigned id;

	if (!evt)
		return -EINVAL;
	id = (unsigned)SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]);
	e = decode_find(evts, DECODE_ARRAY_SIZE(evts), id);
	if (!e)
		return decode_unknown(id, id >= SMMU_EVT_IMPDEF_FIRST &&
					  id <= SMMU_EVT_IMPDEF_LAST,
				      evt, SMMU_EVT_DWORDS, buf, size);
	return decode_structure(e->name, &e->layout, evt, SMMU_EVT_DWORDS,
				SMMU_EVT0_ID, buf, size);
}

/* ------------------------------------------------------------------ */
/* PRI queue records                                                   */
/* ------------------------------------------------------------------ */
static const struct decode_field pri_fields[] = {
	DF_HEX(0, "SID", SMMU_PRI0_SID),
	DF_HEX(0, "SSID", SMMU_PRI0_SSID),
	DF_HEX(0, "PRIV", SMMU_PRI0_PRIV),
	DF_HEX(0, "EXEC", SMMU_PRI0_EXEC),
	DF_HEX(0, "READ", SMMU_PRI0_READ),
	DF_HEX(0, "WRITE", SMMU_PRI0_WRITE),
	DF_HEX(0, "LAST", SMMU_PRI0_LAST),
	DF_HEX(0, "SSV", SMMU_PRI0_SSV),
	DF_HEX(1, "PRGINDEX", SMMU_PRI1_GRPID),
	DF_ADDR(1, "ADDR", SMMU_PRI1_ADDR),
};
static const struct decode_layout pri_layout = {
	.groups = { DG(pri_fields) },
	.res0_words = 0x3,
};

int smmu_decode_pri(const uint64_t *pri, char *buf, size_t size)
{
	return decode_structure("PRI", &pri_layout, pri, SMMU_PRI_DWORDS, 0, buf, size);
}
