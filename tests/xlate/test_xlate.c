/*
 * Translation through the model's boundary: STEs, CDs and page tables in
 * memory, commands through the command queue, events read back from the
 * event queue.  Covers stage 1, stage 2 and nested translation, the exact
 * event records of faults with the A/R/S flags, IOTLB hits, TLBI + SYNC,
 * weakest-legal mode (stale until the sync), the coherency oracle, stall
 * answers and PCIe page requests.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "gate.h"
#include "harness.h"
#include "streams.h"

static void test_s1_translation_and_hits(void **state)
{
	struct xt t;
	struct smmu_txn_result r;
	struct smmu_model_stats s;

	harness_trace(*state);
	t = xt_begin(state);

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	map_s1(&t, 0x1000, 0x5000, AF);
	r = h_translate(t.h, SID, false, 0, 0x1234, false);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x5234);
	r = h_translate(t.h, SID, false, 0, 0x1ffc, true);
	assert_int_equal(r.pa, 0x5ffc);
	/* The trace saw the hit (the harness keeps the last record). */
	assert_int_equal(t.h->last_trace[0], SID);
	assert_int_equal(t.h->last_trace[1], 0x1ffc);
	assert_int_equal(t.h->last_trace[2], 0x5ffc);
	assert_int_equal(t.h->last_trace[3], SMMU_MODEL_TRACE_XLATE_HIT |
			 SMMU_MODEL_TRACE_XLATE_WRITE | SMMU_TXN_OK);
	s = h_stats(t.h);
	assert_int_equal(s.walks, 1);
	assert_int_equal(s.iotlb_misses, 1);
	assert_int_equal(s.iotlb_hits, 1);
}

static void test_s1_fault_records(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t evt[4];

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	r = h_translate(t.h, SID, false, 0, 0x9abc, false);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(r.event_recorded);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(evt[0], SMMU_FIELD_PREP(SMMU_EVT0_ID, SMMU_EVT_F_TRANSLATION) |
			 SMMU_FIELD_PREP(SMMU_EVT0_SID, SID));
	assert_int_equal(evt[1], SMMU_EVT1_RNW |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN));
	assert_int_equal(evt[2], 0x9abc);
	assert_int_equal(evt[3], 0);
	assert_memory_equal(evt, r.event, sizeof(evt));
	/* R = 0: the fault is not recorded; A = 0: RAZ/WI instead of an abort. */
	write_ste(&t, SID + 1, SMMU_STE_CFG_S1, 0, 0);
	r = h_translate(t.h, SID + 1, false, 0, 0x9abc, true);
	assert_int_equal(r.status, SMMU_TXN_RAZ_WI);
	assert_false(r.event_recorded);
	assert_false(h_event_pop(t.h, evt));
	/* S = 1: stalled, always recorded, with Stall and a STAG. */
	write_ste(&t, SID + 2, SMMU_STE_CFG_S1, SMMU_CD0_S | SMMU_CD0_A, 0);
	map_s1(&t, 0x3000, 0x6000, AF | SMMU_PTE_AP_RDONLY);
	r = h_translate(t.h, SID + 2, false, 0, 0x3008, true);
	assert_int_equal(r.status, SMMU_TXN_STALLED);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_PERMISSION);
	assert_true(evt[1] & SMMU_EVT1_STALL);
	assert_false(evt[1] & SMMU_EVT1_RNW);
	assert_int_equal(h_stats(t.h).f_permission, 1);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT1_STAG, evt[1]), r.stag);
	/* RESUME with retry: the device translates again. */
	assert_int_equal(smmu_model_stall_state(t.h->m, SID + 2, r.stag), SMMU_STALL_PENDING);
	assert_int_equal(h_cmd_sync(t.h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_RESUME) |
				    SMMU_FIELD_PREP(SMMU_CMD0_SID, SID + 2) |
				    SMMU_FIELD_PREP(SMMU_CMD0_RESUME_RESP, SMMU_RESUME_RETRY),
				    SMMU_FIELD_PREP(SMMU_CMD1_RESUME_STAG, r.stag)),
			 SMMU_CERROR_NONE);
	assert_int_equal(smmu_model_stall_state(t.h->m, SID + 2, r.stag), SMMU_STALL_RETRY);
	assert_int_equal(smmu_model_stall_state(t.h->m, SID + 2, r.stag), -ENOENT);
	/* STALL_TERM ends every stall of the stream. */
	r = h_translate(t.h, SID + 2, false, 0, 0x3008, true);
	assert_int_equal(r.status, SMMU_TXN_STALLED);
	assert_int_equal(h_cmd_sync(t.h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_STALL_TERM) |
				    SMMU_FIELD_PREP(SMMU_CMD0_SID, SID + 2), 0), SMMU_CERROR_NONE);
	assert_int_equal(smmu_model_stall_state(t.h->m, SID + 2, r.stag), SMMU_STALL_TERMINATED);
}

