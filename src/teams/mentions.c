/*
 * mentions.c: the rules of a message's mentions (contract §6), checked before it is stored.
 * Graph's shape: an html body with <at id="N">text</at> tags and a mentions array whose ids
 * name them, each mentioning a person (mentioned.user) or the channel the message is posted in
 * (mentioned.conversation, conversationIdentityType "channel"). Every tag names one mention
 * and every mention one tag, ids are unique, mentionText is the tag's text byte for byte, at
 * most SB_MENTIONS_MAX mentions, and a person mentioned must be able to read the channel
 * (sb_can as that person, SB_ACT_CHANNEL_READ): a mention never tells someone who may not see
 * it. The display names rendered are the server's (the user's and the channel's), not the
 * client's.
 */
#include "teams/teams.h"

#include "auth/perm.h"
#include "store/teams.h"
#include "store/users.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static sb_err bad(struct sb_diag *diag, const char *what)
{
    return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "mentions: %s", what);
}

/* At p (just past "<at"): ` id="N">` (or single quotes); sets *id and *text (after the '>'). */
static bool tag_open(const char *p, int64_t *id, const char **text)
{
    char quote;
    int64_t v = 0;
    int digits = 0;

    if (!isspace((unsigned char)*p))
        return false;
    while (isspace((unsigned char)*p))
        p++;
    if (strncasecmp(p, "id=", 3) != 0)
        return false;
    p += 3;
    quote = *p;
    if (quote != '"' && quote != '\'')
        return false;
    for (p++; isdigit((unsigned char)*p) && digits < 9; p++, digits++)
        v = v * 10 + (*p - '0');
    if (digits == 0 || *p != quote)
        return false;
    p++;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '>')
        return false;
    *id = v;
    *text = p + 1;
    return true;
}

static struct sb_mention *find(struct sb_mention *ms, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].id == id)
            return &ms[i];
    return NULL;
}

/* Matches the body's <at> tags with ms one to one; seen[i] marks ms[i]'s tag. */
static sb_err match_tags(const char *content, struct sb_mention *ms, size_t n, bool *seen,
                         struct sb_diag *diag)
{
    for (const char *p = content; (p = strchr(p, '<')) != NULL; p++) {
        const char *text, *end;
        struct sb_mention *m;
        int64_t id;

        if (strncasecmp(p, "<at", 3) != 0 || (p[3] != '>' && !isspace((unsigned char)p[3])))
            continue;
        if (!tag_open(p + 3, &id, &text))
            return bad(diag, "every <at> tag of the body needs id=\"N\" naming a mention");
        m = find(ms, n, id);
        if (!m)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "mentions: the body's <at id=\"%lld\"> names no mention", (long long)id);
        if (seen[m - ms])
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "mentions: <at id=\"%lld\"> appears twice in the body", (long long)id);
        end = strcasestr(text, "</at>");
        if (!end)
            return bad(diag, "an <at> tag of the body is not closed by </at>");
        if ((size_t)(end - text) != strlen(m->text) || strncmp(text, m->text, strlen(m->text)) != 0)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "mentions: mention %lld's mentionText is not the text of its <at> tag",
                           (long long)id);
        seen[m - ms] = true;
        p = end;
    }
    for (size_t i = 0; i < n; i++)
        if (!seen[i])
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "mentions: mention %lld has no <at id=\"%lld\"> in the body",
                           (long long)ms[i].id, (long long)ms[i].id);
    return SB_OK;
}

sb_err teams_user_reads_channel(struct sb_ctx *ctx, const struct sb_user *u, const char *team_id,
                                const char *channel_id, bool *reads)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    struct sb_principal them = {0};
    struct sb_diag scratch;
    sb_err err;

    memcpy(them.user_id, u->id, sizeof(them.user_id));
    memcpy(them.display_name, u->display_name, sizeof(them.display_name));
    memcpy(them.upn, u->upn, sizeof(them.upn));
    them.is_admin = u->is_admin;
    err = sb_can(ctx, &them, SB_ACT_CHANNEL_READ, &res, &scratch);
    *reads = err == SB_OK;
    return err == SB_ERR_FORBIDDEN || err == SB_ERR_NOT_FOUND ? SB_OK : err;
}

/* Checks who m mentions and sets its display name from the store. */
static sb_err resolve(struct sb_ctx *ctx, const char *team_id, const char *channel_id,
                      struct sb_mention *m, struct sb_diag *diag)
{
    struct sb_channel ch;
    struct sb_user u;
    bool reads = false;
    sb_err err;

    if (m->channel) {
        if (strcmp(m->target, channel_id) != 0)
            return bad(diag, "mentioned.conversation must be the channel the message is posted in");
        err = store_channel_get(ctx->store, channel_id, &ch);
        if (!err)
            memcpy(m->name, ch.display_name, sizeof(m->name));
        return err;
    }
    err = store_user_get(ctx->store, m->target, &u);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "mentions: user '%s' cannot read this channel", m->target);
    if (err)
        return err;
    err = teams_user_reads_channel(ctx, &u, team_id, channel_id, &reads);
    if (!err && !reads)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "mentions: user '%s' cannot read this channel", m->target);
    if (!err)
        memcpy(m->name, u.display_name, sizeof(m->name));
    return err;
}

sb_err teams_mentions_check(struct sb_ctx *ctx, const char *team_id, const char *channel_id,
                            const char *content_type, const char *content, struct sb_mention *ms,
                            size_t n, struct sb_diag *diag)
{
    bool *seen = NULL;
    sb_err err = SB_OK;

    if (n > SB_MENTIONS_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "mentions: at most %d mentions in one message", SB_MENTIONS_MAX);
    if (strcmp(content_type, "html") != 0)
        return n == 0 ? SB_OK : bad(diag, "mentions need body.contentType \"html\"");
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (ms[i].id == ms[j].id)
                return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                               "mentions: id %lld is given twice", (long long)ms[i].id);
    seen = calloc(n + 1, sizeof(*seen));
    if (!seen)
        return SB_ERR_NOMEM;
    err = match_tags(content, ms, n, seen, diag);
    for (size_t i = 0; !err && i < n; i++)
        err = resolve(ctx, team_id, channel_id, &ms[i], diag);
    free(seen);
    return err;
}

static int by_id(const void *a, const void *b)
{
    const struct sb_mention *x = a, *y = b;

    return (x->id > y->id) - (x->id < y->id);
}

sb_err teams_mentions_attach(struct sb_message *m, const struct sb_mention *ms, size_t n)
{
    if (n == 0)
        return SB_OK;
    m->mentions = calloc(n, sizeof(*m->mentions));
    if (!m->mentions)
        return SB_ERR_NOMEM;
    memcpy(m->mentions, ms, n * sizeof(*ms));
    m->n_mentions = n;
    /* In id order, as reads give them back (the store's ORDER BY mention_id). */
    qsort(m->mentions, n, sizeof(*m->mentions), by_id);
    return SB_OK;
}
