/*
 * gitlab.c: GitLab webhook events (X-Gitlab-Event) as MessageCards.
 *
 * Covered: "Push Hook" (commits, compare link), "Tag Push Hook", "Merge Request Hook" (open,
 * reopen, close, merge, approved), "Issue Hook" (open, reopen, close) and "Pipeline Hook"
 * (finished pipelines: success green, failed red, canceled grey; running and pending ones are
 * acknowledged and ignored so that a pipeline gives one card). The configuration's event names
 * are push, tag_push, merge_request, issue and pipeline (the payloads' object_kind); the branch
 * filter applies to pushes, merge requests (the target branch) and pipelines.
 *
 * As GitLab's own Teams and Slack notifications (the chat_message classes of its
 * app/models/integrations), each card says each thing once: project, event, branch and actor are in
 * the title or the section heading, never repeated as facts; a pipeline adds its duration as a
 * person says it, when it finished (an ISO 8601 UTC time the client shows relative), the commit and
 * the jobs that failed without a successful retry. One link per card: the changes, the merge
 * request, the issue, the pipeline.
 */
#include "services/internal.h"

#include "core/buf.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *project(const json_t *p)
{
    return *svc_str(p, "project.path_with_namespace") ? svc_str(p, "project.path_with_namespace")
                                                      : svc_str(p, "project.name");
}

static const char *short_ref(const char *ref)
{
    if (strncmp(ref, "refs/heads/", 11) == 0)
        return ref + 11;
    if (strncmp(ref, "refs/tags/", 10) == 0)
        return ref + 10;
    return ref;
}

static void push(const json_t *settings, const json_t *p, bool tag, struct svc_result *r)
{
    const char *ref = short_ref(svc_str(p, "ref"));
    const json_t *commits = svc_get(p, "commits");
    long long total = svc_int(p, "total_commits_count");
    char title[600], compare[1200];
    struct sb_buf text = {0};
    struct svc_card c;

    if (!tag && !svc_branch_wanted(settings, ref)) {
        svc_ignore(r, "push to branch '%.100s' is filtered out", ref);
        return;
    }
    if (total <= 0)
        total = (long long)json_array_size(commits);
    if (tag)
        snprintf(title, sizeof(title), "[%s] Tag %s pushed by %s", project(p), ref,
                 svc_str(p, "user_name"));
    else
        snprintf(title, sizeof(title), "[%s] %lld new commit%s pushed to %s by %s", project(p),
                 total, total == 1 ? "" : "s", ref, svc_str(p, "user_name"));
    svc_card_init(&c, title, COLOR_INFO);
    svc_commit_list(&c, commits, total, 8, &text);
    /* Project, branch and pusher are in the title: the section is the commits alone. */
    if (text.data)
        svc_section_text(&c, svc_card_section(&c, NULL, NULL), text.data);
    sb_buf_free(&text);
    /* A cut URL would be a wrong link (and may end inside a character): the project instead. */
    if (!tag && *svc_str(p, "before") && *svc_str(p, "after") &&
        snprintf(compare, sizeof(compare), "%s/-/compare/%s...%s", svc_str(p, "project.web_url"),
                 svc_str(p, "before"), svc_str(p, "after")) < (int)sizeof(compare))
        svc_link(&c, NULL, "View changes", compare);
    else
        svc_link(&c, NULL, "View project", svc_str(p, "project.web_url"));
    svc_post(r, &c);
}

static void merge_request(const json_t *settings, const json_t *p, struct svc_result *r)
{
    const json_t *mr = svc_get(p, "object_attributes");
    const char *action = svc_str(mr, "action"), *verb, *color = COLOR_INFO;
    char title[700], body[SVC_TEXT_MAX + 8], branches[300];
    struct svc_card c;
    json_t *sec;

    if (!svc_branch_wanted(settings, svc_str(mr, "target_branch"))) {
        svc_ignore(r, "merge request into '%.100s' is filtered out", svc_str(mr, "target_branch"));
        return;
    }
    if (strcmp(action, "open") == 0) {
        verb = "opened";
        color = COLOR_SUCCESS;
    } else if (strcmp(action, "reopen") == 0) {
        verb = "reopened";
        color = COLOR_SUCCESS;
    } else if (strcmp(action, "merge") == 0) {
        verb = "merged";
        color = COLOR_MERGED;
    } else if (strcmp(action, "close") == 0) {
        verb = "closed";
        color = COLOR_FAILURE;
    } else if (strcmp(action, "approved") == 0) {
        verb = "approved";
    } else {
        svc_ignore(r, "merge request action '%.60s' is not posted", action);
        return;
    }
    snprintf(title, sizeof(title), "[%s] Merge request !%lld %s: %s", project(p),
             svc_int(mr, "iid"), verb, svc_str(mr, "title"));
    svc_card_init(&c, title, color);
    sec = svc_card_section(&c, svc_str(p, "user.name"), NULL);
    snprintf(branches, sizeof(branches), "%s \xE2\x86\x92 %s", svc_str(mr, "source_branch"),
             svc_str(mr, "target_branch"));
    svc_fact(&c, sec, "Branches", branches);
    if (strcmp(action, "open") == 0) {
        svc_cut(svc_str(mr, "description"), SVC_TEXT_MAX, body, sizeof(body));
        svc_section_text(&c, sec, body);
    }
    svc_link(&c, NULL, "View merge request", svc_str(mr, "url"));
    svc_post(r, &c);
}