static void test_s2_translation_and_fault(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t evt[4];

	write_ste(&t, SID, SMMU_STE_CFG_S2, 0, SMMU_STE2_S2R);
	ptb_map(&t.b, t.s2_root, 40, 1, 0x80000000, 0x30000000, 2, S2RW);
	r = h_translate(t.h, SID, false, 0, 0x80012345, true);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x30012345);
	r = h_translate(t.h, SID, false, 0, 0x90000010, true);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(evt[1], SMMU_EVT1_S2 |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN));
	assert_int_equal(evt[2], 0x90000010);
	assert_int_equal(evt[3], 0x90000000);
}

static void test_nested_translation(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t evt[4];

	/* Stage 2 maps the first GiB 1:1 (CDs and stage-1 tables live there). */
	ptb_map(&t.b, t.s2_root, 40, 1, 0, 0, 1, S2RW);
	write_ste(&t, SID, SMMU_STE_CFG_NESTED, SMMU_CD0_R | SMMU_CD0_A, SMMU_STE2_S2R);
	map_s1(&t, 0x1000, 0x20005000, AF);
	map_s1(&t, 0x2000, 0x80000000, AF);
	r = h_translate(t.h, SID, false, 0, 0x1010, false);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x20005010);
	/* The stage-1 output is not mapped at stage 2. */
	r = h_translate(t.h, SID, false, 0, 0x2010, false);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_TRANSLATION);
	assert_true(evt[1] & SMMU_EVT1_S2);
	assert_int_equal(evt[3], 0x80000000);
}

/* A nested stream's CD address is an IPA: stage 2 must map it. */
static void test_nested_cd_fetch_fault(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t evt[4];

	write_ste(&t, SID, SMMU_STE_CFG_NESTED, SMMU_CD0_R | SMMU_CD0_A, SMMU_STE2_S2R);
	r = h_translate(t.h, SID, false, 0, 0x1010, false);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_TRANSLATION);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), SID);
	assert_int_equal(evt[1], SMMU_EVT1_RNW | SMMU_EVT1_S2 |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_CD));
	assert_int_equal(evt[3], (CD_BASE + SID * SMMU_CD_SIZE) & SMMU_EVT3_IPA);
}

/* A changed PTE is served stale until TLBI + CMD_SYNC. */
static void test_tlbi_and_sync(void **state)
{
	struct xt t = xt_begin(state);
	uint64_t leaf;

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	leaf = ptb_map(&t.b, t.s1_root, 48, 0, 0x1000, 0x5000, 3, AF);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, false).pa, 0x5000);
	ptb_write(&t.b, leaf, 0x7000 | AF | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, false).pa, 0x5000);
	/* Another ASID's TLBI leaves it alone. */
	assert_int_equal(h_cmd_sync(t.h, cmd_tlbi_va(ASID + 1, VMID), 0x1000), SMMU_CERROR_NONE);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, false).pa, 0x5000);
	assert_int_equal(h_cmd_sync(t.h, cmd_tlbi_va(ASID, VMID), 0x1000), SMMU_CERROR_NONE);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1000, false).pa, 0x7000);
	assert_int_equal(h_stats(t.h).iotlb_invalidated, 1);
}

