#include "org/org.h"

#include "core/ids.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

enum setting_type { SETTING_ENUM, SETTING_TIME };

struct setting {
    const char *name;
    enum setting_type type;
    const char *def;        /* default as JSON text of the value, NULL = null */
    const char *choices[4]; /* SETTING_ENUM */
};

static const struct setting settings[] = {
    {"webhookUrlFormat", SETTING_ENUM, "v2", {"v2", "legacy", NULL}},
    {"legacyWebhookUrlCutoff", SETTING_TIME, NULL, {NULL}},
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static const struct setting *find(const char *name)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (strcmp(settings[i].name, name) == 0)
            return &settings[i];
    return NULL;
}

/* The effective value (heap string, or NULL for an unset setting without a default). */
static sb_err effective(struct sb_ctx *ctx, const struct setting *s, char **out, bool *explicit_)
{
    sb_err err = store_setting_get(ctx->store, s->name, out);

    *explicit_ = err == SB_OK;
    if (err != SB_ERR_NOT_FOUND)
        return err;
    *out = s->def ? strdup(s->def) : NULL;
    return s->def && !*out ? SB_ERR_NOMEM : SB_OK;
}

sb_err org_settings_get(struct sb_ctx *ctx, struct org_settings *out)
{
    char *format = NULL, *cutoff = NULL;
    bool ex;
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = effective(ctx, find("webhookUrlFormat"), &format, &ex);
    if (!err)
        err = effective(ctx, find("legacyWebhookUrlCutoff"), &cutoff, &ex);
    if (!err) {
        out->webhook_url_legacy = format && strcmp(format, "legacy") == 0;
        if (cutoff && sb_time_parse(cutoff, &out->legacy_cutoff_ms) != SB_OK)
            out->legacy_cutoff_ms = 0;
    }
    free(format);
    free(cutoff);
    return err;
}

sb_err org_settings_render(struct sb_ctx *ctx, json_t **out)
{
    json_t *o = json_object(), *explicit_list = json_array();
    sb_err err = o && explicit_list ? SB_OK : SB_ERR_NOMEM;

    for (size_t i = 0; i < NSETTINGS && !err; i++) {
        char *v = NULL;
        bool ex = false;

        err = effective(ctx, &settings[i], &v, &ex);
        if (err)
            break;
        json_object_set_new(o, settings[i].name, v ? json_string(v) : json_null());
        if (ex)
            json_array_append_new(explicit_list, json_string(settings[i].name));
        free(v);
    }
    if (!err) {
        json_object_set_new(o, "tenantId", json_string(ctx->tenant_id));
        json_object_set(o, "explicitSettings", explicit_list);
        *out = o;
        o = NULL;
    }
    json_decref(explicit_list);
    json_decref(o);
    return err;
}

static sb_err check(const struct setting *s, json_t *v, struct sb_diag *diag)
{
    int64_t ms;

    if (json_is_null(v))
        return SB_OK;
    if (!json_is_string(v))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be a string or null",
                       s->name);
    if (s->type == SETTING_TIME) {
        if (sb_time_parse(json_string_value(v), &ms) != SB_OK)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "%s must be an RFC 3339 time such as 2026-01-31T00:00:00Z", s->name);
        return SB_OK;
    }
    for (int i = 0; s->choices[i]; i++)
        if (strcmp(s->choices[i], json_string_value(v)) == 0)
            return SB_OK;
    return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be one of: %s%s%s", s->name,
                   s->choices[0], s->choices[1] ? ", " : "", s->choices[1] ? s->choices[1] : "");
}

sb_err org_settings_patch(struct sb_ctx *ctx, json_t *patch, struct sb_diag *diag)
{
    const char *key;
    json_t *v;
    sb_err err;

    json_object_foreach(patch, key, v)
    {
        const struct setting *s = find(key);
        if (strcmp(key, "tenantId") == 0 || strcmp(key, "explicitSettings") == 0)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s is read-only", key);
        if (!s)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "unknown setting '%s'", key);
        err = check(s, v, diag);
        if (err)
            return err;
    }
    json_object_foreach(patch, key, v)
    {
        err = store_setting_set(ctx->store, key, json_is_null(v) ? NULL : json_string_value(v));
        if (err)
            return err;
    }
    return SB_OK;
}
