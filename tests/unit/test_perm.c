/*
 * test_perm.c: the authorization matrix of sb_can (src/auth/perm), on a real temporary SQLite
 * store populated through the services (auth_user_create, teams_create, teams_member_add).
 *
 * People: a global administrator (in no team), the team's owner, a member, a guest, and an
 * outsider (a member of another team only). Resources: the team, its General channel, a channel
 * of another team named with the first team's id (a channel must belong to its team), and an
 * unknown team. Every action is asked of every person (and of no one) on every resource, and
 * the answer is compared with the table below, written out from the rules in perm.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "auth/perm.h"
#include "core/config.h"
#include "core/metrics.h"
#include "store/store.h"
#include "store/teams.h"
#include "store/settings.h"
#include "teams/teams.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNKNOWN_TEAM "00000000-dead-4bee-8f00-000000000000"
#define UNKNOWN_ID "00000000-dead-4bee-8f00-000000000001"

enum { P_NONE, P_ADMIN, P_OWNER, P_MEMBER, P_GUEST, P_OUTSIDER, NPRINCIPALS };
enum { R_TEAM, R_GENERAL, R_FOREIGN, R_UNKNOWN, NRESOURCES };

static const char *const principal_names[NPRINCIPALS] = {"(none)", "admin", "owner",
                                                         "member", "guest", "outsider"};
static const char *const resource_names[NRESOURCES] = {"team", "General channel",
                                                       "other team's channel", "unknown team"};

/* ---- fixture: one store and one population for the whole group ---- */

struct fx {
    char dir[64];
    char url[128];
    struct sb_config cfg;
    struct sb_metrics metrics;
    struct sb_ctx ctx;
    struct sb_principal who[NPRINCIPALS];
    struct sb_team team, other;
    struct sb_channel general, foreign, second; /* second: another channel of team */
    struct sb_member m_member, m_guest, m_outsider_other;
    sb_id m_owner; /* the owner's membership in team */
    struct sb_resource res[NRESOURCES];
};

static void remove_dir(const char *dir)
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

static sb_err make_user(struct fx *f, int p, const char *upn, bool is_admin)
{
    struct auth_new_user in = {upn, upn, NULL, is_admin};
    struct sb_user u;
    struct sb_diag diag;
    sb_err err = auth_user_create(&f->ctx, &in, &u, &diag);

    if (err) {
        fprintf(stderr, "auth_user_create(%s): %s: %s\n", upn, diag.code, diag.message);
        return err;
    }
    memset(&f->who[p], 0, sizeof(f->who[p]));
    memcpy(f->who[p].user_id, u.id, sizeof(sb_id));
    snprintf(f->who[p].upn, sizeof(f->who[p].upn), "%s", u.upn);
    snprintf(f->who[p].display_name, sizeof(f->who[p].display_name), "%s", u.display_name);
    f->who[p].is_admin = u.is_admin;
    return SB_OK;
}

/* Finds the owner's membership id in team. */
static sb_err find_membership(struct fx *f, const char *team_id, const char *user_id, sb_id out)
{
    struct sb_member *ms = NULL;
    size_t n = 0;
    sb_err err = store_member_list(f->ctx.store, team_id, &ms, &n);

    if (err)
        return err;
    err = SB_ERR_NOT_FOUND;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ms[i].user_id, user_id) == 0) {
            memcpy(out, ms[i].id, sizeof(sb_id));
            err = SB_OK;
        }
    }
    free(ms);
    return err;
}

static sb_err find_general(struct fx *f, const char *team_id, struct sb_channel *out)
{
    struct sb_channel *cs = NULL;
    size_t n = 0;
    sb_err err = store_channel_list(f->ctx.store, team_id, &cs, &n);

    if (err)
        return err;
    err = SB_ERR_NOT_FOUND;
    for (size_t i = 0; i < n; i++) {
        if (cs[i].is_general) {
            *out = cs[i];
            err = SB_OK;
        }
    }
    free(cs);
    return err;
}

