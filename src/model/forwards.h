/*
 * model/forwards.h: a channel's forwards (destinations its messages are delivered onward to)
 * and their deliveries (issue 24, contract §8).
 *
 * Part of the model: types only; the store (store/forwards.h) reads and writes them.
 */
#ifndef SB_MODEL_FORWARDS_H
#define SB_MODEL_FORWARDS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stdint.h>

#define SB_FORWARD_URL_MAX 2048
#define SB_FORWARD_LIST_MAX 4096 /* JSON text of recipients, connector ids, keywords */

struct sb_forward {
    sb_id id;
    sb_id team_id;
    sb_id channel_id;
    char name[SB_NAME_MAX + 1];
    char kind[16];                        /* "workflows", "slack" or "email" */
    char url[SB_FORWARD_URL_MAX + 1];     /* the destination (a secret: never rendered) */
    char recipients[SB_FORWARD_LIST_MAX]; /* JSON array of addresses (email) */
    bool include_people;                  /* people's messages are forwarded */
    char connectors[SB_FORWARD_LIST_MAX]; /* "*" (every connector) or a JSON array of ids */
    char keywords[SB_FORWARD_LIST_MAX];   /* JSON array; "[]" = no keyword filter */
    char colors[SB_FORWARD_LIST_MAX];     /* JSON array of 6-digit hex themeColors; "[]" = any */
    sb_id created_by;
    sb_time created;
    sb_time updated;
};

struct sb_forward_delivery {
    sb_id id;
    sb_id forward_id;
    sb_id message_id;
    char status[12]; /* "pending", "delivered" or "failed" */
    int64_t attempts;
    int64_t http_status; /* 0: no HTTP answer (connection error, email) */
    char error[512];
    char response[512];   /* the start of the destination's answer */
    sb_time last_attempt; /* "" before the first */
    int64_t created_ms;
};

#endif