static void issue(const json_t *p, struct svc_result *r)
{
    const json_t *is = svc_get(p, "object_attributes");
    const char *action = svc_str(is, "action"), *verb, *color;
    char title[700], body[SVC_TEXT_MAX + 8];
    struct svc_card c;
    json_t *sec;

    if (strcmp(action, "open") == 0) {
        verb = "opened";
        color = COLOR_SUCCESS;
    } else if (strcmp(action, "reopen") == 0) {
        verb = "reopened";
        color = COLOR_SUCCESS;
    } else if (strcmp(action, "close") == 0) {
        verb = "closed";
        color = COLOR_MERGED;
    } else {
        svc_ignore(r, "issue action '%.60s' is not posted", action);
        return;
    }
    snprintf(title, sizeof(title), "[%s] Issue #%lld %s: %s", project(p), svc_int(is, "iid"), verb,
             svc_str(is, "title"));
    svc_card_init(&c, title, color);
    sec = svc_card_section(&c, svc_str(p, "user.name"), NULL);
    if (strcmp(action, "open") == 0) {
        svc_cut(svc_str(is, "description"), SVC_TEXT_MAX, body, sizeof(body));
        svc_section_text(&c, sec, body);
    }
    svc_link(&c, NULL, "View issue", svc_str(is, "url"));
    svc_post(r, &c);
}

/* "rspec (test), lint (build)": the jobs that failed without a later successful run of the
 * same name (GitLab's "actually failed jobs"), at most ten, into out. */
static void failed_jobs(const json_t *builds, char *out, size_t cap)
{
    const json_t *b, *other;
    size_t i, j, used = 0, shown = 0, more = 0;

    out[0] = '\0';
    json_array_foreach(builds, i, b)
    {
        bool retried_ok = false, seen = false;
        const char *name = svc_str(b, "name");

        if (strcmp(svc_str(b, "status"), "failed") != 0)
            continue;
        json_array_foreach(builds, j, other)
        {
            bool same = strcmp(svc_str(other, "name"), name) == 0;
            retried_ok |= same && strcmp(svc_str(other, "status"), "success") == 0;
            seen |= same && j < i && strcmp(svc_str(other, "status"), "failed") == 0;
        }
        if (retried_ok || seen)
            continue;
        if (shown == 10 || used >= cap - 1) {
            more++;
            continue;
        }
        used += (size_t)snprintf(out + used, cap - used, "%s%s (%s)", shown ? ", " : "", name,
                                 svc_str(b, "stage"));
        used = used < cap ? used : cap - 1;
        shown++;
    }
    if (more && used < cap - 1)
        snprintf(out + used, cap - used, " and %zu more", more);
    sb_utf8_scrub(out); /* a name cut at the end of out may end inside a character */
}

/* "[`bcbb5ec3`](url) first line of the message", the id and message escaped; the id alone
 * when the URL cannot be a link. */
static void commit_fact(struct svc_card *c, json_t *sec, const json_t *commit)
{
    char line[200], sha[4 * 8 + 1], *esc_line = NULL, *esc_sha = NULL;
    const char *url = svc_md_url(svc_str(commit, "url"));
    struct sb_buf b = {0};

    if (!*svc_str(commit, "id"))
        return;
    svc_first_line(svc_str(commit, "message"), 120, line, sizeof(line));
    snprintf(sha, sizeof(sha), "%.*s", (int)sb_utf8_prefix_chars(svc_str(commit, "id"), 8),
             svc_str(commit, "id"));
    sb_utf8_scrub(sha);
    if (svc_md_escape(line, &esc_line) != SB_OK || svc_md_escape(sha, &esc_sha) != SB_OK ||
        (url ? sb_buf_printf(&b, "[%s](%s) %s", esc_sha, url, esc_line)
             : sb_buf_printf(&b, "%s %s", esc_sha, esc_line)) != SB_OK)
        c->failed = true;
    else
        svc_fact(c, sec, "Commit", b.data);
    sb_buf_free(&b);
    free(esc_line);
    free(esc_sha);
}

