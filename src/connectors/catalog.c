#include "connectors/catalog.h"

#include "core/ids.h"
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

size_t catalog_builtin_count(void)
{
    return 1 + NRETIRED;
}

void catalog_builtin(size_t i, struct catalog_entry *out)
{
    memset(out, 0, sizeof(*out));
    out->section = "builtin";
    if (i == 0) {
        snprintf(out->connector_id, sizeof(out->connector_id), "%s", WEBHOOK_CONNECTOR_ID);
        out->name = "Incoming Webhook";
        out->description = "Send data from a service to this channel in real time.";
        return;
    }
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
