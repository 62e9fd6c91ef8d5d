/*
 * Streams for the translation tests: one stream's STE, CD and page tables
 * built in the harness's memory, and the TLBI commands the tests send.
 *
 * Concepts: a struct xt owns a page-table builder over TABLES and the
 * stage-1 and stage-2 roots; write_ste() makes stream sid translate with
 * stage 1 (a CD at CD_BASE + sid), stage 2 or both.  Shared by the
 * translation suite (test_xlate.c) and the micro-TLB suite (test_utlb.c).
 */
#ifndef SMMU_TESTS_XLATE_STREAMS_H
#define SMMU_TESTS_XLATE_STREAMS_H

#include "harness.h"
#include "ptb.h"

#define TABLES   0x10000000ull   /* page tables: plain memory */
#define CD_BASE  0x0f000000ull   /* CDs: plain memory (IPA = PA when nested) */
#define SID      3u
#define ASID     5u
#define VMID     7u
/* Devices in the harness make unprivileged accesses: pages allow EL0; nG
 * makes them belong to their ASID. */
#define AF       (SMMU_PTE_AF | SMMU_PTE_AP_UNPRIV | SMMU_PTE_NG)
#define S2RW     (SMMU_PTE_AF | SMMU_PTE_S2AP_READ | SMMU_PTE_S2AP_WRITE)

struct xt {
	struct harness *h;
	struct ptb b;
	uint64_t s1_root, s2_root;
};

struct xt xt_begin(void **state);
uint64_t cd_word0(uint16_t asid, uint64_t flags);
void write_cd(struct xt *t, uint32_t sid, uint16_t asid, uint64_t flags);
uint64_t ste_s2_words(struct xt *t, uint64_t *ste, uint64_t flags);
/* Stream sid translating with stage 1 (CD flags), stage 2 (STE flags) or both. */
void write_ste(struct xt *t, uint32_t sid, unsigned config, uint64_t cd_flags,
	       uint64_t s2_flags);
/* A 4 KiB stage-1 page. */
void map_s1(struct xt *t, uint64_t va, uint64_t pa, uint64_t attrs);
uint64_t cmd_tlbi(unsigned op, uint16_t asid, uint16_t vmid);
uint64_t cmd_tlbi_va(uint16_t asid, uint16_t vmid);
/* An access by stream SID without a substream, any privilege and kind. */
struct smmu_txn_result xt_access(struct harness *h, uint64_t iova, bool priv, bool exec,
				 bool write);
/* What the coherency oracle reported: give xt_on_violation this as opaque. */
struct oracle_seen {
	unsigned calls;
	struct smmu_model_coherency_report last;
};
void xt_on_violation(void *opaque, const struct smmu_model_coherency_report *rep);
/* Walks so far: a translation that walks again was not served cached. */
uint64_t walks(struct harness *h);

#endif /* SMMU_TESTS_XLATE_STREAMS_H */
