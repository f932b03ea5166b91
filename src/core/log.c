#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

/* The format attribute lets clang's -Wformat-nonliteral see that fmt is checked by callers. */
__attribute__((format(printf, 2, 0))) static void emit(const char *level, const char *fmt,
                                                       va_list ap)
{
    char line[1024];

    vsnprintf(line, sizeof(line), fmt, ap);
    /* One fprintf per line so that lines from different threads do not interleave. */
    if (level)
        fprintf(stderr, "switchboard: %s: %s\n", level, line);
    else
        fprintf(stderr, "%s\n", line);
}

#define DEFINE_LOG(name, level)                                                                    \
    void name(const char *fmt, ...)                                                                \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        emit(level, fmt, ap);                                                                      \
        va_end(ap);                                                                                \
    }

DEFINE_LOG(sb_log_info, "info")
DEFINE_LOG(sb_log_warn, "warning")
DEFINE_LOG(sb_log_error, "error")
DEFINE_LOG(sb_log_raw, NULL)
