/*
 * fuzz_cards.c: libFuzzer target for card_message_parse.
 *
 * The whole input is the body; its first byte picks the content type, so that the same corpus
 * explores the JSON path, the text/plain path and a JSON object sent as text/plain. Beyond "no
 * crash, no leak", it checks the contract's promises: on success three strings, a summary of at
 * most 256 bytes, attachments that are a JSON array of one to ten cards whose content strings
 * parse back to objects; on failure a zeroed result and a known code.
 *
 * Build and run: see "Fuzzing" in docs/cards.md (clang, -fsanitize=fuzzer,address,undefined,
 * the sources of src/cards and src/core, jansson and libsodium), seeds in corpus/cards/.
 */
#include "cards/cards.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fake_id(void *arg, char out[37])
{
    unsigned *n = arg;

    snprintf(out, 37, "00000000-0000-4000-8000-%012u", ++*n);
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "contract broken: %s\n", what);
        abort();
    }
}

static void check_success(const struct card_message *m, unsigned ids)
{
    json_t *arr, *att, *card;
    size_t i;

    check(m->summary && m->body && m->attachments, "three strings on success");
    check(strlen(m->summary) <= 256, "summary at most 256 bytes");
    arr = json_loads(m->attachments, 0, NULL);
    check(json_is_array(arr), "attachments is a JSON array");
    check(json_array_size(arr) >= 1 && json_array_size(arr) <= CARD_MAX_ATTACHMENTS,
          "one to ten attachments");
    check(json_array_size(arr) == ids, "one id per attachment");
    check(strlen(m->body) == ids * 67, "one <attachment> tag per card");
    json_array_foreach(arr, i, att)
    {
        card = json_loads(json_string_value(json_object_get(att, "content")), 0, NULL);
        check(json_is_object(card), "content is a serialised object");
        json_decref(card);
    }
    json_decref(arr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {NULL, "application/json", "text/plain; charset=utf-8",
                                        "TEXT/PLAIN"};
    const char *ct = size ? types[data[0] & 3] : NULL;
    struct card_message m;
    struct sb_diag diag;
    unsigned ids = 0;
    sb_err err;

    memset(&diag, 0, sizeof(diag));
    err = card_message_parse((const char *)data, size, ct, fake_id, &ids, &m, &diag);
    if (err == SB_OK) {
        check_success(&m, ids);
    } else {
        check(err == SB_ERR_INVALID, "only SB_ERR_INVALID for bad input");
        check(!m.summary && !m.body && !m.attachments, "zeroed on failure");
        check(strcmp(diag.code, "badPayload") == 0 ||
                  strcmp(diag.code, "summaryOrTextRequired") == 0,
              "a known code");
    }
    card_message_free(&m);
    return 0;
}
