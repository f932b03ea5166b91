/*
 * search.c: POST /search/query for external items (requests for chatMessage go to the teams
 * service, teams/search.c).
 *
 * The query string is split into words (letters and digits; every non-ASCII byte counts as a
 * letter), all of which must occur in an item's searchable properties or content. The store
 * ranks (BM25 on SQLite, ts_rank on PostgreSQL; searchable properties weigh more than content)
 * and trims by ACL, so from/size page exactly through what the person may see. The total
 * counts up to GC_SEARCH_COUNT_MAX permitted matches (or from + size + 1), as the message
 * search does: beyond, Graph's totals are estimates too.
 */
#include "graphconn/graphconn.h"

#include "core/buf.h"
#include "core/json.h"
#include "core/words.h"
#include "store/graphconn.h"
#include "teams/teams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define SUMMARY_MAX 240

/* The properties a hit shows: the requested fields, else all, of the retrievable ones; and the
 * values of the title, url and iconUrl labels on retrievable properties. A property marked
 * isRetrievable: false is never shown, even when asked for: it only makes items findable. */
static json_t *hit_properties(json_t *props, json_t *schema, json_t *fields, json_t *labels)
{
    json_t *out = json_object(), *sp = json_object_get(schema, "properties");

    if (!out)
        return NULL;
    for (size_t i = 0; i < json_array_size(sp); i++) {
        json_t *p = json_array_get(sp, i), *lab = json_object_get(p, "labels");
        const char *name = json_string_value(json_object_get(p, "name"));
        json_t *v = json_object_get(props, name);
        bool wanted = !fields;

        if (!json_is_true(json_object_get(p, "isRetrievable")))
            continue;

        for (size_t k = 0; labels && v && k < json_array_size(lab); k++) {
            const char *l = json_string_value(json_array_get(lab, k));

            if (!strcmp(l, "title") || !strcmp(l, "url") || !strcmp(l, "iconUrl"))
                json_object_set(labels, l, v);
        }
        if (!v)
            continue;
        for (size_t k = 0; fields && k < json_array_size(fields); k++)
            if (json_is_string(json_array_get(fields, k)) &&
                !strcasecmp(json_string_value(json_array_get(fields, k)), name))
                wanted = true;
        if (wanted)
            json_object_set(out, name, v);
    }
    return out;
}

/* The text of the properties that are both searchable and retrievable, one value a line: what
 * a summary may quote when the content does not hold a query word (the stored searchable text
 * also holds properties that must not be shown). */
static sb_err shown_text(json_t *props, json_t *schema, char **out)
{
    json_t *sp = json_object_get(schema, "properties");
    struct sb_buf b = {0};

    *out = NULL;
    for (size_t i = 0; i < json_array_size(sp); i++) {
        json_t *p = json_array_get(sp, i);
        json_t *v = json_object_get(props, json_string_value(json_object_get(p, "name")));

        if (!json_is_true(json_object_get(p, "isSearchable")) ||
            !json_is_true(json_object_get(p, "isRetrievable")))
            continue;
        for (size_t k = 0; k < (json_is_array(v) ? json_array_size(v) : 1); k++) {
            const char *s = json_string_value(json_is_array(v) ? json_array_get(v, k) : v);

            if (s && ((b.len && sb_buf_append(&b, "\n", 1)) || sb_buf_puts(&b, s))) {
                sb_buf_free(&b);
                return SB_ERR_NOMEM;
            }
        }
    }
    if (!b.data && sb_buf_append(&b, "", 0))
        return SB_ERR_NOMEM;
    *out = sb_buf_take(&b);
    return SB_OK;
}

static sb_err int_field(json_t *r, const char *key, int64_t def, int64_t max, int64_t *out,
                        struct sb_diag *diag)
{
    json_t *v = json_object_get(r, key);

    *out = def;
    if (!v || json_is_null(v))
        return SB_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return FAIL("%s must be an integer from 0 to %lld", key, (long long)max);
    *out = json_integer_value(v);
    return SB_OK;
}

static sb_err sources(json_t *r, struct store_gc_query *q, struct sb_diag *diag)
{
    json_t *cs = json_object_get(r, "contentSources");

    if (!cs || json_is_null(cs))
        return SB_OK;
    if (!json_is_array(cs) || json_array_size(cs) > STORE_GC_SOURCES_MAX)
        return FAIL("contentSources must be an array of at most %d connections",
                    STORE_GC_SOURCES_MAX);
    for (size_t i = 0; i < json_array_size(cs); i++) {
        const char *s = json_string_value(json_array_get(cs, i));

        if (!s || strncmp(s, "/external/connections/", 22) != 0 || !s[22])
            return FAIL("contentSources[%zu] must be /external/connections/{id}", i);
        q->sources[q->nsources++] = s + 22;
    }
    return SB_OK;
}

