"""Django's own messages that Srishti's users meet, marked so our catalogue carries them.

Django's Hindi catalogue leaves some of these untranslated (the password rules show in
English) and words others in terms our users do not use ("शब्दकूट" for password,
"क्षेत्र" for a form field, which in Srishti means an area of concern). Our LOCALE_PATHS
catalogue wins over Django's, but `makemessages` only keeps strings it finds in our
code: hence this list. Nothing calls `_marked`; the strings must stay exactly Django's.
"""

from django.utils.translation import gettext_noop, ngettext


def _marked() -> None:  # pragma: no cover - read by makemessages, never run
    # Form fields and widgets.
    gettext_noop("This field is required.")
    gettext_noop("Enter a valid date.")
    gettext_noop("Enter a whole number.")
    gettext_noop("Enter a number.")
    gettext_noop("Enter a valid value.")
    gettext_noop("Enter a valid email address.")
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices.")
    gettext_noop("Select a valid choice. That choice is not one of the available choices.")
    gettext_noop("The submitted file is empty.")
    gettext_noop("No file was submitted. Check the encoding type on the form.")
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s.")
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s.")
    ngettext("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
             "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
             0)
    gettext_noop("Currently")
    gettext_noop("Clear")
    # Log-in and password forms, and the password rule of AUTH_PASSWORD_VALIDATORS.
    gettext_noop("This account is inactive.")
    gettext_noop("Enter a valid username. This value may contain only letters, numbers, and "
                 "@/./+/-/_ characters.")
    gettext_noop("Password confirmation")
    gettext_noop("The two password fields didn’t match.")
    gettext_noop("Enter the same password as before, for verification.")
    gettext_noop("Old password")
    gettext_noop("New password")
    gettext_noop("New password confirmation")
    gettext_noop("Your old password was entered incorrectly. Please enter it again.")
    ngettext("This password is too short. It must contain at least %d character.",
             "This password is too short. It must contain at least %d characters.", 0)
    ngettext("Your password must contain at least %(min_length)d character.",
             "Your password must contain at least %(min_length)d characters.", 0)
    gettext_noop("The password is too similar to the %(verbose_name)s.")
    gettext_noop("Your password can’t be too similar to your other personal information.")
    gettext_noop("This password is too common.")
    gettext_noop("Your password can’t be a commonly used password.")
    gettext_noop("This password is entirely numeric.")
    gettext_noop("Your password can’t be entirely numeric.")
    # The user fields the similarity rule names in "too similar to the %(verbose_name)s".
    gettext_noop("username")
    gettext_noop("first name")
    gettext_noop("last name")
    gettext_noop("email address")
    # Password reset (registration/password_reset_*.html uses Django's form).
    gettext_noop("Email")