/* Weakest-legal hardware completes the TLBI only at the CMD_SYNC. */
static void test_weakest_legal_waits_for_sync(void **state)
{
	struct harness *h = *state;
	struct xt t;
	uint64_t leaf;

	h->cfg.weakest_legal = true;
	harness_rebuild(h);
	t = xt_begin(state);
	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	leaf = ptb_map(&t.b, t.s1_root, 48, 0, 0x1000, 0x5000, 3, AF);
	assert_int_equal(h_translate(h, SID, false, 0, 0x1000, false).pa, 0x5000);
	ptb_write(&t.b, leaf, 0x7000 | AF | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	h_cmd(h, cmd_tlbi_va(ASID, VMID), 0x1000);
	assert_int_equal(h_cmdq_wait(h), SMMU_CERROR_NONE);
	assert_int_equal(h_translate(h, SID, false, 0, 0x1000, false).pa, 0x5000);
	assert_int_equal(h_sync(h), SMMU_CERROR_NONE);
	assert_int_equal(h_translate(h, SID, false, 0, 0x1000, false).pa, 0x7000);
}

/*
 * TLBI scopes through the command queue: S2_IPA leaves nested (combined)
 * entries, NH_ASID leaves stage 2, S12_VMALL takes everything of the VMID.
 */
static void test_tlbi_scopes_through_cmdq(void **state)
{
	struct xt t = xt_begin(state);
	struct harness *h = t.h;
	uint64_t n;

	ptb_map(&t.b, t.s2_root, 40, 1, 0, 0, 1, S2RW);
	write_ste(&t, SID, SMMU_STE_CFG_NESTED, SMMU_CD0_R | SMMU_CD0_A, SMMU_STE2_S2R);
	write_ste(&t, SID + 1, SMMU_STE_CFG_S2, 0, SMMU_STE2_S2R);
	map_s1(&t, 0x1000, 0x20005000, AF);
	h_translate(h, SID, false, 0, 0x1000, false);
	h_translate(h, SID + 1, false, 0, 0x20005000, false);
	n = walks(h);
	assert_int_equal(h_cmd_sync(h, cmd_tlbi(SMMU_CMD_TLBI_S2_IPA, 0, VMID), 0x20005000),
			 SMMU_CERROR_NONE);
	h_translate(h, SID, false, 0, 0x1000, false);
	assert_int_equal(walks(h), n);
	h_translate(h, SID + 1, false, 0, 0x20005000, false);
	assert_int_equal(walks(h), n + 1);
	assert_int_equal(h_stats(h).iotlb_invalidated_by_op[SMMU_CMD_TLBI_S2_IPA], 1);
	assert_int_equal(h_cmd_sync(h, cmd_tlbi(SMMU_CMD_TLBI_NH_ASID, ASID, VMID), 0),
			 SMMU_CERROR_NONE);
	assert_int_equal(h_stats(h).iotlb_invalidated_by_op[SMMU_CMD_TLBI_NH_ASID], 1);
	h_translate(h, SID + 1, false, 0, 0x20005000, false);
	assert_int_equal(walks(h), n + 1);
	assert_int_equal(h_cmd_sync(h, cmd_tlbi(SMMU_CMD_TLBI_S12_VMALL, 0, VMID), 0),
			 SMMU_CERROR_NONE);
	assert_int_equal(h_stats(h).iotlb_invalidated_by_op[SMMU_CMD_TLBI_S12_VMALL], 1);
	assert_int_equal(h_stats(h).iotlb_invalidated, 3);
}

#define PRIQ_LOG2 4u

/* Page requests reach the PRI queue; PRI_RESP answers their group. */
static void test_page_requests(void **state)
{
	struct xt t = xt_begin(state);
	struct harness *h = t.h;
	struct smmu_page_request pr = {
		.sid = SID, .ssv = true, .ssid = 9, .addr = 0x12345678, .write = true,
		.last = true, .grpid = 5,
	};
	uint64_t priq_pa, rec[SMMU_PRI_DWORDS];

	/* PRIQEN clear: dropped, and answered with success so the device retries. */
	assert_int_equal(smmu_model_page_request(h->m, &pr), -ENOSPC);
	assert_int_equal(smmu_model_page_response(h->m, SID, true, 9, 5), SMMU_PRI_RESP_SUCC);
	assert_int_equal(smmu_model_page_response(h->m, SID, true, 9, 5), -ENOENT);
	h_alloc(h, SMMU_PRI_SIZE << PRIQ_LOG2, &priq_pa);
	smmu_model_mmio_write64(h->m, SMMU_PRIQ_BASE,
				priq_pa | SMMU_FIELD_PREP(SMMU_Q_BASE_LOG2SIZE, PRIQ_LOG2));
	h_cr0(h, h_read32(h, SMMU_CR0) | (uint32_t)SMMU_CR0_PRIQEN);
	assert_int_equal(smmu_model_page_request(h->m, &pr), 0);
	for (unsigned i = 0; i < SMMU_PRI_DWORDS; i++)
		assert_int_equal(smmu_mem_read64(h->mem, priq_pa + i * 8, &rec[i]), 0);
	assert_int_equal(rec[0], SMMU_FIELD_PREP(SMMU_PRI0_SID, SID) |
			 SMMU_FIELD_PREP(SMMU_PRI0_SSID, 9) | SMMU_PRI0_SSV |
			 SMMU_PRI0_WRITE | SMMU_PRI0_LAST);
	assert_int_equal(rec[1], 0x12345000 | 5);
	assert_int_equal(smmu_model_page_response(h->m, SID, true, 9, 5), -EAGAIN);
	assert_int_equal(h_cmd_sync(h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_PRI_RESP) |
				    SMMU_CMD0_SSV | SMMU_FIELD_PREP(SMMU_CMD0_SSID, 9) |
				    SMMU_FIELD_PREP(SMMU_CMD0_SID, SID),
				    SMMU_FIELD_PREP(SMMU_CMD1_PRI_GRPID, 5) |
				    SMMU_FIELD_PREP(SMMU_CMD1_PRI_RESP, SMMU_PRI_RESP_SUCC)),
			 SMMU_CERROR_NONE);
	assert_int_equal(smmu_model_page_response(h->m, SID, true, 9, 5), SMMU_PRI_RESP_SUCC);
	assert_int_equal(smmu_model_page_response(h->m, SID, true, 9, 5), -ENOENT);
	pr.grpid = 512;
	assert_int_equal(smmu_model_page_request(h->m, &pr), -EINVAL);
}

