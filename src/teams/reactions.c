/*
 * reactions.c: people's reactions to messages. Graph's reactionType is one of Teams' names
 * (like, heart, laugh, surprised, sad, angry) or a unicode emoji; one reaction per person per
 * message (another type replaces it). Whoever may post in the channel may react (guests
 * included, as in Teams). A change reaches every process's subscribers as "messageUpdated"
 * through the store's "u" notification (remote.c).
 */
#include "teams/teams.h"

#include "auth/perm.h"
#include "core/ids.h"
#include "core/utf8.h"
#include "store/messages.h"

#include <stdint.h>
#include <string.h>

#define EMOJI_MAX_CODEPOINTS 16 /* a kiss with two skin tones is 10 */

static const char *const names[] = {"like", "heart", "laugh", "surprised", "sad", "angry"};

/* Decodes the code point at *p (valid UTF-8, checked before) and moves *p past it. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

    if (len == 2)
        c &= 0x1F;
    else if (len == 3)
        c &= 0x0F;
    else if (len == 4)
        c &= 0x07;
    for (int i = 1; i < len; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p = s + len;
    return c;
}

/* Skin tones modify the emoji before them; alone they are no reaction. */
static bool skin_tone(uint32_t c)
{
    return c >= 0x1F3FB && c <= 0x1F3FF;
}

/* Pictographs that begin an emoji (Unicode's Extended_Pictographic, in ranges wide enough to
 * take new emoji of those blocks without a table update). */
static bool pictograph(uint32_t c)
{
    return c == 0xA9 || c == 0xAE || c == 0x203C || c == 0x2049 || c == 0x2122 || c == 0x2139 ||
           (c >= 0x2194 && c <= 0x21AA) || (c >= 0x231A && c <= 0x23FF) || c == 0x24C2 ||
           (c >= 0x25AA && c <= 0x27BF) || (c >= 0x2934 && c <= 0x2935) ||
           (c >= 0x2B05 && c <= 0x2B55) || c == 0x3030 || c == 0x303D || c == 0x3297 ||
           c == 0x3299 || (c >= 0x1F000 && c <= 0x1F1E5) ||
           ((c >= 0x1F200 && c <= 0x1FAFF) && !skin_tone(c));
}

static bool regional(uint32_t c)
{
    return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/* What may follow an emoji's base within one emoji: variation selectors, the keycap mark, skin
 * tones, tags (subdivision flags). */
static bool modifier(uint32_t c)
{
    return c == 0xFE0E || c == 0xFE0F || c == 0x20E3 || skin_tone(c) ||
           (c >= 0xE0020 && c <= 0xE007F);
}

/* One emoji sequence: a base (pictograph; a pair of regional indicators, a flag; a keycap's
 * digit, '#' or '*' followed by U+20E3) with its modifiers, then more such after each ZWJ. */
static bool one_emoji(const char *type)
{
    const unsigned char *p = (const unsigned char *)type;
    bool want_base = true, keycap_open = false;
    int count = 0;

    while (*p) {
        uint32_t c = next_cp(&p);

        if (++count > EMOJI_MAX_CODEPOINTS)
            return false;
        if (want_base) {
            if (regional(c)) {
                if (!*p || !regional(next_cp(&p)))
                    return false;
                count++;
            } else if ((c >= '0' && c <= '9') || c == '#' || c == '*') {
                keycap_open = true;
            } else if (!pictograph(c)) {
                return false;
            }
            want_base = false;
        } else if (c == 0x200D) {
            if (keycap_open)
                return false;
            want_base = true;
        } else if (modifier(c)) {
            if (c == 0x20E3)
                keycap_open = false;
        } else {
            return false;
        }
    }
    return !want_base && !keycap_open;
}

bool teams_reaction_type_valid(const char *type)
{
    size_t len = strlen(type);

    if (len == 0 || len > SB_REACTION_MAX)
        return false;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(type, names[i]) == 0)
            return true;
    return sb_utf8_valid(type, len) && one_emoji(type);
}

sb_err teams_reaction_set(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, const char *parent_id, const char *id,
                          const char *type, bool set, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    struct store_message_ref m;
    sb_time now;
    sb_err err = sb_can(ctx, who, SB_ACT_MESSAGE_POST, &res, diag);

    if (err)
        return err;
    err = store_message_ref(ctx->store, id, &m);
    if (err == SB_ERR_NOT_FOUND || (!err && strcmp(m.channel_id, channel_id) != 0) ||
        (!err && parent_id && strcmp(m.reply_to, parent_id) != 0))
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "message '%s' not found", id);
    if (err)
        return err;
    if (!teams_reaction_type_valid(type))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "reactionType must be one of like, heart, laugh, surprised, sad, angry or "
                       "a single unicode emoji");
    if (m.deleted[0])
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "message '%s' was deleted", id);
    sb_time_now(ctx, now);
    return store_reaction_put(ctx->store, id, team_id, who->user_id, type, now, set);
}
