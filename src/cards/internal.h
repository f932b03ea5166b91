/*
 * internal.h: what the files of the webhook body checker share inside src/cards (cards.h has
 * the contract). cards.c holds Teams' shape rules (envelope, MessageCard, Adaptive Card) and the
 * entry point; card_check.c the checker's toolkit (reading members, tracking the path, wording
 * refusals); card_load.c turns the raw body into a bounded JSON object; card_output.c builds the
 * chatMessage parts from the accepted cards. Nothing here is for use outside src/cards.
 */
#ifndef SB_CARDS_INTERNAL_H
#define SB_CARDS_INTERNAL_H

#include "cards/cards.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BAD_PAYLOAD "Bad payload received by generic incoming webhook."
#define NO_LIMIT SIZE_MAX

/* The cards found in a body, borrowed from the parsed document. */
struct card_ref {
    json_t *content;
    bool adaptive; /* an Adaptive Card, else a MessageCard (O365 connector card) */
};

struct card_set {
    struct card_ref cards[CARD_MAX_ATTACHMENTS];
    size_t n;
    json_t *envelope; /* the envelope object, for its summary; NULL for a bare MessageCard */
};

/* Where the checker is in the document, so that a refusal can name the field. */
struct card_vctx {
    struct sb_diag *diag;
    struct card_set *set;
    char path[192];
    size_t len;
};

typedef sb_err (*card_item_check)(struct card_vctx *vc, json_t *item);

/* ---- card_check.c: text ---- */

/* Trims ASCII white space on both sides of s[0..n); returns the new start, n the new length. */
const char *card_trim(const char *s, size_t *n);
/* A string member, trimmed, if it has anything besides white space. */
bool card_nonblank_member(json_t *obj, const char *key, const char **s, size_t *n);

/* ---- card_check.c: refusals (each returns the error it reports in diag) ---- */

/* Fails with the generic Teams sentence plus one naming the current path (and key, if any). */
sb_err card_bad(struct card_vctx *vc, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Fails with the generic Teams sentence plus a sentence about the body as a whole. */
sb_err card_bad_body(struct sb_diag *diag, const char *sentence);
sb_err card_nomem(struct sb_diag *diag);

/* ---- card_check.c: the path ("sections[0].facts[1]") ---- */

/* Appends ".key" and returns the length to restore with card_path_pop. */
size_t card_path_key(struct card_vctx *vc, const char *key);
void card_path_pop(struct card_vctx *vc, size_t saved);

/* ---- card_check.c: member checks ---- */

/* obj[key], NULL when absent or null (many serialisers write null for fields not given). */
json_t *card_member(json_t *obj, const char *key);
sb_err card_opt_string(struct card_vctx *vc, json_t *obj, const char *key);
/* Checks each of a NULL-terminated list of optional string members. */
sb_err card_opt_strings(struct card_vctx *vc, json_t *obj, const char *const *keys);
/* A required string member; *out is never left NULL (it is "" on a refusal). */
sb_err card_req_string(struct card_vctx *vc, json_t *obj, const char *key, const char **out);
/* obj[key] as an array of min..max objects (max may be NO_LIMIT), check called on each. */
sb_err card_check_list(struct card_vctx *vc, json_t *obj, const char *key, bool required,
                       size_t min, size_t max, card_item_check check);
sb_err card_opt_array(struct card_vctx *vc, json_t *obj, const char *key);

/* ---- card_load.c ---- */

/* Parses the body into a JSON object of bounded depth (a text/plain body becomes the
 * MessageCard {"text": body}); *out is the caller's to json_decref. */
sb_err card_load_root(const char *body, size_t len, const char *content_type, json_t **out,
                      struct sb_diag *diag);

/* ---- card_output.c ---- */

/* Fills out (summary, body, attachments) from the accepted cards; new_id names each attachment.
 * Fails only for lack of memory; the caller frees out on failure. */
sb_err card_build_output(const struct card_set *set, void (*new_id)(void *arg, char out[37]),
                         void *id_arg, struct card_message *out);

#endif
