/*
 * test_store.c: unit tests for src/store on SQLite. Every test gets a fresh database file in its
 * own temporary directory (removed afterwards).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/internal.h"
#include "store/store.h"
#include "store/users.h"
#include "store/teams.h"
#include "store/messages.h"

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- fixture ---- */

struct fx {
    char dir[64];
    char url[128];
    struct store *st;
};

static atomic_uint id_counter;

/* A unique, valid GUID per call. */
static void new_id(sb_id out)
{
    unsigned n = atomic_fetch_add(&id_counter, 1) + 1;

    snprintf(out, sizeof(sb_id), "00000000-0000-4000-8000-%012x", n);
}

/* "2026-01-01T00:00:00.000Z" plus n milliseconds (n < 60000). */
static void fixed_time(int n, sb_time out)
{
    char tmp[64];

    snprintf(tmp, sizeof(tmp), "2026-01-01T00:00:%02d.%03dZ", (n / 1000) % 60, n % 1000);
    memcpy(out, tmp, SB_TIME_LEN + 1);
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

static sb_err open_store(struct fx *f, struct store **out)
{
    struct store_opts opts = {f->url, 2};
    struct sb_diag diag;
    sb_err err;

    memset(&diag, 0, sizeof(diag));
    err = store_open(&opts, out, &diag);
    if (err)
        print_error("store_open(%s): %s: %s\n", f->url, diag.code, diag.message);
    return err;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    copy_str(f->dir, sizeof(f->dir), "/tmp/sb-test-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->dir);
    if (open_store(f, &f->st) != SB_OK) {
        remove_dir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    if (!f)
        return 0;
    store_close(f->st);
    remove_dir(f->dir);
    free(f);
    return 0;
}

/* Closes and reopens the store on the same file. */
static void fx_reopen(struct fx *f)
{
    store_close(f->st);
    f->st = NULL;
    assert_int_equal(open_store(f, &f->st), SB_OK);
    assert_non_null(f->st);
}

/* ---- builders ---- */

static void fill_user(struct sb_user *u, const char *upn, const char *name, int t)
{
    memset(u, 0, sizeof(*u));
    new_id(u->id);
    copy_str(u->upn, sizeof(u->upn), upn);
    copy_str(u->display_name, sizeof(u->display_name), name);
    fixed_time(t, u->created);
}

static void add_user(struct store *st, struct sb_user *u, const char *upn, const char *name, int t)
{
    fill_user(u, upn, name, t);
    assert_int_equal(store_user_insert(st, u, "hash"), SB_OK);
}

struct team_parts {
    struct sb_team team;
    struct sb_channel general;
    struct sb_member owner;
};

static void fill_team(struct team_parts *p, const char *name, const char *owner_user_id, int t)
{
    memset(p, 0, sizeof(*p));
    new_id(p->team.id);
    copy_str(p->team.display_name, sizeof(p->team.display_name), name);
    copy_str(p->team.description, sizeof(p->team.description), "a team");
    p->team.allow_connectors = true;
    fixed_time(t, p->team.created);

    new_id(p->general.id);
    memcpy(p->general.team_id, p->team.id, sizeof(sb_id));
    copy_str(p->general.display_name, sizeof(p->general.display_name), "General");
    copy_str(p->general.membership_type, sizeof(p->general.membership_type), "standard");
    p->general.is_general = true;
    fixed_time(t, p->general.created);

    new_id(p->owner.id);
    memcpy(p->owner.team_id, p->team.id, sizeof(sb_id));
    copy_str(p->owner.user_id, sizeof(p->owner.user_id), owner_user_id);
    p->owner.role = SB_ROLE_OWNER;
    fixed_time(t, p->owner.created);
}

static void add_team(struct store *st, struct team_parts *p, const char *name,
                     const char *owner_user_id, int t)
{
    fill_team(p, name, owner_user_id, t);
    assert_int_equal(store_team_create(st, &p->team, &p->general, &p->owner), SB_OK);
}

static void fill_channel(struct sb_channel *c, const char *team_id, const char *name, int t)
{
    memset(c, 0, sizeof(*c));
    new_id(c->id);
    copy_str(c->team_id, sizeof(c->team_id), team_id);
    copy_str(c->display_name, sizeof(c->display_name), name);
    copy_str(c->description, sizeof(c->description), "");
    copy_str(c->membership_type, sizeof(c->membership_type), "standard");
    fixed_time(t, c->created);
}

static void fill_member(struct sb_member *m, const char *team_id, const char *user_id, int role,
                        int t)
{
    memset(m, 0, sizeof(*m));
    new_id(m->id);
    copy_str(m->team_id, sizeof(m->team_id), team_id);
    copy_str(m->user_id, sizeof(m->user_id), user_id);
    m->role = role;
    fixed_time(t, m->created);
}

/* The message's body is a heap copy of body (freed with store_message_free). */
static void fill_message(struct sb_message *m, const struct sb_channel *c,
                         const struct sb_user *from, const char *body, int t)
{
    memset(m, 0, sizeof(*m));
    new_id(m->id);
    memcpy(m->team_id, c->team_id, sizeof(sb_id));
    memcpy(m->channel_id, c->id, sizeof(sb_id));
    fixed_time(t, m->created);
    copy_str(m->from_kind, sizeof(m->from_kind), "user");
    memcpy(m->from_id, from->id, sizeof(sb_id));
    copy_str(m->from_name, sizeof(m->from_name), from->display_name);
    copy_str(m->body_type, sizeof(m->body_type), "text");
    m->body = strdup(body);
    assert_non_null(m->body);
}

static void read_int64(struct db *d, struct db_stmt *s, void *elem)
{
    *(int64_t *)elem = db_col_int(d, s, 0);
}

static int64_t migration_count(struct store *st)
{
    int64_t n = -1;

    assert_int_equal(store_select_one_text(st, "SELECT COUNT(*) FROM schema_migrations", read_int64,
                                           &n, DB_NO_ARGS),
                     SB_OK);
    return n;
}

/* ---- open, close, migrations ---- */

static void test_open_ping(void **state)
{
    struct fx *f = *state;

    assert_int_equal(store_ping(f->st), SB_OK);
}

/* Writes go through the writer: a reader connection is refused one by the database itself. */
static void test_reader_cannot_write(void **state)
{
    struct fx *f = *state;
    struct db d;
    struct db_stmt *s = NULL;
    bool row = true;
    char *value = NULL;
    sb_err err;

    assert_int_equal(store_read_begin(f->st, &d), SB_OK);
    err = db_query_text(&d, "INSERT INTO meta (key, value) VALUES ('reader', 'wrote')", &s,
                        DB_NO_ARGS);
    if (!err)
        err = db_step(&d, s, &row);
    db_done(&d, s);
    store_read_end(f->st, &d);
    assert_int_not_equal(err, SB_OK);
    assert_int_equal(store_meta_get(f->st, "reader", &value), SB_ERR_NOT_FOUND);
    free(value);
}

static void test_reopen_keeps_data(void **state)
{
    struct fx *f = *state;
    struct sb_user u, got;
    struct team_parts tp;
    struct sb_message m;
    struct sb_message *page = NULL;
    size_t n = 0;
    char *v = NULL;

    add_user(f->st, &u, "Ada@Example.com", "Ada", 1);
    add_team(f->st, &tp, "Ops", u.id, 2);
    fill_message(&m, &tp.general, &u, "hello", 3);
    assert_int_equal(store_message_append(f->st, &m), SB_OK);
    assert_int_equal(store_meta_init(f->st, "tenant", "T1", &v), SB_OK);
    free(v);

    fx_reopen(f);

    assert_int_equal(store_user_get(f->st, u.id, &got), SB_OK);
    assert_string_equal(got.upn, "Ada@Example.com");
    assert_int_equal(store_meta_get(f->st, "tenant", &v), SB_OK);
    assert_string_equal(v, "T1");
    free(v);
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 10, &page, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(page[0].body, "hello");
    assert_int_equal(page[0].seq, m.seq);
    store_message_free_array(page, n);
    store_message_free(&m);

    /* New writes after reopen continue the sequence. */
    fill_message(&m, &tp.general, &u, "again", 4);
    assert_int_equal(store_message_append(f->st, &m), SB_OK);
    assert_true(m.seq > 1);
    store_message_free(&m);
}

static void test_migrations_not_reapplied(void **state)
{
    struct fx *f = *state;
    int64_t n1, n2, maxv = 0;

    n1 = migration_count(f->st);
    assert_int_equal(n1, (int64_t)store_migrations_sqlite_count);
    assert_true(n1 >= 1);
    assert_int_equal(store_select_one_text(f->st, "SELECT MAX(version) FROM schema_migrations",
                                           read_int64, &maxv, DB_NO_ARGS),
                     SB_OK);
    assert_int_equal(maxv, store_migrations_sqlite[store_migrations_sqlite_count - 1].version);

    fx_reopen(f);
    n2 = migration_count(f->st);
    assert_int_equal(n2, n1);
    fx_reopen(f);
    assert_int_equal(migration_count(f->st), n1);
}

static void test_open_bad_url(void **state)
{
    static const char *const urls[] = {"mysql:x", "", "sqlite", "SQLITE:/tmp/x.db",
                                       "postgres://localhost/x"};
    struct store *st;
    struct sb_diag diag;

    (void)state;
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        struct store_opts opts = {urls[i], 2};

        memset(&diag, 0, sizeof(diag));
        st = (struct store *)&diag; /* must be reset */
        assert_int_not_equal(store_open(&opts, &st, &diag), SB_OK);
        assert_null(st);
        assert_true(diag.code[0] != '\0');
        assert_true(diag.message[0] != '\0');
        assert_non_null(strstr(diag.message, urls[i]));
    }

    {
        struct store_opts opts = {"mysql:x", 1};

        memset(&diag, 0, sizeof(diag));
        assert_int_equal(store_open(&opts, &st, &diag), SB_ERR_INVALID);
        assert_string_equal(diag.code, "invalidDatabase");
        assert_non_null(strstr(diag.message, "'mysql:x'"));
        /* No diag: still fails cleanly. */
        assert_int_equal(store_open(&opts, &st, NULL), SB_ERR_INVALID);
        assert_null(st);
    }
}

static void test_open_unwritable_path(void **state)
{
    struct fx *f = *state;
    struct store *st = NULL;
    struct sb_diag diag;
    char url[256];
    struct store_opts opts = {url, 2};

    snprintf(url, sizeof(url), "sqlite:%s/no/such/dir/t.db", f->dir);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(store_open(&opts, &st, &diag), SB_ERR_IO);
    assert_null(st);
    assert_string_equal(diag.code, "storeUnavailable");
    assert_non_null(strstr(diag.message, "cannot open SQLite database"));
}

static void test_open_not_a_database(void **state)
{
    struct fx *f = *state;
    struct store *st = NULL;
    struct sb_diag diag;
    char path[200], url[256];
    struct store_opts opts = {url, 2};
    FILE *fp;

    snprintf(path, sizeof(path), "%s/garbage.db", f->dir);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database. ", fp);
    fclose(fp);

    memset(&diag, 0, sizeof(diag));
    assert_int_not_equal(store_open(&opts, &st, &diag), SB_OK);
    assert_null(st);
    assert_string_equal(diag.code, "storeUnavailable");
    assert_true(diag.message[0] != '\0');
}

/* ---- meta ---- */

static void test_meta_init_first_wins(void **state)
{
    struct fx *f = *state;
    char *v = (char *)"junk";

    assert_int_equal(store_meta_get(f->st, "tenant", &v), SB_ERR_NOT_FOUND);
    assert_null(v);

    assert_int_equal(store_meta_init(f->st, "tenant", "first", &v), SB_OK);
    assert_string_equal(v, "first");
    free(v);
    assert_int_equal(store_meta_init(f->st, "tenant", "second", &v), SB_OK);
    assert_string_equal(v, "first");
    free(v);
    assert_int_equal(store_meta_get(f->st, "tenant", &v), SB_OK);
    assert_string_equal(v, "first");
    free(v);

    /* Keys are independent. */
    assert_int_equal(store_meta_init(f->st, "other", "x", &v), SB_OK);
    assert_string_equal(v, "x");
    free(v);

    fx_reopen(f);
    assert_int_equal(store_meta_init(f->st, "tenant", "third", &v), SB_OK);
    assert_string_equal(v, "first");
    free(v);
}

struct meta_thread {
    struct store *st;
    char value[32];
    char *out;
    sb_err err;
};

static void *meta_thread_main(void *arg)
{
    struct meta_thread *mt = arg;

    mt->err = store_meta_init(mt->st, "key", mt->value, &mt->out);
    return NULL;
}

static void test_meta_init_concurrent_agree(void **state)
{
    struct fx *f = *state;
    struct meta_thread mt[6];
    pthread_t th[6];

    for (int i = 0; i < 6; i++) {
        memset(&mt[i], 0, sizeof(mt[i]));
        mt[i].st = f->st;
        snprintf(mt[i].value, sizeof(mt[i].value), "value-%d", i);
    }
    for (int i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&th[i], NULL, meta_thread_main, &mt[i]), 0);
    for (int i = 0; i < 6; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(mt[i].err, SB_OK);
        assert_non_null(mt[i].out);
        assert_string_equal(mt[i].out, mt[0].out);
    }
    assert_non_null(strstr(mt[0].out, "value-"));
    for (int i = 0; i < 6; i++)
        free(mt[i].out);
}

/* ---- users ---- */

static void test_user_insert_get(void **state)
{
    struct fx *f = *state;
    struct sb_user u, got;

    fill_user(&u, "Ada.Lovelace@Example.COM", "Ada Lovelace", 5);
    u.is_admin = true;
    assert_int_equal(store_user_insert(f->st, &u, "$argon2id$x"), SB_OK);

    memset(&got, 0x55, sizeof(got));
    assert_int_equal(store_user_get(f->st, u.id, &got), SB_OK);
    assert_string_equal(got.id, u.id);
    assert_string_equal(got.upn, "Ada.Lovelace@Example.COM"); /* case kept as given */
    assert_string_equal(got.display_name, "Ada Lovelace");
    assert_true(got.is_admin);
    assert_string_equal(got.created, "2026-01-01T00:00:00.005Z");

    assert_int_equal(store_user_get(f->st, "00000000-0000-4000-8000-ffffffffffff", &got),
                     SB_ERR_NOT_FOUND);
}

static void test_user_by_upn_case_insensitive(void **state)
{
    struct fx *f = *state;
    struct sb_user u, nohash, got;
    char *hash = (char *)"junk";

    fill_user(&u, "Ada@Example.com", "Ada", 1);
    assert_int_equal(store_user_insert(f->st, &u, "secret-hash"), SB_OK);
    fill_user(&nohash, "bob@example.com", "Bob", 2);
    assert_int_equal(store_user_insert(f->st, &nohash, NULL), SB_OK);

    assert_int_equal(store_user_by_upn(f->st, "ada@example.com", &got, &hash), SB_OK);
    assert_string_equal(got.id, u.id);
    assert_string_equal(got.upn, "Ada@Example.com");
    assert_non_null(hash);
    assert_string_equal(hash, "secret-hash");
    free(hash);

    assert_int_equal(store_user_by_upn(f->st, "ADA@EXAMPLE.COM", &got, NULL), SB_OK);
    assert_string_equal(got.id, u.id);
    assert_int_equal(store_user_by_upn(f->st, "Ada@Example.com", &got, NULL), SB_OK);
    assert_string_equal(got.id, u.id);

    /* No password set: the hash comes back NULL. */
    hash = (char *)"junk";
    assert_int_equal(store_user_by_upn(f->st, "BOB@example.com", &got, &hash), SB_OK);
    assert_string_equal(got.id, nohash.id);
    assert_null(hash);

    hash = (char *)"junk";
    assert_int_equal(store_user_by_upn(f->st, "nobody@example.com", &got, &hash), SB_ERR_NOT_FOUND);
    assert_null(hash);
    assert_int_equal(store_user_by_upn(f->st, "ada@example.co", &got, NULL), SB_ERR_NOT_FOUND);
}

static void test_user_duplicate_upn(void **state)
{
    struct fx *f = *state;
    struct sb_user u, dup, got, *list = NULL;
    size_t n = 0;

    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    fill_user(&dup, "ADA@Example.Com", "Impostor", 2);
    assert_int_equal(store_user_insert(f->st, &dup, NULL), SB_ERR_CONFLICT);
    assert_int_equal(store_user_get(f->st, dup.id, &got), SB_ERR_NOT_FOUND);

    /* Same id, different UPN: also a conflict. */
    fill_user(&dup, "other@example.com", "Other", 3);
    memcpy(dup.id, u.id, sizeof(sb_id));
    assert_int_equal(store_user_insert(f->st, &dup, NULL), SB_ERR_CONFLICT);

    assert_int_equal(store_user_list(f->st, &list, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].display_name, "Ada");
    free(list);
}

static void test_user_list(void **state)
{
    struct fx *f = *state;
    struct sb_user a, b, c, *list = (struct sb_user *)&a;
    size_t n = 99;

    assert_int_equal(store_user_list(f->st, &list, &n), SB_OK);
    assert_int_equal(n, 0);
    assert_null(list);

    /* Inserted out of creation order; listed oldest first. */
    add_user(f->st, &b, "b@example.com", "B", 20);
    add_user(f->st, &c, "c@example.com", "C", 30);
    add_user(f->st, &a, "a@example.com", "A", 10);
    c.is_admin = false;
    assert_int_equal(store_user_set_admin(f->st, c.id, true), SB_OK);

    assert_int_equal(store_user_list(f->st, &list, &n), SB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].id, a.id);
    assert_string_equal(list[1].id, b.id);
    assert_string_equal(list[2].id, c.id);
    assert_string_equal(list[0].upn, "a@example.com");
    assert_false(list[0].is_admin);
    assert_true(list[2].is_admin);
    assert_string_equal(list[1].created, "2026-01-01T00:00:00.020Z");
    free(list);

    /* Many users: the array grows past its first allocation. */
    for (int i = 0; i < 40; i++) {
        struct sb_user u;
        char upn[64];

        snprintf(upn, sizeof(upn), "user%02d@example.com", i);
        add_user(f->st, &u, upn, "U", 100 + i);
    }
    assert_int_equal(store_user_list(f->st, &list, &n), SB_OK);
    assert_int_equal(n, 43);
    assert_string_equal(list[42].upn, "user39@example.com");
    free(list);
}