static sb_err one_request(struct sb_ctx *ctx, const struct sb_principal *who, json_t *r,
                          json_t **out, struct sb_diag *diag)
{
    char words[SB_WORDS_MAX][SB_WORD_MAX + 1];
    const char *terms[SB_WORDS_MAX];
    struct store_gc_query q = {0};
    struct sb_gc_hit *hits = NULL;
    json_t *types = json_object_get(r, "entityTypes"), *fields, *value = NULL, *st = NULL;
    const char *qs;
    size_t n = 0, nterms = 0;
    int64_t total = 0;
    sb_err err;

    *out = NULL;
    if (!json_is_object(r))
        return FAIL("requests[] must be objects");
    if (!json_is_array(types) || json_array_size(types) != 1 ||
        !json_is_string(json_array_get(types, 0)))
        return FAIL("entityTypes must be [\"externalItem\"] or [\"chatMessage\"]");
    /* Channel messages are the teams service's (contract §6). */
    if (!strcasecmp(json_string_value(json_array_get(types, 0)), "chatMessage"))
        return teams_message_search(ctx, who, r, out, diag);
    if (strcasecmp(json_string_value(json_array_get(types, 0)), "externalItem") != 0)
        return FAIL("entityTypes must be [\"externalItem\"] or [\"chatMessage\"]: "
                    "Switchboard searches external items and channel messages");
    if ((err = sb_json_string(json_object_get(r, "query"), "queryString", true, 1024, &qs, diag))) {
        if (!json_is_object(json_object_get(r, "query")))
            return FAIL("query must be an object {queryString}");
        return err;
    }
    fields = json_object_get(r, "fields");
    if (fields && !json_is_null(fields) && !json_is_array(fields))
        return FAIL("fields must be an array of property names");
    if (json_is_null(fields))
        fields = NULL;
    if (json_is_integer(json_object_get(r, "size")) &&
        json_integer_value(json_object_get(r, "size")) == 0)
        return FAIL("size must be an integer from 1 to %d", GC_SEARCH_SIZE_MAX);
    if ((err = sb_words_split(qs, words, &nterms, diag)) ||
        (err = int_field(r, "from", 0, 100000, &q.from, diag)) ||
        (err = int_field(r, "size", 25, GC_SEARCH_SIZE_MAX, &q.size, diag)) ||
        (err = sources(r, &q, diag)))
        return err;
    for (size_t i = 0; i < nterms; i++)
        terms[i] = words[i];
    q.user_id = who->user_id;
    q.terms = terms;
    q.nterms = nterms;
    q.count_max = GC_SEARCH_COUNT_MAX;
    if ((err = store_gc_search(ctx->store, &q, &hits, &n, &total)))
        return err;
    if (!(value = json_array()) || !(st = json_array())) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nterms; i++)
        json_array_append_new(st, json_string(terms[i]));
    for (size_t i = 0; i < n; i++) {
        json_t *props = json_loads(hits[i].properties, 0, NULL);
        json_t *schema = json_loads(hits[i].schema ? hits[i].schema : "{}", 0, NULL);
        json_t *labels = json_object(), *shown = NULL, *hit = NULL;
        char *summary = NULL, *text = NULL, source[64], hit_id[200];
        const char *from_text = NULL;

        /* The summary comes from the content when a term occurs there, else the retrievable
         * searchable properties. */
        if (props && schema && shown_text(props, schema, &text) == SB_OK) {
            char *probe = NULL;

            from_text = hits[i].body && *hits[i].body ? hits[i].body : text;
            if (hits[i].body && *hits[i].body &&
                sb_highlight(hits[i].body, terms, nterms, SUMMARY_MAX, &probe) == SB_OK &&
                !strstr(probe, "<c0>"))
                from_text = text;
            free(probe);
        }
        snprintf(source, sizeof(source), "/external/connections/%s", hits[i].connection_id);
        snprintf(hit_id, sizeof(hit_id), "%s", hits[i].item_id);
        if (from_text && labels && (shown = hit_properties(props, schema, fields, labels)) &&
            sb_highlight(from_text, terms, nterms, SUMMARY_MAX, &summary) == SB_OK)
            hit = json_pack("{s:s,s:I,s:s,s:s,s:{s:s,s:O},s:O}", "hitId", hit_id, "rank",
                            (json_int_t)q.from + (json_int_t)i + 1, "summary", summary,
                            "contentSource", source, "resource", "@odata.type",
                            "#microsoft.graph.externalConnectors.externalItem", "properties", shown,
                            "labels", labels);
        json_decref(props);
        json_decref(schema);
        json_decref(labels);
        json_decref(shown);
        free(summary);
        free(text);
        if (!hit) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        json_array_append_new(value, hit);
    }
    *out = json_pack("{s:O,s:[{s:I,s:b,s:O}]}", "searchTerms", st, "hitsContainers", "total",
                     (json_int_t)total, "moreResultsAvailable", q.from + (int64_t)n < total, "hits",
                     value);
    if (!*out)
        err = SB_ERR_NOMEM;
out:
    json_decref(value);
    json_decref(st);
    store_gc_hit_free_array(hits, n);
    return err;
}

sb_err gc_search(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body, json_t **out,
                 struct sb_diag *diag)
{
    json_t *reqs = json_object_get(body, "requests"), *value;
    sb_err err = sb_can(ctx, who, SB_ACT_SEARCH, NULL, diag);

    *out = NULL;
    if (err)
        return err;
    if (!json_is_array(reqs) || json_array_size(reqs) < 1 || json_array_size(reqs) > 4)
        return FAIL("requests must be an array of 1 to 4 search requests");
    if (!(value = json_array()))
        return SB_ERR_NOMEM;
    for (size_t i = 0; !err && i < json_array_size(reqs); i++) {
        json_t *one = NULL;

        if (!(err = one_request(ctx, who, json_array_get(reqs, i), &one, diag)))
            json_array_append_new(value, one);
    }
    if (!err &&
        !(*out = json_pack("{s:s,s:O}", "@odata.context",
                           "$metadata#Collection(microsoft.graph.searchResponse)", "value", value)))
        err = SB_ERR_NOMEM;
    json_decref(value);
    return err;
}
