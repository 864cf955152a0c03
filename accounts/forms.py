from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie ; "
            "en cas d'oubli, utilisez « Mot de passe oublié ? »."
        ),
        "inactive": "Ce compte est désactivé. Adressez-vous au responsable de votre organisation.",
    }
