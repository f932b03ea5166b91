#include "connectors/catalog.h"

#include "core/ids.h"
#include "services/services.h"
#include "webhooks/webhooks.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Connectors that cannot get new configurations any more, as listed by the Teams admin
 * documentation. */
static const char *const retired[] = {
    "Aha!",
    "Airbrake",
    "Aircall",
    "App Links",
    "AppSignal",
    "Beanstalk",
    "Bitbucket",
    "Buddy",
    "Buildkite",
    "CATS",
    "Chatra",
    "CircleCI",
    "CodeShip",
    "Constant Contact",
    "GetResponse",
    "Ghost Inspector",
    "Groove",
    "Heroku",
    "Honeybadger",
    "Intercom",
    "Logentries",
    "Mailchimp",
    "Microsoft Forms",
    "Opsgenie",
    "PagerDuty",
    "Papertrail",
    "Pivotal Tracker",
    "Raygun",
    "Runscope",
    "SatisMeter",
    "Semaphore",
    "Sentry",
    "Simple In/Out",
    "Stack Exchange",
    "SUBVERSION",
    "TestFairy",
    "Travis CI",
    "Trello",
    "Uptodown",
    "Userlike",
    "Wrike",
    "XP-Dev",
    "Zendesk",
};

#define NRETIRED (sizeof(retired) / sizeof(retired[0]))

/* A stable GUID per retired connector, derived from its name, so ids survive restarts and
 * agree between servers. */
static void retired_id(const char *name, sb_id out)
{
    unsigned char h[16];
    char hex[33];

    crypto_generichash(h, sizeof(h), (const unsigned char *)name, strlen(name),
                       (const unsigned char *)"switchboard-retired-connector", 29);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
    sb_hex(h, sizeof(h), hex);
    snprintf(out, SB_ID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

/* The service connectors we ship, after the Incoming Webhook. */
static const struct {
    const char *kind, *name, *description;
} services[] = {
    {"github", "GitHub",
     "Pushes, pull requests, issues, comments, releases and workflow runs of a repository, "
     "from GitHub's own webhooks (signed with a secret)."},
    {"gitlab", "GitLab",
     "Pushes, merge requests, issues and pipelines of a project, from GitLab's own webhooks."},
    {"alertmanager", "Prometheus Alertmanager",
     "Firing and resolved alerts from Alertmanager's webhook receiver, one card per "
     "notification."},
    {"template", "JSON template",
     "Any service that posts JSON: write a small template for the card's title, text, facts, "
     "colour and link."},
};

#define NSERVICES (sizeof(services) / sizeof(services[0]))

size_t catalog_builtin_count(void)
{
    return 1 + NSERVICES + NRETIRED;
}

void catalog_builtin(size_t i, struct catalog_entry *out)
{
    memset(out, 0, sizeof(*out));
    out->section = "builtin";
    if (i == 0) {
        snprintf(out->connector_id, sizeof(out->connector_id), "%s", WEBHOOK_CONNECTOR_ID);
        out->name = "Incoming Webhook";
        out->description = "Send data from a service to this channel in real time.";
        out->kind = WEBHOOK_KIND;
        return;
    }
    if (i <= NSERVICES) {
        snprintf(out->connector_id, sizeof(out->connector_id), "%s",
                 service_connector_id(services[i - 1].kind));
        out->name = services[i - 1].name;
        out->description = services[i - 1].description;
        out->kind = services[i - 1].kind;
        out->icon = service_icon(services[i - 1].kind);
        return;
    }
    i -= NSERVICES;
    retired_id(retired[i - 1], out->connector_id);
    out->name = retired[i - 1];
    out->description = "This connector has been retired: it cannot get new configurations.";
    out->retired = true;
}

bool catalog_find(const char *connector_id, struct catalog_entry *out)
{
    for (size_t i = 0; i < catalog_builtin_count(); i++) {
        catalog_builtin(i, out);
        if (strcmp(out->connector_id, connector_id) == 0)
            return true;
    }
    return false;
}
