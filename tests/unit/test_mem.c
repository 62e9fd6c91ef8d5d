/*
 * Unit tests for simulated physical memory and the DMA allocator.
 *
 * Concepts: struct smmu_mem is checked as a user sees it (sparse 52-bit
 * space, zero-filled, bounds and alignment errors, thread safety, callback
 * forwarding) and struct smmu_dma as the driver uses it (alignment, zeroed
 * buffers, reuse, exhaustion, bad frees, host contiguity).  The threaded
 * tests are meant to run under ThreadSanitizer too.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <smmu/mem.h>

#define PAGE SMMU_MEM_PAGE_SIZE
#define DMA_BASE UINT64_C(0x40000000)
#define DMA_SIZE UINT64_C(0x1000000) /* 16 MiB */
#define NR_THREADS 4
#define WORDS_PER_THREAD 2048u

static int setup_mem(void **state)
{
	*state = smmu_mem_new();
	return *state ? 0 : -1;
}

static int teardown_mem(void **state)
{
	smmu_mem_free(*state);
	return 0;
}

static void assert_zero(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		assert_int_equal(buf[i], 0);
}

static void fill_pattern(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7u);
}

/* ---- simulated memory ---------------------------------------------- */

static void test_unwritten_reads_zero(void **state)
{
	struct smmu_mem *mem = *state;
	uint8_t buf[3 * PAGE];
	uint64_t v64 = ~UINT64_C(0);
	uint32_t v32 = ~UINT32_C(0);

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(smmu_mem_read(mem, 0x123456789000ull - 5, buf, sizeof(buf)), 0);
	assert_zero(buf, sizeof(buf));
	assert_int_equal(smmu_mem_read64(mem, 0x8000, &v64), 0);
	assert_int_equal(smmu_mem_read32(mem, 0x8004, &v32), 0);
	assert_int_equal(v64, 0);
	assert_int_equal(v32, 0);
}

static void test_sparse_high_addresses(void **state)
{
	static const uint64_t addrs[] = {
		0, 0x1000, 0x7ffffffff000ull, 0x8000000000000ull,
		0xabcdef0123000ull, SMMU_PA_LIMIT - PAGE,
	};
	struct smmu_mem *mem = *state;
	uint64_t v;

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
		assert_int_equal(smmu_mem_write64(mem, addrs[i] + 8, addrs[i] ^ 0x5a5a), 0);
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		assert_int_equal(smmu_mem_read64(mem, addrs[i] + 8, &v), 0);
		assert_int_equal(v, addrs[i] ^ 0x5a5a);
		/* Neighbours on the same page stay zero. */
		assert_int_equal(smmu_mem_read64(mem, addrs[i], &v), 0);
		assert_int_equal(v, 0);
		assert_int_equal(smmu_mem_read64(mem, addrs[i] + 16, &v), 0);
		assert_int_equal(v, 0);
	}
	/* The very last byte of the space is usable. */
	assert_int_equal(smmu_mem_write(mem, SMMU_PA_LIMIT - 1, "z", 1), 0);
	assert_int_equal(smmu_mem_read64(mem, SMMU_PA_LIMIT - 8, &v), 0);
	assert_int_equal(v >> 56, 'z');
}

static void test_page_crossing(void **state)
{
	struct smmu_mem *mem = *state;
	uint8_t in[2 * PAGE + 100], out[sizeof(in) + 16];
	const uint64_t pa = 0x50000 - 37; /* starts 37 bytes before a page */

	fill_pattern(in, sizeof(in), 3);
	assert_int_equal(smmu_mem_write(mem, pa, in, sizeof(in)), 0);
	memset(out, 0xcc, sizeof(out));
	assert_int_equal(smmu_mem_read(mem, pa - 8, out, sizeof(out)), 0);
	assert_zero(out, 8);
	assert_memory_equal(out + 8, in, sizeof(in));
	assert_zero(out + 8 + sizeof(in), 8);
}

