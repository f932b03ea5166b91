/*
 * pool.c: a pool of connections of one role (db.h's enum db_role), each lent to one thread at
 * a time: store.c keeps one of readers and one of counter connections.
 */
#include "store/internal.h"

#include <stdlib.h>

void store_pool_init(struct store_pool *p)
{
    *p = (struct store_pool){.conns = NULL};
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->free_cv, NULL);
}

sb_err store_pool_open(struct store_pool *p, const char *target, size_t n, enum db_role role,
                       const struct db_driver *drv, struct sb_diag *diag)
{
    sb_err err = SB_OK;

    p->drv = drv;
    p->conns = calloc(n, sizeof(*p->conns));
    if (!p->conns)
        return SB_ERR_NOMEM;
    p->n = n;
    for (; p->nfree < n; p->nfree++) {
        err = drv->open(target, role, &p->conns[p->nfree], diag);
        if (err)
            break;
    }
    return err;
}

void store_pool_take(struct store_pool *p, struct db *out)
{
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0)
        pthread_cond_wait(&p->free_cv, &p->mu);
    *out = (struct db){p->drv, p->conns[--p->nfree], NULL, NULL, false, NULL, false, false, NULL};
    pthread_mutex_unlock(&p->mu);
}

void store_pool_give(struct store_pool *p, struct db *d)
{
    pthread_mutex_lock(&p->mu);
    p->conns[p->nfree++] = d->conn;
    pthread_cond_signal(&p->free_cv);
    pthread_mutex_unlock(&p->mu);
    d->conn = NULL;
}

void store_pool_close(struct store_pool *p)
{
    for (size_t i = 0; p->conns && i < p->nfree; i++)
        p->drv->close(p->conns[i]);
    free(p->conns);
    p->conns = NULL;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->free_cv);
}
