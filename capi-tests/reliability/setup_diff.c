/*
 * io_uring_queue_init_params / io_uring_queue_init_mem with the same
 * arbitrary inputs through upstream liburing 2.15 and through ours, in one
 * process (dual.h): same return value, and on success the same params
 * written back by the kernel and the same ring geometry and flags.
 *
 * Inputs are byte strings decoded exactly as the `setup` fuzz target decodes
 * them (fuzz/fuzz_targets/setup.rs): the files of the given corpus
 * directories, then N pseudo-random ones from a fixed seed.
 *
 * usage: setup_diff UPSTREAM_SO OUR_SO N [CORPUS_DIR...]
 */
#include "dual.h"


#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <liburing.h>

struct input {
	const uint8_t *data;
	size_t len, pos;
};

static uint8_t in_u8(struct input *in)
{
	uint8_t b = in->pos < in->len ? in->data[in->pos] : 0;

	in->pos++;
	return b;
}

static uint16_t in_u16(struct input *in)
{
	uint16_t lo = in_u8(in);

	return lo | (uint16_t)in_u8(in) << 8;
}

static uint32_t in_u32(struct input *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)in_u8(in) << (8 * i);
	return v;
}

static uint64_t in_u64(struct input *in)
{
	uint64_t lo = in_u32(in);

	return lo | (uint64_t)in_u32(in) << 32;
}

static int in_bool(struct input *in)
{
	return in_u8(in) & 1;
}

static uint32_t in_below(struct input *in, uint32_t n)
{
	if (n <= 256)
		return in_u8(in) % n;
	if (n <= 65536)
		return in_u16(in) % n;
	return in_u32(in) % n;
}

static uint32_t in_entries(struct input *in)
{
	switch (in_u8(in) % 7) {
	case 0: return 0;
	case 1: return 1U << in_below(in, 17);
	case 2: return in_below(in, 300);
	case 3: return in_u32(in);
	case 4: return (1U << 15) + in_below(in, 3);
	case 5: return (1U << 16) + in_below(in, 3);
	default: return UINT_MAX - in_below(in, 3);
	}
}

static uint32_t in_flags(struct input *in)
{
	switch (in_u8(in) % 8) {
	case 0: case 1: case 2: case 3: return in_u32(in) & ((1U << 21) - 1);
	case 4: case 5: return 1U << in_below(in, 22);
	case 6: return in_u32(in);
	default: return 0;
	}
}

struct call {
	uint32_t entries;
	struct io_uring_params p;
	int with_mem;
	size_t mem_len;
};

static void decode(const uint8_t *data, size_t len, int helper_fd, struct call *c)
{
	struct input in = { data, len, 0 };

	memset(c, 0, sizeof(*c));
	c->entries = in_entries(&in);
	c->p.flags = in_flags(&in);
	c->p.cq_entries = in_entries(&in);
	c->p.sq_thread_cpu = in_bool(&in) ? in_below(&in, 4) : in_u32(&in);
	c->p.sq_thread_idle = in_below(&in, 50);
	c->p.features = in_bool(&in) ? 0 : in_u32(&in);
	switch (in_u8(&in) % 4) {
	case 0: c->p.wq_fd = helper_fd; break;
	case 1: c->p.wq_fd = UINT_MAX; break;
	case 2: c->p.wq_fd = in_below(&in, 8); break;
	default: c->p.wq_fd = in_u32(&in); break;
	}
	if (in_u8(&in) == 0xff) {
		c->p.resv[0] = in_u32(&in);
		c->p.resv[1] = in_u32(&in);
		c->p.resv[2] = in_u32(&in);
	}
	if (in_bool(&in)) {
		c->p.sq_off.user_addr = in_u64(&in);
		c->p.cq_off.user_addr = in_u64(&in);
	}
	c->with_mem = in_u8(&in) % 4 == 0;
	switch (in_u8(&in) % 4) {
	case 0: c->mem_len = 2 << 20; break;
	case 1: c->mem_len = 4096 * (1 + (size_t)in_below(&in, 64)); break;
	case 2: c->mem_len = in_below(&in, 1 << 16); break;
	default: c->mem_len = 0; break;
	}
}

struct result {
	int ret;
	struct io_uring_params p;
	unsigned rflags, features, int_flags, sq_entries, cq_entries, sq_mask, cq_mask, sqes_sz;
	int has_array, fd_is_set;
};

static void run(const struct lib *l, const struct call *c, struct result *r)
{
	__typeof__(&io_uring_queue_init_params) init = lib_sym(l, "io_uring_queue_init_params");
	__typeof__(&io_uring_queue_init_mem) init_mem = lib_sym(l, "io_uring_queue_init_mem");
	__typeof__(&io_uring_queue_exit) qexit = lib_sym(l, "io_uring_queue_exit");
	struct io_uring ring;
	size_t map_len = c->mem_len ? (c->mem_len + 4095) / 4096 * 4096 : 4096;
	void *mem = NULL;

	memset(&ring, 0, sizeof(ring));
	memset(r, 0, sizeof(*r));
	r->p = c->p;
	if (c->with_mem) {
		mem = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED) {
			perror("mmap");
			exit(2);
		}
		r->ret = init_mem(c->entries, &ring, &r->p, c->mem_len ? mem : NULL, c->mem_len);
	} else {
		r->ret = init(c->entries, &ring, &r->p);
	}
	if (r->ret >= 0) {
		r->rflags = ring.flags;
		r->features = ring.features;
		r->int_flags = ring.int_flags;
		r->sq_entries = ring.sq.ring_entries;
		r->cq_entries = ring.cq.ring_entries;
		r->sq_mask = ring.sq.ring_mask;
		r->cq_mask = ring.cq.ring_mask;
		r->sqes_sz = ring.sq.sqes_sz;
		r->has_array = ring.sq.array != NULL;
		r->fd_is_set = ring.ring_fd >= 0;
		qexit(&ring);
	}
	/* user_addr holds addresses of this run's memory: not comparable. */
	r->p.sq_off.user_addr = r->p.cq_off.user_addr = 0;
	if (mem)
		munmap(mem, map_len);
}

