/*
 * fuzz_template.c: libFuzzer target for the JSON template connector (src/services/template.c
 * and the card it builds). The input is split at its first NUL byte: before it, a template
 * string; after it, the posted document (JSON, when it parses; else the rest as one string).
 * Beyond "no crash, no leak": a rendered string never exceeds the budget, and the card built
 * from {title, text} templates is valid JSON that serialises and parses back.
 *
 * Build and run: `make fuzz` (it links every source file except those of api/ and http/).
 */
#include "services/services.h"
#include "services/template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t tlen = nul ? (size_t)(nul - data) : size, budget = 4096;
    char *tmpl = malloc(tlen + 1), *out = NULL, *text;
    struct sb_diag diag;
    json_t *doc, *t, *card = NULL;

    if (!tmpl)
        return 0;
    memcpy(tmpl, data, tlen);
    tmpl[tlen] = '\0';
    doc = nul ? json_loadb((const char *)nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL) : NULL;
    if (!doc)
        doc = json_stringn_nocheck(nul ? (const char *)nul + 1 : "", nul ? size - tlen - 1 : 0);
    if (template_render_string(tmpl, doc, &budget, &out, &diag) == SB_OK) {
        if (strlen(out) > 4096)
            abort();
        free(out);
    }
    t = json_pack("{s:s,s:s,s:s}", "title", tmpl, "text", tmpl, "themeColor", tmpl);
    if (t && service_template_card(t, doc, &card, &diag) == SB_OK) {
        text = json_dumps(card, JSON_COMPACT);
        if (!text)
            abort();
        json_t *back = json_loads(text, 0, NULL);
        if (!back)
            abort();
        json_decref(back);
        free(text);
    }
    json_decref(card);
    json_decref(t);
    json_decref(doc);
    free(tmpl);
    return 0;
}
