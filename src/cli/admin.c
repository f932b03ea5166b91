#include "cli/admin.h"

#include "auth/auth.h"
#include "core/config.h"
#include "core/log.h"
#include "org/org.h"
#include "store/store.h"
#include "store/teams.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define USAGE 2
#define ACTOR "switchboard admin"

struct param {
    const char *name;    /* as written in the cmdlet's documentation */
    const char *setting; /* the organisation setting or team field it sets */
    const char *value;   /* parsed: "true", "false", or the raw text for -Identity */
};

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "switchboard admin: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(
        stderr,
        "\nusage: switchboard admin [--db URL | --data DIR] <cmdlet> [-Parameter:value ...]\n"
        "cmdlets: Get-OrganizationConfig, Set-OrganizationConfig, Get-UnifiedGroup, "
        "Set-UnifiedGroup\n"
        "       switchboard admin [--db URL | --data DIR] backup <file> | restore <file>\n"
        "       switchboard admin [--db URL | --data DIR] reset-password <userPrincipalName>\n");
    return USAGE;
}

static const char *parse_bool(const char *v)
{
    if (strcasecmp(v, "$true") == 0 || strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0)
        return "true";
    if (strcasecmp(v, "$false") == 0 || strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return "false";
    return NULL;
}

/* Reads "-Name:value" / "-Name value" pairs into params (known names only). */
static int parse_params(int argc, char **argv, struct param *params, size_t n)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *colon, *value;
        size_t len, k;

        if (arg[0] != '-' || !arg[1])
            return usage("unexpected argument '%s' (parameters start with '-')", arg);
        colon = strchr(arg, ':');
        len = colon ? (size_t)(colon - arg - 1) : strlen(arg + 1);
        for (k = 0; k < n; k++)
            if (strlen(params[k].name) == len && strncasecmp(params[k].name, arg + 1, len) == 0)
                break;
        if (k == n)
            return usage("unknown parameter '%s' for this cmdlet", arg);
        if (colon) {
            value = colon + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            return usage("parameter '%s' needs a value", arg);
        }
        if (params[k].setting && strcmp(params[k].name, "Identity") != 0) {
            const char *b = parse_bool(value);
            if (!b) {
                fprintf(stderr,
                        "switchboard admin: -%s needs $true or $false, not '%s' (quote the $ "
                        "from your shell: '-%s:$false')\n",
                        params[k].name, value, params[k].name);
                return USAGE;
            }
            value = b;
        }
        params[k].value = value;
    }
    return 0;
}

static const char *ps_bool(json_t *v)
{
    return json_is_true(v) ? "True" : "False";
}

static int get_org(struct sb_ctx *ctx)
{
    json_t *o = NULL;

    if (org_settings_render(ctx, &o) != SB_OK)
        return EXIT_FAILURE;
    printf("ConnectorsEnabled : %s\n", ps_bool(json_object_get(o, "connectorsEnabled")));
    printf("ConnectorsEnabledForTeams : %s\n",
           ps_bool(json_object_get(o, "connectorsEnabledForTeams")));
    printf("ConnectorsActionableMessagesEnabled : %s\n",
           ps_bool(json_object_get(o, "connectorsActionableMessagesEnabled")));
    printf("CloudEnvironment : %s\n", json_string_value(json_object_get(o, "cloudEnvironment")));
    printf("UnsignedWebhookUrlsAccepted : %s\n",
           ps_bool(json_object_get(o, "unsignedWebhookUrlsAccepted")));
    json_decref(o);
    return EXIT_SUCCESS;
}

