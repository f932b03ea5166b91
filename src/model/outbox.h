/*
 * model/outbox.h: a job of the durable outbox (its payload travels beside it as JSON text).
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/outbox.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_OUTBOX_H
#define SB_MODEL_OUTBOX_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A durable job and its state (the payload is read beside it). */
struct sb_outbox_job {
    sb_id id;
    char kind[32];
    char state[8]; /* "pending", "done", "failed" */
    int attempts;  /* runs started so far */
    int64_t next_at_ms;
    int64_t created_ms;
    int64_t updated_ms;
    char last_error[512];
};

#endif