static int populate(struct fx *f)
{
    struct sb_diag diag;
    struct sb_channel other_general;

#define TRY(x)                                                                                     \
    do {                                                                                           \
        sb_err e_ = (x);                                                                           \
        if (e_) {                                                                                  \
            fprintf(stderr, "%s: %s (%s: %s)\n", #x, sb_err_name(e_), diag.code, diag.message);    \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

    memset(&diag, 0, sizeof(diag));
    TRY(make_user(f, P_ADMIN, "admin@example.com", true));
    TRY(make_user(f, P_OWNER, "owner@example.com", false));
    TRY(make_user(f, P_MEMBER, "member@example.com", false));
    TRY(make_user(f, P_GUEST, "guest@example.com", false));
    TRY(make_user(f, P_OUTSIDER, "outsider@example.com", false));

    TRY(teams_create(&f->ctx, &f->who[P_OWNER], "Team", "the team", &f->team, &diag));
    TRY(teams_member_add(&f->ctx, &f->who[P_OWNER], f->team.id, f->who[P_MEMBER].user_id,
                         SB_ROLE_MEMBER, &f->m_member, &diag));
    TRY(teams_member_add(&f->ctx, &f->who[P_OWNER], f->team.id, f->who[P_GUEST].user_id,
                         SB_ROLE_GUEST, &f->m_guest, &diag));
    TRY(find_general(f, f->team.id, &f->general));
    TRY(find_membership(f, f->team.id, f->who[P_OWNER].user_id, f->m_owner));
    TRY(teams_channel_create(&f->ctx, &f->who[P_OWNER], f->team.id, "Second", NULL, &f->second,
                             &diag));

    /* another team, of the same owner, with the outsider as a member */
    TRY(teams_create(&f->ctx, &f->who[P_OWNER], "Other", NULL, &f->other, &diag));
    TRY(teams_member_add(&f->ctx, &f->who[P_OWNER], f->other.id, f->who[P_OUTSIDER].user_id,
                         SB_ROLE_MEMBER, &f->m_outsider_other, &diag));
    TRY(teams_channel_create(&f->ctx, &f->who[P_OWNER], f->other.id, "Elsewhere", NULL, &f->foreign,
                             &diag));
    TRY(find_general(f, f->other.id, &other_general));
#undef TRY

    f->res[R_TEAM] = (struct sb_resource){f->team.id, NULL, NULL};
    f->res[R_GENERAL] = (struct sb_resource){f->team.id, f->general.id, NULL};
    f->res[R_FOREIGN] = (struct sb_resource){f->team.id, f->foreign.id, NULL};
    f->res[R_UNKNOWN] = (struct sb_resource){UNKNOWN_TEAM, NULL, NULL};
    return 0;
}

static int group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct store_opts opts;
    struct sb_diag diag;

    if (!f)
        return -1;
    memset(&diag, 0, sizeof(diag));
    snprintf(f->dir, sizeof(f->dir), "/tmp/sb-test-perm-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->dir);
    opts.url = f->url;
    opts.readers = 2;
    if (sb_config_parse(&f->cfg, 0, NULL, &diag) != SB_OK ||
        store_open(&opts, &f->ctx.store, &diag) != SB_OK) {
        fprintf(stderr, "setup: %s: %s\n", diag.code, diag.message);
        remove_dir(f->dir);
        free(f);
        return -1;
    }
    f->ctx.cfg = &f->cfg;
    f->ctx.metrics = &f->metrics;
    f->ctx.clock = sb_clock_system();
    *state = f;
    return populate(f);
}

static int group_teardown(void **state)
{
    struct fx *f = *state;

    if (!f)
        return 0;
    store_close(f->ctx.store);
    remove_dir(f->dir);
    free(f);
    return 0;
}

static const struct sb_principal *principal(struct fx *f, int p)
{
    return p == P_NONE ? NULL : &f->who[p];
}

/* ---- the matrix ---- */

#define OK SB_OK
#define UN SB_ERR_UNAUTHORIZED
#define FB SB_ERR_FORBIDDEN
#define NF SB_ERR_NOT_FOUND

struct row {
    enum sb_action action;
    int resource;
    /* in the order: (none), admin, owner, member, guest, outsider */
    sb_err want[NPRINCIPALS];
};

/* Default team settings: allowCreateUpdateRemoveConnectors is true. No member_id is named, so
 * SB_ACT_MEMBER_REMOVE here means removing someone else (only owners and administrators). */
static const struct row matrix[] = {
    /* directory and installation-wide actions: the resource does not matter */
    /* the caller's own view: any signed-in user, whatever the resource */
    {SB_ACT_SIGNED_IN, R_TEAM, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_SIGNED_IN, R_GENERAL, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_SIGNED_IN, R_FOREIGN, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_SIGNED_IN, R_UNKNOWN, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_USER_READ, R_TEAM, {UN, OK, OK, OK, FB, OK}},
    {SB_ACT_USER_READ, R_GENERAL, {UN, OK, OK, OK, FB, OK}},
    {SB_ACT_USER_READ, R_FOREIGN, {UN, OK, OK, OK, FB, OK}},
    {SB_ACT_USER_READ, R_UNKNOWN, {UN, OK, OK, OK, FB, OK}},
    {SB_ACT_USER_CREATE, R_TEAM, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_CREATE, R_GENERAL, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_CREATE, R_FOREIGN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_CREATE, R_UNKNOWN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_MANAGE, R_TEAM, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_MANAGE, R_GENERAL, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_MANAGE, R_FOREIGN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_USER_MANAGE, R_UNKNOWN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_TEAM_CREATE, R_TEAM, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TEAM_CREATE, R_GENERAL, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TEAM_CREATE, R_FOREIGN, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TEAM_CREATE, R_UNKNOWN, {UN, OK, OK, OK, OK, OK}},
    /* registering connectors: administrators (developersMayRegisterConnectors is off) */
    {SB_ACT_CONNECTOR_REGISTER, R_TEAM, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_CONNECTOR_REGISTER, R_GENERAL, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_CONNECTOR_REGISTER, R_FOREIGN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_CONNECTOR_REGISTER, R_UNKNOWN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_ADMIN, R_TEAM, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_ADMIN, R_GENERAL, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_ADMIN, R_FOREIGN, {UN, OK, FB, FB, FB, FB}},
    {SB_ACT_ADMIN, R_UNKNOWN, {UN, OK, FB, FB, FB, FB}},
    /* Graph connectors: external connections and items are applications' (people, even
     * administrators, are refused); every person may search */
    {SB_ACT_EXTERNAL_CONNECTION, R_TEAM, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_CONNECTION, R_GENERAL, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_CONNECTION, R_FOREIGN, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_CONNECTION, R_UNKNOWN, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_ITEM, R_TEAM, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_ITEM, R_GENERAL, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_ITEM, R_FOREIGN, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_EXTERNAL_ITEM, R_UNKNOWN, {UN, FB, FB, FB, FB, FB}},
    {SB_ACT_SEARCH, R_TEAM, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_SEARCH, R_GENERAL, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_SEARCH, R_FOREIGN, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_SEARCH, R_UNKNOWN, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TENANT_READ, R_TEAM, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TENANT_READ, R_GENERAL, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TENANT_READ, R_FOREIGN, {UN, OK, OK, OK, OK, OK}},
    {SB_ACT_TENANT_READ, R_UNKNOWN, {UN, OK, OK, OK, OK, OK}},

    /* reading: everyone in the team */
    {SB_ACT_TEAM_READ, R_TEAM, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_TEAM_READ, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_TEAM_READ, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_TEAM_READ, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_CHANNEL_READ, R_TEAM, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_CHANNEL_READ, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_CHANNEL_READ, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_CHANNEL_READ, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* posting: everyone in the team, guests included */
    {SB_ACT_MESSAGE_POST, R_TEAM, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_MESSAGE_POST, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_MESSAGE_POST, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MESSAGE_POST, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* card actions: everyone in the team, while policy has them on (the default) */
    {SB_ACT_MESSAGE_ACTION, R_TEAM, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_MESSAGE_ACTION, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
    {SB_ACT_MESSAGE_ACTION, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MESSAGE_ACTION, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* channels: members and owners */
    {SB_ACT_CHANNEL_CREATE, R_TEAM, {UN, OK, OK, OK, FB, NF}},
    {SB_ACT_CHANNEL_CREATE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
    {SB_ACT_CHANNEL_CREATE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_CHANNEL_CREATE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* settings and memberships: owners */
    {SB_ACT_TEAM_UPDATE, R_TEAM, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_TEAM_UPDATE, R_GENERAL, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_TEAM_UPDATE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_TEAM_UPDATE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MEMBER_ADD, R_TEAM, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_MEMBER_ADD, R_GENERAL, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_MEMBER_ADD, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MEMBER_ADD, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},
    /* the team is private: nobody joins it by themselves (admins and owners add people) */
    {SB_ACT_TEAM_JOIN, R_TEAM, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_TEAM_JOIN, R_GENERAL, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_TEAM_JOIN, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_TEAM_JOIN, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MEMBER_UPDATE, R_TEAM, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_MEMBER_UPDATE, R_GENERAL, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_MEMBER_UPDATE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MEMBER_UPDATE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MEMBER_REMOVE, R_TEAM, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_MEMBER_REMOVE, R_GENERAL, {UN, OK, OK, FB, FB, NF}},
    {SB_ACT_MEMBER_REMOVE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_MEMBER_REMOVE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* connectors: owners, and members while the team allows it (it does by default) */
    {SB_ACT_CONNECTOR_MANAGE, R_TEAM, {UN, OK, OK, OK, FB, NF}},
    {SB_ACT_CONNECTOR_MANAGE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
    {SB_ACT_CONNECTOR_MANAGE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_CONNECTOR_MANAGE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* new configurations: as managing, while policy has connectors on (the default) */
    {SB_ACT_CONNECTOR_CREATE, R_TEAM, {UN, OK, OK, OK, FB, NF}},
    {SB_ACT_CONNECTOR_CREATE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
    {SB_ACT_CONNECTOR_CREATE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
    {SB_ACT_CONNECTOR_CREATE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},

    /* webhook posts: no principal needed (any given is ignored); the channel must exist in
     * the team */
    {SB_ACT_WEBHOOK_POST, R_TEAM, {OK, OK, OK, OK, OK, OK}},
    {SB_ACT_WEBHOOK_POST, R_GENERAL, {OK, OK, OK, OK, OK, OK}},
    {SB_ACT_WEBHOOK_POST, R_FOREIGN, {NF, NF, NF, NF, NF, NF}},
    {SB_ACT_WEBHOOK_POST, R_UNKNOWN, {NF, NF, NF, NF, NF, NF}},
};

static const char *action_name(enum sb_action a)
{
    switch (a) {
    case SB_ACT_SIGNED_IN:
        return "SIGNED_IN";
    case SB_ACT_USER_READ:
        return "USER_READ";
    case SB_ACT_USER_CREATE:
        return "USER_CREATE";
    case SB_ACT_USER_MANAGE:
        return "USER_MANAGE";
    case SB_ACT_TEAM_CREATE:
        return "TEAM_CREATE";
    case SB_ACT_TEAM_READ:
        return "TEAM_READ";
    case SB_ACT_TEAM_UPDATE:
        return "TEAM_UPDATE";
    case SB_ACT_CHANNEL_CREATE:
        return "CHANNEL_CREATE";
    case SB_ACT_CHANNEL_READ:
        return "CHANNEL_READ";
    case SB_ACT_MEMBER_ADD:
        return "MEMBER_ADD";
    case SB_ACT_MEMBER_REMOVE:
        return "MEMBER_REMOVE";
    case SB_ACT_MESSAGE_POST:
        return "MESSAGE_POST";
    case SB_ACT_CONNECTOR_CREATE:
        return "CONNECTOR_CREATE";
    case SB_ACT_CONNECTOR_MANAGE:
        return "CONNECTOR_MANAGE";
    case SB_ACT_WEBHOOK_POST:
        return "WEBHOOK_POST";
    case SB_ACT_CONNECTOR_REGISTER:
        return "CONNECTOR_REGISTER";
    case SB_ACT_MESSAGE_ACTION:
        return "MESSAGE_ACTION";
    case SB_ACT_ADMIN:
        return "ADMIN";
    case SB_ACT_EXTERNAL_CONNECTION:
        return "EXTERNAL_CONNECTION";
    case SB_ACT_EXTERNAL_ITEM:
        return "EXTERNAL_ITEM";
    case SB_ACT_SEARCH:
        return "SEARCH";
    case SB_ACT_TENANT_READ:
        return "TENANT_READ";
    case SB_ACT_MESSAGE_EDIT:
        return "MESSAGE_EDIT";
    case SB_ACT_MESSAGE_DELETE:
        return "MESSAGE_DELETE";
    case SB_ACT_TEAM_JOIN:
        return "TEAM_JOIN";
    case SB_ACT_MEMBER_UPDATE:
        return "MEMBER_UPDATE";
    case SB_ACT_COUNT:
        break;
    }
    return "?";
}

/* Checks the diag that goes with an answer: the code, and for "not found" the id it names. */
static int check_diag(struct fx *f, sb_err got, const struct sb_resource *res,
                      const struct sb_diag *diag)
{
    char want[160];

    (void)f;
    switch (got) {
    case SB_OK:
        return 1;
    case SB_ERR_UNAUTHORIZED:
        return strcmp(diag->code, "InvalidAuthenticationToken") == 0;
    case SB_ERR_FORBIDDEN:
        /* policy refusals say which switch; the others are plain "Forbidden" */
        return (strcmp(diag->code, "Forbidden") == 0 ||
                strcmp(diag->code, "ConnectorsDisabled") == 0 ||
                strcmp(diag->code, "ActionableMessagesDisabled") == 0) &&
               diag->message[0] != '\0';
    case SB_ERR_NOT_FOUND:
        /* the same words whether the thing is absent or merely invisible */
        if (res->channel_id)
            snprintf(want, sizeof(want), "channel '%s' not found", res->channel_id);
        else
            snprintf(want, sizeof(want), "team '%s' not found", res->team_id);
        return strcmp(diag->code, "NotFound") == 0 && strcmp(diag->message, want) == 0;
    default:
        return 0;
    }
}

/* Runs rows, returning the number of mismatches (each printed). */
static int run_rows(struct fx *f, const struct row *rows, size_t nrows)
{
    int bad = 0;

    for (size_t i = 0; i < nrows; i++) {
        for (int p = 0; p < NPRINCIPALS; p++) {
            struct sb_diag diag;
            const struct sb_resource *res = &f->res[rows[i].resource];
            sb_err got;

            memset(&diag, 0, sizeof(diag));
            got = sb_can(&f->ctx, principal(f, p), rows[i].action, res, &diag);
            if (got != rows[i].want[p]) {
                print_error("%s by %s on %s: got %s, want %s (%s)\n", action_name(rows[i].action),
                            principal_names[p], resource_names[rows[i].resource], sb_err_name(got),
                            sb_err_name(rows[i].want[p]), diag.message);
                bad++;
            } else if (!check_diag(f, got, res, &diag)) {
                print_error("%s by %s on %s: diag %s: %s\n", action_name(rows[i].action),
                            principal_names[p], resource_names[rows[i].resource], diag.code,
                            diag.message);
                bad++;
            }
        }
    }
    return bad;
}

static void test_matrix(void **state)
{
    struct fx *f = *state;
    bool covered[SB_ACT_COUNT][NRESOURCES];

    /* the table names every action on every resource (but those of one message, which
     * test_threads.c asks with a message named) */
    memset(covered, 0, sizeof(covered));
    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        assert_true(matrix[i].action < SB_ACT_COUNT);
        covered[matrix[i].action][matrix[i].resource] = true;
    }
    for (int a = 0; a < SB_ACT_COUNT; a++)
        for (int r = 0; r < NRESOURCES; r++)
            if (a != SB_ACT_MESSAGE_EDIT && a != SB_ACT_MESSAGE_DELETE)
                assert_true(covered[a][r]);
    assert_int_equal(run_rows(f, matrix, sizeof(matrix) / sizeof(matrix[0])), 0);
}

/* An application token acts on external connections and items only, as far as its roles go. */
static void test_applications(void **state)
{
    struct fx *f = *state;
    struct sb_principal app = {.is_app = true,
                               .roles = AUTH_ROLE_EXTERNAL_CONNECTION | AUTH_ROLE_EXTERNAL_ITEM};
    struct sb_principal bare = {.is_app = true};
    const struct sb_resource *team = &f->res[R_TEAM];
    struct sb_diag diag;

    snprintf(app.user_id, sizeof(app.user_id), "%s", "0bf30f3b-4a52-48df-9a82-234910c4a086");
    assert_int_equal(sb_can(&f->ctx, &app, SB_ACT_EXTERNAL_CONNECTION, NULL, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &app, SB_ACT_EXTERNAL_ITEM, NULL, NULL), OK);
    app.roles = AUTH_ROLE_EXTERNAL_CONNECTION;
    assert_int_equal(sb_can(&f->ctx, &app, SB_ACT_EXTERNAL_ITEM, NULL, &diag), FB);
    assert_non_null(strstr(diag.message, "ExternalItem.ReadWrite.OwnedBy"));
    assert_int_equal(sb_can(&f->ctx, &bare, SB_ACT_EXTERNAL_CONNECTION, NULL, &diag), FB);
    assert_non_null(strstr(diag.message, "ExternalConnection.ReadWrite.OwnedBy"));
    assert_int_equal(sb_can(&f->ctx, &bare, SB_ACT_TENANT_READ, NULL, NULL), OK);
    for (int a = SB_ACT_SIGNED_IN; a <= SB_ACT_TENANT_READ; a++) {
        if (a == SB_ACT_EXTERNAL_CONNECTION || a == SB_ACT_EXTERNAL_ITEM ||
            a == SB_ACT_WEBHOOK_POST || a == SB_ACT_TENANT_READ)
            continue;
        assert_int_equal(sb_can(&f->ctx, &app, (enum sb_action)a, team, NULL), FB);
    }
}

static void test_diag_may_be_null(void **state)
{
    struct fx *f = *state;

    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_TEAM_READ, &f->res[R_TEAM], NULL), UN);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_READ, &f->res[R_TEAM], NULL),
                     NF);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_GUEST], SB_ACT_TEAM_UPDATE, &f->res[R_TEAM], NULL),
                     FB);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_MEMBER], SB_ACT_USER_CREATE, NULL, NULL), FB);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_TEAM_READ, &f->res[R_TEAM], NULL),
                     OK);
}

static void test_outsider_learns_nothing(void **state)
{
    struct fx *f = *state;
    struct sb_diag real, unknown;
    struct sb_resource unknown_res = {UNKNOWN_TEAM, NULL, NULL};
    struct sb_resource real_res = {f->team.id, NULL, NULL};

    /* the same answer and the same words (up to the id) for a real team and an unknown one */
    memset(&real, 0, sizeof(real));
    memset(&unknown, 0, sizeof(unknown));
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_UPDATE, &real_res, &real),
                     NF);
    assert_int_equal(
        sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_UPDATE, &unknown_res, &unknown), NF);
    assert_string_equal(real.code, unknown.code);
    assert_non_null(strstr(real.message, f->team.id));
    assert_non_null(strstr(unknown.message, UNKNOWN_TEAM));
    /* the outsider's own team is visible to them, of course */
    real_res.team_id = f->other.id;
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_READ, &real_res, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_MEMBER], SB_ACT_TEAM_READ, &real_res, NULL), NF);
}