static void test_read_spans_written_and_unwritten_pages(void **state)
{
	struct smmu_mem *mem = *state;
	uint8_t out[3 * PAGE];
	const uint64_t pa = 0x9000000;

	memset(out, 0xcc, sizeof(out));
	assert_int_equal(smmu_mem_write(mem, pa + PAGE + 10, "abc", 3), 0);
	assert_int_equal(smmu_mem_read(mem, pa, out, sizeof(out)), 0);
	assert_zero(out, PAGE + 10);
	assert_memory_equal(out + PAGE + 10, "abc", 3);
	assert_zero(out + PAGE + 13, sizeof(out) - PAGE - 13);
}

static void test_words_are_little_endian(void **state)
{
	struct smmu_mem *mem = *state;
	uint8_t bytes[8];
	uint64_t v64;
	uint32_t lo, hi;

	assert_int_equal(smmu_mem_write64(mem, 0x2000, 0x0807060504030201ull), 0);
	assert_int_equal(smmu_mem_read(mem, 0x2000, bytes, sizeof(bytes)), 0);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(bytes[i], i + 1);
	assert_int_equal(smmu_mem_read32(mem, 0x2000, &lo), 0);
	assert_int_equal(smmu_mem_read32(mem, 0x2004, &hi), 0);
	assert_int_equal(lo, 0x04030201u);
	assert_int_equal(hi, 0x08070605u);
	assert_int_equal(smmu_mem_write32(mem, 0x2004, 0xdeadbeefu), 0);
	assert_int_equal(smmu_mem_read64(mem, 0x2000, &v64), 0);
	assert_int_equal(v64, 0xdeadbeef04030201ull);
}

static void test_out_of_range_faults(void **state)
{
	struct smmu_mem *mem = *state;
	uint8_t buf[16] = { 1 };
	uint64_t v64;
	uint32_t v32;

	assert_int_equal(smmu_mem_read(mem, SMMU_PA_LIMIT, buf, 1), -EFAULT);
	assert_int_equal(smmu_mem_write(mem, SMMU_PA_LIMIT, buf, 1), -EFAULT);
	assert_int_equal(smmu_mem_read(mem, SMMU_PA_LIMIT, buf, 0), -EFAULT);
	/* Straddling the limit fails as a whole and writes nothing. */
	assert_int_equal(smmu_mem_write(mem, SMMU_PA_LIMIT - 8, buf, 16), -EFAULT);
	assert_int_equal(smmu_mem_read64(mem, SMMU_PA_LIMIT - 8, &v64), 0);
	assert_int_equal(v64, 0);
	/* Address arithmetic that wraps past 2^64. */
	assert_int_equal(smmu_mem_read(mem, UINT64_MAX, buf, 2), -EFAULT);
	assert_int_equal(smmu_mem_write(mem, UINT64_MAX - 7, buf, 16), -EFAULT);
	assert_int_equal(smmu_mem_read(mem, 0x1000, buf, SIZE_MAX), -EFAULT);
	assert_int_equal(smmu_mem_write(mem, 1, buf, SIZE_MAX), -EFAULT);
	/* Aligned words beyond the limit. */
	assert_int_equal(smmu_mem_read64(mem, SMMU_PA_LIMIT, &v64), -EFAULT);
	assert_int_equal(smmu_mem_write64(mem, UINT64_MAX - 7, 1), -EFAULT);
	assert_int_equal(smmu_mem_read32(mem, UINT64_MAX - 3, &v32), -EFAULT);
	assert_int_equal(smmu_mem_write32(mem, SMMU_PA_LIMIT, 1), -EFAULT);
}

static void test_misaligned_words_rejected(void **state)
{
	struct smmu_mem *mem = *state;
	uint64_t v64 = 0x1111;
	uint32_t v32 = 0x2222;

	assert_int_equal(smmu_mem_write64(mem, 0x3000, 0x0123456789abcdefull), 0);
	for (uint64_t off = 1; off < 8; off++) {
		assert_int_equal(smmu_mem_read64(mem, 0x3000 + off, &v64), -EINVAL);
		assert_int_equal(smmu_mem_write64(mem, 0x3000 + off, 0), -EINVAL);
	}
	for (uint64_t off = 1; off < 4; off++) {
		assert_int_equal(smmu_mem_read32(mem, 0x3000 + off, &v32), -EINVAL);
		assert_int_equal(smmu_mem_write32(mem, 0x3000 + off, 0), -EINVAL);
	}
	/* Nothing changed: neither the memory nor the output values. */
	assert_int_equal(v64, 0x1111);
	assert_int_equal(v32, 0x2222);
	assert_int_equal(smmu_mem_read64(mem, 0x3000, &v64), 0);
	assert_int_equal(v64, 0x0123456789abcdefull);
}

