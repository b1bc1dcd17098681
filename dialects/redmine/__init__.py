"""The Redmine CRM ("Contacts" plugin by RedmineUP) dialect, mounted at `/redmine/`.

From the plugin's REST API documentation (listing, showing,
creating contacts, contact projects, the web-form example, two curl calls).
Decisions are in `docs/redmine.md`; the facts behind them in the plugin's
`app/views/contacts/*.api.rsb` and Redmine core's API builders.

Quirks reproduced on purpose:

- every route takes `.json` or `.xml`; without a suffix the Accept header decides (JSON by default);
- XML and JSON contacts differ: XML writes phones and emails as text children
  (`<phones type="array"><phone>+1 ...</phone></phones>`) and tags as one string
  (`<tags>vip, referral</tags>`), as its documentation shows; JSON follows the plugin
  (`"phones":[{"number":..}]`, `"emails":[{"address":..}]`, `"tag_list":[..]`);
- a company is a contact with `is_company` true and its name in `first_name`;
  a person's `company` is a string, its firm's name;
- XML null is `<x/>`, booleans `true`/`false`, times ISO 8601 in UTC;
- `visibility` 0/1/2 = project/public/private; note `type_id` 0/1/2 = email/call/meeting;
- create answers 201 with Location; update, delete and project links answer 204 with an empty body;
  401/403/404 have empty bodies, 422 lists full messages;
- a web form posts `contact[...]` fields to its own route `POST /forms/<key>/`, or with its key in
  the body to `POST /redmine/contacts.json|.xml` (the documented form, kept as an alias).
"""
