/*
 * github.c: GitHub webhook events (X-GitHub-Event) as MessageCards.
 *
 * Covered: push (commits with links, compare link; branch and tag creation/deletion),
 * pull_request (opened, reopened, closed, merged, review_requested, ready_for_review), issues
 * (opened, closed, reopened), issue_comment and pull_request_review_comment (created),
 * pull_request_review (submitted: approved, changes requested, commented), release
 * (published) and workflow_run (completed: success green, failure red, other conclusions grey).
 * Other actions of these events and other events are acknowledged and ignored; the delivery log
 * says why.
 *
 * Each card says each thing once: the title names the repository, the event, the branch and the
 * actor, so no fact repeats them; the section is headed by who acted; facts only add what the
 * title does not (the branches of a pull request, an author other than the actor, a run's
 * start as an ISO 8601 UTC time the client shows relative, and its duration); one link per card
 * (the changes, the pull request, the issue, the comment, the review, the release, the run). The
 * branch filter applies to push (branches, not tags), pull_request (the base branch) and
 * workflow_run (the head branch).
 */
#include "services/internal.h"

#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *repo_name(const json_t *p)
{
    return svc_str(p, "repository.full_name");
}

static void push(const json_t *settings, const json_t *p, struct svc_result *r)
{
    const char *ref = svc_str(p, "ref"), *name, *kind;
    const json_t *commits = svc_get(p, "commits");
    bool tag = strncmp(ref, "refs/tags/", 10) == 0;
    size_t n = json_array_size(commits);
    char title[600];
    struct sb_buf text = {0};
    struct svc_card c;

    name = tag ? ref + 10 : strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
    kind = tag ? "tag" : "branch";
    if (!tag && !svc_branch_wanted(settings, name)) {
        svc_ignore(r, "push to branch '%.100s' is filtered out", name);
        return;
    }
    if (svc_bool(p, "deleted"))
        snprintf(title, sizeof(title), "[%s] %s %s deleted by %s", repo_name(p),
                 tag ? "Tag" : "Branch", name, svc_str(p, "pusher.name"));
    else if (svc_bool(p, "created") && n == 0)
        snprintf(title, sizeof(title), "[%s] New %s %s pushed by %s", repo_name(p), kind, name,
                 svc_str(p, "pusher.name"));
    else
        snprintf(title, sizeof(title), "[%s] %zu new commit%s pushed to %s by %s", repo_name(p), n,
                 n == 1 ? "" : "s", name, svc_str(p, "pusher.name"));
    svc_card_init(&c, title, svc_bool(p, "deleted") ? COLOR_NEUTRAL : COLOR_INFO);
    svc_commit_list(&c, commits, (long long)n, 7, &text);
    /* Repository, branch and pusher are in the title: the section is the commits alone. */
    if (text.data)
        svc_section_text(&c, svc_card_section(&c, NULL, NULL), text.data);
    sb_buf_free(&text);
    /* A deleted ref has no changes to compare: the repository is the one link then. */
    if (svc_bool(p, "deleted"))
        svc_link(&c, NULL, "View repository", svc_str(p, "repository.html_url"));
    else
        svc_link(&c, NULL, "View changes", svc_str(p, "compare"));
    svc_post(r, &c);
}

/* The author of what was acted on, when it is not the actor heading the section. */
static void author_fact(struct svc_card *c, json_t *sec, const char *author, const char *actor)
{
    if (strcmp(author, actor) != 0)
        svc_fact(c, sec, "Author", author);
}

