"""Forms for setting up a partnership. They only validate input; the services make the changes."""

from typing import Any

from django import forms
from django.db.models import Model, QuerySet

from maca.common.versioning import VersionField
from maca.partnerships.models import (
    AGENCY_ROLES,
    ROLE_DESCRIPTIONS,
    Agency,
    AgencyService,
    AgencyType,
    GovernanceGroup,
    Partnership,
    Role,
    short_code_validator,
)


def refuse_duplicate(others: QuerySet[Any], current: Model | None, message: str) -> None:
    """Refuse a value that another record (not the one being edited) already has."""
    if current is not None:
        others = others.exclude(pk=current.pk)
    if others.exists():
        raise forms.ValidationError(message)


class AgencyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the name of the agency"})
    short_code = forms.CharField(
        label="Short code",
        max_length=16,
        help_text="Used in imports and on the command line. Capital letters, digits and hyphens, for example YOT.",
        error_messages={"required": "Enter a short code for the agency"},
    )
    agency_type = forms.ChoiceField(
        label="Type of agency",
        choices=AgencyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of agency", "invalid_choice": "Select the type of agency"},
    )

    def __init__(self, *args: Any, partnership: Partnership, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.agency = agency

    def clean_short_code(self) -> str:
        code = str(self.cleaned_data["short_code"]).strip().upper()
        short_code_validator(code)
        others = Agency.objects.filter(partnership=self.partnership, short_code=code)
        refuse_duplicate(others, self.agency, f"Another agency in this partnership already has the code {code}.")
        return code

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        others = Agency.objects.filter(partnership=self.partnership, name__iexact=name)
        refuse_duplicate(others, self.agency, f"There is already an agency called {name} in this partnership.")
        return name


class AgencyEditForm(AgencyForm):
    version = VersionField()


class AgencyServiceForm(forms.Form):
    name = forms.CharField(
        label="Name of the service or team",
        max_length=200,
        error_messages={"required": "Enter the name of the service or team"},
    )

    def __init__(self, *args: Any, agency: Agency, service: AgencyService | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.service = service

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        others = self.agency.services.filter(name__iexact=name)
        refuse_duplicate(others, self.service, f"{self.agency} already has a service called {name}.")
        return name


class AgencyServiceEditForm(AgencyServiceForm):
    version = VersionField()


class GovernanceGroupForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name of the governance group"}
    )
    short_name = forms.CharField(label="Short name (optional)", max_length=40, required=False)

    def __init__(self, *args: Any, partnership: Partnership, group: GovernanceGroup | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.group = group

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        others = GovernanceGroup.objects.filter(partnership=self.partnership, name__iexact=name)
        refuse_duplicate(others, self.group, f"There is already a governance group called {name}.")
        return name


class GovernanceGroupEditForm(GovernanceGroupForm):
    version = VersionField()


class RoleForm(forms.Form):
    """A role in the partnership, with the agency or governance group it is held for."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No agency",
        help_text="Required for agency leads, auditors, panel members and action owners.",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    governance_group = forms.ModelChoiceField(
        label="Governance group (optional)",
        queryset=GovernanceGroup.objects.none(),
        required=False,
        empty_label="None",
        help_text="For governance readers: the group they read for.",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        agency_field: Any = self.fields["agency"]
        agency_field.queryset = partnership.agencies.all()
        group_field: Any = self.fields["governance_group"]
        group_field.queryset = partnership.governance_groups.all()
        role_field: Any = self.fields["role"]
        role_field.option_hints = {str(role): text for role, text in ROLE_DESCRIPTIONS.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in AGENCY_ROLES and not data.get("agency"):
            self.add_error("agency", f"Choose the agency this {Role(role).label.lower()} acts for.")
        return data


class PersonForm(RoleForm):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter the person’s full name"}
    )
    email = forms.EmailField(
        label="Work e-mail address",
        help_text="They will be sent a link to choose a password. They log in with this address.",
        error_messages={
            "required": "Enter the person’s work e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    field_order = ["full_name", "email", "role", "agency", "governance_group"]

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if self.partnership.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                "This person is already in the partnership. Open their page from the list of people to give them "
                "another role."
            )
        return email


class RemoveRoleForm(forms.Form):
    """Removing a person's last role in the partnership: whether to switch their account off as well."""

    deactivate = forms.BooleanField(
        label="Also deactivate their account",
        required=False,
        help_text="They can no longer sign in, and any session they have open ends at once. Their name stays on "
        "everything they did.",
    )


LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 1024 * 1024


def logo_content_type(head: bytes) -> str | None:
    """The image type of a file from its first bytes (never from its name): PNG or JPEG, else None."""
    for magic, content_type in LOGO_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


class LogoForm(forms.Form):
    logo = forms.FileField(
        label="Logo",
        help_text="A PNG or JPEG image of up to 1 MB. It is printed on the title page of the partnership’s documents.",
        error_messages={"required": "Choose an image file of the logo"},
    )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError("The logo must be 1 MB or smaller")
        head = upload.read(8)
        upload.seek(0)
        content_type = logo_content_type(head)
        if content_type is None:
            raise forms.ValidationError("The logo must be a PNG or JPEG image")
        self.cleaned_data["content_type"] = content_type
        return upload


class DisclosureForm(forms.Form):
    """The partnership's disclosure control of public outputs: the largest hidden count and how it is worded."""

    disclosure_threshold = forms.IntegerField(
        label="Largest count that is not shown",
        min_value=1,
        max_value=20,
        help_text="Counts from 1 to this number are not shown in public outputs. The Department for Education uses 5.",
        error_messages={
            "required": "Enter the largest count that is not shown",
            "invalid": "The largest count that is not shown must be a whole number, like 5",
            "min_value": "The largest count that is not shown must be 1 or more",
            "max_value": "The largest count that is not shown must be 20 or less",
        },
    )
    disclosure_wording = forms.CharField(
        label="Wording for a count that is not shown",
        max_length=60,
        help_text="“{limit}” is replaced by that number plus one: “fewer than {limit}” reads “fewer than 6”.",
        error_messages={
            "required": "Enter the wording for a count that is not shown",
            "max_length": "The wording must be 60 characters or fewer",
        },
    )

    def clean_disclosure_wording(self) -> str:
        wording = str(self.cleaned_data["disclosure_wording"]).strip()
        try:
            wording.format(limit=6)
        except (KeyError, IndexError, ValueError):
            raise forms.ValidationError(
                "The wording may contain “{limit}” and no other braces, for example “fewer than {limit}”"
            ) from None
        if any(character.isdigit() for character in wording):
            raise forms.ValidationError("Write the number as “{limit}”, so that it follows the threshold")
        return wording
