/*
 * admin.h: `switchboard admin`, the cmdlet forms administrators already use in runbooks,
 * applied directly to the database (also while a server runs on it: servers re-read the
 * organisation settings at most every 500 ms, and team switches on every use).
 *
 *   switchboard admin [--db URL | --data DIR] Get-OrganizationConfig
 *   switchboard admin ... Set-OrganizationConfig -ConnectorsEnabled:$false
 *       [-ConnectorsEnabledForTeams:$true] [-ConnectorsActionableMessagesEnabled:$false]
 *       [-UnsignedWebhookUrlsAccepted:$false]
 *   switchboard admin ... Get-UnifiedGroup -Identity <team-id>
 *   switchboard admin ... Set-UnifiedGroup -Identity <team-id> -ConnectorsEnabled:$false
 *
 *   switchboard admin [--db URL | --data DIR] reset-password <userPrincipalName>
 *       prints a one-time password that must be changed at next sign-in (any account, the
 *       bootstrap administrator included)
 *   switchboard admin [--db URL | --data DIR] backup <file>    (SQLite; while servers run)
 *   switchboard admin [--db URL | --data DIR] restore <file>   (SQLite; servers stopped)
 *
 * backup/restore are not cmdlets but plain subcommands over store_backup/store_restore; on a
 * PostgreSQL URL they print the pg_dump / pg_restore commands and exit 2.
 *
 * Cmdlet and parameter names are case-insensitive, as in PowerShell. Values: $true/$false (or
 * true/false), written `-Name:$false` or `-Name $false` (quote `$` from the shell). Returns the
 * exit code: 0 ok, 2 usage (the message names the cmdlet, parameter or value), 1 failure.
 */
#ifndef SB_CLI_ADMIN_H
#define SB_CLI_ADMIN_H

int cli_admin(int argc, char **argv);

#endif
