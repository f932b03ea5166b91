/*
 * ctx_fixture.h: a context on a fresh SQLite store in its own temporary directory, with a clock
 * the test moves by hand (for the tests of modules that take struct sb_ctx), and a store fault
 * plan installed on it (f->fault, idle until a test arms it with store_fault_arm: "fail the N-th
 * statement run by writes").
 */
#ifndef SB_TEST_CTX_FIXTURE_H
#define SB_TEST_CTX_FIXTURE_H

#include "core/config.h"
#include "core/sb.h"
#include "store/store.h"

#include <dirent.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cfx {
    char dir[64];
    char url[128];
    struct sb_config cfg;
    struct sb_ctx ctx;
    _Atomic int64_t now_ms;    /* the test's clock */
    struct store_fault *fault; /* installed on ctx.store; store_fault_arm(f->fault, n) */
};

static inline int64_t cfx_now(void *arg)
{
    struct cfx *f = arg;
    return atomic_load(&f->now_ms);
}

static inline void cfx_random(void *buf, size_t n, void *arg)
{
    (void)arg;
    randombytes_buf(buf, n);
}

static inline void cfx_remove_dir(const char *dir)
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

static inline int cfx_open(struct cfx *f)
{
    struct store_opts opts = {f->url, 2};
    struct sb_diag diag;

    memset(&diag, 0, sizeof(diag));
    if (store_open(&opts, &f->ctx.store, &diag) != SB_OK) {
        fprintf(stderr, "store_open(%s): %s\n", f->url, diag.message);
        return -1;
    }
    if (!f->fault && store_fault_new(&f->fault) != SB_OK)
        return -1;
    store_fault_arm(f->fault, 0);
    store_fault_set(f->ctx.store, f->fault);
    return 0;
}

static inline int cfx_setup(void **state)
{
    struct cfx *f = calloc(1, sizeof(*f));

    if (!f || sodium_init() < 0)
        goto fail;
    snprintf(f->dir, sizeof(f->dir), "/tmp/sb-test-ctx-XXXXXX");
    if (!mkdtemp(f->dir))
        goto fail;
    snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->dir);
    snprintf(f->cfg.public_url, sizeof(f->cfg.public_url), "https://switchboard.test");
    atomic_store(&f->now_ms, 1795000000000LL); /* 2026-11-18 */
    f->ctx.cfg = &f->cfg;
    f->ctx.clock.now_ms = cfx_now;
    f->ctx.clock.random = cfx_random;
    f->ctx.clock.arg = f;
    snprintf(f->ctx.tenant_id, sizeof(f->ctx.tenant_id), "00000000-0000-4000-8000-0000000000aa");
    if (cfx_open(f) != 0) {
        store_close(f->ctx.store);
        store_fault_free(f->fault);
        cfx_remove_dir(f->dir);
        goto fail;
    }
    *state = f;
    return 0;
fail:
    free(f);
    return -1;
}

static inline int cfx_teardown(void **state)
{
    struct cfx *f = *state;

    if (!f)
        return 0;
    store_close(f->ctx.store);
    store_fault_free(f->fault);
    cfx_remove_dir(f->dir);
    free(f);
    return 0;
}

/* Closes and reopens the store on the same file (what a restart sees). */
static inline int cfx_reopen(struct cfx *f)
{
    store_close(f->ctx.store);
    f->ctx.store = NULL;
    return cfx_open(f);
}

#endif
