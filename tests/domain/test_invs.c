/*
 * Unit tests for invalidation arrays: merge, unref and purge checked entry
 * by entry (ids, users, SSIDs, trash counts) on the kernel's KUnit
 * sequence and on random sequences against a reference model; bad input
 * refused with nothing changed; the per-master builder; RCU publication.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmu/arch.h>

#include "dev.h"
#include "invs.h"

#define FAKE_SMMU(n) ((struct smmu_dev *)(uintptr_t)(0x1000u * (n)))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct key {
	unsigned smmu;
	enum smmu_inv_type type;
	uint32_t id;
	uint32_t ssid;
};

static struct smmu_invs *mk(const struct key *k, unsigned n)
{
	struct smmu_invs *invs = smmu_invs_alloc(n);

	assert_non_null(invs);
	for (unsigned i = 0; i < n; i++) {
		invs->inv[i] = (struct smmu_inv){
			.smmu = FAKE_SMMU(k[i].smmu), .type = (uint8_t)k[i].type,
			.id = k[i].id, .users = 1,
		};
		if (k[i].type == SMMU_INV_ATS || k[i].type == SMMU_INV_ATS_FULL)
			invs->inv[i].ssid = k[i].ssid;
	}
	return invs;
}

/* Entry-by-entry check of num_invs, ids, users, ssids and trash count. */
static void check(const struct smmu_invs *invs, unsigned num,
		  const uint32_t *ids, const int *users, const uint32_t *ssids,
		  unsigned trashes)
{
	assert_int_equal(invs->num_invs, num);
	assert_int_equal(invs->num_trashes, trashes);
	for (unsigned i = 0; i < num; i++) {
		assert_int_equal(invs->inv[i].id, ids[i]);
		assert_int_equal(invs->inv[i].users, users[i]);
		if (ssids)
			assert_int_equal(invs->inv[i].ssid, ssids[i]);
	}
}

/* Replace *cur by merge(*cur, add), freeing the old array. */
static void merge_into(struct smmu_invs **cur, const struct smmu_invs *add)
{
	struct smmu_invs *out = NULL;

	assert_int_equal(smmu_invs_merge(*cur, add, &out), 0);
	smmu_invs_free(*cur);
	*cur = out;
}

static void purge_into(struct smmu_invs **cur)
{
	struct smmu_invs *out = smmu_invs_purge(*cur);

	if (out) {
		smmu_invs_free(*cur);
		*cur = out;
	}
}

