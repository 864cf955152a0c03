from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.audit import audited
from accounts.enums import AccessAction, OrganisationKind, Role


class OrganisationQuerySet(models.QuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)


@audited()
class Organisation(models.Model):
    name = models.CharField("nom", max_length=200, unique=True)
    short_name = models.CharField("nom court", max_length=40, unique=True)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self):
        return self.short_name

    @property
    def is_landlord(self) -> bool:
        return self.kind == OrganisationKind.LANDLORD


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Addresses are compared without regard to case: « A.Martin@… » logs in as « a.martin@… ».
        return self.get(email__iexact=username)

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


@audited(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", unique=True)
    full_name = models.CharField("nom complet", max_length=150)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_active = models.BooleanField(
        "actif", default=True, help_text="Décochez plutôt que supprimer un compte : son historique est conservé."
    )
    is_staff = models.BooleanField(
        "administrateur", default=False, help_text="Accès au site d'administration (données de référence)."
    )
    date_joined = models.DateTimeField("créé le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        """« A. Martin », as colleagues are named on screens shared with partners."""
        first, _, last = self.full_name.partition(" ")
        return f"{first[:1]}. {last}" if last else self.full_name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)


@audited()
class Membership(models.Model):
    """A user's role within one organisation; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name="organisation"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class AccessLogQuerySet(models.QuerySet):
    def older_than(self, moment):
        return self.filter(at__lt=moment)


class AccessLog(models.Model):
    """Who consulted or downloaded what, and when. No sensitive value is stored: only the kind of
    access, the object's type and id, and the household's reference. Kept 12 months."""

    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    # Indexed by (user, -at) below, which also serves lookups by user alone. No foreign-key
    # constraint in the database: its check would lock the user's row at every consultation logged
    # (users are never deleted, PROTECT guards it in Django, and the log keeps the id in any case).
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="utilisateur",
        db_index=False,
        db_constraint=False,
    )
    action = models.CharField("action", max_length=30, choices=AccessAction.choices)
    object_type = models.CharField("type d'objet", max_length=60)
    object_id = models.CharField("identifiant", max_length=40, blank=True)
    household_id = models.BigIntegerField("ménage (identifiant)", null=True, blank=True, db_index=True)
    # Not indexed: the access log page looks references up case-insensitively (UPPER), which a plain
    # index does not serve, and every consultation writes a row.
    household_reference = models.CharField("ménage", max_length=20, blank=True)
    path = models.CharField("adresse", max_length=300)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "accès journalisé"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} — {self.get_action_display()}"


class DataVersion(models.Model):
    """A single row counting committed writes to the domain tables (see accounts/data_version.py).

    Cached pages are keyed on its value: any committed insert, update or delete moves it, so a page
    cached before the change is never served after it."""

    value = models.BigIntegerField("valeur", default=0)
    # False while migrations run (the triggers are dropped then): pages are not cached meanwhile.
    triggers_installed = models.BooleanField("déclencheurs en place", default=False)

    class Meta:
        verbose_name = "version des données"
        verbose_name_plural = "version des données"

    def __str__(self):
        return str(self.value)
