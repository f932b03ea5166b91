/*
 * fault.c: fault injection into write transactions, for tests.
 *
 * A test arms a plan "fail the N-th statement that writes run from now on" and installs it on
 * a store (store_fault_set). The writer thread hands the plan to the write functions' own
 * statements only (not to the batch's BEGIN, SAVEPOINT or COMMIT), and db_vquery answers
 * SB_ERR_IO for the chosen statement before preparing it, as a database failure would. So a
 * test can fail each step of an operation in turn and check that nothing of it remains. In
 * production no plan is installed: the cost is one pointer test per statement.
 */
#include "store/internal.h"

#include <stdatomic.h>
#include <stdlib.h>

struct store_fault {
    atomic_long fail_at; /* 1-based statement to fail; 0 = none */
    atomic_long seen;    /* statements run by writes since the plan was armed */
};

sb_err store_fault_new(struct store_fault **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? SB_OK : SB_ERR_NOMEM;
}

void store_fault_free(struct store_fault *f)
{
    free(f);
}

void store_fault_arm(struct store_fault *f, long fail_at)
{
    atomic_store(&f->fail_at, 0);
    atomic_store(&f->seen, 0);
    atomic_store(&f->fail_at, fail_at);
}

long store_fault_seen(const struct store_fault *f)
{
    return atomic_load(&f->seen);
}

bool store_fault_hit(struct store_fault *f)
{
    long n = atomic_fetch_add(&f->seen, 1) + 1;

    return n == atomic_load(&f->fail_at);
}