static void pipeline(const json_t *settings, const json_t *p, struct svc_result *r)
{
    const json_t *pl = svc_get(p, "object_attributes");
    const char *status = svc_str(pl, "status"), *ref = svc_str(pl, "ref"), *color;
    char title[700], url[1200], duration[48], jobs[600];
    struct svc_card c;
    json_t *sec;

    if (strcmp(status, "success") == 0)
        /* GitLab colours "passed with warnings" (allowed failures) as a warning. */
        color = strcmp(svc_str(pl, "detailed_status"), "passed with warnings") == 0 ? COLOR_WARNING
                                                                                    : COLOR_SUCCESS;
    else if (strcmp(status, "failed") == 0)
        color = COLOR_FAILURE;
    else if (strcmp(status, "canceled") == 0)
        color = COLOR_NEUTRAL;
    else {
        svc_ignore(r, "pipeline status '%.60s' is not posted (only finished pipelines are)",
                   status);
        return;
    }
    if (!svc_bool(pl, "tag") && !svc_branch_wanted(settings, ref)) {
        svc_ignore(r, "pipeline on '%.100s' is filtered out", ref);
        return;
    }
    snprintf(title, sizeof(title), "[%s] Pipeline #%lld %s on %s", project(p), svc_int(pl, "id"),
             status, ref);
    svc_card_init(&c, title, color);
    /* Project, status and ref are in the title. */
    sec = svc_card_section(&c, svc_str(p, "user.name"), NULL);
    if (svc_int(pl, "duration") > 0) {
        svc_duration(svc_int(pl, "duration"), duration, sizeof(duration));
        svc_fact(&c, sec, "Duration", duration);
    }
    svc_fact_time(&c, sec, "Finished", svc_str(pl, "finished_at"));
    commit_fact(&c, sec, svc_get(p, "commit"));
    failed_jobs(svc_get(p, "builds"), jobs, sizeof(jobs));
    svc_fact(&c, sec, "Failed jobs", jobs);
    /* Older GitLab versions send no url: the pipeline page is under the project. */
    if (*svc_str(pl, "url"))
        svc_link(&c, NULL, "View pipeline", svc_str(pl, "url"));
    else if (snprintf(url, sizeof(url), "%s/-/pipelines/%lld", svc_str(p, "project.web_url"),
                      svc_int(pl, "id")) < (int)sizeof(url))
        svc_link(&c, NULL, "View pipeline", url); /* a cut URL would be a wrong link */
    svc_post(r, &c);
}

void svc_gitlab(const json_t *settings, const char *event, const json_t *p, struct svc_result *r)
{
    const char *kind = svc_str(p, "object_kind");

    /* object_kind names the event in the body; the header must agree, so that a payload of
     * one kind cannot be replayed as another. */
    if (strcmp(event, "Push Hook") == 0 && strcmp(kind, "push") == 0)
        kind = "push";
    else if (strcmp(event, "Tag Push Hook") == 0 && strcmp(kind, "tag_push") == 0)
        kind = "tag_push";
    else if (strcmp(event, "Merge Request Hook") == 0 && strcmp(kind, "merge_request") == 0)
        kind = "merge_request";
    else if (strcmp(event, "Issue Hook") == 0 && strcmp(kind, "issue") == 0)
        kind = "issue";
    else if (strcmp(event, "Pipeline Hook") == 0 && strcmp(kind, "pipeline") == 0)
        kind = "pipeline";
    else {
        svc_ignore(r, "event '%.60s' is not covered; acknowledged and ignored", event);
        return;
    }
    if (!svc_event_wanted(settings, kind)) {
        svc_ignore(r, "event '%.60s' is not selected in this configuration", kind);
        return;
    }
    if (strcmp(kind, "push") == 0 || strcmp(kind, "tag_push") == 0)
        push(settings, p, strcmp(kind, "tag_push") == 0, r);
    else if (strcmp(kind, "merge_request") == 0)
        merge_request(settings, p, r);
    else if (strcmp(kind, "issue") == 0)
        issue(p, r);
    else
        pipeline(settings, p, r);
}