static void test_coherency_oracle(void **state)
{
	struct harness *h = *state;
	struct oracle_seen seen = { 0 };
	struct xt t;
	uint64_t leaf;

	h->cfg.check_coherency = true;
	harness_rebuild(h);
	t = xt_begin(state);
	smmu_model_set_coherency_callback(h->m, xt_on_violation, &seen);
	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	leaf = ptb_map(&t.b, t.s1_root, 48, 0, 0x1000, 0x5000, 3, AF);
	h_translate(h, SID, false, 0, 0x1000, false);
	h_translate(h, SID, false, 0, 0x1000, false);
	assert_int_equal(smmu_model_coherency_violations(h->m), 0);
	/* The driver remaps without invalidating: the cached answer is wrong. */
	ptb_write(&t.b, leaf, 0x7000 | AF | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	assert_int_equal(h_translate(h, SID, false, 0, 0x1008, false).pa, 0x5008);
	assert_int_equal(smmu_model_coherency_violations(h->m), 1);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.last.sid, SID);
	assert_int_equal(seen.last.asid, ASID);
	assert_int_equal(seen.last.iova, 0x1008);
	assert_int_equal(seen.last.cached_pa, 0x5008);
	assert_int_equal(seen.last.fresh_pa, 0x7008);
	assert_int_equal(seen.last.fresh_event, 0);
	/* An unmapped page is reported with the fault a fresh walk gives. */
	ptb_write(&t.b, leaf, 0);
	h_translate(h, SID, false, 0, 0x1000, false);
	assert_int_equal(seen.last.fresh_event, SMMU_EVT_F_TRANSLATION);
	smmu_model_reset_coherency(h->m);
	assert_int_equal(smmu_model_coherency_violations(h->m), 0);
	/* With the invalidation done, the model and the tables agree again. */
	ptb_write(&t.b, leaf, 0x7000 | AF | SMMU_PTE_VALID | SMMU_PTE_TYPE);
	assert_int_equal(h_cmd_sync(h, cmd_tlbi_va(ASID, VMID), 0x1000), SMMU_CERROR_NONE);
	assert_int_equal(h_translate(h, SID, false, 0, 0x1000, false).pa, 0x7000);
	assert_int_equal(h_translate(h, SID, false, 0, 0x1000, false).pa, 0x7000);
	assert_int_equal(smmu_model_coherency_violations(h->m), 0);
}

static struct smmu_txn_result ats(struct harness *h, uint32_t sid, uint64_t iova, bool write)
{
	struct smmu_txn txn = { .sid = sid, .iova = iova, .write = write, .ats_request = true };
	struct smmu_txn_result res;

	assert_int_equal(smmu_model_translate(h->m, &txn, &res), 0);
	return res;
}

#define UNPRIV_RW ((unsigned)(SMMU_PERM_R_UNPRIV | SMMU_PERM_W_UNPRIV | SMMU_PERM_X_UNPRIV))

/* A write request answered with addr, one 4K page, all unprivileged access. */
static void assert_ats_grant(struct harness *h, uint32_t sid, uint64_t iova, uint64_t addr)
{
	struct smmu_txn_result r = ats(h, sid, iova, true);

	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, addr);
	assert_int_equal(r.ats_size_log2, 12);
	assert_int_equal(r.ats_perms & UNPRIV_RW, UNPRIV_RW);
}

/* A fault: the negative (R = W = 0) answer, and no event. */
static void assert_ats_negative(struct harness *h, uint32_t sid, uint64_t iova)
{
	struct smmu_txn_result r = ats(h, sid, iova, false);
	uint64_t evt[4];

	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.ats_perms, 0);
	assert_false(h_event_pop(h, evt));
}

