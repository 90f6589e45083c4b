from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from tillit.portal.models import code_characters

CODE_LENGTH = 12  # tillit.portal.services.activation_code_create: three groups of four


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_("It is in the letter from your contact person, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    username = forms.RegexField(
        label=_("Choose a user name"),
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        error_messages={"invalid": _("Use 3 or more letters, digits or . @ + - _")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_code(self) -> str:
        """Any grouping and case is the same code; a code of the wrong length is said to
        be just that, before it is looked up."""
        code = self.cleaned_data["code"]
        typed = len(code_characters(code))
        if typed != CODE_LENGTH:
            raise forms.ValidationError(
                _("A code has %(n)d letters and digits; you typed %(typed)d.")
                % {"n": CODE_LENGTH, "typed": typed}
            )
        return code

    def clean(self) -> dict:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        elif password:
            try:
                validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("How do you see it?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