/* The kernel's KUnit sequence (linux-driver.md, table after 1.12). */
static void test_kunit_sequence(void **state)
{
	const struct key a1[] = { { 0, SMMU_INV_S1_ASID, 1, 0 },
				  { 0, SMMU_INV_S2_VMID, 1, 0 },
				  { 0, SMMU_INV_ATS, 3, 0 } };
	const struct key a2[] = { { 0, SMMU_INV_S1_ASID, 1, 0 },
				  { 0, SMMU_INV_ATS, 4, 0 },
				  { 0, SMMU_INV_ATS, 5, 0 } };
	const struct key a3[] = { { 0, SMMU_INV_S1_ASID, 1, 0 },
				  { 0, SMMU_INV_ATS, 5, 0 },
				  { 0, SMMU_INV_ATS, 6, 0 } };
	const struct key a4[] = { { 0, SMMU_INV_ATS, 10, 1 },
				  { 0, SMMU_INV_ATS, 10, 3 },
				  { 0, SMMU_INV_ATS, 12, 1 } };
	const struct key a5[] = { { 0, SMMU_INV_ATS, 10, 2 },
				  { 0, SMMU_INV_ATS, 10, 3 },
				  { 0, SMMU_INV_ATS, 12, 2 } };
	struct smmu_invs *A1 = mk(a1, 3), *A2 = mk(a2, 3), *A3 = mk(a3, 3);
	struct smmu_invs *A4 = mk(a4, 3), *A5 = mk(a5, 3);
	struct smmu_invs *cur = smmu_invs_alloc(0);

	(void)state;
	merge_into(&cur, A1);                                   /* 1 */
	check(cur, 3, (uint32_t[]){ 1, 1, 3 }, (int[]){ 1, 1, 1 },
	      (uint32_t[]){ 0, 0, 0 }, 0);
	assert_true(cur->has_ats);
	merge_into(&cur, A2);                                   /* 2 */
	check(cur, 5, (uint32_t[]){ 1, 1, 3, 4, 5 }, (int[]){ 2, 1, 1, 1, 1 },
	      (uint32_t[]){ 0, 0, 0, 0, 0 }, 0);
	assert_int_equal(smmu_invs_unref(cur, A2), 0);          /* 3 */
	check(cur, 3, (uint32_t[]){ 1, 1, 3 }, (int[]){ 1, 1, 1 }, NULL, 0);
	merge_into(&cur, A3);                                   /* 4 */
	check(cur, 5, (uint32_t[]){ 1, 1, 3, 5, 6 }, (int[]){ 2, 1, 1, 1, 1 },
	      NULL, 0);
	assert_int_equal(smmu_invs_unref(cur, A1), 0);          /* 5 */
	check(cur, 5, (uint32_t[]){ 1, 1, 3, 5, 6 }, (int[]){ 1, 0, 0, 1, 1 },
	      NULL, 2);
	purge_into(&cur);                                       /* 6 */
	check(cur, 3, (uint32_t[]){ 1, 5, 6 }, (int[]){ 1, 1, 1 }, NULL, 0);
	assert_int_equal(smmu_invs_unref(cur, A3), 0);          /* 7 */
	check(cur, 0, NULL, NULL, NULL, 0);
	merge_into(&cur, A4);                                   /* 8 */
	check(cur, 3, (uint32_t[]){ 10, 10, 12 }, (int[]){ 1, 1, 1 },
	      (uint32_t[]){ 1, 3, 1 }, 0);
	merge_into(&cur, A5);                                   /* 9 */
	check(cur, 5, (uint32_t[]){ 10, 10, 10, 12, 12 },
	      (int[]){ 1, 1, 2, 1, 1 }, (uint32_t[]){ 1, 2, 3, 1, 2 }, 0);
	assert_int_equal(smmu_invs_unref(cur, A5), 0);          /* 10 */
	check(cur, 4, (uint32_t[]){ 10, 10, 10, 12 }, (int[]){ 1, 0, 1, 1 },
	      (uint32_t[]){ 1, 2, 3, 1 }, 1);
	purge_into(&cur);                                       /* 11 */
	check(cur, 3, (uint32_t[]){ 10, 10, 12 }, (int[]){ 1, 1, 1 },
	      (uint32_t[]){ 1, 3, 1 }, 0);
	smmu_invs_free(cur);
	smmu_invs_free(A1);
	smmu_invs_free(A2);
	smmu_invs_free(A3);
	smmu_invs_free(A4);
	smmu_invs_free(A5);
}

/* unref tells the caller which entries died through to_unref's users. */
static void test_unref_writes_back_users(void **state)
{
	const struct key ka[] = { { 0, SMMU_INV_S1_ASID, 7, 0 },
				  { 0, SMMU_INV_ATS, 1, 0 } };
	const struct key kb[] = { { 0, SMMU_INV_S1_ASID, 7, 0 },
				  { 0, SMMU_INV_ATS, 2, 0 } };
	struct smmu_invs *a = mk(ka, 2), *b = mk(kb, 2);
	struct smmu_invs *cur = smmu_invs_alloc(0);

	(void)state;
	merge_into(&cur, a);
	merge_into(&cur, b);
	assert_int_equal(smmu_invs_unref(cur, a), 0);
	assert_int_equal(a->inv[0].users, 1); /* the tag lives on */
	assert_int_equal(a->inv[1].users, 0);
	assert_int_equal(cur->num_trashes, 1);
	assert_int_equal(smmu_invs_unref(cur, b), 0);
	assert_int_equal(b->inv[0].users, 0); /* last user of the tag */
	assert_int_equal(b->inv[1].users, 0);
	assert_int_equal(cur->num_invs, 0);
	assert_int_equal(cur->num_trashes, 0);
	assert_null(smmu_invs_purge(cur));
	smmu_invs_free(cur);
	smmu_invs_free(a);
	smmu_invs_free(b);
}