static void test_channel_must_belong_to_team(void **state)
{
    struct fx *f = *state;
    struct sb_diag diag;
    struct sb_resource r;

    /* the team's other channel is fine */
    r = (struct sb_resource){f->team.id, f->second.id, NULL};
    assert_int_equal(sb_can(&f->ctx, &f->who[P_MEMBER], SB_ACT_CHANNEL_READ, &r, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &r, NULL), OK);

    /* the foreign channel exists and the owner owns both teams: still not found under team */
    r = (struct sb_resource){f->team.id, f->foreign.id, NULL};
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_CHANNEL_READ, &r, &diag), NF);
    assert_string_equal(diag.code, "NotFound");
    assert_non_null(strstr(diag.message, f->foreign.id));
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &r, &diag), NF);
    assert_string_equal(diag.code, "NotFound");

    /* under its own team it is found */
    r = (struct sb_resource){f->other.id, f->foreign.id, NULL};
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_CHANNEL_READ, &r, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_CHANNEL_READ, &r, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &r, NULL), OK);

    /* the team's General channel named under the other team */
    r = (struct sb_resource){f->other.id, f->general.id, NULL};
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_MESSAGE_POST, &r, NULL), NF);

    /* an unknown channel in a known team, and a malformed id */
    r = (struct sb_resource){f->team.id, UNKNOWN_ID, NULL};
    assert_int_equal(sb_can(&f->ctx, &f->who[P_ADMIN], SB_ACT_CHANNEL_READ, &r, NULL), NF);
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &r, NULL), NF);
    r = (struct sb_resource){f->team.id, "not-an-id' OR '1'='1", NULL};
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_CHANNEL_READ, &r, NULL), NF);
    r = (struct sb_resource){"not-an-id' OR '1'='1", NULL, NULL};
    assert_int_equal(sb_can(&f->ctx, &f->who[P_ADMIN], SB_ACT_TEAM_READ, &r, NULL), NF);
}