static void pull_request(const json_t *settings, const json_t *p, struct svc_result *r)
{
    const char *action = svc_str(p, "action"), *verb, *color = COLOR_INFO;
    const json_t *pr = svc_get(p, "pull_request");
    char title[700], body[SVC_TEXT_MAX + 8], branches[300];
    struct svc_card c;
    json_t *sec;

    if (!svc_branch_wanted(settings, svc_str(pr, "base.ref"))) {
        svc_ignore(r, "pull request into '%.100s' is filtered out", svc_str(pr, "base.ref"));
        return;
    }
    if (strcmp(action, "opened") == 0) {
        verb = "opened";
        color = COLOR_SUCCESS;
    } else if (strcmp(action, "reopened") == 0) {
        verb = "reopened";
        color = COLOR_SUCCESS;
    } else if (strcmp(action, "closed") == 0 && svc_bool(pr, "merged")) {
        verb = "merged";
        color = COLOR_MERGED;
    } else if (strcmp(action, "closed") == 0) {
        verb = "closed";
        color = COLOR_FAILURE;
    } else if (strcmp(action, "review_requested") == 0) {
        verb = "review requested";
    } else if (strcmp(action, "ready_for_review") == 0) {
        verb = "ready for review";
    } else {
        svc_ignore(r, "pull_request action '%.60s' is not posted", action);
        return;
    }
    snprintf(title, sizeof(title), "[%s] Pull request #%lld %s: %s", repo_name(p),
             svc_int(p, "number"), verb, svc_str(pr, "title"));
    svc_card_init(&c, title, color);
    sec = svc_card_section(&c, svc_str(p, "sender.login"), NULL);
    snprintf(branches, sizeof(branches), "%s \xE2\x86\x92 %s", svc_str(pr, "head.ref"),
             svc_str(pr, "base.ref"));
    svc_fact(&c, sec, "Branches", branches);
    author_fact(&c, sec, svc_str(pr, "user.login"), svc_str(p, "sender.login"));
    if (strcmp(action, "review_requested") == 0)
        svc_fact(&c, sec, "Reviewer",
                 *svc_str(p, "requested_reviewer.login") ? svc_str(p, "requested_reviewer.login")
                                                         : svc_str(p, "requested_team.name"));
    if (strcmp(action, "opened") == 0) {
        svc_cut(svc_str(pr, "body"), SVC_TEXT_MAX, body, sizeof(body));
        svc_section_text(&c, sec, body);
    }
    svc_link(&c, NULL, "View pull request", svc_str(pr, "html_url"));
    svc_post(r, &c);
}

static void issues(const json_t *p, struct svc_result *r)
{
    const char *action = svc_str(p, "action"), *color;
    const json_t *issue = svc_get(p, "issue");
    char title[700], body[SVC_TEXT_MAX + 8];
    struct svc_card c;
    json_t *sec;

    if (strcmp(action, "opened") == 0 || strcmp(action, "reopened") == 0)
        color = COLOR_SUCCESS;
    else if (strcmp(action, "closed") == 0)
        color = COLOR_MERGED;
    else {
        svc_ignore(r, "issues action '%.60s' is not posted", action);
        return;
    }
    snprintf(title, sizeof(title), "[%s] Issue #%lld %s: %s", repo_name(p),
             svc_int(issue, "number"), action, svc_str(issue, "title"));
    svc_card_init(&c, title, color);
    sec = svc_card_section(&c, svc_str(p, "sender.login"), NULL);
    author_fact(&c, sec, svc_str(issue, "user.login"), svc_str(p, "sender.login"));
    if (strcmp(action, "opened") == 0) {
        svc_cut(svc_str(issue, "body"), SVC_TEXT_MAX, body, sizeof(body));
        svc_section_text(&c, sec, body);
    }
    svc_link(&c, NULL, "View issue", svc_str(issue, "html_url"));
    svc_post(r, &c);
}

