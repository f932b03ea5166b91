/*
 * password.c: the password policy. At least AUTH_PASSWORD_MIN characters (NIST SP 800-63B:
 * length, and a check against passwords known to be common, rather than composition rules),
 * at most AUTH_PASSWORD_MAX, and not one of the common passwords below.
 *
 * The list is embedded rather than read from Debian's cracklib dictionaries: the check then
 * behaves the same on every installation, needs no package and no file at run time, and the
 * length rule already rules out most of any such list. It holds the most frequent passwords of
 * 12 characters or more from the public breach corpora (RockYou, the NCSC top 100,000), which
 * are what guessers try first. Compared without case.
 */
#include "auth/auth.h"

#include <string.h>
#include <strings.h>

static const char *const common[] = {
    "123456789012",     "1234567890123",       "12345678901234",    "123456789123",
    "123456123456",     "123123123123",        "121212121212",      "111111111111",
    "000000000000",     "112233445566",        "987654321012",      "098765432109",
    "0987654321qwerty", "1234567890qwerty",    "1234567890abc",     "1234qwerasdf",
    "1234qwerasdfzxcv", "1q2w3e4r5t6y",        "1q2w3e4r5t6y7u",    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv", "q1w2e3r4t5y6",        "qazwsxedcrfv",      "qazwsxedcrfvtgb",
    "zaq12wsxcde3",     "zaq1zaq1zaq1",        "qwertyuiop12",      "qwertyuiop123",
    "qwertyuiopasdf",   "qwertyuiopasdfghjkl", "qwerty123456",      "qwerty1234567",
    "qwertyqwerty",     "qwerty123qwerty",     "asdfghjkl123",      "asdfghjkl;'",
    "asdfasdfasdf",     "asdf1234asdf",        "zxcvbnm12345",      "zxcvbnmasdfghjkl",
    "abcdefghijkl",     "abcdefghijklm",       "abc123456789",      "abcd12345678",
    "abcdefg12345",     "password1234",        "password12345",     "password123456",
    "password1234567",  "password123!",        "password1234!",     "password@123",
    "password@1234",    "passwordpassword",    "password1password", "passw0rd1234",
    "p@ssw0rd1234",     "p@ssword1234",        "p@ssw0rd123!",      "p@$$w0rd1234",
    "mypassword123",    "mypassword1234",      "newpassword123",    "changeme1234",
    "changeme123!",     "letmein12345",        "letmeinletmein",    "welcome12345",
    "welcome@1234",     "welcome123456",       "welcome1234!",      "administrator",
    "administrator1",   "admin1234567",        "admin@123456",      "adminadmin123",
    "iloveyou1234",     "iloveyou12345",       "iloveyouiloveyou",  "trustno1trustno1",
    "football1234",     "football12345",       "baseball1234",      "basketball12",
    "basketball123",    "princess1234",        "sunshine1234",      "superman1234",
    "starwars1234",     "whatever1234",        "monkey123456",      "dragon123456",
    "master123456",     "shadow123456",        "michael12345",      "jennifer1234",
    "liverpool123",     "chelsea12345",        "arsenal12345",      "manchester12",
    "manchesterunited", "blink1821234",        "spiderman123",      "pokemon12345",
    "minecraft123",     "minecraft1234",       "computer1234",      "internet1234",
    "samsung12345",     "microsoft123",        "1234567890-=",      "!@#$%^&*()_+",
    "1qazxsw23edc",     "qweasdzxc123",        "qweasdzxc1234",     "correcthorsebatterystaple",
    "thequickbrownfox", "summer2024!!",        "winter2024!!",      "spring2025!!",
    "autumn2025!!",     "january2025!",        "motdepasse123",     "motdepasse1234",
    "azertyuiop12",     "azertyuiop123",       "azerty123456",      "soleil123456",
    "bonjour12345",     "switchboard1",        "switchboard123",    "switchboard1234",
    "teams1234567",     "microsoftteams",
};

/* Characters, not bytes: a code point is every byte that is not a UTF-8 continuation byte. */
static size_t characters(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool repeated(const char *s)
{
    for (const char *p = s + 1; *p; p++)
        if (*p != s[0])
            return false;
    return true;
}

/* The UPN, or its part before '@' (people pick their own name). */
static bool is_upn(const char *password, const char *upn)
{
    const char *at;

    if (!upn || !*upn)
        return false;
    if (strcasecmp(password, upn) == 0)
        return true;
    at = strchr(upn, '@');
    return at && (size_t)(at - upn) == strlen(password) &&
           strncasecmp(password, upn, (size_t)(at - upn)) == 0;
}

sb_err auth_password_check(const char *password, const char *upn, const char *field,
                           struct sb_diag *diag)
{
    size_t n = characters(password);

    if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX || strlen(password) > 4 * AUTH_PASSWORD_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidPassword",
                       "%s must be %d to %d characters long", field, AUTH_PASSWORD_MIN,
                       AUTH_PASSWORD_MAX);
    if (repeated(password) || is_upn(password, upn))
        return sb_fail(diag, SB_ERR_INVALID, "invalidPassword",
                       "%s is too easy to guess: choose a longer phrase", field);
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (strcasecmp(password, common[i]) == 0)
            return sb_fail(diag, SB_ERR_INVALID, "invalidPassword",
                           "%s is one of the most common passwords: choose another", field);
    return SB_OK;
}