static int compare(const struct call *c, const struct result *u, const struct result *o, const char *what)
{
	char bu[32], bo[32];
	int bad = 0;

	if (u->ret != o->ret) {
		printf("DIFF %s: entries %u flags %#x cq %u mem %d/%zu: upstream %s, ours %s\n", what, c->entries,
		       c->p.flags, c->p.cq_entries, c->with_mem, c->mem_len, fmt_ret(u->ret, bu, sizeof(bu)),
		       fmt_ret(o->ret, bo, sizeof(bo)));
		return 1;
	}
	if (u->ret < 0)
		return 0;
#define FIELD(f)                                                                                   \
	if (u->f != o->f) {                                                                        \
		printf("DIFF %s: entries %u flags %#x: " #f " upstream %#llx ours %#llx\n", what,  \
		       c->entries, c->p.flags, (unsigned long long)u->f, (unsigned long long)o->f); \
		bad = 1;                                                                           \
	}
	FIELD(rflags) FIELD(features) FIELD(int_flags) FIELD(sq_entries) FIELD(cq_entries) FIELD(sq_mask)
	FIELD(cq_mask) FIELD(sqes_sz) FIELD(has_array) FIELD(fd_is_set)
	FIELD(p.sq_entries) FIELD(p.cq_entries) FIELD(p.flags) FIELD(p.features)
	FIELD(p.sq_off.head) FIELD(p.sq_off.tail) FIELD(p.sq_off.array) FIELD(p.sq_off.flags)
	FIELD(p.cq_off.head) FIELD(p.cq_off.cqes) FIELD(p.cq_off.flags)
#undef FIELD
	return bad;
}

static unsigned long long seed = 0x9e3779b97f4a7c15ULL;

static uint8_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint8_t)(seed >> 24);
}

static int total, diffs, ok_calls;

static void one_call(const struct lib *up, const struct lib *ours, const struct call *cp, const char *what)
{
	struct call c = *cp;
	struct result ru, ro;

	run(up, &c, &ru);
	run(ours, &c, &ro);
	total++;
	if (ro.ret >= 0)
		ok_calls++;
	diffs += compare(&c, &ru, &ro, what);
}

static void one(const struct lib *up, const struct lib *ours, const uint8_t *data, size_t len, int helper,
		const char *what)
{
	struct call c;

	decode(data, len, helper, &c);
	one_call(up, ours, &c, what);
}

/*
 * Every setup flag alone and every pair of them, for a few entry counts,
 * through io_uring_queue_init_params, and with NO_MMAP-style memory through
 * io_uring_queue_init_mem.
 */
static void sweep(const struct lib *up, const struct lib *ours, int helper)
{
	static const unsigned counts[] = { 1, 8, 4096, 32768, 32769 };

	for (int a = -1; a < 22; a++) {
		for (int b = a; b < 22; b++) {
			for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
				struct call c;
				char what[64];

				memset(&c, 0, sizeof(c));
				c.entries = counts[k];
				c.p.flags = (a >= 0 ? 1U << a : 0) | (b >= 0 ? 1U << b : 0);
				c.p.cq_entries = 2 * counts[k];
				c.p.wq_fd = helper;
				c.p.sq_thread_idle = 1;
				snprintf(what, sizeof(what), "sweep flags %#x entries %u", c.p.flags, c.entries);
				one_call(up, ours, &c, what);
				if (k < 3) {
					c.with_mem = 1;
					c.mem_len = 2 << 20;
					one_call(up, ours, &c, what);
				}
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct lib up, ours;
	struct io_uring_params hp;
	int helper, n;

	if (argc < 4) {
		fprintf(stderr, "usage: %s UPSTREAM_SO OUR_SO N [CORPUS_DIR...]\n", argv[0]);
		return 2;
	}
	lib_open(&up, "upstream", argv[1]);
	lib_open(&ours, "ours", argv[2]);
	n = atoi(argv[3]);
	memset(&hp, 0, sizeof(hp));
	helper = ((__typeof__(&io_uring_setup))lib_sym(&ours, "io_uring_setup"))(4, &hp);

	sweep(&up, &ours, helper);
	for (int a = 4; a < argc; a++) {
		DIR *d = opendir(argv[a]);
		struct dirent *de;

		if (!d) {
			perror(argv[a]);
			return 2;
		}
		while ((de = readdir(d))) {
			char path[4096];
			uint8_t buf[4096];
			FILE *f;
			size_t len;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[a], de->d_name);
			f = fopen(path, "rb");
			if (!f)
				continue;
			len = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			one(&up, &ours, buf, len, helper, de->d_name);
		}
		closedir(d);
	}
	for (int i = 0; i < n; i++) {
		uint8_t buf[48];
		char what[32];

		for (size_t j = 0; j < sizeof(buf); j++)
			buf[j] = rnd();
		snprintf(what, sizeof(what), "random #%d", i);
		one(&up, &ours, buf, sizeof(buf), helper, what);
	}
	printf("setup_diff: %d inputs, %d set up a ring, %d differ from upstream\n", total, ok_calls, diffs);
	return diffs ? 1 : 0;
}