/* issue_comment (on issues and pull requests) and pull_request_review_comment. */
static void comment(const json_t *p, bool review, struct svc_result *r)
{
    const json_t *on = svc_get(p, review ? "pull_request" : "issue");
    bool is_pr = review || svc_get(on, "pull_request") != NULL;
    char title[700], body[SVC_TEXT_MAX + 8];
    struct svc_card c;
    json_t *sec;

    if (strcmp(svc_str(p, "action"), "created") != 0) {
        svc_ignore(r, "comment action '%.60s' is not posted", svc_str(p, "action"));
        return;
    }
    snprintf(title, sizeof(title), "[%s] New %scomment on %s #%lld: %s", repo_name(p),
             review ? "review " : "", is_pr ? "pull request" : "issue", svc_int(on, "number"),
             svc_str(on, "title"));
    svc_card_init(&c, title, COLOR_INFO);
    sec = svc_card_section(&c, svc_str(p, "comment.user.login"), NULL);
    svc_cut(svc_str(p, "comment.body"), SVC_TEXT_MAX, body, sizeof(body));
    svc_section_text(&c, sec, body);
    if (review)
        svc_fact(&c, sec, "File", svc_str(p, "comment.path"));
    svc_link(&c, NULL, "View comment", svc_str(p, "comment.html_url"));
    svc_post(r, &c);
}

/* A submitted review: approved (green), changes requested (red) or commented (blue). */
static void review(const json_t *p, struct svc_result *r)
{
    const json_t *pr = svc_get(p, "pull_request");
    const char *state = svc_str(p, "review.state"), *verb, *color;
    char title[700], body[SVC_TEXT_MAX + 8];
    struct svc_card c;
    json_t *sec;

    if (strcmp(svc_str(p, "action"), "submitted") != 0) {
        svc_ignore(r, "pull_request_review action '%.60s' is not posted", svc_str(p, "action"));
        return;
    }
    if (strcasecmp(state, "approved") == 0) {
        verb = "approved";
        color = COLOR_SUCCESS;
    } else if (strcasecmp(state, "changes_requested") == 0) {
        verb = "changes requested";
        color = COLOR_FAILURE;
    } else {
        verb = "reviewed";
        color = COLOR_INFO;
    }
    snprintf(title, sizeof(title), "[%s] Pull request #%lld %s by %s: %s", repo_name(p),
             svc_int(pr, "number"), verb, svc_str(p, "review.user.login"), svc_str(pr, "title"));
    svc_card_init(&c, title, color);
    sec = svc_card_section(&c, svc_str(p, "review.user.login"), NULL);
    author_fact(&c, sec, svc_str(pr, "user.login"), svc_str(p, "review.user.login"));
    svc_cut(svc_str(p, "review.body"), SVC_TEXT_MAX, body, sizeof(body));
    svc_section_text(&c, sec, body);
    svc_link(&c, NULL, "View review", svc_str(p, "review.html_url"));
    svc_post(r, &c);
}

static void release(const json_t *p, struct svc_result *r)
{
    const json_t *rel = svc_get(p, "release");
    const char *name = *svc_str(rel, "name") ? svc_str(rel, "name") : svc_str(rel, "tag_name");
    char title[700], body[SVC_TEXT_MAX + 8];
    struct svc_card c;
    json_t *sec;

    /* GitHub sends created, published and released for one release: one card is enough. */
    if (strcmp(svc_str(p, "action"), "published") != 0) {
        svc_ignore(r, "release action '%.60s' is not posted", svc_str(p, "action"));
        return;
    }
    snprintf(title, sizeof(title), "[%s] %s %s published", repo_name(p),
             svc_bool(rel, "prerelease") ? "Pre-release" : "Release", name);
    svc_card_init(&c, title, COLOR_SUCCESS);
    sec = svc_card_section(&c, svc_str(rel, "author.login"), NULL);
    if (strcmp(name, svc_str(rel, "tag_name")) != 0) /* the title names the release */
        svc_fact(&c, sec, "Tag", svc_str(rel, "tag_name"));
    svc_cut(svc_str(rel, "body"), SVC_TEXT_MAX, body, sizeof(body));
    svc_section_text(&c, sec, body);
    svc_link(&c, NULL, "View release", svc_str(rel, "html_url"));
    svc_post(r, &c);
}