/* ATS Translation Requests: granted permissions, negative answers, EATS. */
static void test_ats_translation_requests(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t ste[SMMU_STE_DWORDS], evt[4];

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	for (unsigned i = 0; i < SMMU_STE_DWORDS; i++)
		assert_int_equal(smmu_mem_read64(t.h->mem, h_ste_pa(t.h, SID) + i * 8, &ste[i]), 0);
	ste[1] |= SMMU_FIELD_PREP(SMMU_STE1_EATS, SMMU_EATS_TRANS);
	h_write_ste(t.h, h_ste_pa(t.h, SID), ste);
	map_s1(&t, 0x1000, 0x5000, AF);
	map_s1(&t, 0x2000, 0x6000, AF | SMMU_PTE_AP_RDONLY);
	assert_ats_grant(t.h, SID, 0x1000, 0x5000);
	/* Asking to write a read-only page: read is what is granted. */
	r = ats(t.h, SID, 0x2000, true);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.ats_perms & UNPRIV_RW,
			 (unsigned)(SMMU_PERM_R_UNPRIV | SMMU_PERM_X_UNPRIV));
	/* A fault is a negative answer and records nothing. */
	assert_ats_negative(t.h, SID, 0x9000);
	/* EATS = 0: the request is refused with F_BAD_ATS_TREQ. */
	write_ste(&t, SID + 1, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	r = ats(t.h, SID + 1, 0x1000, false);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(evt[0], SMMU_FIELD_PREP(SMMU_EVT0_ID, SMMU_EVT_F_BAD_ATS_TREQ) |
			 SMMU_FIELD_PREP(SMMU_EVT0_SID, SID + 1));
	assert_int_equal(evt[2], 0x1000);
	/* A bypass STE's EATS acts as 0b00 whatever it holds (5.2, Config). */
	ste[0] = SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS);
	h_write_ste(t.h, h_ste_pa(t.h, SID + 2), ste);
	assert_int_equal(ats(t.h, SID + 2, 0x1000, false).status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_BAD_ATS_TREQ);
}

static struct smmu_txn_result translated(struct harness *h, uint32_t sid, uint64_t pa)
{
	struct smmu_txn txn = { .sid = sid, .iova = pa, .translated = true };
	struct smmu_txn_result res;

	assert_int_equal(smmu_model_translate(h->m, &txn, &res), 0);
	return res;
}

static void assert_forbidden(struct harness *h, uint32_t sid, uint64_t pa)
{
	struct smmu_txn_result r = translated(h, sid, pa);
	uint64_t evt[4];

	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_TRANSL_FORBIDDEN);
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_SID, evt[0]), sid);
	assert_int_equal(evt[2], pa);
}

/* Change one field of STE word 1 in place, and invalidate the STE. */
static void set_ste1(struct harness *h, uint32_t sid, uint64_t field, unsigned value)
{
	uint64_t ste[SMMU_STE_DWORDS];

	for (unsigned i = 0; i < SMMU_STE_DWORDS; i++)
		assert_int_equal(smmu_mem_read64(h->mem, h_ste_pa(h, sid) + i * 8, &ste[i]), 0);
	ste[1] = SMMU_FIELD_SET(field, ste[1], value);
	h_write_ste(h, h_ste_pa(h, sid), ste);
	h_cmd(h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_CFGI_STE) |
		 SMMU_FIELD_PREP(SMMU_CMD0_SID, sid), SMMU_CMD1_LEAF);
	assert_int_equal(h_sync(h), SMMU_CERROR_NONE);
}

static void set_eats(struct harness *h, uint32_t sid, unsigned eats)
{
	set_ste1(h, sid, SMMU_STE1_EATS, eats);
}