/* Entries of several SMMUs sort by SMMU first, and merge keeps it so. */
static void test_multi_smmu_order(void **state)
{
	const struct key k2[] = { { 2, SMMU_INV_S2_VMID, 5, 0 } };
	const struct key k1[] = { { 1, SMMU_INV_S2_VMID, 9, 0 },
				  { 1, SMMU_INV_ATS, 3, 0 } };
	struct smmu_invs *m2 = mk(k2, 1), *m1 = mk(k1, 2);
	struct smmu_invs *cur = smmu_invs_alloc(0);

	(void)state;
	merge_into(&cur, m2);
	merge_into(&cur, m1);
	check(cur, 3, (uint32_t[]){ 9, 3, 5 }, (int[]){ 1, 1, 1 }, NULL, 0);
	assert_ptr_equal(cur->inv[0].smmu, FAKE_SMMU(1));
	assert_ptr_equal(cur->inv[2].smmu, FAKE_SMMU(2));
	assert_int_equal(smmu_invs_unref(cur, m1), 0);
	check(cur, 3, (uint32_t[]){ 9, 3, 5 }, (int[]){ 0, 0, 1 }, NULL, 2);
	purge_into(&cur);
	check(cur, 1, (uint32_t[]){ 5 }, (int[]){ 1 }, NULL, 0);
	assert_false(cur->has_ats);
	smmu_invs_free(cur);
	smmu_invs_free(m1);
	smmu_invs_free(m2);
}

static void snapshot(const struct smmu_invs *invs, struct smmu_inv *copy,
		     uint32_t *num, uint32_t *trash)
{
	memcpy(copy, invs->inv, invs->max_invs * sizeof(*copy));
	*num = invs->num_invs;
	*trash = invs->num_trashes;
}

static void assert_unchanged(const struct smmu_invs *invs,
			     const struct smmu_inv *copy, uint32_t num,
			     uint32_t trash)
{
	assert_int_equal(invs->num_invs, num);
	assert_int_equal(invs->num_trashes, trash);
	assert_memory_equal(invs->inv, copy, invs->max_invs * sizeof(*copy));
}

static void test_bad_input_changes_nothing(void **state)
{
	const struct key kb[] = { { 0, SMMU_INV_S1_ASID, 1, 0 },
				  { 0, SMMU_INV_ATS, 3, 0 },
				  { 0, SMMU_INV_ATS, 4, 0 } };
	const struct key kmissing[] = { { 0, SMMU_INV_ATS, 9, 0 } };
	const struct key kunsorted[] = { { 0, SMMU_INV_ATS, 4, 0 },
					 { 0, SMMU_INV_ATS, 3, 0 } };
	const struct key kdead[] = { { 0, SMMU_INV_ATS, 3, 0 } };
	struct smmu_invs *base = mk(kb, 3), *cur = smmu_invs_alloc(0);
	struct smmu_invs *missing = mk(kmissing, 1);
	struct smmu_invs *unsorted = mk(kunsorted, 2);
	struct smmu_invs *dead = mk(kdead, 1), *out = NULL;
	struct smmu_inv copy[3];
	uint32_t num, trash;

	(void)state;
	merge_into(&cur, base);
	snapshot(cur, copy, &num, &trash);
	assert_int_equal(smmu_invs_unref(cur, missing), -EINVAL);
	assert_unchanged(cur, copy, num, trash);
	assert_int_equal(smmu_invs_unref(cur, unsorted), -EINVAL);
	assert_unchanged(cur, copy, num, trash);
	assert_int_equal(smmu_invs_merge(cur, unsorted, &out), -EINVAL);
	assert_null(out);
	assert_int_equal(smmu_invs_merge(NULL, base, &out), -EINVAL);
	assert_int_equal(smmu_invs_unref(NULL, base), -EINVAL);
	/* Unref an entry that is already trash: unbalanced detach. */
	assert_int_equal(smmu_invs_unref(cur, dead), 0);
	snapshot(cur, copy, &num, &trash);
	dead->inv[0].users = 1;
	assert_int_equal(smmu_invs_unref(cur, dead), -EINVAL);
	assert_unchanged(cur, copy, num, trash);
	smmu_invs_free(cur);
	smmu_invs_free(base);
	smmu_invs_free(missing);
	smmu_invs_free(unsorted);
	smmu_invs_free(dead);
}