static void test_user_set_password_admin(void **state)
{
    struct fx *f = *state;
    struct sb_user u, got;
    char *hash = NULL;
    const char *missing = "00000000-0000-4000-8000-fffffffffffe";

    add_user(f->st, &u, "ada@example.com", "Ada", 1);

    assert_int_equal(store_user_set_password(f->st, u.id, "new-hash"), SB_OK);
    assert_int_equal(store_user_by_upn(f->st, "ada@example.com", &got, &hash), SB_OK);
    assert_string_equal(hash, "new-hash");
    free(hash);
    /* NULL clears the password. */
    assert_int_equal(store_user_set_password(f->st, u.id, NULL), SB_OK);
    assert_int_equal(store_user_by_upn(f->st, "ada@example.com", &got, &hash), SB_OK);
    assert_null(hash);

    assert_int_equal(store_user_set_admin(f->st, u.id, true), SB_OK);
    assert_int_equal(store_user_get(f->st, u.id, &got), SB_OK);
    assert_true(got.is_admin);
    /* Setting the same value again still finds the row. */
    assert_int_equal(store_user_set_admin(f->st, u.id, true), SB_OK);
    assert_int_equal(store_user_set_admin(f->st, u.id, false), SB_OK);
    assert_int_equal(store_user_get(f->st, u.id, &got), SB_OK);
    assert_false(got.is_admin);

    assert_int_equal(store_user_set_password(f->st, missing, "h"), SB_ERR_NOT_FOUND);
    assert_int_equal(store_user_set_admin(f->st, missing, true), SB_ERR_NOT_FOUND);
}