static void test_missing_resource(void **state)
{
    struct fx *f = *state;
    struct sb_resource no_team = {NULL, NULL, NULL};
    struct sb_diag diag;

    /* team-scoped actions without a team are "not found", never a crash */
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_TEAM_READ, NULL, &diag), NF);
    assert_string_equal(diag.code, "NotFound");
    assert_int_equal(sb_can(&f->ctx, &f->who[P_ADMIN], SB_ACT_TEAM_READ, NULL, &diag), NF);
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, NULL, &diag), NF);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_TEAM_READ, &no_team, &diag), NF);
    assert_string_equal(diag.code, "NotFound");
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &no_team, &diag), NF);
    /* installation-wide actions need none */
    /* the directory is closed to people who are in teams only as guests (issue 21) */
    assert_int_equal(sb_can(&f->ctx, &f->who[P_GUEST], SB_ACT_USER_READ, NULL, NULL), FB);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_USER_READ, NULL, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_GUEST], SB_ACT_TEAM_CREATE, NULL, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_ADMIN], SB_ACT_ADMIN, NULL, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OWNER], SB_ACT_ADMIN, NULL, NULL), FB);
}

static void test_connectors_setting(void **state)
{
    struct fx *f = *state;
    struct sb_diag diag;
    static const struct row off[] = {
        {SB_ACT_CONNECTOR_MANAGE, R_TEAM, {UN, OK, OK, FB, FB, NF}},
        {SB_ACT_CONNECTOR_MANAGE, R_GENERAL, {UN, OK, OK, FB, FB, NF}},
        {SB_ACT_CONNECTOR_MANAGE, R_FOREIGN, {UN, NF, NF, NF, NF, NF}},
        {SB_ACT_CONNECTOR_MANAGE, R_UNKNOWN, {UN, NF, NF, NF, NF, NF}},
        /* nothing else changes */
        {SB_ACT_CHANNEL_CREATE, R_TEAM, {UN, OK, OK, OK, FB, NF}},
        {SB_ACT_MESSAGE_POST, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
        {SB_ACT_WEBHOOK_POST, R_GENERAL, {OK, OK, OK, OK, OK, OK}},
    };
    static const struct row on[] = {
        {SB_ACT_CONNECTOR_MANAGE, R_TEAM, {UN, OK, OK, OK, FB, NF}},
        {SB_ACT_CONNECTOR_MANAGE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
    };

    memset(&diag, 0, sizeof(diag));
    assert_int_equal(teams_set_member_settings(&f->ctx, f->team.id, false, NULL, &diag), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    /* the message says why */
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(
        sb_can(&f->ctx, &f->who[P_MEMBER], SB_ACT_CONNECTOR_MANAGE, &f->res[R_GENERAL], &diag), FB);
    assert_non_null(strstr(diag.message, "connectors"));
    /* the other team keeps its own setting */
    {
        struct sb_resource r = {f->other.id, f->foreign.id, NULL};
        assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_CONNECTOR_MANAGE, &r, NULL),
                         OK);
    }
    assert_int_equal(teams_set_member_settings(&f->ctx, f->team.id, true, NULL, &diag), SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
}

static void test_member_remove(void **state)
{
    struct fx *f = *state;
    struct sb_diag diag;
    const char *team = f->team.id;
    struct {
        int who;
        const char *membership;
        sb_err want;
    } cases[] = {
        /* anyone may remove their own membership */
        {P_MEMBER, f->m_member.id, OK},
        {P_GUEST, f->m_guest.id, OK},
        {P_OWNER, f->m_owner, OK},
        /* but not someone else's */
        {P_MEMBER, f->m_guest.id, FB},
        {P_MEMBER, f->m_owner, FB},
        {P_GUEST, f->m_member.id, FB},
        {P_GUEST, f->m_owner, FB},
        /* owners and administrators remove anyone */
        {P_OWNER, f->m_member.id, OK},
        {P_OWNER, f->m_guest.id, OK},
        {P_ADMIN, f->m_member.id, OK},
        {P_ADMIN, f->m_owner, OK},
        /* the team is invisible to outsiders, whatever membership they name */
        {P_OUTSIDER, f->m_member.id, NF},
        {P_OUTSIDER, f->m_outsider_other.id, NF},
        {P_NONE, f->m_member.id, UN},
        /* an unknown membership, or one of another team (even one's own), is not found */
        {P_MEMBER, UNKNOWN_ID, NF},
        {P_GUEST, f->m_outsider_other.id, NF},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sb_resource r = {team, NULL, cases[i].membership};
        sb_err got;

        memset(&diag, 0, sizeof(diag));
        got = sb_can(&f->ctx, principal(f, cases[i].who), SB_ACT_MEMBER_REMOVE, &r, &diag);
        if (got != cases[i].want)
            print_error("case %zu: %s removing %s: got %s, want %s (%s)\n", i,
                        principal_names[cases[i].who], cases[i].membership, sb_err_name(got),
                        sb_err_name(cases[i].want), diag.message);
        assert_int_equal(got, cases[i].want);
        if (got == FB)
            assert_string_equal(diag.code, "Forbidden");
        if (got == NF)
            assert_string_equal(diag.code, "NotFound");
    }

    /* the outsider removing their own membership of their own team */
    {
        struct sb_resource r = {f->other.id, NULL, f->m_outsider_other.id};
        assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_MEMBER_REMOVE, &r, NULL), OK);
    }
}

