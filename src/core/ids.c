#include "core/ids.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void sb_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void sb_id_new(const struct sb_ctx *ctx, sb_id out)
{
    unsigned char b[16];
    char hex[33];

    sb_random(ctx, b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    sb_hex(b, sizeof(b), hex);
    snprintf(out, SB_ID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

bool sb_id_text(const char *s, size_t n)
{
    if (n != SB_ID_LEN)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                     (s[i] >= 'A' && s[i] <= 'F'))) {
            return false;
        }
    }
    return true;
}

bool sb_id_valid(const char *s)
{
    return sb_id_text(s, strnlen(s, SB_ID_LEN + 1));
}

void sb_time_format(int64_t ms, sb_time out)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&secs, &tm);
    char tmp[64];

    /* Formatted through a roomy buffer: the compiler cannot see that tm's fields are bounded. */
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    memcpy(out, tmp, SB_TIME_LEN);
    out[SB_TIME_LEN] = '\0';
}

void sb_time_now(const struct sb_ctx *ctx, sb_time out)
{
    sb_time_format(sb_now_ms(ctx), out);
}

sb_err sb_time_parse(const char *s, int64_t *ms)
{
    struct tm tm;
    const char *p;
    int64_t frac = 0, scale = 1000;
    int sign, oh, om;

    memset(&tm, 0, sizeof(tm));
    p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        return SB_ERR_INVALID;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (scale > 1) {
                scale /= 10;
                frac += (*p - '0') * scale;
            }
        }
    }
    *ms = (int64_t)timegm(&tm) * 1000 + frac;
    if (*p == 'Z' || *p == 'z')
        return p[1] ? SB_ERR_INVALID : SB_OK;
    if ((*p != '+' && *p != '-') || sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || strlen(p) != 6)
        return SB_ERR_INVALID;
    sign = *p == '+' ? 1 : -1;
    *ms -= sign * ((int64_t)oh * 3600 + om * 60) * 1000;
    return SB_OK;
}