static void test_null_arguments(void **state)
{
	struct smmu_mem *mem = *state;
	uint8_t buf[4] = { 0 };
	uint64_t v64;
	uint32_t v32;

	assert_int_equal(smmu_mem_read(NULL, 0, buf, 1), -EINVAL);
	assert_int_equal(smmu_mem_write(NULL, 0, buf, 1), -EINVAL);
	assert_int_equal(smmu_mem_read(mem, 0, NULL, 1), -EINVAL);
	assert_int_equal(smmu_mem_write(mem, 0, NULL, 1), -EINVAL);
	assert_int_equal(smmu_mem_read(mem, 0, NULL, 0), 0);
	assert_int_equal(smmu_mem_write(mem, 0, NULL, 0), 0);
	assert_int_equal(smmu_mem_read64(NULL, 0, &v64), -EINVAL);
	assert_int_equal(smmu_mem_read64(mem, 0, NULL), -EINVAL);
	assert_int_equal(smmu_mem_write64(NULL, 0, 0), -EINVAL);
	assert_int_equal(smmu_mem_read32(NULL, 0, &v32), -EINVAL);
	assert_int_equal(smmu_mem_read32(mem, 0, NULL), -EINVAL);
	assert_int_equal(smmu_mem_write32(NULL, 0, 0), -EINVAL);
	assert_null(smmu_mem_host_ptr(NULL, 0, 1));
	assert_null(smmu_mem_host_ptr(mem, 0, 0));
	smmu_mem_free(NULL);
}

/* ---- concurrency ---------------------------------------------------- */

struct writer_arg {
	struct smmu_mem *mem;
	pthread_barrier_t *start;
	unsigned id;
};

/* Word i of the shared region belongs to thread i % NR_THREADS. */
static uint64_t shared_word_pa(unsigned i)
{
	return 0x7000000000ull + (uint64_t)i * 8;
}

/* Each thread also owns a private region, one page per 512 words. */
static uint64_t private_word_pa(unsigned id, unsigned i)
{
	return 0x9000000000ull + ((uint64_t)id << 24) + (uint64_t)i * 8;
}

static uint64_t word_value(unsigned id, unsigned i)
{
	return ((uint64_t)(id + 1) << 32) | i;
}

static void *writer(void *p)
{
	struct writer_arg *arg = p;

	pthread_barrier_wait(arg->start);
	for (unsigned i = arg->id; i < WORDS_PER_THREAD * NR_THREADS; i += NR_THREADS) {
		uint64_t val = word_value(arg->id, i);

		/* Alternate the two write paths: both must be thread-safe. */
		if (i & NR_THREADS)
			smmu_mem_write64(arg->mem, shared_word_pa(i), val);
		else
			smmu_mem_write(arg->mem, shared_word_pa(i), &val, sizeof(val));
		smmu_mem_write64(arg->mem, private_word_pa(arg->id, i), val);
	}
	return NULL;
}

static void test_concurrent_writers(void **state)
{
	struct smmu_mem *mem = *state;
	struct writer_arg args[NR_THREADS];
	pthread_t threads[NR_THREADS];
	pthread_barrier_t start;
	uint64_t v;

	pthread_barrier_init(&start, NULL, NR_THREADS);
	for (unsigned t = 0; t < NR_THREADS; t++) {
		args[t] = (struct writer_arg){ .mem = mem, .start = &start, .id = t };
		assert_int_equal(pthread_create(&threads[t], NULL, writer, &args[t]), 0);
	}
	for (unsigned t = 0; t < NR_THREADS; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&start);

	for (unsigned i = 0; i < WORDS_PER_THREAD * NR_THREADS; i++) {
		unsigned id = i % NR_THREADS;

		assert_int_equal(smmu_mem_read64(mem, shared_word_pa(i), &v), 0);
		assert_int_equal(v, word_value(id, i));
		assert_int_equal(smmu_mem_read64(mem, private_word_pa(id, i), &v), 0);
		assert_int_equal(v, word_value(id, i));
	}
}