/* ATS Translated transactions (3.9.1.3): CR0.ATSCHK and STE.EATS decide. */
static void test_ats_translated_transactions(void **state)
{
	struct xt t = xt_begin(state);
	uint64_t beyond_oas = UINT64_C(1) << 48, evt[4];
	uint64_t ste[SMMU_STE_DWORDS] = {
		SMMU_STE0_V | SMMU_FIELD_PREP(SMMU_STE0_CONFIG, SMMU_STE_CFG_BYPASS),
	};
	struct smmu_txn_result r;

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	h_write_ste(t.h, h_ste_pa(t.h, SID + 1), ste);
	/* ATSCHK = 0: Translated traffic bypasses, whatever the STE says. */
	r = translated(t.h, SID, 0x7000);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x7000);
	/* Above the OAS it is aborted without an event (IMPLEMENTATION DEFINED). */
	assert_int_equal(translated(t.h, SID, beyond_oas).status, SMMU_TXN_ABORT);
	assert_false(h_event_pop(t.h, evt));

	h_cr0(t.h, h_read32(t.h, SMMU_CR0) | (uint32_t)SMMU_CR0_ATSCHK);
	assert_forbidden(t.h, SID, 0x7000);               /* EATS = 0 */
	assert_forbidden(t.h, SID + 1, 0x7000);           /* bypass STE */
	set_eats(t.h, SID, SMMU_EATS_TRANS);
	r = translated(t.h, SID, 0x7000);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x7000);
	assert_int_equal(translated(t.h, SID, beyond_oas).status, SMMU_TXN_ABORT);
	assert_false(h_event_pop(t.h, evt));
	/* An abort STE aborts without an event; a bad StreamID too (REC_CFG_ATS = 0). */
	ste[0] = SMMU_STE0_V;
	h_write_ste(t.h, h_ste_pa(t.h, SID + 2), ste);
	assert_int_equal(translated(t.h, SID + 2, 0x7000).status, SMMU_TXN_ABORT);
	assert_int_equal(translated(t.h, UINT32_C(1) << H_ST_LOG2, 0x7000).status,
			 SMMU_TXN_ABORT);
	assert_false(h_event_pop(t.h, evt));
	/* SMMUEN = 0: F_TRANSL_FORBIDDEN. */
	h_cr0(t.h, h_read32(t.h, SMMU_CR0) & ~(uint32_t)SMMU_CR0_SMMUEN);
	assert_forbidden(t.h, SID, 0x7000);
}

/*
 * Split-stage ATS (EATS = 0b10, 13.6.3): the answer is the IPA, and a
 * Translated transaction carrying it is translated by stage 2, whose faults
 * are recorded as stage-2 faults of an unprivileged data access.
 */
static void test_split_stage_ats(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;
	uint64_t evt[4];

	/* Stage 2 maps the first GiB 1:1 (CDs and stage-1 tables live there). */
	ptb_map(&t.b, t.s2_root, 40, 1, 0, 0, 1, S2RW);
	ptb_map(&t.b, t.s2_root, 40, 1, 0x40005000, 0x30005000, 3, S2RW);
	ptb_map(&t.b, t.s2_root, 40, 1, 0x4000a000, 0x3000a000, 3,
		SMMU_PTE_AF | SMMU_PTE_S2AP_READ);
	write_ste(&t, SID, SMMU_STE_CFG_NESTED, SMMU_CD0_R | SMMU_CD0_A, SMMU_STE2_S2R);
	map_s1(&t, 0x1000, 0x40005000, AF);
	map_s1(&t, 0x2000, 0x40009000, AF);
	set_eats(t.h, SID, SMMU_EATS_S1CHK);
	/* Without ATSCHK, EATS = 0b10 behaves as 0b00 (5.2). */
	r = ats(t.h, SID, 0x1000, false);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_BAD_ATS_TREQ);

	h_cr0(t.h, h_read32(t.h, SMMU_CR0) | (uint32_t)SMMU_CR0_ATSCHK);
	assert_ats_grant(t.h, SID, 0x1000, 0x40005000);
	/* Stage 2 is walked for the request too: its fault is a negative answer. */
	assert_ats_negative(t.h, SID, 0x2000);
	/* The Translated transaction's IPA goes through stage 2. */
	r = translated(t.h, SID, 0x40005010);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x30005010);
	r = translated(t.h, SID, 0x40009010);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(r.event_recorded);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(evt[0], SMMU_FIELD_PREP(SMMU_EVT0_ID, SMMU_EVT_F_TRANSLATION) |
			 SMMU_FIELD_PREP(SMMU_EVT0_SID, SID));
	assert_int_equal(evt[1], SMMU_EVT1_RNW | SMMU_EVT1_S2 |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN));
	assert_int_equal(evt[2], 0x40009010);
	assert_int_equal(evt[3], 0x40009010 & SMMU_EVT3_IPA);
	/* A write to an IPA stage 2 keeps read-only: stage-2 permission fault. */
	struct smmu_txn wr = { .sid = SID, .iova = 0x4000a000, .write = true, .translated = true };
	assert_int_equal(smmu_model_translate(t.h->m, &wr, &r), 0);
	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(t.h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_PERMISSION);
	assert_int_equal(evt[1], SMMU_EVT1_S2 |
			 SMMU_FIELD_PREP(SMMU_EVT1_CLASS, SMMU_EVT_CLASS_IN));
	/* Full ATS (0b01) on the same stream answers the PA, and Translated passes. */
	set_eats(t.h, SID, SMMU_EATS_TRANS);
	assert_int_equal(ats(t.h, SID, 0x1000, false).pa, 0x30005000);
	r = translated(t.h, SID, 0x40009010);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x40009010);
	assert_false(h_event_pop(t.h, evt));
}

