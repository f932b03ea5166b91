/*
 * test_registration.c: the app packages the Connector Developer Dashboard generates
 * (registration_package_build) pass our own validator and say what the registration says:
 * manifest fields, the connector, valid domains, both icons, the developer name taken from the
 * website, long and non-ASCII values at their limits; and the URL rule for http configuration
 * pages (package_http_url).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "connectors/package.h"
#include "connectors/registration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The start of a PNG: what package_validate reads (signature, IHDR with the size). */
static void png_header(unsigned w, unsigned h, unsigned char out[45])
{
    static const unsigned char head[16] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                           0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

    memcpy(out, head, 16);
    out[16] = (unsigned char)(w >> 24);
    out[17] = (unsigned char)(w >> 16);
    out[18] = (unsigned char)(w >> 8);
    out[19] = (unsigned char)w;
    out[20] = (unsigned char)(h >> 24);
    out[21] = (unsigned char)(h >> 16);
    out[22] = (unsigned char)(h >> 8);
    out[23] = (unsigned char)h;
    memcpy(out + 24, "\x08\x06\x00\x00\x00\x00\x00\x00\x00", 9);
    memcpy(out + 33, iend, 12);
}

/* Replaces the heap string *dst with a copy of s. */
static void set(char **dst, const char *s)
{
    free(*dst);
    *dst = strdup(s);
    assert_non_null(*dst);
}

static struct sb_registration *sample(void)
{
    struct sb_registration *r = calloc(1, sizeof(*r));

    assert_non_null(r);
    snprintf(r->id, sizeof(r->id), "0f0e0d0c-0b0a-4908-8706-050403020100");
    snprintf(r->app_id, sizeof(r->app_id), "6a1c9a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6");
    snprintf(r->name, sizeof(r->name), "Build alerts");
    snprintf(r->short_description, sizeof(r->short_description), "Build results");
    set(&r->long_description, "Every build.\nOne card each.");
    set(&r->website_url, "https://ci.example.org/about");
    set(&r->configuration_url, "https://ci.example.org/config");
    set(&r->valid_domains, "[\"ci.example.org\",\"*.example.net\"]");
    set(&r->actions_url, "");
    snprintf(r->version, sizeof(r->version), "1.0.3");
    return r;
}

/* Builds r's package with real-looking icons and validates it; returns the validator's error. */
static sb_err build_and_validate(const struct sb_registration *r, struct package_info *info)
{
    unsigned char color[45], outline[45];
    struct sb_diag diag;
    void *zip = NULL;
    size_t len = 0;
    sb_err err;

    png_header(192, 192, color);
    png_header(32, 32, outline);
    assert_int_equal(
        registration_package_build(r, color, sizeof(color), outline, sizeof(outline), &zip, &len),
        SB_OK);
    assert_non_null(zip);
    memset(&diag, 0, sizeof(diag));
    err = package_validate(zip, len, info, &diag);
    if (err)
        print_message("package_validate: %s\n", diag.message);
    free(zip);
    return err;
}

static void test_package_round_trip(void **state)
{
    struct sb_registration *r = sample();
    struct package_info info;

    (void)state;
    assert_int_equal(build_and_validate(r, &info), SB_OK);
    assert_string_equal(info.manifest_version, REGISTRATION_MANIFEST_VERSION);
    assert_string_equal(info.id, r->app_id);
    assert_string_equal(info.version, "1.0.3");
    assert_string_equal(info.short_name, "Build alerts");
    assert_string_equal(info.full_name, "Build alerts");
    assert_string_equal(info.short_description, "Build results");
    assert_string_equal(info.full_description, "Every build.\nOne card each.");
    assert_string_equal(info.developer_name, "ci.example.org");
    assert_string_equal(info.developer_website, "https://ci.example.org/about");
    assert_true(info.has_connector);
    assert_string_equal(info.connector_id, r->id);
    assert_string_equal(info.configuration_url, "https://ci.example.org/config");
    assert_int_equal(info.valid_domain_count, 2);
    assert_string_equal(info.valid_domains[0], "ci.example.org");
    assert_string_equal(info.valid_domains[1], "*.example.net");
    assert_int_equal(info.color_icon_len, 45);
    package_info_free(&info);
    registration_free(r);
    free(r);
}

static void test_limits_and_developer_name(void **state)
{
    struct sb_registration *r = sample();
    struct package_info info;

    (void)state;
    /* 30 characters of three bytes each, 80 and 4000 of two */
    r->name[0] = '\0';
    for (int i = 0; i < 30; i++)
        strcat(r->name, "\xe2\x98\x83");
    r->short_description[0] = '\0';
    for (int i = 0; i < 80; i++)
        strcat(r->short_description, "\xc3\xa9");
    free(r->long_description);
    r->long_description = malloc(8001);
    assert_non_null(r->long_description);
    for (int i = 0; i < 4000; i++)
        memcpy(r->long_description + 2 * i, "\xc3\xa9", 2);
    r->long_description[8000] = '\0';
    /* user info and port are not part of the name; a long host is cut at 32 characters */
    set(&r->website_url, "https://someone@a-very-long-host-name-for-a-company.example.org:8443/x");
    set(&r->valid_domains, "[]");
    assert_int_equal(build_and_validate(r, &info), SB_OK);
    assert_string_equal(info.developer_name, "a-very-long-host-name-for-a-comp");
    assert_int_equal(info.valid_domain_count, 0);
    package_info_free(&info);
    registration_free(r);
    free(r);
}

/* package_validate takes http configuration pages that follow the URL rules; which hosts may
 * use them is apps_publish's question (outboundAllowedHosts), asked in the e2e tests. */
static void test_http_configuration_page(void **state)
{
    struct sb_registration *r = sample();
    struct package_info info;

    (void)state;
    set(&r->configuration_url, "http://127.0.0.1:9/config");
    assert_int_equal(build_and_validate(r, &info), SB_OK);
    assert_string_equal(info.configuration_url, "http://127.0.0.1:9/config");
    package_info_free(&info);
    assert_true(package_http_url("http://127.0.0.1:9/config"));
    assert_false(package_http_url("https://127.0.0.1:9/config"));
    /* other schemes, spaces and missing hosts stay refused */
    set(&r->configuration_url, "http://127.0.0.1:9/a b");
    assert_int_equal(build_and_validate(r, &info), SB_ERR_INVALID);
    assert_false(package_http_url(r->configuration_url));
    set(&r->configuration_url, "ftp://127.0.0.1:9/config");
    assert_int_equal(build_and_validate(r, &info), SB_ERR_INVALID);
    assert_false(package_http_url("http:///config"));
    registration_free(r);
    free(r);
}

static void test_default_outline(void **state)
{
    const unsigned char *png;
    const void *p;
    size_t len;

    (void)state;
    registration_default_outline(&p, &len);
    png = p;
    assert_true(len > 33);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(png + 12, "IHDR", 4);
    assert_memory_equal(png + 16, "\0\0\0\x20\0\0\0\x20", 8);
    assert_int_equal(png[25], 6); /* RGBA: white on transparent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_round_trip),
        cmocka_unit_test(test_limits_and_developer_name),
        cmocka_unit_test(test_http_configuration_page),
        cmocka_unit_test(test_default_outline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
