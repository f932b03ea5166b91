/*
 * smtp.c: one e-mail through libcurl's SMTP (smtp.h).
 */
#include "net/smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

struct upload {
    const char *data;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct upload *u = arg;
    size_t n = size * nmemb;

    if (n > u->left)
        n = u->left;
    memcpy(buf, u->data, n);
    u->data += n;
    u->left -= n;
    return n;
}

sb_err smtp_send(const char *url, const char *from, const char *const *to, size_t nto,
                 const char *message, long timeout_ms, long *smtp_code, struct sb_diag *diag)
{
    struct upload up = {message, strlen(message)};
    struct curl_slist *rcpt = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    char mail_from[512];
    long code = 0;
    CURL *h = curl_easy_init();
    CURLcode rc;
    sb_err err = SB_OK;

    if (smtp_code)
        *smtp_code = 0;
    if (!h)
        return SB_ERR_NOMEM;
    for (size_t i = 0; i < nto; i++) {
        char addr[512];
        struct curl_slist *next;

        snprintf(addr, sizeof(addr), "<%s>", to[i]);
        next = curl_slist_append(rcpt, addr);
        if (!next) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        rcpt = next;
    }
    snprintf(mail_from, sizeof(mail_from), "<%s>", from);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 30000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (smtp_code)
        *smtp_code = code;
    if (rc != CURLE_OK && code > 0)
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "smtpFailed", "the SMTP server answered %ld (%s)",
                      code, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else if (rc != CURLE_OK)
        err = sb_fail(diag, SB_ERR_UNAVAILABLE, "smtpFailed", "%s",
                      errbuf[0] ? errbuf : curl_easy_strerror(rc));
out:
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    return err;
}
