/*
 * template.h: the small template language of the generic JSON connector.
 *
 * A template is a JSON value whose strings may contain placeholders `{{ .a.b }}`: a path into the
 * posted JSON document, each segment an object key or (on arrays) a decimal index, so
 * `{{ .alerts.0.labels.severity }}` reads the first alert's severity and `{{ . }}` the whole
 * document. Keys may use any characters but '.', '}' and white space. A missing path renders as
 * the empty string; strings render as they are, numbers, booleans as JSON writes them, null as
 * nothing, arrays and objects as compact JSON text. Rendering replaces placeholders inside
 * strings only and builds the result as a jansson tree, so every value lands in the output JSON
 * escaped by the serialiser: no placeholder can add keys or break out of its string.
 *
 * Limits (hostile templates and payloads): TEMPLATE_TEXT_MAX bytes of template JSON,
 * TEMPLATE_DEPTH_MAX nesting levels, TEMPLATE_PATH_MAX segments per path,
 * TEMPLATE_PLACEHOLDERS_MAX placeholders, TEMPLATE_OUTPUT_MAX bytes of rendered strings in all.
 * An unclosed `{{`, a placeholder that is not a path, or a limit exceeded gives SB_ERR_INVALID
 * (SB_ERR_TOO_LARGE for the output budget) with diag naming the problem. There is no escape for
 * a literal `{{`.
 */
#ifndef SB_TEMPLATE_H
#define SB_TEMPLATE_H

#include "core/sb.h"

#include <jansson.h>

#define TEMPLATE_TEXT_MAX (16 * 1024)
#define TEMPLATE_DEPTH_MAX 16
#define TEMPLATE_PATH_MAX 32
#define TEMPLATE_PLACEHOLDERS_MAX 256
#define TEMPLATE_OUTPUT_MAX (64 * 1024)

/* Renders one template string against data into *out (heap, caller frees). *budget is the
 * number of output bytes still allowed and is decreased by what was written. */
sb_err template_render_string(const char *tmpl, const json_t *data, size_t *budget, char **out,
                              struct sb_diag *diag);

/* Renders every string of tmpl (keys stay as written) into a new tree *out. */
sb_err template_render(const json_t *tmpl, const json_t *data, json_t **out, struct sb_diag *diag);

/* Checks a template without data (syntax, depth, placeholder count): what the configuration
 * form is told before saving. */
sb_err template_check(const json_t *tmpl, struct sb_diag *diag);

#endif
