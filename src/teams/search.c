/*
 * search.c: message search, POST /search/query with entityTypes ["chatMessage"] (contract §6).
 *
 * The query string is read only as words (core/words.h): every word must occur in a message's
 * search text (its text and its cards' text, store/message_search.h); FTS operators, quotes,
 * `*` and parentheses are plain text, never a syntax error. The store trims to the caller's
 * teams inside the query, so from/size page exactly through what the person may read.
 */
#include "auth/perm.h"
#include "core/json.h"
#include "core/words.h"
#include "store/message_search.h"
#include "teams/teams.h"

#include <stdlib.h>
#include <string.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define SUMMARY_MAX 240
#define FROM_MAX 100000

static sb_err int_field(json_t *r, const char *key, int64_t def, int64_t min, int64_t max,
                        int64_t *out, struct sb_diag *diag)
{
    json_t *v = json_object_get(r, key);

    *out = def;
    if (!v || json_is_null(v))
        return SB_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return FAIL("%s must be an integer from %lld to %lld", key, (long long)min, (long long)max);
    *out = json_integer_value(v);
    return SB_OK;
}

/* One hit: Graph's searchHit with the chatMessage as its resource. */
static json_t *hit_json(struct sb_ctx *ctx, const struct sb_message_hit *h, int64_t rank,
                        const char *const *terms, size_t nterms)
{
    int allowed = -1;
    char *summary = NULL;
    json_t *resource = teams_message_render(ctx, &h->m, &allowed), *hit = NULL;

    if (resource &&
        !json_object_set_new(resource, "@odata.type",
                             json_string("#microsoft.graph.chatMessage")) &&
        sb_highlight(h->text ? h->text : "", terms, nterms, SUMMARY_MAX, &summary) == SB_OK)
        hit = json_pack("{s:s,s:I,s:s,s:O}", "hitId", h->m.id, "rank", (json_int_t)rank, "summary",
                        summary, "resource", resource);
    json_decref(resource);
    free(summary);
    return hit;
}

sb_err teams_message_search(struct sb_ctx *ctx, const struct sb_principal *who, json_t *request,
                            json_t **out, struct sb_diag *diag)
{
    char words[SB_WORDS_MAX][SB_WORD_MAX + 1];
    const char *terms[SB_WORDS_MAX], *qs;
    struct store_message_query q = {0};
    struct sb_message_hit *hits = NULL;
    json_t *value = NULL, *st = NULL;
    size_t n = 0, nterms = 0;
    int64_t total = 0;
    sb_err err = sb_can(ctx, who, SB_ACT_SEARCH, NULL, diag);

    *out = NULL;
    if (err)
        return err;
    if (!json_is_object(json_object_get(request, "query")))
        return FAIL("query must be an object {queryString}");
    if ((err = sb_json_string(json_object_get(request, "query"), "queryString", true, 1024, &qs,
                              diag)) ||
        (err = sb_words_split(qs, words, &nterms, diag)) ||
        (err = int_field(request, "from", 0, 0, FROM_MAX, &q.from, diag)) ||
        (err = int_field(request, "size", 25, 1, TEAMS_SEARCH_SIZE_MAX, &q.size, diag)))
        return err;
    for (size_t i = 0; i < nterms; i++)
        terms[i] = words[i];
    q.user_id = who->is_admin ? NULL : who->user_id;
    q.terms = terms;
    q.nterms = nterms;
    q.count_max = TEAMS_SEARCH_COUNT_MAX;
    if ((err = store_message_search(ctx->store, &q, &hits, &n, &total)))
        return err;
    if (!(value = json_array()) || !(st = json_array())) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nterms; i++)
        if (json_array_append_new(st, json_string(terms[i]))) {
            err = SB_ERR_NOMEM;
            goto out;
        }
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(
                value, hit_json(ctx, &hits[i], q.from + (int64_t)i + 1, terms, nterms))) {
            err = SB_ERR_NOMEM;
            goto out;
        }
    *out = json_pack("{s:O,s:[{s:I,s:b,s:O}]}", "searchTerms", st, "hitsContainers", "total",
                     (json_int_t)total, "moreResultsAvailable", q.from + (int64_t)n < total, "hits",
                     value);
    if (!*out)
        err = SB_ERR_NOMEM;
out:
    json_decref(value);
    json_decref(st);
    store_message_hit_free_array(hits, n);
    return err;
}