static int set_org(struct sb_ctx *ctx, int argc, char **argv)
{
    struct param params[] = {
        {"ConnectorsEnabled", "connectorsEnabled", NULL},
        {"ConnectorsEnabledForTeams", "connectorsEnabledForTeams", NULL},
        {"ConnectorsActionableMessagesEnabled", "connectorsActionableMessagesEnabled", NULL},
        /* Switchboard's own: whether the unsigned webhook URL forms are accepted. */
        {"UnsignedWebhookUrlsAccepted", "unsignedWebhookUrlsAccepted", NULL},
    };
    const size_t n = sizeof(params) / sizeof(params[0]);
    struct sb_diag diag = {{0}, {0}};
    json_t *patch;
    int rc = parse_params(argc, argv, params, n);
    sb_err err;

    if (rc)
        return rc;
    patch = json_object();
    for (size_t k = 0; patch && k < n; k++)
        if (params[k].value)
            json_object_set_new(patch, params[k].setting,
                                json_boolean(strcmp(params[k].value, "true") == 0));
    if (!patch || json_object_size(patch) == 0) {
        json_decref(patch);
        return usage("%s", "Set-OrganizationConfig needs at least one parameter");
    }
    err = org_settings_patch(ctx, "", ACTOR, patch, &diag);
    json_decref(patch);
    if (err) {
        fprintf(stderr, "switchboard admin: %s\n",
                diag.message[0] ? diag.message : sb_err_name(err));
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

static int unified_group(struct sb_ctx *ctx, bool set, int argc, char **argv)
{
    struct param params[] = {
        {"Identity", "identity", NULL},
        {"ConnectorsEnabled", "connectorsEnabled", NULL},
    };
    struct sb_diag diag = {{0}, {0}};
    struct sb_team t;
    int rc = parse_params(argc, argv, params, set ? 2 : 1);
    sb_err err;

    if (rc)
        return rc;
    if (!params[0].value)
        return usage("%s", "-Identity <team-id> is required");
    if (set && !params[1].value)
        return usage("%s", "Set-UnifiedGroup needs -ConnectorsEnabled:$true or :$false");
    err = store_team_get(ctx->store, params[0].value, &t);
    if (err == SB_ERR_NOT_FOUND) {
        fprintf(stderr, "switchboard admin: no team with id '%s'\n", params[0].value);
        return EXIT_FAILURE;
    }
    if (err)
        return EXIT_FAILURE;
    if (!set) {
        printf("Identity : %s\nDisplayName : %s\nConnectorsEnabled : %s\n", t.id, t.display_name,
               t.connectors_enabled == 0 ? "False" : "True");
        return EXIT_SUCCESS;
    }
    err = org_team_switch(ctx, "", ACTOR, t.id, strcmp(params[1].value, "true") == 0, &diag);
    if (err) {
        fprintf(stderr, "switchboard admin: %s\n",
                diag.message[0] ? diag.message : sb_err_name(err));
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

static bool is_postgres(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

/* PostgreSQL already has the right tools; printing the commands (and exiting 2, as for any
 * other request this command cannot carry out) beats a half-way copy of pg_dump. */
static int postgres_tools(bool backup, const char *file)
{
    if (backup)
        fprintf(stderr,
                "switchboard admin: backup copies SQLite stores; a PostgreSQL store is backed "
                "up with pg_dump, also while servers run:\n"
                "  pg_dump --format=custom --file='%s' \"$DB_URL\"\n"
                "(DB_URL: the --db URL of the installation; see docs/postgres.md)\n",
                file);
    else
        fprintf(stderr,
                "switchboard admin: restore replaces SQLite stores; a PostgreSQL store is "
                "restored with pg_restore, with every server stopped, into an empty "
                "database:\n"
                "  createdb switchboard_restored\n"
                "  pg_restore --no-owner --single-transaction --exit-on-error "
                "--dbname=\"$NEW_DB_URL\" '%s'\n"
                "then start the servers with --db \"$NEW_DB_URL\" (see docs/postgres.md)\n",
                file);
    return USAGE;
}

/* `backup <file>` and `restore <file>`: data_dir is the --data directory the URL was derived
 * from (NULL when --db or SWITCHBOARD_DB gave it). */
static int backup_restore(bool backup, const char *db_url, const char *data_dir, int argc,
                          char **argv)
{
    struct store_opts so = {db_url, 1};
    struct sb_diag diag = {{0}, {0}};
    struct store *st = NULL;
    struct stat sb;
    sb_err err;

    if (argc != 1 || argv[0][0] == '\0' || argv[0][0] == '-')
        return usage("%s <file>: give exactly one file name", backup ? "backup" : "restore");
    if (is_postgres(db_url))
        return postgres_tools(backup, argv[0]);
    if (strncmp(db_url, "sqlite:", 7) != 0)
        return usage("unsupported --db URL '%s'", db_url);
    if (backup) {
        /* store_open would create an empty database where none is: a backup of nothing. */
        if (stat(db_url + 7, &sb) != 0) {
            fprintf(stderr, "switchboard admin: no database at %s (wrong --data or --db?)\n",
                    db_url + 7);
            return EXIT_FAILURE;
        }
        err = store_open(&so, &st, &diag);
        if (!err)
            err = store_backup(st, argv[0], &diag);
        store_close(st);
    } else {
        /* Restoring into a new installation: its data directory need not exist yet. */
        if (data_dir && mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "switchboard admin: cannot create %s: %s\n", data_dir, strerror(errno));
            return EXIT_FAILURE;
        }
        err = store_restore(db_url, argv[0], &diag);
    }
    if (err) {
        fprintf(stderr, "switchboard admin: %s\n",
                diag.message[0] ? diag.message : sb_err_name(err));
        return EXIT_FAILURE;
    }
    if (backup)
        printf("backed up %s to %s\n", db_url + 7, argv[0]);
    else
        printf("restored %s into %s\n", argv[0], db_url + 7);
    return EXIT_SUCCESS;
}

/* `reset-password <upn>`: a one-time password on stdout (its last word, for scripts); the
 * person must choose a new one at next sign-in. Also for the bootstrap administrator, who has
 * no password until then. */
static int reset_password(struct sb_ctx *ctx, int argc, char **argv)
{
    struct sb_diag diag = {{0}, {0}};
    char password[64];
    sb_err err;

    err = auth_password_reset(ctx, argv[0], password, sizeof(password), &diag);
    (void)argc;
    if (err) {
        fprintf(stderr, "switchboard admin: %s\n",
                diag.message[0] ? diag.message : sb_err_name(err));
        return EXIT_FAILURE;
    }
    fprintf(stderr,
            "switchboard admin: %s must choose a new password at next sign-in; their "
            "sessions and API tokens have ended\n",
            argv[0]);
    printf("one-time password for %s: %s\n", argv[0], password);
    sodium_memzero(password, sizeof(password));
    return EXIT_SUCCESS;
}

int cli_admin(int argc, char **argv)
{
    char db_url[1200] = "", data[1024] = "./var";
    struct store_opts so = {NULL, 1};
    struct sb_diag diag = {{0}, {0}};
    struct sb_ctx ctx = {0};
    const char *cmdlet, *data_dir = NULL;
    char *tenant = NULL;
    int i = 0, rc;

    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (i + 1 >= argc)
            return usage("flag %s needs a value", argv[i]);
        if (strcmp(argv[i], "--db") == 0)
            snprintf(db_url, sizeof(db_url), "%s", argv[i + 1]);
        else if (strcmp(argv[i], "--data") == 0)
            snprintf(data, sizeof(data), "%s", argv[i + 1]);
        else
            return usage("unknown flag %s", argv[i]);
        i += 2;
    }
    if (i >= argc)
        return usage("%s", "no cmdlet given");
    cmdlet = argv[i++];
    if (!db_url[0]) {
        const char *env = getenv("SWITCHBOARD_DB");
        const char *env_data = getenv("SWITCHBOARD_DATA");
        if (env && *env) {
            snprintf(db_url, sizeof(db_url), "%s", env);
        } else {
            if (strcmp(data, "./var") == 0 && env_data && *env_data)
                snprintf(data, sizeof(data), "%s", env_data);
            snprintf(db_url, sizeof(db_url), "sqlite:%s/switchboard.db", data);
            data_dir = data;
        }
    }
    if (strcasecmp(cmdlet, "backup") == 0 || strcasecmp(cmdlet, "restore") == 0)
        return backup_restore(strcasecmp(cmdlet, "backup") == 0, db_url, data_dir, argc - i,
                              argv + i);
    if (strcasecmp(cmdlet, "reset-password") == 0 && (argc - i != 1 || !argv[i][0]))
        return usage("%s", "reset-password <userPrincipalName>: give exactly one account");
    if (strcasecmp(cmdlet, "reset-password") != 0 &&
        strcasecmp(cmdlet, "Get-OrganizationConfig") != 0 &&
        strcasecmp(cmdlet, "Set-OrganizationConfig") != 0 &&
        strcasecmp(cmdlet, "Get-UnifiedGroup") != 0 && strcasecmp(cmdlet, "Set-UnifiedGroup") != 0)
        return usage("unknown cmdlet '%s'", cmdlet);
    if (strcasecmp(cmdlet, "Get-OrganizationConfig") == 0 && i < argc)
        return usage("Get-OrganizationConfig takes no parameter ('%s')", argv[i]);
    if (sodium_init() < 0)
        return EXIT_FAILURE;
    so.url = db_url;
    ctx.clock = sb_clock_system();
    if (store_open(&so, &ctx.store, &diag) != SB_OK) {
        fprintf(stderr, "switchboard admin: %s\n", diag.message);
        return EXIT_FAILURE;
    }
    if (store_meta_get(ctx.store, "tenant_id", &tenant) == SB_OK)
        snprintf(ctx.tenant_id, sizeof(ctx.tenant_id), "%s", tenant);
    free(tenant);
    if (strcasecmp(cmdlet, "reset-password") == 0)
        rc = reset_password(&ctx, argc - i, argv + i);
    else if (strcasecmp(cmdlet, "Get-OrganizationConfig") == 0)
        rc = get_org(&ctx);
    else if (strcasecmp(cmdlet, "Set-OrganizationConfig") == 0)
        rc = set_org(&ctx, argc - i, argv + i);
    else
        rc = unified_group(&ctx, strcasecmp(cmdlet, "Set-UnifiedGroup") == 0, argc - i, argv + i);
    store_close(ctx.store);
    return rc;
}