/* ---- callback-backed memory ----------------------------------------- */

struct fake_guest {
	uint8_t bytes[4 * PAGE];
	unsigned reads, writes;
	uint64_t last_pa;
	size_t last_len;
	int fail_with; /* returned by every callback when nonzero */
};

static int guest_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	struct fake_guest *g = opaque;

	g->reads++;
	g->last_pa = pa;
	g->last_len = len;
	if (g->fail_with)
		return g->fail_with;
	memcpy(buf, g->bytes + (pa % sizeof(g->bytes)), len);
	return 0;
}

static int guest_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
	struct fake_guest *g = opaque;

	g->writes++;
	g->last_pa = pa;
	g->last_len = len;
	if (g->fail_with)
		return g->fail_with;
	memcpy(g->bytes + (pa % sizeof(g->bytes)), buf, len);
	return 0;
}

static void assert_forwarded(const struct fake_guest *g, unsigned reads,
			     unsigned writes, uint64_t pa, size_t len)
{
	assert_int_equal(g->reads, reads);
	assert_int_equal(g->writes, writes);
	assert_int_equal(g->last_pa, pa);
	assert_int_equal(g->last_len, len);
}

static void test_ops_forward_every_access(void **state)
{
	struct smmu_mem_ops ops = { .read = guest_read, .write = guest_write };
	struct fake_guest *g = calloc(1, sizeof(*g));
	struct smmu_mem *mem;
	uint8_t buf[100];
	uint64_t v64;
	uint32_t v32;

	(void)state;
	assert_non_null(g);
	mem = smmu_mem_new_ops(&ops, g);
	assert_non_null(mem);
	/* The ops are copied: the caller's struct need not outlive mem. */
	memset(&ops, 0, sizeof(ops));

	fill_pattern(buf, sizeof(buf), 9);
	assert_int_equal(smmu_mem_write(mem, PAGE - 50, buf, sizeof(buf)), 0);
	assert_forwarded(g, 0, 1, PAGE - 50, sizeof(buf));
	assert_memory_equal(g->bytes + PAGE - 50, buf, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	assert_int_equal(smmu_mem_read(mem, PAGE - 50, buf, sizeof(buf)), 0);
	assert_forwarded(g, 1, 1, PAGE - 50, sizeof(buf));
	assert_memory_equal(g->bytes + PAGE - 50, buf, sizeof(buf));

	assert_int_equal(smmu_mem_write64(mem, 0x40, 0xa1a2a3a4a5a6a7a8ull), 0);
	assert_forwarded(g, 1, 2, 0x40, 8);
	assert_int_equal(smmu_mem_read64(mem, 0x40, &v64), 0);
	assert_forwarded(g, 2, 2, 0x40, 8);
	assert_int_equal(v64, 0xa1a2a3a4a5a6a7a8ull);
	assert_int_equal(smmu_mem_write32(mem, 0x48, 0xb1b2b3b4u), 0);
	assert_forwarded(g, 2, 3, 0x48, 4);
	assert_int_equal(smmu_mem_read32(mem, 0x48, &v32), 0);
	assert_forwarded(g, 3, 3, 0x48, 4);
	assert_int_equal(v32, 0xb1b2b3b4u);

	/* Errors from the owner of the memory reach the caller unchanged. */
	g->fail_with = -EIO;
	assert_int_equal(smmu_mem_read(mem, 0, buf, 1), -EIO);
	assert_int_equal(smmu_mem_write64(mem, 0, 1), -EIO);
	assert_forwarded(g, 4, 4, 0, 8);

	/* Bad accesses are refused before they reach the callbacks. */
	assert_int_equal(smmu_mem_read(mem, SMMU_PA_LIMIT, buf, 1), -EFAULT);
	assert_int_equal(smmu_mem_write32(mem, 2, 0), -EINVAL);
	assert_int_equal(smmu_mem_read64(mem, SMMU_PA_LIMIT - 8, NULL), -EINVAL);
	assert_forwarded(g, 4, 4, 0, 8);

	/* Not host memory: no host pointer and no DMA allocator over it. */
	assert_null(smmu_mem_host_ptr(mem, 0, 1));
	errno = 0;
	assert_null(smmu_dma_new(mem, 0, PAGE));
	assert_int_equal(errno, EINVAL);
	smmu_mem_free(mem);
	free(g);
}

static void test_ops_rejects_missing_callbacks(void **state)
{
	const struct smmu_mem_ops no_write = { .read = guest_read };
	const struct smmu_mem_ops no_read = { .write = guest_write };

	(void)state;
	errno = 0;
	assert_null(smmu_mem_new_ops(NULL, NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(smmu_mem_new_ops(&no_write, NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(smmu_mem_new_ops(&no_read, NULL));
	assert_int_equal(errno, EINVAL);
}

/* ---- DMA allocator -------------------------------------------------- */

struct dma_fixture {
	struct smmu_mem *mem;
	struct smmu_dma *dma;
};

static int setup_dma(void **state)
{
	struct dma_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->mem = smmu_mem_new();
	f->dma = f->mem ? smmu_dma_new(f->mem, DMA_BASE, DMA_SIZE) : NULL;
	*state = f;
	return f->dma ? 0 : -1;
}

static int teardown_dma(void **state)
{
	struct dma_fixture *f = *state;

	smmu_dma_free_all(f->dma);
	smmu_mem_free(f->mem);
	free(f);
	return 0;
}

/* A page-aligned buffer that must fit; its CPU view as bytes. */
static uint8_t *dma_alloc_bytes(struct smmu_dma *dma, size_t size, uint64_t *bus)
{
	void *cpu = NULL;

	assert_int_equal(smmu_dma_alloc(dma, size, 0, &cpu, bus), 0);
	return cpu;
}

static void test_dma_visible_through_mem(void **state)
{
	struct dma_fixture *f = *state;
	uint64_t bus, val;
	uint8_t *cpu = dma_alloc_bytes(f->dma, 2 * PAGE, &bus);

	/* CPU writes are seen by the device side, and the other way round. */
	((uint64_t *)(void *)cpu)[3] = 0x1122334455667788ull;
	assert_int_equal(smmu_mem_read64(f->mem, bus + 24, &val), 0);
	assert_int_equal(val, 0x1122334455667788ull);
	assert_int_equal(smmu_mem_write(f->mem, bus + PAGE - 2, "wxyz", 4), 0);
	assert_memory_equal(cpu + PAGE - 2, "wxyz", 4);
	/* After the free the bus range is plain (zero) memory again. */
	assert_int_equal(smmu_dma_free(f->dma, bus), 0);
	assert_int_equal(smmu_mem_read64(f->mem, bus + 24, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(smmu_mem_write64(f->mem, bus + 24, 7), 0);
	assert_null(smmu_mem_host_ptr(f->mem, bus + 24, 8));
}

static void test_dma_alignment(void **state)
{
	static const size_t aligns[] = {
		0, 1, 64, 4096, 8192, 0x10000, 0x40000, 0x100000,
	};
	struct dma_fixture *f = *state;

	for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		/* An odd-sized neighbour first, to push the cursor off alignment. */
		uint64_t bus, pad_bus;
		void *cpu, *pad;

		assert_int_equal(smmu_dma_alloc(f->dma, 100, 0, &pad, &pad_bus), 0);
		assert_int_equal(smmu_dma_alloc(f->dma, 3000, aligns[i], &cpu, &bus), 0);
		assert_int_equal(bus % (aligns[i] > PAGE ? aligns[i] : PAGE), 0);
		assert_true(bus >= DMA_BASE && bus + 3000 <= DMA_BASE + DMA_SIZE);
		assert_int_equal((uintptr_t)cpu % PAGE, 0);
		assert_ptr_equal(smmu_mem_host_ptr(f->mem, bus, 3000), cpu);
	}
}

static void test_dma_buffers_zeroed(void **state)
{
	struct dma_fixture *f = *state;
	uint64_t bus, again;
	uint8_t *cpu;

	/* Stray device writes into the window before allocation are dropped. */
	assert_int_equal(smmu_mem_write64(f->mem, DMA_BASE + 8, ~UINT64_C(0)), 0);
	cpu = dma_alloc_bytes(f->dma, 4 * PAGE, &bus);
	assert_int_equal(bus, DMA_BASE);
	assert_zero(cpu, 4 * PAGE);
	memset(cpu, 0xee, 4 * PAGE);
	assert_int_equal(smmu_dma_free(f->dma, bus), 0);
	/* Same range again (a fresh allocator would start at the base). */
	cpu = dma_alloc_bytes(f->dma, DMA_SIZE, &again);
	assert_int_equal(again, DMA_BASE);
	assert_zero(cpu, 4 * PAGE);
}

static void test_dma_reuse_after_free(void **state)
{
	struct smmu_mem *mem = *state;
	struct smmu_dma *dma = smmu_dma_new(mem, 0x100000, 4 * PAGE);
	uint64_t bus[4], hole;
	void *cpu[4], *c;

	assert_non_null(dma);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 4; i++)
			assert_int_equal(smmu_dma_alloc(dma, PAGE, 0, &cpu[i], &bus[i]), 0);
		assert_int_equal(smmu_dma_alloc(dma, PAGE, 0, &c, &hole), -ENOMEM);
		/* A hole in the middle is found again. */
		assert_int_equal(smmu_dma_free(dma, bus[2]), 0);
		assert_int_equal(smmu_dma_alloc(dma, PAGE, 0, &c, &hole), 0);
		assert_int_equal(hole, bus[2]);
		bus[2] = hole;
		for (int i = 0; i < 4; i++)
			assert_int_equal(smmu_dma_free(dma, bus[i]), 0);
	}
	/* Everything freed: the whole window fits in one buffer. */
	assert_int_equal(smmu_dma_alloc(dma, 4 * PAGE, 0, &c, &hole), 0);
	assert_int_equal(hole, 0x100000);
	smmu_dma_free_all(dma);
}

static void test_dma_exhaustion_recovers(void **state)
{
	struct smmu_mem *mem = *state;
	struct smmu_dma *dma = smmu_dma_new(mem, 0x200000, 8 * PAGE);
	uint64_t bus[8], b;
	void *c;

	assert_non_null(dma);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(smmu_dma_alloc(dma, 1, 0, &c, &bus[i]), 0);
	assert_int_equal(smmu_dma_alloc(dma, 1, 0, &c, &b), -ENOMEM);
	/* Requests that can never fit fail cleanly, with no wrap-around. */
	assert_int_equal(smmu_dma_alloc(dma, 9 * PAGE, 0, &c, &b), -ENOMEM);
	assert_int_equal(smmu_dma_alloc(dma, SIZE_MAX, 0, &c, &b), -ENOMEM);
	assert_int_equal(smmu_dma_alloc(dma, SIZE_MAX - PAGE + 2, 0, &c, &b), -ENOMEM);
	assert_int_equal(smmu_dma_free(dma, bus[5]), 0);
	/* The free page is not aligned to 16 pages: still no room. */
	assert_int_equal(smmu_dma_alloc(dma, PAGE, 16 * PAGE, &c, &b), -ENOMEM);
	assert_int_equal(smmu_dma_alloc(dma, PAGE, 0, &c, &b), 0);
	assert_int_equal(b, bus[5]);
	smmu_dma_free_all(dma);
}

static void test_dma_bad_free(void **state)
{
	struct dma_fixture *f = *state;
	uint64_t bus, other;
	void *cpu;

	assert_int_equal(smmu_dma_alloc(f->dma, 2 * PAGE, 0, &cpu, &bus), 0);
	assert_int_equal(smmu_dma_alloc(f->dma, PAGE, 0, &cpu, &other), 0);
	assert_int_equal(smmu_dma_free(f->dma, bus + PAGE), -EINVAL);
	assert_int_equal(smmu_dma_free(f->dma, bus + 8), -EINVAL);
	assert_int_equal(smmu_dma_free(f->dma, 0), -EINVAL);
	assert_int_equal(smmu_dma_free(f->dma, UINT64_MAX), -EINVAL);
	assert_int_equal(smmu_dma_free(NULL, bus), -EINVAL);
	assert_int_equal(smmu_dma_free(f->dma, bus), 0);
	assert_int_equal(smmu_dma_free(f->dma, bus), -EINVAL);
	/* The failed frees left the other buffer alone. */
	assert_ptr_equal(smmu_mem_host_ptr(f->mem, other, PAGE), cpu);
	assert_int_equal(smmu_dma_free(f->dma, other), 0);
}

static void test_dma_bad_arguments(void **state)
{
	struct dma_fixture *f = *state;
	uint64_t bus = 0x77;
	void *cpu = &bus;

	assert_int_equal(smmu_dma_alloc(f->dma, 0, 0, &cpu, &bus), -EINVAL);
	assert_int_equal(smmu_dma_alloc(f->dma, PAGE, 3, &cpu, &bus), -EINVAL);
	assert_int_equal(smmu_dma_alloc(f->dma, PAGE, PAGE + 1, &cpu, &bus), -EINVAL);
	assert_int_equal(smmu_dma_alloc(f->dma, PAGE, 0, NULL, &bus), -EINVAL);
	assert_int_equal(smmu_dma_alloc(f->dma, PAGE, 0, &cpu, NULL), -EINVAL);
	assert_int_equal(smmu_dma_alloc(NULL, PAGE, 0, &cpu, &bus), -EINVAL);
	assert_int_equal(bus, 0x77);
	assert_ptr_equal(cpu, &bus);

	errno = 0;
	assert_null(smmu_dma_new(NULL, 0, PAGE));
	assert_int_equal(errno, EINVAL);
	assert_null(smmu_dma_new(f->mem, 0, 0));
	assert_null(smmu_dma_new(f->mem, 100, PAGE));
	assert_null(smmu_dma_new(f->mem, 0, PAGE + 1));
	assert_null(smmu_dma_new(f->mem, SMMU_PA_LIMIT, PAGE));
	assert_null(smmu_dma_new(f->mem, SMMU_PA_LIMIT - PAGE, 2 * PAGE));
	assert_null(smmu_dma_new(f->mem, UINT64_MAX - PAGE + 1, 2 * PAGE));
	smmu_dma_free_all(NULL);
}

static void test_dma_host_ptr_contiguity(void **state)
{
	struct dma_fixture *f = *state;
	uint64_t bus, next;
	uint8_t *cpu = dma_alloc_bytes(f->dma, 3 * PAGE, &bus);
	void *other;

	assert_int_equal(smmu_dma_alloc(f->dma, PAGE, 0, &other, &next), 0);
	assert_ptr_equal(smmu_mem_host_ptr(f->mem, bus, 3 * PAGE), cpu);
	assert_ptr_equal(smmu_mem_host_ptr(f->mem, bus + 100, 3 * PAGE - 100), cpu + 100);
	assert_ptr_equal(smmu_mem_host_ptr(f->mem, bus + 2 * PAGE + 5, 1), cpu + 2 * PAGE + 5);
	/* Past the end of the buffer, into memory that is not DMA-mapped. */
	assert_null(smmu_mem_host_ptr(f->mem, bus + 3 * PAGE - 8, PAGE));
	assert_null(smmu_mem_host_ptr(f->mem, next + PAGE, 1));
	/* Lazily allocated pages are never handed out. */
	assert_int_equal(smmu_mem_write64(f->mem, 0x10000, 1), 0);
	assert_null(smmu_mem_host_ptr(f->mem, 0x10000, 8));
	assert_int_equal(smmu_dma_free(f->dma, bus), 0);
	assert_null(smmu_mem_host_ptr(f->mem, bus, 1));
}

static void test_dma_window_at_base_zero(void **state)
{
	struct smmu_mem *mem = *state;
	struct smmu_dma *dma = smmu_dma_new(mem, 0, 4 * PAGE);
	uint64_t bus = ~UINT64_C(0), val;
	void *cpu;

	assert_non_null(dma);
	assert_int_equal(smmu_dma_alloc(dma, PAGE, PAGE, &cpu, &bus), 0);
	assert_int_equal(bus, 0);
	*(volatile uint64_t *)cpu = 42;
	assert_int_equal(smmu_mem_read64(mem, 0, &val), 0);
	assert_int_equal(val, 42);
	assert_int_equal(smmu_dma_free(dma, 0), 0);
	assert_int_equal(smmu_dma_free(dma, 0), -EINVAL);
	smmu_dma_free_all(dma);
}

struct churn_arg {
	struct smmu_dma *dma;
	struct smmu_mem *mem;
	unsigned id;
	bool ok;
};

/* Alloc, stamp, check and free in a loop: buffers must never overlap. */
static void *dma_churn(void *p)
{
	struct churn_arg *arg = p;

	arg->ok = true;
	for (unsigned i = 0; i < 200 && arg->ok; i++) {
		size_t size = PAGE * (1 + (i + arg->id) % 3);
		uint64_t bus, v;
		void *cpu;

		if (smmu_dma_alloc(arg->dma, size, 0, &cpu, &bus)) {
			arg->ok = false;
			break;
		}
		memset(cpu, (int)arg->id + 1, size);
		for (uint64_t off = 0; off < size && arg->ok; off += PAGE / 2)
			arg->ok = smmu_mem_read64(arg->mem, bus + off, &v) == 0 &&
				  v == 0x0101010101010101ull * (arg->id + 1);
		arg->ok = smmu_dma_free(arg->dma, bus) == 0 && arg->ok;
	}
	return NULL;
}

static void test_dma_concurrent_alloc_free(void **state)
{
	struct dma_fixture *f = *state;
	struct churn_arg args[NR_THREADS];
	pthread_t threads[NR_THREADS];

	for (unsigned t = 0; t < NR_THREADS; t++) {
		args[t] = (struct churn_arg){ .dma = f->dma, .mem = f->mem, .id = t };
		assert_int_equal(pthread_create(&threads[t], NULL, dma_churn, &args[t]), 0);
	}
	for (unsigned t = 0; t < NR_THREADS; t++) {
		pthread_join(threads[t], NULL);
		assert_true(args[t].ok);
	}
}

struct stray_arg {
	struct smmu_mem *mem;
	atomic_bool stop;
};

/* A device writing all over the DMA window, allocated or not. */
static void *stray_writer(void *p)
{
	struct stray_arg *arg = p;

	for (uint64_t i = 0; !atomic_load(&arg->stop); i++)
		smmu_mem_write64(arg->mem, DMA_BASE + (i * 8 * 37) % (64 * PAGE), i);
	return NULL;
}

static void test_dma_alloc_over_concurrent_writes(void **state)
{
	struct dma_fixture *f = *state;
	struct stray_arg arg = { .mem = f->mem };
	uint64_t bus[16];
	void *cpu[16];
	pthread_t thread;

	assert_int_equal(pthread_create(&thread, NULL, stray_writer, &arg), 0);
	/* Mapping replaces (and retires) pages the writer may be using. */
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(smmu_dma_alloc(f->dma, 4 * PAGE, 0, &cpu[i], &bus[i]), 0);
	atomic_store(&arg.stop, true);
	pthread_join(thread, NULL);
	for (unsigned i = 0; i < 16; i++)
		assert_ptr_equal(smmu_mem_host_ptr(f->mem, bus[i], 4 * PAGE), cpu[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unwritten_reads_zero, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_sparse_high_addresses, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_page_crossing, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_read_spans_written_and_unwritten_pages,
						setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_words_are_little_endian, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_out_of_range_faults, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_misaligned_words_rejected, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_null_arguments, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup_mem, teardown_mem),
		cmocka_unit_test(test_ops_forward_every_access),
		cmocka_unit_test(test_ops_rejects_missing_callbacks),
		cmocka_unit_test_setup_teardown(test_dma_visible_through_mem, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_alignment, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_buffers_zeroed, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_reuse_after_free, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_dma_exhaustion_recovers, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_dma_bad_free, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_bad_arguments, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_host_ptr_contiguity, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_window_at_base_zero, setup_mem, teardown_mem),
		cmocka_unit_test_setup_teardown(test_dma_concurrent_alloc_free, setup_dma, teardown_dma),
		cmocka_unit_test_setup_teardown(test_dma_alloc_over_concurrent_writes,
						setup_dma, teardown_dma),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
