"""HTML forms of the contact pages: the contact editor in `editor`, the small forms in `small`."""

from contacts.forms.editor import (
    AddressForm,
    ContactEditor,
    ContactForm,
    ItemForm,
    contact_initial,
    custom_form_field,
)
from contacts.forms.fields import (
    DATE_INPUT,
    CompanyField,
    UserChoiceField,
    UserLabelMixin,
    UserMultipleChoiceField,
    company_named,
    user_choices,
)
from contacts.forms.small import (
    PAGE_SIZES,
    SORTS,
    BulkActionForm,
    ContactFilterForm,
    CustomFieldForm,
    NoteForm,
    TagAddForm,
    TagMergeForm,
    TagRenameForm,
    WebFormForm,
)

__all__ = [
    "DATE_INPUT",
    "PAGE_SIZES",
    "SORTS",
    "AddressForm",
    "BulkActionForm",
    "CompanyField",
    "ContactEditor",
    "ContactFilterForm",
    "ContactForm",
    "CustomFieldForm",
    "ItemForm",
    "NoteForm",
    "TagAddForm",
    "TagMergeForm",
    "TagRenameForm",
    "UserChoiceField",
    "UserLabelMixin",
    "UserMultipleChoiceField",
    "WebFormForm",
    "company_named",
    "contact_initial",
    "custom_form_field",
    "user_choices",
]
