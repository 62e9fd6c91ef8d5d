/*
 * smmu-decode: decode SMMUv3 commands, STEs, CDs, event and PRI records
 * and register values from hex words, for someone reading a log.
 *
 * Concepts: the words come from the command line or, when none are given,
 * from standard input.  They are hex numbers (with or without 0x)
 * separated by white space or commas, which covers what the Linux driver
 * and the model's trace print.  Every complete structure is decoded on its
 * own line(s) with the libsmmu decoders; a count of words that is not a
 * multiple of the structure size, or anything that is not a 64-bit hex
 * number, is an error reported with the offending text and exit status 1.
 * A wrong command line prints the usage and exits with status 2.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smmu/decode.h>

enum { EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

typedef int (*decode_fn)(const uint64_t *words, char *buf, size_t size);

struct kind {
	const char *name;
	unsigned dwords;
	decode_fn decode;
};

static const struct kind kinds[] = {
	{ "cmd", SMMU_CMD_DWORDS, smmu_decode_cmd },
	{ "ste", SMMU_STE_DWORDS, smmu_decode_ste },
	{ "cd", SMMU_CD_DWORDS, smmu_decode_cd },
	{ "evt", SMMU_EVT_DWORDS, smmu_decode_evt },
	{ "pri", SMMU_PRI_DWORDS, smmu_decode_pri },
	{ "reg", 1, NULL }, /* needs the offset: see decode_words() */
};

struct words {
	uint64_t *v;
	size_t n, cap;
};

static void usage(FILE *f)
{
	fputs("usage: smmu-decode {cmd|ste|cd|evt|pri} [HEX...]\n"
	      "       smmu-decode reg OFFSET|NAME [HEX...]\n"
	      "Decode SMMUv3 structures from 64-bit hex words (0x optional),\n"
	      "separated by spaces or commas; read from stdin when none are\n"
	      "given. cmd takes 2 words each, ste and cd 8, evt 4, pri 2,\n"
	      "reg 1 (a register value at OFFSET, e.g. 0x20, or NAME, e.g. CR0).\n",
	      f);
}

static const struct kind *find_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

/* One hex word of up to 64 bits, with an optional 0x; 0 or -EINVAL. */
static int parse_hex(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	for (; i < len; i++, digits++) {
		int c = (unsigned char)s[i];

		if (!isxdigit(c) || digits == 16)
			return -EINVAL;
		v = (v << 4) | (uint64_t)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	return 0;
}

static int push_word(struct words *w, uint64_t v)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		uint64_t *nv = realloc(w->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		w->v = nv;
		w->cap = cap;
	}
	w->v[w->n++] = v;
	return 0;
}

/* Split text at white space and commas and append every hex word. */
static int parse_text(struct words *w, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t len;
		uint64_t v;
		int err;

		p += strspn(p, " \t\r\n,");
		len = strcspn(p, " \t\r\n,");
		if (!len)
			break;
		if (parse_hex(p, len, &v)) {
			fprintf(stderr, "smmu-decode: not a 64-bit hex word: '%.*s'\n",
				(int)len, p);
			return -EINVAL;
		}
		err = push_word(w, v);
		if (err)
			return err;
		p += len;
	}
	return 0;
}

/* All of stdin at once, so no word is split between two reads. */
static int parse_stdin(struct words *w)
{
	char *text = NULL;
	size_t cap = 0;
	int err;

	if (getdelim(&text, &cap, '\0', stdin) < 0 && ferror(stdin)) {
		free(text);
		return -EIO;
	}
	err = text ? parse_text(w, text) : 0;
	free(text);
	return err;
}

static int run_decoder(const struct kind *k, uint32_t offset,
		       const uint64_t *words, char *buf, size_t size)
{
	return k->decode ? k->decode(words, buf, size)
			 : smmu_decode_reg(offset, words[0], buf, size);
}

static int print_decoded(const struct kind *k, uint32_t offset,
			 const uint64_t *words)
{
	int need = run_decoder(k, offset, words, NULL, 0);
	char *buf;

	if (need < 0)
		return need;
	buf = malloc((size_t)need + 1);
	if (!buf)
		return -ENOMEM;
	run_decoder(k, offset, words, buf, (size_t)need + 1);
	puts(buf);
	free(buf);
	return 0;
}

static int decode_words(const struct kind *k, uint32_t offset,
			const struct words *w)
{
	if (!w->n || w->n % k->dwords) {
		fprintf(stderr, "smmu-decode: %zu word(s) given; %s takes %u each\n",
			w->n, k->name, k->dwords);
		return -EINVAL;
	}
	for (size_t i = 0; i < w->n; i += k->dwords) {
		int err = print_decoded(k, offset, &w->v[i]);

		if (err)
			return err;
	}
	return 0;
}

/* OFFSET as hex, or a register name such as CR0 or SMMU_GERROR. */
static int parse_offset(const char *s, uint32_t *offset)
{
	int named = smmu_decode_reg_offset(s);
	uint64_t v;

	if (named >= 0) {
		*offset = (uint32_t)named;
		return 0;
	}
	if (parse_hex(s, strlen(s), &v) || v > UINT32_MAX)
		return -EINVAL;
	*offset = (uint32_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	struct words w = { 0 };
	const struct kind *k;
	uint32_t offset = 0;
	int first = 2, err = 0;

	if (argc < 2 || !(k = find_kind(argv[1]))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!k->decode) {
		if (argc < 3 || parse_offset(argv[2], &offset)) {
			fprintf(stderr, "smmu-decode: reg needs an OFFSET or NAME\n");
			usage(stderr);
			return EXIT_USAGE;
		}
		first = 3;
	}
	for (int i = first; i < argc && !err; i++)
		err = parse_text(&w, argv[i]);
	if (!err && first == argc)
		err = parse_stdin(&w);
	if (!err)
		err = decode_words(k, offset, &w);
	free(w.v);
	return err ? EXIT_BAD_INPUT : EXIT_SUCCESS;
}