/* Interior trash is dropped by the next merge, not only by purge. */
static void test_merge_drops_trash(void **state)
{
	const struct key ka[] = { { 0, SMMU_INV_S1_ASID, 1, 0 },
				  { 0, SMMU_INV_S1_ASID, 2, 0 },
				  { 0, SMMU_INV_S1_ASID, 3, 0 } };
	const struct key kmid[] = { { 0, SMMU_INV_S1_ASID, 2, 0 } };
	const struct key knew[] = { { 0, SMMU_INV_S1_ASID, 4, 0 } };
	struct smmu_invs *a = mk(ka, 3), *mid = mk(kmid, 1), *add = mk(knew, 1);
	struct smmu_invs *cur = smmu_invs_alloc(0);

	(void)state;
	merge_into(&cur, a);
	assert_int_equal(smmu_invs_unref(cur, mid), 0);
	check(cur, 3, (uint32_t[]){ 1, 2, 3 }, (int[]){ 1, 0, 1 }, NULL, 1);
	merge_into(&cur, add);
	check(cur, 3, (uint32_t[]){ 1, 3, 4 }, (int[]){ 1, 1, 1 }, NULL, 0);
	assert_int_equal(cur->max_invs, 3);
	smmu_invs_free(cur);
	smmu_invs_free(a);
	smmu_invs_free(mid);
	smmu_invs_free(add);
}

/*
 * Random attach/detach sequences against a reference count per key: a
 * small key space (2 SMMUs x types x ids x ssids) so entries collide.
 */
#define NKEYS 24u
#define NMASTERS 6u

static struct key key_of(unsigned k)
{
	static const enum smmu_inv_type types[] = { SMMU_INV_S1_ASID,
		SMMU_INV_S2_VMID, SMMU_INV_ATS };
	struct key key = { .smmu = 1 + k / 12, .type = types[(k / 4) % 3],
			   .id = 1 + (k % 4) / 2, .ssid = 0 };