static void test_role_changes_take_effect(void **state)
{
    struct fx *f = *state;
    struct sb_diag diag;
    struct sb_member m;
    struct sb_resource r = {f->team.id, NULL, NULL};

    /* the outsider joins as a guest: the team becomes visible but not writable */
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_READ, &r, NULL), NF);
    assert_int_equal(teams_member_add(&f->ctx, &f->who[P_OWNER], f->team.id,
                                      f->who[P_OUTSIDER].user_id, SB_ROLE_GUEST, &m, &diag),
                     SB_OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_READ, &r, NULL), OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_CHANNEL_CREATE, &r, NULL), FB);
    /* and leaves again (anyone may remove their own membership) */
    assert_int_equal(teams_member_remove(&f->ctx, &f->who[P_OUTSIDER], f->team.id, m.id, &diag),
                     SB_OK);
    assert_int_equal(sb_can(&f->ctx, &f->who[P_OUTSIDER], SB_ACT_TEAM_READ, &r, NULL), NF);
}

/* Organisation and group switches: the organisation wins; off keeps managing possible but
 * refuses new configurations and webhook posts, for everyone including administrators. */
static void test_policy_switches(void **state)
{
    struct fx *f = *state;
    static const struct row off[] = {
        {SB_ACT_CONNECTOR_CREATE, R_GENERAL, {UN, FB, FB, FB, FB, NF}},
        {SB_ACT_CONNECTOR_MANAGE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
        {SB_ACT_WEBHOOK_POST, R_GENERAL, {FB, FB, FB, FB, FB, FB}},
        {SB_ACT_MESSAGE_POST, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
        {SB_ACT_MESSAGE_ACTION, R_GENERAL, {UN, FB, FB, FB, FB, NF}},
    };
    static const struct row on[] = {
        {SB_ACT_CONNECTOR_CREATE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
        {SB_ACT_WEBHOOK_POST, R_GENERAL, {OK, OK, OK, OK, OK, OK}},
    };
    /* (GCC leaves actionable messages off until an administrator turns them on) */
    static const struct row actions_on[] = {
        {SB_ACT_MESSAGE_ACTION, R_GENERAL, {UN, OK, OK, OK, OK, NF}},
    };
    /* actionable messages off: only card actions are refused */
    static const struct row actions_off[] = {
        {SB_ACT_MESSAGE_ACTION, R_GENERAL, {UN, FB, FB, FB, FB, NF}},
        {SB_ACT_CONNECTOR_CREATE, R_GENERAL, {UN, OK, OK, OK, FB, NF}},
        {SB_ACT_WEBHOOK_POST, R_GENERAL, {OK, OK, OK, OK, OK, OK}},
    };
    struct sb_diag diag;

    /* the organisation turns connectors off */
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabled", "false"), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &f->res[R_GENERAL], &diag), FB);
    assert_non_null(strstr(diag.message, "organization"));
    /* the group switch cannot override the organisation */
    assert_int_equal(store_team_set_connectors_enabled(f->ctx.store, f->team.id, 1, NULL), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    /* connectorsEnabledForTeams off has the same effect */
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabled", NULL), SB_OK);
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabledForTeams", "false"), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabledForTeams", NULL), SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
    /* the group switch off: this team only */
    assert_int_equal(store_team_set_connectors_enabled(f->ctx.store, f->team.id, 0, NULL), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &f->res[R_GENERAL], &diag), FB);
    assert_non_null(strstr(diag.message, "team"));
    {
        struct sb_resource r = {f->other.id, f->foreign.id, NULL};
        assert_int_equal(sb_can(&f->ctx, NULL, SB_ACT_WEBHOOK_POST, &r, NULL), OK);
    }
    assert_int_equal(store_team_set_connectors_enabled(f->ctx.store, f->team.id, -1, NULL), SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
    /* GCC: off until an administrator turns them on */
    assert_int_equal(store_setting_set(f->ctx.store, "cloudEnvironment", "\"gcc\""), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabled", "true"), SB_OK);
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabledForTeams", "true"), SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
    assert_int_equal(store_setting_set(f->ctx.store, "cloudEnvironment", NULL), SB_OK);
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabled", NULL), SB_OK);
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsEnabledForTeams", NULL), SB_OK);
    assert_int_equal(
        store_setting_set(f->ctx.store, "connectorsActionableMessagesEnabled", "false"), SB_OK);
    assert_int_equal(run_rows(f, actions_off, sizeof(actions_off) / sizeof(actions_off[0])), 0);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(
        sb_can(&f->ctx, &f->who[P_MEMBER], SB_ACT_MESSAGE_ACTION, &f->res[R_GENERAL], &diag), FB);
    assert_string_equal(diag.code, "ActionableMessagesDisabled");
    assert_int_equal(store_setting_set(f->ctx.store, "connectorsActionableMessagesEnabled", NULL),
                     SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
    assert_int_equal(run_rows(f, actions_on, sizeof(actions_on) / sizeof(actions_on[0])), 0);
}

/* developersMayRegisterConnectors: every signed-in user registers connectors while it is on;
 * it stays off in GCC until set, like nothing else changes with it. */
static void test_developers_register(void **state)
{
    struct fx *f = *state;
    static const struct row on[] = {
        {SB_ACT_CONNECTOR_REGISTER, R_TEAM, {UN, OK, OK, OK, OK, OK}},
        {SB_ACT_CONNECTOR_REGISTER, R_UNKNOWN, {UN, OK, OK, OK, OK, OK}},
        {SB_ACT_ADMIN, R_TEAM, {UN, OK, FB, FB, FB, FB}},
    };
    static const struct row off[] = {
        {SB_ACT_CONNECTOR_REGISTER, R_TEAM, {UN, OK, FB, FB, FB, FB}},
    };
    struct sb_diag diag;

    assert_int_equal(store_setting_set(f->ctx.store, "developersMayRegisterConnectors", "true"),
                     SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
    assert_int_equal(store_setting_set(f->ctx.store, "cloudEnvironment", "\"gcc\""), SB_OK);
    assert_int_equal(run_rows(f, on, sizeof(on) / sizeof(on[0])), 0);
    assert_int_equal(store_setting_set(f->ctx.store, "developersMayRegisterConnectors", NULL),
                     SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    assert_int_equal(store_setting_set(f->ctx.store, "cloudEnvironment", NULL), SB_OK);
    assert_int_equal(run_rows(f, off, sizeof(off) / sizeof(off[0])), 0);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(sb_can(&f->ctx, &f->who[P_MEMBER], SB_ACT_CONNECTOR_REGISTER, NULL, &diag),
                     FB);
    assert_non_null(strstr(diag.message, "developersMayRegisterConnectors"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_diag_may_be_null),
        cmocka_unit_test(test_applications),
        cmocka_unit_test(test_outsider_learns_nothing),
        cmocka_unit_test(test_channel_must_belong_to_team),
        cmocka_unit_test(test_missing_resource),
        cmocka_unit_test(test_connectors_setting),
        cmocka_unit_test(test_policy_switches),
        cmocka_unit_test(test_developers_register),
        cmocka_unit_test(test_member_remove),
        cmocka_unit_test(test_role_changes_take_effect),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