/* An aborted access recorded as a stage-1 F_PERMISSION at iova. */
static void expect_stage1_permission_fault(struct harness *h, uint32_t sid, uint64_t iova,
					   bool write)
{
	struct smmu_txn_result r = h_translate(h, sid, false, 0, iova, write);
	uint64_t evt[4];

	assert_int_equal(r.status, SMMU_TXN_ABORT);
	assert_true(h_event_pop(h, evt));
	assert_int_equal(SMMU_FIELD_GET(SMMU_EVT0_ID, evt[0]), SMMU_EVT_F_PERMISSION);
	assert_false(evt[1] & SMMU_EVT1_S2);
	assert_int_equal(evt[2], iova);
}

/*
 * A stage-1 stream with StreamWorld NS-EL2 (STRW = EL2, CR2.E2H = 0) uses
 * the EL2 regime: one privilege level, AP[1] ignored, every access
 * privileged.  The same tables through an NS-EL1 stream deny EL0.
 */
static void test_el2_stream_permissions(void **state)
{
	struct xt t = xt_begin(state);
	struct smmu_txn_result r;

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	set_ste1(t.h, SID, SMMU_STE1_STRW, SMMU_STRW_EL2);
	write_ste(&t, SID + 1, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	map_s1(&t, 0x1000, 0x5000, SMMU_PTE_AF);
	map_s1(&t, 0x2000, 0x6000, SMMU_PTE_AF | SMMU_PTE_AP_RDONLY);
	r = h_translate(t.h, SID, false, 0, 0x1008, true);
	assert_int_equal(r.status, SMMU_TXN_OK);
	assert_int_equal(r.pa, 0x5008);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x1010, false).pa, 0x5010);
	expect_stage1_permission_fault(t.h, SID, 0x2000, true);
	assert_int_equal(h_translate(t.h, SID, false, 0, 0x2000, false).pa, 0x6000);
	/* NS-EL1: AP[1] = 0 keeps EL0 (the device's unprivileged access) out. */
	expect_stage1_permission_fault(t.h, SID + 1, 0x1008, false);
}

/*
 * STE.PRIVCFG and STE.INSTCFG (IDR1.ATTR_PERMS_OVR) replace the incoming
 * attributes before the permission checks; INSTCFG affects reads only
 * (writes are always data).  Repeats go through the micro-TLB, which must
 * give the same answers.
 */
static void test_attribute_overrides(void **state)
{
	struct xt t = xt_begin(state);
	struct harness *h = t.h;

	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	/* Privileged only; executable by EL1 only (UXN). */
	map_s1(&t, 0x1000, 0x5000, SMMU_PTE_AF | SMMU_PTE_NG | SMMU_PTE_UXN);
	set_ste1(h, SID, SMMU_STE1_PRIVCFG, SMMU_PRIVCFG_PRIV);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(xt_access(h, 0x1000, false, false, false).status, SMMU_TXN_OK);
	set_ste1(h, SID, SMMU_STE1_PRIVCFG, SMMU_PRIVCFG_UNPRIV);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(xt_access(h, 0x1000, true, false, false).status, SMMU_TXN_ABORT);
	/* Instruction reads by EL0 are refused (UXN); overridden as data they pass. */
	map_s1(&t, 0x2000, 0x6000, AF | SMMU_PTE_UXN);
	set_ste1(h, SID, SMMU_STE1_PRIVCFG, SMMU_PRIVCFG_INCOMING);
	assert_int_equal(xt_access(h, 0x2000, false, true, false).status, SMMU_TXN_ABORT);
	set_ste1(h, SID, SMMU_STE1_INSTCFG, SMMU_INSTCFG_DATA);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(xt_access(h, 0x2000, false, true, false).status, SMMU_TXN_OK);
	set_ste1(h, SID, SMMU_STE1_INSTCFG, SMMU_INSTCFG_INSTR);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(xt_access(h, 0x2000, false, false, false).status, SMMU_TXN_ABORT);
		/* A write stays a data write. */
		assert_int_equal(xt_access(h, 0x2000, false, false, true).status, SMMU_TXN_OK);
	}
	assert_int_equal(h_stats(h).f_permission, 5 + 1 + 5);
}