	if (key.type == SMMU_INV_ATS)
		key.ssid = k % 2;
	else
		key.id = 1 + k % 4;
	return key;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void random_master(uint32_t *seed, struct smmu_invs **out)
{
	struct key keys[NKEYS];
	unsigned n = 0;

	/* keys in index order are sorted: key_of is monotonic */
	for (unsigned k = 0; k < NKEYS; k++)
		if (lcg(seed) % 4 == 0)
			keys[n++] = key_of(k);
	if (!n)
		keys[n++] = key_of(lcg(seed) % NKEYS);
	*out = mk(keys, n);
}

static void check_against_ref(const struct smmu_invs *cur, const int *ref)
{
	unsigned live = 0, trash = 0;
	uint32_t i;

	for (i = 0; i < cur->num_invs; i++) {
		if (cur->inv[i].users)
			live++;
		else
			trash++;
	}
	/* No trailing trash, and the trash count is exact. */
	if (cur->num_invs)
		assert_int_not_equal(cur->inv[cur->num_invs - 1].users, 0);
	assert_int_equal(cur->num_trashes, trash);
	for (unsigned k = 0; k < NKEYS; k++) {
		struct smmu_invs *one;
		struct key key = key_of(k);
		int users = 0;

		one = mk(&key, 1);
		for (i = 0; i < cur->num_invs; i++)
			if (cur->inv[i].users &&
			    !smmu_inv_cmp(&cur->inv[i], &one->inv[0]))
				users = cur->inv[i].users;
		smmu_invs_free(one);
		assert_int_equal(users, ref[k]);
		live -= users ? 1 : 0;
	}
	assert_int_equal(live, 0);
}

static void ref_apply(int *ref, const struct smmu_invs *m, int delta)
{
	for (uint32_t j = 0; j < m->num_invs; j++)
		for (unsigned k = 0; k < NKEYS; k++) {
			struct key key = key_of(k);
			struct smmu_invs *one = mk(&key, 1);

			if (!smmu_inv_cmp(&m->inv[j], &one->inv[0]))
				ref[k] += delta;
			smmu_invs_free(one);
		}
}

static void test_random_sequences(void **state)
{
	uint32_t seed = 12345;

	(void)state;
	for (unsigned run = 0; run < 40; run++) {
		struct smmu_invs *masters[NMASTERS] = { 0 };
		struct smmu_invs *cur = smmu_invs_alloc(0);
		int ref[NKEYS] = { 0 };

		for (unsigned step = 0; step < 60; step++) {
			unsigned m = lcg(&seed) % NMASTERS;

			if (!masters[m]) {
				random_master(&seed, &masters[m]);
				merge_into(&cur, masters[m]);
				ref_apply(ref, masters[m], 1);
			} else {
				ref_apply(ref, masters[m], -1);
				assert_int_equal(smmu_invs_unref(cur, masters[m]), 0);
				smmu_invs_free(masters[m]);
				masters[m] = NULL;
				if (lcg(&seed) % 3 == 0)
					purge_into(&cur);
			}
			check_against_ref(cur, ref);
		}
		for (unsigned m = 0; m < NMASTERS; m++)
			smmu_invs_free(masters[m]);
		smmu_invs_free(cur);
	}
}

static void test_purge_cases(void **state)
{
	const struct key ka[] = { { 0, SMMU_INV_S1_ASID, 1, 0 },
				  { 0, SMMU_INV_ATS, 3, 5 },
				  { 0, SMMU_INV_ATS, 3, 6 } };
	const struct key kdrop[] = { { 0, SMMU_INV_ATS, 3, 5 } };
	struct smmu_invs *a = mk(ka, 3), *drop = mk(kdrop, 1);
	struct smmu_invs *cur = smmu_invs_alloc(0);

	(void)state;
	assert_null(smmu_invs_purge(cur));  /* empty */
	merge_into(&cur, a);
	assert_null(smmu_invs_purge(cur));  /* no trash */
	assert_int_equal(smmu_invs_unref(cur, drop), 0);
	check(cur, 3, (uint32_t[]){ 1, 3, 3 }, (int[]){ 1, 0, 1 },
	      (uint32_t[]){ 0, 5, 6 }, 1);
	purge_into(&cur);
	check(cur, 2, (uint32_t[]){ 1, 3 }, (int[]){ 1, 1 }, NULL, 0);
	assert_int_equal(cur->inv[1].ssid, 6);
	assert_true(cur->has_ats);
	smmu_invs_free(cur);
	smmu_invs_free(a);
	smmu_invs_free(drop);
}

/* The builder: tag first, S1_CLEAR for vSMMU VMIDs, ATS per sorted SID. */
static void test_build_s1(void **state)
{
	struct smmu_dev smmu = { .feat = { .ril = false } };
	struct smmu_invs *scratch = smmu_invs_alloc_scratch(false, 0);
	struct smmu_master_invs_desc d = {
		.tag = { &smmu, SMMU_INV_S1_ASID, 42 },
		.pgsize_bitmap = 0x40201000,
	};

	(void)state;
	assert_int_equal(scratch->max_invs, 2);
	assert_int_equal(smmu_invs_build_master(scratch, &d), 0);
	assert_int_equal(scratch->num_invs, 1);
	assert_int_equal(scratch->inv[0].type, SMMU_INV_S1_ASID);
	assert_int_equal(scratch->inv[0].size_opcode, SMMU_CMD_TLBI_NH_VA);
	assert_int_equal(scratch->inv[0].nsize_opcode, SMMU_CMD_TLBI_NH_ASID);
	assert_int_equal(scratch->inv[0].id, 42);
	assert_int_equal(scratch->inv[0].pgsize, 0);
	assert_false(scratch->has_ats);
	smmu.feat.ril = true;
	smmu.feat.e2h = true;
	assert_int_equal(smmu_invs_build_master(scratch, &d), 0);
	assert_int_equal(scratch->inv[0].size_opcode, SMMU_CMD_TLBI_EL2_VA);
	assert_int_equal(scratch->inv[0].nsize_opcode, SMMU_CMD_TLBI_EL2_ASID);
	assert_int_equal(scratch->inv[0].pgsize, 12);
	smmu_invs_free(scratch);
}

static void test_build_ats_and_nested(void **state)
{
	struct smmu_dev smmu = { .feat = { .ats = true } };
	const uint32_t sids[] = { 3, 8, 20 };
	struct smmu_invs *scratch = smmu_invs_alloc_scratch(true, 3);
	struct smmu_master_invs_desc d = {
		.tag = { &smmu, SMMU_INV_S2_VMID, 9 },
		.ats = true, .ssid = 5, .sids = sids, .nsids = 3,
	};

	(void)state;
	assert_int_equal(scratch->max_invs, 5);
	assert_int_equal(smmu_invs_build_master(scratch, &d), 0);
	assert_int_equal(scratch->num_invs, 4);
	assert_int_equal(scratch->inv[0].size_opcode, SMMU_CMD_TLBI_S2_IPA);
	assert_int_equal(scratch->inv[0].nsize_opcode, SMMU_CMD_TLBI_S12_VMALL);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(scratch->inv[1 + i].type, SMMU_INV_ATS);
		assert_int_equal(scratch->inv[1 + i].id, sids[i]);
		assert_int_equal(scratch->inv[1 + i].ssid, 5);
		assert_int_equal(scratch->inv[1 + i].size_opcode, SMMU_CMD_ATC_INV);
	}
	assert_true(scratch->has_ats);

