/*
 * test_password.c: the password policy (auth/password.c): length in characters (code points, not
 * bytes), the embedded list of common passwords without case, the UPN and its local part, one
 * repeated character, and the refusal's code and field name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"

static sb_err check(const char *pw, const char *upn)
{
    struct sb_diag diag;

    memset(&diag, 0, sizeof(diag));
    return auth_password_check(pw, upn, "newPassword", &diag);
}

static void test_length_in_characters(void **state)
{
    char long_pw[AUTH_PASSWORD_MAX + 2];

    (void)state;
    assert_int_equal(check("Eleven-char", NULL), SB_ERR_INVALID);
    assert_int_equal(check("Twelve-chars", NULL), SB_OK);
    /* 11 characters in 22 bytes: still too short */
    assert_int_equal(check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
                           "\xa9\xc3\xa9\xc3\xa9",
                           NULL),
                     SB_ERR_INVALID);
    /* "é" + 11 ASCII: twelve characters */
    assert_int_equal(check("\xc3\xa9-twelve-chr", NULL), SB_OK);
    memset(long_pw, 'a', sizeof(long_pw) - 1);
    long_pw[sizeof(long_pw) - 1] = '\0';
    long_pw[0] = 'b';
    assert_int_equal(check(long_pw, NULL), SB_ERR_INVALID);
    long_pw[AUTH_PASSWORD_MAX] = '\0';
    assert_int_equal(check(long_pw, NULL), SB_OK);
}

static void test_common_and_guessable(void **state)
{
    struct sb_diag diag;

    (void)state;
    assert_int_equal(check("password1234", NULL), SB_ERR_INVALID);
    assert_int_equal(check("PASSWORD1234", NULL), SB_ERR_INVALID);
    assert_int_equal(check("1q2w3e4r5t6y", NULL), SB_ERR_INVALID);
    assert_int_equal(check("zzzzzzzzzzzzzz", NULL), SB_ERR_INVALID);
    assert_int_equal(check("alice.smith@example.com", "Alice.Smith@example.com"), SB_ERR_INVALID);
    assert_int_equal(check("alice.smith1", "alice.smith1@example.com"), SB_ERR_INVALID);
    assert_int_equal(check("alice.smith12", "alice.smith1@example.com"), SB_OK);
    assert_int_equal(check("correct horse battery", NULL), SB_OK);
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(auth_password_check("qwerty123456", NULL, "passwordProfile.password", &diag),
                     SB_ERR_INVALID);
    assert_string_equal(diag.code, "invalidPassword");
    assert_non_null(strstr(diag.message, "passwordProfile.password"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length_in_characters),
        cmocka_unit_test(test_common_and_guessable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
