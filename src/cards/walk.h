/*
 * cards/walk.h: reading an Adaptive Card in order for the writers of other formats
 * (walk.c; private to cards/). translate.c turns MessageCards into Adaptive Cards;
 * translate_slack.c and translate_mail.c write Adaptive Cards as Slack blocks and e-mail by
 * implementing a walker.
 */
#ifndef SB_CARDS_WALK_H
#define SB_CARDS_WALK_H

#include <jansson.h>
#include <stdbool.h>

/* What the walk meets, in reading order; the Slack and e-mail writers implement it. */
struct walker {
    void (*heading)(struct walker *w, const char *text);
    void (*text)(struct walker *w, const char *text, bool subtle);
    void (*fact)(struct walker *w, const char *title, const char *value);
    void (*facts_end)(struct walker *w);
    void (*image)(struct walker *w, const char *url, const char *alt);
    void (*link)(struct walker *w, const char *title, const char *url);
    bool ok;
};

/* Walks every card's body, then its actions, calling w's functions in reading order. */
void card_walk(struct walker *w, json_t *cards);

/* Appends v to arr (taking it); *ok false when it could not (v is then freed). */
void card_push(json_t *arr, json_t *v, bool *ok);
/* obj[key] when it is a non-empty string, else NULL. */
const char *card_str(json_t *obj, const char *key);
/* Whether s is an http(s) URL a reader can open. */
bool card_web_url(const char *s);

#endif
