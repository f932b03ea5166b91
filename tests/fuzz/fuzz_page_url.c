/*
 * fuzz_page_url.c: libFuzzer target for the configuration pages' URL rules
 * (src/connectors/configs.c): config_url_split and config_url_allowed.
 *
 * The input is "domains\nurl": the first line is taken as one validDomains entry, the rest as
 * the URL. Beyond "no crash, no leak", on success it checks the contract: the scheme is http or
 * https, the host is non-empty, lower-case and made of letters, digits, '-' and '.', the port is
 * 1..65535, the path starts with '/'; an https URL that is allowed has a host equal to the
 * entry (its host part) or, for "*.x", ending in ".x"; an entry "host:port" has only digits after
 * its colon, and they are the URL's port.
 */
#include "connectors/configs.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "contract broken: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1), *nl, *url, scheme[8], host[256], why[320];
    json_t *domains;
    char *domains_text;
    const char *path;
    int port;

    if (!in)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    nl = strchr(in, '\n');
    url = nl ? nl + 1 : in;
    if (nl)
        *nl = '\0';
    if (config_url_split(url, scheme, sizeof(scheme), host, sizeof(host), &port, &path)) {
        check(strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0, "scheme");
        check(host[0] != '\0', "host not empty");
        for (const char *h = host; *h; h++)
            check(islower((unsigned char)*h) || isdigit((unsigned char)*h) || *h == '-' ||
                      *h == '.',
                  "host characters");
        check(port >= 1 && port <= 65535, "port range");
        check(path[0] == '/', "path");
    }
    domains = json_pack("[s]", nl ? in : "example.org");
    domains_text = domains ? json_dumps(domains, JSON_COMPACT) : NULL;
    /* https only: plain http would consult the organisation's allow list (a store). */
    if (domains_text && strncasecmp(url, "https://", 8) == 0 &&
        config_url_allowed(NULL, domains_text, url, why, sizeof(why))) {
        const char *d = nl ? in : "example.org", *colon = strrchr(d, ':');
        char entry[256];
        size_t hl, dl;

        check(config_url_split(url, scheme, sizeof(scheme), host, sizeof(host), &port, &path),
              "allowed URLs split");
        /* "host:port": the port is all digits and the URL's; the host part is matched. */
        dl = colon ? (size_t)(colon - d) : strlen(d);
        if (colon) {
            check(colon[1] != '\0' && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
                      atol(colon + 1) == port,
                  "port of a host:port entry");
        }
        check(dl < sizeof(entry), "entry length");
        memcpy(entry, d, dl);
        entry[dl] = '\0';
        hl = strlen(host);
        if (strncmp(entry, "*.", 2) == 0)
            check(hl > dl - 1 && strcasecmp(host + hl - (dl - 1), entry + 1) == 0,
                  "wildcard match");
        else
            check(strcasecmp(host, entry) == 0, "exact match");
    }
    free(domains_text);
    json_decref(domains);
    free(in);
    return 0;
}
