/*
 * admin.h: the organisation's settings, the group-level connector switch and the audit log as
 * global administrators use them through the API. Each function asks sb_can(SB_ACT_ADMIN) first
 * (403 for everyone else: administrators' pages exist for every signed-in person), then calls
 * org/, which holds the policy and the audited writes and knows no principal. The command line
 * (`switchboard admin`, run by the machine's operator) calls org/ directly.
 */
#ifndef SB_ADMIN_H
#define SB_ADMIN_H

#include "auth/auth.h"
#include "core/sb.h"
#include "model/admin.h"
#include "model/audit.h"

#include <jansson.h>
#include <stdint.h>

/* The organisation resource (org_settings_render). */
sb_err admin_org_get(struct sb_ctx *ctx, const struct sb_principal *who, json_t **out,
                     struct sb_diag *diag);
/* Applies a PATCH body (org_settings_patch, audited as who) and renders the result. */
sb_err admin_org_patch(struct sb_ctx *ctx, const struct sb_principal *who, json_t *patch,
                       json_t **out, struct sb_diag *diag);
/* The group-level switch of team_id: -1 not set, 0 off, 1 on (org_team_switch). */
sb_err admin_team_switch(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         int enabled, struct sb_diag *diag);
/* A page of the audit log, newest first, below seq before (0: from the newest), matching filter
 * (may be NULL); release with org_audit_free_array. */
sb_err admin_audit_page(struct sb_ctx *ctx, const struct sb_principal *who, int64_t before,
                        const struct sb_audit_filter *filter, size_t limit, struct sb_audit **out,
                        size_t *n, struct sb_diag *diag);
/* Every team of the organisation with its counts (at most ADMIN_TEAMS_MAX) and the owners of
 * every team (by team id); free(*out) and free(*owners). */
#define ADMIN_TEAMS_MAX 1000
sb_err admin_teams(struct sb_ctx *ctx, const struct sb_principal *who,
                   struct sb_team_overview **out, size_t *n, struct sb_team_owner **owners,
                   size_t *nowners, struct sb_diag *diag);
/* What the organisation switches would reach now, for the confirmations of the admin page. */
sb_err admin_impact(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_impact *out,
                    struct sb_diag *diag);

#endif