	d.tag.type = SMMU_INV_S2_VMID_VSMMU;
	d.nest_parent = true;
	assert_int_equal(smmu_invs_build_master(scratch, &d), 0);
	assert_int_equal(scratch->num_invs, 5);
	assert_int_equal(scratch->inv[0].type, SMMU_INV_S2_VMID_VSMMU);
	assert_int_equal(scratch->inv[1].type, SMMU_INV_S2_VMID_S1_CLEAR);
	assert_int_equal(scratch->inv[1].id, 9);
	assert_int_equal(scratch->inv[1].size_opcode, SMMU_CMD_TLBI_NH_ALL);
	for (unsigned i = 2; i < 5; i++) {
		assert_int_equal(scratch->inv[i].type, SMMU_INV_ATS_FULL);
		assert_int_equal(scratch->inv[i].ssid, 0);
	}
	smmu_invs_free(scratch);
}

static void test_build_rejects_bad_desc(void **state)
{
	struct smmu_dev smmu = { .feat = { .ats = true } };
	const uint32_t unsorted[] = { 8, 3 };
	const uint32_t sids[] = { 1, 2, 3, 4 };
	struct smmu_invs *small = smmu_invs_alloc_scratch(false, 0);
	struct smmu_invs *ats = smmu_invs_alloc_scratch(true, 2);
	struct smmu_master_invs_desc d = {
		.tag = { &smmu, SMMU_INV_S1_ASID, 1 },
		.ats = true, .sids = sids, .nsids = 2,
	};

	(void)state;
	/* Room for the tag and one ATS entry, not two */
	assert_int_equal(smmu_invs_build_master(small, &d), -EINVAL);
	assert_int_equal(small->num_invs, 0);
	d.nsids = 4; /* the tag and 4 SIDs need 5 */
	assert_int_equal(smmu_invs_build_master(ats, &d), -EINVAL);
	d.sids = unsorted;
	d.nsids = 2;
	assert_int_equal(smmu_invs_build_master(ats, &d), -EINVAL);
	d.sids = sids;
	d.tag.type = SMMU_INV_ATS;
	assert_int_equal(smmu_invs_build_master(ats, &d), -EINVAL);
	d.tag.type = SMMU_INV_S1_ASID;
	d.tag.id = 0x10000;
	assert_int_equal(smmu_invs_build_master(ats, &d), -EINVAL);
	d.tag.id = 1;
	d.tag.smmu = NULL;
	assert_int_equal(smmu_invs_build_master(ats, &d), -EINVAL);
	assert_int_equal(ats->num_invs, 0);
	assert_int_equal(smmu_invs_build_master(NULL, &d), -EINVAL);
	smmu_invs_free(small);
	smmu_invs_free(ats);
}

/* Publication: readers see the new array; the old one is freed after RCU. */
static void test_publish_rcu(void **state)
{
	const struct key ka[] = { { 0, SMMU_INV_S1_ASID, 1, 0 } };
	struct smmu_invs *a = mk(ka, 1), *slot = smmu_invs_alloc(0), *next;

	(void)state;
	urcu_memb_register_thread();
	assert_int_equal(smmu_invs_merge(slot, a, &next), 0);
	smmu_invs_publish(&slot, next);
	urcu_memb_read_lock();
	assert_ptr_equal(smmu_invs_deref(&slot), next);
	assert_int_equal(smmu_invs_deref(&slot)->num_invs, 1);
	urcu_memb_read_unlock();
	urcu_memb_barrier();
	smmu_invs_free(slot);
	smmu_invs_free(a);
	urcu_memb_unregister_thread();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kunit_sequence),
		cmocka_unit_test(test_unref_writes_back_users),
		cmocka_unit_test(test_multi_smmu_order),
		cmocka_unit_test(test_bad_input_changes_nothing),
		cmocka_unit_test(test_merge_drops_trash),
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_purge_cases),
		cmocka_unit_test(test_build_s1),
		cmocka_unit_test(test_build_ats_and_nested),
		cmocka_unit_test(test_build_rejects_bad_desc),
		cmocka_unit_test(test_publish_rcu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