/* ---- tokens ---- */

static void fill_token(struct sb_token *t, const char *user_id, int kind, unsigned char seed)
{
    memset(t, 0, sizeof(*t));
    new_id(t->id);
    copy_str(t->user_id, sizeof(t->user_id), user_id);
    t->kind = kind;
    for (size_t i = 0; i < sizeof(t->hash); i++)
        t->hash[i] = (unsigned char)(seed + i * 7);
    t->hash[5] = 0; /* a zero byte inside the blob */
    fixed_time(seed, t->created);
}

static void test_tokens(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct sb_token t, got, dup;
    unsigned char unknown[32];

    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    fill_token(&t, u.id, SB_TOKEN_SESSION, 1);
    t.expires_ms = INT64_C(1795599324123);
    copy_str(t.csrf, sizeof(t.csrf),
             "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assert_int_equal(store_token_insert(f->st, &t), SB_OK);

    memset(&got, 0, sizeof(got));
    assert_int_equal(store_token_by_hash(f->st, t.hash, &got), SB_OK);
    assert_string_equal(got.id, t.id);
    assert_string_equal(got.user_id, u.id);
    assert_int_equal(got.kind, SB_TOKEN_SESSION);
    assert_memory_equal(got.hash, t.hash, sizeof(t.hash));
    assert_int_equal(got.expires_ms, INT64_C(1795599324123));
    assert_string_equal(got.csrf, t.csrf);
    assert_string_equal(got.created, t.created);

    memcpy(unknown, t.hash, sizeof(unknown));
    unknown[31] ^= 1;
    assert_int_equal(store_token_by_hash(f->st, unknown, &got), SB_ERR_NOT_FOUND);

    /* Same hash again: conflict. Unknown user: conflict (foreign key). */
    fill_token(&dup, u.id, SB_TOKEN_API, 1);
    assert_int_equal(store_token_insert(f->st, &dup), SB_ERR_CONFLICT);
    fill_token(&dup, "00000000-0000-4000-8000-fffffffffffd", SB_TOKEN_API, 50);
    assert_int_equal(store_token_insert(f->st, &dup), SB_ERR_CONFLICT);
    assert_int_equal(store_token_by_hash(f->st, dup.hash, &got), SB_ERR_NOT_FOUND);

    assert_int_equal(store_token_delete(f->st, t.id), SB_OK);
    assert_int_equal(store_token_by_hash(f->st, t.hash, &got), SB_ERR_NOT_FOUND);
    assert_int_equal(store_token_delete(f->st, t.id), SB_ERR_NOT_FOUND);
}

static void test_token_delete_kind(void **state)
{
    struct fx *f = *state;
    struct sb_user a, b;
    struct sb_token a_boot1, a_boot2, a_api, b_boot, got;

    add_user(f->st, &a, "a@example.com", "A", 1);
    add_user(f->st, &b, "b@example.com", "B", 2);
    fill_token(&a_boot1, a.id, SB_TOKEN_BOOTSTRAP, 10);
    fill_token(&a_boot2, a.id, SB_TOKEN_BOOTSTRAP, 20);
    fill_token(&a_api, a.id, SB_TOKEN_API, 30);
    fill_token(&b_boot, b.id, SB_TOKEN_BOOTSTRAP, 40);
    assert_int_equal(store_token_insert(f->st, &a_boot1), SB_OK);
    assert_int_equal(store_token_insert(f->st, &a_boot2), SB_OK);
    assert_int_equal(store_token_insert(f->st, &a_api), SB_OK);
    assert_int_equal(store_token_insert(f->st, &b_boot), SB_OK);

    assert_int_equal(store_token_delete_kind(f->st, a.id, SB_TOKEN_BOOTSTRAP), SB_OK);
    assert_int_equal(store_token_by_hash(f->st, a_boot1.hash, &got), SB_ERR_NOT_FOUND);
    assert_int_equal(store_token_by_hash(f->st, a_boot2.hash, &got), SB_ERR_NOT_FOUND);
    assert_int_equal(store_token_by_hash(f->st, a_api.hash, &got), SB_OK);
    assert_string_equal(got.id, a_api.id);
    assert_int_equal(store_token_by_hash(f->st, b_boot.hash, &got), SB_OK);
    assert_string_equal(got.id, b_boot.id);

    /* Nothing left to delete is not an error. */
    assert_int_equal(store_token_delete_kind(f->st, a.id, SB_TOKEN_BOOTSTRAP), SB_OK);
    assert_int_equal(store_token_delete_kind(f->st, a.id, SB_TOKEN_SESSION), SB_OK);
}

/* ---- teams, channels, members ---- */

static void test_team_create(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp;
    struct sb_team got, *teams = NULL;
    struct sb_channel ch, *chans = NULL;
    struct sb_member mem, *mems = NULL;
    size_t n = 0;
    int role = -1;

    add_user(f->st, &u, "ada@example.com", "Ada Lovelace", 1);
    fill_team(&tp, "Operations", u.id, 2);
    copy_str(tp.team.description, sizeof(tp.team.description), "Runs things");
    tp.team.allow_connectors = false;
    assert_int_equal(store_team_create(f->st, &tp.team, &tp.general, &tp.owner), SB_OK);

    assert_int_equal(store_team_get(f->st, tp.team.id, &got), SB_OK);
    assert_string_equal(got.id, tp.team.id);
    assert_string_equal(got.display_name, "Operations");
    assert_string_equal(got.description, "Runs things");
    assert_false(got.allow_connectors);
    assert_string_equal(got.created, tp.team.created);

    assert_int_equal(store_channel_get(f->st, tp.general.id, &ch), SB_OK);
    assert_string_equal(ch.team_id, tp.team.id);
    assert_string_equal(ch.display_name, "General");
    assert_string_equal(ch.membership_type, "standard");
    assert_true(ch.is_general);

    assert_int_equal(store_channel_list(f->st, tp.team.id, &chans, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(chans[0].id, tp.general.id);
    free(chans);

    assert_int_equal(store_member_list(f->st, tp.team.id, &mems, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(mems[0].id, tp.owner.id);
    assert_string_equal(mems[0].user_id, u.id);
    assert_int_equal(mems[0].role, SB_ROLE_OWNER);
    assert_string_equal(mems[0].display_name, "Ada Lovelace");
    free(mems);

    assert_int_equal(store_member_get(f->st, tp.team.id, tp.owner.id, &mem), SB_OK);
    assert_string_equal(mem.display_name, "Ada Lovelace");
    assert_int_equal(store_member_role(f->st, tp.team.id, u.id, &role), SB_OK);
    assert_int_equal(role, SB_ROLE_OWNER);

    assert_int_equal(store_team_list_for_user(f->st, u.id, &teams, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(teams[0].id, tp.team.id);
    free(teams);

    assert_int_equal(store_team_set_allow_connectors(f->st, tp.team.id, true, NULL), SB_OK);
    assert_int_equal(store_team_get(f->st, tp.team.id, &got), SB_OK);
    assert_true(got.allow_connectors);
}

static void test_team_create_atomic(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp, ok;
    struct sb_team got, *teams = NULL;
    struct sb_channel ch;
    size_t n = 0;

    add_user(f->st, &u, "ada@example.com", "Ada", 1);

    /* The owner refers to an unknown user: the member insert fails after the team and channel
     * rows were written; none of them may remain. */
    fill_team(&tp, "Broken", "00000000-0000-4000-8000-fffffffffffc", 2);
    assert_int_equal(store_team_create(f->st, &tp.team, &tp.general, &tp.owner), SB_ERR_CONFLICT);
    assert_int_equal(store_team_get(f->st, tp.team.id, &got), SB_ERR_NOT_FOUND);
    assert_int_equal(store_channel_get(f->st, tp.general.id, &ch), SB_ERR_NOT_FOUND);

    /* The General channel's team id is wrong: fails at the channel, the team row goes too. */
    fill_team(&tp, "Broken2", u.id, 3);
    copy_str(tp.general.team_id, sizeof(tp.general.team_id),
             "00000000-0000-4000-8000-fffffffffffb");
    assert_int_equal(store_team_create(f->st, &tp.team, &tp.general, &tp.owner), SB_ERR_CONFLICT);
    assert_int_equal(store_team_get(f->st, tp.team.id, &got), SB_ERR_NOT_FOUND);

    assert_int_equal(store_team_list_for_user(f->st, u.id, &teams, &n), SB_OK);
    assert_int_equal(n, 0);
    free(teams);

    /* A good team afterwards works, and a second create with the same id conflicts. */
    add_team(f->st, &ok, "Good", u.id, 4);
    tp = ok;
    new_id(tp.general.id);
    new_id(tp.owner.id);
    assert_int_equal(store_team_create(f->st, &tp.team, &tp.general, &tp.owner), SB_ERR_CONFLICT);
    assert_int_equal(store_channel_get(f->st, tp.general.id, &ch), SB_ERR_NOT_FOUND);
}

static void test_team_get_unknown(void **state)
{
    struct fx *f = *state;
    struct sb_team got;
    struct sb_team *teams = NULL;
    size_t n = 1;

    assert_int_equal(store_team_get(f->st, "00000000-0000-4000-8000-fffffffffffa", &got),
                     SB_ERR_NOT_FOUND);
    assert_int_equal(store_team_get(f->st, "", &got), SB_ERR_NOT_FOUND);
    assert_int_equal(
        store_team_set_allow_connectors(f->st, "00000000-0000-4000-8000-fffffffffffa", false, NULL),
        SB_ERR_NOT_FOUND);
    assert_int_equal(
        store_team_list_for_user(f->st, "00000000-0000-4000-8000-fffffffffffa", &teams, &n), SB_OK);
    assert_int_equal(n, 0);
    assert_null(teams);
}

static void test_team_list_for_user(void **state)
{
    struct fx *f = *state;
    struct sb_user a, b;
    struct team_parts t1, t2, t3;
    struct sb_member m;
    struct sb_team *teams = NULL;
    size_t n = 0;

    add_user(f->st, &a, "a@example.com", "A", 1);
    add_user(f->st, &b, "b@example.com", "B", 2);
    add_team(f->st, &t2, "Second", a.id, 20);
    add_team(f->st, &t1, "First", a.id, 10);
    add_team(f->st, &t3, "Bs", b.id, 30);
    fill_member(&m, t3.team.id, a.id, SB_ROLE_GUEST, 31);
    assert_int_equal(store_member_insert(f->st, &m), SB_OK);

    assert_int_equal(store_team_list_for_user(f->st, a.id, &teams, &n), SB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(teams[0].display_name, "First");
    assert_string_equal(teams[1].display_name, "Second");
    assert_string_equal(teams[2].display_name, "Bs");
    free(teams);
    assert_int_equal(store_team_list_for_user(f->st, b.id, &teams, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(teams[0].id, t3.team.id);
    free(teams);
}

static void test_channel_duplicate_name(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp, other;
    struct sb_channel c, dup, got, *list = NULL;
    size_t n = 0;

    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    add_team(f->st, &tp, "Ops", u.id, 2);
    add_team(f->st, &other, "Other", u.id, 3);

    fill_channel(&c, tp.team.id, "Alerts", 10);
    copy_str(c.description, sizeof(c.description), "pager");
    assert_int_equal(store_channel_insert(f->st, &c), SB_OK);
    assert_int_equal(store_channel_get(f->st, c.id, &got), SB_OK);
    assert_string_equal(got.display_name, "Alerts");
    assert_string_equal(got.description, "pager");
    assert_false(got.is_general);

    fill_channel(&dup, tp.team.id, "ALERTS", 11);
    assert_int_equal(store_channel_insert(f->st, &dup), SB_ERR_CONFLICT);
    assert_int_equal(store_channel_get(f->st, dup.id, &got), SB_ERR_NOT_FOUND);
    fill_channel(&dup, tp.team.id, "alerts", 12);
    assert_int_equal(store_channel_insert(f->st, &dup), SB_ERR_CONFLICT);
    fill_channel(&dup, tp.team.id, "general", 13);
    assert_int_equal(store_channel_insert(f->st, &dup), SB_ERR_CONFLICT);

    /* The same name in another team is fine. */
    fill_channel(&dup, other.team.id, "alerts", 14);
    assert_int_equal(store_channel_insert(f->st, &dup), SB_OK);

    /* Unknown team: foreign key. */
    fill_channel(&dup, "00000000-0000-4000-8000-fffffffffff9", "x", 15);
    assert_int_equal(store_channel_insert(f->st, &dup), SB_ERR_CONFLICT);

    /* General first, then by creation. */
    fill_channel(&dup, tp.team.id, "Earlier", 5);
    assert_int_equal(store_channel_insert(f->st, &dup), SB_OK);
    assert_int_equal(store_channel_list(f->st, tp.team.id, &list, &n), SB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].display_name, "General");
    assert_string_equal(list[1].display_name, "Earlier");
    assert_string_equal(list[2].display_name, "Alerts");
    free(list);

    assert_int_equal(store_channel_get(f->st, "00000000-0000-4000-8000-fffffffffff8", &got),
                     SB_ERR_NOT_FOUND);
}

static void test_member_duplicate_and_role(void **state)
{
    struct fx *f = *state;
    struct sb_user a, b, c;
    struct team_parts tp;
    struct sb_member m, dup, got;
    int role = -1;

    add_user(f->st, &a, "a@example.com", "A", 1);
    add_user(f->st, &b, "b@example.com", "Bee", 2);
    add_user(f->st, &c, "c@example.com", "C", 3);
    add_team(f->st, &tp, "Ops", a.id, 4);

    fill_member(&m, tp.team.id, b.id, SB_ROLE_MEMBER, 5);
    assert_int_equal(store_member_insert(f->st, &m), SB_OK);
    assert_int_equal(store_member_get(f->st, tp.team.id, m.id, &got), SB_OK);
    assert_string_equal(got.user_id, b.id);
    assert_string_equal(got.display_name, "Bee");
    assert_int_equal(got.role, SB_ROLE_MEMBER);
    assert_string_equal(got.created, m.created);

    /* The same user again (new membership id, other role): conflict. */
    fill_member(&dup, tp.team.id, b.id, SB_ROLE_OWNER, 6);
    assert_int_equal(store_member_insert(f->st, &dup), SB_ERR_CONFLICT);
    assert_int_equal(store_member_get(f->st, tp.team.id, dup.id, &got), SB_ERR_NOT_FOUND);
    /* The owner again: conflict. */
    fill_member(&dup, tp.team.id, a.id, SB_ROLE_MEMBER, 7);
    assert_int_equal(store_member_insert(f->st, &dup), SB_ERR_CONFLICT);
    /* Unknown user or team: conflict (foreign key). */
    fill_member(&dup, tp.team.id, "00000000-0000-4000-8000-fffffffffff7", SB_ROLE_MEMBER, 8);
    assert_int_equal(store_member_insert(f->st, &dup), SB_ERR_CONFLICT);
    fill_member(&dup, "00000000-0000-4000-8000-fffffffffff7", c.id, SB_ROLE_MEMBER, 8);
    assert_int_equal(store_member_insert(f->st, &dup), SB_ERR_CONFLICT);

    assert_int_equal(store_member_role(f->st, tp.team.id, b.id, &role), SB_OK);
    assert_int_equal(role, SB_ROLE_MEMBER);
    role = -1;
    assert_int_equal(store_member_role(f->st, tp.team.id, c.id, &role), SB_OK);
    assert_int_equal(role, SB_ROLE_NONE);
    role = -1;
    assert_int_equal(store_member_role(f->st, "00000000-0000-4000-8000-fffffffffff6", a.id, &role),
                     SB_OK);
    assert_int_equal(role, SB_ROLE_NONE);

    /* Membership ids are scoped by team. */
    assert_int_equal(store_member_get(f->st, "00000000-0000-4000-8000-fffffffffff6", m.id, &got),
                     SB_ERR_NOT_FOUND);
}

static void test_member_delete_owners(void **state)
{
    struct fx *f = *state;
    struct sb_user a, b, c;
    struct team_parts tp;
    struct sb_member second, plain, *list = NULL;
    size_t n = 0;
    int role = -1;

    add_user(f->st, &a, "a@example.com", "A", 1);
    add_user(f->st, &b, "b@example.com", "B", 2);
    add_user(f->st, &c, "c@example.com", "C", 3);
    add_team(f->st, &tp, "Ops", a.id, 4);

    /* The only owner cannot leave. */
    assert_int_equal(store_member_delete(f->st, tp.team.id, tp.owner.id), SB_ERR_CONFLICT);
    assert_int_equal(store_member_role(f->st, tp.team.id, a.id, &role), SB_OK);
    assert_int_equal(role, SB_ROLE_OWNER);

    fill_member(&plain, tp.team.id, c.id, SB_ROLE_MEMBER, 5);
    assert_int_equal(store_member_insert(f->st, &plain), SB_OK);
    /* A plain member does not count as an owner. */
    assert_int_equal(store_member_delete(f->st, tp.team.id, tp.owner.id), SB_ERR_CONFLICT);

    fill_member(&second, tp.team.id, b.id, SB_ROLE_OWNER, 6);
    assert_int_equal(store_member_insert(f->st, &second), SB_OK);
    /* With two owners, either may go; then the remaining one is the last. */
    assert_int_equal(store_member_delete(f->st, tp.team.id, tp.owner.id), SB_OK);
    assert_int_equal(store_member_role(f->st, tp.team.id, a.id, &role), SB_OK);
    assert_int_equal(role, SB_ROLE_NONE);
    assert_int_equal(store_member_delete(f->st, tp.team.id, second.id), SB_ERR_CONFLICT);

    /* Members can be removed freely; twice is not found. */
    assert_int_equal(store_member_delete(f->st, tp.team.id, plain.id), SB_OK);
    assert_int_equal(store_member_delete(f->st, tp.team.id, plain.id), SB_ERR_NOT_FOUND);
    /* Wrong team for the membership id: not found, and nothing removed. */
    assert_int_equal(store_member_delete(f->st, "00000000-0000-4000-8000-fffffffffff5", second.id),
                     SB_ERR_NOT_FOUND);

    assert_int_equal(store_member_list(f->st, tp.team.id, &list, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].id, second.id);
    free(list);
}

/* ---- messages ---- */

static void test_message_append_seq(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp;
    struct sb_message m[5], dup, *page = NULL;
    size_t n = 0;

    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    add_team(f->st, &tp, "Ops", u.id, 2);

    for (int i = 0; i < 5; i++) {
        char body[32];

        snprintf(body, sizeof(body), "message %d", i);
        fill_message(&m[i], &tp.general, &u, body, 10 + i);
        m[i].seq = -1;
        if (i == 1) {
            m[i].summary = strdup("a summary");
            m[i].attachments = strdup("[{\"id\":\"x\"}]");
            copy_str(m[i].body_type, sizeof(m[i].body_type), "html");
            copy_str(m[i].from_kind, sizeof(m[i].from_kind), "application");
        }
        assert_int_equal(store_message_append(f->st, &m[i]), SB_OK);
        assert_true(m[i].seq > 0);
        if (i > 0)
            assert_true(m[i].seq > m[i - 1].seq);
    }

    /* A duplicate message id is a conflict and leaves no row. */
    fill_message(&dup, &tp.general, &u, "dup", 20);
    memcpy(dup.id, m[0].id, sizeof(sb_id));
    assert_int_equal(store_message_append(f->st, &dup), SB_ERR_CONFLICT);
    store_message_free(&dup);
    /* Unknown channel: conflict (foreign key). */
    fill_message(&dup, &tp.general, &u, "nowhere", 21);
    copy_str(dup.channel_id, sizeof(dup.channel_id), "00000000-0000-4000-8000-fffffffffff4");
    assert_int_equal(store_message_append(f->st, &dup), SB_ERR_CONFLICT);
    store_message_free(&dup);

    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 100, &page, &n), SB_OK);
    assert_int_equal(n, 5);
    /* Round trip of every field (page is newest first: page[3] is m[1]). */
    assert_int_equal(page[3].seq, m[1].seq);
    assert_string_equal(page[3].id, m[1].id);
    assert_string_equal(page[3].team_id, tp.team.id);
    assert_string_equal(page[3].channel_id, tp.general.id);
    assert_string_equal(page[3].created, m[1].created);
    assert_string_equal(page[3].from_kind, "application");
    assert_string_equal(page[3].from_id, u.id);
    assert_string_equal(page[3].from_name, "Ada");
    assert_string_equal(page[3].body_type, "html");
    assert_string_equal(page[3].body, "message 1");
    assert_string_equal(page[3].summary, "a summary");
    assert_string_equal(page[3].attachments, "[{\"id\":\"x\"}]");
    assert_null(page[4].summary);
    assert_null(page[4].attachments);
    assert_string_equal(page[4].body_type, "text");
    store_message_free_array(page, n);

    for (int i = 0; i < 5; i++)
        store_message_free(&m[i]);
}

static void test_message_large_body(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp;
    struct sb_message m, *page = NULL;
    size_t n = 0, len = 256 * 1024;
    char *body = malloc(len + 1);

    assert_non_null(body);
    for (size_t i = 0; i < len; i++)
        body[i] = (char)('a' + i % 26);
    body[len] = '\0';

    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    add_team(f->st, &tp, "Ops", u.id, 2);
    fill_message(&m, &tp.general, &u, body, 3);
    assert_int_equal(store_message_append(f->st, &m), SB_OK);
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 1, &page, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(strlen(page[0].body), len);
    assert_string_equal(page[0].body, body);
    store_message_free_array(page, n);
    store_message_free(&m);
    free(body);
}

static void test_message_page(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp;
    struct sb_channel other;
    struct sb_message m, *page = NULL;
    int64_t seqs[25];
    size_t n = 0;

    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    add_team(f->st, &tp, "Ops", u.id, 2);
    fill_channel(&other, tp.team.id, "Other", 3);
    assert_int_equal(store_channel_insert(f->st, &other), SB_OK);

    /* Empty channel: no rows. */
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 10, &page, &n), SB_OK);
    assert_int_equal(n, 0);
    store_message_free_array(page, n);

    /* 25 messages in General, interleaved with 9 in Other. */
    for (int i = 0; i < 25; i++) {
        char body[32];

        snprintf(body, sizeof(body), "g%d", i);
        fill_message(&m, &tp.general, &u, body, 100 + i);
        assert_int_equal(store_message_append(f->st, &m), SB_OK);
        seqs[i] = m.seq;
        store_message_free(&m);
        if (i % 3 == 0) {
            snprintf(body, sizeof(body), "o%d", i);
            fill_message(&m, &other, &u, body, 200 + i);
            assert_int_equal(store_message_append(f->st, &m), SB_OK);
            store_message_free(&m);
        }
    }

    /* Newest first, limited. */
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 10, &page, &n), SB_OK);
    assert_int_equal(n, 10);
    for (size_t i = 0; i < n; i++) {
        char want[32];

        snprintf(want, sizeof(want), "g%d", (int)(24 - i));
        assert_string_equal(page[i].body, want);
        assert_int_equal(page[i].seq, seqs[24 - i]);
        assert_string_equal(page[i].channel_id, tp.general.id);
    }
    /* Next page: strictly older than the last seq seen. */
    {
        int64_t before = page[n - 1].seq;

        store_message_free_array(page, n);
        assert_int_equal(store_message_page(f->st, tp.general.id, before, 10, &page, &n), SB_OK);
        assert_int_equal(n, 10);
        assert_string_equal(page[0].body, "g14");
        assert_string_equal(page[9].body, "g5");
        before = page[n - 1].seq;
        store_message_free_array(page, n);
        assert_int_equal(store_message_page(f->st, tp.general.id, before, 10, &page, &n), SB_OK);
        assert_int_equal(n, 5);
        assert_string_equal(page[0].body, "g4");
        assert_string_equal(page[4].body, "g0");
        before = page[n - 1].seq;
        store_message_free_array(page, n);
        assert_int_equal(store_message_page(f->st, tp.general.id, before, 10, &page, &n), SB_OK);
        assert_int_equal(n, 0);
        store_message_free_array(page, n);
    }

    /* `before` need not be a seq of this channel; limit 1 and limit 0. */
    assert_int_equal(store_message_page(f->st, tp.general.id, seqs[10] + 1, 1, &page, &n), SB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(page[0].seq, seqs[10]);
    store_message_free_array(page, n);
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 0, &page, &n), SB_OK);
    assert_int_equal(n, 0);
    store_message_free_array(page, n);

    /* The other channel sees only its own. */
    assert_int_equal(store_message_page(f->st, other.id, 0, 100, &page, &n), SB_OK);
    assert_int_equal(n, 9);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(page[i].body[0], 'o');
    store_message_free_array(page, n);

    /* Unknown channel: empty, not an error. */
    assert_int_equal(
        store_message_page(f->st, "00000000-0000-4000-8000-fffffffffff3", 0, 10, &page, &n), SB_OK);
    assert_int_equal(n, 0);
    store_message_free_array(page, n);
}

/* ---- concurrency: the group-commit writer ---- */

#define WRITERS 8
#define PER_WRITER 200

struct append_thread {
    struct store *st;
    const struct sb_channel *ch;
    const struct sb_user *from;
    int index;
    int64_t seqs[PER_WRITER];
    int failures;
    int out_of_order;
};

static void *append_thread_main(void *arg)
{
    struct append_thread *at = arg;

    for (int i = 0; i < PER_WRITER; i++) {
        struct sb_message m;
        char body[48];

        memset(&m, 0, sizeof(m));
        new_id(m.id);
        memcpy(m.team_id, at->ch->team_id, sizeof(sb_id));
        memcpy(m.channel_id, at->ch->id, sizeof(sb_id));
        fixed_time(i, m.created);
        snprintf(m.from_kind, sizeof(m.from_kind), "user");
        memcpy(m.from_id, at->from->id, sizeof(sb_id));
        snprintf(m.from_name, sizeof(m.from_name), "writer %d", at->index);
        snprintf(m.body_type, sizeof(m.body_type), "text");
        snprintf(body, sizeof(body), "w%d-%d", at->index, i);
        m.body = body; /* not freed: stack memory */
        m.seq = 0;
        if (store_message_append(at->st, &m) != SB_OK || m.seq <= 0) {
            at->failures++;
            at->seqs[i] = 0;
            continue;
        }
        at->seqs[i] = m.seq;
        if (i > 0 && at->seqs[i - 1] && m.seq <= at->seqs[i - 1])
            at->out_of_order++;
    }
    return NULL;
}

struct reader_thread {
    struct store *st;
    const char *channel_id;
    atomic_bool stop;
    int reads;
    int failures;
    int shrank;
};

static void *reader_thread_main(void *arg)
{
    struct reader_thread *rt = arg;
    size_t last = 0;

    while (!atomic_load(&rt->stop)) {
        struct sb_message *page = NULL;
        size_t n = 0;

        if (store_message_page(rt->st, rt->channel_id, 0, 100000, &page, &n) != SB_OK) {
            rt->failures++;
            continue;
        }
        if (n < last)
            rt->shrank++;
        last = n;
        rt->reads++;
        store_message_free_array(page, n);
    }
    return NULL;
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static void test_concurrent_appends(void **state)
{
    struct fx *f = *state;
    struct sb_user u;
    struct team_parts tp;
    struct append_thread *at = calloc(WRITERS, sizeof(*at));
    struct reader_thread rt;
    pthread_t th[WRITERS], reader;
    struct sb_message *page = NULL;
    size_t n = 0;
    int64_t *all = malloc(sizeof(int64_t) * WRITERS * PER_WRITER);
    int per[WRITERS][PER_WRITER];

    assert_non_null(at);
    assert_non_null(all);
    add_user(f->st, &u, "ada@example.com", "Ada", 1);
    add_team(f->st, &tp, "Ops", u.id, 2);

    memset(&rt, 0, sizeof(rt));
    rt.st = f->st;
    rt.channel_id = tp.general.id;
    atomic_init(&rt.stop, false);
    assert_int_equal(pthread_create(&reader, NULL, reader_thread_main, &rt), 0);

    for (int i = 0; i < WRITERS; i++) {
        at[i].st = f->st;
        at[i].ch = &tp.general;
        at[i].from = &u;
        at[i].index = i;
        assert_int_equal(pthread_create(&th[i], NULL, append_thread_main, &at[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++)
        pthread_join(th[i], NULL);
    atomic_store(&rt.stop, true);
    pthread_join(reader, NULL);

    for (int i = 0; i < WRITERS; i++) {
        assert_int_equal(at[i].failures, 0);
        assert_int_equal(at[i].out_of_order, 0);
        memcpy(all + (size_t)i * PER_WRITER, at[i].seqs, sizeof(at[i].seqs));
    }
    assert_int_equal(rt.failures, 0);
    assert_int_equal(rt.shrank, 0);
    assert_true(rt.reads > 0);

    /* Every seq handed out is unique. */
    qsort(all, WRITERS * PER_WRITER, sizeof(int64_t), cmp_int64);
    for (int i = 1; i < WRITERS * PER_WRITER; i++)
        assert_true(all[i] > all[i - 1]);

    /* All 1600 are stored, once each, with the seq their writer was told. */
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 100000, &page, &n), SB_OK);
    assert_int_equal(n, WRITERS * PER_WRITER);
    memset(per, 0, sizeof(per));
    for (size_t i = 0; i < n; i++) {
        int w = -1, k = -1;

        if (i > 0)
            assert_true(page[i].seq < page[i - 1].seq);
        assert_int_equal(sscanf(page[i].body, "w%d-%d", &w, &k), 2);
        assert_true(w >= 0 && w < WRITERS);
        assert_true(k >= 0 && k < PER_WRITER);
        assert_int_equal(page[i].seq, at[w].seqs[k]);
        per[w][k]++;
    }
    for (int w = 0; w < WRITERS; w++)
        for (int k = 0; k < PER_WRITER; k++)
            assert_int_equal(per[w][k], 1);
    store_message_free_array(page, n);
    free(all);
    free(at);

    /* Everything is still there after a reopen (durably committed). */
    fx_reopen(f);
    assert_int_equal(store_message_page(f->st, tp.general.id, 0, 100000, &page, &n), SB_OK);
    assert_int_equal(n, WRITERS * PER_WRITER);
    store_message_free_array(page, n);
}

/* A write that holds the writer until other writes have queued behind it, so that they are
 * committed together in the next batch. */
struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started;
    struct store *st;
    size_t wait_for; /* writes that must be queued before the gate opens */
};

static sb_err gate_fn(struct db *d, void *arg)
{
    struct gate *g = arg;
    time_t deadline = time(NULL) + 10;

    (void)d;
    pthread_mutex_lock(&g->mu);
    g->started = true;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    /* Hold this batch until the other writes have queued behind it (bounded, so a broken store
     * fails the test's assertions instead of hanging it). */
    while (store_write_queue_depth(g->st) < g->wait_for && time(NULL) < deadline)
        sched_yield();
    return SB_OK;
}

struct gate_thread {
    struct store *st;
    struct gate *g;
    sb_err err;
};

static void *gate_thread_main(void *arg)
{
    struct gate_thread *gt = arg;

    gt->err = store_write(gt->st, gate_fn, gt->g);
    return NULL;
}

struct user_thread {
    struct store *st;
    struct sb_user u;
    sb_err err;
};

static void *user_thread_main(void *arg)
{
    struct user_thread *ut = arg;

    ut->err = store_user_insert(ut->st, &ut->u, "h");
    return NULL;
}

struct team_thread {
    struct store *st;
    struct team_parts tp;
    sb_err err;
};

static void *team_thread_main(void *arg)
{
    struct team_thread *tt = arg;

    tt->err = store_team_create(tt->st, &tt->tp.team, &tt->tp.general, &tt->tp.owner);
    return NULL;
}

static void test_failed_write_does_not_undo_batch(void **state)
{
    struct fx *f = *state;
    struct sb_user existing, got;
    struct gate g;
    struct gate_thread gt;
    struct user_thread good1, bad, good2;
    struct team_thread badteam;
    pthread_t tg, t1, t2, t3, t4;
    struct sb_team team;
    struct sb_user *list = NULL;
    size_t n = 0;

    add_user(f->st, &existing, "taken@example.com", "Taken", 1);

    memset(&g, 0, sizeof(g));
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    g.st = f->st;
    g.wait_for = 4; /* good1, bad, badteam and good2 */
    gt.st = f->st;
    gt.g = &g;
    gt.err = SB_ERR_IO;

    memset(&good1, 0, sizeof(good1));
    good1.st = f->st;
    fill_user(&good1.u, "good1@example.com", "Good 1", 2);
    memset(&bad, 0, sizeof(bad));
    bad.st = f->st;
    fill_user(&bad.u, "TAKEN@example.com", "Dup", 3);
    memset(&good2, 0, sizeof(good2));
    good2.st = f->st;
    fill_user(&good2.u, "good2@example.com", "Good 2", 4);
    memset(&badteam, 0, sizeof(badteam));
    badteam.st = f->st;
    /* Writes the team and channel, then fails on the owner (unknown user). */
    fill_team(&badteam.tp, "Half", "00000000-0000-4000-8000-fffffffffff2", 5);

    assert_int_equal(pthread_create(&tg, NULL, gate_thread_main, &gt), 0);
    pthread_mutex_lock(&g.mu);
    while (!g.started)
        pthread_cond_wait(&g.cv, &g.mu);
    pthread_mutex_unlock(&g.mu);

    /* The writer is busy inside the gate: these queue up behind it. */
    assert_int_equal(pthread_create(&t1, NULL, user_thread_main, &good1), 0);
    assert_int_equal(pthread_create(&t2, NULL, user_thread_main, &bad), 0);
    assert_int_equal(pthread_create(&t3, NULL, team_thread_main, &badteam), 0);
    assert_int_equal(pthread_create(&t4, NULL, user_thread_main, &good2), 0);
    pthread_join(tg, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_join(t3, NULL);
    pthread_join(t4, NULL);
    pthread_cond_destroy(&g.cv);
    pthread_mutex_destroy(&g.mu);

    assert_int_equal(gt.err, SB_OK);
    assert_int_equal(good1.err, SB_OK);
    assert_int_equal(bad.err, SB_ERR_CONFLICT);
    assert_int_equal(badteam.err, SB_ERR_CONFLICT);
    assert_int_equal(good2.err, SB_OK);

    assert_int_equal(store_user_get(f->st, good1.u.id, &got), SB_OK);
    assert_string_equal(got.display_name, "Good 1");
    assert_int_equal(store_user_get(f->st, good2.u.id, &got), SB_OK);
    assert_int_equal(store_user_get(f->st, bad.u.id, &got), SB_ERR_NOT_FOUND);
    assert_int_equal(store_user_by_upn(f->st, "taken@example.com", &got, NULL), SB_OK);
    assert_string_equal(got.id, existing.id);
    assert_int_equal(store_team_get(f->st, badteam.tp.team.id, &team), SB_ERR_NOT_FOUND);

    assert_int_equal(store_user_list(f->st, &list, &n), SB_OK);
    assert_int_equal(n, 3);
    free(list);

    /* And they survive a reopen. */
    fx_reopen(f);
    assert_int_equal(store_user_get(f->st, good1.u.id, &got), SB_OK);
    assert_int_equal(store_user_get(f->st, good2.u.id, &got), SB_OK);
}

/* Many threads racing to insert the same UPN: exactly one wins. */
static void test_concurrent_duplicate_upn(void **state)
{
    struct fx *f = *state;
    struct user_thread ut[8];
    pthread_t th[8];
    int ok = 0, conflict = 0;
    struct sb_user got;

    for (int i = 0; i < 8; i++) {
        memset(&ut[i], 0, sizeof(ut[i]));
        ut[i].st = f->st;
        fill_user(&ut[i].u, i % 2 ? "Race@Example.com" : "race@example.com", "Racer", i);
    }
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, user_thread_main, &ut[i]), 0);
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 8; i++) {
        if (ut[i].err == SB_OK)
            ok++;
        else if (ut[i].err == SB_ERR_CONFLICT)
            conflict++;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(conflict, 7);
    assert_int_equal(store_user_by_upn(f->st, "RACE@EXAMPLE.COM", &got, NULL), SB_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_ping),
        T(test_reader_cannot_write),
        T(test_reopen_keeps_data),
        T(test_migrations_not_reapplied),
        cmocka_unit_test(test_open_bad_url),
        T(test_open_unwritable_path),
        T(test_open_not_a_database),
        T(test_meta_init_first_wins),
        T(test_meta_init_concurrent_agree),
        T(test_user_insert_get),
        T(test_user_by_upn_case_insensitive),
        T(test_user_duplicate_upn),
        T(test_user_list),
        T(test_user_set_password_admin),
        T(test_tokens),
        T(test_token_delete_kind),
        T(test_team_create),
        T(test_team_create_atomic),
        T(test_team_get_unknown),
        T(test_team_list_for_user),
        T(test_channel_duplicate_name),
        T(test_member_duplicate_and_role),
        T(test_member_delete_owners),
        T(test_message_append_seq),
        T(test_message_large_body),
        T(test_message_page),
        T(test_concurrent_appends),
        T(test_failed_write_does_not_undo_batch),
        T(test_concurrent_duplicate_upn),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
