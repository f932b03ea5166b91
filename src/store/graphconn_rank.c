/*
 * graphconn_rank.c: sb_bm25, the FTS5 ranking function of the external-item search on SQLite
 * (graphconn_rank.h).
 *
 * sb_bm25(gc_fts, K, w0, w1, ...) is FTS5's bm25(gc_fts, w0, w1, ...) (same formula, same
 * operations, so the same doubles) for every row that can still be among the K best rows of
 * the query by (rank, rowid), and 1e300 for a row that cannot. The search asks for the K best
 * rows (ORDER BY rank, rowid LIMIT K) and then trims them by ACL, so the rows it keeps are
 * exactly those bm25 would have put first.
 *
 * Why: bm25 reads the row's size in tokens from the %_docsize table, one lookup per match
 * (about 0.6 us, most of the cost of ranking a common word). The row's phrase frequencies come
 * with the match and bound its score from above: the score falls as the row grows, and the row
 * has at least as many tokens as the offset of its last match in each column. A row whose bound
 * cannot beat the K-th best score seen so far needs no size; the K-th best only gets better.
 */
#include "store/graphconn_rank.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RANK_COLS_MAX 8
#define RANK_LOST 1e300 /* the rank of a row that is not among the K best */

struct best {
    double r;
    sqlite3_int64 pk;
};

/* Per query (FTS5 auxdata): the BM25 constants and a max-heap of the K best (rank, rowid). */
struct rank_state {
    double avgdl;
    int nphrase;
    double *idf, *freq;
    sqlite3_int64 k;
    size_t n, cap;
    struct best *heap; /* heap[0]: the worst of the best */
};

static void state_free(void *p)
{
    struct rank_state *s = p;

    if (!s)
        return;
    free(s->idf);
    free(s->freq);
    free(s->heap);
    free(s);
}

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)arg)++;
    return SQLITE_OK;
}

/* As fts5Bm25GetData: average row size and the IDF of each phrase. */
static int state_new(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_int64 k,
                     struct rank_state **out)
{
    struct rank_state *s = calloc(1, sizeof(*s));
    sqlite3_int64 nrow = 0, ntok = 0;
    int rc = SQLITE_NOMEM;

    *out = NULL;
    if (!s)
        return rc;
    s->k = k;
    s->nphrase = api->xPhraseCount(fts);
    if (!(s->idf = calloc((size_t)s->nphrase + 1, sizeof(double))) ||
        !(s->freq = calloc((size_t)s->nphrase + 1, sizeof(double))))
        goto out;
    rc = api->xRowCount(fts, &nrow);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &ntok);
    if (rc == SQLITE_OK)
        s->avgdl = (double)ntok / (double)nrow;
    for (int i = 0; rc == SQLITE_OK && i < s->nphrase; i++) {
        sqlite3_int64 nhit = 0;

        rc = api->xQueryPhrase(fts, i, &nhit, count_cb);
        if (rc == SQLITE_OK) {
            double idf = log((nrow - nhit + 0.5) / (nhit + 0.5));

            s->idf[i] = idf <= 0.0 ? 1e-6 : idf;
        }
    }
    if (rc == SQLITE_OK)
        rc = api->xSetAuxdata(fts, s, state_free);
    if (rc == SQLITE_OK) {
        *out = s;
        return rc;
    }
out:
    state_free(s);
    return rc;
}

static double score_of(const struct rank_state *s, double d)
{
    const double k1 = 1.2, b = 0.75;
    double score = 0.0;

    for (int i = 0; i < s->nphrase; i++)
        score += s->idf[i] *
                 ((s->freq[i] * (k1 + 1.0)) / (s->freq[i] + k1 * (1 - b + b * d / s->avgdl)));
    return -1.0 * score;
}

static bool worse(const struct best *a, const struct best *b)
{
    return a->r > b->r || (a->r == b->r && a->pk > b->pk);
}

static void sift_down(struct best *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        struct best t;

        if (l < n && worse(&h[l], &h[m]))
            m = l;
        if (r < n && worse(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Keeps b if it is among the K best so far. */
static int keep(struct rank_state *s, struct best b)
{
    if ((sqlite3_int64)s->n < s->k) {
        size_t i;

        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 64;
            struct best *h = realloc(s->heap, cap * sizeof(*h));

            if (!h)
                return SQLITE_NOMEM;
            s->heap = h;
            s->cap = cap;
        }
        i = s->n++;
        s->heap[i] = b;
        while (i > 0 && worse(&s->heap[i], &s->heap[(i - 1) / 2])) {
            struct best t = s->heap[i];

            s->heap[i] = s->heap[(i - 1) / 2];
            s->heap[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (worse(&s->heap[0], &b)) {
        s->heap[0] = b;
        sift_down(s->heap, s->n, 0);
    }
    return SQLITE_OK;
}

static void sb_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                    sqlite3_value **val)
{
    struct rank_state *s = api->xGetAuxdata(fts, 0);
    int ncol = api->xColumnCount(fts), ninst = 0, rc = SQLITE_OK;
    int last[RANK_COLS_MAX] = {0}; /* per column: 1 + the offset of its last match */
    struct best b = {0.0, api->xRowid(fts)};
    double lower = 0.0;

    if (nval < 1 || ncol > RANK_COLS_MAX) {
        sqlite3_result_error(ctx, "sb_bm25(table, K, weights...)", -1);
        return;
    }
    if (!s)
        rc = state_new(api, fts, sqlite3_value_int64(val[0]), &s);
    if (rc == SQLITE_OK) {
        memset(s->freq, 0, sizeof(double) * (size_t)s->nphrase);
        rc = api->xInstCount(fts, &ninst);
    }
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int ip, ic, io;

        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK) {
            s->freq[ip] += nval - 1 > ic ? sqlite3_value_double(val[1 + ic]) : 1.0;
            if (ic >= 0 && ic < RANK_COLS_MAX && io + 1 > last[ic])
                last[ic] = io + 1;
        }
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    for (int c = 0; c < ncol; c++)
        lower += last[c];
    /* The best rank the row could have (its size at least lower): not among the K best, it
     * never will be, as the K-th best only improves. */
    b.r = score_of(s, lower);
    if (s->k > 0 && (sqlite3_int64)s->n >= s->k && !worse(&s->heap[0], &b)) {
        sqlite3_result_double(ctx, RANK_LOST);
        return;
    }
    {
        int ntok = 0;

        rc = api->xColumnSize(fts, -1, &ntok);
        if (rc == SQLITE_OK) {
            b.r = score_of(s, (double)ntok);
            if (s->k > 0)
                rc = keep(s, b);
        }
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_double(ctx, b.r);
}

int store_gc_rank_register(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
        rc = sqlite3_finalize(st);
    }
    if (rc == SQLITE_OK && (!api || api->iVersion < 2))
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "sb_bm25", NULL, sb_bm25, NULL);
    return rc;
}
