/*
 * outbound.c: the outboundAllowedHosts setting as a question (see org.h).
 */
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

sb_err org_outbound_allowed(struct sb_ctx *ctx, const char *host, int port, bool *allowed)
{
    char bare[300], with_port[320];
    char *text = NULL;
    json_t *list = NULL, *v;
    size_t i, len = strlen(host);
    sb_err err;

    *allowed = false;
    if (len >= sizeof(bare) - 2)
        return SB_OK;
    /* Entries spell IPv6 literals in brackets. */
    if (strchr(host, ':') && host[0] != '[')
        snprintf(bare, sizeof(bare), "[%s]", host);
    else
        snprintf(bare, sizeof(bare), "%s", host);
    snprintf(with_port, sizeof(with_port), "%s:%d", bare, port);
    err = store_setting_get(ctx->store, "outboundAllowedHosts", &text);
    if (err == SB_ERR_NOT_FOUND)
        return SB_OK;
    if (err)
        return err;
    list = json_loads(text, 0, NULL);
    json_array_foreach(list, i, v)
    {
        const char *e = json_string_value(v);
        if (e && (strcasecmp(e, with_port) == 0 || strcasecmp(e, bare) == 0)) {
            *allowed = true;
            break;
        }
    }
    json_decref(list);
    free(text);
    return SB_OK;
}