static void on_atc_inv(void *opaque, const struct smmu_model_atc_inv *inv)
{
	*(struct smmu_model_atc_inv *)opaque = *inv;
}

/* CMD_ATC_INV reaches the device's ATC as an ATS Invalidate Request. */
static void test_atc_inv_forwarded(void **state)
{
	struct harness *h = *state;
	struct smmu_model_atc_inv seen = { 0 };

	h->cfg.atc_invalidate = on_atc_inv;
	h->cfg.atc_invalidate_opaque = &seen;
	harness_rebuild(h);
	h_enable_all(h);
	assert_int_equal(h_cmd_sync(h, SMMU_FIELD_PREP(SMMU_CMD0_OP, SMMU_CMD_ATC_INV) |
				    SMMU_FIELD_PREP(SMMU_CMD0_SID, SID) | SMMU_CMD0_SSV |
				    SMMU_FIELD_PREP(SMMU_CMD0_SSID, 3),
				    0x123456000ull | SMMU_FIELD_PREP(SMMU_CMD1_ATC_SIZE, 4)),
			 SMMU_CERROR_NONE);
	assert_int_equal(seen.sid, SID);
	assert_true(seen.ssv);
	assert_int_equal(seen.ssid, 3);
	assert_false(seen.global);
	assert_int_equal(seen.span_log2, 16);
	assert_int_equal(seen.addr, 0x123450000ull);
}

/* An IOTLB the model cannot index is a bad configuration, not a crash. */
static void test_bad_iotlb_capacity(void **state)
{
	struct harness *h = *state;
	struct smmu_model_config cfg = h->cfg;

	cfg.iotlb_capacity = UINT32_MAX;
	errno = 0;
	assert_null(smmu_model_new(&cfg, h->mem));
	assert_int_equal(errno, EINVAL);
}

/*
 * A CMD_SYNC completes the TLBIs before it, and with them the walks that
 * began before it: a driver frees the tables once it sees the sync, so a
 * walk still reading them after would read freed memory.
 */
static void test_sync_waits_for_walks_in_flight(void **state)
{
	static const struct timespec settle = { .tv_nsec = 50 * 1000 * 1000 };
	struct harness *h = *state;
	struct gate g;
	struct gate_txn walker = { .iova = 0x1000 };
	struct gate_sync sync = {
		.h = h, .n = 1, .dw0 = { cmd_tlbi_va(ASID, VMID) }, .dw1 = { 0x1000 },
	};
	bool early;
	struct xt t;

	gate_install(h, &g);
	t = xt_begin(state);
	write_ste(&t, SID, SMMU_STE_CFG_S1, SMMU_CD0_R | SMMU_CD0_A, 0);
	gate_arm(&g, ptb_map(&t.b, t.s1_root, 48, 0, 0x1000, 0x5000, 3, AF));
	walker.m = h->m;
	gate_txn_start(&walker);
	gate_wait_holding(&g);
	gate_sync_start(&sync);
	nanosleep(&settle, NULL);
	early = atomic_load(&sync.synced);
	gate_release(&g);
	gate_txn_join(&walker);
	gate_sync_join(&sync);
	assert_false(early);
	assert_true(atomic_load(&sync.synced));
	/* It did wait, whatever the timing; and the walk ended as usual. */
	assert_int_equal(h_stats(h).syncs_waiting_for_walks, 1);
	assert_int_equal(walker.res.status, SMMU_TXN_OK);
	assert_int_equal(walker.res.pa, 0x5000);
	gate_remove(h, &g);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, harness_setup, harness_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_s1_translation_and_hits),
		T(test_s1_fault_records),
		T(test_s2_translation_and_fault),
		T(test_nested_translation),
		T(test_nested_cd_fetch_fault),
		T(test_tlbi_and_sync),
		T(test_weakest_legal_waits_for_sync),
		T(test_tlbi_scopes_through_cmdq),
		T(test_page_requests),
		T(test_bad_iotlb_capacity),
		T(test_ats_translation_requests),
		T(test_ats_translated_transactions),
		T(test_split_stage_ats),
		T(test_el2_stream_permissions),
		T(test_attribute_overrides),
		T(test_atc_inv_forwarded),
		T(test_coherency_oracle),
		T(test_sync_waits_for_walks_in_flight),
	};
	return harness_run("xlate", tests, sizeof(tests) / sizeof(tests[0]));
}