/* A run's colour: green success, red failure (also timed out or failing to start), amber
 * when it waits for someone's approval, grey otherwise (cancelled, skipped, neutral, stale). */
static const char *run_color(const char *conclusion)
{
    if (strcmp(conclusion, "success") == 0)
        return COLOR_SUCCESS;
    if (strcmp(conclusion, "failure") == 0 || strcmp(conclusion, "timed_out") == 0 ||
        strcmp(conclusion, "startup_failure") == 0)
        return COLOR_FAILURE;
    if (strcmp(conclusion, "action_required") == 0)
        return COLOR_WARNING;
    return COLOR_NEUTRAL;
}

static void workflow_run(const json_t *settings, const json_t *p, struct svc_result *r)
{
    const json_t *run = svc_get(p, "workflow_run");
    const char *conclusion = svc_str(run, "conclusion"), *branch = svc_str(run, "head_branch");
    const char *name = *svc_str(run, "name") ? svc_str(run, "name") : svc_str(p, "workflow.name");
    char title[700], number[24], commit[200], took[48];
    long long from, to;
    struct svc_card c;
    json_t *sec;

    if (strcmp(svc_str(p, "action"), "completed") != 0) {
        svc_ignore(r, "workflow_run action '%.60s' is not posted", svc_str(p, "action"));
        return;
    }
    if (!svc_branch_wanted(settings, branch)) {
        svc_ignore(r, "workflow run on '%.100s' is filtered out", branch);
        return;
    }
    snprintf(title, sizeof(title), "[%s] Workflow %s: %s on %s", repo_name(p), name,
             *conclusion ? conclusion : "completed", branch);
    svc_card_init(&c, title, run_color(conclusion));
    /* Workflow, result and branch are in the title. */
    sec = svc_card_section(
        &c, *svc_str(run, "actor.login") ? svc_str(run, "actor.login") : svc_str(p, "sender.login"),
        NULL);
    snprintf(number, sizeof(number), "#%lld", svc_int(run, "run_number"));
    svc_fact(&c, sec, "Run", number);
    svc_fact(&c, sec, "Triggered by", svc_str(run, "event"));
    svc_first_line(svc_str(run, "head_commit.message"), 120, commit, sizeof(commit));
    svc_fact(&c, sec, "Commit", commit);
    svc_fact_time(&c, sec, "Started", svc_str(run, "run_started_at"));
    if (svc_time(svc_str(run, "run_started_at"), &from) &&
        svc_time(svc_str(run, "updated_at"), &to) && to > from) {
        svc_duration(to - from, took, sizeof(took));
        svc_fact(&c, sec, "Duration", took);
    }
    svc_link(&c, NULL, "View run", svc_str(run, "html_url"));
    svc_post(r, &c);
}

void svc_github(const json_t *settings, const char *event, const json_t *p, struct svc_result *r)
{
    if (strcmp(event, "ping") == 0) {
        svc_ignore(r, "ping: %.200s", svc_str(p, "zen"));
        return;
    }
    if (!svc_event_wanted(settings, event)) {
        svc_ignore(r, "event '%.60s' is not selected in this configuration", event);
        return;
    }
    if (strcmp(event, "push") == 0)
        push(settings, p, r);
    else if (strcmp(event, "pull_request") == 0)
        pull_request(settings, p, r);
    else if (strcmp(event, "issues") == 0)
        issues(p, r);
    else if (strcmp(event, "issue_comment") == 0)
        comment(p, false, r);
    else if (strcmp(event, "pull_request_review_comment") == 0)
        comment(p, true, r);
    else if (strcmp(event, "pull_request_review") == 0)
        review(p, r);
    else if (strcmp(event, "release") == 0)
        release(p, r);
    else if (strcmp(event, "workflow_run") == 0)
        workflow_run(settings, p, r);
    else
        svc_ignore(r, "event '%.60s' is not covered; acknowledged and ignored", event);
}
