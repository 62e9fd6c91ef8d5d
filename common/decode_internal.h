/*
 * Table-driven formatting shared by the structure and register decoders.
 *
 * Concepts: a field descriptor names one architectural field (a mask of
 * one dword, from <smmu/arch.h>) and says how to print its value.  Fields
 * are grouped in arrays that several structures share (the TLBI range
 * fields, the event record header), and a layout lists up to
 * DECODE_MAX_GROUPS groups.  One formatter prints any layout and reports
 * the bits of RES0 dwords that no field of the layout defines.  Output goes
 * through struct decode_out, which behaves like a chain of snprintf calls:
 * it never writes past the caller's buffer but keeps counting the length
 * the full text needs.
 */
#ifndef SMMU_DECODE_INTERNAL_H
#define SMMU_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <smmu/arch.h>

#define DECODE_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DECODE_MAX_GROUPS 8u
#define DECODE_MAX_WORDS  8u
#define DECODE_WHOLE_WORD SMMU_GENMASK(63, 0)

enum decode_kind {
	DECODE_HEX,  /* hex; a single-bit field prints 0 or 1 */
	DECODE_DEC,  /* a count or size: decimal */
	DECODE_ADDR, /* an address field: print the address it holds */
	DECODE_ENUM, /* an enumeration: print its architectural name */
};

struct decode_field {
	const char *name;
	uint64_t mask;
	const char *const *names; /* DECODE_ENUM: value -> name, NULL reserved */
	uint8_t nnames;
	uint8_t word;
	uint8_t kind;
};

#define DECODE_FIELD(w, n, m, k, t, nt) \
	{ .name = (n), .mask = (m), .names = (t), .nnames = (nt), .word = (w), .kind = (k) }
#define DF_HEX(w, n, m)  DECODE_FIELD(w, n, m, DECODE_HEX, NULL, 0)
#define DF_DEC(w, n, m)  DECODE_FIELD(w, n, m, DECODE_DEC, NULL, 0)
#define DF_ADDR(w, n, m) DECODE_FIELD(w, n, m, DECODE_ADDR, NULL, 0)
#define DF_ENUM(w, n, m, t) \
	DECODE_FIELD(w, n, m, DECODE_ENUM, t, DECODE_ARRAY_SIZE(t))

struct decode_group {
	const struct decode_field *fields;
	size_t nfields;
};
#define DG(a) { (a), DECODE_ARRAY_SIZE(a) }

struct decode_layout {
	struct decode_group groups[DECODE_MAX_GROUPS];
	/* Bit n set: undefined bits of dword n are RES0 and are reported. */
	uint8_t res0_words;
	/* Start a new indented line for each dword (STE, CD). */
	bool per_word_lines;
};

/* An opcode, event number or register offset with its name and layout. */
struct decode_entry {
	uint32_t id;
	const char *name;
	struct decode_layout layout;
};

struct decode_out {
	char *buf;
	size_t size;
	size_t len;
};

/* Shared enumeration names. */
extern const char *const decode_sh_names[4];
extern const char *const decode_cache_names[4];
extern const char *const decode_size_names[8];
extern const char *const decode_override_names[4];
extern const char *const decode_privcfg_names[4];
extern const char *const decode_instcfg_names[4];

/* Start output into buf; -EINVAL if words is NULL or buf is NULL with size. */
int decode_begin(struct decode_out *o, const uint64_t *words, char *buf,
		 size_t size);
void decode_put(struct decode_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Print every field of layout l from words[0..nwords-1]; id_mask marks the
 * bits of dword 0 already shown as the name (opcode, event number).
 */
void decode_put_layout(struct decode_out *o, const struct decode_layout *l,
		       const uint64_t *words, unsigned nwords, uint64_t id_mask);
/* The entry of table t (n entries) with this id, or NULL. */
const struct decode_entry *decode_find(const struct decode_entry *t, size_t n,
				       uint32_t id);
/* The name of that entry, or NULL. */
const char *decode_name(const struct decode_entry *t, size_t n, uint32_t id);
/* name, then the fields of l: a whole decoder in one call. */
int decode_structure(const char *name, const struct decode_layout *l,
		     const uint64_t *words, unsigned nwords, uint64_t id_mask,
		     char *buf, size_t size);
/* The length the whole text needs (excluding the NUL). */
int decode_end(const struct decode_out *o);

#endif /* SMMU_DECODE_INTERNAL_H */
